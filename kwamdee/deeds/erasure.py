"""The deeds app's part of erasure (common/erasure.py).

What a deed says about the person is the free text: the description they wrote and the reason a
verifier gave them, and the questions verifiers asked with the person's answers. All become the
fixed "[ลบแล้ว]" marker, and the idempotency key and the fingerprint of what was sent (which
would confirm a guess of the description) are cleared.

Everything that statistics and the ledger count stays: the deed type, the dates, the quantity, the
status, the credit and points, the rule version, the subdistrict and province where it was
recorded, and the link to the ledger entry. Pending deeds stay pending: the person's consent is
withdrawn by the erasure, which takes them out of every verifier's queue.

Reasons the person wrote as a verifier about other people's deeds stay: those people read them."""

from typing import Any

from django.db.models import Case, Value, When
from django.utils import timezone

from kwamdee.common.erasure import ERASED_TEXT, personal_data_eraser
from kwamdee.deeds.models import Deed, DeedQuestion


@personal_data_eraser("deeds", order=30)
def deeds_erase(person: Any) -> int:
    # What verifiers asked about the person's deeds, and their answers (DeedQuestion).
    questions = DeedQuestion.objects.filter(deed__person=person).update(
        question=ERASED_TEXT,
        answer=Case(When(answer="", then=Value("")), default=Value(ERASED_TEXT)),
        updated_at=timezone.now(),
    )
    return questions + Deed.objects.filter(person=person).update(
        description=ERASED_TEXT,
        rejection_reason=Case(When(rejection_reason="", then=Value("")), default=Value(ERASED_TEXT)),
        submission_key=None,
        submission_fingerprint="",
        updated_at=timezone.now(),
    )
