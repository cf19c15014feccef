"""The organizer's attendance file: a CSV of who came, checked row by row, saved all or nothing.

Checked like the catalog import (kwamdee/exchange/limits.py): the file as sent is limited in
size before anything else is read, its bytes are sniffed (a spreadsheet, a PDF, a picture or an
HTML page named .csv is refused, and so is text with NUL bytes), it is decoded as UTF-8 with or
without a byte-order mark, and read with the csv module within a number of rows and cells. Every
row is then checked, and every error is listed by row number and column, translated. If any row is
wrong nothing is saved; if all are right, every row becomes an attendance in one transaction
(`source = upload`, `recorded_by` the organizer), the same records check-in makes, so closing the
activity credits them in its one ledger batch.

Columns (the header row names them, in any order; `attendance_template` gives it):

- `phone_or_email` (also `phone` or `email`): the person's sign-in, as they signed up;
- `hours` (optional): the hours they gave, more than 0 and at most the activity's length; empty
  means the whole activity. A deed type priced per deed credits one deed whatever it says;
- `note` (optional): at most 200 characters, kept with the attendance (the person sees it in
  their data)."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kwamdee.activities.choices import ActivityStatus, AttendanceSource
from kwamdee.activities.errors import (
    ActivityClosed,
    AttendanceFileInvalid,
    AttendanceFileTooLarge,
    NotStarted,
)
from kwamdee.activities.events import ActivitiesEvent
from kwamdee.activities.models import Activity, Attendance
from kwamdee.activities.selectors import activity_get, activity_managed_by, check_in_grace
from kwamdee.activities.services import _activity_lock, participant_refusal
from kwamdee.common.actors import Actor, person_or_none
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound
from kwamdee.common.text_validation import text_problems
from kwamdee.common.uploads import looks_like_text, upload_too_large
from kwamdee.people.selectors import person_by_login

MAX_FILE_BYTES = 1024 * 1024  # 5,000 rows of a phone, hours and a note fit in a quarter of it
MAX_ROWS = 5000  # people in one file: an activity has at most 5,000 places
MAX_LINES = 10_000  # records of the file, blank ones included
MAX_COLUMNS = 20
MAX_ERRORS_LISTED = 100
NOTE_MAX_CHARS = 200

LOGIN = "phone_or_email"
HOURS = "hours"
NOTE = "note"
COLUMNS = [LOGIN, HOURS, NOTE]
ALIASES = {"phone": LOGIN, "email": LOGIN, "e-mail": LOGIN}


def attendance_template() -> bytes:
    """The header row, with the byte-order mark that makes Excel read Thai correctly."""
    return (",".join(COLUMNS) + "\r\n").encode("utf-8-sig")


def _file_error(message: Any, *, too_large: bool = False) -> AttendanceFileInvalid:
    kind = AttendanceFileTooLarge if too_large else AttendanceFileInvalid
    return kind([(1, "file", message)])


def _not_csv() -> AttendanceFileInvalid:
    return _file_error(
        _("This is not a CSV file. In Excel or Google Sheets, save or download the sheet as “CSV UTF-8”.")
    )


def _sniff(content: bytes) -> None:
    if not looks_like_text(content):
        raise _not_csv()


def _table(content: bytes) -> list[list[str]]:
    """The file's records, after its size, its bytes and its encoding were checked."""
    if upload_too_large(content, MAX_FILE_BYTES):
        raise _file_error(_("The file is larger than 1 MB."), too_large=True)
    if not content.strip():
        raise _file_error(_("The file is empty."))
    _sniff(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(_("Save the CSV file as UTF-8 (in Excel: “CSV UTF-8”).")) from None
    table: list[list[str]] = []
    filled = 0
    too_many = _("A file can list at most %(n)s people.") % {"n": f"{MAX_ROWS:,}"}
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text)), start=1):
            if number > MAX_LINES:
                raise AttendanceFileTooLarge([(number, "file", too_many)])
            if len(record) > MAX_COLUMNS:
                raise AttendanceFileInvalid(
                    [(number, "file", _("A row can have at most %(n)s cells.") % {"n": MAX_COLUMNS})]
                )
            if any(cell.strip() for cell in record):
                filled += 1
                if filled > MAX_ROWS + 1:  # and the header
                    raise AttendanceFileTooLarge([(number, "file", too_many)])
            table.append(record)
    except csv.Error as exc:
        raise AttendanceFileInvalid(
            [(len(table) + 1, "file", _("This is not a CSV file: %(e)s") % {"e": exc})]
        ) from None
    return table


def _header(row: list[str]) -> list[str]:
    names = [ALIASES.get(c.strip().lower(), c.strip().lower()) for c in row]
    errors: list[tuple[int | str, str, Any]] = [
        (1, name, _("Unknown column. The columns are: %(c)s.") % {"c": ", ".join(COLUMNS)})
        for name in names
        if name and name not in COLUMNS
    ]
    seen = [n for n in names if n]
    errors += [(1, n, _("This column is named twice.")) for n in dict.fromkeys(seen) if seen.count(n) > 1]
    if LOGIN not in names:
        errors.append((1, LOGIN, _("The first row must name the columns, with phone_or_email.")))
    if errors:
        raise AttendanceFileInvalid(errors)
    return names


@dataclass(frozen=True)
class FileRow:
    number: int
    person: Any
    hours: Decimal
    note: str


@dataclass(frozen=True)
class UploadSummary:
    rows: int
    added: int
    updated: int


def activity_length_hours(activity: Activity) -> Decimal:
    seconds = Decimal((activity.ends_at - activity.starts_at).total_seconds())
    return (seconds / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def _hours_clean(raw: str, length: Decimal) -> tuple[Decimal | None, Any]:
    """The row's hours (empty: the whole activity), or an error."""
    raw = raw.strip()
    if not raw:
        return length, None
    bound = _("Enter the hours, more than 0 and at most %(n)s (the length of the activity).") % {
        "n": f"{length.normalize():f}"
    }
    try:
        hours = Decimal(raw).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None, bound
    if not hours.is_finite() or hours <= 0 or hours > length:
        return None, bound
    return hours, None


def attendance_rows(activity: Activity, content: bytes) -> list[FileRow]:
    """Every row of the file checked (no write), or AttendanceFileInvalid with every error."""
    table = _table(content)
    if not table:
        raise _file_error(_("The file is empty."))
    names = _header(table[0])
    length = activity_length_hours(activity)
    errors: list[tuple[int | str, str, Any]] = []
    rows: list[FileRow] = []
    seen: dict[int, int] = {}
    for number, record in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        cells = {name: cell for name, cell in zip(names, record, strict=False) if name}
        login = cells.get(LOGIN, "").strip()
        row_errors: list[tuple[int | str, str, Any]] = []
        person = None
        if not login:
            row_errors.append((number, LOGIN, _("Enter the person's phone number or e-mail.")))
        elif text_problems(login, max_chars=254):
            row_errors.append((number, LOGIN, _("This is not a phone number or an e-mail address.")))
        else:
            person = person_by_login(login)
            if person is None:
                row_errors.append((number, LOGIN, _("No member signs in with this phone number or e-mail.")))
            elif person.pk in seen:
                row_errors.append(
                    (number, LOGIN, _("This person is already on row %(n)s.") % {"n": seen[person.pk]})
                )
            else:
                seen[person.pk] = number
                refusal = participant_refusal(person)
                if refusal is not None:
                    row_errors.append((number, LOGIN, refusal.message))
        hours, hours_error = _hours_clean(cells.get(HOURS, ""), length)
        if hours_error:
            row_errors.append((number, HOURS, hours_error))
        note = cells.get(NOTE, "").strip()
        row_errors += [(number, NOTE, p) for p in text_problems(note, max_chars=NOTE_MAX_CHARS)]
        if row_errors:
            errors += row_errors
        elif person is not None and hours is not None:
            rows.append(FileRow(number, person, hours, note))
    if errors:
        raise _listed(AttendanceFileInvalid(errors))
    if not rows:
        raise _file_error(_("The file lists nobody: add one row for each person under the first row."))
    return rows


def _listed(exc: AttendanceFileInvalid) -> AttendanceFileInvalid:
    """At most MAX_ERRORS_LISTED errors, then how many more: the page stays small."""
    more = len(exc.errors) - MAX_ERRORS_LISTED
    if more <= 0:
        return exc
    errors = [*exc.errors[:MAX_ERRORS_LISTED], ("…", "…", _("and %(n)s more errors.") % {"n": f"{more:,}"})]
    return type(exc)(errors)


def attendance_upload(
    *, actor: Actor, activity_public_id: Any, content: bytes, now: datetime | None = None
) -> UploadSummary:
    """Saves the organizer's attendance file, every row or none. Someone who does not run the
    activity is answered NotFound before the file is read. Refused for a closed activity and
    before the activity starts (with check-in's grace). A row naming someone already on the
    activity (registered, checked in, or in an earlier file) updates that attendance: the file's
    hours then count at the close, instead of the check-in times."""
    now = now or timezone.now()
    activity = activity_get(activity_public_id)
    if activity is None or not activity_managed_by(actor, activity):
        raise NotFound()
    if activity.status != ActivityStatus.OPEN:
        raise ActivityClosed()
    if now < activity.starts_at - check_in_grace():
        raise NotStarted(_("The activity has not started yet: upload who came after it starts."))
    rows = attendance_rows(activity, content)  # read and checked outside the transaction
    return _attendance_save(actor=actor, activity_public_id=activity.public_id, rows=rows, now=now)


@transaction.atomic
def _attendance_save(
    *, actor: Actor, activity_public_id: Any, rows: list[FileRow], now: datetime
) -> UploadSummary:
    activity = _activity_lock(activity_public_id)  # the close waits, or has happened: checked again
    if activity.status != ActivityStatus.OPEN:
        raise ActivityClosed()
    existing = {a.person_id: a for a in activity.attendances.filter(person__in=[r.person for r in rows])}
    added = [r for r in rows if r.person.pk not in existing]
    if activity.capacity is not None and activity.attendances.count() + len(added) > activity.capacity:
        raise _file_error(
            _("The activity has %(c)s places; with this file it would have %(n)s people.")
            % {"c": activity.capacity, "n": activity.attendances.count() + len(added)}
        )
    recorded_by = person_or_none(actor)
    fields = {"source": AttendanceSource.UPLOAD, "recorded_by": recorded_by, "uploaded_at": now}
    Attendance.objects.bulk_create(
        [Attendance(activity=activity, person=r.person, declared_hours=r.hours, note=r.note, **fields)
         for r in added]
    )  # fmt: skip
    changed = []
    for r in rows:
        attendance = existing.get(r.person.pk)
        if attendance is not None:
            attendance.declared_hours, attendance.note = r.hours, r.note
            attendance.source, attendance.recorded_by, attendance.uploaded_at = (
                AttendanceSource.UPLOAD, recorded_by, now
            )  # fmt: skip
            attendance.updated_at = now
            changed.append(attendance)
    if changed:
        Attendance.objects.bulk_update(
            changed, ["declared_hours", "note", "source", "recorded_by", "uploaded_at", "updated_at"]
        )
    audit_record(
        actor=actor, event=ActivitiesEvent.ATTENDANCE_UPLOAD, subject_id=activity.public_id,
        data={"rows": len(rows), "added": len(added), "updated": len(changed)},
    )  # fmt: skip
    return UploadSummary(len(rows), len(added), len(changed))
