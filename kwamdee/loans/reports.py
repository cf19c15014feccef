"""What the goodness bank's committee sees of its fund (docs/loans.md, "The committee's report"):
per product, money lent out, principal still owed, repaid, interest received, and how many loans
run, are closed, are in arrears (the one arrears rule, `selectors.in_arrears`) or defaulted;
counts under 10 are shown as "<10", as the rewards report does (rewards/reports.py). And a
loan's statement: its schedule with what was paid against each instalment, each repayment with
the balance after it, and the totals, for the printable statement (a page not built yet).

Reads only; only the fund's committee (`loans_kept_by`) may read them. Amounts are satang."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from kwamdee.common.errors import PermissionDenied
from kwamdee.loans.choices import OUTSTANDING_STATES, LoanState
from kwamdee.loans.models import Loan, LoanFund, Repayment, ScheduledInstalment
from kwamdee.loans.selectors import ARREARS_STATES, fund_balance, in_arrears, loan_reference, loans_kept_by
from kwamdee.rewards.selectors import small_count

# A loan that was paid out (whatever it is now): its principal was lent.
LENT_STATES = (*OUTSTANDING_STATES, LoanState.CLOSED, LoanState.DEFAULTED)


@dataclass(frozen=True)
class ProductRow:
    product_id: Any  # the product's public id
    name: str
    lent_satang: int  # principal paid out
    principal_owed_satang: int  # principal still owed (defaulted loans included: nothing is written off)
    repaid_satang: int  # everything repaid (principal and interest)
    interest_satang: int  # interest received
    running: str  # paid out and being repaid; "<10" under 10
    closed: str
    in_arrears: str
    defaulted: str


@dataclass(frozen=True)
class FundReport:
    fund_id: Any
    today: date
    balance_satang: int  # what the fund holds now
    products: list[ProductRow]

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.products)


def _require_keeper(actor: Any, fund: LoanFund) -> None:
    if not loans_kept_by(actor, fund):
        raise PermissionDenied()


def fund_report(actor: Any, fund: LoanFund, *, today: date | None = None) -> FundReport:
    """The fund's balance and, per product, its loans' money and counts (a handful of queries)."""
    _require_keeper(actor, fund)
    today = today or timezone.localdate()
    loans = Loan.objects.filter(fund=fund)
    counts = {
        row["product_id"]: row
        for row in loans.values("product_id").annotate(
            lent=Sum("principal_satang", filter=Q(state__in=LENT_STATES)),
            running=Count("pk", filter=Q(state__in=OUTSTANDING_STATES)),
            closed=Count("pk", filter=Q(state=LoanState.CLOSED)),
            defaulted=Count("pk", filter=Q(state=LoanState.DEFAULTED)),
        )
    }
    arrears = dict(
        in_arrears(loans, today=today).values_list("product_id").annotate(n=Count("pk")).order_by()
    )
    # The schedule's principal not yet paid is the loans' receivable in the ledger (each repayment
    # moves both at once; tests/loans/test_reports.py checks they agree).
    owed = dict(
        ScheduledInstalment.objects.filter(loan__fund=fund)
        .values_list("loan__product_id")
        .annotate(n=Sum(F("principal_satang") - F("principal_paid")))
        .order_by()
    )
    repaid = {
        row["loan__product_id"]: row
        for row in Repayment.objects.filter(loan__fund=fund)
        .values("loan__product_id")
        .annotate(amount=Sum("amount_satang"), interest=Sum("interest_satang"))
        .order_by()
    }
    products = []
    for product in fund.products.order_by("name_th", "pk"):
        count = counts.get(product.pk, {})
        paid = repaid.get(product.pk, {})
        products.append(
            ProductRow(
                product_id=product.public_id,
                name=str(product.name),
                lent_satang=count.get("lent") or 0,
                principal_owed_satang=owed.get(product.pk) or 0,
                repaid_satang=paid.get("amount") or 0,
                interest_satang=paid.get("interest") or 0,
                running=small_count(count.get("running", 0)),
                closed=small_count(count.get("closed", 0)),
                in_arrears=small_count(arrears.get(product.pk, 0)),
                defaulted=small_count(count.get("defaulted", 0)),
            )
        )
    return FundReport(fund.public_id, today, fund_balance(fund), products)


# --- a loan's statement ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementInstalment:
    number: int
    due_on: date
    principal: int
    interest: int
    principal_paid: int
    interest_paid: int
    paid_by: list[str]  # the references of the repayments that paid it, in order
    late: bool  # due before today and not fully paid (the arrears rule)

    @property
    def total(self) -> int:
        return self.principal + self.interest

    @property
    def paid(self) -> int:
        return self.principal_paid + self.interest_paid

    @property
    def owed(self) -> int:
        return self.total - self.paid


@dataclass(frozen=True)
class StatementPayment:
    paid_on: date
    reference: str
    amount: int
    principal: int
    interest: int
    principal_owed_after: int  # the principal still owed after this payment
    owed_after: int  # principal and interest still owed on the schedule after it


@dataclass(frozen=True)
class LoanStatement:
    loan_id: Any
    reference: str  # LN-… (selectors.loan_reference)
    product: str
    state: str
    principal: int
    disbursed_on: date | None
    instalments: list[StatementInstalment]
    payments: list[StatementPayment]
    today: date

    @property
    def interest(self) -> int:
        return sum(i.interest for i in self.instalments)

    @property
    def total_due(self) -> int:
        return sum(i.total for i in self.instalments)

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.payments)

    @property
    def principal_paid(self) -> int:
        return sum(p.principal for p in self.payments)

    @property
    def interest_paid(self) -> int:
        return sum(p.interest for p in self.payments)

    @property
    def owed(self) -> int:
        return self.total_due - self.paid


def loan_statement(actor: Any, loan: Loan, *, today: date | None = None) -> LoanStatement:
    """The loan's statement for the committee (and, printed, for the person). Which repayment
    paid which instalment is found by spreading the repayments, in the order they were recorded,
    over the schedule as `loan_repayment_record` did: each instalment's interest, then its
    principal. Its borrower may read it too (their printable statement)."""
    if getattr(actor, "pk", None) is None or actor.pk != loan.person_id:
        _require_keeper(actor, loan.fund)
    today = today or timezone.localdate()
    schedule = list(loan.schedule.order_by("number"))
    repayments = list(loan.repayments.order_by("pk"))
    left = [[row.interest_satang, row.principal_satang] for row in schedule]
    paid_by: list[list[str]] = [[] for _row in schedule]
    payments = []
    principal_owed = loan.principal_satang
    owed = sum(row.principal_satang + row.interest_satang for row in schedule)
    for repayment in repayments:
        amount = repayment.amount_satang
        for i, parts in enumerate(left):
            if amount <= 0:
                break
            for part in (0, 1):
                take = min(amount, parts[part])
                if take:
                    parts[part] -= take
                    amount -= take
                    if not paid_by[i] or paid_by[i][-1] != repayment.reference:
                        paid_by[i].append(repayment.reference)
        principal_owed -= repayment.principal_satang
        owed -= repayment.amount_satang
        payments.append(
            StatementPayment(
                paid_on=repayment.paid_on,
                reference=repayment.reference,
                amount=repayment.amount_satang,
                principal=repayment.principal_satang,
                interest=repayment.interest_satang,
                principal_owed_after=principal_owed,
                owed_after=owed,
            )
        )
    instalments = [
        StatementInstalment(
            number=row.number,
            due_on=row.due_on,
            principal=row.principal_satang,
            interest=row.interest_satang,
            principal_paid=row.principal_paid,
            interest_paid=row.interest_paid,
            paid_by=paid_by[i],
            late=row.due_on < today and row.owed > 0 and loan.state in ARREARS_STATES,
        )
        for i, row in enumerate(schedule)
    ]
    return LoanStatement(
        loan_id=loan.public_id,
        reference=loan_reference(loan),
        product=str(loan.product.name),
        state=str(loan.get_state_display()),
        principal=loan.principal_satang,
        disbursed_on=loan.disbursed_on,
        instalments=instalments,
        payments=payments,
        today=today,
    )
