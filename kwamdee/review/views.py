"""The auditor's desk: open flags on deeds (newest first), one flag with its deed, and the two
things an auditor does with it: dismiss it with a note, or reverse the deed's credit."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kwamdee.common.access import DEED_VIEW, access_record
from kwamdee.common.decorators import permission_required
from kwamdee.common.errors import NotFound, ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.flags import flag_get, flags_of_deed, flags_open
from kwamdee.deeds.selectors import deed_reversal_of
from kwamdee.deeds.services import deed_credit_reverse, deed_flag_dismiss
from kwamdee.review.forms import DismissForm, FlagFilterForm, ReverseForm

PAGE_SIZE = 30


@permission_required("deeds.review_flags")
def desk(request: HttpRequest) -> HttpResponse:
    filter_form = FlagFilterForm(request.GET or None)
    kind = filter_form.cleaned_data["kind"] if filter_form.is_valid() else ""
    page = Paginator(flags_open(kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "review/desk.html",
        {"page": page, "flags": page.object_list, "filter_form": filter_form, "kind": kind},
    )  # fmt: skip


def _flag_page(
    request: HttpRequest,
    public_id: uuid.UUID,
    *,
    dismiss_form: DismissForm | None = None,
    reverse_form: ReverseForm | None = None,
) -> HttpResponse:
    flag = flag_get(public_id)
    if flag is None:
        raise Http404
    deed = flag.deed
    # An auditor reads one person's deed: recorded as a verifier's opening of it is.
    access_record(viewer=request.user, person=deed.person, what=DEED_VIEW, subject_id=deed.public_id)
    context: dict[str, Any] = {
        "flag": flag,
        "deed": deed,
        "other_flags": [f for f in flags_of_deed(deed) if f.pk != flag.pk],
        "reversal": deed_reversal_of(deed),
        "can_reverse": request.user.has_perm("deeds.reverse_credit") and deed.status == DeedStatus.VERIFIED,
        "dismiss_form": dismiss_form or DismissForm(),
        "reverse_form": reverse_form or ReverseForm(),
    }
    if dismiss_form is not None or reverse_form is not None:
        context["form"] = dismiss_form or reverse_form  # the page's title says a form came back
    return render(request, "review/flag.html", context)


@permission_required("deeds.review_flags")
def flag_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _flag_page(request, public_id)


@require_POST
@permission_required("deeds.review_flags")
def flag_dismiss(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    form = DismissForm(request.POST)
    try:
        if not form.is_valid():
            return _flag_page(request, public_id, dismiss_form=form)
        deed_flag_dismiss(actor=request.user, flag_public_id=public_id, note=form.cleaned_data["note"])
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        if exc.fields:
            form_add_service_error(form, exc)
            return _flag_page(request, public_id, dismiss_form=form)
        messages.error(request, str(exc.message))
        return redirect("review:flag", public_id=public_id)
    messages.success(request, _("The flag is dismissed. Nothing changed for the person."))
    return redirect("review:desk")


@require_POST
@permission_required("deeds.reverse_credit")
def credit_reverse(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Reverses the credit of the flag's deed."""
    flag = flag_get(public_id)
    if flag is None:
        raise Http404
    form = ReverseForm(request.POST)
    try:
        if not form.is_valid():
            return _flag_page(request, public_id, reverse_form=form)
        data = form.cleaned_data
        deed_credit_reverse(
            actor=request.user, deed_public_id=flag.deed.public_id,
            reason_code=data["reason_code"], note=data["note"],
        )  # fmt: skip
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        if exc.fields:
            form_add_service_error(form, exc)
            return _flag_page(request, public_id, reverse_form=form)
        messages.error(request, str(exc.message))
        return redirect("review:flag", public_id=public_id)
    messages.success(
        request, _("The credit is reversed. The person sees it on their deed and in their passbook.")
    )
    return redirect("review:flag", public_id=public_id)
