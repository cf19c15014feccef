"""What the time bank holds about a person (common/personal_data.py): the offers and requests
they listed, the exchanges of time they gave or received (and those whose pool payment they
decided as a committee member), and the minutes they gave to their community's pool. Their
balance is in the ledger (the passbook section), under a number that does not name them."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kwamdee.common.personal_data import Section, personal_data_section
from kwamdee.timebank.models import Exchange, Listing, PoolDonation


@personal_data_section("time_listings", order=69)
def time_listings_section(person: Any) -> Section:
    listings = Listing.objects.filter(member=person).select_related("category", "community")
    rows = [
        {
            "kind": listing.get_kind_display(),
            "category": listing.category.name,
            "title": listing.title,
            "description": listing.description,
            "community": listing.community.name,
            "state": listing.get_state_display(),
            "posted_at": listing.created_at,
            "closed_at": listing.closed_at,
        }
        for listing in listings.order_by("created_at", "id")
    ]
    return Section("time_listings", _("Your time bank offers and requests"), rows)


@personal_data_section("time_exchanges", order=70)
def time_exchanges_section(person: Any) -> Section:
    """Every exchange the person is a side of, and those whose payment by the pool they decided."""
    exchanges = (
        Exchange.objects.filter(Q(giver=person) | Q(receiver=person) | Q(pool_covered_by=person))
        .select_related("category", "giver", "receiver", "listing")
        .order_by("created_at", "id")
    )
    roles = {"giver": _("you gave the time"), "receiver": _("you received the time")}
    rows = []
    for exchange in exchanges:
        side = (
            "giver"
            if exchange.giver_id == person.pk
            else "receiver"
            if exchange.receiver_id == person.pk
            else ""
        )
        other = exchange.receiver if side == "giver" else exchange.giver if side == "receiver" else None
        rows.append(
            {
                "role": str(roles[side]) if side else str(_("your committee had the pool pay it")),
                # The other side's name: who the person exchanged time with (as on their page).
                "with": other.full_name if other is not None else "",
                "category": exchange.category.name,
                "minutes": exchange.minutes,
                "given_on": exchange.performed_on,
                # What the side who proposed it wrote: both sides read it.
                "note": exchange.note if side else "",
                "state": exchange.get_state_display(),
                "proposed_by_you": exchange.proposed_by_id == person.pk,
                "proposed_at": exchange.created_at,
                "decided_at": exchange.decided_at,
                "confirmed_at": exchange.confirmed_at,
                "paid_by_pool": exchange.paid_by_pool,
                "pool_cover_decided_by_you": exchange.pool_covered_by_id == person.pk,
                "listing": exchange.listing.title if exchange.listing is not None and side else "",
            }
        )
    note = _("The minutes themselves are in the ledger, under a number that does not name you.")
    return Section("time_exchanges", _("Time you gave and received"), rows, note)


@personal_data_section("time_donations", order=71)
def time_donations_section(person: Any) -> Section:
    donations = PoolDonation.objects.filter(member=person).select_related("community")
    rows = [
        {"community": donation.community.name, "minutes": donation.minutes, "donated_at": donation.created_at}
        for donation in donations.order_by("created_at", "id")
    ]
    return Section("time_donations", _("Time you gave to your community's pool"), rows)
