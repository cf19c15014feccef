"""The appeals app's part of erasure (common/erasure.py): the person's statement and the note
the decider wrote to them become "[ลบแล้ว]"; the appeal's status and dates stay (they explain a
credit in the ledger)."""

from typing import Any

from django.db.models import Case, Value, When
from django.utils import timezone

from kwamdee.appeals.models import Appeal
from kwamdee.common.erasure import ERASED_TEXT, personal_data_eraser


@personal_data_eraser("appeals", order=32)
def appeals_erase(person: Any) -> int:
    return Appeal.objects.filter(person=person).update(
        statement=ERASED_TEXT,
        decision_note=Case(When(decision_note="", then=Value("")), default=Value(ERASED_TEXT)),
        updated_at=timezone.now(),
    )
