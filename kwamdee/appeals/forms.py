"""Forms to appeal a rejection and to decide an appeal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.appeals.choices import AppealOutcome
from kwamdee.common.forms import Form
from kwamdee.common.text_validation import validate_multiline_text


class AppealForm(Form):
    statement = forms.CharField(
        label=_("Why should the decision change?"), max_length=2000, validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say in your own words what the verifier may have missed. Another verifier will "
                    "decide, not the one who rejected it. You can appeal only once."),
        error_messages={"required": _("Please say why the decision should change.")},
    )  # fmt: skip


class AppealDecisionForm(Form):
    outcome = forms.ChoiceField(
        label=_("Your decision"), choices=AppealOutcome.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to keep or overturn the rejection.")},
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note to the person"), max_length=1000, required=False,
        validators=[validate_multiline_text], widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you keep the rejection: the person will read why. The decision is final."),
    )  # fmt: skip

    def clean(self):
        data = super().clean() or {}
        if data.get("outcome") == AppealOutcome.UPHOLD and not (data.get("note") or "").strip():
            self.add_error("note", _("Please tell the person why the rejection stays."))
        return data
