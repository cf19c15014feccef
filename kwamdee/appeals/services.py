"""Writes about appeals: a person appeals a rejection once; another verifier decides, finally."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.appeals.choices import AppealOutcome, AppealStatus
from kwamdee.appeals.errors import AlreadyAppealed
from kwamdee.appeals.events import AppealsEvent
from kwamdee.appeals.models import Appeal
from kwamdee.appeals.selectors import appeal_create_refusal, appeal_decision_refusal
from kwamdee.common.actors import Actor, person_or_none
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.locks import rows_lock
from kwamdee.common.text_validation import text_problems
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.selectors import deed_get
from kwamdee.deeds.services import deed_verify_on_appeal
from kwamdee.people.selectors import consent_active
from kwamdee.people.services import person_lock

STATEMENT_MAX_CHARS = 2000  # AppealForm.statement
DECISION_NOTE_MAX_CHARS = 1000  # AppealDecisionForm.note


def _text(text: str, *, field: str, max_chars: int, required: Any = None) -> str:
    text = (text or "").strip()
    if not text and required is not None:
        raise ValidationFailed(fields={field: [required]})
    if text and (problems := text_problems(text, multiline=True, max_chars=max_chars)):
        raise ValidationFailed(fields={field: problems})
    return text


@transaction.atomic
def appeal_create(*, actor: Any, deed_public_id: Any, statement: str) -> Appeal:
    """The person appeals the rejection of their own deed, once, within APPEAL_WINDOW_DAYS. A
    deed that is not theirs is answered as one that does not exist."""
    statement = _text(
        statement, field="statement", max_chars=STATEMENT_MAX_CHARS,
        required=_("Please say why the decision should change."),
    )  # fmt: skip
    if not getattr(actor, "pk", None):
        raise NotFound()
    person_lock(actor)  # one appeal at a time per person: a double click makes one
    deed = deed_get(deed_public_id)
    if deed is None or deed.person_id != actor.pk:
        raise NotFound()
    if consent_active(person=actor) is None:
        raise PermissionDenied(_("You have withdrawn your consent to take part."))
    refusal = appeal_create_refusal(actor, deed)
    if refusal is not None:
        raise refusal
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                deed_id=deed.pk, person=actor, statement=statement,
                rejected_by_id=deed.decided_by_id, rejected_at=deed.decided_at,
            )  # fmt: skip
    except IntegrityError:  # the one-per-deed constraint, should two requests race
        raise AlreadyAppealed() from None
    audit_record(
        actor=actor, event=AppealsEvent.CREATE, subject_id=appeal.public_id,
        data={"deed": str(deed.public_id), "statement_length": len(statement)},  # not the text
    )  # fmt: skip
    return appeal


@transaction.atomic
def appeal_decide(*, actor: Actor, appeal_public_id: Any, outcome: str, note: str = "") -> Appeal:
    """Decides an appeal, finally: uphold the rejection (with a note the person reads) or
    overturn it (the deed is verified and credited through deeds' verification). Whoever may
    decide the deed may decide its appeal, except the verifier who rejected it."""
    if outcome not in AppealOutcome.values:
        raise ValidationFailed(fields={"outcome": [_("Choose whether to keep or overturn the rejection.")]})
    required = (
        _("Please tell the person why the rejection stays.") if outcome == AppealOutcome.UPHOLD else None
    )
    note = _text(note, field="note", max_chars=DECISION_NOTE_MAX_CHARS, required=required)
    if not actor.has_perm("deeds.verify_deed"):
        raise PermissionDenied()
    try:
        locked = rows_lock(
            Appeal.objects.filter(public_id=appeal_public_id).select_related("deed"), of=("self",)
        )
    except (ValueError, DjangoValidationError):  # not an id
        raise NotFound() from None
    if not locked:
        raise NotFound()
    appeal = locked[0]
    refusal = appeal_decision_refusal(actor, appeal)
    if refusal is not None:
        raise refusal
    if outcome == AppealOutcome.OVERTURN:
        deed = deed_verify_on_appeal(actor=actor, deed_public_id=appeal.deed.public_id)
        if deed.status != DeedStatus.VERIFIED:
            # A high credit's first approval (deeds audits it): the appeal waits for a second
            # verifier, who overturns it too, or upholds the rejection.
            return appeal
        appeal.status, event = AppealStatus.OVERTURNED, AppealsEvent.OVERTURN
    else:
        appeal.status, event = AppealStatus.UPHELD, AppealsEvent.UPHOLD
    appeal.decided_by, appeal.decided_at = person_or_none(actor), timezone.now()
    appeal.decision_note = note
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit_record(
        actor=actor, event=event, subject_id=appeal.public_id,
        data={"deed": str(appeal.deed.public_id), "note_length": len(note)},
    )  # fmt: skip
    return appeal
