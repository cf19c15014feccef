"""API: sponsors and their pledges (sponsorships), with aggregate reports."""

from datetime import date
from typing import Any
from uuid import UUID

from ninja import Field, Router, Schema
from pydantic import StrictInt

from kwamdee.areas.selectors import community_get
from kwamdee.catalog.selectors import deed_type_by_code
from kwamdee.common.api_errors import errors
from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.organizations.selectors import organization_get
from kwamdee.people.selectors import person_by_public_id
from kwamdee.rewards import selectors
from kwamdee.rewards.models import Sponsorship
from kwamdee.rewards.services import sponsor_register, sponsorship_fund, sponsorship_pledge

router = Router(tags=["sponsorships"])


class SponsorshipIn(Schema):
    sponsor: UUID
    deed_type: str
    community: UUID | None = None
    bonus_points: StrictInt
    budget_points: StrictInt
    starts_on: date
    ends_on: date


class SponsorshipOut(Schema):
    public_id: UUID
    sponsor: str
    deed_type: str
    community: UUID | None
    bonus_points: int
    budget_points: int
    funded_points: int
    budget_left: str
    starts_on: date
    ends_on: date


class ReportOut(Schema):
    sponsorship: UUID
    verified_deeds: str
    people_reached: str
    hours: str
    points_paid: str
    budget_left: str
    sdgs: list[int]


def sponsorship_out(s: Sponsorship) -> SponsorshipOut:
    return SponsorshipOut(
        public_id=s.public_id, sponsor=s.sponsor.name, deed_type=s.deed_type.code,
        community=s.community.public_id if s.community else None, bonus_points=s.bonus_points,
        budget_points=s.budget_points, funded_points=selectors.sponsorship_funded_points(s),
        budget_left=selectors.budget_left_display(s), starts_on=s.starts_on,
        ends_on=s.ends_on,
    )  # fmt: skip


class SponsorIn(Schema):
    name_th: str
    name_en: str = ""
    kind: str
    members: list[UUID] = []
    # The registered organization this sponsor is (its page and report show the sponsorships).
    organization: UUID | None = None


class SponsorOut(Schema):
    public_id: UUID
    name_th: str
    name_en: str
    kind: str


@router.post("/sponsors", response={201: SponsorOut, **errors(403)})
def sponsor_add(request: Any, payload: SponsorIn) -> tuple[int, Any]:
    """Registers a sponsor and its members, by the members' public ids (catalog staff)."""
    members = []
    for public_id in payload.members:
        person = person_by_public_id(public_id)
        if person is None:
            raise ValidationFailed(fields={"members": [str(public_id)]})
        members.append(person)
    organization = None
    if payload.organization is not None:
        organization = organization_get(payload.organization)
        if organization is None:
            raise ValidationFailed(fields={"organization": [str(payload.organization)]})
    sponsor = sponsor_register(
        actor=request.auth, name_th=payload.name_th, name_en=payload.name_en, kind=payload.kind,
        members=members, organization=organization,
    )  # fmt: skip
    return 201, sponsor


@router.get("", response=list[SponsorshipOut])
def sponsorships(request: Any) -> list[SponsorshipOut]:
    """The sponsorships of the sponsors the caller belongs to."""
    return [sponsorship_out(s) for s in selectors.sponsorships_of(request.auth)]


@router.post("", response={201: SponsorshipOut, **errors(403, 404)})
def pledge(request: Any, payload: SponsorshipIn) -> tuple[int, SponsorshipOut]:
    """Pledges for a sponsor the caller is a member of (sponsors). Another sponsor's id answers
    404, as an unknown one: sponsors' ids are not public."""
    if not request.auth.has_perm("rewards.pledge_sponsorship"):
        raise PermissionDenied()
    sponsor = selectors.sponsor_get(payload.sponsor)
    if sponsor is None or not selectors.sponsor_pledgeable_by(request.auth, sponsor):
        raise NotFound()
    community = None
    if payload.community:
        community = community_get(payload.community)
        if community is None:
            raise NotFound()
    deed_type = deed_type_by_code(payload.deed_type)
    if deed_type is None:
        raise ValidationFailed(fields={"deed_type": ["unknown deed type"]})
    s = sponsorship_pledge(
        actor=request.auth, sponsor=sponsor, deed_type=deed_type, community=community,
        bonus_points=payload.bonus_points, budget_points=payload.budget_points,
        starts_on=payload.starts_on, ends_on=payload.ends_on,
    )  # fmt: skip
    return 201, sponsorship_out(s)


@router.get("/{public_id}/report", response={200: ReportOut, **errors(404)})
def report(request: Any, public_id: UUID) -> ReportOut:
    """Aggregates only: verified deeds, people reached, hours, SDGs; counts under 10 read "<10"."""
    s = selectors.sponsorships_of(request.auth).filter(public_id=public_id).first()
    if s is None:
        raise NotFound()
    r = selectors.sponsorship_report(s)
    return ReportOut(
        sponsorship=s.public_id, verified_deeds=r.verified_deeds, people_reached=r.people_reached,
        hours=r.hours, points_paid=r.points_paid, budget_left=r.budget_left,
        sdgs=[g.number for g in r.sdgs],
    )  # fmt: skip


class FundingIn(Schema):
    points: StrictInt
    reference: str = Field(max_length=200)
    received_on: date


class FundingOut(Schema):
    public_id: UUID
    sponsorship: UUID
    points: int
    reference: str
    received_on: date
    funded_points: int


@router.post("/{public_id}/fundings", response={201: FundingOut, **errors(403, 404)})
def fund(request: Any, public_id: UUID, payload: FundingIn) -> tuple[int, FundingOut]:
    """Records funding a sponsor paid for a pledge, with its payment reference (national staff):
    only then does the pledge's budget pay bonuses."""
    if not request.auth.has_perm("rewards.record_funding"):
        raise PermissionDenied()
    s = selectors.sponsorship_get(public_id)
    if s is None:
        raise NotFound()
    f = sponsorship_fund(
        actor=request.auth, sponsorship=s, points=payload.points, reference=payload.reference,
        received_on=payload.received_on,
    )  # fmt: skip
    return 201, FundingOut(
        public_id=f.public_id, sponsorship=s.public_id, points=f.points, reference=f.reference,
        received_on=f.received_on, funded_points=selectors.sponsorship_funded_points(s),
    )  # fmt: skip
