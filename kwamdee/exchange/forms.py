"""The catalog import form (staff)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("json", "JSON"), ("csv", "CSV"), ("xlsx", "XLSX")]
    )
    file = forms.FileField(label=_("File"))
