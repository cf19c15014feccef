"""The catalog's text and colour validators (kwamdee/catalog/validation.py), used by imports and
available to any form: colours are exactly #rrggbb, text holds no control characters."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kwamdee.catalog.validation import (
    MAX_CELL_CHARS,
    catalog_document_errors,
    color_is_valid,
    deed_type_row_clean,
    text_errors,
    validate_color,
    validate_multiline_text,
    validate_plain_text,
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


@pytest.mark.parametrize(
    "value",
    [
        "ช่วยเหลือผู้สูงอายุข้ามถนน",  # Thai with its tone and vowel marks
        "ก\u200bข",  # a zero-width space between Thai words
        "👩\u200d👩\u200d👧 family",  # an emoji sequence joined by ZWJ
        "مرحبا and \u200fRLM",  # right-to-left text and marks (not overrides)
        "",
    ],
)
def test_ordinary_text_passes_unchanged(value):
    assert text_errors(value) == []
    validate_plain_text(value)


@pytest.mark.parametrize(
    "value",
    ["a\x00b", "a\x07", "a\x1b[31m", "a\x7f", "a\x85b", "a\x9b", "ชั่วโมง \u202e42", "a\u2066b\u2069", "a\tb",
     "a\nb", "a\rb"],
)  # fmt: skip
def test_control_characters_are_refused_in_one_line_text(value):
    assert text_errors(value)
    with pytest.raises(ValidationError):
        validate_plain_text(value)


def test_tab_and_newlines_are_allowed_where_text_has_several_lines():
    assert text_errors("one\ntwo\r\nthree\tfour", multiline=True) == []
    validate_multiline_text("one\ntwo")
    assert text_errors("one\rtwo", multiline=True)  # a lone carriage return is not a line end
    assert text_errors("one\x0btwo", multiline=True)


def test_the_error_names_the_character_and_where_it_is():
    with translation.override("en"):
        assert [str(e) for e in text_errors("ab\x07")] == [
            "Remove the invisible control character U+0007 (character 3)."
        ]


def test_text_is_at_most_max_cell_chars():
    assert text_errors("ก" * MAX_CELL_CHARS) == []
    assert len(text_errors("ก" * (MAX_CELL_CHARS + 1))) == 1


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
