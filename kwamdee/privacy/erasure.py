"""The privacy app's part of erasure (common/erasure.py): the person's requests about their data.

Each request stays, as the record that the right was honoured (its kind, status and dates). What
the person wrote in it (what is wrong, what it should be) and staff's answer, which may repeat it,
become the fixed "[ลบแล้ว]" marker. A request still waiting is closed as done: once the account is
erased, there is nothing left to correct, and staff's queue no longer shows it."""

from typing import Any

from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from kwamdee.common.erasure import ERASED_TEXT, personal_data_eraser
from kwamdee.privacy.choices import RequestStatus
from kwamdee.privacy.models import REQUEST_TEXT_FIELDS, DataSubjectRequest


@personal_data_eraser("data_requests", order=70)
def data_requests_erase(person: Any) -> int:
    now = timezone.now()
    waiting = When(status=RequestStatus.OPEN, then=Value(now))
    changes: dict[str, Any] = {
        "status": Case(When(status=RequestStatus.OPEN, then=Value(RequestStatus.DONE)), default=F("status")),
        "done_at": Case(waiting, default=F("done_at")),
        **{
            field: Case(When(**{field: ""}, then=Value("")), default=Value(ERASED_TEXT))
            for field in REQUEST_TEXT_FIELDS
        },
    }
    nothing_written = Q(**dict.fromkeys(REQUEST_TEXT_FIELDS, ""))
    touched = DataSubjectRequest.objects.filter(
        Q(status=RequestStatus.OPEN) | ~nothing_written, person=person
    )
    return touched.update(**changes, updated_at=now)
