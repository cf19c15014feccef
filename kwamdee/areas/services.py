"""Writes about communities. Geography itself (provinces, districts, subdistricts) is geothai's."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.events import AreasEvent
from kwamdee.areas.models import Community
from kwamdee.areas.selectors import community_administered_by, subdistrict_exists
from kwamdee.common.actors import Actor
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import PermissionDenied, ValidationFailed
from kwamdee.common.roles import Role, role_grant
from kwamdee.common.text_validation import text_fields_problems

NAME_MAX = 200  # BilingualNamed.name_th / name_en


@transaction.atomic
def community_create(*, actor: Actor, name_th: str, subdistrict_code: str, name_en: str = "") -> Community:
    """Registers a community (a goodness bank) in one subdistrict (staff)."""
    if not actor.has_perm("areas.manage_community"):
        raise PermissionDenied()
    errors = {}
    if not name_th.strip():
        errors["name_th"] = [_("Required.")]
    names = {"name_th": name_th.strip(), "name_en": name_en.strip()}
    for field, problems in text_fields_problems(names, max_chars=dict.fromkeys(names, NAME_MAX)).items():
        errors.setdefault(field, problems)
    if not subdistrict_exists(subdistrict_code):
        errors["subdistrict_code"] = [_("Please choose a subdistrict.")]
    if errors:
        raise ValidationFailed(fields=errors)
    community = Community.objects.create(
        name_th=name_th.strip(), name_en=name_en.strip(), subdistrict_code=subdistrict_code,
        district_code=subdistrict_code[:4], province_code=subdistrict_code[:2],
    )  # fmt: skip
    audit_record(
        actor=actor, event=AreasEvent.COMMUNITY_CREATE, subject_id=community.public_id,
        data={"subdistrict_code": subdistrict_code},
    )  # fmt: skip
    return community


@transaction.atomic
def community_admin_grant(*, actor: Actor, community: Community, person: object) -> bool:
    """Makes `person` an admin of `community` (staff, or one of its admins); True if new."""
    if not (actor.has_perm("catalog.manage_catalog") or community_administered_by(actor, community)):
        raise PermissionDenied()
    if community.admins.filter(pk=person.pk).exists():  # type: ignore[attr-defined]
        return False
    community.admins.add(person)  # type: ignore[arg-type]
    role_grant(actor=actor, person=person, role=Role.COMMUNITY_ADMIN, audit=False)  # type: ignore[arg-type]
    audit_record(
        actor=actor, event=AreasEvent.COMMUNITY_ADMIN_GRANT, subject_id=community.public_id,
        data={"person": str(person.public_id), "role": Role.COMMUNITY_ADMIN},  # type: ignore[attr-defined]
    )  # fmt: skip
    return True


@transaction.atomic
def community_catalog_adopt(*, actor: Actor, community: Community, audit: bool = True) -> bool:
    """Marks the community as having adopted the national catalog; True the first time.

    A first adaptation (a switch, an adjustment) adopts it too: that service passes
    `audit=False` and says so in its own event, so that one change writes one event."""
    if not community_administered_by(actor, community):
        raise PermissionDenied(_("Only this community's admins can adapt its catalog."))
    if community.catalog_adopted_at is not None:
        return False
    community.catalog_adopted_at = timezone.now()
    community.save(update_fields=["catalog_adopted_at", "updated_at"])
    if audit:
        audit_record(actor=actor, event=AreasEvent.COMMUNITY_CATALOG_ADOPT, subject_id=community.public_id)
    return True
