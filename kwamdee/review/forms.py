"""The auditor's forms: which flags to show, dismissing a flag, reversing a credit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.common.forms import Form
from kwamdee.common.text_validation import validate_multiline_text
from kwamdee.deeds.choices import FlagKind, ReversalReason
from kwamdee.deeds.services import NOTE_MAX_CHARS


class FlagFilterForm(Form):
    kind = forms.ChoiceField(
        label=_("What was noticed"), required=False,
        choices=[("", _("Every kind of flag")), *FlagKind.choices],
    )  # fmt: skip


class DismissForm(Form):
    note = forms.CharField(
        label=_("Why nothing needs to change"), max_length=NOTE_MAX_CHARS,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For auditors only; the person does not see it."),
        error_messages={"required": _("Please write a short note on why.")},
    )  # fmt: skip


class ReverseForm(Form):
    reason_code = forms.ChoiceField(
        label=_("Reason for reversing the credit"), choices=ReversalReason.choices, widget=forms.RadioSelect,
        help_text=_("The person reads it in neutral words, never as an accusation."),
        error_messages={"required": _("Choose the reason: fraudulent, duplicate or entered in error.")},
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note for auditors"), max_length=NOTE_MAX_CHARS, required=False,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. The person does not see it."),
    )  # fmt: skip
