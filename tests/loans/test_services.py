"""The goodness bank's loans through their services: deposits, eligibility with consent, the
pledge held in the ledger (never credit), approvals (never the applicant; two above the
threshold), disbursement within what the fund holds, repayments, closing, declining, defaulting."""

import uuid
from datetime import date, timedelta

import pytest

from kwamdee.common.errors import PermissionDenied
from kwamdee.common.idempotency import IdempotencyConflict
from kwamdee.common.models import AuditEvent
from kwamdee.ledger.models import Account
from kwamdee.ledger.verification import ledger_verify
from kwamdee.loans.errors import (
    AlreadyApproved,
    ConsentNeeded,
    FundTooLow,
    LoanInvalid,
    NotEligible,
    NotEnoughPointsToPledge,
    OwnLoan,
    RepaymentInvalid,
    StillOwed,
    WrongState,
)
from kwamdee.loans.ledger import LOAN_FUND_POINTS, PERSON_POINTS_PLEDGED
from kwamdee.loans.models import Loan
from kwamdee.loans.selectors import (
    fund_balance,
    loan_arrears,
    loan_eligibility,
    loan_owed,
    loan_principal_owed,
    loan_schedule,
    loans_in_arrears,
)
from kwamdee.loans.services import (
    loan_apply,
    loan_approve,
    loan_close,
    loan_decline,
    loan_default,
    loan_disburse,
    loan_repayment_record,
)
from kwamdee.people.models import CommunityMembership
from kwamdee.rewards.holds import person_points, points_held_in
from kwamdee.rewards.levels import person_credit
from tests.factories import SYSTEM, make_person
from tests.loans.factories import borrower, deposit, nong_sarai_product, open_bank
from tests.stateful import ledger_consistent

pytestmark = pytest.mark.django_db


def apply(person, product, *, baht=10_000, n=6, pledge=10, key=None):
    return loan_apply(
        actor=person, product=product, principal_satang=baht * 100, instalments=n, pledge_points=pledge,
        key=key or str(uuid.uuid4()),
    )  # fmt: skip


def pledged(person):
    return points_held_in(person, PERSON_POINTS_PLEDGED)


def spendable(person):
    return sum(person_points(person).values())


def ledger_whole():
    ledger_consistent()
    report = ledger_verify()
    assert report.ok, report.problems


def events(subject):
    rows = AuditEvent.objects.filter(subject_id=str(subject.public_id)).order_by("id")
    return list(rows.values_list("event_type", flat=True))


def test_a_deposit_is_a_ledger_transaction_from_its_source_and_taken_once():
    fund, _first, _second = open_bank()

    first = deposit(fund, 3_000_000, reference="WF-1")
    again = deposit(fund, 3_000_000, reference="WF-1")

    assert again.pk == first.pk and fund_balance(fund) == 3_000_000
    source = Account.objects.get(holder_ref=fund.ledger_ref, kind="loan_fund_source")
    assert (source.virtue_code, source.balance) == ("welfare_fund", -3_000_000)
    with pytest.raises(IdempotencyConflict):
        deposit(fund, 100, reference="WF-1")
    ledger_whole()


def test_eligibility_is_read_only_with_consent_and_says_each_condition():
    fund, _first, _second = open_bank()
    product = nong_sarai_product(fund, min_credit=50, min_level=0, min_member_months=6, min_recent_deeds=1)
    person = borrower(points=100, credit=80, consent=False)

    assert loan_eligibility(person, product).consent is False
    with pytest.raises(ConsentNeeded):
        apply(person, product)

    person = borrower(points=5, credit=80, name="สมศรี มีใจ")
    CommunityMembership.objects.filter(person=person).update(
        decided_at=person.date_joined - timedelta(days=200)
    )
    seen = {c.code: c.met for c in loan_eligibility(person, product).conditions}

    assert seen == {"member": True, "credit": True, "member_months": True, "recent_deeds": False,
                    "no_arrears": True, "pledge": False}  # fmt: skip
    with pytest.raises(NotEligible) as refused:
        apply(person, product)
    assert set(refused.value.fields) == {"recent_deeds", "pledge"}


def test_a_pledge_holds_points_never_credit_and_a_decline_gives_them_back():
    fund, first, _second = open_bank(baht=30_000)
    product = nong_sarai_product(fund)
    person = borrower(points=100, credit=100)

    loan = apply(person, product, pledge=40)

    assert (spendable(person), pledged(person), person_credit(person)) == (60, 40, 100)
    assert loan.state == "applied" and loan.approvals_needed == 1
    loan_decline(actor=first, loan=loan, reason="ยังไม่ครบเงื่อนไข")
    assert (spendable(person), pledged(person), person_credit(person)) == (100, 0, 100)
    assert events(loan) == ["loan:apply", "loan:decline"]
    ledger_whole()


def test_a_pledge_beyond_the_spendable_points_is_refused_and_nothing_is_held():
    fund, _first, _second = open_bank(baht=30_000)
    product = nong_sarai_product(fund, min_pledge_points=0)
    person = borrower(points=30)

    with pytest.raises(NotEnoughPointsToPledge):
        apply(person, product, pledge=31)
    assert (spendable(person), pledged(person)) == (30, 0)


def test_an_application_retried_with_its_key_is_one_loan_and_other_terms_are_refused():
    fund, _first, _second = open_bank()
    product = nong_sarai_product(fund)
    person = borrower()

    loan = apply(person, product, key="one-tap")

    assert apply(person, product, key="one-tap").pk == loan.pk and pledged(person) == 10
    with pytest.raises(IdempotencyConflict):
        apply(person, product, key="one-tap", baht=9_000)


@pytest.mark.parametrize(("baht", "n"), [(50_000.01, 6), (0, 6), (10_000, 25), (10_000, 0)])
def test_amounts_and_terms_outside_the_product_are_refused(baht, n):
    fund, _first, _second = open_bank()
    product = nong_sarai_product(fund)
    person = borrower()

    with pytest.raises(LoanInvalid):
        loan_apply(actor=person, product=product, principal_satang=round(baht * 100), instalments=n,
                   pledge_points=10, key="k")  # fmt: skip
    assert pledged(person) == 0


def test_above_the_threshold_two_different_committee_members_approve_never_the_applicant():
    fund, first, second = open_bank(baht=50_000)
    product = nong_sarai_product(fund)
    member = make_person(name="สมาชิก ธรรมดา")
    person = borrower()
    loan = apply(person, product, baht=30_000)
    assert loan.approvals_needed == 2

    with pytest.raises(PermissionDenied):
        loan_approve(actor=member, loan=loan)
    loan = loan_approve(actor=first, loan=loan)
    assert loan.state == "applied"
    with pytest.raises(AlreadyApproved):
        loan_approve(actor=first, loan=loan)
    loan = loan_approve(actor=second, loan=loan)

    assert loan.state == "approved" and loan.approved_at is not None
    assert events(loan) == ["loan:apply", "loan:approve", "loan:approve"]


def test_a_committee_member_cannot_approve_their_own_loan():
    fund, first, second = open_bank(baht=50_000)
    product = nong_sarai_product(fund)
    from kwamdee.people.choices import ConsentPurpose
    from kwamdee.people.services import consent_give
    from tests.rewards.factories import give

    give(first, points=50, credit=100)
    consent_give(person=first, purpose=ConsentPurpose.LOAN_ELIGIBILITY, actor=first)
    loan = apply(first, product)

    with pytest.raises(OwnLoan):
        loan_approve(actor=first, loan=loan)
    assert loan_approve(actor=second, loan=loan).state == "approved"


def test_the_last_approval_promises_money_the_fund_holds_beyond_earlier_promises():
    fund, first, _second = open_bank(baht=30_000)
    product = nong_sarai_product(fund, two_approvers_above_satang=5_000_000)
    one, two = borrower(name="หนึ่ง"), borrower(name="สอง")
    a, b = apply(one, product, baht=20_000), apply(two, product, baht=20_000)

    loan_approve(actor=first, loan=a)
    with pytest.raises(FundTooLow):
        loan_approve(actor=first, loan=b)
    assert b.approvals.count() == 0
    deposit(fund, 1_000_000, source="donation")
    assert loan_approve(actor=first, loan=b).state == "approved"


def test_disbursement_moves_the_money_and_fixes_the_schedule_and_repayments_close_the_loan():
    fund, first, second = open_bank(baht=50_000)
    product = nong_sarai_product(fund)
    person = borrower(points=100, credit=100)
    loan = apply(person, product, baht=30_000, n=3, pledge=20)
    loan_approve(actor=first, loan=loan)
    loan_approve(actor=second, loan=loan)

    loan = loan_disburse(actor=first, loan=loan, on=date(2027, 1, 10))

    assert fund_balance(fund) == 2_000_000 and loan_principal_owed(loan) == 3_000_000
    schedule = [(r.due_on, r.principal_satang, r.interest_satang) for r in loan_schedule(loan)]
    assert schedule == [
        (date(2027, 2, 10), 1_000_000, 5_833), (date(2027, 3, 10), 1_000_000, 0),
        (date(2027, 4, 10), 1_000_000, 0),
    ]  # fmt: skip
    assert loan_owed(loan) == 3_005_833

    # The first payment pays the first instalment's interest, then principal.
    first_payment = loan_repayment_record(actor=second, loan=loan, amount_satang=1_005_833,
                                          paid_on=date(2027, 2, 9), reference="R-1")  # fmt: skip
    assert (first_payment.interest_satang, first_payment.principal_satang) == (5_833, 1_000_000)
    loan.refresh_from_db()
    assert loan.state == "repaying" and pledged(person) == 20
    with pytest.raises(StillOwed):
        loan_close(actor=first, loan=loan)
    with pytest.raises(RepaymentInvalid):
        loan_repayment_record(actor=second, loan=loan, amount_satang=2_000_001, paid_on=date(2027, 3, 1),
                              reference="R-2")  # fmt: skip

    loan_repayment_record(actor=second, loan=loan, amount_satang=2_000_000, paid_on=date(2027, 3, 1),
                          reference="R-2")  # fmt: skip

    loan.refresh_from_db()
    assert loan.state == "closed" and loan_owed(loan) == 0 and loan_principal_owed(loan) == 0
    assert fund_balance(fund) == 5_005_833
    assert Account.objects.get(holder_ref=fund.ledger_ref, kind="loan_interest").balance == -5_833
    assert (spendable(person), pledged(person), person_credit(person)) == (100, 0, 100)
    assert events(loan) == ["loan:apply", "loan:approve", "loan:approve", "loan:disburse", "loan:close"]
    ledger_whole()


def test_a_fund_never_pays_out_more_than_it_holds():
    fund, first, _second = open_bank(baht=20_000)
    product = nong_sarai_product(fund, two_approvers_above_satang=5_000_000)
    loan = apply(borrower(), product, baht=20_000)
    loan_approve(actor=first, loan=loan)
    # The money left meanwhile (as if another loan had been paid out without this fund's promise).
    from kwamdee.ledger.services import Leg, Source, accounts_get_or_create, ledger_transaction_post
    from kwamdee.loans.ledger import fund_chain_key
    from kwamdee.loans.services import AccountKey

    keys = [AccountKey(fund.ledger_ref, "loan_fund", "satang", ""), AccountKey(uuid.uuid4(), "loan_receivable",
                                                                              "satang", "")]  # fmt: skip
    accounts = accounts_get_or_create(keys)
    ledger_transaction_post(chain_key=fund_chain_key(fund.public_id), kind="loan_disburse", idempotency_key="x",
                            legs=[Leg(accounts[keys[0]], -1), Leg(accounts[keys[1]], 1)],
                            source=Source("loan", str(uuid.uuid4())))  # fmt: skip

    with pytest.raises(FundTooLow):
        loan_disburse(actor=first, loan=loan)
    loan.refresh_from_db()
    assert loan.state == "approved" and fund_balance(fund) == 1_999_999
    ledger_whole()


@pytest.mark.parametrize(("rule", "back", "to_fund"), [("release", 50, 0), ("transfer", 30, 20)])
def test_a_defaulted_loan_follows_the_rule_the_person_saw(rule, back, to_fund):
    fund, first, second = open_bank(baht=50_000)
    product = nong_sarai_product(fund, default_rule=rule, two_approvers_above_satang=5_000_000)
    person = borrower(points=50, credit=100)
    loan = apply(person, product, baht=10_000, n=2, pledge=20)
    loan_approve(actor=first, loan=loan)
    loan = loan_disburse(actor=first, loan=loan, on=date.today() - timedelta(days=70))
    with pytest.raises(WrongState):
        loan_default(actor=first, loan=loan, today=loan.disbursed_on)  # nothing due yet: not in arrears

    assert loan_arrears(loan) == 1_000_000 and loans_in_arrears(fund) == [loan]
    loan = loan_default(actor=second, loan=loan)

    assert loan.state == "defaulted" and loan.default_rule == rule
    assert (spendable(person), pledged(person), person_credit(person)) == (back, 0, 100)
    fund_points = Account.objects.filter(holder_ref=fund.ledger_ref, kind=LOAN_FUND_POINTS).first()
    assert (fund_points.balance if fund_points else 0) == to_fund
    ledger_whole()


def test_steps_out_of_order_are_refused():
    fund, first, _second = open_bank(baht=50_000)
    product = nong_sarai_product(fund, two_approvers_above_satang=5_000_000)
    loan = apply(borrower(), product)

    with pytest.raises(WrongState):
        loan_disburse(actor=first, loan=loan)
    with pytest.raises(WrongState):
        loan_repayment_record(actor=first, loan=loan, amount_satang=100, paid_on=date.today(), reference="R")
    loan_decline(actor=first, loan=loan)
    with pytest.raises(WrongState):
        loan_approve(actor=first, loan=loan)


def test_a_loan_in_arrears_makes_the_next_application_ineligible():
    fund, first, _second = open_bank(baht=50_000)
    product = nong_sarai_product(fund, two_approvers_above_satang=5_000_000, min_pledge_points=0)
    person = borrower(points=50)
    loan = apply(person, product, baht=5_000, n=2, pledge=0)
    loan_approve(actor=first, loan=loan)
    loan_disburse(actor=SYSTEM, loan=loan, on=date.today() - timedelta(days=40))

    with pytest.raises(NotEligible) as refused:
        apply(person, product, baht=1_000, pledge=0)
    assert set(refused.value.fields) == {"no_arrears"}


def test_the_passbook_reads_a_pledge_as_the_loans():
    from kwamdee.passbook.describers import DESCRIBERS

    fund, _first, _second = open_bank()
    loan = apply(borrower(), nong_sarai_product(fund))

    [described] = DESCRIBERS["loan"]([str(loan.public_id)]).values()
    assert "สินเชื่อความดี" in described.title and described.url == ""


def test_another_communitys_committee_cannot_keep_this_funds_loans():
    from tests.factories import PHANOM_THUAN, make_community
    from tests.rewards.factories import make_committee

    fund, _first, _second = open_bank(baht=30_000)
    outsider = make_committee(make_community(PHANOM_THUAN), name="กรรมการ ตำบลอื่น")
    loan = apply(borrower(), nong_sarai_product(fund))

    for step in (loan_approve, loan_decline, loan_disburse):
        with pytest.raises(PermissionDenied):
            step(actor=outsider, loan=loan)
    with pytest.raises(PermissionDenied):
        deposit_as(outsider, fund)


def deposit_as(actor, fund):
    from kwamdee.loans.services import fund_deposit

    return fund_deposit(actor=actor, fund=fund, source="donation", amount_satang=100, reference="X",
                        received_on=date(2027, 1, 1))  # fmt: skip


def test_what_the_loan_is_for_is_kept_and_bad_text_is_refused_with_nothing_held():
    fund, _first, _second = open_bank(baht=50_000)
    product = nong_sarai_product(fund)
    person = borrower(points=100, credit=100)

    with pytest.raises(LoanInvalid) as refused:
        loan_apply(actor=person, product=product, principal_satang=1_000_000, instalments=3, pledge_points=10,
                   key="k-bad", purpose="ซ่อมบ้าน\x00")  # fmt: skip
    assert "purpose" in refused.value.fields and pledged(person) == 0 and not Loan.objects.exists()
    with pytest.raises(LoanInvalid):
        loan_apply(
            actor=person, product=product, principal_satang=1_000_000, instalments=3, pledge_points=10,
            key="k-long", purpose="ก" * 301,
        )  # fmt: skip

    loan = loan_apply(actor=person, product=product, principal_satang=1_000_000, instalments=3,
                      pledge_points=10, key="k-ok", purpose="  ซื้อพันธุ์ข้าวสำหรับนาปี  ")  # fmt: skip
    assert Loan.objects.get(pk=loan.pk).purpose == "ซื้อพันธุ์ข้าวสำหรับนาปี"
