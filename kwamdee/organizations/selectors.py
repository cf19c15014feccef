"""Reads about organizations."""

from django.db.models import Q

from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.models import Organization


def organizations_verified_by(person) -> list[Organization]:
    """The organizations for which `person` may verify deeds."""
    return list(
        Organization.objects.filter(
            memberships__person=person,
            memberships__role__in=[MembershipRole.VERIFIER, MembershipRole.ADMIN],
        ).distinct()
    )


def verification_scope_q(person, *, field: str = "subdistrict_code") -> Q | None:
    """A filter matching area codes inside the areas of the person's organizations, or None."""
    q = Q()
    found = False
    for organization in organizations_verified_by(person):
        q |= Q(**{f"{field}__startswith": organization.scope_area_code})
        found = True
    return q if found else None
