"""Bad input gets a clear 4xx with a stable code, never a 500, and changes nothing."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kwamdee.catalog.models import DeedType
from kwamdee.common.roles import role_grant
from kwamdee.deeds.models import Deed
from kwamdee.exchange.services import catalog_export
from kwamdee.people.models import User
from tests.api.test_api import post, token_for
from tests.catalog.test_api import ROW
from tests.factories import NONG_SARAI, PASSWORD, SYSTEM, days_ago, make_person


def upload(client, token, fmt, content):
    return client.post(
        f"/api/v1/catalog/import?format={fmt}",
        {"file": SimpleUploadedFile(f"c.{fmt}", content)},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.fixture
def staff_token(client, deed_types):
    staff = make_person(name="เจ้าหน้าที่")
    role_grant(actor=SYSTEM, person=staff, role="staff")
    return token_for(client, staff.phone)


@pytest.mark.django_db
def test_malformed_json_and_unknown_objects(client):
    bad = client.post("/api/v1/auth/token", data="{not json", content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "malformed_request"
    person = make_person()
    role_grant(actor=SYSTEM, person=person, role="community_admin")  # may adapt a community's catalog
    token = token_for(client, person.phone)
    missing = client.get(
        f"/api/v1/catalog/communities/{uuid.uuid4()}/items", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_long_idempotency_key_and_name(client, deed_types, citizen):
    token = token_for(client, citizen.phone)
    body = {
        "deed_type": str(deed_types["returning-lost-property"].public_id),
        "performed_on": days_ago(1),
        "description": "คืนของ",
    }
    response = post(client, "/api/v1/deeds", body, token, HTTP_IDEMPOTENCY_KEY="k" * 81)
    assert response.status_code == 400 and "idempotency_key" in response.json()["fields"]
    assert not Deed.objects.exists()
    signup = post(
        client,
        "/api/v1/auth/signup",
        {
            "full_name": "ก" * 300,
            "password": PASSWORD,
            "subdistrict_code": NONG_SARAI,
            "consent": True,
            "phone": "0812223399",
        },
    )
    assert signup.status_code == 400 and "full_name" in signup.json()["fields"]
    assert not User.objects.filter(phone="0812223399").exists()


def test_staff_adding_an_inactive_deed_type_gets_it_back(client, staff_token):
    response = post(client, "/api/v1/catalog/deed-types", ROW | {"is_active": False}, staff_token)
    assert response.status_code == 201 and response.json()["code"] == "canal-cleanup"


def test_points_beyond_the_national_frame_are_refused(client, staff_token):
    response = post(
        client, "/api/v1/catalog/deed-types", ROW | {"credit_per_unit": 2_000_000_000}, staff_token
    )
    assert response.status_code == 400 and "credit_per_unit" in response.json()["fields"]
    assert not DeedType.objects.filter(code="canal-cleanup").exists()


def test_import_is_refused_before_reading_for_non_staff(client, citizen, deed_types):
    response = upload(client, token_for(client, citizen.phone), "xlsx", b"not an xlsx at all")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("fmt", "content", "column"),
    [
        ("json", json.dumps({"format": "kwamdee-catalog", "deed_types": 5}).encode(), "deed_types"),
        (
            "json",
            json.dumps(
                {"format": "kwamdee-catalog", "deed_types": [{"code": "x", "virtues": ["a"]}]}
            ).encode(),
            "virtues",
        ),
        ("json", b"{broken", "file"),
        ("xlsx", b"not an xlsx", "file"),
    ],
)
def test_broken_files_are_reported_not_crashed(client, staff_token, fmt, content, column):
    response = upload(client, staff_token, fmt, content)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["column"] == column


def test_nan_weight_in_csv_is_a_row_error(client, staff_token):
    text = catalog_export("csv").decode("utf-8-sig").replace("volunteerism=1", "volunteerism=NaN", 1)
    response = upload(client, staff_token, "csv", text.encode())
    assert response.status_code == 400
    assert response.json()["errors"][0]["column"] == "virtues"
