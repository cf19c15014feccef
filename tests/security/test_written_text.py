"""What people write goes through one check everywhere it is stored (common/text_validation.py):
a deed's description, a verifier's reason, a person's name, a catalog, community or sponsor name.
A stored U+202E, text of zero-width spaces only, or marks stacked on a letter are refused on the web
(a field error) and through the API (400 naming the field); Thai with its marks, zero-width spaces
and emoji sequences are kept exactly as typed."""

import json

import pytest
from django.test import Client

from kwamdee.areas.services import community_create
from kwamdee.catalog.models import Category
from kwamdee.common.errors import ValidationFailed
from kwamdee.common.roles import Role, role_grant
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record
from kwamdee.people.models import User
from kwamdee.rewards.models import Sponsor
from tests.factories import NONG_SARAI, PASSWORD, SYSTEM, days_ago, make_person

pytestmark = pytest.mark.django_db

BAD = {
    "rlo": "ช่วยยาย \u202eถือของ",  # a right-to-left override, stored, would flip what staff read
    "zwsp-only": "\u200b\u200b\u200b",  # nothing to see
    "stacked": "ช" + "\u0e48\u0e49\u0e4a\u0e4b" * 3,  # twelve tone marks on one letter
}
GOOD = [
    "ช่วยผู้สูงอายุข้ามถนน กี้ ปู่ น้ำ",  # Thai vowels and tone marks
    "ปลูก\u200bต้นไม้\u200bริม\u200bคลอง",  # zero-width spaces between Thai words
    "ครอบครัว 👨\u200d👩\u200d👧\u200d👦 ช่วยกัน 👍🏽 1\ufe0f\u20e3",  # emoji sequences
]


def token_for(person) -> dict[str, str]:
    response = Client().post(
        "/api/v1/auth/token",
        data=json.dumps({"login": person.phone, "password": PASSWORD}),
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def api_post(path, body, auth=None):
    return Client().post(path, data=json.dumps(body), content_type="application/json", **(auth or {}))


# --- deed descriptions ---------------------------------------------------------------------------


def deed_body(deed_types, description):
    return {"deed_type": str(deed_types["returning-lost-property"].public_id),
            "performed_on": days_ago(1).isoformat(), "description": description}  # fmt: skip


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_description_is_refused_on_the_web(client, citizen, deed_types, name):
    client.login(username=citizen.phone, password=PASSWORD)
    page = client.post("/deeds/new/", deed_body(deed_types, BAD[name])).content.decode()
    assert 'id="id_description_error"' in page and "data-error-summary" in page
    assert not Deed.objects.exists()


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_description_is_refused_by_the_api(citizen, deed_types, name):
    response = api_post("/api/v1/deeds", deed_body(deed_types, BAD[name]), token_for(citizen))
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed" and list(response.json()["fields"]) == [
        "description"
    ]
    assert not Deed.objects.exists()


@pytest.mark.parametrize("text", GOOD)
def test_legitimate_descriptions_are_kept_byte_for_byte(client, citizen, deed_types, text):
    response = api_post("/api/v1/deeds", deed_body(deed_types, text), token_for(citizen))
    assert response.status_code == 201
    assert Deed.objects.get().description.encode("utf-8") == text.encode("utf-8")
    assert response.json()["description"] == text
    Deed.objects.all().delete()
    client.login(username=citizen.phone, password=PASSWORD)
    assert client.post("/deeds/new/", deed_body(deed_types, text)).status_code == 302
    assert Deed.objects.get().description.encode("utf-8") == text.encode("utf-8")


# --- rejection reasons ---------------------------------------------------------------------------


@pytest.fixture
def pending(citizen, deed_types):
    return deed_record(
        actor=citizen, deed_type_public_id=deed_types["returning-lost-property"].public_id,
        performed_on=days_ago(1), description="คืนกระเป๋า",
    )  # fmt: skip


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_rejection_reason_is_refused_on_the_web_and_by_the_api(client, verifier, pending, name):
    client.login(username=verifier.phone, password=PASSWORD)
    page = client.post(
        f"/deeds/{pending.public_id}/decide/",
        {"action": "reject", "reason_code": "other", "reason": BAD[name]},
    )
    assert page.status_code == 200 and 'id="id_reason_error"' in page.content.decode()
    response = api_post(
        f"/api/v1/deeds/{pending.public_id}/reject",
        {"reason_code": "other", "reason": BAD[name]},
        token_for(verifier),
    )
    assert response.status_code == 400 and list(response.json()["fields"]) == ["reason"]
    pending.refresh_from_db()
    assert pending.status == "pending" and pending.rejection_reason == ""


def test_a_legitimate_reason_is_kept_exactly(verifier, pending):
    reason = GOOD[1] + " 🙏"
    response = api_post(
        f"/api/v1/deeds/{pending.public_id}/reject",
        {"reason_code": "other", "reason": reason},
        token_for(verifier),
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.rejection_reason == reason


# --- people's names ------------------------------------------------------------------------------


def signup_body(full_name, phone="0891234567"):
    return {"full_name": full_name, "password": "good-deeds-2569", "subdistrict_code": NONG_SARAI,
            "consent": True, "phone": phone}  # fmt: skip


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_name_is_refused_at_sign_up_on_the_web_and_by_the_api(client, name):
    web = signup_body(BAD[name]) | {"province": NONG_SARAI[:2], "district": NONG_SARAI[:4], "consent": "on"}
    page = client.post("/people/signup/", web).content.decode()
    assert 'id="id_full_name_error"' in page
    response = api_post("/api/v1/auth/signup", signup_body(BAD[name]))
    assert response.status_code == 400 and "full_name" in response.json()["fields"]
    assert not User.objects.filter(phone="0891234567").exists()


def test_a_legitimate_name_is_kept_exactly_at_sign_up():
    name = "สมศรี\u200bมีน้ำใจ 🌸"
    assert api_post("/api/v1/auth/signup", signup_body(name)).status_code in (201, 202)  # 202: a code sent
    assert User.objects.get(phone="0891234567").full_name == name


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_name_is_refused_on_the_profile(client, citizen, name):
    client.login(username=citizen.phone, password=PASSWORD)
    body = {"full_name": BAD[name], "phone": citizen.phone, "email": "", "province": citizen.province_code,
            "district": citizen.district_code, "subdistrict_code": citizen.subdistrict_code}  # fmt: skip
    page = client.post("/people/account/profile/", body).content.decode()
    assert 'id="id_full_name_error"' in page
    citizen.refresh_from_db()
    assert citizen.full_name == "สมหญิง รักดี"


# --- catalog, community and sponsor names --------------------------------------------------------


@pytest.fixture
def staff():
    person = make_person(name="เจ้าหน้าที่ แคตตาล็อก")
    role_grant(actor=SYSTEM, person=person, role=Role.STAFF)
    return User.objects.get(pk=person.pk)


@pytest.mark.parametrize("name", list(BAD))
def test_bad_names_are_refused_for_categories_and_sponsors(client, staff, name):
    auth = token_for(staff)
    category = {"code": "matrix", "name_th": BAD[name], "name_en": "Test", "description_th": BAD[name]}
    response = api_post("/api/v1/catalog/categories", category, auth)
    assert response.status_code == 400 and set(response.json()["fields"]) == {"name_th", "description_th"}
    client.login(username=staff.phone, password=PASSWORD)
    page = client.post("/catalog/manage/categories/", category).content.decode()
    assert 'id="id_name_th_error"' in page
    assert not Category.objects.filter(code="matrix").exists()
    sponsor = {"name_th": "มูลนิธิ", "name_en": BAD[name], "kind": "foundation", "members": []}
    response = api_post("/api/v1/sponsorships/sponsors", sponsor, auth)
    assert response.status_code == 400 and list(response.json()["fields"]) == ["name_en"]
    assert not Sponsor.objects.exists()


def test_a_community_name_goes_through_the_check(staff):
    with pytest.raises(ValidationFailed) as refused:
        community_create(actor=staff, name_th=BAD["rlo"], subdistrict_code=NONG_SARAI)
    assert list(refused.value.fields) == ["name_th"]
    assert community_create(actor=staff, name_th=GOOD[1], subdistrict_code=NONG_SARAI).name_th == GOOD[1]
