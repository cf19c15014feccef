"""Template tags with which pages of lower layers show rewards without importing them
(the catalog's deed type page lists the sponsorships open for it)."""

from datetime import date
from typing import Any

from django import template
from django.utils import timezone

from kwamdee.rewards.selectors import sponsorships_paying_for_type

register = template.Library()


@register.simple_tag
def open_sponsorships(deed_type: Any, community_id: int | None = None, on: date | None = None) -> list[Any]:
    """Sponsorships that pay a bonus for `deed_type` today, in the viewer's community."""
    return list(sponsorships_paying_for_type(deed_type, community_id, on or timezone.localdate()))
