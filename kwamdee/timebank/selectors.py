"""Reads of the time bank: who may do what to an exchange (the one rule the services ask again
under their locks), a member's balance and history, a community's listings."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from kwamdee.areas.selectors import community_administered_by
from kwamdee.common.actors import is_system
from kwamdee.people.selectors import consent_active
from kwamdee.timebank.choices import ExchangeState, ListingState
from kwamdee.timebank.ledger import time_balance
from kwamdee.timebank.models import (
    DEFAULT_NEGATIVE_LIMIT_MINUTES,
    Exchange,
    Listing,
    PoolDonation,
    ServiceCategory,
    TimeBankSetting,
)

CONFIRM, DECLINE, WITHDRAW, POOL_COVER = "confirm", "decline", "withdraw", "pool_cover"


def negative_limit(community: Any) -> int:
    """How far below zero a member of `community` may go, in minutes (its setting, or the default)."""
    found = TimeBankSetting.objects.filter(community=community).values_list(
        "negative_limit_minutes", flat=True
    )
    return next(iter(found), DEFAULT_NEGATIVE_LIMIT_MINUTES)


def timebank_member(person: Any) -> bool:
    """Takes part in a time bank: a person who may exchange time, consents to take part, and is a
    member of a community (`User.community`, set by its committee's approval)."""
    return bool(
        getattr(person, "pk", None)
        and not is_system(person)
        and person.has_perm("timebank.exchange_time")
        and person.community_id
        and consent_active(person=person)
    )


def timebank_run_by(actor: Any, community: Any) -> bool:
    """The one rule for "may decide for this community's time bank" (its limit, its pool): the
    system, or one of its committee holding the permission."""
    if is_system(actor):
        return True
    return bool(actor.has_perm("timebank.manage_timebank") and community_administered_by(actor, community))


def exchange_actions_for(actor: Any, exchange: Exchange) -> set[str]:
    """What `actor` may do to `exchange` now: the other side confirms or declines, the side that
    proposed withdraws, the community's committee (never one of its two sides) has the pool pay.
    Only a proposed exchange changes."""
    if exchange.state != ExchangeState.PROPOSED:
        return set()
    actions: set[str] = set()
    pk = getattr(actor, "pk", None)
    sides = {exchange.giver_id, exchange.receiver_id}
    if pk is not None and pk in sides:
        actions.add(WITHDRAW if pk == exchange.proposed_by_id else CONFIRM)
        if pk != exchange.proposed_by_id:
            actions.add(DECLINE)
    elif not exchange.paid_by_pool and timebank_run_by(actor, exchange.community):
        actions.add(POOL_COVER)
    return actions


def exchange_visible_to(actor: Any, exchange: Exchange) -> bool:
    if getattr(actor, "pk", None) in {exchange.giver_id, exchange.receiver_id}:
        return True
    return timebank_run_by(actor, exchange.community)


def categories_active() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.filter(active=True)


def category_get(code: str) -> ServiceCategory | None:
    return categories_active().filter(code=str(code or "")).first()


def listing_get(public_id: Any) -> Listing | None:
    try:
        return Listing.objects.select_related("category", "community").filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        return None


def exchange_get(public_id: Any) -> Exchange | None:
    try:
        return (
            Exchange.objects.select_related("community", "category", "giver", "receiver")
            .filter(public_id=public_id)
            .first()
        )
    except (ValueError, ValidationError):
        return None


def listings_open(community: Any, *, kind: str = "", category: str = "") -> QuerySet[Listing]:
    """A community's open offers and requests, newest first (what its members browse)."""
    listings = Listing.objects.filter(community=community, state=ListingState.OPEN).select_related(
        "category", "member"
    )
    if kind:
        listings = listings.filter(kind=kind)
    if category:
        listings = listings.filter(category__code=category)
    return listings.order_by("-created_at", "-id")


@dataclass(frozen=True)
class MemberTime:
    """Where a member stands: their balance, how far they may go below zero, and what is left."""

    balance: int
    limit: int

    @property
    def room(self) -> int:
        """Minutes they may still receive before reaching their community's limit."""
        return self.balance - self.limit


def member_time(person: Any) -> MemberTime:
    limit = negative_limit(person.community) if person.community_id else 0
    return MemberTime(balance=time_balance(person), limit=limit)


def exchanges_of(person: Any) -> QuerySet[Exchange]:
    """A member's exchanges, given and received, in every state, newest first (their history)."""
    return (
        Exchange.objects.filter(Q(giver=person) | Q(receiver=person))
        .select_related("category", "giver", "receiver")
        .order_by("-created_at", "-id")
    )


def exchanges_waiting_for(person: Any) -> QuerySet[Exchange]:
    """Exchanges the other side proposed that wait for `person` to confirm or decline."""
    return exchanges_of(person).filter(state=ExchangeState.PROPOSED).exclude(proposed_by=person)


def donations_of(person: Any) -> QuerySet[PoolDonation]:
    return PoolDonation.objects.filter(member=person).order_by("-created_at", "-id")


def listing_visible_to(actor: Any, listing: Listing) -> bool:
    """A listing is seen by the members of its community and by its committee; anyone else is
    answered as if it did not exist."""
    if getattr(actor, "pk", None) == listing.member_id:
        return True
    if getattr(actor, "community_id", None) == listing.community_id and timebank_member(actor):
        return True
    return timebank_run_by(actor, listing.community)


def listings_of(person: Any) -> QuerySet[Listing]:
    """A member's own offers and requests, open first, newest first."""
    return (
        Listing.objects.filter(member=person)
        .select_related("category")
        .order_by("-state", "-created_at", "-id")
    )


def exchanges_proposed_in(community: Any) -> QuerySet[Exchange]:
    """A community's exchanges still waiting for a side (the committee may have the pool pay)."""
    return (
        Exchange.objects.filter(community=community, state=ExchangeState.PROPOSED)
        .select_related("category", "giver", "receiver", "community")
        .order_by("-created_at", "-id")
    )


def donations_to(community: Any) -> QuerySet[PoolDonation]:
    """The donations to a community's pool, newest first (for its committee)."""
    return (
        PoolDonation.objects.filter(community=community)
        .select_related("member")
        .order_by("-created_at", "-id")
    )
