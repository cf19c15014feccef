"""The time bank's part of erasure (common/erasure.py).

- Listings: every offer or request still open is closed, through the close a member uses (one
  `time_listing:close` event each); the title and description of all of them become the fixed
  "[ลบแล้ว]" marker (free text the person wrote). Kind, category, community and dates stay.
- Exchanges still proposed: the person's own are withdrawn, those the other side proposed are
  declined, through the same services as on the page (one event each; no minutes move). The
  erasure holds the person's lock, which a confirmation takes first, so the other side cannot
  confirm one meanwhile.
- Every exchange the person was a side of stays, for the ledger: the minutes moved are ledger
  transactions that name the exchange as their source and can never be deleted, and the
  community's reports count them. It stays linked to the tombstone (the person's row, emptied of
  everything personal), and its note, which either side may have written about the other,
  becomes "[ลบแล้ว]". A committee member's decision that the pool pays stays, naming the
  tombstone.
- Donations to the pool hold only the community, the minutes and the time: they stay."""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from kwamdee.common.erasure import ERASED_TEXT, personal_data_eraser
from kwamdee.timebank.choices import ExchangeState, ListingState
from kwamdee.timebank.models import Exchange, Listing
from kwamdee.timebank.services import exchange_decline, exchange_withdraw, listing_close


@personal_data_eraser("time_listings", order=66)
def time_listings_erase(person: Any) -> int:
    closed = 0
    for listing in Listing.objects.filter(member=person, state=ListingState.OPEN).order_by("pk"):
        listing_close(actor=person, listing=listing)
        closed += 1
    now = timezone.now()
    mine = Listing.objects.filter(member=person)
    changed = mine.exclude(title=ERASED_TEXT).update(title=ERASED_TEXT, updated_at=now)
    changed += mine.exclude(description="").update(description=ERASED_TEXT, updated_at=now)
    return closed + changed


@personal_data_eraser("time_exchanges", order=67)
def time_exchanges_erase(person: Any) -> int:
    sides = Q(giver=person) | Q(receiver=person)
    ended = 0
    for exchange in Exchange.objects.filter(sides, state=ExchangeState.PROPOSED).order_by("pk"):
        end = exchange_withdraw if exchange.proposed_by_id == person.pk else exchange_decline
        end(actor=person, exchange=exchange)
        ended += 1
    noted = Exchange.objects.filter(sides).exclude(note="").exclude(note=ERASED_TEXT)
    return ended + noted.update(note=ERASED_TEXT, updated_at=timezone.now())
