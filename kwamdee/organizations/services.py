"""Writes about organizations."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import area_code_exists
from kwamdee.common.actors import Actor
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import PermissionDenied, ValidationFailed
from kwamdee.common.roles import Role, role_grant
from kwamdee.common.text_validation import text_fields_problems
from kwamdee.organizations.choices import MembershipRole, OrganizationKind
from kwamdee.organizations.events import OrganizationsEvent
from kwamdee.organizations.models import Membership, Organization
from kwamdee.organizations.selectors import organization_managed_by


@transaction.atomic
def organization_create(
    *, actor: Actor, name_th: str, kind: str, scope_area_code: str, name_en: str = ""
) -> Organization:
    """Registers an organization whose verifiers work in one province, district or subdistrict."""
    if not actor.has_perm("organizations.add_organization"):
        raise PermissionDenied()
    if not area_code_exists(scope_area_code):
        # An empty or unknown code must never pass: "" would cover the whole country.
        raise ValidationFailed(
            fields={"scope_area_code": [_("Choose a real province, district or subdistrict.")]}
        )
    if kind not in OrganizationKind.values or not name_th.strip():
        raise ValidationFailed(fields={"name_th": [_("Required.")]})
    names = {"name_th": name_th, "name_en": name_en}
    if problems := text_fields_problems(names, max_chars=dict.fromkeys(names, 200)):
        raise ValidationFailed(fields=problems)
    organization = Organization.objects.create(
        name_th=name_th,
        name_en=name_en,
        kind=kind,
        scope_area_code=scope_area_code,
        province_code=scope_area_code[:2],
    )
    audit_record(
        actor=actor, event=OrganizationsEvent.ORGANIZATION_CREATE, subject_id=organization.public_id,
        data={"kind": kind, "scope_area_code": scope_area_code},
    )  # fmt: skip
    return organization


@transaction.atomic
def membership_grant(*, actor: Actor, organization: Organization, person: object, role: str) -> Membership:
    """Makes `person` act for `organization` as a verifier or admin, and grants the role."""
    if not organization_managed_by(actor, organization):
        raise PermissionDenied()
    if role not in MembershipRole.values:
        raise ValidationFailed(fields={"role": [_("Choose a role.")]})
    membership, created = Membership.objects.get_or_create(
        organization=organization, person=person, role=role
    )
    if not created:
        return membership
    granted = Role.VERIFIER if role == MembershipRole.VERIFIER else Role.ORGANIZATION_ADMIN
    role_grant(actor=actor, person=person, role=granted, audit=False)  # type: ignore[arg-type]
    audit_record(
        actor=actor, event=OrganizationsEvent.MEMBERSHIP_GRANT, subject_id=organization.public_id,
        data={"person": str(person.public_id), "role": role},  # type: ignore[attr-defined]
    )  # fmt: skip
    return membership
