"""Assessment templates as XLSX workbooks, beside their JSON documents (assessments/documents.py):
a workbook is the same document laid out in four sheets that a person can edit in a spreadsheet,

- `template`: one row per setting (code, names, effective_from, certificate_years, reminder_days),
- `sources`: title, url,
- `levels`: code, order, name_th, name_en, min_percent, min_item_score,
- `items`: one row per item, with its activity's number, level and names on each row.

Reading goes through the catalog's safe XLSX reading (`limits.xlsx_open`: size, zip and XML
checked before openpyxl builds anything) and ends in the JSON document, which the assessments app
checks and imports (`template_import`) as it does an uploaded JSON file. A problem's place is
given as the sheet and row it came from ("items, row 4: rule")."""

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from kwamdee.assessments.documents import FORMAT, FORMAT_VERSION
from kwamdee.assessments.errors import TemplateInvalid
from kwamdee.assessments.services import template_import
from kwamdee.catalog.errors import CatalogImportInvalid
from kwamdee.common.cells import cell_safe
from kwamdee.common.errors import PermissionDenied
from kwamdee.exchange.limits import sheet_rows, upload_size_check, xlsx_open

SETTINGS = ["code", "name_th", "name_en", "effective_from", "certificate_years", "reminder_days"]
SOURCE_COLUMNS = ["title", "url"]
LEVEL_COLUMNS = ["code", "order", "name_th", "name_en", "min_percent", "min_item_score"]
ACTIVITY_COLUMNS = ["activity_number", "activity_level", "activity_name_th", "activity_name_en"]
ITEM_COLUMNS = [
    "code", "text_th", "text_en", "rule", "threshold_full", "threshold_half", "figure",
    "evidence_required", "evidence_th", "evidence_en", "source",
]  # fmt: skip
SHEETS = ("template", "sources", "levels", "items")


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([cell_safe("" if value is None else value) for value in row])


def template_xlsx(document: dict[str, Any]) -> bytes:
    """A template document (`assessments.documents.template_document`) as a workbook."""
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "template", ["setting", "value"], [[key, document.get(key)] for key in SETTINGS])
    _sheet(book, "sources", SOURCE_COLUMNS, [[s.get(c) for c in SOURCE_COLUMNS] for s in document["sources"]])
    _sheet(book, "levels", LEVEL_COLUMNS, [[lv.get(c) for c in LEVEL_COLUMNS] for lv in document["levels"]])
    items = []
    for activity in document["activities"]:
        head = [activity["number"], activity["level"], activity["name_th"], activity["name_en"]]
        for item in activity["items"]:
            items.append(head + [item.get(c) for c in ITEM_COLUMNS])
    _sheet(book, "items", ACTIVITY_COLUMNS + ITEM_COLUMNS, items)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: Any) -> Any:
    """A cell as the document wants it: text stripped, numbers kept, empty as None."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _records(rows: list[list[Any]], columns: list[str], sheet: str) -> list[tuple[int, dict[str, Any]]]:
    """The sheet's rows under its header as (row number, {column: value}); a missing column is a
    problem named with the sheet."""
    if not rows:
        raise TemplateInvalid(fields={sheet: [_("The sheet is empty: its first row names the columns.")]})
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise TemplateInvalid(
            fields={sheet: [_("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)}]}
        )
    found = []
    for number, row in enumerate(rows[1:], start=2):
        record = {c: _text(row[header.index(c)]) for c in columns}
        if any(v is not None for v in record.values()):
            found.append((number, record))
    return found


def _number_text(value: Any) -> Any:
    return None if value is None else str(value)


def template_document_from_xlsx(content: bytes) -> tuple[dict[str, Any], dict[str, str]]:
    """The JSON document a workbook holds, and where each part of it came from (a document path
    such as `activities[0].items[1]` → "items, row 3"), to name a problem's place."""
    try:
        upload_size_check(content)
        book = xlsx_open(content)
    except CatalogImportInvalid as exc:
        raise TemplateInvalid(fields={"file": [text for _row, _column, text in exc.errors]}) from None
    names = set(book.sheetnames)
    missing = [s for s in SHEETS if s not in names]
    if missing:
        raise TemplateInvalid(
            fields={"file": [_("Sheets missing: %(sheets)s.") % {"sheets": ", ".join(missing)}]}
        )
    try:
        rows = {s: sheet_rows(book[s]) for s in SHEETS}
    except CatalogImportInvalid as exc:
        raise TemplateInvalid(fields={"file": [text for _row, _column, text in exc.errors]}) from None
    settings = {str(r[0]).strip(): _text(r[1]) for r in rows["template"][1:] if r and r[0] is not None}
    places: dict[str, str] = {key: _("template, setting %(name)s") % {"name": key} for key in SETTINGS}
    document: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
    for key in SETTINGS:
        value = settings.get(key)
        document[key] = "" if value is None and key in ("name_en",) else value
    if hasattr(document.get("effective_from"), "isoformat"):
        document["effective_from"] = document["effective_from"].date().isoformat()
    document["sources"] = []
    for i, (number, record) in enumerate(_records(rows["sources"], SOURCE_COLUMNS, "sources")):
        document["sources"].append({"title": record["title"] or "", "url": record["url"] or ""})
        places[f"sources[{i}]"] = _("sources, row %(n)s") % {"n": number}
    document["levels"] = []
    for i, (number, record) in enumerate(_records(rows["levels"], LEVEL_COLUMNS, "levels")):
        record["name_en"] = record["name_en"] or ""
        record["min_percent"] = _number_text(record["min_percent"])
        document["levels"].append(record)
        places[f"levels[{i}]"] = _("levels, row %(n)s") % {"n": number}
    activities: dict[Any, dict[str, Any]] = {}
    for number, record in _records(rows["items"], ACTIVITY_COLUMNS + ITEM_COLUMNS, "items"):
        key = record["activity_number"]
        activity = activities.setdefault(key, {
            "number": key, "level": record["activity_level"], "name_th": record["activity_name_th"],
            "name_en": record["activity_name_en"] or "", "items": [], "rows": [],
        })  # fmt: skip
        item = {c: record[c] for c in ITEM_COLUMNS}
        for text in ("text_en", "evidence_th", "evidence_en", "source", "figure"):
            item[text] = item[text] or ""
        item["threshold_full"] = _number_text(item["threshold_full"])
        item["threshold_half"] = _number_text(item["threshold_half"])
        item["evidence_required"] = str(item["evidence_required"]).strip().lower() in ("true", "1", "yes")
        activity["items"].append(item)
        activity["rows"].append(number)
    document["activities"] = []
    for i, activity in enumerate(activities.values()):
        rows_of = activity.pop("rows")
        places[f"activities[{i}]"] = _("items, row %(n)s") % {"n": rows_of[0]}
        for j, number in enumerate(rows_of):
            places[f"activities[{i}].items[{j}]"] = _("items, row %(n)s") % {"n": number}
        document["activities"].append(activity)
    return document, places


_INDEXED = re.compile(r"^((?:[a-z_]+\[\d+\]\.?)+)")


def place_of(where: str, places: dict[str, str]) -> str:
    """A document path of a problem ("activities[0].items[1].rule") as the workbook's place
    ("items, row 3: rule"); a path it does not know is given as it is."""
    if where in places:
        return places[where]
    match = _INDEXED.match(where)
    if match:
        prefix = match.group(1).rstrip(".")
        while prefix:
            if prefix in places:
                rest = where[len(prefix) :].lstrip(".")
                return f"{places[prefix]}: {rest}" if rest else places[prefix]
            prefix = prefix.rpartition(".")[0] if "." in prefix else ""
    return where


def template_import_xlsx(*, actor: Any, content: bytes) -> Any:
    """Imports the template a workbook holds as its next version (`template_import`), or nothing:
    every problem named with its sheet and row. Permission is checked before the file is read."""
    if not actor.has_perm("assessments.manage_templates"):
        raise PermissionDenied()
    document, places = template_document_from_xlsx(content)
    try:
        return template_import(actor=actor, document=document)
    except TemplateInvalid as exc:
        fields: dict[str, list[Any]] = {}
        for where, problems in (exc.fields or {}).items():
            fields.setdefault(place_of(where, places), []).extend(problems)
        raise TemplateInvalid(fields=fields) from None
