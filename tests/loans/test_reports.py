"""The committee's report per fund and product, the one arrears rule (the report, eligibility and
default ask the same question), and a loan's statement."""

import uuid
from datetime import date, timedelta

import pytest

from kwamdee.common.errors import PermissionDenied
from kwamdee.ledger.models import Account
from kwamdee.loans.errors import NotEligible
from kwamdee.loans.reports import fund_report, loan_statement
from kwamdee.loans.selectors import (
    fund_balance,
    loan_arrears,
    loan_in_arrears,
    loan_reference,
    loans_in_arrears,
    person_in_arrears,
)
from kwamdee.loans.services import (
    loan_apply,
    loan_approve,
    loan_default,
    loan_disburse,
    loan_repayment_record,
)
from tests.factories import SYSTEM, make_person
from tests.loans.factories import borrower, nong_sarai_product, open_bank

pytestmark = pytest.mark.django_db


def paid_out(product, committee, *, name, baht, n, on, pledge=10):
    person = borrower(name=name)
    loan = loan_apply(actor=person, product=product, principal_satang=baht * 100, instalments=n,
                      pledge_points=pledge, key=str(uuid.uuid4()))  # fmt: skip
    loan_approve(actor=committee, loan=loan)
    return loan_disburse(actor=committee, loan=loan, on=on)


def repay(loan, satang, committee, reference=None):
    return loan_repayment_record(actor=committee, loan=loan, amount_satang=satang, paid_on=date.today(),
                                 reference=reference or uuid.uuid4().hex[:12])  # fmt: skip


def test_the_arrears_rule_is_an_instalment_due_before_today_not_fully_paid():
    fund, first, _second = open_bank(baht=50_000)
    product = nong_sarai_product(fund, two_approvers_above_satang=5_000_000, min_pledge_points=0)
    today = date.today()
    loan = paid_out(product, first, name="หนึ่ง", baht=2_000, n=2, on=today - timedelta(days=40), pledge=0)

    assert not loan_in_arrears(loan, today=loan.disbursed_on)  # nothing due yet
    assert loan_in_arrears(loan) and loan_arrears(loan) == 100_000 and loans_in_arrears(fund) == [loan]
    repay(loan, 99_999, first)
    assert loan_in_arrears(loan)  # one satang short of the first instalment
    repay(loan, 1, first)
    assert not loan_in_arrears(loan) and loans_in_arrears(fund) == []
    assert not person_in_arrears(loan.person, fund)


def test_a_defaulted_loan_still_owed_keeps_its_borrower_ineligible():
    fund, first, second = open_bank(baht=50_000)
    product = nong_sarai_product(fund, two_approvers_above_satang=5_000_000, min_pledge_points=0)
    loan = paid_out(
        product, first, name="หนึ่ง", baht=2_000, n=2, on=date.today() - timedelta(days=40), pledge=0
    )
    loan = loan_default(actor=second, loan=loan)

    assert loan.state == "defaulted" and loan_in_arrears(loan) and person_in_arrears(loan.person, fund)
    with pytest.raises(NotEligible) as refused:
        loan_apply(actor=loan.person, product=product, principal_satang=100_000, instalments=1, pledge_points=0,
                   key="again")  # fmt: skip
    assert set(refused.value.fields) == {"no_arrears"}


def test_the_committees_report_by_product():
    fund, first, second = open_bank(baht=100_000)
    goodness = nong_sarai_product(fund, two_approvers_above_satang=5_000_000)
    small = nong_sarai_product(
        fund, name_th="สินเชื่อเล็ก", name_en="Small loan", two_approvers_above_satang=5_000_000
    )
    today = date.today()
    running = paid_out(goodness, first, name="หนึ่ง", baht=30_000, n=3, on=today - timedelta(days=5))
    late = paid_out(goodness, first, name="สอง", baht=3_000, n=3, on=today - timedelta(days=100))
    closed = paid_out(small, first, name="สาม", baht=1_000, n=1, on=today - timedelta(days=10))
    repay(running, 1_005_833, second)  # the first instalment, early: 58.33 interest
    repay(late, 100_000, second)  # one of its three due instalments
    repay(closed, 100_000, second)
    loan_apply(actor=borrower(name="สี่"), product=small, principal_satang=50_000, instalments=1, pledge_points=10,
               key="waiting")  # fmt: skip

    report = fund_report(first, fund)

    rows = {row.name: row for row in report.products}
    big = rows["สินเชื่อความดี"]
    assert (big.lent_satang, big.principal_owed_satang, big.repaid_satang, big.interest_satang) == (
        3_300_000, 2_200_000, 1_105_833, 5_833)  # fmt: skip
    assert (big.running, big.closed, big.in_arrears, big.defaulted) == ("<10", "0", "<10", "0")
    little = rows["สินเชื่อเล็ก"]
    assert (little.lent_satang, little.principal_owed_satang, little.repaid_satang) == (100_000, 0, 100_000)
    assert (little.running, little.closed, little.in_arrears) == ("0", "<10", "0")
    assert report.balance_satang == fund_balance(fund) == 10_000_000 - 3_400_000 + 1_205_833
    # The schedule's principal not yet paid is the loans' receivable in the ledger.
    receivable = sum(Account.objects.filter(kind="loan_receivable").values_list("balance", flat=True))
    assert report.total("principal_owed_satang") == receivable == 2_200_000

    with pytest.raises(PermissionDenied):
        fund_report(make_person(name="คนนอก"), fund)
    with pytest.raises(PermissionDenied):
        fund_report(running.person, fund)
    assert fund_report(SYSTEM, fund).products == report.products


def test_a_loans_statement_shows_what_paid_each_instalment_and_the_balance_after_each_payment():
    fund, first, second = open_bank(baht=50_000)
    product = nong_sarai_product(fund, two_approvers_above_satang=5_000_000)
    loan = paid_out(product, first, name="หนึ่ง", baht=30_000, n=3, on=date(2027, 1, 10))
    repay(loan, 500_000, second, reference="R-1")  # part of the first instalment
    repay(loan, 1_000_000, second, reference="R-2")  # the rest of it, and part of the second

    statement = loan_statement(first, loan, today=date(2027, 3, 15))

    assert statement.reference == loan_reference(loan) and statement.reference.startswith("LN-")
    rows = [(i.number, i.total, i.paid, i.owed, i.paid_by, i.late) for i in statement.instalments]
    assert rows == [
        (1, 1_005_833, 1_005_833, 0, ["R-1", "R-2"], False),
        (2, 1_000_000, 494_167, 505_833, ["R-2"], True),  # due 10 March, not fully paid
        (3, 1_000_000, 0, 1_000_000, [], False),
    ]
    payments = [(p.reference, p.principal, p.interest, p.principal_owed_after, p.owed_after)
                for p in statement.payments]  # fmt: skip
    assert payments == [
        ("R-1", 494_167, 5_833, 2_505_833, 2_505_833),
        ("R-2", 1_000_000, 0, 1_505_833, 1_505_833),
    ]
    assert (statement.principal, statement.interest, statement.total_due) == (3_000_000, 5_833, 3_005_833)
    assert (statement.paid, statement.principal_paid, statement.interest_paid, statement.owed) == (
        1_500_000, 1_494_167, 5_833, 1_505_833)  # fmt: skip
    assert statement.paid == sum(i.paid for i in statement.instalments)
    # its borrower prints it too (loans:statement); anyone else may not
    assert loan_statement(loan.person, loan).reference == statement.reference
    with pytest.raises(PermissionDenied):
        loan_statement(make_person(name="คนนอก"), loan)
