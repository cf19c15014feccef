"""The appeal part of a deed's page, composed in the template: deeds (a layer below) shows it
without importing appeals (as the catalog shows rewards' sponsorships)."""

from typing import Any

from django import template

from kwamdee.appeals.forms import AppealForm
from kwamdee.appeals.selectors import appeal_create_refusal, appeal_deadline, appeal_of_deed

register = template.Library()


@register.inclusion_tag("appeals/_box.html", takes_context=True)
def appeal_box(context: Any, deed: Any) -> dict[str, Any]:
    """On a rejected (or overturned) deed's page: the appeal and its decision, or, for the
    person while they may still appeal, the form."""
    user = context.get("user")
    appeal = appeal_of_deed(deed)
    is_person = user is not None and deed.person_id == getattr(user, "pk", None)
    may_appeal = is_person and appeal is None and appeal_create_refusal(user, deed) is None
    return {
        "deed": deed,
        "appeal": appeal,
        "is_person": is_person,
        "may_appeal": may_appeal,
        "deadline": appeal_deadline(deed) if may_appeal else None,
        "appeal_form": AppealForm(),
        "csrf_token": context.get("csrf_token"),
        "user": user,
    }
