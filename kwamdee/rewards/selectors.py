"""Reads about rewards: which sponsorships pay for a deed, and what sponsors may see."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from kwamdee.common.actors import is_system
from kwamdee.rewards.models import Sponsor, Sponsorship


def sponsor_pledgeable_by(actor: Any, sponsor: Sponsor) -> bool:
    """The one rule for "may pledge for this sponsor": one of its members holding the sponsor
    role's permission (or the system)."""
    if is_system(actor):
        return True
    return bool(
        getattr(actor, "pk", None)
        and actor.has_perm("rewards.pledge_sponsorship")
        and sponsor.members.filter(pk=actor.pk).exists()
    )


def sponsors_all() -> QuerySet[Sponsor]:
    return Sponsor.objects.select_related("organization").prefetch_related("members").order_by("name_th")


def sponsors_of(person: Any) -> QuerySet[Sponsor]:
    return Sponsor.objects.filter(members=person)


def sponsor_get(public_id: Any) -> Sponsor | None:
    try:
        return Sponsor.objects.filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        return None


def sponsor_find(*, name_th: str) -> Sponsor | None:
    return Sponsor.objects.filter(name_th=name_th).first()


def sponsorships_paying_for_deeds(deeds: list[Any]) -> QuerySet[Sponsorship]:
    """Every sponsorship that may pay a bonus for any of `deeds` (one query for a batch); each
    deed's own are picked with `sponsorship_pays_for`."""
    communities = {d.community_id for d in deeds if d.community_id}
    return (
        Sponsorship.objects.filter(
            Q(community__isnull=True) | Q(community_id__in=communities),
            deed_type_id__in={d.deed_type_id for d in deeds},
            starts_on__lte=max(d.performed_on for d in deeds),
            ends_on__gte=min(d.performed_on for d in deeds),
            budget_account__balance__gte=models.F("bonus_points"),
        )
        .select_related("budget_account")
        .order_by("id")
    )


def sponsorship_pays_for(sponsorship: Sponsorship, deed: Any) -> bool:
    """Whether `sponsorship` pays for `deed`: its deed type, its community (or none), and its dates
    holding the day the deed was done, so a deed of the campaign counts even if verified after it
    ends. (The budget is checked under its lock, by the payer.)"""
    return (
        sponsorship.deed_type_id == deed.deed_type_id
        and sponsorship.community_id in (None, deed.community_id)
        and sponsorship.starts_on <= deed.performed_on <= sponsorship.ends_on
    )


def sponsorships_paying_for_type(
    deed_type: Any, community_id: int | None, on_date: date
) -> QuerySet[Sponsorship]:
    """Sponsorships open today for a deed type, as a deed type's public page lists them. A bonus
    is shown only when the funding recorded covers at least settings.KWAMDEE_BONUS_SHOWN_MIN_BONUSES
    bonuses (10, the small-count rule of sponsor reports), and while the budget left covers one:
    so it can disappear only after at least that many deeds were paid, and whether it shows
    never tells its sponsor that one deed (or a few) was verified. The budget left itself is
    never shown in public."""
    scope = Q(community__isnull=True)
    if community_id:
        scope |= Q(community_id=community_id)
    shown_from = max(1, int(settings.KWAMDEE_BONUS_SHOWN_MIN_BONUSES))
    return (
        Sponsorship.objects.filter(
            scope, deed_type=deed_type, starts_on__lte=on_date, ends_on__gte=on_date,
            budget_account__balance__gte=models.F("bonus_points"),
        )
        .annotate(funded=Coalesce(Sum("fundings__points"), 0))
        .filter(funded__gte=models.F("bonus_points") * shown_from)
        .select_related("sponsor")
    )  # fmt: skip


def sponsorship_funded_points(sponsorship: Sponsorship) -> int:
    """The points national staff recorded as received for a pledge (its spendable budget)."""
    return int(sponsorship.fundings.aggregate(total=Sum("points"))["total"] or 0)


def sponsorships_awaiting_funding() -> list[Sponsorship]:
    """Pledges whose funding is not all recorded yet, for the staff who record it."""
    pledges = (
        Sponsorship.objects.annotate(funded=Coalesce(Sum("fundings__points"), 0))
        .filter(funded__lt=models.F("budget_points"))
        .select_related("sponsor", "deed_type")
        .order_by("created_at", "id")
    )
    return list(pledges)


def sponsorships_pledged() -> QuerySet[Sponsorship]:
    return Sponsorship.objects.select_related("sponsor", "deed_type").order_by("-created_at", "-id")


def sponsorship_get(public_id: Any) -> Sponsorship | None:
    try:
        return Sponsorship.objects.filter(public_id=public_id).select_related("sponsor", "deed_type").first()
    except (ValueError, ValidationError):
        return None


def sponsorships_of(person: Any) -> QuerySet[Sponsorship]:
    if not getattr(person, "pk", None):
        return Sponsorship.objects.none()
    return Sponsorship.objects.filter(sponsor__members=person).select_related(
        "sponsor", "deed_type", "community", "budget_account"
    )


def small_count(n: int) -> str:
    """Counts under 10 are shown as "<10", so that no one in a small group can be singled out."""
    return "<10" if 0 < n < 10 else str(n)


WITHHELD = "—"


def budget_left_display(sponsorship: Sponsorship, deeds_paid: int | None = None) -> str:
    """The budget left, withheld while 1–9 deeds have been paid (it would reveal their count)."""
    if deeds_paid is None:
        deeds_paid = sponsorship.payments.count()
    return WITHHELD if 0 < deeds_paid < 10 else str(sponsorship.budget_account.balance)


@dataclass
class SponsorshipReport:
    sponsorship: Sponsorship
    verified_deeds: str
    people_reached: str
    hours: str
    points_paid: str
    budget_left: str
    sdgs: list[Any]


def sponsorship_report(sponsorship: Sponsorship) -> SponsorshipReport:
    """Aggregates only: no names, no deeds, and counts under 10 as "<10"."""
    payments = sponsorship.payments.all()
    totals = payments.aggregate(
        deeds=Count("id"), people=Count("deed__person", distinct=True), points=Sum("points"),
        hours=Sum("deed__quantity"),
    )  # fmt: skip
    people, deeds = totals["people"] or 0, totals["deeds"] or 0
    hours = ""  # not an hourly deed type
    if sponsorship.deed_type.pricing == "per_hour":
        # The hours of fewer than 10 people are hidden like the counts.
        hours = "<10" if 0 < people < 10 else f"{totals['hours'] or 0:g}"
    sponsorship.budget_account.refresh_from_db()
    return SponsorshipReport(
        sponsorship=sponsorship,
        verified_deeds=small_count(totals["deeds"] or 0),
        people_reached=small_count(people),
        hours=hours,
        # Points paid (and so the budget left) would give the deed count away: withheld alike.
        points_paid=WITHHELD if 0 < deeds < 10 else str(totals["points"] or 0),
        budget_left=budget_left_display(sponsorship, deeds),
        sdgs=list(sponsorship.deed_type.sdgs.all()),
    )


def sponsorships_of_organization(organization: Any, *, year: int) -> QuerySet[Sponsorship]:
    """The sponsorships of the sponsors that are `organization` (CSR), running at some time in
    `year`."""
    return Sponsorship.objects.filter(
        sponsor__organization=organization, starts_on__year__lte=year, ends_on__year__gte=year
    ).select_related("sponsor", "deed_type", "budget_account")
