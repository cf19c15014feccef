"""Catalog export and import as JSON, CSV and XLSX.

JSON is the whole kwamdee-catalog document (virtues, SDGs, categories, deed types). CSV holds
the deed types, one a row; XLSX holds a "categories" sheet and a "deed_types" sheet. Exporting
and importing back changes nothing (tested).

A file to import is untrusted: it is read within limits (kwamdee/exchange/limits.py), parsed and
checked outside any transaction, and only then written by `catalog_load` in one transaction.
Spreadsheet exports make formula-like text inert (a leading apostrophe) and drop the control
characters XLSX cannot hold, so a download never runs a formula and never fails."""

import csv
import io
import json
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kwamdee.catalog.errors import CatalogImportInvalid
from kwamdee.catalog.selectors import CATEGORY_COLUMNS, catalog_document, category_list, virtue_list
from kwamdee.catalog.services import catalog_load
from kwamdee.catalog.validation import COLUMNS, catalog_document_errors
from kwamdee.common.actors import Actor
from kwamdee.common.cells import FORMULA_STARTS, cell_safe
from kwamdee.common.errors import PermissionDenied
from kwamdee.exchange.errors import CatalogImportTooLarge
from kwamdee.exchange.limits import (
    MAX_IMPORT_BYTES,
    MAX_ROWS,
    MAX_SHEET_ROWS,
    csv_read,
    json_read,
    sheet_rows,
    upload_size_check,
    xlsx_open,
)

__all__ = ["FORMATS", "MAX_ERRORS_LISTED", "MAX_IMPORT_BYTES", "catalog_export", "catalog_import"]

# An error page lists at most this many errors, then says how many more there are.
MAX_ERRORS_LISTED = 100
FORMATS = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _weight(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _row(item: dict[str, Any]) -> list[str]:
    """A deed type of the document as one tabular row (text cells)."""
    flat = {**item, **item["limits"]}
    flat["virtues"] = "; ".join(f"{c}={_weight(Decimal(str(w)))}" for c, w in item["virtues"].items())
    flat["sdgs"] = "; ".join(item["sdgs"])
    flat["indicators"] = "\n".join(
        f"{i['code']} | {i['name_th']} | {i['name_en']}" for i in item["indicators"]
    )
    flat["is_active"] = "true" if item["is_active"] else "false"
    return ["" if flat.get(c) is None else str(flat.get(c)) for c in COLUMNS]


# A cell XLSX cannot hold (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE): C0 controls but tab and
# newlines. The import refuses them (catalog/validation.py); older rows may still hold them.
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _cell(value: Any) -> Any:
    """A value as a spreadsheet export writes it: without the control characters XLSX cannot
    hold, and inert if it starts like a formula (=, +, -, @, tab, CR): a leading apostrophe, the
    OWASP way. A plain negative number stays a number."""
    if not isinstance(value, str):
        return value
    value = _ILLEGAL_IN_XLSX.sub("", value)
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return cell_safe(value)


def _uncell(value: Any) -> Any:
    """What `_cell` made inert, as it was: so that exporting and importing back changes nothing."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def catalog_export(fmt: str) -> bytes:
    document = catalog_document()
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    rows = [[_cell(v) for v in _row(item)] for item in document["deed_types"]]
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return text.getvalue().encode("utf-8-sig")  # the BOM makes Excel read Thai correctly
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        categories = workbook.active
        categories.title = "categories"
        categories.append(CATEGORY_COLUMNS)
        for cat in document["categories"]:
            categories.append([_cell(cat[c]) for c in CATEGORY_COLUMNS])
        sheet = workbook.create_sheet("deed_types")
        sheet.append(COLUMNS)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValueError(fmt)


def _records(header: list[Any], rows: list[list[Any]], first_row: int) -> list[dict[str, Any]]:
    names = [str(h or "").strip() for h in header]
    unknown = [n for n in names if n and n not in COLUMNS]
    if unknown or "code" not in names:
        raise CatalogImportInvalid(
            [(1, n or "?", _("Unknown column.")) for n in unknown]
            or [(1, "code", _("The header row must name the columns, starting with code."))]
        )
    records = []
    for offset, values in enumerate(rows):
        if not any(str(v or "").strip() for v in values):
            continue  # blank line
        record: dict[str, Any] = {
            name: _uncell(value) for name, value in zip(names, values, strict=False) if name
        }
        record["_row"] = first_row + offset
        records.append(record)
    return records


def _json_document(content: bytes) -> dict[str, Any]:
    data = json_read(content)
    if not isinstance(data, dict) or data.get("format") != "kwamdee-catalog":
        raise CatalogImportInvalid([(1, "format", _("Not a kwamdee-catalog document."))])
    for key in ("virtues", "sdgs", "categories", "deed_types"):
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise CatalogImportInvalid([(1, key, _("Must be a list of objects."))])
        if len(items) > MAX_ROWS:
            raise CatalogImportTooLarge([(MAX_ROWS + 1, key, _(
                "A file can hold at most %(rows)s rows (and %(lines)s lines with blank ones)."
            ) % {"rows": f"{MAX_ROWS:,}", "lines": f"{MAX_SHEET_ROWS:,}"})])  # fmt: skip
    shapes = {"virtues": dict, "sdgs": list, "indicators": list}
    for number, item in enumerate(data.get("deed_types", []), start=1):
        item["_row"] = number  # the row an error names: never one the file says
        for key, kind in shapes.items():
            if key in item and not isinstance(item[key], (kind, str)):
                raise CatalogImportInvalid([(number, key, _("This value has the wrong shape."))])
    return data


def _xlsx_document(content: bytes) -> dict[str, Any]:
    workbook = xlsx_open(content)
    try:
        if "deed_types" not in workbook.sheetnames:
            raise CatalogImportInvalid([(1, "deed_types", _("The workbook needs a deed_types sheet."))])
        sheets: dict[str, Any] = {}
        if "categories" in workbook.sheetnames:
            cat_rows = sheet_rows(workbook["categories"])
            header = [str(h or "") for h in cat_rows[0]] if cat_rows else []
            sheets["categories"] = [
                {h: ("" if v is None else str(_uncell(v))) for h, v in zip(header, r, strict=False) if h}
                for r in cat_rows[1:]
                if any(v not in (None, "") for v in r)
            ]
        table = sheet_rows(workbook["deed_types"])
        if not table:
            raise CatalogImportInvalid([(1, "file", _("The deed_types sheet is empty."))])
        sheets["deed_types"] = _records(table[0], table[1:], first_row=2)
        return sheets
    finally:
        workbook.close()


def _parse(fmt: str, content: bytes) -> dict[str, Any]:
    if fmt == "json":
        return _json_document(content)
    if fmt == "csv":
        table = csv_read(content)
        if not table:
            raise CatalogImportInvalid([(1, "file", _("The file is empty."))])
        return {"deed_types": _records(table[0], table[1:], first_row=2)}
    if fmt == "xlsx":
        return _xlsx_document(content)
    raise CatalogImportInvalid([(1, "format", _("Choose JSON, CSV or XLSX."))])


def _shorter(text: Any, limit: int) -> Any:
    if isinstance(text, str) and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


def _listed(exc: CatalogImportInvalid) -> CatalogImportInvalid:
    """The same refusal with at most MAX_ERRORS_LISTED errors (then "and N more"), each short:
    an error page stays small, however many rows are wrong and however long their cells."""
    errors = [
        (_shorter(row, 40), _shorter(column, 60), _shorter(str(message), 300))
        for row, column, message in exc.errors[:MAX_ERRORS_LISTED]
    ]
    more = len(exc.errors) - MAX_ERRORS_LISTED
    if more > 0:
        errors.append(("…", "…", _("and %(n)s more errors.") % {"n": f"{more:,}"}))
    return type(exc)(errors)


def catalog_import(*, actor: Actor, fmt: str, content: bytes) -> dict[str, int]:
    """Validates every row of the file and imports all of it, or nothing.

    Reading, parsing and every check that needs no write happen here, outside any transaction;
    `catalog_load` then checks what needs the current deed types and writes, in one."""
    if not actor.has_perm("catalog.manage_catalog"):
        raise PermissionDenied()  # before reading the file at all
    try:
        upload_size_check(content)
        data = _parse(fmt, content)
        errors = catalog_document_errors(
            data,
            virtues={v.code for v in virtue_list()},
            categories={c.code for c in category_list()},
        )
        if errors:
            raise CatalogImportInvalid(errors)
        return catalog_load(actor=actor, data=data, source=fmt)
    except CatalogImportInvalid as exc:
        raise _listed(exc) from None
