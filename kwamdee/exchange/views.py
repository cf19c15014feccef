"""Web pages of the catalog interchange: download the catalog, and import a file (staff)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kwamdee.catalog.errors import CatalogImportInvalid
from kwamdee.common.db_router import replica_reads
from kwamdee.common.decorators import permission_required
from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.exchange.forms import ImportForm
from kwamdee.exchange.services import FORMATS, MAX_IMPORT_BYTES, catalog_export, catalog_import


@replica_reads()
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    response = HttpResponse(catalog_export(fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="kwamdee-catalog.{fmt}"'
    return response


@permission_required("catalog.manage_catalog")
def interchange(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[tuple[int | str, str, str]] = []
    summary = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            # One byte past the limit is enough to know the file is too large.
            content = form.cleaned_data["file"].read(MAX_IMPORT_BYTES + 1)
            summary = catalog_import(actor=request.user, fmt=form.cleaned_data["format"], content=content)
        except CatalogImportInvalid as exc:
            errors, status = exc.errors, exc.status  # 400, or 413 for a file past a limit
        except ServiceError as exc:
            form_add_service_error(form, exc)
            status = exc.status
    context = {"form": form, "errors": errors, "summary": summary}
    return render(request, "exchange/interchange.html", context, status=status)
