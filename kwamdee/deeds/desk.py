"""The verifier's desk: what the queue shows beside each deed, and its filters. Reads only, for a
whole page of the queue at once in a fixed number of queries, however many deeds it holds:

- the credit and points the deed will earn under the rule in force, read the way verifying reads
  it (the deed type's rules stamp, `catalog.selectors.rule_versions_stamped_many`, `rule_pick`,
  `pricing.amount_for`), so that what the desk shows is what verifying credits;
- the deed's photos and documents (`evidence.selectors.evidence_of_deeds`);
- the person's deeds of the same type in the day, week, month and year of the deed, counted as
  the limits count them when a deed is recorded (`services._limits_check`: every deed but the
  rejected and reversed ones), against the rule's limits: "3 of 4 in the same month";
- whether the person's account is new (made less than `flags.NEW_ACCOUNT_DAYS` days ago, the
  age the fairness flags call new), and whether they proved their phone or e-mail;
- the deed's open flags (`flags.deed_flags_open`), which the template shows through
  `deeds/_deed_flags.html`.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kwamdee.areas.selectors import area_label, subdistrict_exists
from kwamdee.catalog.selectors import rule_pick, rule_versions_stamped_many, rules_stamp_of
from kwamdee.common.errors import ValidationFailed
from kwamdee.common.i18n import pick
from kwamdee.deeds.choices import DeedStatus, FlagState, WitnessAnswer
from kwamdee.deeds.flags import NEW_ACCOUNT_DAYS, deed_flags_open
from kwamdee.deeds.limits import limit_windows
from kwamdee.deeds.models import Deed, DeedFlag
from kwamdee.deeds.pricing import amount_for
from kwamdee.deeds.selectors import verification_queue
from kwamdee.deeds.witnessing import witnesses_by_deed
from kwamdee.evidence.selectors import evidence_of_deeds

if TYPE_CHECKING:
    from kwamdee.catalog.models import RuleVersion
    from kwamdee.evidence.models import EvidenceFile

# The deeds a limit does not count (as services._limits_check): those that earned nothing.
NOT_COUNTED = (DeedStatus.REJECTED, DeedStatus.REVERSED)


# --- filters -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskFilters:
    """What the verifier narrowed the queue to; empty values filter nothing."""

    deed_type: str = ""  # a deed type's code
    area: str = ""  # a subdistrict code (6 digits)
    performed_from: date | None = None
    performed_to: date | None = None
    flagged: bool = False  # only deeds with an open flag (deeds/flags.py)

    def __bool__(self) -> bool:
        return bool(self.deed_type or self.area or self.performed_from or self.performed_to or self.flagged)


def desk_filters_check(filters: DeskFilters) -> None:
    """Refuses an area that is no subdistrict and dates the wrong way round (the API's 400; the
    web form says the same on its fields and leaves those filters out)."""
    errors: dict[str, list[Any]] = {}
    if filters.area and not subdistrict_exists(filters.area):
        errors["area"] = [_("Choose a real province, district or subdistrict.")]
    if filters.performed_from and filters.performed_to and filters.performed_from > filters.performed_to:
        errors["performed_to"] = [_("The last day is before the first day.")]
    if errors:
        raise ValidationFailed(fields=errors)


def desk_queue(*, verifier: Any, filters: DeskFilters | None = None) -> QuerySet[Deed]:
    """The verifier's queue (`verification_queue`: the same scope and order), narrowed by
    `filters`, with the stamp of each deed type's rules for pricing (`desk_details`)."""
    deeds = verification_queue(verifier=verifier)
    f = filters or DeskFilters()
    if f.deed_type:
        deeds = deeds.filter(deed_type__code=f.deed_type)
    if f.area:
        deeds = deeds.filter(subdistrict_code=f.area)
    if f.performed_from:
        deeds = deeds.filter(performed_on__gte=f.performed_from)
    if f.performed_to:
        deeds = deeds.filter(performed_on__lte=f.performed_to)
    if f.flagged:
        # flags__state="open", as a subquery: a deed with two open flags is listed once.
        deeds = deeds.filter(Exists(DeedFlag.objects.filter(deed=OuterRef("pk"), state=FlagState.OPEN)))
    return deeds.select_related("recorded_by").annotate(rules_stamp=rules_stamp_of("deed_type"))


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def desk_filter_options(*, verifier: Any) -> tuple[list[Option], list[Option]]:
    """The deed types and the subdistricts that have deeds waiting for this verifier (two
    queries): what the filters offer, so that no choice leads to an empty queue."""
    queue = verification_queue(verifier=verifier).order_by()
    types = queue.values_list("deed_type__code", "deed_type__name_th", "deed_type__name_en").distinct()
    type_options = sorted((Option(code, pick(th, en)) for code, th, en in types), key=lambda o: o.label)
    areas = queue.values_list("subdistrict_code", flat=True).distinct()
    area_options = sorted((Option(code, area_label(code) or code) for code in areas), key=lambda o: o.label)
    return type_options, area_options


# --- what the desk shows beside each deed ---------------------------------------------------------


@dataclass(frozen=True)
class HistoryLine:
    """The person's deeds of this type in one window around the deed's date (the deed itself
    included, rejected and reversed ones not), and the rule's limit for that window if it has one."""

    window: str  # "day", "week", "month" or "year"
    count: int
    verified: int
    limit: int | None

    @property
    def over(self) -> bool:
        return self.limit is not None and self.count > self.limit

    @property
    def at_limit(self) -> bool:
        """Reached (a limit of 1 is not marked: every such deed reaches it)."""
        return self.limit is not None and self.limit > 1 and self.count >= self.limit

    @property
    def label(self) -> str:
        """ "3 of 4 in the same month (2 verified)", or "5 in the same year" without a limit."""
        values = {"n": self.count, "limit": self.limit, "verified": self.verified}
        if self.limit is not None:
            text = {
                "day": _("%(n)s of %(limit)s on the same day"),
                "week": _("%(n)s of %(limit)s in the same week"),
                "month": _("%(n)s of %(limit)s in the same month"),
                "year": _("%(n)s of %(limit)s in the same year"),
            }[self.window]
        else:
            text = {
                "day": _("%(n)s on the same day"),
                "week": _("%(n)s in the same week"),
                "month": _("%(n)s in the same month"),
                "year": _("%(n)s in the same year"),
            }[self.window]
        text = text % values
        if self.verified:
            text += " " + _("(%(verified)s verified)") % values
        return text


@dataclass
class DeskDetails:
    """Everything the desk shows beside one deed."""

    rule: "RuleVersion | None"  # None: no rule in force on the deed's date (verifying refuses)
    credit: int | None
    points: int | None
    area: str = ""  # "subdistrict, district, province" in the active language
    evidence: list["EvidenceFile"] = field(default_factory=list)
    history: list[HistoryLine] = field(default_factory=list)
    new_account: bool = False
    joined_on: date | None = None
    flags: list[Any] = field(default_factory=list)
    # A credit above settings.KWAMDEE_SECOND_APPROVAL_CREDIT needs two verifiers: whether this one
    # waits for its first approval (verifying approves it), or has it (verifying credits it).
    needs_second_approval: bool = False
    first_approved: bool = False
    # The members who confirmed having seen it (deed types that ask for witnesses).
    witnesses: list[Any] = field(default_factory=list)


def _rules(deeds: list[Deed]) -> dict[int, "RuleVersion | None"]:
    """The rule in force for each deed, read as verifying reads it (one query at most)."""
    stamps = {d.deed_type_id: d.rules_stamp for d in deeds if getattr(d, "rules_stamp", None)}  # type: ignore[attr-defined]
    versions = rule_versions_stamped_many(stamps)
    return {d.pk: rule_pick(versions.get(d.deed_type_id, []), d.performed_on, d.community_id) for d in deeds}


def _history(deeds: list[Deed], rules: dict[int, "RuleVersion | None"]) -> dict[int, list[HistoryLine]]:
    """Each deed's person's deeds of its type around its date (one query for the page)."""
    if not deeds:
        return {}
    windows = {d.pk: limit_windows(d.performed_on) for d in deeds}
    first = min(w["year"][0] for w in windows.values())
    last = max(w["year"][1] for w in windows.values())
    rows = (
        Deed.objects.filter(
            person_id__in={d.person_id for d in deeds},
            deed_type_id__in={d.deed_type_id for d in deeds},
            performed_on__range=(first, last),
        )
        .exclude(status__in=NOT_COUNTED)
        .order_by()
        .values_list("person_id", "deed_type_id", "performed_on", "status")
        .annotate(n=Count("id"))
    )
    days: dict[tuple[int, int], list[tuple[date, bool, int]]] = {}
    for person_id, deed_type_id, performed_on, status, n in rows:
        days.setdefault((person_id, deed_type_id), []).append(
            (performed_on, status == DeedStatus.VERIFIED, n)
        )
    found = {}
    for deed in deeds:
        rule = rules.get(deed.pk)
        limits = {
            "day": rule.per_day if rule else None,
            "week": rule.per_week if rule else None,
            "month": rule.per_month if rule else None,
            "year": rule.per_year if rule else None,
        }
        # The windows the rule limits; with no limit at all, the year, for a sense of how often.
        shown = [w for w, limit in limits.items() if limit is not None] or ["year"]
        lines = []
        for window in shown:
            start, end = windows[deed.pk][window]
            inside = [
                (v, n) for on, v, n in days.get((deed.person_id, deed.deed_type_id), []) if start <= on <= end
            ]
            lines.append(
                HistoryLine(
                    window=window,
                    count=sum(n for _v, n in inside),
                    verified=sum(n for v, n in inside if v),
                    limit=limits[window],
                )
            )
        found[deed.pk] = lines
    return found


def desk_details(deeds: list[Deed]) -> dict[int, DeskDetails]:
    """What the desk shows beside each deed of a page ({deed id: details}), in a fixed number of
    queries: the rules (none once cached), the evidence, the history, the flags. The deeds come
    from `desk_queue`, which gives each the stamp of its type's rules."""
    if not deeds:
        return {}
    rules = _rules(deeds)
    evidence = evidence_of_deeds([d.pk for d in deeds])
    history = _history(deeds, rules)
    flags = deed_flags_open(deeds)
    witnesses = witnesses_by_deed([d.pk for d in deeds])
    new_since = timezone.now() - timedelta(days=NEW_ACCOUNT_DAYS)
    second_above = getattr(settings, "KWAMDEE_SECOND_APPROVAL_CREDIT", None)
    details = {}
    for deed in deeds:
        rule = rules.get(deed.pk)
        person = deed.person
        credit = amount_for(rule.credit_per_unit, deed.quantity) if rule else None
        details[deed.pk] = DeskDetails(
            rule=rule,
            credit=credit,
            points=amount_for(rule.points_per_unit, deed.quantity) if rule else None,
            area=area_label(deed.subdistrict_code) or deed.subdistrict_code,
            evidence=evidence.get(deed.pk, []),
            history=history.get(deed.pk, []),
            new_account=person.date_joined >= new_since,
            joined_on=timezone.localdate(person.date_joined),
            flags=flags.get(deed.pk, []),
            needs_second_approval=second_above is not None and credit is not None and credit > second_above,
            first_approved=getattr(deed, "first_approved_by_id", None) is not None,
            witnesses=[w for w in witnesses.get(deed.pk, []) if w.answer == WitnessAnswer.CONFIRMED],
        )
    return details


def desk_annotate(deeds: list[Deed]) -> list[Deed]:
    """`desk_details` put on each deed for the template: `deed.desk`, and `deed.open_flags`
    (what `deeds/_deed_flags.html` shows)."""
    details = desk_details(deeds)
    for deed in deeds:
        deed.desk = details[deed.pk]  # type: ignore[attr-defined]
        deed.open_flags = details[deed.pk].flags  # type: ignore[attr-defined]
    return deeds
