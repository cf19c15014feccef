"""API: the catalog as JSON, CSV or XLSX, and imports of such files (staff)."""

from typing import Any, Literal

from django.http import HttpResponse
from ninja import File, Router, Schema
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from kwamdee.common.api_errors import ErrorOut, errors
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
