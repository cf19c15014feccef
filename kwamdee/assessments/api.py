"""API of the moral-organization assessment (issue 13, docs/organizations.md): the templates in
force and their JSON; an organization's self-assessment (start, one assessment with its items
and answers, answering an item, uploading a document as evidence, submitting); the assessor's
list and scores; the organization's feedback and its current certificate.

An assessment answers 404 to anyone who may not see it (`assessment_visible_to`), as one that does
not exist; an organization answers 404 to anyone who may not write its self-assessment. Scoring
refuses with 403 `assessment_not_assessor` (no assessor's permission) or
`assessment_conflict_of_interest` (one who acts for the organization or the one above it, or
wrote its self-assessment), 409 `assessment_refused` when it is not waiting for an assessor."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from ninja import Field, File, Form, Router, Schema, UploadedFile

from kwamdee.assessments.documents import template_document
from kwamdee.assessments.errors import NotAnAssessor
from kwamdee.assessments.selectors import (
    ASSESS_PERMISSION,
    assessment_answers,
    assessment_feedback,
    assessment_get,
    assessment_managed_by,
    assessment_visible_to,
    assessments_to_score,
    certificate_current,
    organization_assessments_managed_by,
    template_get,
    templates_in_force,
)
from kwamdee.assessments.services import (
    NOTE_MAX,
    assessment_answer,
    assessment_document_attach,
    assessment_score,
    assessment_start,
    assessment_submit,
)
from kwamdee.common.api_errors import errors
from kwamdee.common.errors import NotFound
from kwamdee.organizations.choices import OrganizationState
from kwamdee.organizations.selectors import organization_get
from kwamdee.rewards.api_privileges import WholeNumber

router = Router(tags=["assessments"])

Count = Annotated[int, Field(ge=0, le=10**9), WholeNumber]
Score = Annotated[int, Field(ge=0, le=2), WholeNumber]


# --- shapes -----------------------------------------------------------------------------------


class AssessmentLevelOut(Schema):
    code: str
    order: int
    name: str
    # The share of the most points needed, over this level's activities and the ones below.
    min_percent: Decimal
    min_item_score: int


class AssessmentTemplateOut(Schema):
    public_id: UUID
    code: str
    version: int
    name: str
    effective_from: date
    certificate_years: int
    levels: list[AssessmentLevelOut]


class AssessmentEvidenceRef(Schema):
    # What the document is.
    title: str = Field(..., max_length=300)
    # An address (https://…), or
    url: str = Field("", max_length=500)
    # the public id of one of the organization's documents (from the upload operation).
    document: str = Field("", max_length=36)


class AssessmentItemOut(Schema):
    code: str
    activity_number: int
    activity: str
    text: str
    # threshold (a measured share: numerator of denominator), judgement (2/1/0 from evidence),
    # computed (a figure from the system's data, read only)
    rule: str
    threshold_full: Decimal | None
    threshold_half: Decimal | None
    figure: str
    evidence_required: bool
    evidence_asked: str
    numerator: int | None
    denominator: int | None
    # The computed figure with its numbers (figure, year, numerator, denominator, value, hidden).
    computed: dict[str, Any]
    self_score: int | None
    note: str
    evidence: list[dict[str, str]]
    # Only once scored.
    assessor_score: int | None
    assessor_comment: str


class AssessmentOut(Schema):
    public_id: UUID
    organization: UUID
    organization_name: str
    template: UUID
    template_code: str
    template_version: int
    # draft, submitted, scored
    status: str
    submitted_at: datetime | None
    scored_at: datetime | None
    total_score: int | None
    max_score: int | None
    percent: Decimal | None
    level: str | None
    level_name: str | None
    assessor_comment: str
    items: list[AssessmentItemOut]


class AssessmentBriefOut(Schema):
    public_id: UUID
    organization: UUID
    organization_name: str
    status: str
    submitted_at: datetime | None


class AssessmentAnswerIn(Schema):
    # For a threshold item: how many, out of how many (above zero).
    numerator: Count | None = None
    denominator: Count | None = None
    # For a judgement item: the organization's own 2/1/0.
    self_score: Score | None = None
    note: str = Field("", max_length=NOTE_MAX)
    # The whole evidence of the item (it replaces what was given): at most 10.
    evidence: list[AssessmentEvidenceRef] = Field(default_factory=list, max_length=10)


class AssessmentDocumentIn(Schema):
    title: str = Field(..., min_length=1, max_length=120)


class AssessmentScoreIn(Schema):
    # 2, 1 or 0 for every item, by item code.
    scores: dict[str, Score]
    comments: dict[str, Annotated[str, Field(max_length=NOTE_MAX)]] = Field(default_factory=dict)
    # The conclusion for the organization.
    comment: str = Field("", max_length=NOTE_MAX)


class AssessmentFeedbackOut(Schema):
    activity_number: int
    activity: str
    code: str
    text: str
    rule: str
    self_score: int | None
    assessor_score: int | None
    assessor_comment: str
    computed: dict[str, Any]
    numerator: int | None
    denominator: int | None
    evidence: list[dict[str, str]]


class AssessmentCertificateOut(Schema):
    public_id: UUID
    level: str
    level_name: str
    valid_from: date
    valid_until: date
    # active, replaced, expired
    status: str


class OrganizationCertificateOut(Schema):
    organization: UUID
    # None when the organization has no valid certificate.
    certificate: AssessmentCertificateOut | None


# --- conversions ------------------------------------------------------------------------------


def template_out(template: Any) -> AssessmentTemplateOut:
    return AssessmentTemplateOut(
        public_id=template.public_id,
        code=template.code,
        version=template.version,
        name=template.name,
        effective_from=template.effective_from,
        certificate_years=template.certificate_years,
        levels=[
            AssessmentLevelOut(
                code=lv.code,
                order=lv.order,
                name=lv.name,
                min_percent=lv.min_percent,
                min_item_score=lv.min_item_score,
            )
            for lv in template.levels.order_by("order")
        ],
    )


def assessment_out(assessment: Any) -> AssessmentOut:
    scored = assessment.status == "scored"
    items = []
    for answer in assessment_answers(assessment):
        item = answer.item
        items.append(
            AssessmentItemOut(
                code=item.code,
                activity_number=item.activity.number,
                activity=item.activity.name,
                text=item.text,
                rule=item.rule,
                threshold_full=item.threshold_full,
                threshold_half=item.threshold_half,
                figure=item.figure,
                evidence_required=item.evidence_required,
                evidence_asked=item.evidence,
                numerator=answer.numerator,
                denominator=answer.denominator,
                computed=answer.computed,
                self_score=answer.self_score,
                note=answer.note,
                evidence=list(answer.evidence),
                assessor_score=answer.assessor_score if scored else None,
                assessor_comment=answer.assessor_comment if scored else "",
            )
        )
    return AssessmentOut(
        public_id=assessment.public_id,
        organization=assessment.organization.public_id,
        organization_name=assessment.organization.name,
        template=assessment.template.public_id,
        template_code=assessment.template.code,
        template_version=assessment.template.version,
        status=assessment.status,
        submitted_at=assessment.submitted_at,
        scored_at=assessment.scored_at,
        total_score=assessment.total_score,
        max_score=assessment.max_score,
        percent=assessment.percent,
        level=assessment.level.code if assessment.level else None,
        level_name=assessment.level.name if assessment.level else None,
        assessor_comment=assessment.assessor_comment if scored else "",
        items=items,
    )


def _visible(request: Any, public_id: UUID) -> Any:
    found = assessment_get(public_id)
    if found is None or not assessment_visible_to(request.auth, found):
        raise NotFound()
    return found


def _managed(request: Any, public_id: UUID) -> Any:
    found = assessment_get(public_id)
    if found is None or not assessment_managed_by(request.auth, found):
        raise NotFound()
    return found


def _managed_organization(request: Any, public_id: UUID) -> Any:
    organization = organization_get(public_id)
    if organization is None or not organization_assessments_managed_by(request.auth, organization):
        raise NotFound()
    return organization


# --- templates --------------------------------------------------------------------------------


@router.get("/templates", response=list[AssessmentTemplateOut])
def templates(request: Any) -> list[AssessmentTemplateOut]:
    """The version in force of each assessment template, with its levels."""
    return [template_out(t) for t in templates_in_force()]


@router.get("/templates/{public_id}/export", response={200: dict[str, Any], **errors(404)})
def template_export(request: Any, public_id: UUID) -> dict[str, Any]:
    """One template version as the JSON document that `manage.py assessment_template import`
    and the templates page take (format `kwamdee.assessment_template`)."""
    template = template_get(public_id)
    if template is None:
        raise NotFound()
    return template_document(template)


# --- an organization --------------------------------------------------------------------------


@router.post("/organizations/{public_id}/start", response={201: AssessmentOut, **errors(404, 409)})
def start(request: Any, public_id: UUID) -> tuple[int, AssessmentOut]:
    """Opens the organization's self-assessment under the template in force, by its admins, its
    own assessors or staff (404 to anyone else). 409 `assessment_open` (one is already open),
    `assessment_no_template`, `assessment_refused` (a registration not approved)."""
    organization = _managed_organization(request, public_id)
    return 201, assessment_out(assessment_start(actor=request.auth, organization=organization))


@router.get(
    "/organizations/{public_id}/certificate", response={200: OrganizationCertificateOut, **errors(404)}
)
def certificate(request: Any, public_id: UUID) -> OrganizationCertificateOut:
    """The organization's valid certificate (its level and validity), or null: public facts of an
    approved organization, for anyone signed in. 404 for no such organization."""
    organization = organization_get(public_id)
    if organization is None or organization.state != OrganizationState.APPROVED:
        raise NotFound()
    current = certificate_current(organization)
    return OrganizationCertificateOut(
        organization=organization.public_id,
        certificate=None
        if current is None
        else AssessmentCertificateOut(
            public_id=current.public_id,
            level=current.level.code,
            level_name=current.level.name,
            valid_from=current.valid_from,
            valid_until=current.valid_until,
            status=current.status,
        ),
    )


# --- the assessor -----------------------------------------------------------------------------


@router.get("/to-score", response=list[AssessmentBriefOut])
def to_score(request: Any) -> list[AssessmentBriefOut]:
    """The submitted assessments the caller may score (empty for one who is not an assessor; those
    of organizations they act for are never listed)."""
    return [
        AssessmentBriefOut(
            public_id=a.public_id,
            organization=a.organization.public_id,
            organization_name=a.organization.name,
            status=a.status,
            submitted_at=a.submitted_at,
        )
        for a in assessments_to_score(request.auth)
    ]


# --- one assessment ---------------------------------------------------------------------------


@router.get("/{public_id}", response={200: AssessmentOut, **errors(404)})
def assessment(request: Any, public_id: UUID) -> AssessmentOut:
    """One assessment with every item and its answer (the assessor's scores once scored)."""
    return assessment_out(_visible(request, public_id))


@router.post("/{public_id}/items/{code}", response={200: AssessmentOut, **errors(403, 404, 409)})
def answer(request: Any, public_id: UUID, code: str, payload: AssessmentAnswerIn) -> AssessmentOut:
    """Answers one item of a self-assessment being written: a threshold item's count, a judgement
    item's own score, a note, and its evidence as references (an address, or a document the
    upload operation gave; a document of another organization is refused). 400
    `assessment_answer_invalid` by field; 409 `assessment_refused` once submitted."""
    found = _managed(request, public_id)
    assessment_answer(
        actor=request.auth, assessment=found, item_code=code, numerator=payload.numerator,
        denominator=payload.denominator, self_score=payload.self_score, note=payload.note,
        evidence=[e.model_dump() for e in payload.evidence],
    )  # fmt: skip
    return assessment_out(found)


@router.post("/{public_id}/documents", response={201: AssessmentEvidenceRef, **errors(403, 404, 409)})
def document(
    request: Any, public_id: UUID, payload: Form[AssessmentDocumentIn], file: File[UploadedFile]
) -> tuple[int, AssessmentEvidenceRef]:
    """Uploads a file of evidence (multipart/form-data: `title` and one `file`, a PDF or a JPEG,
    PNG or WebP photo, 8 MB at most) as a document of the assessed organization, judged by its
    bytes and stored without a photo's EXIF or location. Answers the reference to put in an
    item's `evidence`. By the organization's admins and staff (403 for its own assessors); a
    refused file answers 400 `document_refused` and stores nothing."""
    found = _managed(request, public_id)
    reference = assessment_document_attach(
        actor=request.auth, assessment=found, upload=file, title=payload.title
    )
    return 201, AssessmentEvidenceRef(**reference)


@router.post("/{public_id}/submit", response={200: AssessmentOut, **errors(404, 409)})
def submit(request: Any, public_id: UUID) -> AssessmentOut:
    """Computes the computed items and hands the self-assessment to the assessors. 409
    `assessment_incomplete` with every item still missing as fields (by item code)."""
    return assessment_out(assessment_submit(actor=request.auth, assessment=_managed(request, public_id)))


@router.post("/{public_id}/score", response={200: AssessmentOut, **errors(403, 404, 409)})
def score(request: Any, public_id: UUID, payload: AssessmentScoreIn) -> AssessmentOut:
    """An independent assessor's 2/1/0 and comments for every item, and a conclusion: the result,
    the level and, when a level is reached, a certificate. 400 `assessment_scores_invalid` by item
    code; 403 `assessment_not_assessor`, `assessment_conflict_of_interest`; 409
    `assessment_refused` (not waiting for an assessor)."""
    if not request.auth.has_perm(ASSESS_PERMISSION):
        raise NotAnAssessor()
    found = assessment_get(public_id)
    if found is None:
        raise NotFound()
    scored = assessment_score(
        actor=request.auth, assessment=found, scores=payload.scores, comments=payload.comments,
        comment=payload.comment,
    )  # fmt: skip
    return assessment_out(scored)


@router.get("/{public_id}/feedback", response={200: list[AssessmentFeedbackOut], **errors(404)})
def feedback(request: Any, public_id: UUID) -> list[AssessmentFeedbackOut]:
    """Each item with the organization's answer and the assessor's score and comment (those only
    once scored)."""
    found = _visible(request, public_id)
    return [AssessmentFeedbackOut(**row.__dict__) for row in assessment_feedback(request.auth, found)]
