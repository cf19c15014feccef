from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import province_options
from kwamdee.common.forms import Form
from kwamdee.organizations.selectors import organization_types


class DirectoryFilterForm(Form):
    """The directory's search: a name, a type, a province; every field may stay empty."""

    q = forms.CharField(label=_("Name of the organization"), max_length=100, required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        type_field, province_field = self.fields["type"], self.fields["province"]
        assert isinstance(type_field, forms.ChoiceField) and isinstance(province_field, forms.ChoiceField)
        type_field.choices = [everything] + [(t.code, t.name) for t in organization_types()]
        province_field.choices = [everything] + [(p.code, p.name) for p in province_options()]
