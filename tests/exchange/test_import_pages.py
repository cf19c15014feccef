"""Untrusted catalog files through the staff page and the API (issue 9): a 4xx naming the row and
column, never a 500, a small answer, and nothing imported."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kwamdee.catalog.validation import COLUMNS
from kwamdee.exchange.services import MAX_ERRORS_LISTED, catalog_export
from tests.exchange.test_services import csv_bytes, csv_table, snapshot
from tests.exchange.untrusted_files import catalog_json, nested_json, zip_bomb

pytestmark = pytest.mark.usefixtures("default_catalog")
PAGE = "/catalog/manage/interchange/"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb(200)


def long_field() -> bytes:
    table = csv_table(catalog_export("csv"))
    table[1][COLUMNS.index("name_th")] = "ก" * 200_000
    return csv_bytes(table)


def bad_sdgs() -> bytes:
    return catalog_json(sdgs=[
        {"number": 1, "name_en": "No poverty", "color": "#E5243B"},
        {"number": "abc", "name_th": "ก", "name_en": "A", "color": "#E5243B"},
        {"number": 3, "name_th": "ก", "name_en": "B",
         "color": "red;background-image:url(https://attacker.example/t.png)"},
    ])  # fmt: skip


def control_row() -> bytes:
    table = csv_table(catalog_export("csv"))
    table[1][COLUMNS.index("unit_name_en")] = "k\x0bg"
    return csv_bytes(table)


# (format, content, status, code, first (row, column))
CASES = {
    "zip-bomb": ("xlsx", None, 413, "catalog_import_too_large", (1, "file")),
    "deep-json": ("json", nested_json(50_000), 400, "catalog_import_invalid", (1, "file")),
    "long-csv-field": ("csv", None, 400, "catalog_import_invalid", (2, "name_th")),
    "bad-sdgs": ("json", None, 400, "catalog_import_invalid", ("sdgs 1", "name_th")),
    "control-character": ("csv", None, 400, "catalog_import_invalid", (2, "unit_name_en")),
}
MAKERS = {"long-csv-field": long_field, "bad-sdgs": bad_sdgs, "control-character": control_row}


def content_of(name, bomb):
    _fmt, content, *_rest = CASES[name]
    if name == "zip-bomb":
        return bomb
    return content if content is not None else MAKERS[name]()


@pytest.mark.parametrize("name", list(CASES))
def test_staff_page_answers_4xx_with_the_errors_and_imports_nothing(staff_client, bomb, name):
    fmt, _content, status, _code, (row, column) = CASES[name]
    before = snapshot()
    response = staff_client.post(
        PAGE, {"format": fmt, "file": SimpleUploadedFile(f"c.{fmt}", content_of(name, bomb))}
    )
    page = response.content.decode()
    assert response.status_code == status
    assert 'data-testid="import-errors"' in page
    assert f"<td>{row}</td><td>{column}</td>" in page
    assert len(response.content) < 200_000
    assert snapshot() == before


@pytest.mark.parametrize("name", list(CASES))
def test_api_answers_4xx_with_the_errors_and_imports_nothing(client, staff_token, bomb, name):
    fmt, _content, status, code, (row, column) = CASES[name]
    before = snapshot()
    response = client.post(
        f"/api/v1/catalog/import?format={fmt}",
        {"file": SimpleUploadedFile(f"c.{fmt}", content_of(name, bomb))},
        HTTP_AUTHORIZATION=f"Bearer {staff_token}",
    )
    body = response.json()
    assert response.status_code == status and body["code"] == code
    assert (body["errors"][0]["row"], body["errors"][0]["column"]) == (row, column)
    assert snapshot() == before


def test_api_answer_lists_100_errors_then_counts_the_rest(client, staff_token):
    table = csv_table(catalog_export("csv"))
    row = list(table[1])
    row[COLUMNS.index("sdgs")] = "abc"
    response = client.post(
        "/api/v1/catalog/import?format=csv",
        {"file": SimpleUploadedFile("c.csv", csv_bytes([table[0]] + [row] * 500))},
        HTTP_AUTHORIZATION=f"Bearer {staff_token}",
    )
    errors = response.json()["errors"]
    assert response.status_code == 400 and len(errors) == MAX_ERRORS_LISTED + 1
    assert errors[-1]["row"] == "…" and "400" in errors[-1]["message"]
    assert len(response.content) < 100_000


def test_a_file_over_5_mb_is_read_no_further(client, staff_token):
    response = client.post(
        "/api/v1/catalog/import?format=csv",
        {"file": SimpleUploadedFile("c.csv", b"code\n" + b"x" * (6 * 1024 * 1024))},
        HTTP_AUTHORIZATION=f"Bearer {staff_token}",
    )
    assert response.status_code == 413 and response.json()["code"] == "catalog_import_too_large"
