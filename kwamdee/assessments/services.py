"""Writes of the assessment: import a template, start a self-assessment, answer, submit, score
(the result, the level and the certificate), and the certificates' reminders and expiry. Each is
one transaction with one audit event per state change."""

import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.assessments import figures
from kwamdee.assessments.choices import AssessmentStatus, CertificateStatus, ScoringRule
from kwamdee.assessments.documents import template_document_problems, template_rows_create
from kwamdee.assessments.errors import (
    AnswerInvalid,
    AssessmentIncomplete,
    AssessmentOpen,
    AssessmentRefused,
    NoTemplate,
    ScoresInvalid,
    TemplateInvalid,
)
from kwamdee.assessments.events import AssessmentsEvent
from kwamdee.assessments.models import (
    Answer,
    Assessment,
    Certificate,
    Template,
    TemplateActivity,
    TemplateItem,
    TemplateLevel,
)
from kwamdee.assessments.scoring import LevelRule, ScoredItem, assessment_result, item_score, share_percent
from kwamdee.assessments.selectors import (
    DEFAULT_TEMPLATE,
    assessment_managed_by,
    assessment_score_refusal,
    document_attachable_by,
    template_in_force,
)
from kwamdee.common.actors import Actor
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.common.text_validation import text_problems
from kwamdee.organizations.choices import OrganizationState
from kwamdee.organizations.services import organization_document_attach

MODELS = {
    "Template": Template,
    "TemplateLevel": TemplateLevel,
    "TemplateActivity": TemplateActivity,
    "TemplateItem": TemplateItem,
}
MAX_EVIDENCE = 10
NOTE_MAX = 4000


@transaction.atomic
def template_import(*, actor: Actor, document: Any) -> Template:
    """Adds the next version of the document's template (a JSON object, or its text). Versions
    are never edited: an assessment keeps the version it started under."""
    if not actor.has_perm("assessments.manage_templates"):
        raise PermissionDenied()
    if isinstance(document, (str, bytes)):
        try:
            document = json.loads(document)
        except ValueError:
            raise TemplateInvalid(fields={"document": [_("This is not JSON.")]}) from None
    problems = template_document_problems(document)
    if problems:
        raise TemplateInvalid(fields=problems)
    latest = Template.objects.filter(code=document["code"]).aggregate(n=Max("version"))["n"] or 0
    template = template_rows_create(
        document, models=MODELS, version=latest + 1, created_by_id=getattr(actor, "pk", None)
    )
    items = TemplateItem.objects.filter(activity__template=template).count()
    audit_record(
        actor=actor, event=AssessmentsEvent.TEMPLATE_IMPORT, subject_id=template.public_id,
        data={"code": template.code, "version": template.version, "items": items},
    )  # fmt: skip
    return template


DEFAULT_DOCUMENT = Path(__file__).resolve().parent / "data" / "moral_organization.json"


def template_default_load(*, actor: Actor) -> Template | None:
    """The default template (migration data) made again where it is missing, as its first
    version: a database emptied after migrating (the browser tests' flush) has none, and the demo
    assesses organizations. Returns the version made, or None when the template is there."""
    document = json.loads(DEFAULT_DOCUMENT.read_text("utf-8"))
    if Template.objects.filter(code=document["code"]).exists():
        return None
    return template_import(actor=actor, document=document)


def _locked(assessment: Assessment) -> Assessment:
    row = (
        Assessment.objects.select_for_update()
        .select_related("organization", "template")
        .filter(pk=assessment.pk)
    )
    found = row.first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def assessment_start(*, actor: Actor, organization: Any, template_code: str = DEFAULT_TEMPLATE) -> Assessment:
    """Opens the organization's self-assessment under the template in force, one answer row per
    item. One open assessment per organization."""
    template = template_in_force(template_code)
    if template is None:
        raise NoTemplate()
    if not getattr(actor, "pk", None):
        raise PermissionDenied()
    draft = Assessment(organization=organization, template=template, started_by=actor)  # type: ignore[misc]
    if not assessment_managed_by(actor, draft):
        raise PermissionDenied()
    if organization.state != OrganizationState.APPROVED:  # a registration staff have not approved
        raise AssessmentRefused()
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:
        raise AssessmentOpen() from None
    items = TemplateItem.objects.filter(activity__template=template)
    Answer.objects.bulk_create([Answer(assessment=draft, item=item) for item in items])
    audit_record(
        actor=actor, event=AssessmentsEvent.START, subject_id=draft.public_id,
        data={
            "organization": str(organization.public_id), "template": template.code,
            "version": template.version,
        },
    )  # fmt: skip
    return draft


def _evidence_clean(evidence: Sequence[Any], organization: Any) -> list[dict[str, str]]:
    """Each piece of evidence is a title with an address (`url`), or a title with one of the
    assessed organization's own documents (`document`: its public id, uploaded through
    organizations.services.organization_document_attach). A document of another organization,
    or none, is refused."""
    if len(evidence) > MAX_EVIDENCE:
        raise AnswerInvalid(fields={"evidence": [_("At most %(n)s documents.") % {"n": MAX_EVIDENCE}]})
    cleaned = []
    for entry in evidence:
        title = str(entry.get("title", "")).strip() if isinstance(entry, Mapping) else ""
        url = str(entry.get("url", "") or "").strip() if isinstance(entry, Mapping) else ""
        document = str(entry.get("document", "") or "").strip() if isinstance(entry, Mapping) else ""
        problems = text_problems(title, max_chars=300) + text_problems(url, max_chars=500)
        if not title:
            problems.append(_("Name each document."))
        if url and not url.startswith(("https://", "http://")):
            problems.append(_("An address starts with https://."))
        if url and document:
            problems.append(_("Give a document or an address, not both."))
        if document and not _own_document(organization, document):
            problems.append(_("This document is not one of this organization's documents."))
        if problems:
            raise AnswerInvalid(fields={"evidence": problems})
        cleaned.append({"title": title, "document": document} if document else {"title": title, "url": url})
    return cleaned


def _own_document(organization: Any, public_id: str) -> bool:
    try:
        return bool(organization.documents.filter(public_id=UUID(public_id)).exists())
    except ValueError:  # not a UUID
        return False


def _compute(answer: Answer, organization: Any, year: int) -> None:
    item = answer.item
    computed = figures.figure_compute(item.figure, organization, year=year)
    answer.computed = computed.as_dict()
    # A hidden figure (too few people) leaves the score to the assessor.
    answer.self_score = (
        None
        if computed.value is None
        else item_score(item.rule, value=computed.value, full=item.threshold_full, half=item.threshold_half)
    )


@transaction.atomic
def assessment_answer(
    *, actor: Actor, assessment: Assessment, item_code: str, numerator: int | None = None,
    denominator: int | None = None, self_score: int | None = None, note: str = "",
    evidence: Sequence[Any] = (),
) -> Answer:  # fmt: skip
    """The organization's answer to one item: a threshold item's count (numerator of
    denominator, its score found by the thresholds), a judgement item's own score, and for any
    item a note and references to its evidence. A computed item's figure is computed now (and
    again at submission)."""
    assessment = _locked(assessment)
    if not assessment_managed_by(actor, assessment):
        raise PermissionDenied()
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentRefused()
    answer = (
        Answer.objects.select_related("item__activity")
        .filter(assessment=assessment, item__code=item_code)
        .first()
    )
    if answer is None:
        raise AnswerInvalid(fields={"item": [_("No such item in this template.")]})
    item = answer.item
    problems = text_problems(note, multiline=True, max_chars=NOTE_MAX)
    if problems:
        raise AnswerInvalid(fields={"note": problems})
    if item.rule == ScoringRule.THRESHOLD:
        if numerator is None or denominator is None or denominator <= 0 or not 0 <= numerator <= denominator:
            raise AnswerInvalid(
                fields={"numerator": [_("Give how many, out of how many (a number above zero).")]}
            )
        answer.numerator, answer.denominator = numerator, denominator
        answer.self_score = item_score(
            item.rule, value=share_percent(numerator, denominator), full=item.threshold_full,
            half=item.threshold_half,
        )  # fmt: skip
    elif item.rule == ScoringRule.JUDGEMENT:
        if self_score not in (0, 1, 2):
            raise AnswerInvalid(fields={"self_score": [_("Choose 2, 1 or 0.")]})
        answer.self_score = self_score
    else:
        _compute(answer, assessment.organization, timezone.localdate().year)
    answer.note = note
    answer.evidence = _evidence_clean(evidence, assessment.organization)
    answer.answered_by = actor  # type: ignore[assignment]
    answer.save()
    audit_record(
        actor=actor, event=AssessmentsEvent.ANSWER, subject_id=assessment.public_id,
        data={"item": item.code, "self_score": answer.self_score, "evidence": len(answer.evidence)},
    )  # fmt: skip
    return answer


@transaction.atomic
def assessment_submit(*, actor: Actor, assessment: Assessment) -> Assessment:
    """Computes every computed item from the system's data as it is now, checks that every item
    is answered (with evidence where asked), and hands the assessment to the assessors."""
    assessment = _locked(assessment)
    if not assessment_managed_by(actor, assessment):
        raise PermissionDenied()
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentRefused()
    year = timezone.localdate().year
    answers = list(assessment.answers.select_related("item"))
    missing: dict[str, list[Any]] = {}
    for answer in answers:
        item = answer.item
        if item.rule == ScoringRule.COMPUTED:
            _compute(answer, assessment.organization, year)
        if answer.self_score is None and item.rule != ScoringRule.COMPUTED:
            missing.setdefault(item.code, []).append(_("Not answered yet."))
        if item.evidence_required and not answer.evidence:
            missing.setdefault(item.code, []).append(_("This item asks for evidence."))
    if missing:
        raise AssessmentIncomplete(fields=missing)
    Answer.objects.bulk_update(answers, ["computed", "self_score", "updated_at"])
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_by = actor  # type: ignore[assignment]
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    audit_record(
        actor=actor, event=AssessmentsEvent.SUBMIT, subject_id=assessment.public_id,
        data={"self_score": sum(a.self_score or 0 for a in answers), "items": len(answers)},
    )  # fmt: skip
    return assessment


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def assessment_score(
    *, actor: Actor, assessment: Assessment, scores: Mapping[str, int],
    comments: Mapping[str, str] | None = None, comment: str = "",
) -> Assessment:  # fmt: skip
    """An independent assessor's 2/1/0 for every item (`scores` by item code) with comments; the
    result and the level follow from the template, and a level reached gives a certificate that
    replaces the organization's current one."""
    assessment = _locked(assessment)
    refusal = assessment_score_refusal(actor, assessment)
    if refusal is not None:
        raise refusal
    comments = comments or {}
    answers = list(assessment.answers.select_related("item__activity__level"))
    problems: dict[str, list[Any]] = {}
    for answer in answers:
        code = answer.item.code
        if scores.get(code) not in (0, 1, 2) or isinstance(scores.get(code), bool):
            problems.setdefault(code, []).append(_("Choose 2, 1 or 0."))
        for problem in text_problems(comments.get(code, ""), multiline=True, max_chars=NOTE_MAX):
            problems.setdefault(code, []).append(problem)
    if unknown := set(scores) - {a.item.code for a in answers}:
        problems["scores"] = [_("No such item in this template.")]
        problems["scores"] += [str(code) for code in sorted(unknown)]
    if text := text_problems(comment, multiline=True, max_chars=NOTE_MAX):
        problems["comment"] = text
    if problems:
        raise ScoresInvalid(fields=problems)
    for answer in answers:
        answer.assessor_score = scores[answer.item.code]
        answer.assessor_comment = comments.get(answer.item.code, "")
    Answer.objects.bulk_update(answers, ["assessor_score", "assessor_comment", "updated_at"])
    levels = {level.code: level for level in assessment.template.levels.all()}
    result = assessment_result(
        [LevelRule(lv.code, lv.order, lv.min_percent, lv.min_item_score) for lv in levels.values()],
        [ScoredItem(a.item.activity.level.order, a.assessor_score or 0) for a in answers],
    )
    assessment.status = AssessmentStatus.SCORED
    assessment.assessor = actor  # type: ignore[assignment]
    assessment.scored_at = timezone.now()
    assessment.assessor_comment = comment
    assessment.total_score, assessment.max_score = result.total, result.max_total
    assessment.percent = result.percent
    assessment.level = levels[result.level] if result.level else None
    assessment.save()
    audit_record(
        actor=actor, event=AssessmentsEvent.SCORE, subject_id=assessment.public_id,
        data={
            "organization": str(assessment.organization.public_id), "score": result.total,
            "max": result.max_total, "percent": str(result.percent), "level": result.level or "",
        },
    )  # fmt: skip
    if assessment.level is not None:
        _certificate_issue(actor=actor, assessment=assessment)
    return assessment


def _certificate_issue(*, actor: Actor, assessment: Assessment) -> Certificate:
    organization = assessment.organization
    current = (
        Certificate.objects.select_for_update()
        .filter(organization=organization, status=CertificateStatus.ACTIVE)
        .first()
    )
    if current is not None:
        current.status = CertificateStatus.REPLACED
        current.save(update_fields=["status", "updated_at"])
    today = timezone.localdate()
    assert assessment.level is not None
    certificate = Certificate.objects.create(
        organization=organization, assessment=assessment, level=assessment.level, valid_from=today,
        valid_until=_years_later(today, assessment.template.certificate_years),
    )  # fmt: skip
    if current is not None:
        current.replaced_by = certificate
        current.save(update_fields=["replaced_by", "updated_at"])
    audit_record(
        actor=actor, event=AssessmentsEvent.CERTIFICATE_ISSUE, subject_id=certificate.public_id,
        data={
            "organization": str(organization.public_id), "level": assessment.level.code,
            "valid_until": certificate.valid_until.isoformat(),
            "replaces": str(current.public_id) if current else "",
        },
    )  # fmt: skip
    return certificate


def assessment_document_attach(
    *, actor: Actor, assessment: Assessment, upload: Any, title: str
) -> dict[str, str]:
    """Stores an uploaded file as a document of the assessed organization (checked, size-limited
    and cleaned by organizations.services.organization_document_attach, which writes the file
    and its row in its own transaction: so this is not atomic, and is called before the answer
    that names it) and gives the evidence reference to put in an answer: {"title", "document"}.
    Only while the self-assessment is being written, by one who writes it and may add the
    organization's documents (its admins, staff)."""
    if not assessment_managed_by(actor, assessment):
        raise PermissionDenied()
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentRefused()
    if not document_attachable_by(actor, assessment.organization):
        raise PermissionDenied()
    document = organization_document_attach(
        actor=actor, organization=assessment.organization, upload=upload, title=title
    )
    return {"title": document.title, "document": str(document.public_id)}
