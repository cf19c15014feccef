"""Writes about organizations."""

from django.db import transaction

from kwamdee.common.audit import audit_record
from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.models import Membership, Organization
from kwamdee.people.choices import Role
from kwamdee.people.roles import role_grant


@transaction.atomic
def organization_create(
    *, actor, name_th: str, kind: str, scope_area_code: str, name_en: str = ""
) -> Organization:
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
