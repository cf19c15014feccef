"""API: the catalog as JSON, CSV or XLSX, and imports of such files (staff)."""

from typing import Any

from django.http import HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from kwamdee.common.errors import ValidationFailed
from kwamdee.exchange.services import FORMATS, MAX_IMPORT_BYTES, catalog_export, catalog_import

router = Router(tags=["catalog"])


@router.get("/export", auth=None)
def export(request: Any, format: str = "json") -> HttpResponse:
    """The national catalog as JSON, CSV or XLSX."""
    if format not in FORMATS:
        raise ValidationFailed(fields={"format": ["json, csv or xlsx"]})
    response = HttpResponse(catalog_export(format), content_type=FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="kwamdee-catalog.{format}"'
    return response


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int


@router.post("/import", response=ImportOut)
def import_(request: Any, format: str, file: File[UploadedFile]) -> dict[str, int]:
    """Imports a catalog file (staff). Every row is checked; one bad row and nothing changes,
    and the answer (400) lists each error by row and column, at most 100 of them. A file past a
    limit (5 MB as sent, 25 MB unpacked, 2,000 rows, 50 columns) answers 413."""
    if format not in FORMATS:
        raise ValidationFailed(fields={"format": ["json, csv or xlsx"]})
    return catalog_import(actor=request.auth, fmt=format, content=file.read(MAX_IMPORT_BYTES + 1))
