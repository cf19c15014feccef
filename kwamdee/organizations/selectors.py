"""Reads about organizations, and who may act for them."""

from typing import Any

from django.db.models import Q

from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.models import Organization


def organizations_verified_by(person: Any) -> list[Organization]:
    """The organizations for which `person` may verify deeds."""
    if not getattr(person, "pk", None):
        return []
    return list(
        Organization.objects.filter(
            memberships__person=person,
            memberships__role__in=[MembershipRole.VERIFIER, MembershipRole.ADMIN],
        ).distinct()
    )


def organization_managed_by(actor: Any, organization: Organization) -> bool:
    """The one rule for "may manage this organization's people": staff who register
    organizations (and the system), or an admin of this organization."""
    if actor.has_perm("organizations.add_organization"):  # type: ignore[attr-defined]
        return True
    return bool(
        getattr(actor, "pk", None)
        and actor.has_perm("organizations.manage_organization")  # type: ignore[attr-defined]
        and organization.memberships.filter(person=actor, role=MembershipRole.ADMIN).exists()
    )


def organization_find(*, scope_area_code: str) -> Organization | None:
    return Organization.objects.filter(scope_area_code=scope_area_code).order_by("id").first()


def verification_scope_q(person: Any, *, field: str = "subdistrict_code") -> Q | None:
    """A filter matching area codes inside the areas of the person's organizations, or None."""
    q = Q()
    found = False
    for organization in organizations_verified_by(person):
        q |= Q(**{f"{field}__startswith": organization.scope_area_code})
        found = True
    return q if found else None


def person_within_verification_scope(actor: Any, person: Any) -> bool:
    """Whether `person` lives in the area of one of `actor`'s organizations: whom a verifier may
    meet as a verifier (to check their ID card, people/identity.py)."""
    if person is None or not person.subdistrict_code:
        return False
    return any(
        person.subdistrict_code.startswith(organization.scope_area_code)
        for organization in organizations_verified_by(actor)
    )
