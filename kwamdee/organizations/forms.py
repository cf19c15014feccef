from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.common.forms import Form


class NationalIdConfirmForm(Form):
    login = forms.CharField(
        label=_("The person's phone number or e-mail"),
        max_length=254,
        help_text=_("The one they sign in with."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    national_id = forms.CharField(
        label=_("National ID number on the card"),
        max_length=20,
        help_text=_("13 digits, as printed on the card."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    card_seen = forms.BooleanField(label=_("I have seen the card, and the photo on it is this person."))
