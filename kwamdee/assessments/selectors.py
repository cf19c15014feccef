"""Reads of the assessment, and the rules of who may do what with one (one place each)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from kwamdee.assessments.choices import AssessmentStatus, CertificateStatus
from kwamdee.assessments.errors import (
    AssessmentRefused,
    ConflictOfInterest,
    NotAnAssessor,
)
from kwamdee.assessments.models import Answer, Assessment, Certificate, Template
from kwamdee.common.errors import NotFound, ServiceError
from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.selectors import (
    organization_admin_of,
    organization_managed_by,
    organization_member_ids,
    registration_decidable_by,
)

DEFAULT_TEMPLATE = "moral_organization"
ASSESS_PERMISSION = "assessments.assess_organization"
TEMPLATES_PERMISSION = "assessments.manage_templates"


def template_in_force(code: str = DEFAULT_TEMPLATE, on_date: date | None = None) -> Template | None:
    """The newest version of `code` in force on `on_date` (today by default)."""
    day = on_date or timezone.localdate()
    versions = Template.objects.filter(code=code, effective_from__lte=day)
    return versions.order_by("-effective_from", "-version").first()


def template_get(public_id: Any) -> Template | None:
    return Template.objects.filter(public_id=public_id).first()


def assessment_get(public_id: Any) -> Assessment | None:
    return (
        Assessment.objects.select_related("template", "organization", "level")
        .filter(public_id=public_id)
        .first()
    )


def assessments_of(organization: Any) -> QuerySet[Assessment]:
    return Assessment.objects.filter(organization=organization).select_related("template", "level")


def certificate_current(organization: Any) -> Certificate | None:
    """The organization's valid certificate, if it has one."""
    return (
        Certificate.objects.filter(organization=organization, status=CertificateStatus.ACTIVE)
        .select_related("level")
        .first()
    )


def person_acts_for(person: Any, organization: Any) -> bool:
    """Whether `person` acts for `organization` or the organization above it in any role, or is
    linked to either now (organizations.selectors.organization_member_ids)."""
    if not getattr(person, "pk", None):
        return False
    return person.pk in organization_member_ids(organization, with_parent=True)


def assessment_managed_by(actor: Any, assessment: Assessment) -> bool:
    """Who writes the self-assessment: who may manage the organization's people (its admins, and
    staff who register organizations), and the officers it made assessors of its own
    self-assessment (a membership in the role `assessor`)."""
    if organization_managed_by(actor, assessment.organization):
        return True
    return bool(
        getattr(actor, "pk", None)
        and assessment.organization.memberships.filter(person=actor, role=MembershipRole.ASSESSOR).exists()
    )


def assessment_score_refusal(actor: Any, assessment: Assessment) -> ServiceError | None:
    """The one rule for "may score this assessment now": a person (never the system) holding
    `assessments.assess_organization`, independent of the organization (no membership of it or of
    the organization above it, and not one who wrote its self-assessment), on a submitted one."""
    if not getattr(actor, "pk", None) or not actor.has_perm(ASSESS_PERMISSION):
        return NotAnAssessor()
    if assessment.status != AssessmentStatus.SUBMITTED:
        return AssessmentRefused()
    writers = {assessment.started_by_id, assessment.submitted_by_id}
    writers |= set(assessment.answers.exclude(answered_by=None).values_list("answered_by_id", flat=True))
    if actor.pk in writers or person_acts_for(actor, assessment.organization):
        return ConflictOfInterest()
    return None


def assessments_to_score(actor: Any) -> list[Assessment]:
    """The submitted assessments `actor` may score (none for one who is not an assessor)."""
    if not getattr(actor, "pk", None) or not actor.has_perm(ASSESS_PERMISSION):
        return []
    waiting = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED).select_related("organization")
    return [a for a in waiting.order_by("submitted_at", "id") if assessment_score_refusal(actor, a) is None]


def assessment_visible_to(actor: Any, assessment: Assessment) -> bool:
    """The organization's people, its assessor, and assessors who may score it."""
    if not getattr(actor, "pk", None):
        return False
    if assessment.assessor_id == actor.pk or person_acts_for(actor, assessment.organization):
        return True
    return assessment_managed_by(actor, assessment) or assessment_score_refusal(actor, assessment) is None


@dataclass(frozen=True)
class FeedbackRow:
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
    evidence: list[Any]


def assessment_feedback(actor: Any, assessment: Assessment) -> list[FeedbackRow]:
    """Each item with the organization's answer and the assessor's score and comment: what the
    organization reads once it is scored. 404 for one who may not see it."""
    if not assessment_visible_to(actor, assessment):
        raise NotFound()
    answers = (
        Answer.objects.filter(assessment=assessment)
        .select_related("item__activity")
        .order_by("item__activity__number", "item__order", "item_id")
    )
    scored = assessment.status == AssessmentStatus.SCORED
    return [
        FeedbackRow(
            activity_number=a.item.activity.number,
            activity=a.item.activity.name,
            code=a.item.code,
            text=a.item.text,
            rule=a.item.rule,
            self_score=a.self_score,
            assessor_score=a.assessor_score if scored else None,
            assessor_comment=a.assessor_comment if scored else "",
            computed=a.computed,
            numerator=a.numerator,
            denominator=a.denominator,
            evidence=list(a.evidence),
        )
        for a in answers
    ]


def templates_in_force(on_date: date | None = None) -> list[Template]:
    """The version in force of every template code (one each), by code."""
    codes = Template.objects.order_by("code").values_list("code", flat=True).distinct()
    found = [template_in_force(code, on_date) for code in codes]
    return [t for t in found if t is not None]


def templates_all() -> QuerySet[Template]:
    """Every version of every template, newest first within a code (for staff)."""
    return Template.objects.order_by("code", "-version")


def templates_managed_by(actor: Any) -> bool:
    """Who may download and upload templates: the permission the import service checks."""
    return bool(getattr(actor, "pk", None) and actor.has_perm(TEMPLATES_PERMISSION))


def organization_assessments_managed_by(actor: Any, organization: Any) -> bool:
    """Who may start and write the organization's self-assessments (`assessment_managed_by`,
    asked before there is an assessment)."""
    return assessment_managed_by(actor, Assessment(organization=organization))


def organizations_assessed_by(person: Any) -> list[Any]:
    """The organizations whose self-assessment `person` writes as an admin or an assessor of
    their own (through the person's memberships: this app does not import organizations' models)."""
    if not getattr(person, "pk", None):
        return []
    memberships = person.memberships.filter(role__in=[MembershipRole.ADMIN, MembershipRole.ASSESSOR])
    seen: dict[int, Any] = {}
    for membership in memberships.select_related("organization").order_by("organization_id"):
        seen.setdefault(membership.organization_id, membership.organization)
    return [o for o in seen.values() if organization_assessments_managed_by(person, o)]


def assessment_answers(assessment: Assessment) -> list[Answer]:
    """The assessment's answers with their items, by activity and order."""
    return list(
        Answer.objects.filter(assessment=assessment)
        .select_related("item__activity__level")
        .order_by("item__activity__number", "item__order", "item_id")
    )


def assessment_answer_get(assessment: Assessment, code: str) -> Answer | None:
    return (
        Answer.objects.select_related("item__activity").filter(assessment=assessment, item__code=code).first()
    )


def evidence_download_allowed(actor: Any, assessment: Assessment) -> bool:
    """Who may download the files of an assessment's evidence: who writes it (the organization's
    admins and its own assessors, staff), its assessor, and an assessor who may score it now."""
    if not getattr(actor, "pk", None):
        return False
    if assessment_managed_by(actor, assessment) or assessment.assessor_id == actor.pk:
        return True
    return assessment_score_refusal(actor, assessment) is None


def assessment_evidence_document(assessment: Assessment, document_id: Any) -> Any | None:
    """One of the organization's documents named in the evidence of one of the assessment's
    answers, or None."""
    wanted = str(document_id)
    named = any(
        isinstance(entry, dict) and entry.get("document") == wanted
        for evidence in assessment.answers.values_list("evidence", flat=True)
        for entry in (evidence or [])
    )
    if not named:
        return None
    return assessment.organization.documents.filter(public_id=document_id).first()


def certificate_of(assessment: Assessment) -> Certificate | None:
    return Certificate.objects.filter(assessment=assessment).select_related("level", "organization").first()


def document_attachable_by(actor: Any, organization: Any) -> bool:
    """Whether `actor` may upload a file as the organization's document (the rule of
    organizations.services.organization_document_attach): its admins and staff."""
    return bool(getattr(actor, "pk", None)) and (
        organization_admin_of(actor, organization) or registration_decidable_by(actor)
    )


def certificates_current_of(organizations: Any) -> dict[int, Certificate]:
    """The valid certificate of each of `organizations` that has one, by organization id (one
    query for a directory page)."""
    rows = Certificate.objects.filter(
        organization__in=organizations, status=CertificateStatus.ACTIVE
    ).select_related("level")
    return {row.organization_id: row for row in rows}
