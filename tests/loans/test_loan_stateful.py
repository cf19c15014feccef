"""Loans against a model, step by step (hypothesis' rule-based state machine): deposits, points
earned, applications with pledges, redemptions of the same points, approvals, declines,
disbursements, repayments, defaults. After every step: each unit sums to zero over all accounts,
each cached balance is its postings, nothing that may not go negative is below zero, the fund
holds what the model says (never below zero), and each person's spendable points are what they
earned less what is pledged and held: pledged points are never spendable. Each example runs in a
savepoint rolled back at its end."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from kwamdee.ledger.models import Account
from kwamdee.loans.errors import FundTooLow, NotEnoughPointsToPledge, WrongState
from kwamdee.loans.ledger import LOAN_FUND_POINTS
from kwamdee.loans.models import Loan
from kwamdee.loans.selectors import fund_balance, loan_owed
from kwamdee.loans.services import (
    loan_apply,
    loan_approve,
    loan_decline,
    loan_default,
    loan_disburse,
    loan_repayment_record,
)
from kwamdee.rewards.errors import NotEnoughPoints
from kwamdee.rewards.redemptions import person_points_held, redemption_create
from tests.loans.factories import borrower, deposit, nong_sarai_product, open_bank
from tests.loans.test_services import pledged, spendable
from tests.rewards.factories import give, make_partner, make_privilege
from tests.stateful import LedgerMachine, ledger_consistent, machine_run

pytestmark = pytest.mark.django_db

OPEN = ("applied", "approved", "disbursed", "repaying")


class Loans(LedgerMachine):
    def __init__(self):
        super().__init__()
        w = self.world
        self.fund, self.committee, self.people = w["fund"], w["committee"], w["people"]
        self.products, self.privilege = w["products"], w["privilege"]
        self.money = fund_balance(self.fund)
        self.earned = [0] * len(self.people)  # people 0 and 1 borrow; others (a combined machine's) do not
        self.held = [0] * len(self.people)
        self.fund_points = 0
        self.loans = []  # {"pk", "person", "principal", "pledge", "state", "rule"}

    @rule(baht=st.integers(1, 30_000))
    def deposit(self, baht):
        deposit(self.fund, baht * 100, source="donation")
        self.money += baht * 100

    @rule(person=st.integers(0, 1), points=st.integers(1, 40))
    def earn(self, person, points):
        give(self.people[person], points=points, credit=1)
        self.earned[person] += points

    def _pledged(self, person):
        return sum(x["pledge"] for x in self.loans if x["person"] == person and x["state"] in OPEN)

    def _spendable(self, person):
        return self.earned[person] - self._pledged(person) - self.held[person]

    @rule(
        person=st.integers(0, 1),
        baht=st.integers(1, 50_000),
        pledge=st.integers(0, 40),
        rule_=st.integers(0, 1),
    )
    def apply(self, person, baht, pledge, rule_):
        product = self.products[rule_]
        call = lambda: loan_apply(  # noqa: E731
            actor=self.people[person], product=product, principal_satang=baht * 100, instalments=2,
            pledge_points=pledge, key=str(uuid.uuid4()),
        )  # fmt: skip
        if pledge > self._spendable(person):
            with pytest.raises(NotEnoughPointsToPledge):
                call()
            return
        loan = call()
        self.loans.append({"pk": loan.pk, "person": person, "principal": baht * 100, "pledge": pledge,
                           "state": "applied", "rule": product.default_rule})  # fmt: skip

    @rule(person=st.integers(0, 1))
    def redeem(self, person):
        def call():
            return redemption_create(
                actor=self.people[person], privilege=self.privilege, key=str(uuid.uuid4())
            )

        if self._spendable(person) < self.privilege.cost_points:
            with pytest.raises(NotEnoughPoints):
                call()
            return
        call()
        self.held[person] += self.privilege.cost_points

    def _pick(self, data):
        entry = data.draw(st.sampled_from(self.loans))
        return entry, Loan.objects.get(pk=entry["pk"])

    @precondition(lambda self: self.loans)
    @rule(data=st.data())
    def approve(self, data):
        entry, loan = self._pick(data)
        committed = sum(x["principal"] for x in self.loans if x["state"] == "approved")
        if entry["state"] != "applied":
            with pytest.raises(WrongState):
                loan_approve(actor=self.committee, loan=loan)
        elif self.money - committed < entry["principal"]:
            with pytest.raises(FundTooLow):
                loan_approve(actor=self.committee, loan=loan)
        else:
            loan_approve(actor=self.committee, loan=loan)
            entry["state"] = "approved"

    @precondition(lambda self: self.loans)
    @rule(data=st.data())
    def decline(self, data):
        entry, loan = self._pick(data)
        if entry["state"] not in ("applied", "approved"):
            with pytest.raises(WrongState):
                loan_decline(actor=self.committee, loan=loan)
            return
        loan_decline(actor=self.committee, loan=loan)
        entry["state"] = "declined"

    @precondition(lambda self: self.loans)
    @rule(data=st.data())
    def disburse(self, data):
        entry, loan = self._pick(data)
        if entry["state"] != "approved":
            with pytest.raises(WrongState):
                loan_disburse(actor=self.committee, loan=loan)
            return
        # Paid out 100 days ago: both monthly instalments are due (the loan is in arrears until paid).
        loan_disburse(actor=self.committee, loan=loan, on=timezone.localdate() - timedelta(days=100))
        entry["state"] = "disbursed"
        self.money -= entry["principal"]

    @precondition(lambda self: any(x["state"] in ("disbursed", "repaying") for x in self.loans))
    @rule(data=st.data())
    def repay(self, data):
        entry = data.draw(st.sampled_from([x for x in self.loans if x["state"] in ("disbursed", "repaying")]))
        loan = Loan.objects.get(pk=entry["pk"])
        owed = loan_owed(loan)
        amount = data.draw(st.integers(1, owed))
        loan_repayment_record(actor=self.committee, loan=loan, amount_satang=amount,
                              paid_on=timezone.localdate(), reference=str(uuid.uuid4())[:20])  # fmt: skip
        self.money += amount
        entry["state"] = "closed" if amount == owed else "repaying"

    @precondition(lambda self: self.loans)
    @rule(data=st.data())
    def default(self, data):
        entry, loan = self._pick(data)
        if entry["state"] not in ("disbursed", "repaying"):
            with pytest.raises(WrongState):
                loan_default(actor=self.committee, loan=loan)
            return
        loan_default(actor=self.committee, loan=loan)
        entry["state"] = "defaulted"
        if entry["rule"] == "transfer":
            self.fund_points += entry["pledge"]
            self.earned[entry["person"]] -= entry["pledge"]

    @invariant()
    def every_unit_sums_to_zero_and_balances_are_their_postings(self):
        ledger_consistent()

    @invariant()
    def the_fund_and_the_points_are_the_models(self):
        assert fund_balance(self.fund) == self.money >= 0
        got = Account.objects.filter(holder_ref=self.fund.ledger_ref, kind=LOAN_FUND_POINTS).first()
        assert (got.balance if got else 0) == self.fund_points
        for i, person in enumerate(self.people):
            assert pledged(person) == self._pledged(i)
            assert person_points_held(person) == self.held[i]
            assert spendable(person) == self._spendable(i)
        states = dict(Loan.objects.values_list("pk", "state"))
        assert states == {x["pk"]: x["state"] for x in self.loans}


def test_loans_keep_to_the_model():
    fund, committee, _second = open_bank(baht=30_000)
    common = {"two_approvers_above_satang": 5_000_000, "min_pledge_points": 0, "min_credit": 0,
              "no_arrears": False}  # fmt: skip
    products = [
        nong_sarai_product(fund, default_rule="release", **common),
        nong_sarai_product(fund, default_rule="transfer", name_th="สินเชื่อ ข", **common),
    ]
    machine_run(Loans, {
        "fund": fund, "committee": committee, "products": products,
        "people": [borrower(points=0, credit=0, name="สมชาย ใจบุญ"), borrower(points=0, credit=0, name="สมศรี มีสุข")],
        "privilege": make_privilege(make_partner(), cost=7),
    })  # fmt: skip
