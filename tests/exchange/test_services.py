"""Catalog export and import (issue 3): JSON, CSV and XLSX round trips, all-or-nothing imports."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kwamdee.catalog.errors import CatalogImportInvalid
from kwamdee.catalog.models import Category, DeedType, Indicator, RuleVersion, Sdg, Virtue
from kwamdee.catalog.selectors import rule_in_force
from kwamdee.catalog.services import FIRST_RULE_DATE, catalog_load_default
from kwamdee.catalog.validation import COLUMNS
from kwamdee.common.errors import PermissionDenied
from kwamdee.common.models import AuditEvent
from kwamdee.common.roles import role_grant
from kwamdee.exchange.services import catalog_export, catalog_import
from kwamdee.people.models import User
from tests.factories import SYSTEM, make_person

DEED_TYPES = 34  # in the default catalog (docs/catalog.md)
INDICATORS = 101

# --- helpers ----------------------------------------------------------------------------------


@pytest.fixture
def default_catalog(db):
    catalog_load_default(actor=SYSTEM)


@pytest.fixture
def staff(db):
    person = make_person(name="เจ้าหน้าที่ ส่วนกลาง")
    role_grant(actor=SYSTEM, person=person, role="staff")
    return User.objects.get(pk=person.pk)


def snapshot():
    """Everything an import could change."""
    return {
        "json": catalog_export("json"),
        "csv": catalog_export("csv"),
        "counts": (
            Virtue.objects.count(),
            Sdg.objects.count(),
            Category.objects.count(),
            DeedType.objects.count(),
            Indicator.objects.count(),
            RuleVersion.objects.count(),
        ),
        "stamps": dict(DeedType.objects.values_list("code", "updated_at")),
        "rules": list(RuleVersion.objects.order_by("id").values_list("id", "version", "effective_from")),
        "imports": AuditEvent.objects.filter(event_type="catalog:import").count(),
    }


def csv_table(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def csv_bytes(table: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    return buffer.getvalue().encode("utf-8")


def sheets(content: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def pairs(exc) -> list[tuple]:
    return sorted((row, column) for row, column, _message in exc.errors)


# --- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "unchanged"), [("json", 5 + 17 + 8 + DEED_TYPES), ("csv", DEED_TYPES),
                                                ("xlsx", 8 + DEED_TYPES)])  # fmt: skip
def test_export_then_import_changes_nothing(default_catalog, staff, fmt, unchanged):
    # given the default catalog and its export
    before = snapshot()
    exported = catalog_export(fmt)

    # when the export is imported back
    summary = catalog_import(actor=staff, fmt=fmt, content=exported)

    # then nothing was created or updated, and every export reads the same
    assert summary == {"created": 0, "updated": 0, "unchanged": unchanged}
    assert snapshot() == before
    if fmt == "xlsx":
        assert sheets(catalog_export("xlsx")) == sheets(exported)
    else:
        assert catalog_export(fmt) == exported


def test_xlsx_export_has_categories_and_deed_types_sheets(default_catalog):
    book = sheets(catalog_export("xlsx"))
    assert list(book) == ["categories", "deed_types"]
    assert list(book["deed_types"][0]) == COLUMNS
    assert len(book["deed_types"]) == 1 + DEED_TYPES
    assert len(book["categories"]) == 1 + 8


def test_json_export_recreates_an_empty_catalog(default_catalog, staff):
    # given the JSON export of the default catalog, and then an empty catalog
    exported = catalog_export("json")
    DeedType.objects.all().delete()
    Category.objects.all().delete()
    Virtue.objects.all().delete()
    Sdg.objects.all().delete()
    assert not Indicator.objects.exists() and not RuleVersion.objects.exists()

    # when the export is imported
    summary = catalog_import(actor=staff, fmt="json", content=exported)

    # then the same catalog is back
    assert summary == {"created": 5 + 17 + 8 + DEED_TYPES, "updated": 0, "unchanged": 0}
    assert DeedType.objects.count() == DEED_TYPES
    assert Indicator.objects.count() == INDICATORS
    assert RuleVersion.objects.count() == DEED_TYPES
    assert catalog_export("json") == exported


def test_citizen_cannot_import(default_catalog):
    citizen = make_person(name="ประชาชน")
    before = snapshot()
    with pytest.raises(PermissionDenied):
        catalog_import(actor=citizen, fmt="csv", content=catalog_export("csv"))
    assert snapshot() == before


# --- invalid files change nothing ---------------------------------------------------------------


def test_csv_with_two_bad_rows_names_them_and_imports_nothing(default_catalog, staff):
    # given the exported CSV with one good change (row 5) and two bad rows (11 and 21);
    # CSV row numbers count the header as row 1
    before = snapshot()
    table = csv_table(before["csv"])
    col = {name: COLUMNS.index(name) for name in COLUMNS}
    good_code = table[4][col["code"]]
    table[4][col["name_th"]] = "ชื่อใหม่ที่ไม่ควรถูกบันทึก"
    table[10][col["virtues"]] = "honesty=0.5"  # weights add up to 0.5
    table[20][col["sdgs"]] = "18"

    # when it is imported
    with pytest.raises(CatalogImportInvalid) as exc:
        catalog_import(actor=staff, fmt="csv", content=csv_bytes(table))

    # then exactly those rows and columns are named, and nothing changed
    assert pairs(exc.value) == [(11, "virtues"), (21, "sdgs")]
    assert snapshot() == before
    assert DeedType.objects.get(code=good_code).name_th != "ชื่อใหม่ที่ไม่ควรถูกบันทึก"


def test_xlsx_with_two_bad_rows_names_them_and_imports_nothing(default_catalog, staff):
    # given the exported workbook edited with openpyxl: a good change in row 5 (with a number
    # typed as a number), bad virtues in row 11 and a bad SDG in row 21
    before = snapshot()
    workbook = load_workbook(io.BytesIO(catalog_export("xlsx")))
    sheet = workbook["deed_types"]
    col = {name: COLUMNS.index(name) + 1 for name in COLUMNS}
    good_code = sheet.cell(row=5, column=col["code"]).value
    sheet.cell(row=5, column=col["name_th"]).value = "ชื่อใหม่ที่ไม่ควรถูกบันทึก"
    sheet.cell(row=5, column=col["credit_per_unit"]).value = int(
        sheet.cell(row=5, column=col["credit_per_unit"]).value
    )
    sheet.cell(row=11, column=col["virtues"]).value = "honesty=0.5"
    sheet.cell(row=21, column=col["sdgs"]).value = "18"
    buffer = io.BytesIO()
    workbook.save(buffer)

    # when it is imported
    with pytest.raises(CatalogImportInvalid) as exc:
        catalog_import(actor=staff, fmt="xlsx", content=buffer.getvalue())

    # then exactly those rows and columns are named, and nothing changed
    assert pairs(exc.value) == [(11, "virtues"), (21, "sdgs")]
    assert snapshot() == before
    assert DeedType.objects.get(code=good_code).name_th != "ชื่อใหม่ที่ไม่ควรถูกบันทึก"


def test_json_with_two_bad_deed_types_names_them_and_imports_nothing(default_catalog, staff):
    before = snapshot()
    document = json.loads(before["json"])
    good_code = document["deed_types"][4]["code"]
    document["deed_types"][4]["name_th"] = "ชื่อใหม่ที่ไม่ควรถูกบันทึก"
    document["deed_types"][9]["virtues"] = {"honesty": 0.5}
    document["deed_types"][19]["sdgs"] = ["18"]
    content = json.dumps(document, ensure_ascii=False).encode("utf-8")

    with pytest.raises(CatalogImportInvalid) as exc:
        catalog_import(actor=staff, fmt="json", content=content)

    assert pairs(exc.value) == [(10, "virtues"), (20, "sdgs")]
    assert snapshot() == before
    assert DeedType.objects.get(code=good_code).name_th != "ชื่อใหม่ที่ไม่ควรถูกบันทึก"


def test_duplicate_code_in_one_file_is_an_error(default_catalog, staff):
    before = snapshot()
    table = csv_table(before["csv"])
    duplicate = list(table[3])
    duplicate[COLUMNS.index("name_th")] = "ซ้ำ"
    table.append(duplicate)  # CSV row 36

    with pytest.raises(CatalogImportInvalid) as exc:
        catalog_import(actor=staff, fmt="csv", content=csv_bytes(table))

    assert (36, "code") in pairs(exc.value)
    assert {row for row, _column in pairs(exc.value)} == {36}
    assert snapshot() == before


def test_unknown_column_is_an_error(default_catalog, staff):
    before = snapshot()
    table = csv_table(before["csv"])
    table[0].append("colour")
    for row in table[1:]:
        row.append("red")

    with pytest.raises(CatalogImportInvalid) as exc:
        catalog_import(actor=staff, fmt="csv", content=csv_bytes(table))

    assert pairs(exc.value) == [(1, "colour")]
    assert snapshot() == before


def test_not_a_catalog_file_is_an_error(default_catalog, staff):
    before = snapshot()
    for fmt, content in (("json", b"{not json"), ("json", b'{"format": "other"}'), ("xlsx", b"not a zip")):
        with pytest.raises(CatalogImportInvalid) as exc:
            catalog_import(actor=staff, fmt=fmt, content=content)
        assert exc.value.errors and exc.value.errors[0][0] == 1
    assert snapshot() == before


def test_indicator_code_of_a_deed_type_outside_the_file_is_a_row_error(default_catalog, staff):
    # given a CSV of one new deed type reusing the indicator codes of an existing one
    before = snapshot()
    table = csv_table(before["csv"])
    new = list(table[3])
    new[COLUMNS.index("code")] = "brand-new-type"

    # when it is imported, then row 2's indicators are named and nothing changed
    with pytest.raises(CatalogImportInvalid) as exc:
        catalog_import(actor=staff, fmt="csv", content=csv_bytes([table[0], new]))
    assert pairs(exc.value) == [(2, "indicators")]
    assert snapshot() == before


# --- changing a rule by import ------------------------------------------------------------------


def points_changed(csv_content: bytes, code: str, points: str, effective_from: str):
    table = csv_table(csv_content)
    col = {name: COLUMNS.index(name) for name in COLUMNS}
    row = next(r for r in table[1:] if r[col["code"]] == code)
    row[col["points_per_unit"]] = points
    row[col["effective_from"]] = effective_from
    return csv_bytes(table)


def test_import_changing_points_adds_one_rule_version_from_today(default_catalog, staff):
    # given the exported CSV with the points of one deed type changed and its date left blank
    before = snapshot()
    content = points_changed(before["csv"], "returning-lost-property", "25", "")
    deed_type = DeedType.objects.get(code="returning-lost-property")

    # when it is imported
    summary = catalog_import(actor=staff, fmt="csv", content=content)

    # then one new national rule version from today, and nothing else changed
    assert summary == {"created": 0, "updated": 1, "unchanged": DEED_TYPES - 1}
    assert RuleVersion.objects.count() == before["counts"][5] + 1
    new = RuleVersion.objects.exclude(pk__in=[r[0] for r in before["rules"]]).get()
    old = deed_type.rule_versions.get(version=1)
    assert (new.deed_type, new.version, new.community) == (deed_type, 2, None)
    assert (new.effective_from, new.points_per_unit, new.created_by) == (timezone.localdate(), 25, staff)
    limits = ("credit_per_unit", "per_day", "per_week", "per_month", "per_year", "cooldown_days")
    assert [getattr(new, f) for f in limits] == [getattr(old, f) for f in limits]
    assert dict(DeedType.objects.values_list("code", "updated_at")) == before["stamps"]
    after = csv_table(catalog_export("csv"))
    col = COLUMNS.index
    expected = csv_table(before["csv"])
    changed_row = next(r for r in expected if r[0] == "returning-lost-property")
    changed_row[col("points_per_unit")] = "25"
    changed_row[col("effective_from")] = timezone.localdate().isoformat()
    assert after == expected
    imports = list(AuditEvent.objects.filter(event_type="catalog:import").order_by("id"))
    assert len(imports) == before["imports"] + 1
    event = imports[-1]
    assert event.actor == staff and event.data["updated"] == 1 and event.data["source"] == "csv"


def test_import_changing_points_from_a_future_date(default_catalog, staff):
    start = timezone.localdate() + timedelta(days=14)
    before = snapshot()
    content = points_changed(before["csv"], "returning-lost-property", "25", start.isoformat())

    summary = catalog_import(actor=staff, fmt="csv", content=content)

    assert summary["updated"] == 1 and summary["created"] == 0
    deed_type = DeedType.objects.get(code="returning-lost-property")
    assert list(deed_type.rule_versions.values_list("version", "effective_from", "points_per_unit")) == [
        (2, start, 25),
        (1, FIRST_RULE_DATE, 20),
    ]
    assert rule_in_force(deed_type, timezone.localdate()).version == 1
    assert rule_in_force(deed_type, start).version == 2


def test_import_changing_points_from_a_past_date_is_refused(default_catalog, staff):
    # the exported row keeps its rule's first date (2020-01-01): a changed rule cannot start then
    before = snapshot()
    table = csv_table(before["csv"])
    row_number = next(n for n, r in enumerate(table, start=1) if r[0] == "returning-lost-property")
    content = points_changed(before["csv"], "returning-lost-property", "25", "2020-01-01")

    with pytest.raises(CatalogImportInvalid) as exc:
        catalog_import(actor=staff, fmt="csv", content=content)

    assert pairs(exc.value) == [(row_number, "effective_from")]
    assert snapshot() == before
