"""API: the public directory of organizations and an organization's figures (the page's, with
the rule behind each), for agencies that keep their own registries in sync. Only approved and
listed organizations are answered: an unlisted one is 404, as one that does not exist."""

from datetime import date
from typing import Any
from uuid import UUID

from ninja import Field, Query, Router, Schema

from kwamdee.common.api_errors import errors
from kwamdee.common.errors import NotFound
from kwamdee.impact.selectors import (
    directory_organizations,
    directory_rows,
    organization_profile,
    organization_public,
    years_offered,
)

router = Router(tags=["directory"], auth=None)


class CertificateOut(Schema):
    level: str
    valid_from: date
    valid_until: date


class DirectoryOut(Schema):
    public_id: UUID
    name_th: str
    name_en: str
    type: str
    province_code: str
    certificate: CertificateOut | None


class DirectoryFilter(Schema):
    q: str = ""
    type: str = ""
    province: str = ""
    offset: int = Field(0, ge=0)
    limit: int = Field(100, ge=1, le=200)


class CreditRowOut(Schema):
    code: str
    name: str
    credit: int


class FigureOut(Schema):
    """A figure, or null when it is hidden (fewer people than the minimum), and its rule."""

    value: float | int | None
    rule: str


class SponsorshipOut(Schema):
    deed_type: str
    starts_on: date
    ends_on: date
    verified_deeds: str
    people_reached: str
    points_paid: str


class ProfileOut(Schema):
    public_id: UUID
    name: str
    year: int
    certificate: CertificateOut | None
    level_rule: str
    activities_run: FigureOut
    participants: FigureOut
    hours: FigureOut
    deeds_verified: FigureOut
    credit_total: FigureOut
    credit_by_virtue: list[CreditRowOut]
    credit_by_sdg: list[CreditRowOut]
    sponsorships: list[SponsorshipOut]
    members_people: FigureOut
    members_deeds: FigureOut
    members_credit: FigureOut
    min_people: int


def _certificate(certificate: Any) -> dict[str, Any] | None:
    if certificate is None:
        return None
    return {
        "level": certificate.level.name,
        "valid_from": certificate.valid_from,
        "valid_until": certificate.valid_until,
    }


@router.get("", response=list[DirectoryOut])
def directory_list(request: Any, filters: Query[DirectoryFilter]) -> list[dict[str, Any]]:
    """Approved organizations that chose to be listed, by name, with their valid certificate;
    narrowed by a part of the name, a type code and a province code; `limit` at a time (at most
    200) from `offset`."""
    organizations = directory_organizations(
        type_code=filters.type[:40], province_code=filters.province[:2], query=filters.q[:100]
    )
    rows = directory_rows(organizations[filters.offset : filters.offset + filters.limit])
    return [
        {
            "public_id": r.organization.public_id,
            "name_th": r.organization.name_th,
            "name_en": r.organization.name_en,
            "type": r.organization.organization_type.code,
            "province_code": r.organization.province_code,
            "certificate": _certificate(r.certificate),
        }
        for r in rows
    ]


@router.get("/{public_id}", response={200: ProfileOut, **errors(404)})
def directory_profile(request: Any, public_id: UUID, year: int | None = None) -> dict[str, Any]:
    """One listed organization's figures for a year (this year by default; the last five offered)."""
    organization = organization_public(public_id)
    if organization is None or not organization.listed:
        raise NotFound()
    offered = years_offered()
    p = organization_profile(organization, year=year if year in offered else offered[0])
    rules, members = p.rules, p.members
    return {
        "public_id": organization.public_id,
        "name": organization.name,
        "year": p.year,
        "certificate": _certificate(p.certificate),
        "level_rule": rules["level"],
        "activities_run": {"value": p.activities_run, "rule": rules["activities"]},
        "participants": {"value": p.participants, "rule": rules["participants"]},
        "hours": {"value": None if p.hours is None else float(p.hours), "rule": rules["hours"]},
        "deeds_verified": {"value": p.deeds_verified, "rule": rules["deeds_verified"]},
        "credit_total": {"value": p.credit_total, "rule": rules["credit_by_virtue"]},
        "credit_by_virtue": p.credit_by_virtue,
        "credit_by_sdg": p.credit_by_sdg,
        "sponsorships": [
            {
                "deed_type": r.sponsorship.deed_type.name,
                "starts_on": r.sponsorship.starts_on,
                "ends_on": r.sponsorship.ends_on,
                "verified_deeds": r.verified_deeds,
                "people_reached": r.people_reached,
                "points_paid": r.points_paid,
            }
            for r in p.sponsorships
        ],
        "members_people": {"value": members.people, "rule": rules["members"]},
        "members_deeds": {"value": members.rows, "rule": rules["members"]},
        "members_credit": {"value": members.total, "rule": rules["members"]},
        "min_people": p.min_people,
    }
