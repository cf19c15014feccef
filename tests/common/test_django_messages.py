"""Django's own validation messages, as people meet them on our forms, read in plain Thai that says
what to do (kwamdee/locale/th holds an entry under Django's exact msgid for each)."""

import json

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import translation

from kwamdee.deeds.forms import DeedForm
from kwamdee.exchange.forms import ImportForm
from kwamdee.rewards.forms import PledgeForm
from tests.factories import NONG_SARAI, days_ago

THAI_DIGITS_8 = "ตัวเลขยาวเกินไป ใส่ได้ไม่เกิน 8 หลักรวมกัน กรุณากรอกตัวเลขที่สั้นลง"
THAI_NO_SUCH_CHOICE = "สิ่งที่เลือกไม่มีในรายการ กรุณาเลือกใหม่จากรายการที่มีให้"


def errors_in(form, language):
    """The form's messages as a person reads them with the site in `language`."""
    with translation.override(language):
        form.is_valid()
        return {name: list(messages) for name, messages in form.errors.items()}


def deed_form(person, deed_types, **data):
    body = {
        "deed_type": str(deed_types["volunteer-hours"].public_id),
        "performed_on": days_ago(1).isoformat(),
        "description": "สอนหนังสือเด็ก",
        "quantity": "2",
    }
    return DeedForm(body | data, person=person)


def test_a_deed_too_long_and_too_large_reads_thai(citizen, deed_types):
    form = deed_form(citizen, deed_types, description="ก" * 10000, quantity="123456789.123")
    thai = errors_in(form, "th")
    assert thai == {
        "description": ["พิมพ์ได้ไม่เกิน 2000 ตัวอักษร (ตอนนี้มี 10000 ตัว) กรุณาตัดข้อความให้สั้นลง"],
        "quantity": [THAI_DIGITS_8],
    }
    with translation.override("th"):
        shown = str(form["description"].errors) + str(form["quantity"].errors)
    assert "ตอนนี้มี 10000 ตัว" in shown and "8 หลักรวมกัน" in shown
    assert "Ensure" not in shown

    # The English page has our plain English too (locale/en), saying what to do.
    english = errors_in(
        deed_form(citizen, deed_types, description="ก" * 10000, quantity="123456789.123"), "en"
    )
    assert english == {
        "description": ["Use at most 2000 characters (you typed 10000): please shorten it."],
        "quantity": ["Use at most 8 digits in all: enter a shorter number."],
    }


@pytest.mark.parametrize(
    ("field", "value", "thai"),
    [
        ("quantity", "1.234", "ใส่ทศนิยมได้ไม่เกิน 2 ตำแหน่ง กรุณาปัดเศษให้เหลือไม่เกิน 2 ตำแหน่ง"),
        ("quantity", "1234567.5", "ตัวเลขหน้าจุดทศนิยมใส่ได้ไม่เกิน 6 หลัก กรุณากรอกจำนวนที่น้อยลง"),
        ("quantity", "two", "กรุณากรอกเป็นตัวเลข เช่น 2 หรือ 1.5"),
        ("quantity", "NaN", "กรุณากรอกเป็นตัวเลข เช่น 2 หรือ 1.5"),
        # The deed type is chosen by its public id: Django's model UUIDField speaks first.
        ("deed_type", "not-a-uuid", "“not-a-uuid” ไม่ใช่รหัสที่ถูกต้อง กรุณาคัดลอกรหัสมาใหม่ให้ครบทุกตัว"),
        ("deed_type", "123e4567-e89b-12d3-a456-426614174000", THAI_NO_SUCH_CHOICE),
        ("performed_on", "31/31/2024", "วันที่ไม่ถูกต้อง กรุณาเลือกวันที่ใหม่อีกครั้ง"),
    ],
    ids=["places", "whole_digits", "not_a_number", "nan", "not_a_uuid", "unknown_uuid", "date"],
)
def test_each_mistake_on_the_deed_form_reads_thai(citizen, deed_types, field, value, thai):
    assert errors_in(deed_form(citizen, deed_types, **{field: value}), "th") == {field: [thai]}


def test_the_import_form_file_and_format(db):
    empty = ImportForm({"format": "json"}, {"file": SimpleUploadedFile("c.json", b"")})
    assert errors_in(empty, "th") == {"file": ["ไฟล์ที่ส่งมาไม่มีข้อมูลเลย กรุณาตรวจสอบไฟล์แล้วส่งใหม่"]}
    not_a_file = ImportForm({"format": "json"}, {"file": "c.json"})
    assert errors_in(not_a_file, "th") == {"file": ["ไม่ได้รับไฟล์ กรุณาเลือกไฟล์แล้วกดส่งอีกครั้ง"]}
    pdf = ImportForm({"format": "pdf"}, {"file": SimpleUploadedFile("c.json", b"{}")})
    assert errors_in(pdf, "th") == {"format": ["ไม่มี pdf ให้เลือก กรุณาเลือกจากรายการที่มีให้"]}


def test_the_pledge_form_limits(citizen, deed_types):
    form = PledgeForm(
        {"sponsor": "nope", "deed_type": "no-such-deed", "bonus_points": "5000", "budget_points": "0",
         "starts_on": days_ago(0).isoformat(), "ends_on": "soon"},
        person=citizen,
    )  # fmt: skip
    assert errors_in(form, "th") == {
        "sponsor": ["“nope” ไม่ใช่รหัสที่ถูกต้อง กรุณาคัดลอกรหัสมาใหม่ให้ครบทุกตัว"],
        "deed_type": [THAI_NO_SUCH_CHOICE],
        "bonus_points": ["กรุณากรอกตัวเลขไม่เกิน 1000"],
        "budget_points": ["กรุณากรอกตัวเลขตั้งแต่ 1 ขึ้นไป"],
        "ends_on": ["วันที่ไม่ถูกต้อง กรุณาเลือกวันที่ใหม่อีกครั้ง"],
    }


class DjangoFields(forms.Form):
    """Django's other fields and validators, for the messages our forms may meet next."""

    name = forms.CharField(required=False, min_length=3)
    code = forms.SlugField(required=False)
    email = forms.EmailField(required=False)
    ident = forms.UUIDField(required=False)
    file = forms.FileField(required=False, max_length=10)
    photo = forms.FileField(required=False, widget=forms.ClearableFileInput)


@pytest.mark.parametrize(
    ("data", "files", "field", "thai"),
    [
        ({"name": "ab"}, {}, "name", "ต้องพิมพ์อย่างน้อย 3 ตัวอักษร (ตอนนี้มี 2 ตัว) กรุณาพิมพ์เพิ่ม"),
        ({"name": "a\x00b"}, {}, "name", "ข้อความมีอักขระที่ใช้ไม่ได้ กรุณาพิมพ์ใหม่"),
        ({"code": "ลอก คลอง"}, {}, "code",
         "ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข ขีดล่าง (_) และขีด (-) ห้ามเว้นวรรค กรุณาแก้แล้วกรอกใหม่"),
        ({"email": "somchai@"}, {}, "email", "อีเมลไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง เช่น somchai@example.com"),
        ({"ident": "nope"}, {}, "ident", "รหัสไม่ถูกต้อง กรุณาคัดลอกรหัสมาใหม่ให้ครบทุกตัว"),
        ({}, {"file": SimpleUploadedFile("a-very-long-name.csv", b"x")}, "file",
         "ชื่อไฟล์ยาวได้ไม่เกิน 10 ตัวอักษร (ตอนนี้มี 20 ตัว) กรุณาเปลี่ยนชื่อไฟล์ให้สั้นลงแล้วส่งใหม่"),
        ({"photo-clear": "on"}, {"photo": SimpleUploadedFile("p.png", b"x")}, "photo",
         "กรุณาเลือกไฟล์ใหม่ หรือติ๊กช่องลบไฟล์ อย่างใดอย่างหนึ่งเท่านั้น"),
    ],
    ids=["min_length", "null", "slug", "email", "uuid", "filename", "contradiction"],
)  # fmt: skip
def test_djangos_other_field_messages_read_thai(data, files, field, thai):
    assert errors_in(DjangoFields(data, files), "th") == {field: [thai]}


def test_a_model_uuid_that_is_not_one_reads_thai():
    with translation.override("th"), pytest.raises(forms.ValidationError) as caught:
        models.UUIDField().clean("nope", None)
    assert caught.value.messages == ["“nope” ไม่ใช่รหัสที่ถูกต้อง กรุณาคัดลอกรหัสมาใหม่ให้ครบทุกตัว"]


@pytest.mark.django_db
def test_password_rules_at_sign_up_read_thai(client):
    response = client.post(
        "/api/v1/auth/signup",
        data=json.dumps({"full_name": "ปิติ ใจงาม", "password": "1234567", "subdistrict_code": NONG_SARAI,
                         "consent": True, "phone": "0812223355"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="th",
    )  # fmt: skip
    assert response.status_code == 400, response.content
    assert sorted(response.json()["fields"]["password"]) == sorted([
        "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 8 ตัวอักษร กรุณาตั้งรหัสผ่านให้ยาวขึ้น",
        "รหัสผ่านนี้มีคนใช้กันมากและเดาง่าย กรุณาตั้งรหัสผ่านอื่น",
        "รหัสผ่านเป็นตัวเลขล้วน กรุณาเพิ่มตัวอักษรอย่างน้อยหนึ่งตัว",
    ])  # fmt: skip
