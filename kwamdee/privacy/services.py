"""A person's rights over their data: a copy of everything held about them, to read on their page
and to take away as JSON or as CSV files (PDPA §30–31); and erasing their account (§33)."""

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
from kwamdee.common.errors import PermissionDenied, ValidationFailed
from kwamdee.common.personal_data import Section, personal_data_collect
from kwamdee.people.errors import TooManyAttempts
from kwamdee.people.services import person_lock
from kwamdee.privacy.choices import ErasureReason, RequestKind, RequestStatus
from kwamdee.privacy.errors import AlreadyErased
from kwamdee.privacy.events import PrivacyEvent
from kwamdee.privacy.models import REQUEST_DEADLINE, DataSubjectRequest
from kwamdee.privacy.selectors import person_is_erased

EXPORT_FORMAT = "kwamdee-personal-data"
EXPORT_FORMAT_VERSION = 1
EXPORT_FORMATS = ("json", "csv")


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
