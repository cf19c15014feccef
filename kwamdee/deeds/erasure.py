"""The deeds app's part of erasure (common/erasure.py).

What a deed says about the person is the free text: the description they wrote and the reason a
verifier gave them, and the questions verifiers asked with the person's answers. All become the
fixed "[ลบแล้ว]" marker, and the idempotency key and the fingerprint of what was sent (which
would confirm a guess of the description) are cleared.

Everything that statistics and the ledger count stays: the deed type, the dates, the quantity, the
status, the credit and points, the rule version, the subdistrict and province where it was
recorded, and the link to the ledger entry. Pending deeds stay pending: the person's consent is
withdrawn by the erasure, which takes them out of every verifier's queue.

Reasons the person wrote as a verifier about other people's deeds stay: those people read them.

Standing consents to record on someone's behalf, given or received, end (revoked now); the rows
stay as the record of who was allowed to record what, with the names pseudonymized with the
person. Witness answers stay: they are part of other people's deeds."""

from typing import Any

from django.db.models import Case, Value, When
from django.utils import timezone

from kwamdee.common.erasure import ERASED_TEXT, personal_data_eraser
from kwamdee.deeds.models import AssistConsent, Deed, DeedFlag, DeedQuestion, DeedReversal


@personal_data_eraser("deeds", order=30)
def deeds_erase(person: Any) -> int:
    # What verifiers asked about the person's deeds, and their answers (DeedQuestion).
    questions = DeedQuestion.objects.filter(deed__person=person).update(
        question=ERASED_TEXT,
        answer=Case(When(answer="", then=Value("")), default=Value(ERASED_TEXT)),
        updated_at=timezone.now(),
    )
    now = timezone.now()
    consents = (
        AssistConsent.objects.filter(person=person) | AssistConsent.objects.filter(helper=person)
    ).filter(revoked_at__isnull=True)
    ended = AssistConsent.objects.filter(pk__in=list(consents.values_list("pk", flat=True))).update(
        revoked_at=now, updated_at=now
    )
    # Auditors' notes on the flags of the person's deeds and on reversals of their credit: they
    # may name the person (a flag's kind, facts and dates, a reversal's reason and amounts stay).
    notes = sum(
        model.objects.filter(deed__person=person).exclude(note="").update(note=ERASED_TEXT, updated_at=now)
        for model in (DeedFlag, DeedReversal)
    )
    return (
        notes
        + ended
        + questions
        + Deed.objects.filter(person=person).update(
            description=ERASED_TEXT,
            rejection_reason=Case(When(rejection_reason="", then=Value("")), default=Value(ERASED_TEXT)),
            submission_key=None,
            submission_fingerprint="",
            updated_at=timezone.now(),
        )
    )
