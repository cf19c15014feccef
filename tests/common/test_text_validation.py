"""The one text check for what people write (kwamdee/common/text_validation.py): refused, never
changed; Thai, zero-width spaces and emoji sequences pass exactly as typed."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kwamdee.common.text_validation import (
    MAX_MARKS_IN_A_ROW,
    MAX_TEXT_CHARS,
    text_fields_problems,
    text_problems,
    validate_multiline_text,
    validate_plain_text,
)

# Legitimate text that must pass byte for byte.
THAI_WITH_MARKS = "ช่วยเหลือผู้สูงอายุข้ามถนน กี้ ปู่ น้ำ ก๊วยเตี๋ยว"  # vowels above/below with tone marks
THAI_WITH_ZWSP = "ปลูก\u200bต้นไม้\u200bริม\u200bคลอง"  # zero-width spaces between Thai words
FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # a family: four people joined by ZWJ
KEYCAP = "1\ufe0f\u20e3"  # a keycap: digit, variation selector, enclosing keycap (two marks)
RAINBOW_FLAG = "🏳\ufe0f\u200d🌈"
SKIN_TONE = "👍🏽"
LEGITIMATE = [
    THAI_WITH_MARKS,
    THAI_WITH_ZWSP,
    f"ครอบครัว {FAMILY} {RAINBOW_FLAG} {SKIN_TONE} {KEYCAP}",
    "مرحبا and \u200fRLM",  # right-to-left text and marks (marks, not overrides)
    "Tiếng Việt",  # precomposed
    "Tie\u0302\u0301ng Vie\u0323\u0302t",  # Vietnamese typed as separate marks (two on a letter)
    "กี่\u0e48",  # a tone mark typed twice on a letter with a vowel: three marks, a slip allowed
    "",
]


@pytest.mark.parametrize("value", LEGITIMATE)
def test_legitimate_text_passes_unchanged(value):
    assert text_problems(value) == []
    assert text_problems(value, multiline=True) == []
    validate_plain_text(value)
    validate_multiline_text(value)


@pytest.mark.parametrize(
    "value",
    ["a\x00b", "a\x07", "a\x1b[31m", "a\x7f", "a\x85b", "a\x9b", "ชั่วโมง \u202e42", "a\u2066b\u2069", "a\tb",
     "a\nb", "a\rb", "a\u2028b", "a\u202ab\u202c"],
)  # fmt: skip
def test_control_characters_and_direction_overrides_are_refused_in_one_line_text(value):
    assert text_problems(value)
    with pytest.raises(ValidationError) as exc:
        validate_plain_text(value)
    assert {error.code for error in exc.value.error_list} == {"invalid_text"}


@pytest.mark.parametrize("value", ["ดี\u202eค่ะ", "a\u2067b\u2069", "a\x00"])
def test_direction_overrides_are_refused_in_multiline_text_too(value):
    with pytest.raises(ValidationError):
        validate_multiline_text(value)


def test_tab_and_newlines_are_allowed_where_text_has_several_lines():
    assert text_problems("one\ntwo\r\nthree\tfour", multiline=True) == []
    validate_multiline_text("one\ntwo")
    assert text_problems("one\rtwo", multiline=True)  # a lone carriage return is not a line end
    assert text_problems("one\x0btwo", multiline=True)


@pytest.mark.parametrize(
    "value",
    ["\u200b", "\u200b\u200b\u200b", " \u200c\u200d ", "\ufeff", "\u2060", "\u00ad", "\u3164", "\u2800",
     "\u0e48\u0e49", "\n\u200b\n", "\u200e"],
)  # fmt: skip
def test_text_with_nothing_to_see_is_refused(value):
    with translation.override("en"):
        problems = [str(p) for p in text_problems(value, multiline=True)]
    assert any("invisible characters" in p for p in problems), problems


def test_marks_stacked_on_one_letter_beyond_thai_needs_are_refused():
    at_the_limit = "ก" + "\u0e34\u0e48\u0e48"[:MAX_MARKS_IN_A_ROW]
    assert text_problems(at_the_limit) == []
    zalgo = "ก" + "\u0e48" * (MAX_MARKS_IN_A_ROW + 1)
    with translation.override("en"):
        assert [str(p) for p in text_problems(zalgo)] == [
            f"Too many marks are stacked on one letter (character {MAX_MARKS_IN_A_ROW + 2}). "
            "Type each vowel and tone mark once."
        ]
    assert text_problems("H" + "\u0301\u0300\u0302\u0303\u0304" * 4 + "ello")  # Latin "Zalgo"
    # zero-width joiners between the marks do not make a new letter
    assert text_problems("ก" + "\u0e48\u200d" * (MAX_MARKS_IN_A_ROW + 1))


def test_the_error_names_the_character_and_where_it_is():
    with translation.override("en"):
        assert [str(e) for e in text_problems("ab\x07")] == [
            "Remove the invisible control character U+0007 (character 3)."
        ]
    with translation.override("th"):
        assert "U+202E" in str(text_problems("ก\u202e")[0])
        assert (
            str(text_problems("ก\u202e")[0]) != "Remove the invisible control character U+202E (character 2)."
        )


def test_text_is_at_most_max_chars():
    assert text_problems("ก" * MAX_TEXT_CHARS) == []
    assert len(text_problems("ก" * (MAX_TEXT_CHARS + 1))) == 1
    assert len(text_problems("กขค", max_chars=2)) == 1


def test_fields_are_checked_at_once_by_name():
    problems = text_fields_problems(
        {"name_th": "ดี", "name_en": "x\u202e", "description": "one\ntwo", "note": "\u200b"},
        multiline={"description", "note"},
    )
    assert set(problems) == {"name_en", "note"}
    assert text_fields_problems({"name": "abc"}, max_chars={"name": 2})
