"""The assessment's pages (docs/organizations.md, "Assessment and certification"), under
/assessments/. Thin: forms in, one service per write, selectors for reads.

- The organization's side (`assessment_managed_by`: its admins, the officers it made assessors
  of its own self-assessment, staff): its assessments and starting one; the self-assessment
  (every activity and item, the answer form of each, submitting); the result and the
  certificate (print-friendly).
- The assessor's desk (`assessments_to_score`): the assessments waiting that the person may
  score, and the scoring page. A conflict of interest is a page that says so, never an error.
- Staff's templates (`templates_managed_by`): download one as JSON, upload a new version.

An assessment answers 404 to whoever may not see it (`assessment_visible_to`), as one that does
not exist. Evidence files are downloaded through the assessment (`evidence`), for those who
write it, its assessor and the assessors who may score it."""

import json
import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kwamdee.assessments.choices import AssessmentStatus, Figure, ScoringRule
from kwamdee.assessments.documents import template_document
from kwamdee.assessments.errors import AssessmentIncomplete, TemplateInvalid
from kwamdee.assessments.figures import figure_compute
from kwamdee.assessments.forms import SCORE_MEANINGS, AnswerForm, ScoreForm, TemplateUploadForm
from kwamdee.assessments.selectors import (
    ASSESS_PERMISSION,
    assessment_answer_get,
    assessment_answers,
    assessment_evidence_document,
    assessment_feedback,
    assessment_get,
    assessment_managed_by,
    assessment_score_refusal,
    assessment_visible_to,
    assessments_of,
    assessments_to_score,
    certificate_current,
    certificate_of,
    document_attachable_by,
    evidence_download_allowed,
    organization_assessments_managed_by,
    organizations_assessed_by,
    template_get,
    template_in_force,
    templates_all,
    templates_managed_by,
)
from kwamdee.assessments.services import (
    assessment_answer,
    assessment_document_attach,
    assessment_score,
    assessment_start,
    assessment_submit,
    template_import,
)
from kwamdee.common.errors import ServiceError
from kwamdee.common.files import stored_file_response
from kwamdee.common.forms import form_add_service_error
from kwamdee.organizations.selectors import organization_get

# --- words ------------------------------------------------------------------------------------


def _number(value: Any) -> str:
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")


def rule_words(item: Any) -> str:
    """An item's scoring rule in plain words."""
    full, half = _number(item.threshold_full), _number(item.threshold_half)
    if item.rule == ScoringRule.THRESHOLD:
        return _(
            "Count how many signed or took part, out of how many there are. "
            "At least %(full)s%% scores 2, at least %(half)s%% scores 1, fewer scores 0."
        ) % {"full": full, "half": half}
    if item.rule == ScoringRule.JUDGEMENT:
        return _("The assessor gives 2, 1 or 0 from your evidence. Give your own score too.")
    if item.figure == Figure.MEMBERS_WITH_VERIFIED_DEED:
        return _(
            "Computed from the system's data: at least %(full)s%% scores 2, at least %(half)s%% "
            "scores 1, fewer scores 0."
        ) % {"full": full, "half": half}
    return _(
        "Computed from the system's data: %(full)s or more scores 2, %(half)s or more scores 1, "
        "fewer scores 0."
    ) % {"full": full, "half": half}


def computed_words(computed: dict[str, Any]) -> str:
    """A computed item's figure with its numbers, as it was computed."""
    if not computed:
        return _("Not computed yet: it is computed when you save the item or submit.")
    if computed.get("hidden"):
        return _("Too few people are linked to the organization to show this share: the assessor scores it.")
    figure = str(Figure(computed["figure"]).label) if computed.get("figure") in Figure.values else ""
    if computed.get("denominator") is not None:
        numbers = _("%(n)s of %(d)s people (%(value)s%%) in %(year)s") % {
            "n": computed["numerator"],
            "d": computed["denominator"],
            "value": computed["value"],
            "year": int(computed["year"]) + 543,
        }
    else:
        numbers = _("%(n)s in %(year)s") % {"n": computed["numerator"], "year": int(computed["year"]) + 543}
    return f"{figure}: {numbers}"


def _row(answer: Any) -> dict[str, Any]:
    item = answer.item
    answered = answer.self_score is not None or bool(item.rule == ScoringRule.COMPUTED and answer.computed)
    return {
        "answer": answer,
        "item": item,
        "rule_words": rule_words(item),
        "computed_words": computed_words(answer.computed) if item.rule == ScoringRule.COMPUTED else "",
        "answered": answered,
        "evidence_missing": item.evidence_required and not answer.evidence,
    }


def _activities(answers: list[Any]) -> list[dict[str, Any]]:
    groups: dict[int, dict[str, Any]] = {}
    for answer in answers:
        activity = answer.item.activity
        group = groups.setdefault(activity.pk, {"activity": activity, "rows": []})
        group["rows"].append(_row(answer))
    return list(groups.values())


# --- access -----------------------------------------------------------------------------------


def _visible(request: HttpRequest, public_id: uuid.UUID) -> Any:
    assessment = assessment_get(public_id)
    if assessment is None or not assessment_visible_to(request.user, assessment):
        raise Http404
    return assessment


def _managed(request: HttpRequest, public_id: uuid.UUID) -> Any:
    assessment = assessment_get(public_id)
    if assessment is None or not assessment_managed_by(request.user, assessment):
        raise Http404
    return assessment


# --- the organization's side ------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a person finds their assessment pages: the organizations whose self-assessment they
    write, the assessor's desk, the templates."""
    user = request.user
    rows = [(o, certificate_current(o)) for o in organizations_assessed_by(user)]
    return render(
        request,
        "assessments/home.html",
        {
            "rows": rows,
            "assessor": user.has_perm(ASSESS_PERMISSION),
            "templates_staff": templates_managed_by(user),
        },
    )


@login_required
def organization(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """An organization's assessments with their status and its current certificate; starting one
    under the template in force (POST)."""
    found = organization_get(public_id)
    if found is None or not organization_assessments_managed_by(request.user, found):
        raise Http404
    if request.method == "POST":
        try:
            started = assessment_start(actor=request.user, organization=found)
        except ServiceError as error:
            messages.error(request, str(error.message))
            return redirect("assessments:organization", public_id=found.public_id)
        messages.success(request, _("The self-assessment is open. Answer each item, then submit."))
        return redirect("assessments:assessment", public_id=started.public_id)
    assessments = list(assessments_of(found))
    open_one = next((a for a in assessments if a.status != AssessmentStatus.SCORED), None)
    return render(
        request,
        "assessments/organization.html",
        {
            "organization": found,
            "assessments": assessments,
            "open_one": open_one,
            "certificate": certificate_current(found),
            "template": template_in_force(),
        },
    )


def _assessment_page(request: HttpRequest, assessment: Any, *, problems: Any = None) -> HttpResponse:
    answers = assessment_answers(assessment)
    activities = _activities(answers)
    rows = [row for group in activities for row in group["rows"]]
    context: dict[str, Any] = {
        "assessment": assessment,
        "organization": assessment.organization,
        "activities": activities,
        "answered": sum(1 for row in rows if row["answered"]),
        "total": len(rows),
        "manages": assessment_managed_by(request.user, assessment),
        "can_download": evidence_download_allowed(request.user, assessment),
        "problems": problems or [],
        "meanings": SCORE_MEANINGS,
    }
    if assessment.status == AssessmentStatus.SCORED:
        feedback = assessment_feedback(request.user, assessment)
        context["feedback"] = [
            {"row": r, "computed_words": computed_words(r.computed) if r.rule == ScoringRule.COMPUTED else ""}
            for r in feedback
        ]
        context["certificate"] = certificate_of(assessment)
    status = 400 if problems else 200
    return render(request, "assessments/assessment.html", context, status=status)


@login_required
def assessment(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The self-assessment while it is written (every activity and item, the progress, submitting),
    then the wait for an assessor, then the result with the assessor's comments."""
    return _assessment_page(request, _visible(request, public_id))


@login_required
def item(request: HttpRequest, public_id: uuid.UUID, code: str) -> HttpResponse:
    """One item's answer form: the count, or the organization's own score; a note; the evidence
    (a file uploaded as the organization's document, or a link). The file is stored before the
    answer is saved (organizations.services.organization_document_attach, its own transaction):
    a file refused writes nothing."""
    found = _managed(request, public_id)
    answer = assessment_answer_get(found, code)
    if answer is None:
        raise Http404
    if found.status != AssessmentStatus.DRAFT:
        return redirect("assessments:assessment", public_id=found.public_id)
    can_upload = document_attachable_by(request.user, found.organization)
    evidence = list(answer.evidence)
    initial = {"numerator": answer.numerator, "denominator": answer.denominator, "note": answer.note}
    if answer.self_score is not None and answer.item.rule == ScoringRule.JUDGEMENT:
        initial["self_score"] = str(answer.self_score)
    form = AnswerForm(
        request.POST or None, request.FILES or None, item=answer.item, evidence=evidence,
        can_upload=can_upload, initial=initial,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_evidence = form.kept_evidence()
        try:
            if data.get("evidence_file"):
                new_evidence.append(
                    assessment_document_attach(
                        actor=request.user,
                        assessment=found,
                        upload=data["evidence_file"],
                        title=data["evidence_title"],
                    )
                )
            elif data.get("evidence_url"):
                new_evidence.append({"title": data["evidence_title"].strip(), "url": data["evidence_url"]})
            self_score: Any = data.get("self_score")
            assessment_answer(
                actor=request.user, assessment=found, item_code=answer.item.code,
                numerator=data.get("numerator"), denominator=data.get("denominator"),
                self_score=int(self_score) if self_score not in (None, "") else None,
                note=data.get("note", ""), evidence=new_evidence,
            )  # fmt: skip
        except ServiceError as error:
            form_add_service_error(
                form,
                error,
                aliases={"document": "evidence_file", "title": "evidence_title", "evidence": "keep"},
            )
        else:
            messages.success(request, _("Item %(code)s is saved.") % {"code": answer.item.code})
            url = redirect("assessments:assessment", public_id=found.public_id).url
            return redirect(f"{url}#item-{answer.item.code}")
    row = _row(answer)
    if answer.item.rule == ScoringRule.COMPUTED and not answer.computed:
        # What it would be now (a read; saving the item or submitting keeps it with its numbers).
        preview = figure_compute(answer.item.figure, found.organization, year=timezone.localdate().year)
        row["computed_words"] = computed_words(preview.as_dict())
    return render(
        request,
        "assessments/item.html",
        {
            "assessment": found,
            "organization": found.organization,
            "row": row,
            "form": form,
            "can_upload": can_upload,
            "meanings": SCORE_MEANINGS,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def submit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Hands the self-assessment to the assessors; every item still missing is listed."""
    found = _managed(request, public_id)
    try:
        assessment_submit(actor=request.user, assessment=found)
    except AssessmentIncomplete as error:
        problems = [(code, [str(m) for m in messages_]) for code, messages_ in (error.fields or {}).items()]
        return _assessment_page(request, found, problems=problems)
    except ServiceError as error:
        messages.error(request, str(error.message))
        return redirect("assessments:assessment", public_id=found.public_id)
    messages.success(request, _("The self-assessment is submitted. An independent assessor will score it."))
    return redirect("assessments:assessment", public_id=found.public_id)


@login_required
def certificate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The certificate an assessment gave, with its validity dates: a page to print."""
    found = _visible(request, public_id)
    issued = certificate_of(found)
    if issued is None:
        raise Http404
    return render(request, "assessments/certificate.html", {"assessment": found, "certificate": issued})


@login_required
def evidence(request: HttpRequest, public_id: uuid.UUID, document_id: uuid.UUID) -> FileResponse:
    """A file of the assessment's evidence, as an attachment (never shown inline)."""
    found = assessment_get(public_id)
    if found is None or not evidence_download_allowed(request.user, found):
        raise Http404
    document = assessment_evidence_document(found, document_id)
    if document is None or not document.file:
        raise Http404
    return stored_file_response(
        document.file.name, content_type=document.content_type,
        filename_stem=f"evidence-{document.public_id.hex[:8]}",
    )  # fmt: skip


# --- the assessor's desk ----------------------------------------------------------------------


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """The submitted assessments the person may score (none of their own organizations')."""
    if not request.user.has_perm(ASSESS_PERMISSION):
        raise PermissionDenied
    return render(request, "assessments/desk.html", {"waiting": assessments_to_score(request.user)})


@login_required
def score(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Every item's answer, evidence and computed numbers, a 2/1/0 and a comment for each, and a
    conclusion. One who may not score it now is told why (a conflict of interest, not an
    assessor, already scored), in words."""
    found = assessment_get(public_id)
    if found is None:
        raise Http404
    refusal = assessment_score_refusal(request.user, found)
    if refusal is not None:
        if not (assessment_visible_to(request.user, found) or request.user.has_perm(ASSESS_PERMISSION)):
            raise Http404
        return render(
            request,
            "assessments/refused.html",
            {"assessment": found, "refusal": refusal},
            status=refusal.status,
        )
    answers = assessment_answers(found)
    codes = [a.item.code for a in answers]
    form = ScoreForm(request.POST or None, codes=codes)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_score(
                actor=request.user, assessment=found, scores=form.scores(), comments=form.comments(),
                comment=form.cleaned_data.get("comment", ""),
            )  # fmt: skip
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The scores are saved. The organization can read your comments."))
            return redirect("assessments:desk")
    activities = _activities(answers)
    for group in activities:
        for row in group["rows"]:
            row["score_field"], row["comment_field"] = form.fields_of(row["item"].code)
    return render(
        request,
        "assessments/score.html",
        {
            "assessment": found,
            "organization": found.organization,
            "activities": activities,
            "form": form,
            "can_download": True,  # one who may score it now
        },
        status=400 if form.errors else 200,
    )


# --- templates (staff) ------------------------------------------------------------------------


def _templates_staff(request: HttpRequest) -> None:
    if not templates_managed_by(request.user):
        raise PermissionDenied


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    """Every version of the templates, the one in force marked; upload a new version (POST)."""
    _templates_staff(request)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    problems: list[tuple[str, list[str]]] = []
    if request.method == "POST" and form.is_valid():
        try:
            imported = template_import(actor=request.user, document=_json(form.cleaned_data["file"]))
        except TemplateInvalid as error:
            problems = [(where, [str(m) for m in found]) for where, found in (error.fields or {}).items()]
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)s of %(code)s is saved.")
                % {"version": imported.version, "code": imported.code},
            )
            return redirect("assessments:templates")
    in_force = {t.pk for t in (template_in_force(code) for code in {t.code for t in templates_all()}) if t}
    return render(
        request,
        "assessments/templates.html",
        {"templates": list(templates_all()), "in_force": in_force, "form": form, "problems": problems},
        status=400 if (problems or form.errors) else 200,
    )


def _json(content: bytes) -> Any:
    """The uploaded bytes as JSON, or a document the check refuses with its place."""
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise TemplateInvalid(fields={"document": [_("This is not a JSON file.")]}) from None


@login_required
def template_download(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One template version as a JSON file (the format an upload takes)."""
    _templates_staff(request)
    found = template_get(public_id)
    if found is None:
        raise Http404
    body = json.dumps(template_document(found), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.code}-v{found.version}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
