"""Web pages: record a deed, see one, the verifier's queue and decision."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kwamdee.common.decorators import permission_required
from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.deeds.forms import DeedForm, RejectForm
from kwamdee.deeds.selectors import deed_decidable_by, deed_visible_to, deeds_of_person, verification_queue
from kwamdee.deeds.services import deed_record, deed_reject, deed_verify


@login_required
def deed_new(request: HttpRequest) -> HttpResponse:
    initial = {
        "performed_on": timezone.localdate(),
        "submission_key": uuid.uuid4().hex,
        "deed_type": request.GET.get("deed_type"),
    }
    form = DeedForm(request.POST or None, person=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deed = deed_record(
                actor=request.user, deed_type_public_id=data["deed_type"].public_id,
                performed_on=data["performed_on"], description=data["description"],
                quantity=data["quantity"], submission_key=data["submission_key"] or None,
            )  # fmt: skip
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Your deed is recorded and waits for verification."))
            return redirect("deeds:detail", public_id=deed.public_id)
    return render(request, "deeds/new.html", {"form": form})


@login_required
def deed_list(request: HttpRequest) -> HttpResponse:
    return render(request, "deeds/list.html", {"deeds": deeds_of_person(person=request.user)[:200]})


@login_required
def deed_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    deed = deed_visible_to(viewer=request.user, deed_public_id=public_id)
    if deed is None:
        raise Http404
    can_decide = deed_decidable_by(request.user, deed)
    return render(
        request,
        "deeds/detail.html",
        {"deed": deed, "can_decide": can_decide, "reject_form": RejectForm()},
    )


@permission_required("deeds.verify_deed")
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "deeds/queue.html", {"deeds": verification_queue(verifier=request.user)[:200]})


@require_POST
@permission_required("deeds.verify_deed")
def decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    action = request.POST.get("action")
    try:
        if action == "verify":
            deed_verify(actor=request.user, deed_public_id=public_id)
            messages.success(request, _("The deed is verified and credited."))
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Please give a reason for the rejection."))
                return redirect("deeds:detail", public_id=public_id)
            deed_reject(actor=request.user, deed_public_id=public_id, reason=form.cleaned_data["reason"])
            messages.success(request, _("The deed is rejected; the person will see your reason."))
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return redirect("deeds:detail", public_id=public_id)
    return redirect("deeds:queue")
