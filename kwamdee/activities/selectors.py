"""Reads of activities, and the one rule of who may run one."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kwamdee.activities.choices import ActivityStatus, AttendanceOutcome
from kwamdee.activities.models import Activity, Attendance
from kwamdee.areas.selectors import (
    communities_administered_by,
    community_administered_by,
    district_options,
    subdistrict_options,
)
from kwamdee.common.actors import is_system
from kwamdee.organizations.selectors import organizations_organized_by


def check_in_grace() -> timedelta:
    """How long before the start and after the end check-in and check-out stay open."""
    return timedelta(minutes=int(getattr(settings, "ACTIVITY_CHECK_IN_GRACE_MINUTES", 15)))


def activity_managed_by(actor: Any, activity: Activity) -> bool:
    """The one rule for "may run this activity" (see its QR code, its participants, close it):
    a verifier, admin or activity organizer of its organization, or an admin of its community
    (its committee)."""
    if is_system(actor):
        return True
    if not getattr(actor, "pk", None):
        return False
    if activity.organization_id and any(
        o.pk == activity.organization_id for o in organizations_organized_by(actor)
    ):
        return True
    return activity.community is not None and community_administered_by(actor, activity.community)


@dataclass(frozen=True)
class OrganizerOption:
    value: str  # "organization:<public id>" or "community:<public id>"
    label: str
    organization: Any = None
    community: Any = None

    def subdistricts(self) -> list[str]:
        """The places it may hold an activity: its area (an organization) or its district (a community)."""
        scope = self.organization.scope_area_code if self.organization else self.community.district_code
        return area_subdistricts(scope)


def area_subdistricts(prefix: str) -> list[str]:
    if len(prefix) == 6:
        return [prefix]
    districts = [prefix] if len(prefix) == 4 else [d.code for d in district_options(prefix)]
    return [s.code for d in districts for s in subdistrict_options(d)]


def organizer_options(actor: Any) -> list[OrganizerOption]:
    """On whose behalf `actor` may create an activity: the organizations they organize for and the
    communities they administer (the same people `activity_managed_by` lets run it)."""
    options = [
        OrganizerOption(f"organization:{o.public_id}", o.name_th, organization=o)
        for o in organizations_organized_by(actor)
    ]
    if getattr(actor, "pk", None) and actor.has_perm("catalog.adapt_catalog"):
        options += [
            OrganizerOption(f"community:{c.public_id}", c.name_th, community=c)
            for c in communities_administered_by(actor)
        ]
    return options


def _with_relations(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.select_related("deed_type", "organization", "community").annotate(
        attendance_count=Count("attendances")
    )


def activities_managed_by(actor: Any) -> QuerySet[Activity]:
    if not getattr(actor, "pk", None):
        return Activity.objects.none()
    organizations = [o.pk for o in organizations_organized_by(actor)]
    communities = (
        [c.pk for c in communities_administered_by(actor)] if actor.has_perm("catalog.adapt_catalog") else []
    )
    return _with_relations(
        Activity.objects.filter(Q(organization_id__in=organizations) | Q(community_id__in=communities))
    )


def activities_open(*, now: datetime | None = None, limit: int = 50) -> list[Activity]:
    """Open activities that have not ended: what anyone signed in may join."""
    now = now or timezone.now()
    qs = Activity.objects.filter(status=ActivityStatus.OPEN, ends_at__gt=now - check_in_grace())
    return list(_with_relations(qs).order_by("starts_at", "id")[:limit])


def activity_get(public_id: Any) -> Activity | None:
    try:
        return _with_relations(Activity.objects.filter(public_id=public_id)).first()
    except (ValueError, ValidationError):
        return None


def attendances_of_activity(activity: Activity) -> list[Attendance]:
    return list(activity.attendances.select_related("person", "deed").order_by("created_at", "id"))


def attendance_of(activity: Activity, person: Any) -> Attendance | None:
    if not getattr(person, "pk", None):
        return None
    return activity.attendances.filter(person=person).first()


def attendances_of_person(*, person: Any) -> QuerySet[Attendance]:
    return Attendance.objects.filter(person=person).select_related("activity", "activity__deed_type", "deed")


def activities_closed_of_organization(organization: Any, *, year: int) -> QuerySet[Activity]:
    """The organization's activities closed (and so credited) that ended in `year`: the one rule
    for "activities run", on its page, in its report and in its assessment's computed item."""
    return Activity.objects.filter(
        organization=organization, status=ActivityStatus.CLOSED, ends_at__year=year
    )


def attendances_credited_of_organization(organization: Any, *, year: int) -> QuerySet[Attendance]:
    """The credited attendances of those activities: who took part, for how many hours, and the
    deed each one made."""
    return Attendance.objects.filter(
        activity__in=activities_closed_of_organization(organization, year=year),
        outcome=AttendanceOutcome.CREDITED,
    )
