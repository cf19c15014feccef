from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.common.forms import Form


class PreferencesForm(Form):
    email = forms.BooleanField(label=_("Also tell me by e-mail"), required=False)
    sms = forms.BooleanField(label=_("Also tell me by SMS"), required=False)
