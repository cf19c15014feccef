"""Loans and the person's rights (PDPA §30–33): My data holds their loans, repayments and the
loans they decided on as a committee member; erasure never erases a debt (a loan still owed
refuses it, changing nothing), withdraws a waiting application (its pledge back through the
ledger), keeps closed loans for the fund de-identified, and never hits a PROTECT (500)."""

import json
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from kwamdee.common.erasure import ERASED_NAME
from kwamdee.common.models import AuditEvent
from kwamdee.common.personal_data import personal_data_collect
from kwamdee.ledger.verification import ledger_verify
from kwamdee.loans.choices import LoanState
from kwamdee.loans.errors import LoanBlocksErasure, WrongState
from kwamdee.loans.ledger import PERSON_POINTS_PLEDGED
from kwamdee.loans.models import Loan, LoanApproval
from kwamdee.loans.selectors import fund_balance
from kwamdee.loans.services import (
    loan_apply,
    loan_approve,
    loan_default,
    loan_disburse,
    loan_repayment_record,
)
from kwamdee.people.models import User
from kwamdee.privacy.services import person_erase
from kwamdee.rewards.holds import person_points, points_held_in
from tests.concurrency import run_at_once
from tests.factories import PASSWORD
from tests.loans.factories import borrower, nong_sarai_product, open_bank
from tests.privacy.test_erasure import _rows_holding

NAME = "บุญมา ยืมเงินกองทุน"
KEY = "คำขอของบุญมา-0899"


@pytest.fixture(autouse=True)
def english():
    """These tests read the words of the export and the refusal in English (the site's default
    is Thai; tests/privacy checks the Thai pages)."""
    with translation.override("en"):
        yield


def _sections(person):
    return {section.key: section for section in personal_data_collect(person)}


PURPOSE = "ซื้อพันธุ์ข้าวหอมมะลิ 105 สำหรับนาปี"


def _apply(person, product, *, baht, n=3, pledge=10, key=None, purpose=""):
    return loan_apply(
        actor=person, product=product, principal_satang=baht * 100, instalments=n, pledge_points=pledge,
        key=key or str(uuid.uuid4()), purpose=purpose,
    )  # fmt: skip


def _fresh(person):
    return User.objects.get(pk=person.pk)


@pytest.mark.django_db
def test_my_data_holds_the_loans_repayments_and_committee_decisions(client):
    # Given: a loan of 30,000 baht (two approvals), paid out and partly repaid
    fund, first, second = open_bank(baht=100_000)
    product = nong_sarai_product(fund)
    person = borrower(name=NAME)
    loan = _apply(person, product, baht=30_000, pledge=20, purpose=PURPOSE)
    loan_approve(actor=first, loan=loan)
    loan_approve(actor=second, loan=loan)
    loan_disburse(actor=first, loan=loan, on=date(2027, 1, 10))
    loan_repayment_record(actor=second, loan=loan, amount_satang=1_005_833, paid_on=date(2027, 2, 9),
                          reference="R-0001")  # fmt: skip

    # When: each reads their data
    mine = _sections(person)

    # Then: the person sees the loan, its schedule in sum, their pledge and the repayment
    [row] = mine["loans"].rows
    assert row["loan"] == str(loan.public_id) and row["product"] == product.name
    assert row["amount_baht"] == Decimal("30000.00") and row["pledge_points"] == 20
    assert row["purpose"] == PURPOSE
    assert row["state"] == str(LoanState.REPAYING.label) and row["approvals"] == 2 and row["instalments"] == 3
    assert row["disbursed_on"] == date(2027, 1, 10) and row["first_due_on"] == date(2027, 2, 10)
    assert row["last_due_on"] == date(2027, 4, 10)
    assert row["interest_baht"] == Decimal("58.33") and row["due_baht"] == Decimal("30058.33")
    assert row["paid_baht"] == Decimal("10058.33") and row["owed_baht"] == Decimal("20000.00")
    [repayment] = mine["loan_repayments"].rows
    assert repayment["reference"] == "R-0001" and repayment["interest_baht"] == Decimal("58.33")
    assert mine["loan_decisions"].rows == []
    # the committee members see what they did, never whose loan it was
    # (the first approved it, then paid it out: its last step so far)
    decided = _sections(first)["loan_decisions"].rows
    assert [(r["loan"], r["what"], r["state"]) for r in decided] == [
        (str(loan.public_id), "You approved it", "Being repaid"),
        (str(loan.public_id), "You took its last step", "Being repaid"),
    ]  # fmt: skip
    assert NAME not in json.dumps(_sections(second)["loan_decisions"].rows, default=str)
    assert _sections(first)["loans"].rows == []

    # and the JSON download carries the sections, with plain values
    client.login(username=person.phone, password=PASSWORD)
    client.cookies["django_language"] = "en"
    document = json.loads(client.post("/privacy/my-data/download/json/").content)
    assert document["sections"]["loans"]["rows"][0]["owed_baht"] == "20000.00"
    assert document["sections"]["loan_repayments"]["rows"][0]["paid_on"] == "2027-02-09"


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["disbursed", "repaying"])
def test_a_loan_still_owed_refuses_the_erasure_and_nothing_changes(state):
    # Given: a loan paid out 70 days ago (in arrears), then repaid in part
    fund, first, second = open_bank(baht=100_000)
    person = borrower(name=NAME)
    loan = _apply(person, nong_sarai_product(fund), baht=10_000, n=3)
    loan_approve(actor=first, loan=loan)
    loan_disburse(actor=first, loan=loan, on=date.today() - timedelta(days=70))
    if state == "repaying":
        loan_repayment_record(
            actor=second, loan=loan, amount_satang=100_000, paid_on=date.today(), reference="R"
        )
    events = AuditEvent.objects.count()

    # When: they try to erase their account
    with pytest.raises(LoanBlocksErasure) as refused:
        person_erase(actor=person, person=_fresh(person), password=PASSWORD)

    # Then: a clear refusal, and nothing at all was erased
    assert refused.value.code == "loan_blocks_erasure" and refused.value.status == 409
    assert "repaid" in str(refused.value.message)
    kept = _fresh(person)
    assert kept.full_name == NAME and kept.is_active
    assert Loan.objects.get(pk=loan.pk).state == state
    assert AuditEvent.objects.count() == events
    assert ledger_verify().ok


@pytest.mark.django_db
def test_a_defaulted_loan_does_not_block_the_erasure_for_good():
    # Given: a loan paid out, in arrears, declared defaulted (nothing can repay or close it yet)
    fund, first, second = open_bank(baht=100_000)
    person = borrower(name=NAME)
    loan = _apply(person, nong_sarai_product(fund), baht=10_000, n=3)
    loan_approve(actor=first, loan=loan)
    loan_disburse(actor=first, loan=loan, on=date.today() - timedelta(days=70))
    loan_default(actor=second, loan=loan)

    # When: the person erases their account
    person_erase(actor=person, person=_fresh(person), password=PASSWORD)

    # Then: erased; the loan stays, defaulted, with its debt, on the tombstone
    kept = Loan.objects.get(pk=loan.pk)
    assert kept.state == "defaulted" and kept.person_id == person.pk
    assert _fresh(person).full_name != NAME and not _fresh(person).is_active
    assert ledger_verify().ok


@pytest.mark.django_db
def test_the_erase_page_says_why_it_cannot_erase_yet(client):
    fund, first, _second = open_bank(baht=100_000)
    person = borrower(name=NAME)
    loan = _apply(person, nong_sarai_product(fund), baht=10_000)
    loan_approve(actor=first, loan=loan)
    loan_disburse(actor=first, loan=loan)
    client.login(username=person.phone, password=PASSWORD)
    client.cookies["django_language"] = "en"

    response = client.post("/privacy/erase/", {"password": PASSWORD, "understood": "on"})

    assert response.status_code == 200  # the form again, with the reason: never a 500
    page = response.content.decode()
    assert "data-error-summary" in page and "repaid and closed" in page
    assert _fresh(person).full_name == NAME


def _erasure_withdraws_and_de_identifies():
    # Given: a person with a closed loan (repaid), a waiting application (points pledged), who is
    # also on another fund's committee and approved a neighbour's loan there
    fund, first, second = open_bank(baht=100_000)
    product = nong_sarai_product(fund)
    person = borrower(name=NAME)
    closed = _apply(person, product, baht=10_000, n=1, key=KEY, purpose=PURPOSE)
    loan_approve(actor=first, loan=closed)
    loan_disburse(actor=first, loan=closed, on=date.today())
    loan_repayment_record(
        actor=second, loan=closed, amount_satang=1_000_000, paid_on=date.today(), reference="R-1"
    )
    waiting = _apply(person, product, baht=5_000, pledge=15)
    assert points_held_in(person, PERSON_POINTS_PLEDGED) == 15
    neighbour = borrower(name="เพื่อนบ้าน กู้ด้วย")
    theirs = _apply(neighbour, product, baht=1_000)
    loan_approve(actor=first, loan=theirs)
    balance = fund_balance(fund)
    needles = {"name": NAME, "phone": person.phone, "key": KEY, "purpose": PURPOSE}
    assert "loans_loan.idempotency_key holds the key" in _rows_holding(needles)
    assert "loans_loan.purpose holds the purpose" in _rows_holding(needles)

    # When: they erase their account
    person_erase(actor=person, person=_fresh(person), password=PASSWORD)

    # Then: the application is withdrawn and its pledge back on their pseudonymous points
    tombstone = _fresh(person)
    assert tombstone.full_name == ERASED_NAME
    waiting = Loan.objects.get(pk=waiting.pk)
    assert waiting.state == "declined" and waiting.decided_by is None and waiting.decided_at
    assert points_held_in(tombstone, PERSON_POINTS_PLEDGED) == 0
    assert sum(person_points(tombstone).values()) == 100
    [event] = AuditEvent.objects.filter(event_type="loan:withdraw")
    assert event.subject_id == str(waiting.public_id) and event.data["reason"] == "erasure"
    # the closed loan stays for the fund, linked to the tombstone, with nothing of the person
    closed = Loan.objects.get(pk=closed.pk)
    assert closed.state == "closed" and closed.person_id == tombstone.pk
    assert closed.idempotency_key != KEY and closed.repayments.count() == 1
    assert _sections(tombstone)["loans"].rows[0]["state"] == str(LoanState.CLOSED.label)
    # the neighbour's loan and its approval are untouched; the fund holds what it held
    assert Loan.objects.get(pk=theirs.pk).state == "approved" and fund_balance(fund) == balance
    assert LoanApproval.objects.filter(loan=theirs).count() == 1
    erase = AuditEvent.objects.get(event_type="person:erase")
    assert erase.data["erased"]["loans"] == 3  # one withdrawn, two keys replaced
    assert _rows_holding(needles) == []
    report = ledger_verify()
    assert report.ok, report.problems


@pytest.mark.django_db
def test_erasure_withdraws_a_waiting_application_and_de_identifies_closed_loans():
    _erasure_withdraws_and_de_identifies()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)  # committed for real: deferred foreign keys are checked
def test_erasure_of_loans_on_postgresql(postgres_only):
    _erasure_withdraws_and_de_identifies()


@pytest.mark.django_db
def test_a_committee_member_who_approved_loans_can_erase_their_account():
    # Given: two committee members approved a loan above the threshold, which was paid out
    fund, first, second = open_bank(baht=100_000)
    person = borrower(name=NAME)
    loan = _apply(person, nong_sarai_product(fund), baht=30_000)
    loan_approve(actor=first, loan=loan)
    loan_approve(actor=second, loan=loan)
    loan_disburse(actor=second, loan=loan)

    # When: the first erases their account (LoanApproval.approver is PROTECT)
    person_erase(actor=first, person=_fresh(first), password=PASSWORD)

    # Then: their approval stays as the fund's record, naming the tombstone; the loan runs on
    assert _fresh(first).full_name == ERASED_NAME
    assert set(LoanApproval.objects.filter(loan=loan).values_list("approver_id", flat=True)) == {
        first.pk, second.pk,
    }  # fmt: skip
    assert Loan.objects.get(pk=loan.pk).state == "disbursed"
    assert _rows_holding({"name": "กรรมการ หนึ่ง"}) == []
    assert ledger_verify().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_erasure_and_a_disbursement_at_the_same_moment_settle_the_loan_once(postgres_only):
    """The committee pays out an approved loan while its person erases their account: either the
    loan is paid out (and the erasure is refused, nothing erased) or it is withdrawn (and the
    payment is refused); never both, and the ledger balances either way."""
    fund, first, _second = open_bank(baht=100_000)
    person = borrower(name=NAME)
    loan = _apply(person, nong_sarai_product(fund), baht=10_000)
    loan_approve(actor=first, loan=loan)

    outcomes = run_at_once(
        [
            lambda: person_erase(actor=person, person=_fresh(person), password=PASSWORD),
            lambda: loan_disburse(actor=first, loan=loan),
        ],
        expected={LoanBlocksErasure: "blocked", WrongState: "refused"},
    )

    loan = Loan.objects.get(pk=loan.pk)
    if loan.state == "disbursed":
        assert sorted(outcomes) == ["blocked", "ok"] and _fresh(person).full_name == NAME
        assert fund_balance(fund) == 9_000_000
    else:
        assert loan.state == "declined" and sorted(outcomes) == ["ok", "refused"]
        assert _fresh(person).full_name == ERASED_NAME and fund_balance(fund) == 10_000_000
    assert connection.vendor == "postgresql" and ledger_verify().ok
