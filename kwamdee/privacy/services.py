"""A person's rights over their data (PDPA §30–31): a copy of everything held about them, to
read on their page and to take away as JSON or as CSV files."""

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.audit import audit_record
from kwamdee.common.cells import cell_safe
from kwamdee.common.errors import PermissionDenied, ValidationFailed
from kwamdee.common.personal_data import Section, personal_data_collect
from kwamdee.privacy.events import PrivacyEvent

EXPORT_FORMAT = "kwamdee-personal-data"
EXPORT_FORMAT_VERSION = 1
EXPORT_FORMATS = ("json", "csv")


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


def _as_json(person: Any, sections: list[Section], at: Any) -> bytes:
    document = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": at,
        "person": str(person.public_id),
        "sections": {s.key: {"title": str(s.title), "note": str(s.note), "rows": s.rows} for s in sections},
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def _as_csv_zip(sections: list[Section]) -> bytes:
    """One CSV file a section (UTF-8 with a BOM, so that spreadsheet programs read the Thai)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section in sections:
            text = io.StringIO()
            columns = list(section.rows[0]) if section.rows else ["none"]
            writer = csv.writer(text)
            writer.writerow(columns)
            for row in section.rows:
                writer.writerow([_cell(row.get(column)) for column in columns])
            archive.writestr(f"{section.key}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return cell_safe(value)


@transaction.atomic
def personal_data_export(*, actor: Any, person: Any, fmt: str) -> Export:
    """Everything held about `person`, for `person` only; the download itself is recorded."""
    if getattr(actor, "pk", None) != person.pk:
        raise PermissionDenied(_("Only the person can download their own data."))
    if fmt not in EXPORT_FORMATS:
        raise ValidationFailed(fields={"format": [_("Choose JSON or CSV.")]})
    at = timezone.now()
    sections = personal_data_collect(person)
    stamp = timezone.localtime(at).strftime("%Y%m%d")
    if fmt == "json":
        export = Export(_as_json(person, sections, at), "application/json", f"kwamdee-my-data-{stamp}.json")
    else:
        export = Export(_as_csv_zip(sections), "application/zip", f"kwamdee-my-data-{stamp}-csv.zip")
    audit_record(
        actor=actor, event=PrivacyEvent.PERSONAL_DATA_EXPORT, subject_id=person.public_id,
        data={"format": fmt, "sections": [s.key for s in sections]},
    )  # fmt: skip
    return export
