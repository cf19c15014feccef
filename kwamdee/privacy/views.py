"""The person's own "my data" page and its downloads, asking for a correction, erasing one's
account; and the staff's queue of requests, each opened to be answered."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kwamdee.common.access import DATA_REQUEST_VIEW, access_record
from kwamdee.common.db_router import primary_reads
from kwamdee.common.decorators import permission_required
from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.common.i18n import format_date
from kwamdee.privacy.forms import AnswerForm, CorrectionForm, EraseForm
from kwamdee.privacy.labels import COLUMN_LABELS
from kwamdee.privacy.selectors import (
    data_request_answer_refusal,
    data_request_get,
    data_requests_open,
    data_requests_recently_done,
    my_data,
)
from kwamdee.privacy.services import (
    EXPORT_FORMATS,
    correction_request_create,
    data_request_answer,
    person_erase,
    personal_data_export,
)

# A long section (the passbook of years) shows its newest rows; the downloads hold all of them.
ROWS_SHOWN = 20
# A section with more columns than this reads as one label-and-value card a row: as a table it is
# too wide for a phone (the deeds, the requests about one's data).
TABLE_COLUMNS_MAX = 6


def _table(section: Any) -> dict[str, Any]:
    columns = list(section.rows[0]) if section.rows else []
    rows = section.rows[-ROWS_SHOWN:]
    labels = [COLUMN_LABELS.get(c, c) for c in columns]
    shown = [[row.get(c) for c in columns] for row in reversed(rows)]
    return {
        "key": section.key,
        "title": section.title,
        "note": section.note,
        "headers": labels,
        "rows": shown,
        "total": len(section.rows),
        "hidden": max(len(section.rows) - ROWS_SHOWN, 0),
        # One row (the profile) reads better as label: value lines than as a wide table.
        "pairs": list(zip([COLUMN_LABELS.get(c, c) for c in columns], section.rows[0].values(), strict=True))
        if len(section.rows) == 1
        else [],
        "cards": [list(zip(labels, row, strict=True)) for row in shown]
        if len(columns) > TABLE_COLUMNS_MAX
        else [],
    }


@login_required
@primary_reads()  # a person's own data: never a replica's older copy
def my_data_page(request: HttpRequest) -> HttpResponse:
    tables = [_table(section) for section in my_data(person=request.user)]
    return render(request, "privacy/my_data.html", {"tables": tables})


@require_POST
@login_required
@primary_reads()
def my_data_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    export = personal_data_export(actor=request.user, person=request.user, fmt=fmt)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (so that it comes back with its errors)."""
    return request.POST if request.method == "POST" else None


@login_required
@primary_reads()
def correction_page(request: HttpRequest) -> HttpResponse:
    """Asking staff to correct what the person cannot change themselves; the page sends them to
    their own details first for what they can."""
    form = CorrectionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = correction_request_create(
                actor=request.user, person=request.user, what_is_wrong=data["what_is_wrong"],
                what_it_should_be=data["what_it_should_be"],
            )  # fmt: skip
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Your request is sent. Staff will answer by %(date)s; you can follow it on this page.")
                % {"date": format_date(created.due_at)},
            )
            return redirect("privacy:my_data")
    return render(request, "privacy/correction.html", {"form": form})


@login_required
@sensitive_post_parameters("password")
@primary_reads()
def erase_page(request: HttpRequest) -> HttpResponse:
    """What erasing keeps and removes, and the form that does it: the password and a tick box."""
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person_erase(
                actor=request.user, person=request.user, password=data["password"],
                reason=data["reason"], request=request,
            )  # fmt: skip
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            logout(request)
            return redirect("privacy:erased")
    return render(request, "privacy/erase.html", {"form": form})


def erased_page(request: HttpRequest) -> HttpResponse:
    """Where an erased person lands, signed out. It says nothing about anyone: anyone may open it."""
    return render(request, "privacy/erased.html")


@permission_required("privacy.handle_requests")
def requests_page(request: HttpRequest) -> HttpResponse:
    """Staff: the requests that need a human, the one due first on top."""
    context = {
        "open": list(data_requests_open()),
        "done": data_requests_recently_done(),
        "now": timezone.now(),
    }
    return render(request, "privacy/requests.html", context)


@permission_required("privacy.handle_requests")
@primary_reads()
def request_page(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Staff: one request, what the person wrote, and the answer: done or refused, with a note the
    person reads. Opening it is recorded as a read of the person's data."""
    data_request = data_request_get(public_id=public_id)
    if data_request is None:
        raise Http404
    form = AnswerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            data_request_answer(
                actor=request.user, request_public_id=data_request.public_id,
                outcome=request.POST.get("outcome", ""), note=form.cleaned_data["note"],
            )  # fmt: skip
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The answer is saved. The person sees it on their My data page."))
            return redirect("privacy:requests")
    if request.method == "GET":
        access_record(
            viewer=request.user, person=data_request.person, what=DATA_REQUEST_VIEW,
            subject_id=data_request.public_id,
        )  # fmt: skip
    refusal = data_request_answer_refusal(request.user, data_request)
    context = {
        "data_request": data_request,
        "form": form,
        "refusal": refusal.message if refusal else "",
        "now": timezone.now(),
    }
    return render(request, "privacy/request.html", context)
