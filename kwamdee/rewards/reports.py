"""Reports of privileges by area, for national staff and community committees: aggregates only,
counts under 10 shown as "<10" (the privileges offered are public: they are shown as they are)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from kwamdee.areas.selectors import community_ids_administered_by
from kwamdee.common.errors import PermissionDenied
from kwamdee.rewards.choices import PartnerState, PrivilegeState, RedemptionState
from kwamdee.rewards.models import Privilege, Redemption
from kwamdee.rewards.selectors import small_count


@dataclass(frozen=True)
class AreaRow:
    key: str  # a province code, or a community's public id
    label: str
    privileges_offered: int
    redeemed: str  # confirmed redemptions, "<10" under 10
    people: str  # distinct people who received something, "<10" under 10
    points: str  # points spent (hidden as "<10" when fewer than 10 redemptions make it up)


def reports_visible_to(actor: Any) -> str:
    """ "national" (every province), "community" (the committee's communities), or "" (nothing)."""
    if actor.has_perm("rewards.approve_partners"):
        return "national"
    if actor.has_perm("rewards.view_reward_reports") and community_ids_administered_by(actor):
        return "community"
    return ""


def reward_report(actor: Any) -> list[AreaRow]:
    """Privileges offered and redeemed, and their value in points: by province for national
    staff, by community for a committee (its own communities only)."""
    from kwamdee.areas.selectors import province_options

    scope = reports_visible_to(actor)
    if not scope:
        raise PermissionDenied()
    confirmed = Q(state=RedemptionState.CONFIRMED)
    if scope == "national":
        names = {o.code: o.name for o in province_options()}
        offered = dict(
            Privilege.objects.filter(state=PrivilegeState.ACTIVE, partner__state=PartnerState.APPROVED)
            .values_list("partner__province_code")
            .annotate(n=Count("id"))
        )
        rows = (
            Redemption.objects.filter(confirmed)
            .values("province_code")
            .annotate(n=Count("id"), people=Count("person", distinct=True), points=Sum("points"))
        )
        found = {r["province_code"]: r for r in rows}
        keys = sorted(set(offered) | set(found))
        label = names.get
    else:
        ids = community_ids_administered_by(actor)
        from kwamdee.areas.selectors import communities_administered_by

        communities = {c.pk: c for c in communities_administered_by(actor)}
        offered = dict(
            Privilege.objects.filter(
                state=PrivilegeState.ACTIVE,
                partner__state=PartnerState.APPROVED,
                partner__community_id__in=ids,
            )
            .values_list("partner__community_id")
            .annotate(n=Count("id"))
        )
        rows = (
            Redemption.objects.filter(confirmed, community_id__in=ids)
            .values("community_id")
            .annotate(n=Count("id"), people=Count("person", distinct=True), points=Sum("points"))
        )
        found = {r["community_id"]: r for r in rows}
        keys = sorted(communities, key=lambda pk: communities[pk].name_th)

        def label(pk: Any, default: Any = None) -> str:
            return communities[pk].name

    result = []
    for key in keys:
        row = found.get(key, {})
        n = row.get("n", 0)
        result.append(
            AreaRow(
                key=str(key),
                label=label(key, key) or str(key),
                privileges_offered=offered.get(key, 0),
                redeemed=small_count(n),
                people=small_count(row.get("people", 0)),
                points="<10" if 0 < n < 10 else str(row.get("points") or 0),
            )
        )
    return result
