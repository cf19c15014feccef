"""A person's rights over their data: a copy of everything held about them, to read on their page
and to take away as JSON or as CSV files (PDPA §30–31); asking to correct what they cannot change
themselves, answered by staff (§35); and erasing their account (§33)."""

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.audit import audit_record
from kwamdee.common.cells import cell_safe
from kwamdee.common.erasure import personal_data_erase
from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.locks import rows_lock
from kwamdee.common.personal_data import Section, personal_data_collect
from kwamdee.common.text_validation import text_fields_problems
from kwamdee.people.errors import TooManyAttempts
from kwamdee.people.services import person_lock
from kwamdee.privacy.choices import ErasureReason, RequestKind, RequestStatus
from kwamdee.privacy.errors import AlreadyErased, TooManyOpenRequests
from kwamdee.privacy.events import PrivacyEvent
from kwamdee.privacy.models import REQUEST_DEADLINE, REQUEST_TEXT_MAX_CHARS, DataSubjectRequest
from kwamdee.privacy.selectors import data_request_answer_refusal, data_requests_open_count, person_is_erased

EXPORT_FORMAT = "kwamdee-personal-data"
EXPORT_FORMAT_VERSION = 1
EXPORT_FORMATS = ("json", "csv")
# Corrections a person may have waiting at once: enough for real mistakes, not a flood of them.
OPEN_CORRECTIONS_MAX = 5


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


def _as_json(person: Any, sections: list[Section], at: Any) -> bytes:
    document = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": at,
        "person": str(person.public_id),
        "sections": {s.key: {"title": str(s.title), "note": str(s.note), "rows": s.rows} for s in sections},
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def _as_csv_zip(sections: list[Section]) -> bytes:
    """One CSV file a section (UTF-8 with a BOM, so that spreadsheet programs read the Thai)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section in sections:
            text = io.StringIO()
            columns = list(section.rows[0]) if section.rows else ["none"]
            writer = csv.writer(text)
            writer.writerow(columns)
            for row in section.rows:
                writer.writerow([_cell(row.get(column)) for column in columns])
            archive.writestr(f"{section.key}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return cell_safe(value)


@transaction.atomic
def personal_data_export(*, actor: Any, person: Any, fmt: str) -> Export:
    """Everything held about `person`, for `person` only; the download itself is recorded."""
    if getattr(actor, "pk", None) != person.pk:
        raise PermissionDenied(_("Only the person can download their own data."))
    if fmt not in EXPORT_FORMATS:
        raise ValidationFailed(fields={"format": [_("Choose JSON or CSV.")]})
    at = timezone.now()
    sections = personal_data_collect(person)
    stamp = timezone.localtime(at).strftime("%Y%m%d")
    if fmt == "json":
        export = Export(_as_json(person, sections, at), "application/json", f"kwamdee-my-data-{stamp}.json")
    else:
        export = Export(_as_csv_zip(sections), "application/zip", f"kwamdee-my-data-{stamp}-csv.zip")
    audit_record(
        actor=actor, event=PrivacyEvent.PERSONAL_DATA_EXPORT, subject_id=person.public_id,
        data={"format": fmt, "sections": [s.key for s in sections]},
    )  # fmt: skip
    return export


def _password_confirmed(person: Any, password: str, request: Any) -> bool:
    """The person's own password, checked as a sign-in is: with a request, through the sign-in
    throttle (django-axes), so that a stolen session cannot guess the password here."""
    if not password:
        return False
    if request is None:
        return bool(person.check_password(password))
    user = authenticate(request, username=person.username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise TooManyAttempts()
    return user is not None and user.pk == person.pk


def person_erase(
    *, actor: Any, person: Any, password: str, reason: str = "", request: Any = None
) -> DataSubjectRequest:
    """Erases `person`'s account at their own request (PDPA §33), after they typed their password:
    every app's eraser (common/erasure.py) runs in one transaction, the request is recorded as
    done, and one `person:erase` event names what was erased by counts, never whom.

    The password is checked before the transaction, as a sign-in is (people.services
    `api_token_issue`): a wrong one stays counted by the throttle, and nothing changes."""
    if getattr(actor, "pk", None) is None or actor.pk != person.pk:
        raise PermissionDenied(_("Only the person can erase their own account."))
    if reason and reason not in ErasureReason.values:
        raise ValidationFailed(fields={"reason": [_("Choose one of the reasons, or none.")]})
    if person_is_erased(person=person) or not person.is_active:
        raise AlreadyErased()
    if not _password_confirmed(person, password, request):
        raise ValidationFailed(fields={"password": [_("The password is not correct.")]})
    return _person_erase(person=person, reason=reason)


@transaction.atomic
def _person_erase(*, person: Any, reason: str) -> DataSubjectRequest:
    person_lock(person)  # two erasures at once: the second waits, then finds the first done
    if person_is_erased(person=person):
        raise AlreadyErased()
    person.refresh_from_db()
    now = timezone.now()
    erased = personal_data_erase(person)
    request = DataSubjectRequest.objects.create(
        person=person, kind=RequestKind.ERASURE, status=RequestStatus.DONE,
        due_at=now + REQUEST_DEADLINE, done_at=now, reason=reason,
    )  # fmt: skip
    audit_record(
        actor=person, event=PrivacyEvent.PERSON_ERASE, subject_id=person.public_id,
        data={"request": str(request.public_id), "reason": reason, "erased": erased},
    )  # fmt: skip
    return request


def _request_text_problems(values: dict[str, str]) -> dict[str, list[Any]]:
    return text_fields_problems(
        values, multiline=set(values), max_chars=dict.fromkeys(values, REQUEST_TEXT_MAX_CHARS)
    )


@transaction.atomic
def correction_request_create(
    *, actor: Any, person: Any, what_is_wrong: str, what_it_should_be: str = ""
) -> DataSubjectRequest:
    """Asks staff to correct something of `person`'s data that they cannot change themselves
    (PDPA §35): a verified deed's details, the national ID. Open, due in 30 days; at most
    OPEN_CORRECTIONS_MAX waiting at once. The audit event names the request, never the text."""
    if getattr(actor, "pk", None) is None or actor.pk != person.pk:
        raise PermissionDenied(_("Only the person can ask to correct their own data."))
    texts = {"what_is_wrong": what_is_wrong.strip(), "what_it_should_be": what_it_should_be.strip()}
    errors = _request_text_problems(texts)
    if not texts["what_is_wrong"]:
        errors.setdefault("what_is_wrong", [_("Say what is wrong.")])
    if errors:
        raise ValidationFailed(fields=errors)
    person_lock(person)  # two requests at once: the count below holds
    if data_requests_open_count(person=person, kind=RequestKind.CORRECTION) >= OPEN_CORRECTIONS_MAX:
        raise TooManyOpenRequests(TooManyOpenRequests.message % {"n": OPEN_CORRECTIONS_MAX})
    request = DataSubjectRequest.objects.create(
        person=person, kind=RequestKind.CORRECTION, due_at=timezone.now() + REQUEST_DEADLINE, **texts
    )
    audit_record(
        actor=actor, event=PrivacyEvent.DATA_REQUEST_CREATE, subject_id=person.public_id,
        data={"request": str(request.public_id), "kind": request.kind},
    )  # fmt: skip
    return request


ANSWER_EVENTS = {
    RequestStatus.DONE: PrivacyEvent.DATA_REQUEST_DONE,
    RequestStatus.REFUSED: PrivacyEvent.DATA_REQUEST_REFUSE,
}


@transaction.atomic
def data_request_answer(*, actor: Any, request_public_id: Any, outcome: str, note: str) -> DataSubjectRequest:
    """Staff answer an open request: done (what was changed) or refused (why), in a note the
    person reads on My data. Who may answer is `data_request_answer_refusal`, asked under the
    request's lock, so that two members of staff cannot both answer it. One audit event, which
    keeps the note's length only (the note may name the person; the audit log is append-only)."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm("privacy.handle_requests"):
        raise PermissionDenied()
    if outcome not in ANSWER_EVENTS:
        raise ValidationFailed(fields={"outcome": [_("Choose done or refused.")]})
    note = note.strip()
    errors = _request_text_problems({"note": note})
    if not note:
        errors.setdefault("note", [_("Write the answer; the person will read it.")])
    if errors:
        raise ValidationFailed(fields=errors)
    locked = rows_lock(DataSubjectRequest.objects.filter(public_id=request_public_id), of=("self",))
    if not locked:
        raise NotFound()
    request = locked[0]
    if refusal := data_request_answer_refusal(actor, request):
        raise refusal
    request.status, request.note, request.done_at = outcome, note, timezone.now()
    request.save(update_fields=["status", "note", "done_at", "updated_at"])
    audit_record(
        actor=actor, event=ANSWER_EVENTS[RequestStatus(outcome)], subject_id=request.person.public_id,
        data={"request": str(request.public_id), "kind": request.kind, "note_length": len(note)},
    )  # fmt: skip
    return request
