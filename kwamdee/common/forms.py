"""Putting a service's refusal onto a Django form, field by field."""

from django import forms

from kwamdee.common.errors import ServiceError


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
