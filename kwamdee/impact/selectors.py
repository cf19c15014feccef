"""An organization's page and its CSR/impact report: a read model above every app that counts
something for an organization (activities, deeds, sponsorships, the assessment).

Every figure is an aggregate, and each names the rule that found it (`FIGURE_RULES`, shown on the
"how it was computed" page): counts of people under the organizations' minimum are hidden, as in
`organizations.selectors.member_figures`, and sponsorship figures follow the sponsors' own "<10"
rule (`rewards.selectors.sponsorship_report`). Nothing here names a person."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.activities.selectors import (
    activities_closed_of_organization,
    attendances_credited_of_organization,
)
from kwamdee.assessments.selectors import certificate_current, certificates_current_of
from kwamdee.catalog.selectors import sdg_list, virtue_list
from kwamdee.deeds.selectors import (
    deeds_verified_by_organization,
    deeds_verified_done_in,
    deeds_verified_of_attendances,
)
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.selectors import sums_by_subaccount
from kwamdee.organizations.choices import OrganizationState
from kwamdee.organizations.selectors import (
    MemberFigures,
    figures_min_people,
    linked_people_count,
    member_figures,
    organization_get,
    organizations_directory,
)
from kwamdee.people.accounts import PERSON_CREDIT
from kwamdee.rewards.selectors import SponsorshipReport, sponsorship_report, sponsorships_of_organization

if TYPE_CHECKING:
    from kwamdee.assessments.models import Certificate
    from kwamdee.organizations.models import Organization

# How each figure is found, in plain words: the page links every figure to its rule here.
FIGURE_RULES: dict[str, Any] = {
    "activities": _(
        "Activities this organization ran that were closed (and so credited) in the year, counted "
        "by the day each activity ended."
    ),
    "participants": _(
        "Different people whose attendance at those activities was credited when the activity "
        "closed. Fewer than %(min)s people are not shown, so that nobody can be singled out."
    ),
    "hours": _(
        "The hours credited for those attendances (from check-in and check-out, or the "
        "organizer's attendance file, capped by the activity's length), added together."
    ),
    "deeds_verified": _(
        "Deeds verified in the year (by the day of the decision) by the people who are this "
        "organization's verifiers or admins now."
    ),
    "credit_by_virtue": _(
        "The credit the deeds of those activities put into the participants' passbooks, by "
        "virtue, read from the ledger's entries (a reversed deed takes its credit back)."
    ),
    "credit_by_sdg": _(
        "The credit of the same deeds, under each SDG its deed type serves: a deed type that "
        "serves two SDGs counts under both, so these rows do not add up to the total."
    ),
    "sponsorships": _(
        "Sponsorships this organization pledged as a sponsor (CSR): verified deeds its bonus paid "
        "for, people reached and points paid. Counts under 10 are shown as “<10”."
    ),
    "members": _(
        "People who linked themselves to this organization and agree that their deeds count in "
        "its figures: how many did a verified deed in the year, how many deeds and how much "
        "credit, from the day they linked to the day they unlinked. Totals only, never one "
        "person's; fewer than %(min)s people are not shown."
    ),
    "level": _(
        "The level of the organization's valid certificate, given by an independent assessor "
        "who scored its self-assessment against the moral-organization template."
    ),
}


def figure_rule(name: str) -> str:
    return str(FIGURE_RULES[name]) % {"min": figures_min_people()}


@dataclass(frozen=True)
class CreditRow:
    code: str
    name: str
    credit: int


@dataclass
class OrganizationProfile:
    organization: "Organization"
    year: int
    certificate: "Certificate | None"
    activities_run: int
    recent_activities: list[Any]
    participants: int | None  # None: fewer than the minimum of people
    attendances: int | None
    hours: Decimal | None
    deeds_verified: int
    credit_total: int | None
    credit_by_virtue: list[CreditRow]
    credit_by_sdg: list[CreditRow]
    sponsorships: list[SponsorshipReport]
    members: MemberFigures
    linked_people: int | None
    min_people: int
    rules: dict[str, str] = field(default_factory=dict)


def organization_public(public_id: Any) -> "Organization | None":
    """An approved organization, for its page (listed or not: the address is the organization's
    to share; the directory lists only those that chose to be listed)."""
    organization = organization_get(public_id)
    if organization is None or organization.state != OrganizationState.APPROVED:
        return None
    return organization


def years_offered(today: date | None = None) -> list[int]:
    """The years a page or a report may be asked for: this one and the four before it."""
    this_year = (today or timezone.localdate()).year
    return list(range(this_year, this_year - 5, -1))


def organization_profile(organization: "Organization", *, year: int) -> OrganizationProfile:
    """Every figure of the organization's page and report for `year`."""
    minimum = figures_min_people()
    activities = activities_closed_of_organization(organization, year=year)
    attended = attendances_credited_of_organization(organization, year=year).aggregate(
        people=Count("person", distinct=True), rows=Count("pk"), hours=Sum("hours")
    )
    shown = (attended["people"] or 0) >= minimum
    credit_by_virtue: list[CreditRow] = []
    credit_by_sdg: list[CreditRow] = []
    credit_total = None
    if shown:
        deeds = deeds_verified_of_attendances(attendances_credited_of_organization(organization, year=year))
        sums = sums_by_subaccount(
            transaction_ids=deeds.values("ledger_transaction_id"), kinds=[PERSON_CREDIT], unit=Unit.CREDIT
        )
        credit_total = sum(sums.values())
        credit_by_virtue = [
            CreditRow(v.code, v.name, sums[v.code]) for v in virtue_list() if sums.get(v.code)
        ]
        by_sdg = dict(
            deeds.filter(deed_type__sdgs__isnull=False)
            .values_list("deed_type__sdgs__number")
            .annotate(total=Sum("credit_awarded"))
        )
        credit_by_sdg = [
            CreditRow(str(s.number), s.name, int(by_sdg[s.number]))
            for s in sdg_list()
            if by_sdg.get(s.number)
        ]
    return OrganizationProfile(
        organization=organization,
        year=year,
        certificate=certificate_current(organization),
        activities_run=activities.count(),
        recent_activities=list(activities.order_by("-ends_at")[:10]),
        participants=attended["people"] if shown else None,
        attendances=attended["rows"] if shown else None,
        hours=(attended["hours"] or Decimal(0)) if shown else None,
        deeds_verified=deeds_verified_by_organization(organization, year=year).count(),
        credit_total=credit_total,
        credit_by_virtue=credit_by_virtue,
        credit_by_sdg=credit_by_sdg,
        sponsorships=[sponsorship_report(s) for s in sponsorships_of_organization(organization, year=year)],
        members=member_figures(
            organization, deeds_verified_done_in(year), date_field="performed_on", sum_field="credit_awarded"
        ),
        linked_people=linked_people_count(organization),
        min_people=minimum,
        rules={name: figure_rule(name) for name in FIGURE_RULES},
    )


@dataclass(frozen=True)
class DirectoryRow:
    organization: "Organization"
    certificate: "Certificate | None"


def directory_organizations(*, type_code: str = "", province_code: str = "", query: str = "") -> Any:
    """The public directory's organizations (a queryset, by name), narrowed by type, province
    and a part of the name; a page of them gets its levels from `directory_rows`."""
    rows = organizations_directory(type_code=type_code, province_code=province_code)
    words = query.strip()[:100]
    if words:
        rows = rows.filter(Q(name_th__icontains=words) | Q(name_en__icontains=words))
    return rows


def directory_rows(organizations: Any) -> list[DirectoryRow]:
    """Each organization of a page of the directory with its valid certificate (one query)."""
    organizations = list(organizations)
    certificates = certificates_current_of(organizations)
    return [DirectoryRow(o, certificates.get(o.id)) for o in organizations]
