"""Writes of the time bank: a community's limit, listings, exchanges and donations to the pool.

Each state change is one audit event in the same transaction; every movement of minutes is one
ledger transaction on the community's chain (timebank/ledger.py). Locks, in the project's order
(common/locks.py): the people whose balance may go down (both sides of an exchange, by primary
key; the donor), the exchange's row, then the ledger's chain head and accounts. A member's balance
only goes down under their own lock, so the limit read under it holds until the commit."""

import importlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.catalog.choices import Pricing
from kwamdee.catalog.selectors import deed_type_by_code
from kwamdee.common.actors import Actor, SystemActor, is_system, person_or_none
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.locks import rows_lock
from kwamdee.common.text_validation import text_fields_problems
from kwamdee.deeds.services import VerifiedEntry, deeds_record_verified
from kwamdee.ledger.errors import InsufficientBalance
from kwamdee.ledger.services import Leg, ledger_transaction_post
from kwamdee.people.services import people_lock, person_lock
from kwamdee.timebank.choices import ExchangeState, ListingKind, ListingState
from kwamdee.timebank.errors import (
    BeyondLimit,
    CategoryInvalid,
    DonationInvalid,
    ExchangeDecided,
    ExchangeInvalid,
    ExchangeRefused,
    LimitInvalid,
    ListingInvalid,
    NotEnoughTime,
    PoolShort,
)
from kwamdee.timebank.events import TimeBankEvent
from kwamdee.timebank.ledger import (
    TIME_DONATION,
    TIME_EXCHANGE,
    donation_source,
    exchange_source,
    pool_balance,
    pool_key,
    time_accounts,
    time_balance,
    time_chain,
    time_key,
)
from kwamdee.timebank.models import Exchange, Listing, PoolDonation, ServiceCategory, TimeBankSetting
from kwamdee.timebank.selectors import (
    CONFIRM,
    DECLINE,
    POOL_COVER,
    WITHDRAW,
    category_get,
    exchange_actions_for,
    negative_limit,
    timebank_member,
    timebank_run_by,
)

# One exchange is at most a long day's work; the deepest limit a community may set is 100 hours.
MAX_EXCHANGE_MINUTES = 12 * 60
LOWEST_LIMIT_MINUTES = -100 * 60
# An exchange is recorded for time given at most this long ago (and never in the future).
EXCHANGE_DAYS_BACK = 90
TITLE_MAX, DESCRIPTION_MAX, NOTE_MAX = 120, 2000, 300
# Who credits the giver's time as a deed: the system, on both sides' word (the confirmation).
DEED_ACTOR = SystemActor("timebank")


def _member(actor: Actor) -> Any:
    """The person behind `actor`, if they take part in a time bank; refused otherwise."""
    person = person_or_none(actor)
    if person is None or not timebank_member(person):
        raise PermissionDenied()
    return person


def _minutes_clean(raw: Any, *, most: int | None, error: type[ValidationFailed]) -> int:
    try:
        minutes = int(raw)
    except (TypeError, ValueError):
        minutes = 0
    if isinstance(raw, bool) or minutes != raw or minutes <= 0 or (most is not None and minutes > most):
        raise error(
            fields={"minutes": [_("Give a whole number of minutes, more than 0 and within the limit.")]}
        )
    return minutes


@transaction.atomic
def timebank_limit_set(*, actor: Actor, community: Any, minutes: int) -> TimeBankSetting:
    """The committee sets how far below zero its members' time balances may go (0 or less)."""
    if not timebank_run_by(actor, community):
        raise PermissionDenied()
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not LOWEST_LIMIT_MINUTES <= minutes <= 0:
        raise LimitInvalid(fields={"minutes": [_("Give a whole number of minutes from -6000 to 0.")]})
    before = negative_limit(community)
    setting, _created = TimeBankSetting.objects.update_or_create(
        community=community, defaults={"negative_limit_minutes": minutes}
    )
    audit_record(actor=actor, event=TimeBankEvent.LIMIT_SET, subject_id=community.public_id,
                 data={"minutes": minutes, "before": before})  # fmt: skip
    return setting


@transaction.atomic
def categories_default_load(*, actor: Actor) -> int:
    """The categories every time bank starts from (migration 0002's list), made where missing: a
    database emptied after its migrations (a flush, a transactional test) has none, and seed_demo
    needs them. Returns how many were made."""
    if not is_system(actor) and not actor.has_perm("catalog.manage_catalog"):
        raise PermissionDenied()
    defaults = importlib.import_module("kwamdee.timebank.migrations.0002_service_categories").CATEGORIES
    have = set(ServiceCategory.objects.values_list("code", flat=True))
    made = [
        ServiceCategory(code=code, name_th=name_th, name_en=name_en, sort_order=order * 10)
        for order, (code, name_th, name_en) in enumerate(defaults, start=1)
        if code not in have
    ]
    ServiceCategory.objects.bulk_create(made)
    if made:
        audit_record(actor=actor, event=TimeBankEvent.CATEGORIES_LOAD, subject_id="default",
                     data={"made": [c.code for c in made]})  # fmt: skip
    return len(made)


@transaction.atomic
def category_deed_type_link(
    *, actor: Actor, category: ServiceCategory, deed_type_code: str
) -> ServiceCategory:
    """National staff say that time given in `category` also counts as a national deed type priced
    per hour (จิตอาสา), or nothing (an empty code). Exchanges confirmed afterwards credit it."""
    if not actor.has_perm("catalog.manage_catalog"):
        raise PermissionDenied()
    deed_type = None
    if deed_type_code:
        deed_type = deed_type_by_code(deed_type_code, national=True)
        if deed_type is None or deed_type.pricing != Pricing.PER_HOUR:
            raise CategoryInvalid(fields={"deed_type": [_("Choose a national deed type priced per hour.")]})
    category = rows_lock(ServiceCategory.objects.filter(pk=category.pk))[0]
    before = category.deed_type.code if category.deed_type else ""
    category.deed_type = deed_type
    category.save(update_fields=["deed_type", "updated_at"])
    audit_record(actor=actor, event=TimeBankEvent.CATEGORY_LINK, subject_id=category.code,
                 data={"deed_type": deed_type_code or "", "before": before})  # fmt: skip
    return category


@transaction.atomic
def listing_post(
    *, actor: Actor, kind: str, category_code: str, title: str, description: str = ""
) -> Listing:
    """A member offers a service, or asks for one, in their community."""
    person = _member(actor)
    errors = text_fields_problems(
        {"title": title.strip(), "description": description.strip()}, multiline=["description"],
        max_chars={"title": TITLE_MAX, "description": DESCRIPTION_MAX},
    )  # fmt: skip
    if not title.strip():
        errors.setdefault("title", [_("Say in a few words what you offer or need.")])
    if kind not in ListingKind.values:
        errors["kind"] = [_("Choose whether you offer or need this.")]
    category = category_get(category_code)
    if category is None:
        errors["category"] = [_("Choose a category.")]
    if errors or category is None:
        raise ListingInvalid(fields=errors)
    listing = Listing.objects.create(
        kind=kind, member=person, community_id=person.community_id, category=category,
        title=title.strip(), description=description.strip(),
    )  # fmt: skip
    audit_record(actor=actor, event=TimeBankEvent.LISTING_POST, subject_id=listing.public_id,
                 data={"kind": kind, "category": category.code})  # fmt: skip
    return listing


@transaction.atomic
def listing_close(*, actor: Actor, listing: Listing) -> Listing:
    """Its member (or the community's committee) closes an offer or request."""
    listing = rows_lock(Listing.objects.filter(pk=listing.pk).select_related("community"), of=("self",))[0]
    if getattr(actor, "pk", None) != listing.member_id and not timebank_run_by(actor, listing.community):
        raise NotFound()
    if listing.state != ListingState.OPEN:
        raise ListingInvalid(_("This listing is already closed."))
    listing.state = ListingState.CLOSED
    listing.closed_at = timezone.now()
    listing.save(update_fields=["state", "closed_at", "updated_at"])
    audit_record(actor=actor, event=TimeBankEvent.LISTING_CLOSE, subject_id=listing.public_id)
    return listing


def _event_data(exchange: Exchange) -> dict[str, Any]:
    """What an exchange's events carry: whom it concerns (internal ids, so that a notification can
    tell them without reading the time bank's rows), the minutes and the category. No names."""
    return {
        "giver": exchange.giver_id, "receiver": exchange.receiver_id, "minutes": exchange.minutes,
        "category": exchange.category.code, "community": str(exchange.community.public_id),
        "paid_by_pool": exchange.paid_by_pool,
    }  # fmt: skip


@transaction.atomic
def exchange_propose(
    *,
    actor: Actor,
    giver: Any,
    receiver: Any,
    minutes: int,
    category_code: str = "",
    listing: Listing | None = None,
    performed_on: date | None = None,
    note: str = "",
) -> Exchange:
    """Either side records time given (the giver proposes the minutes, or the receiver does); the
    other side then confirms or declines. Both must be members of the same community."""
    person = _member(actor)
    if person.pk not in (giver.pk, receiver.pk):
        raise PermissionDenied()
    errors: dict[str, list[Any]] = {}
    if giver.pk == receiver.pk:
        raise ExchangeInvalid(_("An exchange is between two different members."))
    other = receiver if person.pk == giver.pk else giver
    if not timebank_member(other) or other.community_id != person.community_id:
        raise ExchangeInvalid(_("Both sides must be members of the same community's time bank."))
    minutes = _minutes_clean(minutes, most=MAX_EXCHANGE_MINUTES, error=ExchangeInvalid)
    today = timezone.localdate()
    performed_on = performed_on or today
    if not today - timedelta(days=EXCHANGE_DAYS_BACK) <= performed_on <= today:
        errors["performed_on"] = [_("Give a day within the last 90 days, not in the future.")]
    if listing is not None:
        listing = Listing.objects.select_related("category").get(pk=listing.pk)
        if listing.community_id != person.community_id or listing.member_id not in (giver.pk, receiver.pk):
            errors["listing"] = [_("This listing is not one side's, in your community.")]
        elif listing.state != ListingState.OPEN:
            errors["listing"] = [_("This listing is closed.")]
    category = category_get(category_code) if category_code else (listing.category if listing else None)
    if category is None or not category.active:
        errors["category"] = [_("Choose a category.")]
    errors.update(text_fields_problems({"note": note.strip()}, max_chars={"note": NOTE_MAX}))
    if errors or category is None:
        raise ExchangeInvalid(fields=errors)
    exchange = Exchange.objects.create(
        community_id=person.community_id, giver=giver, receiver=receiver, proposed_by=person,
        category=category, listing=listing, minutes=minutes, performed_on=performed_on, note=note.strip(),
    )  # fmt: skip
    audit_record(actor=actor, event=TimeBankEvent.EXCHANGE_PROPOSE, subject_id=exchange.public_id,
                 data=_event_data(exchange))  # fmt: skip
    return exchange


def _locked(exchange: Exchange) -> Exchange:
    return rows_lock(
        Exchange.objects.filter(pk=exchange.pk).select_related("community", "category"), of=("self",)
    )[0]


def _for(actor: Actor, exchange: Exchange, action: str) -> Exchange:
    """The exchange, locked and read afresh, if `actor` may do `action` to it now. Someone who may
    not see it gets 404, as for one that does not exist; a side acting out of turn gets 403; an
    exchange already decided, 409."""
    exchange = _locked(exchange)
    sides = {exchange.giver_id, exchange.receiver_id}
    if getattr(actor, "pk", None) not in sides and not timebank_run_by(actor, exchange.community):
        raise NotFound()
    if exchange.state != ExchangeState.PROPOSED:
        raise ExchangeDecided()
    if action not in exchange_actions_for(actor, exchange):
        raise PermissionDenied()
    return exchange


@transaction.atomic
def exchange_confirm(*, actor: Actor, exchange: Exchange) -> Exchange:
    """The other side confirms: the minutes move from the receiver (or the pool, when the committee
    covers the exchange) to the giver, once. Refused when it would take the receiver below their
    community's limit, or the pool below zero; then nothing moves and it stays proposed."""
    # Both sides first (common/locks.py), by primary key: the receiver's balance goes down, and
    # the giver's row is what their own exchanges queue on.
    sides = people_lock([exchange.giver, exchange.receiver])
    exchange = _for(actor, exchange, CONFIRM)
    for side in sides:
        if side.community_id != exchange.community_id or not getattr(side, "consenting", False):
            raise ExchangeRefused(_("One side is no longer a member of this community's time bank."))
    giver = next(s for s in sides if s.pk == exchange.giver_id)
    receiver = next(s for s in sides if s.pk == exchange.receiver_id)
    community, minutes = exchange.community, exchange.minutes
    paying = pool_key(community) if exchange.paid_by_pool else time_key(receiver)
    if not exchange.paid_by_pool and time_balance(receiver) - minutes < negative_limit(community):
        raise BeyondLimit()
    accounts = time_accounts([paying, time_key(giver)])
    try:
        ledger_transaction_post(
            chain_key=time_chain(community), kind=TIME_EXCHANGE,
            idempotency_key=f"time_exchange:{exchange.public_id}:confirm",
            legs=[Leg(accounts[paying], -minutes), Leg(accounts[time_key(giver)], minutes)],
            source=exchange_source(exchange.public_id),
            memo={"category": exchange.category.code, "paid_by_pool": exchange.paid_by_pool},
        )  # fmt: skip
    except InsufficientBalance:
        raise PoolShort() from None
    now = timezone.now()
    exchange.state, exchange.decided_at, exchange.confirmed_at = ExchangeState.CONFIRMED, now, now
    data = _event_data(exchange)
    exchange.deed, data["deed"] = _giver_deed_credit(exchange, giver)
    exchange.save(update_fields=["state", "decided_at", "confirmed_at", "deed", "updated_at"])
    audit_record(actor=actor, event=TimeBankEvent.EXCHANGE_CONFIRM, subject_id=exchange.public_id, data=data)
    return exchange


def _giver_deed_credit(exchange: Exchange, giver: Any) -> tuple[Any, str]:
    """When the exchange's category counts as a deed type priced per hour, the giver's time is
    recorded and credited as that deed, through deeds' own path (consent, the person's catalog,
    the hours a deed may count, the limits per day and year), once: the exchange is confirmed
    once, under its lock. A deed the rules refuse is left out, and the exchange stands. Returns
    the deed (or None) and what became of it ("" when the category counts as no deed)."""
    deed_type = exchange.category.deed_type
    if deed_type is None or deed_type.pricing != Pricing.PER_HOUR:
        return None, ""
    hours = (Decimal(exchange.minutes) / 60).quantize(Decimal("0.01"))
    entry = VerifiedEntry(
        person=giver, deed_type=deed_type, performed_on=exchange.performed_on, quantity=hours,
        description=str(_("Time bank: %(category)s, %(minutes)s minutes")
                        % {"category": exchange.category.name, "minutes": exchange.minutes}),
    )  # fmt: skip
    [outcome] = deeds_record_verified(actor=DEED_ACTOR, entries=[entry])
    return outcome.deed, outcome.code


def _close(actor: Actor, exchange: Exchange, action: str, state: str, event: TimeBankEvent) -> Exchange:
    exchange = _for(actor, exchange, action)
    exchange.state, exchange.decided_at = state, timezone.now()
    exchange.save(update_fields=["state", "decided_at", "updated_at"])
    audit_record(actor=actor, event=event, subject_id=exchange.public_id, data=_event_data(exchange))
    return exchange


@transaction.atomic
def exchange_decline(*, actor: Actor, exchange: Exchange) -> Exchange:
    """The other side says it did not happen so: nothing moves."""
    return _close(actor, exchange, DECLINE, ExchangeState.DECLINED, TimeBankEvent.EXCHANGE_DECLINE)


@transaction.atomic
def exchange_withdraw(*, actor: Actor, exchange: Exchange) -> Exchange:
    """The side that proposed takes it back before the other confirms: nothing moves."""
    return _close(actor, exchange, WITHDRAW, ExchangeState.WITHDRAWN, TimeBankEvent.EXCHANGE_WITHDRAW)


@transaction.atomic
def exchange_pool_cover(*, actor: Actor, exchange: Exchange) -> Exchange:
    """The committee decides that the community's pool pays a proposed exchange for a receiver
    who cannot give time back (an elderly member): on confirmation the minutes come from the pool,
    and the receiver's balance does not move. Never decided by one of the exchange's sides."""
    exchange = _for(actor, exchange, POOL_COVER)
    if pool_balance(exchange.community) < exchange.minutes:
        raise PoolShort()
    exchange.paid_by_pool = True
    exchange.pool_covered_by = person_or_none(actor)
    exchange.save(update_fields=["paid_by_pool", "pool_covered_by", "updated_at"])
    audit_record(actor=actor, event=TimeBankEvent.EXCHANGE_POOL_COVER, subject_id=exchange.public_id,
                 data=_event_data(exchange))  # fmt: skip
    return exchange


@transaction.atomic
def pool_donate(*, actor: Actor, minutes: int) -> PoolDonation:
    """A member gives minutes they earned to their community's pool (never time they owe)."""
    person = _member(actor)
    person_lock(person)
    minutes = _minutes_clean(minutes, most=None, error=DonationInvalid)
    if time_balance(person) < minutes:
        raise NotEnoughTime()
    donation = PoolDonation.objects.create(community_id=person.community_id, member=person, minutes=minutes)
    community = donation.community
    accounts = time_accounts([time_key(person), pool_key(community)])
    ledger_transaction_post(
        chain_key=time_chain(community), kind=TIME_DONATION,
        idempotency_key=f"time_donation:{donation.public_id}",
        legs=[Leg(accounts[time_key(person)], -minutes), Leg(accounts[pool_key(community)], minutes)],
        source=donation_source(donation.public_id),
    )  # fmt: skip
    data = {"member": person.pk, "minutes": minutes, "community": str(community.public_id)}
    audit_record(actor=actor, event=TimeBankEvent.POOL_DONATE, subject_id=donation.public_id, data=data)
    return donation
