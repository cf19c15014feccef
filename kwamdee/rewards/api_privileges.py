"""API: privileges near the caller, redeeming them for a one-time code, the caller's codes and
level; and the partner's side (its counter's look-up and confirmation, its report, its
privileges), for its staff's own tokens and for the partner's own system (a partner token).

A partner answers 404 to anyone who does not serve its counter (a partner token of another
partner among them), as a partner that does not exist: which partners exist is not told by this
API. A redemption is its person's alone: another's answers 404."""

from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from pydantic import BeforeValidator, StrictBool
from pydantic_core import PydanticCustomError

from kwamdee.common.api_errors import errors, idempotency_key_header
from kwamdee.common.errors import NotFound
from kwamdee.common.i18n import pick
from kwamdee.people.auth import TokenAuth
from kwamdee.rewards.auth import PartnerTokenAuth
from kwamdee.rewards.choices import AreaKind, LimitPeriod, RedemptionState
from kwamdee.rewards.errors import CodeCancelled, CodeExpired, CodeRefused, CodeUsed
from kwamdee.rewards.levels import MAX_LEVELS, level_status, levels_for
from kwamdee.rewards.models import Level, Partner, Privilege, Redemption
from kwamdee.rewards.partners import partner_get, partner_served_by
from kwamdee.rewards.privileges import (
    MAX_CODE_MINUTES,
    MAX_COST_POINTS,
    MAX_PER_PERSON,
    MAX_STOCK,
    MIN_CODE_MINUTES,
    PrivilegeIn,
    privilege_get,
    privilege_offer,
    privilege_offerable_by,
    privilege_offered_to,
    privileges_near,
    privileges_of_partner,
)
from kwamdee.rewards.redemptions import (
    code_display,
    identity_for_counter,
    partner_totals,
    person_points,
    redeemability,
    redemption_at_counter,
    redemption_cancel,
    redemption_confirm,
    redemption_create,
    redemption_get,
    redemptions_of,
)

privileges_router = Router(tags=["privileges"])
redemptions_router = Router(tags=["privileges"])
levels_router = Router(tags=["privileges"])
# A partner's counter: its staff's own tokens, or the partner's own system's token.
partners_router = Router(tags=["partners"], auth=[TokenAuth(), PartnerTokenAuth()])

MAX_LISTED = 200  # privileges near a person: a village's worth, cheapest first
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_OFFSET = 1_000_000
MAX_AREAS = 20
# What a counter's code may be typed as: letters, digits, a dash or spaces (`abcd-2345`).
CODE_MAX_LENGTH = 20


# --- shapes -----------------------------------------------------------------------------------


def _whole_number(value: Any) -> Any:
    """A JSON number that is a whole number: 15 or 15.0 (JSON Schema's integers both), never "15"
    (a string, which lax parsing read as 15), true, or 15.5."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise PydanticCustomError("int_from_float", "Input should be a valid integer")
        return int(value)
    return value


# Whole numbers in their ranges, documented so (JSON Schema's minimum and maximum).
WholeNumber = BeforeValidator(_whole_number)
CostPoints = Annotated[int, Field(ge=0, le=MAX_COST_POINTS), WholeNumber]
LevelRank = Annotated[int, Field(ge=0, le=MAX_LEVELS), WholeNumber]
Stock = Annotated[int, Field(ge=1, le=MAX_STOCK), WholeNumber]
PerPerson = Annotated[int, Field(ge=1, le=MAX_PER_PERSON), WholeNumber]
CodeMinutes = Annotated[int, Field(ge=MIN_CODE_MINUTES, le=MAX_CODE_MINUTES), WholeNumber]


class PartnerRefOut(Schema):
    public_id: UUID
    name: str


class PrivilegeRefOut(Schema):
    public_id: UUID
    title: str
    # What the partner hands over, in the partner's words.
    description: str


class PrivilegeOut(Schema):
    public_id: UUID
    title: str
    description: str
    partner: PartnerRefOut
    # The absolute address of its photo, or null when it has none.
    photo_url: str | None
    cost_points: int
    # The rank of the level it opens from (0: none needed), and that level's name in the caller's
    # own set of levels (null when none is needed).
    min_level: int
    min_level_name: str | None
    # null: unlimited.
    stock_left: int | None
    per_person_limit: int | None
    per_person_period: str
    valid_until: date
    # How long a code waits at the counter, in minutes.
    code_minutes: int
    # The partner needs the person's name: redeeming it needs `share_identity: true`.
    shares_identity: bool
    # Whether the caller can redeem it now; if not, why (a refusal code of POST …/redeem, such as
    # not_enough_points or level_too_low) in a code and in words.
    can_redeem: bool
    refusal: str | None
    refusal_message: str | None


class PrivilegeFilters(Schema):
    affordable: bool = Field(False, description="Only those the caller has enough points for.")
    reachable: bool = Field(False, description="Only those the caller's level reaches.")


class RedeemIn(Schema):
    # Needed (true) for a privilege whose partner must know the person's name (`shares_identity`):
    # the person agrees to show their name at that partner's counter.
    share_identity: StrictBool = False


class RedemptionOut(Schema):
    public_id: UUID
    # The one-time code to show at the counter, grouped as it is read aloud (e.g. "K7PM-2QXA").
    code: str
    # held (waiting at the counter), confirmed (received), expired or cancelled (points returned).
    state: str
    points: int
    expires_at: datetime
    created_at: datetime
    decided_at: datetime | None
    identity_shared: bool
    privilege: PrivilegeRefOut
    partner: PartnerRefOut
    # The partner's counter page with the code filled in: what the code's QR encodes.
    counter_url: str


class RedemptionsOut(Schema):
    count: int
    redemptions: list[RedemptionOut]


class PageIn(Schema):
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="How many, newest first.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many newer ones to skip.")


class LevelOut(Schema):
    rank: int
    name: str
    min_credit: int
    # What reaching it opens, in plain words.
    opens: str


class LevelStatusOut(Schema):
    # Lifetime credit: spending points never lowers it.
    credit: int
    # null below the first level.
    level: LevelOut | None
    # null at the top level.
    next_level: LevelOut | None
    credit_to_next: int
    progress_percent: int
    levels: list[LevelOut]


class CounterRedemptionOut(Schema):
    code: str
    state: str
    # Whether the counter may hand it over now (waiting, and not past its time).
    can_confirm: bool
    # If not: code_used, code_expired or code_cancelled, in a code and in words.
    refusal: str | None
    refusal_message: str | None
    privilege: PrivilegeRefOut
    points: int
    expires_at: datetime
    # The person's name, only if they agreed to share it with this partner; empty otherwise.
    identity: str


class PartnerPrivilegeTotalOut(Schema):
    privilege: UUID
    title: str
    confirmed: int
    points: int


class PartnerReportOut(Schema):
    confirmed: int
    points_received: int
    waiting: int
    expired: int
    cancelled: int
    by_privilege: list[PartnerPrivilegeTotalOut]


class AreaIO(Schema):
    kind: AreaKind
    # A community's public id, a district's (4 digits) or a province's (2 digits) code; empty
    # for the whole country (national staff only).
    code: str = Field("", max_length=36)


class PartnerPrivilegeOut(Schema):
    public_id: UUID
    state: str
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    cost_points: int
    min_level: int
    stock: int | None
    stock_left: int | None
    per_person_limit: int | None
    per_person_period: str
    valid_from: date
    valid_until: date
    code_minutes: int
    shares_identity: bool
    areas: list[AreaIO]


class PrivilegeOfferIn(Schema):
    """A new privilege (without a photo: add one on the website). Offered where the partner is
    (its community, district or province), or in the whole country by national staff."""

    title_th: str = Field(..., max_length=200)
    title_en: str = Field("", max_length=200)
    description_th: str = Field("", max_length=2000)
    description_en: str = Field("", max_length=2000)
    # A cost in points, a minimum level (a rank), or both.
    cost_points: CostPoints = 0
    min_level: LevelRank = 0
    # null: unlimited.
    stock: Stock | None = None
    per_person_limit: PerPerson | None = None
    per_person_period: LimitPeriod = LimitPeriod.EVER
    valid_from: date
    valid_until: date
    code_minutes: CodeMinutes = 60
    shares_identity: StrictBool = False
    areas: list[AreaIO] = Field(..., min_length=1, max_length=MAX_AREAS)


# --- conversions ------------------------------------------------------------------------------


def _partner_ref(partner: Partner) -> PartnerRefOut:
    return PartnerRefOut(public_id=partner.public_id, name=partner.name)


def _privilege_ref(privilege: Privilege) -> PrivilegeRefOut:
    return PrivilegeRefOut(
        public_id=privilege.public_id, title=privilege.title, description=privilege.description
    )


def _level_out(level: Level) -> LevelOut:
    return LevelOut(rank=level.rank, name=level.name, min_credit=level.min_credit, opens=level.opens)


def privilege_out(request: Any, privilege: Privilege) -> PrivilegeOut:
    check = redeemability(request.auth, privilege)
    # Named in its partner's set of levels, the set it is read in (rewards/levels.py).
    levels = levels_for(privilege.partner.community) if privilege.min_level else []
    needed = next((lv for lv in levels if lv.rank == privilege.min_level), None)
    photo = reverse("rewards:privilege_photo", args=[privilege.public_id]) if privilege.photo else None
    return PrivilegeOut(
        public_id=privilege.public_id, title=privilege.title, description=privilege.description,
        partner=_partner_ref(privilege.partner),
        photo_url=request.build_absolute_uri(photo) if photo else None,
        cost_points=privilege.cost_points, min_level=privilege.min_level,
        min_level_name=needed.name if needed and privilege.min_level else None,
        stock_left=privilege.stock_left, per_person_limit=privilege.per_person_limit,
        per_person_period=privilege.per_person_period, valid_until=privilege.valid_until,
        code_minutes=privilege.code_minutes, shares_identity=privilege.shares_identity,
        can_redeem=check.ok, refusal=check.refusal.code if check.refusal else None,
        refusal_message=str(check.refusal.message) if check.refusal else None,
    )  # fmt: skip


def counter_url(request: Any, redemption: Redemption) -> str:
    """The absolute address of the partner's counter page with this code looked up (its QR)."""
    path = reverse("rewards:counter", args=[redemption.partner.public_id])
    return request.build_absolute_uri(f"{path}?{urlencode({'code': redemption.code})}")


def redemption_out(request: Any, redemption: Redemption) -> RedemptionOut:
    return RedemptionOut(
        public_id=redemption.public_id, code=code_display(redemption.code), state=redemption.state,
        points=redemption.points, expires_at=redemption.expires_at, created_at=redemption.created_at,
        decided_at=redemption.decided_at, identity_shared=redemption.identity_shared,
        privilege=_privilege_ref(redemption.privilege), partner=_partner_ref(redemption.partner),
        counter_url=counter_url(request, redemption),
    )  # fmt: skip


# What a counter is told of a code that cannot be handed over (redemption_confirm's refusals).
_STATE_REFUSALS: dict[str, type[CodeRefused]] = {
    RedemptionState.CONFIRMED: CodeUsed,
    RedemptionState.EXPIRED: CodeExpired,
    RedemptionState.CANCELLED: CodeCancelled,
}


def counter_out(redemption: Redemption) -> CounterRedemptionOut:
    refusal_class = _STATE_REFUSALS.get(redemption.state)
    if refusal_class is None and redemption.expires_at <= timezone.now():
        refusal_class = CodeExpired  # past its time: redemption_confirm releases it and refuses
    refusal = refusal_class() if refusal_class else None
    return CounterRedemptionOut(
        code=code_display(redemption.code), state=redemption.state, can_confirm=refusal is None,
        refusal=refusal.code if refusal else None, refusal_message=str(refusal.message) if refusal else None,
        privilege=_privilege_ref(redemption.privilege), points=redemption.points,
        expires_at=redemption.expires_at, identity=identity_for_counter(redemption),
    )  # fmt: skip


def partner_privilege_out(privilege: Privilege) -> PartnerPrivilegeOut:
    return PartnerPrivilegeOut(
        public_id=privilege.public_id, state=privilege.state, title_th=privilege.title_th,
        title_en=privilege.title_en, description_th=privilege.description_th,
        description_en=privilege.description_en, cost_points=privilege.cost_points,
        min_level=privilege.min_level, stock=privilege.stock, stock_left=privilege.stock_left,
        per_person_limit=privilege.per_person_limit, per_person_period=privilege.per_person_period,
        valid_from=privilege.valid_from, valid_until=privilege.valid_until,
        code_minutes=privilege.code_minutes, shares_identity=privilege.shares_identity,
        areas=[AreaIO(kind=AreaKind(a.kind), code=a.code) for a in privilege.areas.all()],
    )  # fmt: skip


# --- a person: privileges, redeeming, their codes, their level --------------------------------


@privileges_router.get("", response=list[PrivilegeOut])
def privileges(request: Any, filters: Query[PrivilegeFilters]) -> list[PrivilegeOut]:
    """The privileges offered where the caller lives (their community, district, province and the
    whole country), cheapest first, each with whether the caller can redeem it now."""
    status = level_status(request.auth)
    found = privileges_near(request.auth)
    if filters.affordable:
        found = found.filter(cost_points__lte=sum(person_points(request.auth).values()))
    if filters.reachable:
        found = found.filter(min_level__lte=status.rank)
    return [privilege_out(request, p) for p in found[:MAX_LISTED]]


@privileges_router.get("/{public_id}", response={200: PrivilegeOut, **errors(404)})
def privilege(request: Any, public_id: UUID) -> PrivilegeOut:
    """One privilege offered to the caller; one that is not (another area, withdrawn, out of its
    dates) answers 404."""
    found = privilege_get(public_id)
    if found is None or not privilege_offered_to(request.auth, found):
        raise NotFound()
    return privilege_out(request, found)


@privileges_router.post("/{public_id}/redeem", response={201: RedemptionOut, **errors(403, 404, 409)})
def redeem(
    request: Any,
    public_id: UUID,
    payload: RedeemIn,
    idempotency_key: str = idempotency_key_header(),
) -> tuple[int, RedemptionOut]:
    """Redeems a privilege: its points and one item of its stock are held for a one-time code,
    valid for the privilege's `code_minutes`, to show at the partner's counter (or its QR, which
    opens `counter_url`). The `Idempotency-Key` header is needed: a retry with the same key
    answers 201 with the same redemption and holds nothing more; the same key for another
    privilege is refused with 422 `idempotency_conflict`.

    Refusals, nothing held: 409 `not_offered`, `out_of_stock`, `level_too_low`, `limit_reached`,
    `not_enough_points`; 400 `identity_consent_needed` (the partner needs the person's name:
    send `share_identity: true`); 403 for a person who has not agreed to the terms or confirmed
    their phone or e-mail; 404 for no such privilege."""
    found = privilege_get(public_id)
    if found is None:
        raise NotFound()
    redemption = redemption_create(
        actor=request.auth, privilege=found, key=idempotency_key, share_identity=payload.share_identity
    )
    return 201, redemption_out(request, redemption)


@redemptions_router.get("", response=RedemptionsOut)
def redemptions(request: Any, page: Query[PageIn]) -> RedemptionsOut:
    """The caller's codes, newest first (`limit` at a time, after `offset`), and how many in all."""
    rows = redemptions_of(request.auth)
    return RedemptionsOut(
        count=rows.count(),
        redemptions=[redemption_out(request, r) for r in rows[page.offset : page.offset + page.limit]],
    )


def _own_redemption(request: Any, public_id: UUID) -> Redemption:
    redemption = redemption_get(public_id)
    if redemption is None or redemption.person_id != request.auth.pk:
        raise NotFound()
    return redemption


@redemptions_router.get("/{public_id}", response={200: RedemptionOut, **errors(404)})
def redemption(request: Any, public_id: UUID) -> RedemptionOut:
    """One of the caller's codes; anyone else's answers 404."""
    return redemption_out(request, _own_redemption(request, public_id))


@redemptions_router.post("/{public_id}/cancel", response={200: RedemptionOut, **errors(404, 409)})
def redemption_cancel_op(request: Any, public_id: UUID) -> RedemptionOut:
    """Cancels one of the caller's codes still waiting at the counter: its points and stock go
    back. A code already received, expired or cancelled answers 409 (`code_used`,
    `code_expired`, `code_cancelled`); anyone else's, 404."""
    cancelled = redemption_cancel(actor=request.auth, redemption=_own_redemption(request, public_id))
    return redemption_out(request, cancelled)


@levels_router.get("/me", response=LevelStatusOut)
def level_mine(request: Any) -> LevelStatusOut:
    """The caller's level from their lifetime credit, how far to the next, and the whole set
    (their community's own levels, or the national ones)."""
    status = level_status(request.auth)
    return LevelStatusOut(
        credit=status.credit, level=_level_out(status.level) if status.level else None,
        next_level=_level_out(status.next_level) if status.next_level else None,
        credit_to_next=status.credit_to_next, progress_percent=status.progress_percent,
        levels=[_level_out(lv) for lv in status.levels],
    )  # fmt: skip


# --- a partner's counter, report and privileges -----------------------------------------------


def _served_partner(request: Any, partner_id: UUID) -> Partner:
    """The partner, if the caller serves its counter (its staff, or its own token); 404 else."""
    partner = partner_get(partner_id)
    if partner is None or not partner_served_by(request.auth, partner):
        raise NotFound()
    return partner


CodePath = Path(..., max_length=CODE_MAX_LENGTH, description="The code, with or without its dash.")


@partners_router.get("/{partner_id}/redemptions/{code}", response={200: CounterRedemptionOut, **errors(404)})
def counter_lookup(request: Any, partner_id: UUID, code: str = CodePath) -> CounterRedemptionOut:
    """The counter looks a code up before handing over: what to hand over, the points, until when
    it is valid, and the person's name only if they agreed to share it. A code of another
    partner, or none, answers 404 `code_unknown`."""
    partner = _served_partner(request, partner_id)
    return counter_out(redemption_at_counter(actor=request.auth, partner=partner, code=code))


@partners_router.post(
    "/{partner_id}/redemptions/{code}/confirm",
    response={200: CounterRedemptionOut, **errors(404, 409)},
)
def counter_confirm(request: Any, partner_id: UUID, code: str = CodePath) -> CounterRedemptionOut:
    """The counter hands the privilege over: the held points are spent, once. 404 `code_unknown`
    for a code of another partner or none; 409 `code_used` (already confirmed: a retry of a
    confirmation that went through answers this), `code_expired` (its points went back) or
    `code_cancelled`."""
    partner = _served_partner(request, partner_id)
    return counter_out(redemption_confirm(actor=request.auth, partner=partner, code=code))


@partners_router.get("/{partner_id}/report", response={200: PartnerReportOut, **errors(404)})
def partner_report(request: Any, partner_id: UUID) -> PartnerReportOut:
    """The partner's own numbers: codes received, waiting, expired and cancelled, the points
    received, and what was received of each privilege."""
    totals = partner_totals(_served_partner(request, partner_id))
    rows = [
        PartnerPrivilegeTotalOut(
            privilege=row["privilege__public_id"],
            confirmed=row["n"],
            points=row["points"] or 0,
            title=pick(row["privilege__title_th"], row["privilege__title_en"]),
        )
        for row in totals["by_privilege"]
    ]
    return PartnerReportOut(**{k: v for k, v in totals.items() if k != "by_privilege"}, by_privilege=rows)


def _privileges_partner(request: Any, partner_id: UUID) -> Partner:
    """The partner, if the caller serves it or may offer its privileges (national staff)."""
    partner = partner_get(partner_id)
    if partner is None or not (
        partner_served_by(request.auth, partner) or privilege_offerable_by(request.auth, partner)
    ):
        raise NotFound()
    return partner


@partners_router.get("/{partner_id}/privileges", response={200: list[PartnerPrivilegeOut], **errors(404)})
def partner_privileges(request: Any, partner_id: UUID) -> list[PartnerPrivilegeOut]:
    """The partner's privileges, offered and withdrawn, for its staff, its own system and
    national staff."""
    return [partner_privilege_out(p) for p in privileges_of_partner(_privileges_partner(request, partner_id))]


@partners_router.post("/{partner_id}/privileges", response={201: PartnerPrivilegeOut, **errors(403, 404)})
def partner_privilege_offer(
    request: Any, partner_id: UUID, payload: PrivilegeOfferIn
) -> tuple[int, PartnerPrivilegeOut]:
    """Offers a new privilege (its staff, or national staff). A partner token may not: a person
    answers for what is offered (403). A rule of the service broken answers 400
    `privilege_invalid` naming the fields (an end date in the past, an area not allowed…)."""
    partner = _privileges_partner(request, partner_id)
    data = PrivilegeIn(
        **payload.dict(exclude={"areas"}), areas=[(a.kind.value, a.code) for a in payload.areas]
    )
    return 201, partner_privilege_out(privilege_offer(actor=request.auth, partner=partner, data=data))
