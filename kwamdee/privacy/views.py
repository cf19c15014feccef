"""The person's own "my data" page and its downloads."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kwamdee.common.db_router import primary_reads
from kwamdee.privacy.labels import COLUMN_LABELS
from kwamdee.privacy.selectors import my_data
from kwamdee.privacy.services import EXPORT_FORMATS, personal_data_export

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
