"""Untrusted catalog files (issue 9): each is refused with a 4xx naming a row and a column, before
any parser builds it in memory and outside any transaction, and nothing is imported."""

import io
import json
import zipfile

import openpyxl
import pytest
from django.db import connection, transaction
from django.utils import translation

from kwamdee.catalog.errors import CatalogImportInvalid
from kwamdee.catalog.validation import COLUMNS, MAX_CELL_CHARS
from kwamdee.common.roles import role_grant
from kwamdee.exchange import services
from kwamdee.exchange.errors import CatalogImportTooLarge
from kwamdee.exchange.limits import MAX_COLUMNS, MAX_JSON_CONTAINERS, MAX_ROWS
from kwamdee.exchange.services import MAX_ERRORS_LISTED, catalog_export, catalog_import
from kwamdee.people.models import User
from tests.exchange.test_services import csv_bytes, csv_table, snapshot
from tests.exchange.untrusted_files import (
    MIB,
    SHEET,
    SHEET_HEAD,
    SHEET_TAIL,
    catalog_json,
    nested_json,
    understated,
    with_member,
    workbook_bytes,
    zip_bomb,
)
from tests.factories import SYSTEM, make_person

pytestmark = pytest.mark.usefixtures("default_catalog")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb(200)


@pytest.fixture
def openpyxl_calls(monkeypatch):
    """Each call of openpyxl.load_workbook: a test asserts there was none."""
    calls: list[object] = []
    real = openpyxl.load_workbook

    def recorded(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", recorded)
    return calls


@pytest.fixture
def load_calls(monkeypatch):
    """Each call of catalog_load, the write transaction: a refusal found before it makes none."""
    calls: list[object] = []
    real = services.catalog_load

    def recorded(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "catalog_load", recorded)
    return calls


def refused(staff, fmt, content, kind=CatalogImportInvalid):
    with translation.override("en"), pytest.raises(kind) as exc:
        catalog_import(actor=staff, fmt=fmt, content=content)
    return exc.value


def pairs(exc) -> list[tuple]:
    return [(row, column) for row, column, _message in exc.errors]


# --- XLSX: a zip is measured unpacked, and its XML scanned, before openpyxl opens it ---------------


def test_zip_bomb_is_refused_by_its_unpacked_size_before_openpyxl(staff, bomb, openpyxl_calls, load_calls):
    # given a real XLSX of about 200 KB whose sheet unpacks to 200 MB
    assert len(bomb) < MIB
    before = snapshot()

    # when it is imported
    exc = refused(staff, "xlsx", bomb, CatalogImportTooLarge)

    # then the size check refused it (413, its own code), openpyxl never opened it, nothing changed
    assert (exc.status, exc.code) == (413, "catalog_import_too_large")
    assert pairs(exc) == [(1, "file")] and "unpacks to 200.0 MB" in exc.errors[0][2]
    assert openpyxl_calls == [] and load_calls == []
    assert snapshot() == before


def test_packed_too_tightly_is_refused_under_the_total_limit(staff, openpyxl_calls):
    # 20 MB (under the 25 MB limit) packed more than 100 times
    exc = refused(staff, "xlsx", zip_bomb(20), CatalogImportTooLarge)
    assert pairs(exc) == [(1, "file")] and "100 times" in exc.errors[0][2]
    assert openpyxl_calls == []


def test_member_that_understates_its_size_fails_its_check(staff, openpyxl_calls):
    # given a 30 MB sheet whose size in the zip's directory says 2 KB
    content = understated(zip_bomb(30), SHEET, 2048)

    # then reading stops at the stated size, the member fails its CRC check: not an XLSX
    exc = refused(staff, "xlsx", content)
    assert exc.code == "catalog_import_invalid"
    assert exc.errors == [(1, "file", "This is not an XLSX file.")]
    assert openpyxl_calls == []


def test_row_a_million_down_is_refused_before_openpyxl(staff, openpyxl_calls):
    # a few KB whose one cell is in row 1,048,576: openpyxl would make every row before it
    content = workbook_bytes(lambda sheet: sheet.cell(row=1_048_576, column=1, value="x"))
    exc = refused(staff, "xlsx", content, CatalogImportTooLarge)
    assert pairs(exc) == [(2, "file")]
    assert openpyxl_calls == []


def test_cell_in_the_last_column_is_refused_before_openpyxl(staff, openpyxl_calls):
    content = workbook_bytes(lambda sheet: sheet.cell(row=2, column=16_384, value="x"))
    exc = refused(staff, "xlsx", content, CatalogImportTooLarge)
    assert pairs(exc) == [(2, str(MAX_COLUMNS + 1))]
    assert openpyxl_calls == []


def test_xml_with_entities_is_not_an_xlsx(staff, openpyxl_calls):
    # "billion laughs": entities that expand to gigabytes; an XLSX never needs a DTD
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        + SHEET_HEAD.split(b"?>", 1)[1]
        + b'<row r="2"><c r="A2" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        + SHEET_TAIL
    )
    exc = refused(staff, "xlsx", with_member(workbook_bytes(), SHEET, [laughs]))
    assert exc.errors == [(1, "file", "This is not an XLSX file.")]
    assert openpyxl_calls == []


def test_a_sheet_that_claims_to_be_huge_is_read_as_it_is(staff):
    # given the exported workbook whose deed_types sheet claims the whole sheet's size
    content = catalog_export("xlsx")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet2.xml")
    start = sheet_xml.index(b"<dimension ref=")
    end = sheet_xml.index(b"/>", start) + 2
    claimed = sheet_xml[:start] + b'<dimension ref="A1:XFD1048576"/>' + sheet_xml[end:]

    # when it is imported back, then it reads as the cells it has: nothing changes
    summary = catalog_import(
        actor=staff, fmt="xlsx", content=with_member(content, "xl/worksheets/sheet2.xml", [claimed])
    )
    assert summary["created"] == summary["updated"] == 0


# --- JSON: nesting is measured before json.loads recurses ------------------------------------------


def test_json_nested_50000_levels_is_refused_before_parsing(staff, load_calls):
    before = snapshot()
    exc = refused(staff, "json", nested_json(50_000))
    assert exc.code == "catalog_import_invalid"
    assert exc.errors == [(1, "file", "The JSON is nested deeper than 20 levels.")]
    assert load_calls == []
    assert snapshot() == before


def test_json_of_too_many_lists_is_refused(staff):
    content = b'{"format": "kwamdee-catalog", "deed_types": [' + b"[]," * MAX_JSON_CONTAINERS + b"[]]}"
    exc = refused(staff, "json", content, CatalogImportTooLarge)
    assert pairs(exc) == [(1, "file")]


def test_json_nested_21_levels_is_refused_and_5_is_the_catalog(staff):
    assert refused(staff, "json", nested_json(19)).errors[0][2] == "The JSON is nested deeper than 20 levels."
    # 2 levels (the document and its list of deed types) + 1 (the deed type) + 17 = 20: a row error
    exc = refused(staff, "json", nested_json(17))
    assert (1, "name_th") in pairs(exc)


def test_json_strings_may_hold_brackets(staff):
    document = json.loads(catalog_export("json"))
    document["deed_types"][0]["description_en"] = '[[[[[[[[[[[[[[[[[[[[[[[[[ \\" {{{{{{{{{{{{{{{{{{{{{{{{'
    summary = catalog_import(actor=staff, fmt="json", content=json.dumps(document).encode())
    assert summary["updated"] == 1


# --- CSV: a long cell is a row and column error, never the csv module's limit --------------------


def test_csv_field_over_131072_characters_is_a_row_error(staff):
    # given the exported CSV whose row 2 has a Thai name of 200,000 characters
    before = snapshot()
    table = csv_table(before["csv"])
    table[1][COLUMNS.index("name_th")] = "ก" * 200_000

    # when it is imported, then row 2's name_th is named, and nothing changed
    exc = refused(staff, "csv", csv_bytes(table))
    assert exc.errors == [(2, "name_th", f"At most {MAX_CELL_CHARS:,} characters.")]
    assert snapshot() == before


def test_csv_of_too_many_rows_is_refused(staff, load_calls):
    table = csv_table(catalog_export("csv"))
    table += [table[1]] * MAX_ROWS
    exc = refused(staff, "csv", csv_bytes(table), CatalogImportTooLarge)
    assert pairs(exc) == [(MAX_ROWS + 2, "file")]
    assert load_calls == []


def test_csv_row_of_too_many_cells_is_a_row_error(staff):
    table = csv_table(catalog_export("csv"))
    table[3] += [""] * 100
    exc = refused(staff, "csv", csv_bytes(table))
    assert pairs(exc) == [(4, str(MAX_COLUMNS + 1))]


# --- SDGs, virtues and categories of a JSON document ---------------------------------------------


def test_bad_sdgs_are_row_errors_found_before_the_write(staff, load_calls):
    # given SDGs without name_th, with the number "abc", and with a colour that is CSS
    before = snapshot()
    content = catalog_json(sdgs=[
        {"number": 1, "name_en": "No poverty", "color": "#E5243B"},
        {"number": "abc", "name_th": "ก", "name_en": "A", "color": "#E5243B"},
        {"number": 3, "name_th": "ก", "name_en": "B",
         "color": "red;background-image:url(https://attacker.example/t.png)"},
        {"number": 18, "name_th": "ก", "name_en": "C", "color": "#e5243b"},
        {"number": True, "name_th": "ก", "name_en": "D", "color": "#E5243B\n"},
    ])  # fmt: skip

    # when it is imported, then each is named, the write never began, and nothing changed
    exc = refused(staff, "json", content)
    assert pairs(exc) == [("sdgs 1", "name_th"), ("sdgs 2", "number"), ("sdgs 3", "color"),
                          ("sdgs 4", "number"), ("sdgs 5", "number"), ("sdgs 5", "color")]  # fmt: skip
    assert load_calls == []
    assert snapshot() == before


def test_virtues_and_categories_of_the_wrong_shape_are_row_errors(staff):
    content = catalog_json(
        virtues=[{"code": ["honesty"], "name_th": 5, "name_en": "x"}],
        categories=[{"code": "ok", "name_th": "ก", "name_en": "x", "description_th": None}],
        deed_types=[{"code": "x", "limits": [1, 2], "name_th": {"th": "ก"}}],
    )
    exc = refused(staff, "json", content)
    assert {("virtues 1", "code"), ("virtues 1", "name_th"), ("categories 1", "description_th"),
            (1, "limits"), (1, "name_th")} <= set(pairs(exc))  # fmt: skip


def test_a_row_number_in_the_file_is_not_trusted(staff):
    document = json.loads(catalog_export("json"))
    document["deed_types"][2]["_row"] = "<script>" * 1000
    document["deed_types"][2]["sdgs"] = ["99"]
    exc = refused(staff, "json", json.dumps(document).encode())
    assert pairs(exc) == [(3, "sdgs")]


# --- control characters, in every text field -----------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("name_th", "ช่วยคน\x07แก่"),  # BEL
        ("name_en", "Help\x1b[31m"),  # ESC: a terminal colour code
        ("name_en", "He\x85lp"),  # C1 "next line"
        ("name_en", "Hours \u202e42"),  # right-to-left override: reads "24"
        ("unit_name_en", "kg\tbag"),  # a tab in a one-line field
        ("description_en", "Line\x00"),  # NUL, even where several lines are allowed
        ("category", "volun\nteering"),
    ],
)
def test_control_characters_are_a_row_and_column_error(staff, column, value):
    before = snapshot()
    table = csv_table(before["csv"])
    table[5][COLUMNS.index(column)] = value
    exc = refused(staff, "csv", csv_bytes(table))
    assert pairs(exc) == [(6, column)]
    assert "control character" in exc.errors[0][2]
    assert snapshot() == before


def test_tabs_and_line_ends_are_kept_where_several_lines_are_allowed(staff):
    table = csv_table(catalog_export("csv"))
    table[5][COLUMNS.index("description_en")] = "First line\r\nSecond\tline"
    summary = catalog_import(actor=staff, fmt="csv", content=csv_bytes(table))
    assert summary["updated"] == 1


def test_control_characters_in_an_xlsx_categories_sheet(staff):
    workbook = openpyxl.load_workbook(io.BytesIO(catalog_export("xlsx")))
    workbook["categories"].cell(row=3, column=2).value = "หมวด\x9b"  # C1, which XLSX can hold
    buffer = io.BytesIO()
    workbook.save(buffer)
    exc = refused(staff, "xlsx", buffer.getvalue())
    assert pairs(exc) == [("categories 2", "name_th")]


def test_control_characters_in_json_indicators(staff):
    document = json.loads(catalog_export("json"))
    document["deed_types"][0]["indicators"][0]["name_en"] = "Hours\x08"
    exc = refused(staff, "json", json.dumps(document).encode())
    assert pairs(exc) == [(1, "indicators")]


# --- the answer stays small ----------------------------------------------------------------------


def test_errors_are_listed_up_to_100_then_counted(staff):
    # given 150 rows, each with two errors, and long unknown categories
    table = csv_table(catalog_export("csv"))
    row = list(table[1])
    row[COLUMNS.index("code")] = "Bad Code"
    row[COLUMNS.index("category")] = "x" * 9_000
    exc = refused(staff, "csv", csv_bytes([table[0]] + [row] * 150))
    assert len(exc.errors) == MAX_ERRORS_LISTED + 1
    assert exc.errors[-1] == ("…", "…", "and 200 more errors.")
    assert all(len(message) <= 300 for _row, _column, message in exc.errors)
    assert len(json.dumps(exc.as_dict())) < 100_000


# --- parsed and checked without a write transaction ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_file_is_parsed_and_checked_outside_any_transaction(monkeypatch):
    # given a file with a bad row, and a record of whether a transaction is open while parsing
    with transaction.atomic():
        staff = make_person(name="เจ้าหน้าที่")
        role_grant(actor=SYSTEM, person=staff, role="staff")
    staff = User.objects.get(pk=staff.pk)
    seen: list[bool] = []
    real_parse = services._parse

    def parse(fmt, content):
        seen.append(connection.in_atomic_block)
        return real_parse(fmt, content)

    monkeypatch.setattr(services, "_parse", parse)
    table = csv_table(catalog_export("csv"))
    table[2][COLUMNS.index("sdgs")] = "abc"

    # when it is imported, then it was parsed with no transaction open, and refused
    with pytest.raises(CatalogImportInvalid):
        catalog_import(actor=staff, fmt="csv", content=csv_bytes(table))
    assert seen == [False]
