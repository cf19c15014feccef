"""Web pages: record a deed, see one, the verifier's queue, decision and desk (many at once)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kwamdee.common.access import DEED_VIEW, EVIDENCE_VIEW, access_record
from kwamdee.common.decorators import permission_required
from kwamdee.common.errors import NotFound, ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.common.i18n import format_date
from kwamdee.common.idempotency import IdempotencyConflict
from kwamdee.deeds.assisted import (
    assist_consent_give,
    assist_consent_revoke,
    assist_consents_given,
    assist_people_of,
)
from kwamdee.deeds.choices import DeedStatus, RejectionReason
from kwamdee.deeds.desk import desk_annotate, desk_filter_options, desk_queue
from kwamdee.deeds.desk_forms import QueueFilterForm, filter_query_clean
from kwamdee.deeds.forms import (
    AnswerForm,
    AskForm,
    BulkVerifyForm,
    DeedForm,
    HelperForm,
    RejectForm,
    WitnessAddForm,
)
from kwamdee.deeds.selectors import (
    deed_decidable_by,
    deed_open_question,
    deed_questions,
    deed_visible_to,
    deeds_of_person,
)
from kwamdee.deeds.services import (
    MAX_BULK_VERIFY,
    BulkOutcome,
    deed_answer,
    deed_ask,
    deed_record,
    deed_reject,
    deed_verify,
    deeds_verify_bulk,
)
from kwamdee.deeds.witnessing import deed_witnesses, witness_add, witness_answer, witness_requests
from kwamdee.evidence.selectors import evidence_get, evidence_open
from kwamdee.organizations.selectors import organizations_verified_by
from kwamdee.people.errors import ContactUnconfirmed
from kwamdee.people.selectors import contact_confirmed

# One page of the queue can be verified in one go.
QUEUE_PAGE_SIZE = MAX_BULK_VERIFY
# Refusals named one by one after a bulk verification; the rest are counted.
REFUSALS_NAMED = 10


@login_required
def deed_new(request: HttpRequest) -> HttpResponse:
    if not contact_confirmed(request.user):
        # Said before anything is typed: the page says why and links to the code's page; a form
        # sent from an older page goes there with the reason.
        confirm = f"{reverse('people:contact_confirm')}?{urlencode({'next': request.get_full_path()})}"
        if request.method == "POST":
            messages.info(request, ContactUnconfirmed.message)
            return redirect(confirm)
        return render(request, "deeds/new.html", {"unconfirmed": True, "confirm_url": confirm})
    initial = {
        "performed_on": timezone.localdate(),
        "submission_key": uuid.uuid4().hex,
        "deed_type": request.GET.get("deed_type"),
    }
    if request.GET.get("for"):
        initial["on_behalf_of"] = request.GET["for"]
    form = DeedForm(
        request.POST or None, request.FILES or None, person=request.user, initial=initial,
        assisted_people=assist_people_of(helper=request.user),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deed = deed_record(
                actor=request.user, deed_type_public_id=data["deed_type"].public_id,
                performed_on=data["performed_on"], description=data["description"],
                quantity=data["quantity"], submission_key=data["submission_key"] or None,
                sensitive_consent=data["sensitive_consent"], evidence_files=data["evidence_files"],
                witnesses=form.witnesses(), on_behalf_of=data.get("on_behalf_of") or None,
            )  # fmt: skip
        except ContactUnconfirmed as exc:  # unconfirmed since the check above (another tab)
            messages.info(request, exc.message)
            return redirect("people:contact_confirm")
        except ServiceError as exc:
            form_add_service_error(
                form, exc, aliases={"witnesses": "witness_1", "on_behalf_of": "on_behalf_of"}
            )
        else:
            if deed.status == DeedStatus.AWAITING_WITNESSES:
                messages.success(
                    request,
                    _(
                        "Your deed is recorded. We asked your witnesses; once they confirm, "
                        "it goes to a verifier."
                    ),
                )
            elif deed.recorded_by_id:
                messages.success(
                    request,
                    _("The deed of %(name)s is recorded and waits for verification.")
                    % {"name": deed.person.full_name},
                )
            else:
                messages.success(request, _("Your deed is recorded and waits for verification."))
            return redirect("deeds:detail", public_id=deed.public_id)
    if form.errors and request.FILES and not form["evidence_files"].errors:
        # The page comes back with what was typed, but a browser never sends files back.
        form.add_error("evidence_files", _("Your files were not kept. Please choose them again."))
    return render(request, "deeds/new.html", {"form": form})


# A person's deeds, a page at a time (the list was cut at 200 before).
DEEDS_PAGE_SIZE = 20


@login_required
def deed_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(deeds_of_person(person=request.user), DEEDS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deeds/list.html", {"page": page})


def _detail_page(
    request: HttpRequest,
    public_id: uuid.UUID,
    form: RejectForm | None = None,
    *,
    ask_form: AskForm | None = None,
    answer_form: AnswerForm | None = None,
    witness_form: WitnessAddForm | None = None,
) -> HttpResponse:
    deed = deed_visible_to(viewer=request.user, deed_public_id=public_id)
    if deed is None:
        raise Http404
    can_decide = deed_decidable_by(request.user, deed)
    access_record(viewer=request.user, person=deed.person, what=DEED_VIEW, subject_id=deed.public_id)
    # `form` names the form that came back with errors (the page title says so).
    context = {
        "deed": deed,
        "can_decide": can_decide,
        "reject_form": form or RejectForm(),
        "ask_form": ask_form or AskForm(),
        "questions": deed_questions(deed),
        "open_question": deed_open_question(deed),
        "answer_form": answer_form or AnswerForm(),
        "rejection_code_label": RejectionReason(deed.rejection_code).label if deed.rejection_code else "",
        "witnesses": deed_witnesses(deed),
        "can_add_witness": deed.status == DeedStatus.AWAITING_WITNESSES
        and request.user.pk in (deed.person_id, deed.recorded_by_id),
        "witness_form": witness_form or WitnessAddForm(),
    }
    if form is not None or ask_form is not None or answer_form is not None or witness_form is not None:
        context["form"] = form or ask_form or answer_form or witness_form
    return render(request, "deeds/detail.html", context)


@login_required
def deed_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _detail_page(request, public_id)


@permission_required("deeds.verify_deed")
def queue(request: HttpRequest) -> HttpResponse:
    """The verifier's desk (kwamdee/deeds/desk.py): each deed with what it will earn, its files,
    the person's recent deeds of its type; filters kept across pages and after verifying."""
    deed_types, areas = desk_filter_options(verifier=request.user)
    filter_form = QueueFilterForm(request.GET or None, deed_types=deed_types, areas=areas)
    filters = filter_form.filters()
    deeds = desk_queue(verifier=request.user, filters=filters)
    page = Paginator(deeds, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "deeds/queue.html",
        {
            "page": page,
            "deeds": desk_annotate(list(page.object_list)),
            "filter_form": filter_form,
            "form": filter_form if filter_form.errors else None,  # the title says "Error:" then
            "filtered": bool(filters),
            "filter_query": filter_form.query(),
            "queue_empty": not deed_types,
            "select_all": request.GET.get("select") == "all",
            "can_check_id_cards": bool(organizations_verified_by(request.user)),
            # A new key each time the page is shown: re-sending this form takes effect once.
            "idempotency_key": uuid.uuid4().hex,
        },
    )


def _queue_url(page: int | None, filters: str = "") -> str:
    """The queue again, at the same page and with the same filters (only the desk's own)."""
    params = [("page", str(page))] if page and page > 1 else []
    params += filter_query_clean(filters)
    url = reverse("deeds:queue")
    return f"{url}?{urlencode(params)}" if params else url


def _deed_label(request: HttpRequest, deed_public_id: str) -> str:
    """How a refused deed is named: its type, person and date when the verifier may see the deed,
    else only the start of the id they sent (nothing about a deed outside their area)."""
    deed = deed_visible_to(viewer=request.user, deed_public_id=deed_public_id)
    if deed is None:
        return _("Deed %(id)s…") % {"id": deed_public_id[:8]}
    return f"{deed.deed_type.name} · {deed.person.full_name} · {format_date(deed.performed_on)}"


def _bulk_outcomes_tell(request: HttpRequest, outcomes: list[BulkOutcome]) -> None:
    verified = sum(1 for o in outcomes if o.verified)
    refused = [o for o in outcomes if not o.verified]
    if verified:
        text = ngettext("Verified %(n)s deed.", "Verified %(n)s deeds.", verified)
        messages.success(request, text % {"n": verified})
    else:
        messages.error(request, _("No deed was verified."))
    for outcome in refused[:REFUSALS_NAMED]:
        label = _deed_label(request, outcome.deed)
        text = _("Not verified, left as it was: %(deed)s. %(reason)s")
        messages.warning(request, text % {"deed": label, "reason": outcome.message})
    more = len(refused) - REFUSALS_NAMED
    if more > 0:
        text = ngettext("%(n)s more deed was not verified.", "%(n)s more deeds were not verified.", more)
        messages.warning(request, text % {"n": more})


@require_POST
@permission_required("deeds.verify_deed")
def verify_bulk(request: HttpRequest) -> HttpResponse:
    """The verifier's desk: the deeds ticked on the queue, verified at once."""
    form = BulkVerifyForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_queue_url(form.cleaned_data.get("page"), request.POST.get("filters", "")))
    data = form.cleaned_data
    try:
        outcomes = deeds_verify_bulk(
            actor=request.user, deed_public_ids=data["deeds"], idempotency_key=data["idempotency_key"] or None
        )
    except IdempotencyConflict:
        text = _("This page was already sent with other deeds, so nothing more was changed. Tick them again.")
        messages.error(request, text)
    except ServiceError as exc:
        # "Choose between 1 and 200 deeds.", "These are not deed ids.": the field's words say more.
        for text in [m for field in exc.fields.values() for m in field] or [exc.message]:
            messages.error(request, str(text))
    else:
        _bulk_outcomes_tell(request, outcomes)
    return redirect(_queue_url(data["page"], request.POST.get("filters", "")))


@require_POST
@permission_required("deeds.verify_deed")
def decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The three decisions: verify, reject (a reason from the list), ask for more information."""
    action = request.POST.get("action")
    try:
        if action == "verify":
            deed = deed_verify(actor=request.user, deed_public_id=public_id)
            if deed.status == DeedStatus.VERIFIED:
                messages.success(request, _("The deed is verified and credited."))
            else:  # a first approval of a high credit (deeds.services._second_approval_needed)
                messages.success(
                    request,
                    _(
                        "You approved it. Its credit is high, so a second verifier must agree "
                        "before it is credited."
                    ),
                )
        elif action == "ask":
            ask_form = AskForm(request.POST)
            if not ask_form.is_valid():
                return _detail_page(request, public_id, ask_form=ask_form)
            deed_ask(actor=request.user, deed_public_id=public_id, question=ask_form.cleaned_data["question"])
            messages.success(
                request, _("Your question is sent; the deed comes back to the queue when the person answers.")
            )
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():  # the page again, with the error and what was typed
                return _detail_page(request, public_id, form)
            deed_reject(
                actor=request.user, deed_public_id=public_id,
                reason_code=form.cleaned_data["reason_code"], reason=form.cleaned_data["reason"],
            )  # fmt: skip
            messages.success(request, _("The deed is rejected; the person will see your reason."))
    except NotFound:
        raise Http404 from None  # no such deed, or one outside the verifier's reach: alike
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return redirect("deeds:detail", public_id=public_id)
    return redirect("deeds:queue")


@require_POST
@login_required
def answer(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The person answers the verifier's question; the deed goes back to the queue."""
    form = AnswerForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            return _detail_page(request, public_id, answer_form=form)
        deed_answer(
            actor=request.user,
            deed_public_id=public_id,
            answer=form.cleaned_data["answer"],
            evidence_files=form.cleaned_data["evidence_files"],
        )
    except NotFound:
        raise Http404 from None  # not the person's deed: as one that does not exist
    except ServiceError as exc:
        if exc.fields:  # a refused file: the page again, with what was typed
            form_add_service_error(form, exc)
            return _detail_page(request, public_id, answer_form=form)
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Thank you. Your answer is sent, and your deed goes back to the verifiers.")
        )
    return redirect("deeds:detail", public_id=public_id)


@login_required
def evidence_file(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    """One photo or document of a deed, to those who may see the deed (its person, and the
    verifiers whose area it is in while the person takes part); 404 for anyone else. A verifier's
    read is recorded like opening the deed."""
    evidence = evidence_get(public_id)
    if evidence is None:
        raise Http404
    deed = deed_visible_to(viewer=request.user, deed_public_id=evidence.deed.public_id)
    if deed is None:
        raise Http404
    try:
        handle = evidence_open(evidence)
    except FileNotFoundError:
        raise Http404 from None
    access_record(viewer=request.user, person=deed.person, what=EVIDENCE_VIEW, subject_id=evidence.public_id)
    extension = {"image/jpeg": "jpg", "image/png": "png"}.get(evidence.content_type, "pdf")
    response = FileResponse(
        handle, content_type=evidence.content_type, as_attachment=not evidence.is_image,
        filename=f"evidence-{evidence.public_id}.{extension}",
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    # Opened on its own, the file may run nothing (a PDF viewer or an image alike).
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
def witness_list(request: HttpRequest) -> HttpResponse:
    """The deeds others asked me to confirm as a witness."""
    return render(request, "deeds/witness_list.html", {"requests": witness_requests(witness=request.user)})


@require_POST
@login_required
def witness(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A witness confirms ("confirm") or declines ("decline") a deed they were named for."""
    try:
        row = witness_answer(
            actor=request.user, deed_public_id=public_id, confirm=request.POST.get("answer") == "confirm"
        )
    except NotFound:
        raise Http404 from None  # not asked: as a deed that does not exist
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        if row.answer == "confirmed":
            messages.success(request, _("Thank you. You confirmed that you saw this good deed."))
        else:
            messages.success(request, _("Thank you. You said you cannot confirm this deed."))
    return redirect("deeds:witness_list")


@require_POST
@login_required
def witness_more(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The person names one more witness of a deed still waiting for witnesses. A refused phone
    or e-mail comes back on the page, on its field, as typed."""
    form = WitnessAddForm(request.POST)
    try:
        if not form.is_valid():
            return _detail_page(request, public_id, witness_form=form)
        witness_add(actor=request.user, deed_public_id=public_id, login=form.cleaned_data["login"])
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        if exc.fields:
            form_add_service_error(form, exc, aliases={"witnesses": "login"})
            return _detail_page(request, public_id, witness_form=form)
        messages.error(request, str(exc.message))  # the deed no longer waits: said on the page
    else:
        messages.success(request, _("We asked your witness to confirm your deed."))
    return redirect("deeds:detail", public_id=public_id)


@login_required
def helpers(request: HttpRequest) -> HttpResponse:
    """Assisted recording: the helpers I let record deeds for me (give, see, revoke), and the
    people who let me record for them."""
    form = HelperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = assist_consent_give(actor=request.user, helper_login=form.cleaned_data["helper"])
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            text = _("%(name)s may now record good deeds on your behalf. You can stop this at any time.")
            messages.success(request, text % {"name": row.helper.full_name})
            return redirect("deeds:helpers")
    context = {
        "form": form,
        "consents": assist_consents_given(person=request.user),
        "assisted": assist_people_of(helper=request.user),
    }
    return render(request, "deeds/helpers.html", context)


@require_POST
@login_required
def helper_revoke(request: HttpRequest, consent_id: int) -> HttpResponse:
    try:
        row = assist_consent_revoke(actor=request.user, consent_id=consent_id)
    except NotFound:
        raise Http404 from None
    messages.success(
        request, _("%(name)s can no longer record deeds for you.") % {"name": row.helper.full_name}
    )
    return redirect("deeds:helpers")
