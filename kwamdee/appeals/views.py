"""Web pages: appeal a rejection (from the deed's page), the appeals queue, an appeal's page."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kwamdee.appeals.forms import AppealDecisionForm, AppealForm
from kwamdee.appeals.selectors import appeal_decidable_by, appeal_visible_to, appeals_queue
from kwamdee.appeals.services import appeal_create, appeal_decide
from kwamdee.common.access import DEED_VIEW, access_record
from kwamdee.common.decorators import permission_required
from kwamdee.common.errors import NotFound, ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.deeds.selectors import deed_visible_to

QUEUE_PAGE_SIZE = 50


@require_POST
@login_required
def create(request: HttpRequest, deed_public_id: uuid.UUID) -> HttpResponse:
    """The person's appeal, sent from the form on their rejected deed's page."""
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            appeal_create(
                actor=request.user, deed_public_id=deed_public_id, statement=form.cleaned_data["statement"]
            )
        except NotFound:
            raise Http404 from None
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("Your appeal is sent. Another verifier will look at your deed again.")
            )
    else:
        if deed_visible_to(viewer=request.user, deed_public_id=deed_public_id) is None:
            raise Http404
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("deeds:detail", public_id=deed_public_id)


@permission_required("deeds.verify_deed")
def queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(appeals_queue(verifier=request.user), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "appeals/queue.html", {"page": page, "appeals": page.object_list})


def _detail_page(
    request: HttpRequest, public_id: uuid.UUID, form: AppealDecisionForm | None = None
) -> HttpResponse:
    appeal = appeal_visible_to(viewer=request.user, appeal_public_id=public_id)
    if appeal is None:
        raise Http404
    access_record(viewer=request.user, person=appeal.person, what=DEED_VIEW, subject_id=appeal.deed.public_id)
    context = {
        "appeal": appeal,
        "deed": appeal.deed,
        "can_decide": appeal_decidable_by(request.user, appeal),
        "decision_form": form or AppealDecisionForm(),
    }
    if form is not None:
        context["form"] = form
    return render(request, "appeals/detail.html", context)


@login_required
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _detail_page(request, public_id)


@require_POST
@permission_required("deeds.verify_deed")
def decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    form = AppealDecisionForm(request.POST)
    try:
        if not form.is_valid():
            return _detail_page(request, public_id, form)
        appeal = appeal_decide(
            actor=request.user, appeal_public_id=public_id,
            outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"],
        )  # fmt: skip
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        if exc.fields:
            form_add_service_error(form, exc)
            return _detail_page(request, public_id, form)
        messages.error(request, str(exc.message))
        return redirect("appeals:detail", public_id=public_id)
    if appeal.status == "overturned":
        messages.success(request, _("The rejection is overturned: the deed is verified and credited."))
    elif appeal.status == "open":  # a high credit's first approval
        messages.success(
            request,
            _(
                "You approved overturning it. Its credit is high, so a second verifier must agree "
                "before it is credited."
            ),
        )
    else:
        messages.success(request, _("The rejection is kept. The person will read your note."))
    return redirect("appeals:queue")
