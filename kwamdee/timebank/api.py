"""API of the time bank (issue 12), under /api/v1/timebank: the categories, the offers and requests
of the caller's community, the caller's time and exchanges, replying to a listing (an exchange
proposed), the other side's confirmation or decline, withdrawing, the committee's decision that
the pool pays, gifts to the pool, and the reports.

A listing is seen by the members of its community and its committee; an exchange by its two sides
and its community's committee: anyone else gets 404, as for one that does not exist. A person who
takes no part in a time bank (no community, no consent) is refused with 403."""

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from kwamdee.common.api_errors import errors
from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.timebank.choices import ListingKind
from kwamdee.timebank.models import Exchange, Listing, ServiceCategory
from kwamdee.timebank.reports import timebank_report
from kwamdee.timebank.selectors import (
    categories_active,
    exchange_actions_for,
    exchange_get,
    exchange_visible_to,
    exchanges_of,
    listing_get,
    listing_visible_to,
    listings_open,
    member_time,
    timebank_member,
)
from kwamdee.timebank.services import (
    DESCRIPTION_MAX,
    MAX_EXCHANGE_MINUTES,
    NOTE_MAX,
    TITLE_MAX,
    exchange_confirm,
    exchange_decline,
    exchange_pool_cover,
    exchange_propose,
    exchange_withdraw,
    listing_close,
    listing_post,
    pool_donate,
)

router = Router(tags=["timebank"])

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_OFFSET = 1_000_000
MAX_DONATION_MINUTES = 100 * 60


def _whole_number(value: Any) -> Any:
    """A JSON number that is a whole number (15 or 15.0), never "15", true or 15.5."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise PydanticCustomError("int_from_float", "Input should be a valid integer")
        return int(value)
    return value


ExchangeMinutes = Annotated[int, Field(ge=1, le=MAX_EXCHANGE_MINUTES), BeforeValidator(_whole_number)]
DonationMinutes = Annotated[int, Field(ge=1, le=MAX_DONATION_MINUTES), BeforeValidator(_whole_number)]


# --- shapes -----------------------------------------------------------------------------------


class TimeCategoryOut(Schema):
    code: str
    name: str
    # The national deed type (its code) that time given in this category also counts as
    # (จิตอาสา): the giver is credited once per confirmed exchange. null: none.
    counts_as_deed_type: str | None


class TimeListingOut(Schema):
    public_id: UUID
    # offer (the member offers this) or request (the member needs it).
    kind: str
    category: str
    title: str
    description: str
    # open or closed.
    state: str
    member_name: str
    # Whether the listing is the caller's own.
    mine: bool
    created_at: datetime


class TimeListingsOut(Schema):
    count: int
    listings: list[TimeListingOut]


class TimeListingFilters(Schema):
    kind: ListingKind | None = Field(None, description="offer or request; both when left out.")
    category: str = Field("", max_length=40, description="A category's code; every category when empty.")
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="How many, newest first.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many newer ones to skip.")


class TimeListingIn(Schema):
    kind: ListingKind
    category: str = Field(..., max_length=40)
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    description: str = Field("", max_length=DESCRIPTION_MAX)


class TimeBalanceOut(Schema):
    # The caller's time in minutes: below zero when they owe time.
    minutes: int
    # The lowest balance their community allows, in minutes (0 or below).
    limit_minutes: int
    # How many minutes they may still receive before reaching the limit.
    room_minutes: int


class TimeExchangeOut(Schema):
    public_id: UUID
    # proposed (waiting for the other side), confirmed (the minutes moved), declined, withdrawn.
    state: str
    giver_name: str
    receiver_name: str
    # Whether the caller gave the time (true), received it (false), or is neither (null: the
    # committee).
    i_gave: bool | None
    # Whether the caller proposed it.
    proposed_by_me: bool
    category: str
    listing: UUID | None
    minutes: int
    performed_on: date
    note: str
    paid_by_pool: bool
    created_at: datetime
    decided_at: datetime | None
    # What the caller may do now: confirm, decline, withdraw, pool_cover.
    actions: list[str]


class TimeExchangesOut(Schema):
    count: int
    exchanges: list[TimeExchangeOut]


class TimePageIn(Schema):
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="How many, newest first.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many newer ones to skip.")


class TimeProposeIn(Schema):
    """A reply to a listing: to an offer, its member gave the caller the time; to a request, the
    caller gave its member the time. The other side confirms or declines."""

    listing: UUID
    minutes: ExchangeMinutes
    # The day the time was given: within the last 90 days; today when left out.
    performed_on: date | None = None
    note: str = Field("", max_length=NOTE_MAX)


class TimeDonationIn(Schema):
    minutes: DonationMinutes


class TimeDonationOut(Schema):
    public_id: UUID
    minutes: int
    created_at: datetime
    # The caller's time after the gift, in minutes.
    balance_minutes: int


class TimeCategoryReportOut(Schema):
    category: str
    # Counts under 10 read "<10"; hours of fewer than 10 exchanges too.
    exchanges: str
    hours: str


class TimeAreaReportOut(Schema):
    # A province's code (national staff) or a community's public id (its committee).
    key: str
    label: str
    exchanges: str
    hours: str
    active_members: str
    # A community's pool in hours; empty by province.
    pool_hours: str
    by_category: list[TimeCategoryReportOut]


# --- conversions ------------------------------------------------------------------------------


def _category_out(category: ServiceCategory) -> TimeCategoryOut:
    return TimeCategoryOut(
        code=category.code,
        name=category.name,
        counts_as_deed_type=category.deed_type.code if category.deed_type else None,
    )


def _listing_out(request: Any, listing: Listing) -> TimeListingOut:
    return TimeListingOut(
        public_id=listing.public_id, kind=listing.kind, category=listing.category.code, title=listing.title,
        description=listing.description, state=listing.state, member_name=listing.member.full_name,
        mine=listing.member_id == request.auth.pk, created_at=listing.created_at,
    )  # fmt: skip


def _exchange_out(request: Any, exchange: Exchange) -> TimeExchangeOut:
    pk = request.auth.pk
    sides = {exchange.giver_id, exchange.receiver_id}
    return TimeExchangeOut(
        public_id=exchange.public_id, state=exchange.state, giver_name=exchange.giver.full_name,
        receiver_name=exchange.receiver.full_name,
        i_gave=(pk == exchange.giver_id) if pk in sides else None,
        proposed_by_me=pk == exchange.proposed_by_id, category=exchange.category.code,
        listing=exchange.listing.public_id if exchange.listing is not None else None,
        minutes=exchange.minutes,
        performed_on=exchange.performed_on, note=exchange.note, paid_by_pool=exchange.paid_by_pool,
        created_at=exchange.created_at, decided_at=exchange.decided_at,
        actions=sorted(exchange_actions_for(request.auth, exchange)),
    )  # fmt: skip


def _member(request: Any) -> Any:
    if not timebank_member(request.auth):
        raise PermissionDenied()
    return request.auth


def _listing(request: Any, public_id: UUID) -> Listing:
    listing = listing_get(public_id)
    if listing is None or not listing_visible_to(request.auth, listing):
        raise NotFound()
    return listing


def _exchange(request: Any, public_id: UUID) -> Exchange:
    exchange = exchange_get(public_id)
    if exchange is None or not exchange_visible_to(request.auth, exchange):
        raise NotFound()
    return exchange


# --- operations -------------------------------------------------------------------------------


@router.get("/categories", response=list[TimeCategoryOut])
def categories(request: Any) -> list[TimeCategoryOut]:
    """The categories of help, in their order, each with the deed type it also counts as."""
    return [_category_out(c) for c in categories_active().select_related("deed_type")]


@router.get("/listings", response={200: TimeListingsOut, **errors(403)})
def listings(request: Any, filters: Query[TimeListingFilters]) -> TimeListingsOut:
    """The open offers and requests of the caller's community, newest first (`limit` at a time,
    after `offset`), and how many in all. An unknown category matches none. 403 for a person who
    takes no part in a time bank."""
    person = _member(request)
    found = listings_open(person.community, kind=filters.kind or "", category=filters.category)
    rows = found[filters.offset : filters.offset + filters.limit]
    return TimeListingsOut(count=found.count(), listings=[_listing_out(request, x) for x in rows])


@router.post("/listings", response={201: TimeListingOut, **errors(403)})
def listing_create(request: Any, payload: TimeListingIn) -> tuple[int, TimeListingOut]:
    """Posts an offer or a request in the caller's community. 400 `time_listing_invalid` names
    the fields (an unknown category, a title with no words); 403 for a person who takes no part."""
    listing = listing_post(
        actor=request.auth, kind=payload.kind, category_code=payload.category, title=payload.title,
        description=payload.description,
    )  # fmt: skip
    return 201, _listing_out(request, listing_get(listing.public_id) or listing)


@router.get("/listings/{public_id}", response={200: TimeListingOut, **errors(404)})
def listing(request: Any, public_id: UUID) -> TimeListingOut:
    """One listing of the caller's community (open or closed); another community's answers 404."""
    return _listing_out(request, _listing(request, public_id))


@router.post("/listings/{public_id}/close", response={200: TimeListingOut, **errors(404)})
def listing_close_op(request: Any, public_id: UUID) -> TimeListingOut:
    """Closes an offer or request: its member, or the community's committee. Anyone else: 404.
    400 `time_listing_invalid` when it is already closed."""
    closed = listing_close(actor=request.auth, listing=_listing(request, public_id))
    return _listing_out(request, closed)


@router.get("/balance", response={200: TimeBalanceOut, **errors(403)})
def balance(request: Any) -> TimeBalanceOut:
    """The caller's time, their community's limit, and how much more they may receive."""
    standing = member_time(_member(request))
    return TimeBalanceOut(minutes=standing.balance, limit_minutes=standing.limit, room_minutes=standing.room)


@router.get("/exchanges", response=TimeExchangesOut)
def exchanges(request: Any, page: Query[TimePageIn]) -> TimeExchangesOut:
    """The caller's exchanges, given and received, in every state, newest first."""
    rows = exchanges_of(request.auth).select_related("listing")
    return TimeExchangesOut(
        count=rows.count(),
        exchanges=[_exchange_out(request, x) for x in rows[page.offset : page.offset + page.limit]],
    )


@router.post("/exchanges", response={201: TimeExchangeOut, **errors(403, 404)})
def exchange_create(request: Any, payload: TimeProposeIn) -> tuple[int, TimeExchangeOut]:
    """Replies to a listing of the caller's community: proposes an exchange of `minutes` with its
    member (to an offer, the member gave the caller the time; to a request, the caller gave it).
    The other side confirms or declines. 404 for a listing the caller cannot see; 400
    `time_exchange_invalid` (the caller's own listing, a closed one, a day more than 90 days ago
    or in the future); 403 for a person who takes no part in a time bank."""
    found = _listing(request, payload.listing)
    person = _member(request)
    giver, receiver = (found.member, person) if found.kind == ListingKind.OFFER else (person, found.member)
    exchange = exchange_propose(
        actor=person, giver=giver, receiver=receiver, minutes=payload.minutes, listing=found,
        performed_on=payload.performed_on, note=payload.note,
    )  # fmt: skip
    return 201, _exchange_out(request, _exchange(request, exchange.public_id))


@router.get("/exchanges/{public_id}", response={200: TimeExchangeOut, **errors(404)})
def exchange(request: Any, public_id: UUID) -> TimeExchangeOut:
    """One exchange: its two sides and the community's committee; anyone else 404."""
    return _exchange_out(request, _exchange(request, public_id))


def _act(request: Any, public_id: UUID, service: Any) -> TimeExchangeOut:
    done = service(actor=request.auth, exchange=_exchange(request, public_id))
    return _exchange_out(request, _exchange(request, done.public_id))


@router.post("/exchanges/{public_id}/confirm", response={200: TimeExchangeOut, **errors(403, 404, 409)})
def exchange_confirm_op(request: Any, public_id: UUID) -> TimeExchangeOut:
    """The other side confirms: the minutes move from the receiver (or the pool) to the giver,
    once; a category that counts as a deed credits the giver. 403 for the side that proposed it
    and for the committee; 404 for anyone else; 409 `time_exchange_decided` (already confirmed,
    declined or withdrawn), `time_beyond_limit` (the receiver would go below their community's
    limit: nothing moved), `time_pool_short`."""
    return _act(request, public_id, exchange_confirm)


@router.post("/exchanges/{public_id}/decline", response={200: TimeExchangeOut, **errors(403, 404, 409)})
def exchange_decline_op(request: Any, public_id: UUID) -> TimeExchangeOut:
    """The other side declines: nothing moves. 403 for the proposer and the committee; 404 for
    anyone else; 409 `time_exchange_decided`."""
    return _act(request, public_id, exchange_decline)


@router.post("/exchanges/{public_id}/withdraw", response={200: TimeExchangeOut, **errors(403, 404, 409)})
def exchange_withdraw_op(request: Any, public_id: UUID) -> TimeExchangeOut:
    """The side that proposed takes it back: nothing moves. 403 for the other side and the
    committee; 404 for anyone else; 409 `time_exchange_decided`."""
    return _act(request, public_id, exchange_withdraw)


@router.post("/exchanges/{public_id}/pool-cover", response={200: TimeExchangeOut, **errors(403, 404, 409)})
def exchange_pool_cover_op(request: Any, public_id: UUID) -> TimeExchangeOut:
    """The community's committee has the pool pay this exchange for the receiver when it is
    confirmed. 403 for its two sides; 404 for anyone else; 409 `time_exchange_decided`,
    `time_pool_short` (the pool holds less)."""
    return _act(request, public_id, exchange_pool_cover)


@router.post("/pool/donations", response={201: TimeDonationOut, **errors(403, 409)})
def donate(request: Any, payload: TimeDonationIn) -> tuple[int, TimeDonationOut]:
    """Gives minutes the caller has earned to their community's pool. 409 `time_not_enough` (more
    than they hold: never time they owe); 403 for a person who takes no part."""
    donation = pool_donate(actor=request.auth, minutes=payload.minutes)
    return 201, TimeDonationOut(
        public_id=donation.public_id, minutes=donation.minutes, created_at=donation.created_at,
        balance_minutes=member_time(request.auth).balance,
    )  # fmt: skip


@router.get("/reports", response={200: list[TimeAreaReportOut], **errors(403)})
def reports(request: Any) -> list[TimeAreaReportOut]:
    """Hours exchanged by area and category, active members and the pool: national staff see each
    province, a committee its own communities; anyone else 403."""
    return [
        TimeAreaReportOut(
            key=row.key, label=row.label, exchanges=row.exchanges, hours=row.hours,
            active_members=row.active_members, pool_hours=row.pool_hours,
            by_category=[TimeCategoryReportOut(category=c.category, exchanges=c.exchanges, hours=c.hours)
                         for c in row.by_category],
        )
        for row in timebank_report(request.auth)
    ]  # fmt: skip
