"""Figures from the system's own data, for computed items. Each carries its numbers (numerator,
denominator, what was counted, the year) so that a page can show how it was found.

Activities run and deeds verified are counted by the selectors of their own apps
(`activities_closed_of_organization`, `deeds_verified_by_organization`), the same ones the
organization's page and report use.

"The organization's people" are those linked to it now who consent to count in organizations'
figures (organizations.OrganizationLink, ConsentPurpose.ORGANIZATION_FIGURES), as the
organization's own figures count them; a deed counts when it was done this year on or after the
day of the link. Below the organizations' minimum of people the share is hidden (`hidden`), as
every organization figure is: the item is then scored by the assessor alone."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F

from kwamdee.activities.selectors import activities_closed_of_organization
from kwamdee.assessments.choices import Figure
from kwamdee.assessments.scoring import share_percent
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.selectors import deeds_verified_by_organization
from kwamdee.organizations.selectors import figures_min_people
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.selectors import consenting_filter


@dataclass(frozen=True)
class Computed:
    figure: str
    year: int
    numerator: int
    denominator: int | None  # None for a count
    value: Decimal | None  # a share in percent (not rounded), or the count; None when hidden
    hidden: bool = False

    @property
    def is_share(self) -> bool:
        return self.denominator is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "year": self.year,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if self.value is None else str(self.value.quantize(Decimal("0.01"))),
            "hidden": self.hidden,
        }


def figure_compute(figure: str, organization: Any, *, year: int) -> Computed:
    if figure == Figure.MEMBERS_WITH_VERIFIED_DEED:
        linked = organization.links.filter(unlinked_at__isnull=True).filter(
            consenting_filter(person_field="person", purpose=ConsentPurpose.ORGANIZATION_FIGURES)
        )
        people = linked.values("person_id").distinct().count()
        with_deed = (
            linked.filter(
                person__deeds__status=DeedStatus.VERIFIED,
                person__deeds__performed_on__year=year,
                person__deeds__performed_on__gte=F("linked_at__date"),
            )
            .values("person_id")
            .distinct()
            .count()
        )
        if people < figures_min_people():
            return Computed(figure, year, 0, 0, None, hidden=True)
        return Computed(figure, year, with_deed, people, share_percent(with_deed, people))
    if figure == Figure.ACTIVITIES_RUN:
        ran = activities_closed_of_organization(organization, year=year).count()
        return Computed(figure, year, ran, None, Decimal(ran))
    if figure == Figure.DEEDS_VERIFIED:
        deeds = deeds_verified_by_organization(organization, year=year).count()
        return Computed(figure, year, deeds, None, Decimal(deeds))
    raise ValueError(f"unknown figure {figure!r}")
