"""API: record deeds, read one's own, and (verifiers) the queue, verify, reject."""

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from ninja import Field, File, Form, Header, Query, Router, Schema, UploadedFile
from pydantic import BeforeValidator, StrictBool, StrictStr, WithJsonSchema
from pydantic_core import PydanticCustomError

from kwamdee.common.access import DEED_VIEW, access_record
from kwamdee.common.api_errors import errors
from kwamdee.common.errors import NotFound
from kwamdee.common.idempotency import IDEMPOTENCY_HEADER
from kwamdee.deeds.choices import DeedStatus, RejectionReason, ReversalReason
from kwamdee.deeds.desk import DeskFilters, desk_details, desk_filters_check, desk_queue
from kwamdee.deeds.models import Deed
from kwamdee.deeds.selectors import deed_open_question, deed_reversal_of, deed_visible_to, deeds_of_person
from kwamdee.deeds.services import (
    MAX_BULK_VERIFY,
    deed_answer,
    deed_ask,
    deed_credit_reverse,
    deed_record,
    deed_reject,
    deed_verify,
    deeds_verify_bulk,
)
from kwamdee.deeds.witnessing import MAX_WITNESSES, witness_answer, witness_requests

router = Router(tags=["deeds"])


def _json_number(value: Any) -> Any:
    """A JSON number that is finite: not "2" (a string, which lax parsing read as 2), not true,
    not NaN or Infinity. Its errors are the usual number errors (api/errors.py words them)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("float_type", "Input should be a valid number")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("finite_number", "Input should be a finite number")
    return value


# Documented as what it takes, a JSON number or null: a Decimal alone would say a string too.
JsonNumber = Annotated[
    Decimal | None,
    BeforeValidator(_json_number),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "null"}]}),
]


class DeedIn(Schema):
    deed_type: UUID
    performed_on: date
    description: str
    # A JSON number, never a string: "12" is refused, not read as 12 (issue 9).
    quantity: JsonNumber = None
    # Needed (true) for a deed type marked sensitive (health, religion): the person's agreement.
    sensitive_consent: StrictBool = False
    # For a deed type that asks for witnesses: members who saw it, by phone or e-mail.
    witnesses: list[StrictStr] = Field(default_factory=list, max_length=MAX_WITNESSES)
    # A helper records for a person who gave them a standing consent: that person's public id.
    on_behalf_of: UUID | None = None


class DeedOut(Schema):
    public_id: UUID
    deed_type: str
    deed_type_name: str
    performed_on: date
    description: str
    quantity: Decimal
    status: str
    credit_awarded: int
    points_awarded: int
    rule_version: int | None
    rejection_code: str
    rejection_reason: str
    # The verifier's open question while the deed waits for the person's answer (needs_info).
    question: str | None = None
    # The helper who recorded it on the person's behalf (assisted recording), if any.
    recorded_by_name: str | None = None
    # Once an auditor reversed the credit (status `reversed`): the reason code (fraudulent,
    # duplicate, entered_in_error) and the plain words the person reads.
    reversal_code: str | None = None
    reversal_reason: str | None = None
    decided_at: datetime | None
    created_at: datetime


class WitnessRequestOut(Schema):
    deed: UUID
    deed_type_name: str
    person_name: str
    performed_on: date
    description: str


class WitnessAnswerIn(Schema):
    # true: "I saw it"; false: "I cannot confirm it".
    confirm: StrictBool


class WitnessAnswerOut(Schema):
    deed: UUID
    answer: str
    # "pending" once enough witnesses confirmed (the deed went to the verifiers).
    deed_status: str


class RejectIn(Schema):
    # One of the list (RejectionReason); `reason`, the verifier's words, is needed with "other".
    reason_code: RejectionReason
    reason: StrictStr = ""


class AskIn(Schema):
    question: StrictStr


class AnswerIn(Schema):
    answer: StrictStr


class BulkVerifyIn(Schema):
    deeds: list[UUID] = Field(..., min_length=1, max_length=MAX_BULK_VERIFY)


class BulkOutcomeOut(Schema):
    deed: UUID
    verified: bool
    code: str
    message: str
    credit: int
    points: int


class BulkVerifyOut(Schema):
    verified: int
    refused: int
    results: list[BulkOutcomeOut]


def deed_out(deed: Deed) -> DeedOut:
    reversal = deed_reversal_of(deed) if deed.status == DeedStatus.REVERSED else None
    return DeedOut(
        public_id=deed.public_id, deed_type=deed.deed_type.code,
        deed_type_name=deed.deed_type.name, performed_on=deed.performed_on,
        description=deed.description, quantity=deed.quantity, status=deed.status,
        credit_awarded=deed.credit_awarded, points_awarded=deed.points_awarded,
        rule_version=deed.rule_version.version if deed.rule_version else None,
        rejection_code=deed.rejection_code, rejection_reason=deed.rejection_reason,
        question=q.question if (q := deed_open_question(deed)) else None, decided_at=deed.decided_at,
        recorded_by_name=getattr(deed.recorded_by, "full_name", None),
        reversal_code=reversal.reason_code if reversal else None,
        reversal_reason=reversal.words_for_person if reversal else None,
        created_at=deed.created_at,
    )  # fmt: skip


@router.post("", response={201: DeedOut, **errors(403, 409)})
def record(request, payload: DeedIn, idempotency_key: str | None = Header(None, alias=IDEMPOTENCY_HEADER)):
    """Records a deed as pending. Send an `Idempotency-Key` header to make retries safe: a retry
    with the same key and body returns the first deed; the same key with another body is refused
    with 422 `idempotency_conflict`."""
    deed = deed_record(
        actor=request.auth, deed_type_public_id=payload.deed_type,
        performed_on=payload.performed_on, description=payload.description,
        quantity=payload.quantity, submission_key=idempotency_key,
        sensitive_consent=payload.sensitive_consent, witnesses=payload.witnesses,
        on_behalf_of=payload.on_behalf_of,
    )  # fmt: skip
    return 201, deed_out(deed)


class DeedWithEvidenceIn(Schema):
    """The fields of `DeedIn`, sent as multipart form fields beside the files."""

    deed_type: UUID
    performed_on: date
    # An empty form field arrives as no field: the service answers for it (400, "fill in").
    description: str = ""
    # A form field is text: a number written out ("2.5"), or empty / "null" for none; documented
    # as a number, as in DeedIn.
    quantity: Annotated[
        Decimal | None,
        BeforeValidator(lambda value: None if value in ("", "null") else value),
        WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "null"}]}),
    ] = None
    sensitive_consent: bool = False


@router.post("/with-evidence", response={201: DeedOut, **errors(403, 409)})
def record_with_evidence(
    request,
    payload: Form[DeedWithEvidenceIn],
    # Optional in the schema: a deed without its files is refused by deed_record with 400 naming
    # `evidence_files`, the same answer as the JSON route gives.
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    idempotency_key: str | None = Header(None, alias=IDEMPOTENCY_HEADER),
):
    """Records a deed as pending with its photos or documents (multipart/form-data: the deed's
    fields and up to 4 `files`, JPEG, PNG, WebP or PDF, 8 MB each), for a deed type whose
    evidence is a photo or a document (`POST /deeds` refuses those with 400 `validation_failed`
    on `evidence_files`). A file is judged by its bytes, not its name; photos are stored
    re-encoded without EXIF or location. A refused file answers 400 `evidence_refused`."""
    deed = deed_record(
        actor=request.auth, deed_type_public_id=payload.deed_type,
        performed_on=payload.performed_on, description=payload.description,
        quantity=payload.quantity, submission_key=idempotency_key,
        sensitive_consent=payload.sensitive_consent, evidence_files=files or [],
    )  # fmt: skip
    return 201, deed_out(deed)


@router.get("", response=list[DeedOut])
def mine(request):
    return [deed_out(d) for d in deeds_of_person(person=request.auth)[:200]]


class QueueFilters(Schema):
    """The verifier's desk's filters (the web queue's, by the same names as its fields here)."""

    deed_type: str = Field("", max_length=80, description="Only deeds of this deed type (its code).")
    area: str = Field("", max_length=6, description="Only deeds of this subdistrict (its 6-digit code).")
    performed_from: date | None = Field(None, description="Only deeds done on or after this day.")
    performed_to: date | None = Field(None, description="Only deeds done on or before this day.")
    flagged: bool = Field(False, description="Only deeds with an open flag (the fairness review's).")


class QueueDeedOut(DeedOut):
    # What verifying it credits under the rule in force on its date (null: no rule in force, and
    # verifying it is refused); the verifier's desk shows the same (kwamdee/deeds/desk.py).
    expected_credit: int | None
    expected_points: int | None
    expected_rule_version: int | None


@router.get("/queue", response={200: list[QueueDeedOut]})
def queue(request, filters: Query[QueueFilters]):
    """Pending deeds the caller may decide (verifiers; empty for anyone else), oldest first, at most
    200, narrowed by the filters, each with the credit and points verifying it would credit. An
    `area` that is no subdistrict, or dates the wrong way round, answer 400 `validation_failed`; a
    deed type with nothing waiting gives an empty list."""
    wanted = DeskFilters(
        deed_type=filters.deed_type, area=filters.area,
        performed_from=filters.performed_from, performed_to=filters.performed_to,
        flagged=filters.flagged,
    )  # fmt: skip
    desk_filters_check(wanted)
    deeds = list(desk_queue(verifier=request.auth, filters=wanted)[:200])
    details = desk_details(deeds)
    found = []
    for deed in deeds:
        desk = details[deed.pk]
        found.append(
            QueueDeedOut(
                **deed_out(deed).dict(),
                expected_credit=desk.credit,
                expected_points=desk.points,
                expected_rule_version=desk.rule.version if desk.rule else None,
            )
        )
    return found


@router.post("/verify", response={200: BulkVerifyOut, **errors(403)})
def verify_bulk(
    request, payload: BulkVerifyIn, idempotency_key: str | None = Header(None, alias=IDEMPOTENCY_HEADER)
):
    """The verifier's desk: verifies up to 200 deeds in one go (one database transaction, one
    ledger batch). Each deed the caller may not decide is left as it was and named in `results`
    with its code. Send an `Idempotency-Key` to make a retry answer as the first time; the same
    key with other deeds is refused with 422 `idempotency_conflict`."""
    outcomes = deeds_verify_bulk(
        actor=request.auth, deed_public_ids=payload.deeds, idempotency_key=idempotency_key
    )
    verified = sum(1 for o in outcomes if o.verified)
    return {
        "verified": verified,
        "refused": len(outcomes) - verified,
        "results": [o._asdict() for o in outcomes],
    }


@router.get("/witness-requests", response=list[WitnessRequestOut])
def witness_requests_mine(request):
    """The deeds others named the caller a witness of, not answered yet, oldest first."""
    return [
        WitnessRequestOut(
            deed=row.deed.public_id,
            deed_type_name=row.deed.deed_type.name,
            person_name=row.deed.person.full_name,
            performed_on=row.deed.performed_on,
            description=row.deed.description,
        )
        for row in witness_requests(witness=request.auth)[:200]
    ]


@router.post("/{public_id}/witness", response={200: WitnessAnswerOut, **errors(404, 409)})
def witness(request, public_id: UUID, payload: WitnessAnswerIn):
    """A named witness confirms (`confirm: true`) or declines, once. When enough witnesses have
    confirmed, the deed goes to the verifiers (`deed_status: pending`). Anyone not named answers
    404, as for a deed that does not exist."""
    row = witness_answer(actor=request.auth, deed_public_id=public_id, confirm=payload.confirm)
    return WitnessAnswerOut(deed=public_id, answer=row.answer, deed_status=row.deed.status)


@router.get("/{public_id}", response={200: DeedOut, **errors(404)})
def detail(request, public_id: UUID):
    deed = deed_visible_to(viewer=request.auth, deed_public_id=public_id)
    if deed is None:
        raise NotFound()
    access_record(viewer=request.auth, person=deed.person, what=DEED_VIEW, subject_id=deed.public_id)
    return deed_out(deed)


@router.post("/{public_id}/verify", response={200: DeedOut, **errors(403, 404, 409)})
def verify(request, public_id: UUID):
    return deed_out(deed_verify(actor=request.auth, deed_public_id=public_id))


@router.post("/{public_id}/reject", response={200: DeedOut, **errors(403, 404, 409)})
def reject(request, public_id: UUID, payload: RejectIn):
    """Rejects a pending deed with a reason from the list and, beside it, words the person reads
    (needed when `reason_code` is "other")."""
    deed = deed_reject(
        actor=request.auth, deed_public_id=public_id, reason_code=payload.reason_code, reason=payload.reason
    )
    return deed_out(deed)


@router.post("/{public_id}/ask", response={200: DeedOut, **errors(403, 404, 409)})
def ask(request, public_id: UUID, payload: AskIn):
    """The third decision: asks the person for more information. The deed leaves the queue
    (status `needs_info`) until the person answers. Who may ask is who may decide."""
    return deed_out(deed_ask(actor=request.auth, deed_public_id=public_id, question=payload.question))


@router.post("/{public_id}/answer", response={200: DeedOut, **errors(404, 409)})
def answer(request, public_id: UUID, payload: AnswerIn):
    """The deed's person answers the verifier's question; the deed returns to pending. Another
    person's deed answers 404, as one that does not exist."""
    return deed_out(deed_answer(actor=request.auth, deed_public_id=public_id, answer=payload.answer))


class ReverseIn(Schema):
    # fraudulent, duplicate or entered_in_error. `note`: the auditor's own words, for auditors.
    reason_code: ReversalReason
    note: StrictStr = ""


@router.post("/{public_id}/reverse", response={200: DeedOut, **errors(403, 404, 409)})
def reverse(request, public_id: UUID, payload: ReverseIn):
    """Auditors: reverses a verified deed's credit and points through the ledger, with a reason
    code. The credit is taken back in full; points the person already spent stay spent (no
    balance goes below zero) and the reversal says how many. 403 without the auditor's
    permission, 404 for no such deed, 409 for a deed not verified or already reversed."""
    deed = deed_credit_reverse(
        actor=request.auth, deed_public_id=public_id, reason_code=payload.reason_code, note=payload.note
    )
    return deed_out(deed)
