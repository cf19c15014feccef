"""What the goodness bank holds about a person (common/personal_data.py): their loans (the terms,
the state and dates, the schedule in sum, what they pledged), the repayments recorded on them,
and, for a committee member, the loans they approved or decided on. Amounts are in baht, as the
person reads them (the rows keep satang)."""

from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from kwamdee.common.personal_data import Section, personal_data_section
from kwamdee.loans.models import Loan, LoanApproval, Repayment
from kwamdee.loans.schedule import baht


@personal_data_section("loans", order=66)
def loans_section(person: Any) -> Section:
    """Every loan the person applied for, with its schedule in sum (what is due, paid and owed)."""
    loans = (
        Loan.objects.filter(person=person)
        .select_related("product", "fund__community")
        .order_by("created_at", "id")
    )
    rows = []
    for loan in loans:
        schedule = loan.schedule.aggregate(
            principal=Sum("principal_satang"), interest=Sum("interest_satang"),
            principal_paid=Sum("principal_paid"), interest_paid=Sum("interest_paid"),
        )  # fmt: skip
        due = (schedule["principal"] or 0) + (schedule["interest"] or 0)
        paid = (schedule["principal_paid"] or 0) + (schedule["interest_paid"] or 0)
        dates = loan.schedule.order_by("number").values_list("due_on", flat=True)
        rows.append(
            {
                "loan": str(loan.public_id),
                "product": loan.product.name,
                "community": loan.fund.community.name,
                "state": loan.get_state_display(),
                "amount_baht": baht(loan.principal_satang),
                "instalments": loan.instalments,
                "frequency": loan.get_frequency_display(),
                "approvals_needed": loan.approvals_needed,
                "approvals": loan.approvals.count(),
                "pledge_points": loan.pledge_points,
                "purpose": loan.purpose,
                "if_defaulted": loan.get_default_rule_display(),
                "applied_at": loan.created_at,
                "approved_at": loan.approved_at,
                "disbursed_on": loan.disbursed_on,
                "decided_at": loan.decided_at,
                "first_due_on": dates.first(),
                "last_due_on": dates.last(),
                "interest_baht": baht(schedule["interest"] or 0),
                "due_baht": baht(due),
                "paid_baht": baht(paid),
                "owed_baht": baht(due - paid),
            }
        )
    note = _(
        "The money itself is in the ledger under a number that does not name you; the committee "
        "that decided each loan is not named here."
    )
    return Section("loans", _("Your goodness-bank loans"), rows, note)


@personal_data_section("loan_repayments", order=67)
def loan_repayments_section(person: Any) -> Section:
    repayments = (
        Repayment.objects.filter(loan__person=person)
        .select_related("loan__product")
        .order_by("paid_on", "id")
    )
    rows = [
        {
            "loan": str(repayment.loan.public_id),
            "product": repayment.loan.product.name,
            "paid_on": repayment.paid_on,
            "amount_baht": baht(repayment.amount_satang),
            "principal_baht": baht(repayment.principal_satang),
            "interest_baht": baht(repayment.interest_satang),
            "reference": repayment.reference,
            "recorded_at": repayment.created_at,
        }
        for repayment in repayments
    ]
    return Section("loan_repayments", _("Repayments of your loans"), rows)


@personal_data_section("loan_decisions", order=68)
def loan_decisions_section(person: Any) -> Section:
    """What the person did as a member of a fund's committee: each approval they gave, and each
    loan whose last step they took (approved, declined, paid out, closed or defaulted), and the
    loan's state now."""
    approvals = LoanApproval.objects.filter(approver=person).select_related(
        "loan__product", "loan__fund__community"
    )
    rows = [
        {
            "loan": str(approval.loan.public_id),
            "product": approval.loan.product.name,
            "community": approval.loan.fund.community.name,
            "what": str(_("You approved it")),
            "state": approval.loan.get_state_display(),
            "at": approval.created_at,
        }
        for approval in approvals
    ]
    decided = Loan.objects.filter(Q(decided_by=person) & ~Q(person=person)).select_related(
        "product", "fund__community"
    )
    rows += [
        {
            "loan": str(loan.public_id),
            "product": loan.product.name,
            "community": loan.fund.community.name,
            # The committee's last step on it (approved, declined, paid out, closed, defaulted).
            "what": str(_("You took its last step")),
            "state": loan.get_state_display(),
            "at": loan.decided_at,
        }
        for loan in decided
    ]
    rows.sort(key=lambda row: (row["at"] is None, row["at"]))
    note = _("Whose loans they were is theirs to see, not part of your data.")
    return Section("loan_decisions", _("Loans you decided on as a committee member"), rows, note)
