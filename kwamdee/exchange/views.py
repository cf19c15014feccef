"""Web pages of the catalog interchange (download the catalog, import a file) and of assessment
templates as XLSX workbooks (staff)."""

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kwamdee.assessments.documents import template_document
from kwamdee.assessments.errors import TemplateInvalid
from kwamdee.assessments.selectors import template_get
from kwamdee.catalog.errors import CatalogImportInvalid
from kwamdee.common.db_router import replica_reads
from kwamdee.common.decorators import permission_required
from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.exchange.assessment_templates import template_import_xlsx, template_xlsx
from kwamdee.exchange.forms import ImportForm, TemplateWorkbookForm
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission_required("assessments.manage_templates")
def assessment_template_workbook(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One assessment template version as an XLSX workbook (the layout an upload takes)."""
    template = template_get(public_id)
    if template is None:
        raise Http404
    response = HttpResponse(template_xlsx(template_document(template)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{template.code}-v{template.version}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("assessments.manage_templates")
def assessment_template_workbook_upload(request: HttpRequest) -> HttpResponse:
    """Upload a workbook as the next version of its template: every problem by sheet and row,
    nothing saved."""
    posted = request.method == "POST"
    form = TemplateWorkbookForm(request.POST if posted else None, request.FILES if posted else None)
    problems: list[tuple[str, list[str]]] = []
    if posted and form.is_valid():
        content = form.cleaned_data["file"].read(MAX_IMPORT_BYTES + 1)
        try:
            imported = template_import_xlsx(actor=request.user, content=content)
        except TemplateInvalid as exc:
            problems = [(where, [str(m) for m in found]) for where, found in exc.fields.items()]
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Version %(version)s of %(code)s is saved.")
                % {"version": imported.version, "code": imported.code},
            )
            return redirect("assessments:templates")
    status = 400 if (problems or form.errors) else 200
    return render(
        request, "exchange/template_workbook.html", {"form": form, "problems": problems}, status=status
    )
