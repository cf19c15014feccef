"""The form a person fills to erase their account."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.common.forms import EMPTY_CHOICE_LABEL, Form
from kwamdee.privacy.choices import ErasureReason


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
