"""Catalog export and import as JSON, CSV and XLSX.

JSON is the whole kwamdee-catalog document (virtues, SDGs, categories, deed types). CSV holds
the deed types, one a row; XLSX holds a "categories" sheet and a "deed_types" sheet. Exporting
and importing back changes nothing (tested)."""

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kwamdee.catalog.errors import CatalogImportInvalid
from kwamdee.catalog.selectors import CATEGORY_COLUMNS, catalog_document
from kwamdee.catalog.services import catalog_load
from kwamdee.catalog.validation import COLUMNS
from kwamdee.common.actors import Actor
from kwamdee.common.errors import PermissionDenied

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


def catalog_export(fmt: str) -> bytes:
    document = catalog_document()
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    rows = [_row(item) for item in document["deed_types"]]
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
            categories.append([cat[c] for c in CATEGORY_COLUMNS])
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
        record: dict[str, Any] = {name: value for name, value in zip(names, values, strict=False) if name}
        record["_row"] = first_row + offset
        records.append(record)
    return records


def _parse(fmt: str, content: bytes) -> dict[str, Any]:
    if fmt == "json":
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CatalogImportInvalid(
                [(1, "file", _("This is not a JSON file: %(e)s") % {"e": exc})]
            ) from exc
        if not isinstance(data, dict) or data.get("format") != "kwamdee-catalog":
            raise CatalogImportInvalid([(1, "format", _("Not a kwamdee-catalog document."))])
        for key in ("virtues", "sdgs", "categories", "deed_types"):
            items = data.get(key, [])
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise CatalogImportInvalid([(1, key, _("Must be a list of objects."))])
        shapes = {"virtues": dict, "sdgs": list, "indicators": list}
        for number, item in enumerate(data.get("deed_types", []), start=1):
            for key, kind in shapes.items():
                if key in item and not isinstance(item[key], (kind, str)):
                    raise CatalogImportInvalid([(number, key, _("This value has the wrong shape."))])
        return data
    if fmt == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CatalogImportInvalid([(1, "file", _("Save the CSV file as UTF-8."))]) from exc
        table = list(csv.reader(io.StringIO(text)))
        if not table:
            raise CatalogImportInvalid([(1, "file", _("The file is empty."))])
        return {"deed_types": _records(table[0], table[1:], first_row=2)}
    if fmt == "xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
            raise CatalogImportInvalid([(1, "file", _("This is not an XLSX file."))]) from exc
        if "deed_types" not in workbook.sheetnames:
            raise CatalogImportInvalid([(1, "deed_types", _("The workbook needs a deed_types sheet."))])
        sheets: dict[str, Any] = {}
        if "categories" in workbook.sheetnames:
            cat_rows = list(workbook["categories"].iter_rows(values_only=True))
            header = [str(h or "") for h in cat_rows[0]] if cat_rows else []
            sheets["categories"] = [
                {h: ("" if v is None else str(v)) for h, v in zip(header, r, strict=False) if h}
                for r in cat_rows[1:]
                if any(v not in (None, "") for v in r)
            ]
        table = [list(r) for r in workbook["deed_types"].iter_rows(values_only=True)]
        if not table:
            raise CatalogImportInvalid([(1, "file", _("The deed_types sheet is empty."))])
        sheets["deed_types"] = _records(table[0], table[1:], first_row=2)
        return sheets
    raise CatalogImportInvalid([(1, "format", _("Choose JSON, CSV or XLSX."))])


MAX_IMPORT_BYTES = 5 * 1024 * 1024


def catalog_import(*, actor: Actor, fmt: str, content: bytes) -> dict[str, int]:
    """Validates every row of the file and imports all of it, or nothing."""
    if not actor.has_perm("catalog.manage_catalog"):
        raise PermissionDenied()  # before reading the file at all
    if len(content) > MAX_IMPORT_BYTES:
        raise CatalogImportInvalid([(1, "file", _("The file is larger than 5 MB."))])
    return catalog_load(actor=actor, data=_parse(fmt, content), source=fmt)
