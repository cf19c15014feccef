"""API: a person appeals the rejection of their deed; another verifier decides it."""

from datetime import datetime
from uuid import UUID

from ninja import Router, Schema
from pydantic import StrictStr

from kwamdee.appeals.choices import AppealOutcome
from kwamdee.appeals.models import Appeal
from kwamdee.appeals.selectors import appeal_visible_to, appeals_of_person, appeals_queue
from kwamdee.appeals.services import appeal_create, appeal_decide
from kwamdee.common.api_errors import errors
from kwamdee.common.errors import NotFound

router = Router(tags=["appeals"])


class AppealIn(Schema):
    deed: UUID
    # Why the decision should change, in the person's words.
    statement: StrictStr


class DecideIn(Schema):
    outcome: AppealOutcome
    # The words the person reads; needed to uphold the rejection.
    note: StrictStr = ""


class AppealOut(Schema):
    public_id: UUID
    deed: UUID
    deed_type_name: str
    statement: str
    status: str
    rejected_at: datetime | None
    decided_at: datetime | None
    decision_note: str
    created_at: datetime


def appeal_out(appeal: Appeal) -> AppealOut:
    return AppealOut(
        public_id=appeal.public_id, deed=appeal.deed.public_id, deed_type_name=appeal.deed.deed_type.name,
        statement=appeal.statement, status=appeal.status, rejected_at=appeal.rejected_at,
        decided_at=appeal.decided_at, decision_note=appeal.decision_note, created_at=appeal.created_at,
    )  # fmt: skip


@router.post("", response={201: AppealOut, **errors(403, 404, 409)})
def create(request, payload: AppealIn):
    """Appeals the rejection of the caller's own deed, once, within the appeal window. Another
    person's deed answers 404, as one that does not exist."""
    appeal = appeal_create(actor=request.auth, deed_public_id=payload.deed, statement=payload.statement)
    return 201, appeal_out(appeal)


@router.get("", response=list[AppealOut])
def mine(request):
    return [appeal_out(a) for a in appeals_of_person(person=request.auth)[:200]]


@router.get("/queue", response=list[AppealOut])
def queue(request):
    """Open appeals the caller may decide (never of a deed they rejected), oldest first."""
    return [appeal_out(a) for a in appeals_queue(verifier=request.auth)[:200]]


@router.get("/{public_id}", response={200: AppealOut, **errors(404)})
def detail(request, public_id: UUID):
    appeal = appeal_visible_to(viewer=request.auth, appeal_public_id=public_id)
    if appeal is None:
        raise NotFound()
    return appeal_out(appeal)


@router.post("/{public_id}/decide", response={200: AppealOut, **errors(403, 404, 409)})
def decide(request, public_id: UUID, payload: DecideIn):
    """Decides an appeal, finally: `uphold` (with a `note`) or `overturn` (the deed is verified
    and credited). The verifier who rejected the deed is refused (403 `own_rejection`)."""
    appeal = appeal_decide(
        actor=request.auth, appeal_public_id=public_id, outcome=payload.outcome, note=payload.note
    )
    return appeal_out(appeal)
