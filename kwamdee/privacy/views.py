"""The person's own "my data" page and its downloads, erasing one's account, and the staff's
queue of requests."""

from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kwamdee.common.db_router import primary_reads
from kwamdee.common.decorators import permission_required
from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.privacy.forms import EraseForm
from kwamdee.privacy.labels import COLUMN_LABELS
from kwamdee.privacy.selectors import data_requests_open, data_requests_recently_done, my_data
from kwamdee.privacy.services import EXPORT_FORMATS, person_erase, personal_data_export

# A long section (the passbook of years) shows its newest rows; the downloads hold all of them.
ROWS_SHOWN = 20


def _table(section: Any) -> dict[str, Any]:
    columns = list(section.rows[0]) if section.rows else []
    rows = section.rows[-ROWS_SHOWN:]
    return {
        "key": section.key,
        "title": section.title,
        "note": section.note,
        "headers": [COLUMN_LABELS.get(c, c) for c in columns],
        "rows": [[row.get(c) for c in columns] for row in reversed(rows)],
        "total": len(section.rows),
        "hidden": max(len(section.rows) - ROWS_SHOWN, 0),
        # One row (the profile) reads better as label: value lines than as a wide table.
        "pairs": list(zip([COLUMN_LABELS.get(c, c) for c in columns], section.rows[0].values(), strict=True))
        if len(section.rows) == 1
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
