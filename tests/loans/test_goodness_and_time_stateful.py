"""The goodness bank and the time bank together against their models (issue 12's stateful test):
one hypothesis state machine whose steps are both machines' — deposits, points earned,
applications with pledges, redemptions of the same points, approvals, disbursements, repayments,
defaults (tests/loans/test_loan_stateful.py), and exchanges either way, confirmations out of turn,
donations to the pool and the pool covering an exchange (tests/timebank/test_exchange_stateful.py)
— among the same members of one community. After every step, both machines' invariants: every
unit (credit, points, satang, minutes) sums to zero over all accounts, each cached balance is its
postings, held and pledged points are never spendable, the fund and the pool never go below zero
and are what the models say."""

import pytest

from tests.loans.factories import borrower, nong_sarai_product, open_bank
from tests.loans.test_loan_stateful import Loans
from tests.rewards.factories import make_partner, make_privilege
from tests.stateful import machine_run
from tests.timebank.factories import member, time_community
from tests.timebank.test_exchange_stateful import MEMBERS, TimeBank

pytestmark = pytest.mark.django_db


class GoodnessAndTime(Loans, TimeBank):
    """Both models side by side: `people` are the time bank's members, and the first two of them
    borrow (the loans model reads only those two)."""


def test_loans_and_time_exchanges_together_keep_to_their_models():
    community = time_community()
    fund, committee, _second = open_bank(baht=30_000, community=community)
    common = {"two_approvers_above_satang": 5_000_000, "min_pledge_points": 0, "min_credit": 0,
              "no_arrears": False}  # fmt: skip
    products = [
        nong_sarai_product(fund, default_rule="release", **common),
        nong_sarai_product(fund, default_rule="transfer", name_th="สินเชื่อ ข", **common),
    ]
    people = [borrower(points=0, credit=0, name="สมชาย ใจบุญ"), borrower(points=0, credit=0, name="สมศรี มีสุข")]
    people += [member(name=f"สมาชิก คนที่ {i}") for i in range(MEMBERS - 2)]
    world = {"community": community, "fund": fund, "committee": committee, "products": products,
             "people": people, "privilege": make_privilege(make_partner(), cost=7)}  # fmt: skip
    steps = {rule.function.__name__ for rule in GoodnessAndTime.setup_state().rules}
    assert steps >= {
        "deposit",
        "apply",
        "redeem",
        "repay",
        "default",
        "propose",
        "confirm",
        "donate",
        "pool_cover",
    }
    machine_run(GoodnessAndTime, world, examples=25, steps=40)
