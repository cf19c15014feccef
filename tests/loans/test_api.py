"""The goodness bank's API (issue 12): products with the caller's eligibility, applying with an
idempotency key, my loans, a loan; the committee's waiting list, approvals, declines, paying out
and repayments."""

import pytest

from kwamdee.loans.models import Loan
from kwamdee.loans.services import loan_apply
from tests.api.test_api import get, post, token_for
from tests.factories import PHANOM_THUAN, make_community
from tests.loans.factories import borrower, nong_sarai_product, open_bank
from tests.rewards.factories import give, make_committee

pytestmark = pytest.mark.django_db
L = "/api/v1/loans"


@pytest.fixture
def bank():
    fund, first, second = open_bank(baht=100_000)
    return fund, nong_sarai_product(fund), first, second


def _apply(client, token, product, key="a-1", **body):
    payload = {"principal_satang": 3_000_000, "instalments": 3, "pledge_points": 10, **body}
    return post(client, f"{L}/products/{product.public_id}/apply", payload, token, HTTP_IDEMPOTENCY_KEY=key)


def test_products_say_which_conditions_i_meet(client, bank):
    _fund, product, *_ = bank
    person = borrower(points=5, credit=100)
    rows = get(client, f"{L}/products", token_for(client, person.phone)).json()
    assert [r["public_id"] for r in rows] == [str(product.public_id)]
    conditions = {c["code"]: c["met"] for c in rows[0]["conditions"]}
    assert (
        rows[0]["consent"] and not rows[0]["eligible"] and conditions["credit"] and not conditions["pledge"]
    )
    assert rows[0]["default_rule"] == "release"


def test_without_consent_nothing_is_read_and_applying_is_refused(client, bank):
    _fund, product, *_ = bank
    person = borrower(consent=False)
    token = token_for(client, person.phone)
    rows = get(client, f"{L}/products", token).json()
    assert rows[0]["consent"] is False and rows[0]["conditions"] == []
    answer = _apply(client, token, product)
    assert answer.status_code == 403 and answer.json()["code"] == "loan_eligibility_consent_needed"
    assert not Loan.objects.exists()


def test_apply_once_per_key_and_see_it_in_my_loans(client, bank):
    _fund, product, *_ = bank
    person = borrower()
    token = token_for(client, person.phone)
    first = _apply(client, token, product)
    again = _apply(client, token, product)
    assert first.status_code == 201 and again.status_code == 201
    assert first.json()["public_id"] == again.json()["public_id"] and Loan.objects.count() == 1
    assert first.json()["approvals_needed"] == 2 and first.json()["reference"].startswith("LN-")
    conflict = _apply(client, token, product, instalments=4)
    assert conflict.status_code == 422 and conflict.json()["code"] == "idempotency_conflict"
    mine = get(client, f"{L}/mine", token).json()
    assert [m["public_id"] for m in mine] == [first.json()["public_id"]]
    bad = _apply(client, token, product, key="a-2", principal_satang=9_000_000)
    assert bad.status_code == 400 and bad.json()["code"] == "loan_invalid"


def test_a_product_of_another_community_is_not_found(client, bank):
    other_fund, *_ = open_bank(baht=1000, community=make_community(subdistrict=PHANOM_THUAN))
    other = nong_sarai_product(other_fund)
    person = borrower()
    assert _apply(client, token_for(client, person.phone), other).status_code == 404


def test_the_committee_approves_twice_pays_out_and_records_a_repayment(client, bank):
    fund, product, first, second = bank
    person = borrower()
    loan = loan_apply(
        actor=person, product=product, principal_satang=3_000_000, instalments=3, pledge_points=10, key="k"
    )
    t1, t2 = token_for(client, first.phone), token_for(client, second.phone)
    waiting = get(client, f"{L}/funds/{fund.public_id}/waiting", t1).json()
    assert waiting[0]["loan"]["public_id"] == str(loan.public_id) and waiting[0]["consent"]
    assert post(client, f"{L}/{loan.public_id}/approve", {}, t1).json()["state"] == "applied"
    again = post(client, f"{L}/{loan.public_id}/approve", {}, t1)
    assert again.status_code == 409 and again.json()["code"] == "loan_already_approved_by_you"
    assert post(client, f"{L}/{loan.public_id}/approve", {}, t2).json()["state"] == "approved"
    paid = post(client, f"{L}/{loan.public_id}/disburse", {}, t1).json()
    assert paid["state"] == "disbursed" and len(paid["schedule"]) == 3
    assert paid["schedule"][0]["interest_satang"] == 5833
    repaid = post(
        client,
        f"{L}/{loan.public_id}/repayments",
        {"amount_satang": 1_005_833, "paid_on": "2020-01-01", "reference": "R-1"},
        t2,
    )
    assert repaid.status_code == 201 and repaid.json()["interest_satang"] == 5833
    own = get(client, f"{L}/{loan.public_id}", token_for(client, person.phone)).json()
    assert own["state"] == "repaying" and own["repayments"][0]["reference"] == "R-1"


def test_never_on_ones_own_loan_and_never_without_the_permission(client, bank):
    _fund, product, first, _second = bank
    give(first, points=50, credit=100)
    from kwamdee.people.choices import ConsentPurpose
    from kwamdee.people.services import consent_give

    consent_give(person=first, purpose=ConsentPurpose.LOAN_ELIGIBILITY, actor=first)
    own = loan_apply(
        actor=first, product=product, principal_satang=100_000, instalments=2, pledge_points=10, key="o"
    )
    answer = post(client, f"{L}/{own.public_id}/approve", {}, token_for(client, first.phone))
    assert answer.status_code == 403 and answer.json()["code"] == "loan_own"
    citizen = borrower(name="ชาวบ้าน")
    assert (
        post(client, f"{L}/{own.public_id}/approve", {}, token_for(client, citizen.phone)).status_code == 403
    )
    assert get(client, f"{L}/{own.public_id}", token_for(client, citizen.phone)).status_code == 404


def test_another_communitys_committee_gets_not_found(client, bank):
    fund, product, *_ = bank
    loan = loan_apply(
        actor=borrower(), product=product, principal_satang=100_000, instalments=2, pledge_points=10, key="x"
    )
    outsider = make_committee(make_community(subdistrict=PHANOM_THUAN), name="กรรมการ ตำบลอื่น")
    token = token_for(client, outsider.phone)
    assert post(client, f"{L}/{loan.public_id}/approve", {}, token).status_code == 404
    assert post(client, f"{L}/{loan.public_id}/decline", {"reason": "x"}, token).status_code == 404
    assert get(client, f"{L}/funds/{fund.public_id}/waiting", token).status_code == 404
    assert not loan.approvals.exists()
