"""The API's input checks answer in our own words, in the client's language, and say what to do:
never pydantic's English ("Input should be a finite number", "Field required")."""

import json
import re
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Literal
from uuid import UUID

import pytest
from django.utils import translation
from pydantic import BaseModel, ConfigDict, Field, Json, ValidationError

from kwamdee.api.errors import MESSAGES, error_message
from tests.api.test_api import token_for
from tests.factories import PASSWORD, days_ago

THAI = re.compile(r"[\u0e00-\u0e7f]")
# Words of pydantic's own messages: none may reach a client, in either language.
PYDANTIC_ENGLISH = [
    "Input should",
    "Field required",
    "String should",
    "List should",
    "UUID input",
    "Decimal input",
    "Value error",
    "valid decimal",
    "finite number",
    "valid UUID",
    "unable to",
    "Extra inputs",
]

FINITE_TH = "กรุณากรอกตัวเลขธรรมดา เช่น 2 หรือ 1.5 (ใช้ NaN หรือค่าอนันต์ไม่ได้)"
FINITE_EN = "Enter an ordinary number, such as 2 or 1.5 (not NaN or infinity)."
NUMBER_TH = "กรุณากรอกเป็นตัวเลข เช่น 2 หรือ 1.5"
NUMBER_EN = "Enter a number, such as 2 or 1.5."
UUID_TH = "รหัสนี้ไม่ถูกต้อง กรุณาคัดลอกรหัสมาใหม่ให้ตรงทุกตัวอักษร (รหัสมีหน้าตาแบบนี้ 123e4567-e89b-12d3-a456-426614174000)"
UUID_EN = (
    "This id is not valid: copy it again exactly as it was given "
    "(it looks like 123e4567-e89b-12d3-a456-426614174000)."
)
MISSING_TH = "ต้องมีข้อมูลนี้ กรุณากรอกแล้วส่งอีกครั้ง"
MISSING_EN = "This is needed: fill it in and send it again."


def send(client, method, url, *, token=None, body=None, raw=None, language=None):
    headers = {}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    if method == "get":
        return client.get(url, **headers)
    data = raw if raw is not None else json.dumps(body, default=str)
    return client.post(url, data=data, content_type="application/json", **headers)


def fields_of(response):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_failed"
    text = json.dumps(body, ensure_ascii=False)
    for words in PYDANTIC_ENGLISH:
        assert words not in text, (words, text)
    return body["fields"]


@pytest.fixture
def token(client, citizen):
    return token_for(client, citizen.phone)


@pytest.fixture
def deed_body(deed_types):
    return {
        "deed_type": str(deed_types["volunteer-hours"].public_id),
        "performed_on": days_ago(1),
        "description": "สอนหนังสือเด็ก",
        "quantity": 2,
    }


@pytest.mark.parametrize(
    ("language", "finite", "number"),
    [("th", FINITE_TH, NUMBER_TH), ("en", FINITE_EN, NUMBER_EN)],
    ids=["th", "en"],
)
def test_a_number_that_is_not_finite_or_not_a_number(client, token, deed_body, language, finite, number):
    nan = send(client, "post", "/api/v1/deeds", token=token, body=deed_body | {"quantity": "NaN"},
               language=language)  # fmt: skip
    assert fields_of(nan) == {"quantity": [number]}  # a string is never read as a number
    # JSON's own NaN and Infinity literals, which Python's parser lets through.
    raw = json.dumps(deed_body, default=str).replace('"quantity": 2', '"quantity": Infinity')
    assert fields_of(send(client, "post", "/api/v1/deeds", token=token, raw=raw, language=language)) == {
        "quantity": [finite]
    }
    bad = send(client, "post", "/api/v1/deeds", token=token, body=deed_body | {"quantity": "two"},
               language=language)  # fmt: skip
    assert fields_of(bad) == {"quantity": [number]}


@pytest.mark.parametrize(("language", "expected"), [("th", UUID_TH), ("en", UUID_EN)], ids=["th", "en"])
def test_a_bad_uuid_in_the_body_and_in_the_path(client, token, deed_body, language, expected):
    body = send(client, "post", "/api/v1/deeds", token=token, body=deed_body | {"deed_type": "nope"},
                language=language)  # fmt: skip
    assert fields_of(body) == {"deed_type": [expected]}
    path = send(client, "get", "/api/v1/deeds/not-a-uuid", token=token, language=language)
    assert fields_of(path) == {"public_id": [expected]}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("th", "ใส่ได้ไม่เกิน 100 ตัวอักษร กรุณาตัดให้สั้นลงแล้วส่งอีกครั้ง"),
        ("en", "Use at most 100 characters: shorten it and send it again."),
    ],
    ids=["th", "en"],
)
def test_a_string_that_is_too_long(client, deed_types, language, expected):
    response = send(client, "get", "/api/v1/catalog/deed-types?q=" + "ก" * 101, language=language)
    assert fields_of(response) == {"q": [expected]}


@pytest.mark.parametrize(("language", "expected"), [("th", MISSING_TH), ("en", MISSING_EN)], ids=["th", "en"])
def test_missing_fields_are_named_each(client, token, language, expected):
    response = send(client, "post", "/api/v1/deeds", token=token, body={}, language=language)
    assert fields_of(response) == {
        "deed_type": [expected],
        "performed_on": [expected],
        "description": [expected],
    }


def test_more_kinds_of_mistake_in_thai(client, token, deed_body, deed_types):
    date_and_text = send(client, "post", "/api/v1/deeds", token=token,
                         body=deed_body | {"performed_on": "2024-13-01", "description": 5})  # fmt: skip
    assert fields_of(date_and_text) == {
        "performed_on": ["กรุณากรอกวันที่ในรูปแบบ YYYY-MM-DD (ปี ค.ศ.)"],
        "description": ["ตรงนี้ต้องเป็นข้อความในเครื่องหมายคำพูด"],
    }
    empty = send(client, "post", "/api/v1/deeds/verify", token=token, body={"deeds": []})
    assert fields_of(empty) == {"deeds": ["ต้องส่งอย่างน้อย 1 รายการ กรุณาเพิ่มแล้วส่งอีกครั้ง"]}
    too_many = send(client, "post", "/api/v1/deeds/verify", token=token,
                    body={"deeds": [str(deed_types["volunteer-hours"].public_id)] * 201})  # fmt: skip
    assert fields_of(too_many) == {"deeds": ["ส่งได้ไม่เกิน 200 รายการ กรุณาเอาบางรายการออกแล้วส่งอีกครั้ง"]}
    sdg = send(client, "get", "/api/v1/catalog/deed-types?sdg=three")
    assert fields_of(sdg) == {"sdg": ["กรุณากรอกจำนวนเต็ม"]}
    consent = send(client, "post", "/api/v1/auth/signup",
                   body={"full_name": "ปิติ", "password": PASSWORD, "subdistrict_code": "710911",
                         "consent": "maybe", "phone": "0812223344"})  # fmt: skip
    assert fields_of(consent) == {"consent": ["กรุณาตอบ true (ใช่) หรือ false (ไม่ใช่)"]}


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        (None, UUID_TH),  # Thai first: a client that names no language gets Thai
        ("th-TH,th;q=0.9,en;q=0.8", UUID_TH),
        ("en-US,en;q=0.9", UUID_EN),
        ("fr-FR", UUID_TH),  # a language the site does not speak: Thai
    ],
    ids=["none", "th-TH", "en-US", "fr-FR"],
)
def test_the_language_follows_accept_language(client, token, accept_language, expected):
    response = send(client, "get", "/api/v1/deeds/not-a-uuid", token=token, language=accept_language)
    assert fields_of(response) == {"public_id": [expected]}


def test_the_language_cookie_wins_over_accept_language(client, token):
    client.cookies["django_language"] = "th"
    response = send(client, "get", "/api/v1/deeds/not-a-uuid", token=token, language="en")
    assert fields_of(response) == {"public_id": [UUID_TH]}


# --- the mapping itself, fed by real pydantic errors ----------------------------------------------


class Colour(Enum):
    RED = "red"
    GREEN = "green"


class Inner(BaseModel):
    x: int


class Probe(BaseModel):
    """One field for each kind of mistake the mapping names."""

    model_config = ConfigDict(extra="forbid")

    needed: str
    short: str = Field(max_length=3)
    filled: str = Field(min_length=1)
    long_enough: str = Field(min_length=3)
    few: list[int] = Field(max_length=2)
    some: list[int] = Field(min_length=1)
    whole: int
    whole_type: int
    real: float
    amount: Decimal
    amount_type: Decimal
    finite: Decimal
    digits: Decimal = Field(max_digits=4, decimal_places=2)
    places: Decimal = Field(max_digits=8, decimal_places=2)
    before_point: Decimal = Field(max_digits=4, decimal_places=2)
    ident: UUID
    ident_type: UUID
    day: date
    day_from_datetime: date
    moment: datetime
    flag: bool
    above: int = Field(gt=0)
    at_least: int = Field(ge=1)
    below: int = Field(lt=10)
    at_most: int = Field(le=10)
    kind: Literal["json", "csv", "xlsx"]
    colour: Colour
    blob: Json[int]
    inner: Inner
    mapping: dict[str, int]
    items: list[int]
    text: str


BAD_PROBE = {
    "short": "abcd", "filled": "", "long_enough": "ab", "few": [1, 2, 3], "some": [],
    "whole": "twelve", "whole_type": [1], "real": "x", "amount": "x", "amount_type": [1],
    "finite": "NaN", "digits": "12345", "places": "1.234", "before_point": "123.4",
    "ident": "nope", "ident_type": 5, "day": "2024-13-01", "day_from_datetime": "2024-01-01T10:20:00",
    "moment": "soon", "flag": "maybe", "above": 0, "at_least": 0, "below": 10, "at_most": 11,
    "kind": "pdf", "colour": "blue", "blob": "{not json", "inner": 5, "mapping": 5, "items": 5,
    "text": 5, "unexpected": 1,
}  # fmt: skip

# The kinds BAD_PROBE brings out, each mapped to a message of ours (not the general one).
PROBED_TYPES = {
    "missing", "string_too_long", "string_too_short", "too_long", "too_short", "int_parsing", "int_type",
    "float_parsing", "finite_number", "decimal_parsing", "decimal_type", "decimal_max_digits",
    "decimal_max_places", "decimal_whole_digits", "uuid_parsing", "uuid_type",
    "date_from_datetime_parsing", "date_from_datetime_inexact", "datetime_from_date_parsing",
    "bool_parsing", "greater_than", "greater_than_equal", "less_than", "less_than_equal",
    "literal_error", "enum", "json_invalid", "model_type", "dict_type", "list_type", "string_type",
    "extra_forbidden",
}  # fmt: skip
# And every kind issue 8 names, some of which a probe cannot bring out on its own.
ISSUE_TYPES = {
    "missing", "string_too_long", "string_too_short", "too_long", "int_parsing", "int_type",
    "float_parsing", "finite_number", "decimal_parsing", "decimal_type", "decimal_max_digits",
    "decimal_max_places", "decimal_whole_digits", "uuid_parsing", "uuid_type", "date_parsing",
    "date_from_datetime_parsing", "bool_parsing", "greater_than", "greater_than_equal", "less_than",
    "less_than_equal", "literal_error", "enum", "json_invalid", "model_attributes_type", "dict_type",
    "list_type", "value_error", "extra_forbidden", "string_type", "too_short",
}  # fmt: skip


def probe_errors():
    with pytest.raises(ValidationError) as caught:
        Probe.model_validate(BAD_PROBE)
    return caught.value.errors(include_url=False)


def test_every_kind_of_mistake_has_a_thai_and_an_english_message_of_ours():
    errors = probe_errors()
    seen = {e["type"] for e in errors}
    assert seen >= PROBED_TYPES, PROBED_TYPES - seen
    assert ISSUE_TYPES <= MESSAGES.keys(), ISSUE_TYPES - MESSAGES.keys()
    generic = {}
    for language in ("th", "en"):
        with translation.override(language):
            generic[language] = error_message({"type": "no_such_kind"})
    for error in errors:
        assert error["type"] in MESSAGES, error["type"]
        with translation.override("th"):
            thai = error_message(error)
        with translation.override("en"):
            english = error_message(error)
        assert THAI.search(thai), (error["type"], thai)  # translated, not left in English
        assert not THAI.search(english), (error["type"], english)
        assert english != error["msg"], error["type"]
        assert thai != generic["th"] and english != generic["en"], error["type"]
        for words in PYDANTIC_ENGLISH:
            assert words not in english and words not in thai, (error["type"], words)


def test_constraint_values_reach_the_message():
    by_field = {e["loc"][0]: e for e in probe_errors()}
    with translation.override("en"):
        assert error_message(by_field["digits"]) == "Use at most 4 digits in all: enter a shorter number."
        assert error_message(by_field["places"]) == (
            "Use at most 2 digits after the decimal point: round the number and send it again."
        )
        assert error_message(by_field["before_point"]) == (
            "Use at most 2 digits before the decimal point: enter a smaller number."
        )
        assert (
            error_message(by_field["long_enough"])
            == "Use at least 3 characters: add to it and send it again."
        )
        assert error_message(by_field["filled"]) == "This cannot be empty: fill it in and send it again."
        assert error_message(by_field["above"]) == "Enter a number greater than 0."
        assert error_message(by_field["at_most"]) == "Enter a number of 10 or less."
        assert error_message(by_field["kind"]) == "Choose one of these: 'json', 'csv', 'xlsx'."
    with translation.override("th"):
        assert error_message(by_field["digits"]) == "ใส่ตัวเลขได้ไม่เกิน 4 หลักรวมกัน กรุณากรอกตัวเลขที่สั้นลง"
        assert error_message(by_field["at_least"]) == "กรุณากรอกตัวเลขตั้งแต่ 1 ขึ้นไป"
        assert error_message(by_field["kind"]) == "กรุณาเลือกหนึ่งอย่างจากนี้: 'json', 'csv', 'xlsx'"


@pytest.mark.parametrize(
    "error",
    [
        {"type": "url_parsing", "msg": "Input should be a valid URL", "ctx": {"error": "x"}},
        {"type": "value_error", "msg": "Value error, bad", "ctx": {"error": "bad"}},
        {"type": "string_too_long", "msg": "String should have at most 3 characters"},  # no ctx
        {"msg": "Input should be something"},  # no type at all
    ],
)
def test_other_mistakes_get_the_general_message_never_pydantics(error):
    with translation.override("th"):
        assert error_message(error) == "ข้อมูลนี้ไม่ถูกต้อง กรุณาตรวจสอบแล้วส่งอีกครั้ง"
    with translation.override("en"):
        assert error_message(error) == "This value is not valid: check it and send it again."


def test_a_number_sent_as_a_string_or_true_is_refused(client, token, deed_body):
    """Strict numbers (issue 9): "2" and true are not read as 2 and 1."""
    for value in ("2", True):
        answer = send(client, "post", "/api/v1/deeds", token=token, body=deed_body | {"quantity": value},
                      language="en")  # fmt: skip
        assert fields_of(answer) == {"quantity": [NUMBER_EN]}, value
