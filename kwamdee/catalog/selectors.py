"""Reads of the catalog."""

from datetime import date

from django.db.models import Q, QuerySet

from kwamdee.catalog.models import DeedType, RuleVersion, Sdg, Virtue


def virtue_list() -> list[Virtue]:
    return list(Virtue.objects.all())


def sdg_list() -> list[Sdg]:
    return list(Sdg.objects.all())


def deed_types_for_person(person) -> QuerySet[DeedType]:
    """The active deed types a person may record: the national catalog and their community's."""
    community_id = getattr(person, "community_id", None)
    visible = Q(community__isnull=True)
    if community_id:
        visible |= Q(community_id=community_id)
    return (
        DeedType.objects.filter(visible, is_active=True)
        .select_related("category")
        .prefetch_related("virtue_weights__virtue", "sdgs")
    )


def rule_in_force(deed_type: DeedType, on_date: date) -> RuleVersion | None:
    """The rule version that prices a deed of `deed_type` done on `on_date`."""
    return (
        RuleVersion.objects.filter(deed_type=deed_type, effective_from__lte=on_date)
        .order_by("-effective_from", "-version")
        .first()
    )
