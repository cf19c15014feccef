"""Loans at the same moment, on PostgreSQL (row locks): the same points pledged for a loan and
held for a redemption are taken once, never both; a fund with 30,000 baht approves and pays out
one of two loans of 20,000, never both; and every balance stays whole."""

import uuid

import pytest

from kwamdee.loans.errors import FundTooLow, NotEnoughPointsToPledge
from kwamdee.loans.models import Loan
from kwamdee.loans.selectors import fund_balance
from kwamdee.loans.services import loan_apply, loan_approve, loan_disburse
from kwamdee.people.models import User
from kwamdee.rewards.errors import NotEnoughPoints
from kwamdee.rewards.models import Redemption
from kwamdee.rewards.redemptions import person_points_held, redemption_create
from tests.concurrency import run_at_once
from tests.loans.factories import borrower, nong_sarai_product, open_bank
from tests.loans.test_services import ledger_whole, pledged, spendable
from tests.rewards.factories import make_partner, make_privilege

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def applied(product, count):
    """`count` applications of 20,000 baht, each by another member."""
    people = [borrower(name=f"คนที่ {i}") for i in range(count)]
    return [
        loan_apply(
            actor=p, product=product, principal_satang=2_000_000, instalments=6, pledge_points=10, key="k"
        )
        for p in people
    ]


def test_a_pledge_and_a_redemption_of_the_same_points_at_once_never_both(postgres_only):
    fund, _first, _second = open_bank(baht=30_000)
    product = nong_sarai_product(fund, min_pledge_points=0)
    privilege = make_privilege(make_partner(), cost=30)
    people = [borrower(points=30, name=f"คนที่ {i}") for i in range(10)]

    def pledge(pk):
        return lambda: loan_apply(actor=User.objects.get(pk=pk), product=product, principal_satang=500_000,
                                  instalments=6, pledge_points=30, key=str(uuid.uuid4()))  # fmt: skip

    def redeem(pk):
        return lambda: redemption_create(
            actor=User.objects.get(pk=pk), privilege=privilege, key=str(uuid.uuid4())
        )

    outcomes = run_at_once(
        [pledge(p.pk) for p in people] + [redeem(p.pk) for p in people],
        expected={NotEnoughPointsToPledge: "no_points", NotEnoughPoints: "no_points"},
    )

    assert sorted(outcomes) == ["no_points"] * 10 + ["ok"] * 10, outcomes
    for person in people:
        loans = Loan.objects.filter(person=person).count()
        codes = Redemption.objects.filter(person=person).count()
        assert loans + codes == 1
        assert (spendable(person), pledged(person), person_points_held(person)) == (0, 30 * loans, 30 * codes)
    ledger_whole()


def test_a_fund_of_30000_approves_one_of_two_loans_of_20000_at_once(postgres_only):
    fund, first, second = open_bank(baht=30_000)
    product = nong_sarai_product(fund, two_approvers_above_satang=5_000_000)
    loans = applied(product, 2)

    def approve(approver, loan):
        return lambda: loan_approve(actor=User.objects.get(pk=approver.pk), loan=loan)

    outcomes = run_at_once(
        [approve(first, loans[0]), approve(second, loans[1])], expected={FundTooLow: "low"}
    )

    assert sorted(outcomes) == ["low", "ok"]
    assert Loan.objects.filter(state="approved").count() == 1


def test_a_fund_of_30000_pays_out_one_of_two_approved_loans_of_20000_at_once(postgres_only):
    # Both were approved while the fund held 50,000; then 20,000 went to a third loan.
    fund, first, second = open_bank(baht=50_000)
    product = nong_sarai_product(fund, two_approvers_above_satang=5_000_000)
    loans = applied(product, 3)
    for loan in loans[:2]:
        loan_approve(actor=first, loan=loan)
    Loan.objects.filter(pk=loans[2].pk).update(state="approved")  # a promise made before this rule
    loan_disburse(actor=first, loan=Loan.objects.get(pk=loans[2].pk))
    assert fund_balance(fund) == 3_000_000

    def disburse(actor, loan):
        return lambda: loan_disburse(actor=User.objects.get(pk=actor.pk), loan=Loan.objects.get(pk=loan.pk))

    outcomes = run_at_once(
        [disburse(first, loans[0]), disburse(second, loans[1])], expected={FundTooLow: "low"}
    )

    assert sorted(outcomes) == ["low", "ok"]
    assert fund_balance(fund) == 1_000_000
    assert Loan.objects.filter(state="disbursed").count() == 2
    ledger_whole()
