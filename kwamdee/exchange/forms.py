"""The catalog import form (staff)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.common.forms import Form


class ImportForm(Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("json", "JSON"), ("csv", "CSV"), ("xlsx", "XLSX")]
    )
    file = forms.FileField(label=_("File"))


class TemplateWorkbookForm(Form):
    """An assessment template as an XLSX workbook (staff who manage templates)."""

    file = forms.FileField(label=_("Workbook (XLSX)"))
