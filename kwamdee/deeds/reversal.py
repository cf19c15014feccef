"""The auditor's writes (issue 10, fairness review): reversing a deed's credit through the
ledger, and dismissing a flag. Re-exported by `deeds.services`, the app's one door for writes.

Nothing lowers credit but this reversal, and only an auditor may make it, naming the deed and a
reason code. The credit is always taken back in full. Points the person has already spent stay
spent (no balance goes below zero: the mission allows no negative scores); the reversal then
says how many stayed, to the auditor and to the person."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.actors import Actor, person_or_none
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.locks import rows_lock
from kwamdee.common.text_validation import text_problems
from kwamdee.deeds.choices import DeedStatus, FlagState, ReversalReason
from kwamdee.deeds.errors import CreditAlreadyReversed, FlagNotOpen, NotReversible
from kwamdee.deeds.events import DeedsEvent
from kwamdee.deeds.models import Deed, DeedFlag, DeedReversal
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.services import ledger_transaction_reverse

NOTE_MAX_CHARS = 1000  # ReverseForm.note, DismissForm.note


def _note_clean(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationFailed(fields={"note": [_("Please write a short note on why.")]})
    if note and (problems := text_problems(note, multiline=True, max_chars=NOTE_MAX_CHARS)):
        raise ValidationFailed(fields={"note": problems})
    return note


@transaction.atomic
def deed_credit_reverse(*, actor: Actor, deed_public_id: Any, reason_code: str, note: str = "") -> Deed:
    """Reverses a verified deed's credit and points through the ledger's reversal entry, with a
    reason code (fraudulent, duplicate, entered in error). The deed becomes `reversed`, its open
    flags too, and one audit event names the reason (not the note: the audit log cannot be
    erased). Refused without the permission (403), without a reason code (400 on `reason_code`),
    for a deed that is not verified (409) or already reversed (409); nothing changes then."""
    if not actor.has_perm("deeds.reverse_credit"):
        raise PermissionDenied()
    if reason_code not in ReversalReason.values:
        raise ValidationFailed(
            fields={"reason_code": [_("Choose the reason: fraudulent, duplicate or entered in error.")]}
        )
    note = _note_clean(note, required=False)
    try:
        locked = rows_lock(
            Deed.objects.select_related("deed_type", "ledger_transaction").filter(public_id=deed_public_id),
            of=("self",),
        )
    except (ValueError, DjangoValidationError):
        raise NotFound() from None
    if not locked:
        raise NotFound()
    deed = locked[0]
    if deed.status == DeedStatus.REVERSED:
        raise CreditAlreadyReversed()
    if deed.status != DeedStatus.VERIFIED:
        raise NotReversible()
    posted = None
    not_reversed: dict[str, int] = {}
    if deed.ledger_transaction is not None:  # a deed priced at nothing has no entry to reverse
        posted = ledger_transaction_reverse(
            original=deed.ledger_transaction, reason=reason_code, spent_stays=True,
            memo={"deed_type": deed.deed_type.code},
        )  # fmt: skip
        not_reversed = posted.not_reversed or {}
    # Credit is never spent, so it all comes back; points spent since stay spent.
    points_kept = not_reversed.get(Unit.POINTS, 0)
    reversal = DeedReversal.objects.create(
        deed=deed, reason_code=reason_code, note=note, reversed_by=person_or_none(actor),
        credit=deed.credit_awarded - not_reversed.get(Unit.CREDIT, 0),
        points=deed.points_awarded - points_kept, points_kept=points_kept,
        ledger_transaction_id=posted.pk if posted else None,
    )  # fmt: skip
    deed.status = DeedStatus.REVERSED
    deed.save(update_fields=["status", "updated_at"])
    flags = DeedFlag.objects.filter(deed=deed, state=FlagState.OPEN).update(
        state=FlagState.REVERSED, decided_by=person_or_none(actor), decided_at=timezone.now(),
        updated_at=timezone.now(),
    )  # fmt: skip
    audit_record(
        actor=actor, event=DeedsEvent.REVERSE, subject_id=deed.public_id,
        data={"reason_code": reason_code, "credit": reversal.credit, "points": reversal.points,
              "points_kept": points_kept, "flags": flags, "note_length": len(note),
              "ledger_transaction": str(posted.public_id) if posted else None},
    )  # fmt: skip
    return deed


@transaction.atomic
def deed_flag_dismiss(*, actor: Actor, flag_public_id: Any, note: str) -> DeedFlag:
    """An auditor looked at a flag and found nothing to reverse: it is dismissed with a note
    (needed: why it is all right). Nothing changes for the person either way."""
    if not actor.has_perm("deeds.review_flags"):
        raise PermissionDenied()
    note = _note_clean(note, required=True)
    try:
        locked = rows_lock(
            DeedFlag.objects.select_related("deed").filter(public_id=flag_public_id), of=("self",)
        )
    except (ValueError, DjangoValidationError):
        raise NotFound() from None
    if not locked:
        raise NotFound()
    flag = locked[0]
    if flag.state != FlagState.OPEN:
        raise FlagNotOpen()
    flag.state, flag.note = FlagState.DISMISSED, note
    flag.decided_by, flag.decided_at = person_or_none(actor), timezone.now()
    flag.save(update_fields=["state", "note", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor, event=DeedsEvent.FLAG_DISMISS, subject_id=flag.public_id,
        data={"deed": str(flag.deed.public_id), "kind": flag.kind, "note_length": len(note)},
    )  # fmt: skip
    return flag
