"""Reads of the goodness bank: who may keep a fund's loans, a person's eligibility from their
goodness record (only with their loan-eligibility consent), a fund's balance, a loan's schedule,
what is owed and what is in arrears."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import community_administered_by
from kwamdee.common.actors import is_system
from kwamdee.common.describe import EntryDescription
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.selectors import deeds_of_person
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.selectors import holder_balances
from kwamdee.loans.choices import OUTSTANDING_STATES, PERIODS_PER_YEAR, LoanState
from kwamdee.loans.ledger import LOAN_FUND, LOAN_RECEIVABLE
from kwamdee.loans.models import Loan, LoanFund, LoanProduct, ScheduledInstalment
from kwamdee.loans.schedule import Band, Instalment, schedule
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.selectors import consent_active, member_since
from kwamdee.rewards.holds import person_points
from kwamdee.rewards.levels import level_status

KEEP_LOANS = "loans.keep_loans"


def loans_kept_by(actor: Any, fund: LoanFund) -> bool:
    """The one rule of "may decide on and keep this fund's loans": the system, or a member of the
    committee of the fund's community (its admins) who holds the loans permission."""
    if is_system(actor):
        return True
    return bool(actor.has_perm(KEEP_LOANS)) and community_administered_by(actor, fund.community)


def loan_reference(loan: Loan) -> str:
    """The loan's reference, as the person writes it on a bank transfer and the statement and
    receipt print it: "LN-" and the first 8 hex digits of its public id, e.g. LN-1A2B3C4D."""
    return f"LN-{loan.public_id.hex[:8].upper()}"


def fund_of(community: Any) -> LoanFund | None:
    return LoanFund.objects.filter(community=community).first()


def fund_balance(fund: LoanFund) -> int:
    """The satang the fund holds now (its ledger account's cached balance)."""
    return sum(
        b.amount
        for b in holder_balances(holder_ref=fund.ledger_ref, kinds=[LOAN_FUND])
        if b.unit == Unit.SATANG
    )


def fund_committed(fund: LoanFund) -> int:
    """Satang promised to approved loans not yet paid out."""
    approved = Loan.objects.filter(fund=fund, state=LoanState.APPROVED).aggregate(n=Sum("principal_satang"))
    return approved["n"] or 0


def loan_principal_owed(loan: Loan) -> int:
    """The principal the person still owes (the loan's receivable in the ledger)."""
    return sum(b.amount for b in holder_balances(holder_ref=loan.ledger_ref, kinds=[LOAN_RECEIVABLE]))


def product_bands(product: LoanProduct) -> list[Band]:
    return [Band(b.up_to_satang, b.annual_rate) for b in product.bands.all()]


def product_max_satang(product: LoanProduct) -> int:
    return max((b.up_to_satang for b in product.bands.all()), default=0)


def loan_schedule_preview(
    product: LoanProduct, *, principal: int, instalments: int, start: date | None = None
) -> list[Instalment]:
    """The schedule a person would repay (before they apply, and on the committee's page)."""
    from kwamdee.loans.choices import FREQUENCY_MONTHS

    return schedule(
        principal=principal, bands=product_bands(product), instalments=instalments,
        periods_per_year=PERIODS_PER_YEAR[product.frequency], start=start,
        months_between=FREQUENCY_MONTHS[product.frequency],
    )  # fmt: skip


def loan_schedule(loan: Loan) -> list[ScheduledInstalment]:
    return list(loan.schedule.order_by("number"))


def loan_owed(loan: Loan) -> int:
    """Everything still owed on the loan's schedule (principal and interest), in satang."""
    row = loan.schedule.aggregate(
        due=Sum(F("principal_satang") + F("interest_satang")),
        paid=Sum(F("principal_paid") + F("interest_paid")),
    )
    return (row["due"] or 0) - (row["paid"] or 0)


# The one rule of arrears (docs/loans.md, "Arrears"): a loan is in arrears when an instalment
# due before today is not fully paid (its interest or its principal). It is asked of loans that
# still owe: paid out, being repaid, or defaulted. The committee's report, the eligibility
# condition "no loan in arrears with this bank" and `loan_default` all ask it here.
ARREARS_STATES = (*OUTSTANDING_STATES, LoanState.DEFAULTED)


def _unpaid_due(today: date) -> QuerySet[ScheduledInstalment]:
    return ScheduledInstalment.objects.filter(due_on__lt=today).filter(
        Q(principal_paid__lt=F("principal_satang")) | Q(interest_paid__lt=F("interest_satang"))
    )


def in_arrears(loans: QuerySet[Loan], *, today: date | None = None) -> QuerySet[Loan]:
    """Those of `loans` in arrears on `today` (one query, for a report or a check)."""
    today = today or timezone.localdate()
    return loans.filter(state__in=ARREARS_STATES).filter(
        Exists(_unpaid_due(today).filter(loan_id=OuterRef("pk")))
    )


def loan_in_arrears(loan: Loan, *, today: date | None = None) -> bool:
    return in_arrears(Loan.objects.filter(pk=loan.pk), today=today).exists()


def loan_arrears(loan: Loan, *, today: date | None = None) -> int:
    """Satang due before `today` and not paid: shown to the committee, never to the public. More
    than 0 exactly when an instalment due before today is not fully paid (the arrears rule)."""
    today = today or timezone.localdate()
    row = loan.schedule.filter(due_on__lt=today).aggregate(
        due=Sum(F("principal_satang") + F("interest_satang")),
        paid=Sum(F("principal_paid") + F("interest_paid")),
    )
    return (row["due"] or 0) - (row["paid"] or 0)


def loans_in_arrears(fund: LoanFund, *, today: date | None = None) -> list[Loan]:
    return list(in_arrears(Loan.objects.filter(fund=fund), today=today).order_by("pk"))


def person_in_arrears(person: Any, fund: LoanFund, *, today: date | None = None) -> bool:
    """The eligibility condition "no loan in arrears with this bank": the arrears rule above."""
    return in_arrears(Loan.objects.filter(person=person, fund=fund), today=today).exists()


# --- eligibility ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """One condition of a product, as the person sees it: what is needed, what they have."""

    code: str
    label: Any
    needed: int
    has: int
    met: bool


@dataclass(frozen=True)
class Eligibility:
    """Each condition met or not; `consent` False means the record was not read at all."""

    consent: bool
    conditions: list[Condition]

    @property
    def eligible(self) -> bool:
        return self.consent and all(c.met for c in self.conditions)


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (a month counts once its day is reached)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months - (1 if end.day < start.day else 0))


def loan_eligibility(person: Any, product: LoanProduct, *, today: date | None = None) -> Eligibility:
    """Which of the product's conditions the person meets, from their goodness record. Read only
    with the person's loan-eligibility consent: without it, nothing is read and every condition
    is left unmet. The one rule for the person's page, the committee and the service."""
    if consent_active(person=person, purpose=ConsentPurpose.LOAN_ELIGIBILITY) is None:
        return Eligibility(consent=False, conditions=[])
    today = today or timezone.localdate()
    conditions: list[Condition] = []

    def add(code: str, label: Any, needed: int, has: int) -> None:
        conditions.append(Condition(code, label, needed, has, has >= needed))

    in_community = getattr(person, "community_id", None) == product.fund.community_id
    add("member", _("A member of this community"), 1, int(in_community))
    status = level_status(person)
    if product.min_credit:
        add("credit", _("Lifetime credit"), product.min_credit, status.credit)
    if product.min_level:
        add("level", _("Level"), product.min_level, status.rank)
    if product.min_member_months:
        since = member_since(person) if in_community else None
        months = months_between(timezone.localdate(since), today) if since else 0
        add("member_months", _("Months of membership"), product.min_member_months, months)
    if product.min_recent_deeds:
        recent = (
            deeds_of_person(person=person)
            .filter(status=DeedStatus.VERIFIED, performed_on__gt=today - timedelta(days=365))
            .count()
        )
        add("recent_deeds", _("Verified deeds in the last 12 months"), product.min_recent_deeds, recent)
    if product.no_arrears:
        add(
            "no_arrears",
            _("No loan in arrears with this bank"),
            1,
            int(not person_in_arrears(person, product.fund)),
        )
    if product.min_pledge_points:
        add(
            "pledge",
            _("Spendable points to pledge"),
            product.min_pledge_points,
            sum(person_points(person).values()),
        )
    return Eligibility(consent=True, conditions=conditions)


# --- reads for the committee and the person ---------------------------------------------------


def loan_get(public_id: Any) -> Loan | None:
    from django.core.exceptions import ValidationError

    try:
        return Loan.objects.select_related("fund", "product", "person").filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        return None


def loans_of(person: Any) -> list[Loan]:
    return list(Loan.objects.filter(person=person).select_related("product").order_by("-created_at", "-id"))


def loans_waiting(fund: LoanFund) -> list[Loan]:
    return list(
        Loan.objects.filter(fund=fund, state=LoanState.APPLIED)
        .select_related("product", "person")
        .order_by("created_at", "id")
    )


def loan_approvers(loan: Loan) -> list[int]:
    return list(loan.approvals.values_list("approver_id", flat=True))


def loan_entries_describe(source_ids: list[str]) -> dict[str, EntryDescription]:
    """How the passbook shows a loan's entries (the pledge taken out of the person's points, and
    given back): the product, and the loan's state now. No link yet (no loan pages)."""
    loans = Loan.objects.filter(public_id__in=list(source_ids)).select_related("product")
    return {
        str(loan.public_id): EntryDescription(
            title=f"{_('Goodness-bank loan pledge')} · {loan.product.name}",
            rule=str(loan.get_state_display()),
        )
        for loan in loans
    }
