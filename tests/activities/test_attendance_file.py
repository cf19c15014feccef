"""The organizer's attendance file: checked row by row, saved all or nothing, credited at the close."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kwamdee.activities.attendance_file import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    attendance_rows,
    attendance_template,
    attendance_upload,
)
from kwamdee.activities.codes import code_make
from kwamdee.activities.errors import (
    ActivityClosed,
    AttendanceFileInvalid,
    AttendanceFileTooLarge,
    NotStarted,
)
from kwamdee.activities.models import Attendance
from kwamdee.activities.services import activity_check, activity_close
from kwamdee.common.errors import NotFound
from kwamdee.common.models import AuditEvent
from kwamdee.ledger.models import LedgerTransaction
from kwamdee.ledger.verification import ledger_verify
from kwamdee.passbook.selectors import passbook_get
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.services import consent_withdraw
from tests.activities.helpers import make_activity
from tests.factories import load_small_catalog, make_person, make_verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    load_small_catalog()
    organizer = make_verifier()
    people = [make_person(name=f"อาสา คนที่{n}") for n in range(3)]
    return organizer, people


def csv_of(*rows: str, header: str = "phone_or_email,hours,note", bom: bool = False) -> bytes:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return text.encode("utf-8-sig" if bom else "utf-8")


def upload(organizer, activity, content, **kwargs):
    return attendance_upload(
        actor=organizer, activity_public_id=activity.public_id, content=content, **kwargs
    )


def refused(organizer, activity, content, kind=AttendanceFileInvalid):
    with pytest.raises(kind) as caught:
        upload(organizer, activity, content)
    assert not Attendance.objects.filter(activity=activity).exists()  # nothing saved
    return caught.value.errors


def test_the_template_is_the_header_with_a_bom():
    assert attendance_template() == "\ufeffphone_or_email,hours,note\r\n".encode()


def test_a_file_becomes_attendances_credited_by_the_close_in_one_batch(world):
    organizer, (alice, bob, carol) = world
    start = timezone.now() - timedelta(hours=2)
    activity = make_activity(organizer, start=start, hours=3)
    # Bob scanned the code; the file names him too, and its hours count instead.
    activity_check(actor=bob, activity_public_id=activity.public_id, code=code_make(activity.public_id),
                   action="check_in")  # fmt: skip
    content = csv_of(
        f"{alice.phone},2,มาช่วยปลูกต้นไม้", f"{bob.phone},1.5,", f"+66{carol.phone[1:]},,", bom=True
    )
    summary = upload(organizer, activity, content)
    assert (summary.rows, summary.added, summary.updated) == (3, 2, 1)
    rows = {a.person_id: a for a in Attendance.objects.filter(activity=activity)}
    assert rows[alice.pk].declared_hours == Decimal("2.00") and rows[alice.pk].note == "มาช่วยปลูกต้นไม้"
    assert rows[carol.pk].declared_hours == Decimal("3.00")  # empty: the whole activity
    assert {a.source for a in rows.values()} == {"upload"}
    assert {a.recorded_by_id for a in rows.values()} == {organizer.pk}
    event = AuditEvent.objects.get(event_type="activity:attendance_upload")
    assert event.data == {"rows": 3, "added": 2, "updated": 1} and event.actor_id == organizer.pk
    batches = LedgerTransaction.objects.count()
    outcomes = {
        o.person.pk: o for o in activity_close(actor=organizer, activity_public_id=activity.public_id)
    }
    assert all(o.credited for o in outcomes.values())
    assert {pk: o.hours for pk, o in outcomes.items()} == {
        alice.pk: Decimal("2.00"), bob.pk: Decimal("1.50"), carol.pk: Decimal("3.00")
    }  # fmt: skip
    assert LedgerTransaction.objects.count() == batches + 3
    assert passbook_get(person=alice).credit_total == 16  # 2 h × 8
    assert ledger_verify().ok


def test_every_bad_row_is_named_and_nothing_is_saved(world):
    organizer, (alice, bob, carol) = world
    activity = make_activity(organizer, hours=3)
    consent_withdraw(actor=carol, person=carol, purpose=ConsentPurpose.MEMBERSHIP)
    errors = refused(organizer, activity, csv_of(
        f"{alice.phone},2,",  # a good row: not saved either
        "0899999999,1,",  # nobody signs in with it
        f"{alice.phone},1,",  # the same person twice
        f"{bob.phone},4,",  # more than the activity's 3 hours
        f"{bob.phone[:3]}-{bob.phone[3:]},zero,",  # typed with a dash: still Bob, twice; bad hours
        ",1,",  # no phone
        f"{carol.phone},1,",  # withdrew her consent
        f"{bob.phone},0,{'ก' * 201}",  # 0 hours, a note too long
    ))  # fmt: skip
    by_row = {}
    for row, column, message in errors:
        by_row.setdefault(row, []).append((column, str(message)))
    assert 2 not in by_row
    assert [c for c, _m in by_row[3]] == ["phone_or_email"]
    assert by_row[4][0][0] == "phone_or_email" and "2" in by_row[4][0][1]  # "already on row 2"
    assert [c for c, _m in by_row[5]] == ["hours"]
    assert [c for c, _m in by_row[6]] == ["phone_or_email", "hours"]
    assert [c for c, _m in by_row[7]] == ["phone_or_email"]
    assert [c for c, _m in by_row[8]] == ["phone_or_email"]
    assert [c for c, _m in by_row[9]] == ["phone_or_email", "hours", "note"]
    assert not AuditEvent.objects.filter(event_type="activity:attendance_upload").exists()


def test_the_errors_are_translated_and_name_the_bound(world, settings):
    organizer, (alice, *_rest) = world
    activity = make_activity(organizer, hours=3)
    errors = refused(organizer, activity, csv_of(f"{alice.phone},5,", "0899999999,,"))
    assert str(errors[0][2]) == "กรอกจำนวนชั่วโมง มากกว่า 0 และไม่เกิน 3 (ความยาวของกิจกรรม)"
    assert str(errors[1][2]) == "ไม่มีสมาชิกที่ลงชื่อเข้าใช้ด้วยเบอร์โทรหรืออีเมลนี้"


def test_the_header_must_name_known_columns(world):
    organizer, (alice, *_rest) = world
    activity = make_activity(organizer)
    errors = refused(organizer, activity, csv_of(f"{alice.phone},2", header="name,hours"))
    assert [(r, c) for r, c, _m in errors] == [(1, "name"), (1, "phone_or_email")]
    errors = refused(organizer, activity, csv_of(f"{alice.phone},{alice.phone}", header="phone,email"))
    assert [(r, c) for r, c, _m in errors] == [(1, "phone_or_email")]  # named twice
    # "phone" alone is taken for phone_or_email; the columns in any order
    assert upload(organizer, activity, csv_of(f"2,{alice.phone}", header="Hours,Phone")).added == 1


def test_a_file_that_is_not_csv_is_refused_before_it_is_read(world):
    organizer, _people = world
    activity = make_activity(organizer)
    for content in (
        b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n",  # a PDF named .csv
        b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 60,  # an XLSX (a zip) named .csv
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a picture
        b"phone_or_email\x00,hours\r\n",  # text with a NUL byte
        b"<html><body>phone_or_email</body></html>",
    ):
        errors = refused(organizer, activity, content)
        assert errors[0][:2] == (1, "file") and "CSV" in str(errors[0][2])
    errors = refused(
        organizer, activity, "phone_or_email\r\n0812345678\r\n".encode("cp874") + "ดี".encode("cp874")
    )
    assert "UTF-8" in str(errors[0][2])
    assert "ว่าง" in str(refused(organizer, activity, b"  \r\n")[0][2])  # empty
    errors = refused(organizer, activity, ("phone_or_email" + ",x" * 30 + "\r\n").encode())
    assert errors[0][:2] == (1, "file")  # more cells than any row may have


def test_a_file_too_large_or_too_long_is_refused(world):
    organizer, (alice, *_rest) = world
    activity = make_activity(organizer)
    errors = refused(
        organizer, activity, csv_of(f"{alice.phone},1,") + b" " * MAX_FILE_BYTES, AttendanceFileTooLarge
    )
    assert "1 MB" in str(errors[0][2])
    many = csv_of(*[f"08{n:08d},1," for n in range(MAX_ROWS + 1)])
    assert len(many) < MAX_FILE_BYTES
    errors = refused(organizer, activity, many, AttendanceFileTooLarge)
    assert errors[0][1] == "file"


def test_at_most_a_hundred_errors_are_listed(world):
    organizer, _people = world
    activity = make_activity(organizer)
    errors = refused(organizer, activity, csv_of(*[f"08999{n:05d},1," for n in range(150)]))
    assert len(errors) == 101 and "50" in str(errors[-1][2])


def test_only_an_organizer_of_this_activity_may_upload_and_only_while_it_is_open(world):
    organizer, (alice, bob, _carol) = world
    activity = make_activity(organizer)
    other_organizer = make_verifier(scope="7109", name="ผู้จัด อื่น")  # of another organization
    for actor in (alice, other_organizer):
        with pytest.raises(NotFound):
            upload(actor, activity, csv_of(f"{bob.phone},1,"))
    later = make_activity(organizer, start=timezone.now() + timedelta(days=1))
    with pytest.raises(NotStarted):
        upload(organizer, later, csv_of(f"{bob.phone},1,"))
    activity_close(actor=organizer, activity_public_id=activity.public_id)
    with pytest.raises(ActivityClosed):
        upload(organizer, activity, csv_of(f"{bob.phone},1,"))
    assert not Attendance.objects.exists()


def test_the_places_hold_for_a_file_too(world):
    organizer, people = world
    activity = make_activity(organizer)
    activity.capacity = 2
    activity.save(update_fields=["capacity"])
    errors = refused(organizer, activity, csv_of(*[f"{p.phone},1," for p in people]))
    assert errors[0][1] == "file" and "2" in str(errors[0][2])


def test_a_per_deed_activity_credits_one_deed_whatever_the_hours(world):
    organizer, (alice, *_rest) = world
    activity = make_activity(organizer, code="returning-lost-property")
    upload(organizer, activity, csv_of(f"{alice.phone},2,"))
    (outcome,) = activity_close(actor=organizer, activity_public_id=activity.public_id)
    assert outcome.credited and outcome.deed.quantity == 1


def test_rows_are_checked_without_writing(world):
    organizer, (alice, *_rest) = world
    activity = make_activity(organizer)
    (row,) = attendance_rows(activity, csv_of(f"{alice.email or alice.phone},,"))
    assert row.person == alice and row.number == 2
    assert not Attendance.objects.exists()


def test_the_person_sees_the_file_in_their_data_and_erasure_clears_the_note(world):
    from kwamdee.activities.erasure import activities_erase
    from kwamdee.activities.personal_data import activities_section

    organizer, (alice, *_rest) = world
    activity = make_activity(organizer)
    upload(organizer, activity, csv_of(f"{alice.phone},2,มากับหลานสาว"))
    (row,) = activities_section(alice).rows
    assert (row["hours_in_attendance_file"], row["note"]) == (Decimal("2.00"), "มากับหลานสาว")
    assert row["recorded_by"] == "ไฟล์รายชื่อผู้เข้าร่วมของผู้จัด"
    activity_close(actor=organizer, activity_public_id=activity.public_id)
    activities_erase(alice)
    attendance = Attendance.objects.get(person=alice)
    assert attendance.note == "" and attendance.declared_hours == Decimal("2.00")  # the hours stay
    assert attendance.deed is not None
