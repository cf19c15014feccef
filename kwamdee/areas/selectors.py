"""Reads of Thai geography (geothai) and of communities."""

from dataclasses import dataclass

import geothai

from kwamdee.areas.models import Community
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
