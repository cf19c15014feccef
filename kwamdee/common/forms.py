"""The site's forms: one base with plain messages, one renderer with the field component, and
putting a service's refusal onto a form field by field."""

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ServiceError

EMPTY_CHOICE_LABEL = _("Choose one")


class FormRenderer(TemplatesSetting):
    """Django's form rendering with the project's templates: `{{ form.x.as_field_group }}`
    and `{{ form }}` draw the field component (label, hint, error, control; docs/ui.md)."""

    field_template_name = "components/field.html"
    form_template_name = "components/form_fields.html"


def _required_message(field: forms.Field) -> Any:
    label = field.label or ""
    if isinstance(field, forms.BooleanField):
        return _("Tick “%(label)s” to go on.") % {"label": label}
    if isinstance(field, forms.FileField):
        return _("Choose a file for “%(label)s”.") % {"label": label}
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
        return _("Choose “%(label)s”.") % {"label": label}
    return _("Fill in “%(label)s”.") % {"label": label}


class Form(forms.Form):
    """Every form of the site: a missing answer names the question in plain words instead of
    Django's "This field is required." ("ฟิลด์นี้จำเป็น", jargon), and a dropdown starts at
    "Choose one" instead of "---------". A field's own `error_messages["required"]` wins."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            default = forms.Field.default_error_messages["required"]
            if field.error_messages.get("required") == default:
                field.error_messages["required"] = _required_message(field)
            if isinstance(field, forms.ModelChoiceField) and field.empty_label == "---------":
                field.empty_label = EMPTY_CHOICE_LABEL


def form_add_service_error(form: forms.Form, exc: ServiceError, aliases: dict | None = None) -> None:
    """Shows each of the service's field errors on the matching form field, the rest on top."""
    aliases = aliases or {}
    if not exc.fields:
        form.add_error(None, str(exc.message))
        return
    for name, messages in exc.fields.items():
        field = aliases.get(name, name)
        for message in messages:
            form.add_error(field if field in form.fields else None, str(message))
