"""The catalog's colour validator and its cleaning of rows and documents (kwamdee/catalog/validation.py):
colours are exactly #rrggbb; text goes through the project's one text check, whose own tests are in
tests/common/test_text_validation.py."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kwamdee.catalog.validation import (
    MAX_CELL_CHARS,
    catalog_document_errors,
    color_is_valid,
    deed_type_row_clean,
    validate_color,
)


@pytest.mark.parametrize("value", ["#E5243B", "#e5243b", "#000000", "#FfFfFf"])
def test_colours_of_six_hex_digits_are_valid(value):
    assert color_is_valid(value)
    validate_color(value)


@pytest.mark.parametrize(
    "value",
    [
        "red;background-image:url(https://attacker.example/t.png)",
        "red",
        "#FFF",
        "#E5243B;",
        "#E5243B\n",
        " #E5243B",
        "#E5243G",
        "#E5243B00",
        "",
        None,
        0xE5243B,
    ],
)
def test_anything_else_is_not_a_colour(value):
    assert not color_is_valid(value)
    with pytest.raises(ValidationError) as exc:
        validate_color(value)
    assert exc.value.code == "invalid_color"


ROW = {
    "code": "canal-cleanup", "name_th": "ลอกคลอง", "name_en": "Canal cleanup", "pricing": "per_deed",
    "credit_per_unit": "5", "points_per_unit": "5", "virtues": "volunteerism=1", "sdgs": "6",
    "description_th": "บรรทัดแรก\nบรรทัดสอง",
}  # fmt: skip


def clean(**changes):
    return deed_type_row_clean({**ROW, **changes}, categories=set(), virtues={"volunteerism"})


def test_a_valid_row_is_clean():
    _clean, errors = clean()
    assert errors == {}


@pytest.mark.parametrize(
    ("column", "value", "message_part"),
    [
        ("name_th", ["a", "list"], "single value"),
        ("name_en", {"an": "object"}, "single value"),
        ("virtues", ["volunteerism"], "wrong shape"),
        ("sdgs", [str(n) for n in range(200)], "At most"),
        ("name_en", "Canal\x00", "control character"),
        ("description_en", "x" * (MAX_CELL_CHARS + 1), "At most"),
    ],
)
def test_values_of_the_wrong_shape_or_text_are_errors_of_their_column_only(column, value, message_part):
    with translation.override("en"):
        _clean, errors = clean(**{column: value})
        assert list(errors) == [column]
        assert message_part in str(errors[column][0]) and len(errors[column]) == 1


def test_a_document_names_each_bad_sdg_virtue_and_category():
    errors = catalog_document_errors(
        {
            "virtues": [{"code": "ok", "name_th": "ก", "name_en": "x\u202e"}],
            "sdgs": [{"number": "abc", "name_th": "ก", "name_en": "x", "color": "red"}, "not an object"],
            "categories": [{"code": "Bad Code", "name_th": " ", "name_en": "x", "description_en": "a\x01"}],
            "deed_types": [dict(ROW, virtues="ok=1")],
        },
        virtues=set(),
        categories=set(),
    )
    assert [(row, column) for row, column, _m in errors] == [
        ("virtues 1", "name_en"),
        ("sdgs 1", "number"),
        ("sdgs 1", "color"),
        ("sdgs 2", "sdgs"),
        ("categories 1", "code"),
        ("categories 1", "description_en"),
        ("categories 1", "name_th"),
    ]
