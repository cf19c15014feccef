"""Reports of the time bank, for national staff and community committees: aggregates only, counts
under 10 shown as "<10" (rewards.selectors.small_count), and minutes hidden as "<10" when fewer
than 10 exchanges make them up, as the rewards report does."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from kwamdee.areas.selectors import communities_administered_by, province_options
from kwamdee.common.errors import PermissionDenied
from kwamdee.rewards.selectors import small_count
from kwamdee.timebank.choices import ExchangeState
from kwamdee.timebank.ledger import pool_balance
from kwamdee.timebank.models import Exchange, ServiceCategory

ACTIVE_DAYS = 365  # a member is active who gave or received time within a year


@dataclass(frozen=True)
class CategoryRow:
    category: str  # its name, in the active language
    exchanges: str  # confirmed exchanges, "<10" under 10
    hours: str  # hours exchanged (one decimal), "<10" when fewer than 10 exchanges make them up


@dataclass(frozen=True)
class AreaReport:
    key: str  # a province code, or a community's public id
    label: str
    exchanges: str
    hours: str
    active_members: str  # who gave or received time within ACTIVE_DAYS, "<10" under 10
    pool_hours: str  # the community's pool (its own number, shown as it is); "" by province
    by_category: list[CategoryRow]


def timebank_reports_visible_to(actor: Any) -> str:
    """ "national" (by province), "community" (the committee's own communities), or ""."""
    if actor.has_perm("timebank.view_national_timebank_reports"):
        return "national"
    if actor.has_perm("timebank.manage_timebank") and communities_administered_by(actor):
        return "community"
    return ""


def _hours(minutes: int | None, count: int) -> str:
    if 0 < count < 10:
        return "<10"
    return f"{(minutes or 0) / 60:.1f}"


def timebank_report(actor: Any) -> list[AreaReport]:
    """Hours exchanged (confirmed) by category and area, active members, and each community's
    pool: by province for national staff, by community for a committee (its own only)."""
    scope = timebank_reports_visible_to(actor)
    if not scope:
        raise PermissionDenied()
    confirmed = Exchange.objects.filter(state=ExchangeState.CONFIRMED)
    since = timezone.now() - timedelta(days=ACTIVE_DAYS)
    if scope == "national":
        area_field = "community__province_code"
        names = {o.code: o.name for o in province_options()}
        keys = sorted(set(confirmed.values_list(area_field, flat=True)))
        labels = {k: names.get(k, k) for k in keys}
        communities: dict[Any, Any] = {}
    else:
        area_field = "community_id"
        communities = {c.pk: c for c in communities_administered_by(actor)}
        confirmed = confirmed.filter(community_id__in=list(communities))
        keys = list(communities)
        labels = {pk: c.name for pk, c in communities.items()}
    totals = {
        row[area_field]: row
        for row in confirmed.values(area_field).annotate(n=Count("id"), minutes=Sum("minutes"))
    }
    per_category: dict[Any, list[dict[str, Any]]] = {}
    for row in confirmed.values(area_field, "category_id").annotate(n=Count("id"), minutes=Sum("minutes")):
        per_category.setdefault(row[area_field], []).append(row)
    # Each (area, member) once: the database's UNION drops the repeats, one row per active member.
    recent = confirmed.filter(confirmed_at__gte=since).order_by()
    sides = recent.values_list(area_field, "giver_id").union(recent.values_list(area_field, "receiver_id"))
    active = Counter(area for area, _member in sides)
    categories = {c.pk: c for c in ServiceCategory.objects.all()}
    result = []
    for key in keys:
        total = totals.get(key, {})
        n = total.get("n", 0)
        rows = sorted(per_category.get(key, []), key=lambda r: categories[r["category_id"]].sort_order)
        result.append(
            AreaReport(
                key=str(communities[key].public_id) if communities else str(key),
                label=str(labels.get(key) or key),
                exchanges=small_count(n),
                hours=_hours(total.get("minutes"), n),
                active_members=small_count(active[key]),
                pool_hours=f"{pool_balance(communities[key]) / 60:.1f}" if communities else "",
                by_category=[
                    CategoryRow(
                        categories[r["category_id"]].name, small_count(r["n"]), _hours(r["minutes"], r["n"])
                    )
                    for r in rows
                ],
            )
        )
    return result
