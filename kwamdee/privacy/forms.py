"""The forms of a person's rights: erasing their account, asking for a correction; and staff's
answer to a request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.common.forms import EMPTY_CHOICE_LABEL, Form
from kwamdee.common.text_validation import validate_multiline_text
from kwamdee.privacy.choices import ErasureReason
from kwamdee.privacy.models import REQUEST_TEXT_MAX_CHARS


class EraseForm(Form):
    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you."),
    )  # fmt: skip
    reason = forms.ChoiceField(
        label=_("Why are you leaving?"), required=False,
        choices=[("", EMPTY_CHOICE_LABEL), *ErasureReason.choices],
        help_text=_("It helps us do better. We keep only the choice, never anything about you."),
    )  # fmt: skip
    understood = forms.BooleanField(label=_("I understand that this cannot be undone"))


class CorrectionForm(Form):
    """Asking staff to correct something the person cannot change themselves."""

    what_is_wrong = forms.CharField(
        label=_("What is wrong?"), max_length=REQUEST_TEXT_MAX_CHARS,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: the date of my deed of 3 March is wrong."),
        error_messages={"required": _("Tell us in a few words what is wrong.")},
    )  # fmt: skip
    what_it_should_be = forms.CharField(
        label=_("What should it be?"), max_length=REQUEST_TEXT_MAX_CHARS, required=False,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("If you know. For example: it was 2 March."),
    )  # fmt: skip


class AnswerForm(Form):
    """Staff's answer to a request: the note the person reads; the button says done or refused."""

    note = forms.CharField(
        label=_("Answer to the person"), max_length=REQUEST_TEXT_MAX_CHARS,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The person reads it on their My data page: say what you changed, or why you cannot."),
        error_messages={"required": _("Write the answer; the person will read it.")},
    )  # fmt: skip
