"""Writes about organizations."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import area_code_exists
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import PermissionDenied, ValidationFailed
from kwamdee.organizations.choices import MembershipRole, OrganizationKind
from kwamdee.organizations.models import Membership, Organization
from kwamdee.people.choices import Role
from kwamdee.people.roles import role_grant


@transaction.atomic
def organization_create(
    *, actor, name_th: str, kind: str, scope_area_code: str, name_en: str = ""
) -> Organization:
    """Registers an organization whose verifiers work in one province, district or subdistrict."""
    if actor is not None and not actor.has_perm("organizations.add_organization"):
        raise PermissionDenied()
    if not area_code_exists(scope_area_code):
        # An empty or unknown code must never pass: "" would cover the whole country.
        raise ValidationFailed(
            fields={"scope_area_code": [_("Choose a real province, district or subdistrict.")]}
        )
    if kind not in OrganizationKind.values or not name_th.strip():
        raise ValidationFailed(fields={"name_th": [_("Required.")]})
    organization = Organization.objects.create(
        name_th=name_th,
        name_en=name_en,
        kind=kind,
        scope_area_code=scope_area_code,
        province_code=scope_area_code[:2],
    )
    audit_record(
        actor=actor, event_type="organization:create", subject_id=organization.public_id,
        data={"kind": kind, "scope_area_code": scope_area_code},
    )  # fmt: skip
    return organization


@transaction.atomic
def membership_grant(*, actor, organization: Organization, person, role: str) -> Membership:
    """Makes `person` act for `organization` as a verifier or admin, and grants the role."""
    may_grant = (
        actor is None
        or actor.has_perm("organizations.add_organization")
        or (
            actor.has_perm("organizations.manage_organization")
            and organization.memberships.filter(person=actor, role=MembershipRole.ADMIN).exists()
        )
    )
    if not may_grant:
        raise PermissionDenied()
    membership, created = Membership.objects.get_or_create(
        organization=organization, person=person, role=role
    )
    if not created:
        return membership
    role_grant(person, Role.VERIFIER if role == MembershipRole.VERIFIER else Role.ORGANIZATION_ADMIN)
    audit_record(
        actor=actor, event_type="membership:grant", subject_id=organization.public_id,
        data={"person": str(person.public_id), "role": role},
    )  # fmt: skip
    return membership
