"""API: the catalog as JSON, CSV or XLSX, and imports of such files (staff); assessment templates
as XLSX workbooks (staff who manage templates)."""

from typing import Any, Literal
from uuid import UUID

from django.http import HttpResponse
from ninja import File, Router, Schema
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from kwamdee.assessments.documents import template_document
from kwamdee.assessments.selectors import template_get
from kwamdee.common.api_errors import ErrorOut, errors
from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.exchange.assessment_templates import template_import_xlsx, template_xlsx
from kwamdee.exchange.services import FORMATS, MAX_IMPORT_BYTES, catalog_export, catalog_import

router = Router(tags=["catalog"])


# The formats, as the OpenAPI document names them: a format not among them is refused (422).
Format = Literal["json", "csv", "xlsx"]
EXPORT_CONTENT = {
    "application/json": {"schema": {"type": "object"}},
    "text/csv": {"schema": {"type": "string"}},
    FORMATS["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
}


@router.get("/export", auth=None, openapi_extra={"responses": {200: {"content": EXPORT_CONTENT}}})
def export(request: Any, format: Format = "json") -> HttpResponse:
    """The national catalog as JSON, CSV or XLSX."""
    response = HttpResponse(catalog_export(format), content_type=FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="kwamdee-catalog.{format}"'
    return response


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int


class RowErrorOut(Schema):
    row: int | str
    column: str
    message: str


class ImportErrorOut(ErrorOut):
    """The refusal of a file: each error by row and column in `errors`, as in `fields`."""

    errors: list[RowErrorOut] = []


# The form holds the file, never empty, and nothing else: another part is refused (422).
ONLY_THE_FILE = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {"additionalProperties": False, "properties": {"file": {"minLength": 1}}}
            }
        }
    }
}


@router.post(
    "/import",
    response={200: ImportOut, 400: ImportErrorOut, 413: ImportErrorOut, **errors(403)},
    openapi_extra=ONLY_THE_FILE,
)
def import_(request: Any, format: Format, file: File[UploadedFile]) -> dict[str, int]:
    """Imports a catalog file (staff). Every row is checked; one bad row and nothing changes,
    and the answer (400) lists each error by row and column, at most 100 of them. A file past a
    limit (5 MB as sent, 25 MB unpacked, 2,000 rows, 50 columns) answers 413."""
    others = sorted((set(request.POST) | set(request.FILES)) - {"file"})
    if others:
        raise ValidationError([{"type": "extra_forbidden", "loc": ("body", name)} for name in others])
    return catalog_import(actor=request.auth, fmt=format, content=file.read(MAX_IMPORT_BYTES + 1))


# --- assessment templates as XLSX workbooks (mounted at /assessments, beside that app's API) -------

templates_router = Router(tags=["assessments"])
XLSX_CONTENT = {FORMATS["xlsx"]: {"schema": {"type": "string", "format": "binary"}}}


class TemplateImportOut(Schema):
    public_id: UUID
    code: str
    version: int


@templates_router.get(
    "/templates/{public_id}/workbook",
    response={200: None, **errors(403, 404)},
    openapi_extra={"responses": {200: {"description": "OK", "content": XLSX_CONTENT}}},
)
def template_workbook(request: Any, public_id: UUID) -> HttpResponse:
    """One assessment template version as an XLSX workbook (staff who manage templates)."""
    if not request.auth.has_perm("assessments.manage_templates"):
        raise PermissionDenied()
    template = template_get(public_id)
    if template is None:
        raise NotFound()
    response = HttpResponse(template_xlsx(template_document(template)), content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{template.code}-v{template.version}.xlsx"'
    return response


@templates_router.post(
    "/templates/workbook",
    response={201: TemplateImportOut, **errors(400, 403)},
    openapi_extra=ONLY_THE_FILE,
)
def template_workbook_import(request: Any, file: File[UploadedFile]) -> tuple[int, Any]:
    """Imports an XLSX workbook as the next version of its template (staff who manage templates).
    Every problem is answered at once (400, `fields` by sheet and row); nothing is saved."""
    others = sorted((set(request.POST) | set(request.FILES)) - {"file"})
    if others:
        raise ValidationError([{"type": "extra_forbidden", "loc": ("body", name)} for name in others])
    return 201, template_import_xlsx(actor=request.auth, content=file.read(MAX_IMPORT_BYTES + 1))
