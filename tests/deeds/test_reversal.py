"""The auditor's reversal of a deed's credit (deeds/reversal.py), through the ledger's reversal
entry: every refusal changes nothing; a reversal takes back exactly the credit and points, once;
points already spent stay spent; `ledger_verify` still passes."""

import uuid
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.models import AuditEvent
from kwamdee.common.roles import Role, role_grant
from kwamdee.deeds.choices import FlagKind
from kwamdee.deeds.errors import CreditAlreadyReversed, FlagNotOpen, LimitReached, NotReversible
from kwamdee.deeds.events import DeedsEvent
from kwamdee.deeds.models import Deed, DeedFlag, DeedReversal
from kwamdee.deeds.services import deed_credit_reverse, deed_flag_dismiss, deed_reject, deed_verify
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.errors import InsufficientBalance
from kwamdee.ledger.models import LedgerTransaction
from kwamdee.ledger.services import (
    AccountKey,
    Leg,
    Source,
    accounts_get_or_create,
    ledger_transaction_post,
    ledger_transaction_reverse,
)
from kwamdee.ledger.verification import ledger_verify
from kwamdee.notifications.models import Notification
from kwamdee.notifications.texts import notification_text
from kwamdee.passbook.selectors import passbook_get
from kwamdee.people.accounts import person_account_key
from kwamdee.people.models import User
from tests.audit import assert_one_audit
from tests.concurrency import run_at_once
from tests.deeds.test_services import record
from tests.factories import SYSTEM, days_ago, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def community(db):
    """The community of the tests' subdistrict, made first: the citizen is its newly approved
    member, whose first deeds are flagged (deeds/flags.py)."""
    from tests.factories import make_community

    return make_community()


def make_auditor(name="อรุณี ตรวจสอบ"):
    person = make_person(name=name)
    with transaction.atomic():  # as the service that grants a role does
        role_grant(actor=SYSTEM, person=person, role=Role.AUDITOR)
    return User.objects.get(pk=person.pk)  # fresh permission cache


@pytest.fixture
def auditor(db):
    return make_auditor()


@pytest.fixture
def credited(deed_types, citizen, verifier):
    """A verified deed: 2.5 hours of volunteering, 20 credit and 20 points."""
    deed = record(citizen, deed_types["volunteer-hours"], quantity="2.5")
    return deed_verify(actor=verifier, deed_public_id=deed.public_id)


def unchanged(deed, person, book=(20, 20)):
    """Nothing of a refused reversal stayed: the deed, its flags, the ledger, the audit log."""
    deed = Deed.objects.get(pk=deed.pk)
    assert deed.status == "verified"
    assert not DeedReversal.objects.exists()
    assert not LedgerTransaction.objects.filter(kind="reversal").exists()
    assert not AuditEvent.objects.filter(event_type="deed:reverse").exists()
    assert not DeedFlag.objects.filter(deed=deed, state="reversed").exists()
    current = passbook_get(person=person)
    assert (current.credit_total, current.points_total) == book


def ledger_ok():
    out = StringIO()
    call_command("ledger_verify", "--workers", "1", stdout=out)
    return "ledger OK" in out.getvalue() and ledger_verify().ok


def test_a_reversal_takes_back_exactly_the_credit_and_points(credited, citizen, auditor):
    # Given: the deed's 20 credit and 20 points in the passbook, and its open flags (a new member)
    assert DeedFlag.objects.filter(deed=credited, state="open").exists()

    # When: the auditor reverses it, entered in error
    deed = deed_credit_reverse(
        actor=auditor, deed_public_id=credited.public_id, reason_code="entered_in_error", note="พิมพ์ชั่วโมงผิด"
    )

    # Then: the passbook goes down by exactly the credit and points, through a reversal entry
    assert deed.status == "reversed" and Deed.objects.get(pk=credited.pk).status == "reversed"
    book = passbook_get(person=citizen)
    assert (book.credit_total, book.points_total) == (0, 0)
    reversal_entry = book.entries[0]
    assert reversal_entry.kind == "reversal" and (reversal_entry.credit, reversal_entry.points) == (-20, -20)
    assert reversal_entry.description.reversal == "เครดิตนี้ถูกบันทึกผิดพลาด"  # Thai, the site's language
    reversal = DeedReversal.objects.get(deed=credited)
    assert (reversal.reason_code, reversal.credit, reversal.points, reversal.points_kept) == (
        "entered_in_error", 20, 20, 0,
    )  # fmt: skip
    original = LedgerTransaction.objects.get(pk=credited.ledger_transaction_id)
    assert reversal.ledger_transaction.reverses == original
    assert reversal.ledger_transaction.memo == {"deed_type": "volunteer-hours", "reason": "entered_in_error"}
    # its flags are closed as reversed, one audit event names the reason and not the note
    assert not DeedFlag.objects.filter(deed=credited, state="open").exists()
    event = assert_one_audit(DeedsEvent.REVERSE, subject_id=str(credited.public_id))
    assert event.actor_id == auditor.pk and event.data["reason_code"] == "entered_in_error"
    assert "พิมพ์" not in str(event.data)
    assert ledger_ok()


def test_a_reversal_without_a_reason_code_is_refused_and_changes_nothing(credited, citizen, auditor):
    for code in ("", "he lied", "rejected_on_appeal", None):
        with pytest.raises(ValidationFailed) as refused:
            deed_credit_reverse(actor=auditor, deed_public_id=credited.public_id, reason_code=code)
        assert list(refused.value.fields) == ["reason_code"]
    unchanged(credited, citizen)


def test_only_an_auditor_may_reverse(credited, citizen, verifier):
    staff = make_person(name="วิไล ส่งเสริม")
    role_grant(actor=SYSTEM, person=staff, role=Role.STAFF)
    for actor in (citizen, verifier, User.objects.get(pk=staff.pk)):
        with pytest.raises(PermissionDenied):
            deed_credit_reverse(actor=actor, deed_public_id=credited.public_id, reason_code="fraudulent")
    unchanged(credited, citizen)


def test_reversing_twice_takes_back_once(credited, citizen, auditor):
    deed_credit_reverse(actor=auditor, deed_public_id=credited.public_id, reason_code="duplicate")
    with pytest.raises(CreditAlreadyReversed):
        deed_credit_reverse(actor=auditor, deed_public_id=credited.public_id, reason_code="fraudulent")
    assert LedgerTransaction.objects.filter(kind="reversal").count() == 1
    assert DeedReversal.objects.get().reason_code == "duplicate"
    assert passbook_get(person=citizen).credit_total == 0
    assert ledger_ok()


def test_only_a_verified_deed_is_reversed(deed_types, citizen, verifier, auditor):
    pending = record(citizen, deed_types["returning-lost-property"])
    rejected = deed_reject(
        actor=verifier,
        deed_public_id=record(
            citizen, deed_types["returning-lost-property"], performed_on=days_ago(2)
        ).public_id,
        reason_code="duplicate",
    )
    for deed in (pending, rejected):
        with pytest.raises(NotReversible):
            deed_credit_reverse(actor=auditor, deed_public_id=deed.public_id, reason_code="fraudulent")
    for unknown in (uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(NotFound):
            deed_credit_reverse(actor=auditor, deed_public_id=unknown, reason_code="fraudulent")
    assert not DeedReversal.objects.exists() and not LedgerTransaction.objects.exists()


def spend(person, points, virtue="volunteerism"):
    """The person spends points (as a partner's privilege will take them): a posting from their
    points account to a test sink."""
    mine = person_account_key(person, Unit.POINTS, virtue)
    sink = AccountKey(uuid.uuid4(), "test_sink", Unit.POINTS, "")
    accounts = accounts_get_or_create([mine, sink])
    return ledger_transaction_post(
        chain_key="test:spend", kind="test_spend", idempotency_key=f"spend:{uuid.uuid4()}",
        legs=[Leg(accounts[mine], -points), Leg(accounts[sink], points)], source=Source("test", "1"),
    )  # fmt: skip


def test_points_already_spent_stay_spent_and_the_credit_is_still_taken_back(credited, citizen, auditor):
    # Given: the person spent 15 of the deed's 20 points
    spend(citizen, 15)
    original = LedgerTransaction.objects.get(pk=credited.ledger_transaction_id)
    with pytest.raises(InsufficientBalance):  # the exact opposite would overdraw: refused as such
        ledger_transaction_reverse(original=original, reason="fraudulent")

    # When: the auditor reverses the deed's credit
    deed_credit_reverse(actor=auditor, deed_public_id=credited.public_id, reason_code="fraudulent")

    # Then: all the credit comes back, the 5 points left too, the 15 spent stay spent
    book = passbook_get(person=citizen)
    assert (book.credit_total, book.points_total) == (0, 0)
    reversal = DeedReversal.objects.get()
    assert (reversal.credit, reversal.points, reversal.points_kept) == (20, 5, 15)
    assert reversal.ledger_transaction.memo["not_reversed"] == {"points": 15}
    assert AuditEvent.objects.get(event_type="deed:reverse").data["points_kept"] == 15
    assert ledger_ok()


def test_a_reversed_deed_no_longer_counts_against_the_limits(deed_types, citizen, verifier, auditor):
    # volunteer hours: at most 2 a day
    first = record(citizen, deed_types["volunteer-hours"], quantity="1")
    record(citizen, deed_types["volunteer-hours"], quantity="1")
    with pytest.raises(LimitReached):
        record(citizen, deed_types["volunteer-hours"], quantity="1")
    deed_verify(actor=verifier, deed_public_id=first.public_id)
    deed_credit_reverse(actor=auditor, deed_public_id=first.public_id, reason_code="duplicate")
    record(citizen, deed_types["volunteer-hours"], quantity="1")


def test_the_person_is_told_in_neutral_words(credited, citizen, auditor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        deed_credit_reverse(actor=auditor, deed_public_id=credited.public_id, reason_code="fraudulent")
    told = Notification.objects.get(person=citizen, kind="deed_credit_reversed")
    with translation.override("en"):
        text = notification_text(told.kind, told.params)
    assert "reversed" in text.title
    assert "could not be confirmed" in text.body and "20 credit and 20 points" in text.body
    assert "raud" not in text.title + text.body  # never "fraud" to the person
    thai = notification_text(told.kind, told.params)  # as it is sent: in Thai
    assert "ถูกยกเลิก" in thai.title and "ทุจริต" not in thai.title + thai.body


@pytest.fixture
def english(client):
    """Pages in English; Thai again for the next test (the language middleware never deactivates)."""
    client.cookies["django_language"] = "en"
    yield client
    translation.activate(settings.LANGUAGE_CODE)


def test_the_deed_page_and_the_passbook_say_so(english, credited, citizen, auditor):
    client = english
    deed_credit_reverse(actor=auditor, deed_public_id=credited.public_id, reason_code="entered_in_error")
    client.force_login(citizen)
    page = client.get(f"/deeds/{credited.public_id}/").content.decode()
    assert "credit reversed" in page and "The credit was entered in error." in page
    passbook = client.get("/passbook/").content.decode()
    assert "Credit reversed: The credit was entered in error." in passbook


def test_dismissing_a_flag_needs_a_note_and_an_auditor(deed_types, citizen, verifier, auditor):
    deed = record(citizen, deed_types["returning-lost-property"])
    flag = DeedFlag.objects.get(deed=deed, kind=FlagKind.NEW_MEMBER)
    with pytest.raises(PermissionDenied):
        deed_flag_dismiss(actor=verifier, flag_public_id=flag.public_id, note="ดูแล้ว")
    with pytest.raises(ValidationFailed) as refused:
        deed_flag_dismiss(actor=auditor, flag_public_id=flag.public_id, note="  ")
    assert list(refused.value.fields) == ["note"]
    with pytest.raises(NotFound):
        deed_flag_dismiss(actor=auditor, flag_public_id=uuid.uuid4(), note="ดูแล้ว")
    assert DeedFlag.objects.get(pk=flag.pk).state == "open"
    assert not AuditEvent.objects.filter(event_type="deed_flag:dismiss").exists()

    dismissed = deed_flag_dismiss(actor=auditor, flag_public_id=flag.public_id, note="รู้จักกันในหมู่บ้าน")
    assert (dismissed.state, dismissed.note, dismissed.decided_by) == ("dismissed", "รู้จักกันในหมู่บ้าน", auditor)
    assert_one_audit(DeedsEvent.FLAG_DISMISS, subject_id=str(flag.public_id))
    with pytest.raises(FlagNotOpen):
        deed_flag_dismiss(actor=auditor, flag_public_id=flag.public_id, note="อีกครั้ง")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_reversals_take_back_once(postgres_only):
    from tests.factories import load_small_catalog, make_verifier

    deed_types = load_small_catalog()
    person, verifier = make_person(), make_verifier()
    deed = record(person, deed_types["returning-lost-property"])
    deed_verify(actor=verifier, deed_public_id=deed.public_id)
    auditors = [make_auditor(name=f"ผู้ตรวจ {n}") for n in range(5)]
    outcomes = run_at_once(
        [
            lambda a=a: deed_credit_reverse(actor=a, deed_public_id=deed.public_id, reason_code="duplicate")
            for a in auditors
        ],
        expected={CreditAlreadyReversed: "already"},
    )
    assert sorted(outcomes) == ["already"] * 4 + ["ok"]
    assert LedgerTransaction.objects.filter(kind="reversal").count() == 1
    assert passbook_get(person=person).credit_total == 0
    assert ledger_ok()


def test_my_data_lists_the_flags_and_the_reversal_and_erasure_removes_the_auditors_notes(
    credited, citizen, auditor
):
    from kwamdee.common.erasure import ERASED_TEXT
    from kwamdee.common.personal_data import personal_data_collect
    from kwamdee.privacy.services import person_erase
    from tests.factories import PASSWORD

    flag = DeedFlag.objects.filter(deed=credited).first()
    deed_credit_reverse(
        actor=auditor, deed_public_id=credited.public_id, reason_code="duplicate", note="ซ้ำกับ ก."
    )
    sections = {s.key: s for s in personal_data_collect(citizen)}
    rows = sections["deed_flags"].rows
    assert [(r["deed"], r["state"]) for r in rows] == [(str(credited.public_id), "ยกเลิกเครดิตแล้ว")]
    assert "รายการแรก" in rows[0]["explanation"]  # in the person's words, not a code
    deed_row = sections["deeds"].rows[0]
    assert deed_row["reversal_reason"] and deed_row["reversed_at"] is not None

    person_erase(actor=citizen, person=citizen, password=PASSWORD)
    assert DeedReversal.objects.get().note == ERASED_TEXT
    assert DeedFlag.objects.get(pk=flag.pk).kind == flag.kind  # the check itself stays, as statistics do
