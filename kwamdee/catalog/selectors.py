"""Reads of the catalog."""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet

from kwamdee.catalog.models import (
    Category,
    CommunityDeedTypeSetting,
    DeedType,
    Indicator,
    RuleVersion,
    Sdg,
    Virtue,
)


def virtue_list() -> list[Virtue]:
    return list(Virtue.objects.all())


def sdg_list() -> list[Sdg]:
    return list(Sdg.objects.all())


def category_list() -> list[Category]:
    return list(Category.objects.all())


def _with_relations(qs: QuerySet[DeedType]) -> QuerySet[DeedType]:
    return qs.select_related("category", "community").prefetch_related("virtue_weights__virtue", "sdgs")


def deed_types_for_community(community_id: int | None) -> QuerySet[DeedType]:
    """The active deed types of a community's catalog: the national ones it has not switched
    off, and its own local ones. Without a community, the national catalog."""
    visible = Q(community__isnull=True)
    if community_id:
        switched_off = CommunityDeedTypeSetting.objects.filter(
            community_id=community_id, is_enabled=False
        ).values("deed_type_id")
        visible = (visible & ~Q(pk__in=switched_off)) | Q(community_id=community_id)
    return _with_relations(DeedType.objects.filter(visible, is_active=True))


def deed_types_for_person(person) -> QuerySet[DeedType]:
    """The deed types a person may record: their own community's catalog."""
    return deed_types_for_community(getattr(person, "community_id", None))


MAX_SEARCH_WORDS = 5


def catalog_search(
    *, community_id: int | None = None, q: str = "", virtue: str = "", sdg: int | None = None,
    category: str = "",
) -> QuerySet[DeedType]:  # fmt: skip
    """Filters a catalog by virtue, SDG and category, and finds `q` inside Thai or English
    names and descriptions (Thai has no spaces between words, so this is a substring match)."""
    qs = deed_types_for_community(community_id)
    if virtue:
        qs = qs.filter(virtue_weights__virtue__code=virtue)
    if sdg:
        qs = qs.filter(sdgs__number=sdg)
    if category:
        qs = qs.filter(category__code=category)
    for word in q.split()[:MAX_SEARCH_WORDS]:
        # EXISTS, not a join: a join per word would multiply rows by the indicators each time.
        in_indicators = Indicator.objects.filter(
            Q(name_th__icontains=word) | Q(name_en__icontains=word), deed_type=OuterRef("pk")
        )
        qs = qs.filter(
            Q(name_th__icontains=word) | Q(name_en__icontains=word)
            | Q(description_th__icontains=word) | Q(description_en__icontains=word)
            | Q(code__icontains=word) | Exists(in_indicators)
        )  # fmt: skip
    return qs.distinct().order_by("category__sort_order", "code")


def national_rule_in_force(deed_type: DeedType, on_date: date) -> RuleVersion | None:
    return (
        RuleVersion.objects.filter(deed_type=deed_type, community__isnull=True, effective_from__lte=on_date)
        .order_by("-effective_from", "-version")
        .first()
    )


def rule_in_force(deed_type: DeedType, on_date: date, community_id: int | None = None):
    """The rule version that prices a deed of `deed_type` done on `on_date`: the community's
    own adjustment when it has one in force, else the national rule."""
    if community_id:
        local = (
            RuleVersion.objects.filter(
                deed_type=deed_type, community_id=community_id, effective_from__lte=on_date
            )
            .order_by("-effective_from", "-version")
            .first()
        )
        if local:
            return local
    return national_rule_in_force(deed_type, on_date)


def rule_history(deed_type: DeedType, community_id: int | None = None) -> list[RuleVersion]:
    scope = Q(community__isnull=True)
    if community_id:
        scope |= Q(community_id=community_id)
    return list(deed_type.rule_versions.filter(scope).order_by("-effective_from", "-version"))


@dataclass
class CommunityItem:
    deed_type: DeedType
    enabled: bool
    national_rule: RuleVersion | None
    community_rule: RuleVersion | None


def community_catalog_items(community, on_date: date) -> list[CommunityItem]:
    """Every national deed type with this community's switch and rules, for its admins."""
    off = set(
        CommunityDeedTypeSetting.objects.filter(community=community, is_enabled=False).values_list(
            "deed_type_id", flat=True
        )
    )
    items = []
    for deed_type in _with_relations(DeedType.objects.filter(community__isnull=True, is_active=True)):
        local = rule_in_force(deed_type, on_date, community.pk)
        national = national_rule_in_force(deed_type, on_date)
        items.append(
            CommunityItem(
                deed_type=deed_type,
                enabled=deed_type.pk not in off,
                national_rule=national,
                community_rule=local if local and local.community_id else None,
            )
        )
    return items


def sponsorships_paying_for(deed) -> QuerySet:
    """Sponsorships that pay a bonus for `deed` (budget permitting): those whose dates hold the
    day the deed was done, so a deed of the campaign counts even if verified after it ends."""
    from kwamdee.catalog.models import Sponsorship

    return (
        Sponsorship.objects.filter(
            Q(community__isnull=True) | Q(community_id=deed.community_id),
            deed_type_id=deed.deed_type_id,
            starts_on__lte=deed.performed_on,
            ends_on__gte=deed.performed_on,
            budget_account__balance__gte=models.F("bonus_points"),
        )
        .select_related("budget_account")
        .order_by("id")
    )


def small_count(n: int) -> str:
    """Counts under 10 are shown as "<10", so that no one in a small group can be singled out."""
    return "<10" if 0 < n < 10 else str(n)


WITHHELD = "—"


def budget_left_display(sponsorship, deeds_paid: int | None = None) -> str:
    """The budget left, withheld while 1–9 deeds have been paid (it would reveal their count)."""
    if deeds_paid is None:
        deeds_paid = sponsorship.payments.count()
    return WITHHELD if 0 < deeds_paid < 10 else str(sponsorship.budget_account.balance)


@dataclass
class SponsorshipReport:
    sponsorship: object
    verified_deeds: str
    people_reached: str
    hours: str
    points_paid: str
    budget_left: str
    sdgs: list[Sdg]


def sponsorship_report(sponsorship) -> SponsorshipReport:
    """Aggregates only: no names, no deeds, and counts under 10 as "<10"."""
    from django.db.models import Count, Sum

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


def sponsorships_of(person) -> QuerySet:
    from kwamdee.catalog.models import Sponsorship

    return Sponsorship.objects.filter(sponsor__members=person).select_related(
        "sponsor", "deed_type", "community", "budget_account"
    )


def sponsorships_paying_for_type(deed_type: DeedType, community_id: int | None, on_date: date) -> QuerySet:
    """Sponsorships open today for a deed type, as a deed type's page lists them."""
    from kwamdee.catalog.models import Sponsorship

    scope = Q(community__isnull=True)
    if community_id:
        scope |= Q(community_id=community_id)
    return Sponsorship.objects.filter(
        scope, deed_type=deed_type, starts_on__lte=on_date, ends_on__gte=on_date,
        budget_account__balance__gte=models.F("bonus_points"),
    ).select_related("sponsor")  # fmt: skip
