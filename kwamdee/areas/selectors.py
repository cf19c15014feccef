"""Reads of Thai geography (geothai) and of communities."""

from dataclasses import dataclass
from typing import Any

import geothai
from django.core.exceptions import ValidationError

from kwamdee.areas.models import Community
from kwamdee.common.actors import is_system
from kwamdee.common.i18n import pick


@dataclass(frozen=True)
class AreaOption:
    code: str
    name: str


def province_options() -> list[AreaOption]:
    return [AreaOption(p.code, pick(p.name_th, p.name_en)) for p in geothai.provinces()]


def district_options(province_code: str) -> list[AreaOption]:
    return [AreaOption(d.code, pick(d.name_th, d.name_en)) for d in geothai.districts(province_code)]


def subdistrict_options(district_code: str) -> list[AreaOption]:
    return [AreaOption(s.code, pick(s.name_th, s.name_en)) for s in geothai.subdistricts(district_code)]


def subdistrict_exists(code: str) -> bool:
    return bool(code) and geothai.subdistrict(code) is not None


def area_code_exists(code: str) -> bool:
    """A real DOPA code of a province (2 digits), district (4) or subdistrict (6)."""
    lookup = {2: geothai.province, 4: geothai.district, 6: geothai.subdistrict}.get(len(code or ""))
    return bool(lookup and code.isdigit() and lookup(code) is not None)


def area_label(subdistrict_code: str) -> str:
    """'subdistrict, district, province' in the active language."""
    address = geothai.address(subdistrict_code) if subdistrict_code else None
    if address is None:
        return ""
    return ", ".join(
        pick(a.name_th, a.name_en) for a in (address.subdistrict, address.district, address.province)
    )


def community_for_subdistrict(subdistrict_code: str) -> Community | None:
    return Community.objects.filter(subdistrict_code=subdistrict_code).order_by("id").first()


def community_get(public_id: Any) -> Community | None:
    try:
        return Community.objects.filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        return None


def community_administered_by(actor: Any, community: Community) -> bool:
    """The one rule for "may act for this community": the system, or one of its admins who
    holds the community-admin permission."""
    if is_system(actor):
        return True
    if not getattr(actor, "pk", None) or not actor.has_perm("catalog.adapt_catalog"):  # type: ignore[attr-defined]
        return False
    return community.admins.filter(pk=actor.pk).exists()  # type: ignore[attr-defined]


def communities_administered_by(person: Any) -> list[Community]:
    if not getattr(person, "pk", None):
        return []
    return list(Community.objects.filter(admins=person).order_by("name_th"))


def community_ids_administered_by(person: Any) -> list[int]:
    if not getattr(person, "pk", None):
        return []
    return list(Community.objects.filter(admins=person).values_list("pk", flat=True))
