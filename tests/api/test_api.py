import json
import re

import pytest
from django.test import override_settings

from kwamdee.deeds.models import Deed
from kwamdee.ledger.models import LedgerTransaction
from kwamdee.people import messaging
from tests.factories import NONG_SARAI, PASSWORD, days_ago


def post(client, url, body, token=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post(url, data=json.dumps(body, default=str), content_type="application/json", **headers)


def get(client, url, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(url, **headers)


def record_via_api(client, token, deed_type, performed_on, description, **headers):
    """POST /api/v1/deeds for one deed, as an API client records it."""
    body = {"deed_type": str(deed_type.public_id), "performed_on": performed_on, "description": description}
    return post(client, "/api/v1/deeds", body, token, **headers)


def token_for(client, login, password=PASSWORD):
    response = post(client, "/api/v1/auth/token", {"login": login, "password": password})
    assert response.status_code == 201, response.content
    return response.json()["token"]


@pytest.fixture
def verifier_token(client, verifier):
    return token_for(client, verifier.phone)


def test_openapi_document_and_docs(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/deeds" in spec["paths"]
    assert "/api/v1/passbook" in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.django_db
def test_geography_endpoints(client):
    provinces = client.get("/api/v1/geo/provinces").json()
    assert len(provinces) == 77
    subs = client.get("/api/v1/geo/districts/7109/subdistricts").json()
    assert {"code": NONG_SARAI, "name": "หนองสาหร่าย"} in subs
    english = client.get("/api/v1/geo/districts/7109/subdistricts", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {"code": NONG_SARAI, "name": "Nong Sarai"} in english


@override_settings(
    KWAMDEE_MESSAGE_BACKENDS={
        "email": "kwamdee.people.messaging.EmailBackend",
        "sms": "kwamdee.people.messaging.MemoryBackend",
    }
)
def test_whole_flow_through_the_api(client, deed_types, verifier_token, django_capture_on_commit_callbacks):
    # given a newcomer who signs up, confirms their phone with the code sent to it, and takes a token
    messaging.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            "/api/v1/auth/signup",
            {
                "full_name": "ปิติ ใจงาม",
                "password": PASSWORD,
                "subdistrict_code": NONG_SARAI,
                "consent": True,
                "phone": "0812223333",
            },
        )
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "confirmation_sent" and response.json()["sent_to"] == "08x-xxx-3333"
    code = re.search(r"\b(\d{6})\b", messaging.outbox[-1].body).group(1)
    confirmed = post(client, "/api/v1/auth/signup/confirm", {"login": "0812223333", "code": code})
    assert confirmed.status_code == 200, confirmed.content
    token = token_for(client, "0812223333")
    me = get(client, "/api/v1/auth/me", token).json()
    assert me["roles"] == ["citizen"] and me["contact_confirmed"] is True

    # when they record a deed
    catalog = get(client, "/api/v1/catalog/deed-types", token).json()
    deed_type = next(d for d in catalog if d["code"] == "volunteer-hours")
    response = post(
        client,
        "/api/v1/deeds",
        {
            "deed_type": deed_type["public_id"],
            "performed_on": days_ago(1),
            "description": "สอนหนังสือเด็ก",
            "quantity": 3,
        },
        token,
    )
    assert response.status_code == 201, response.content
    deed = response.json()
    assert deed["status"] == "pending"

    # then the verifier sees it in the queue and verifies it
    queue = get(client, "/api/v1/deeds/queue", verifier_token).json()
    assert [d["public_id"] for d in queue] == [deed["public_id"]]
    response = post(client, f"/api/v1/deeds/{deed['public_id']}/verify", {}, verifier_token)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "verified"

    # and the passbook shows the credit with the rule that priced it
    book = get(client, "/api/v1/passbook", token).json()
    assert book["credit"] == 24 and book["points"] == 24
    assert book["entries"][0]["deed"] == deed["public_id"]
    # in words a person reads: the deed type's name and the version, not the slug
    assert "volunteer-hours ฉบับที่ 1 ใช้ตั้งแต่" in book["entries"][0]["rule"]
    assert get(client, f"/api/v1/deeds/{deed['public_id']}", token).json()["credit_awarded"] == 24


def test_reject_through_the_api(client, deed_types, citizen, verifier_token):
    token = token_for(client, citizen.phone)
    deed = record_via_api(
        client, token, deed_types["returning-lost-property"], days_ago(2), "คืนโทรศัพท์"
    ).json()
    url = f"/api/v1/deeds/{deed['public_id']}/reject"
    bad = post(client, url, {"reason_code": "other", "reason": ""}, verifier_token)
    assert bad.status_code == 400 and bad.json()["code"] == "validation_failed"
    ok = post(client, url, {"reason_code": "other", "reason": "ไม่มีพยาน"}, verifier_token)
    assert ok.json()["status"] == "rejected"
    assert get(client, f"/api/v1/deeds/{deed['public_id']}", token).json()["rejection_reason"] == "ไม่มีพยาน"


def test_errors_have_stable_codes_and_translated_messages(
    client, deed_types, citizen, verifier, verifier_token
):
    token = token_for(client, citizen.phone)
    own = record_via_api(
        client, verifier_token, deed_types["returning-lost-property"], days_ago(1), "ของผู้รับรองเอง"
    ).json()
    response = post(client, f"/api/v1/deeds/{own['public_id']}/verify", {}, verifier_token)
    assert response.status_code == 403
    assert response.json()["code"] == "own_deed"
    assert response.json()["message"]  # translated text, Thai by default

    mine = record_via_api(
        client, token, deed_types["returning-lost-property"], days_ago(1), "คืนกระเป๋า"
    ).json()
    assert (
        post(client, f"/api/v1/deeds/{mine['public_id']}/verify", {}, token).json()["code"]
        == "permission_denied"
    )
    assert post(client, f"/api/v1/deeds/{mine['public_id']}/verify", {}, verifier_token).status_code == 200
    again = post(client, f"/api/v1/deeds/{mine['public_id']}/verify", {}, verifier_token)
    assert again.status_code == 409 and again.json()["code"] == "deed_already_decided"
    assert LedgerTransaction.objects.count() == 1

    future = post(
        client,
        "/api/v1/deeds",
        {
            "deed_type": str(deed_types["returning-lost-property"].public_id),
            "performed_on": "2999-01-01",
            "description": "x",
        },
        token,
    )
    assert future.status_code == 400
    assert "performed_on" in future.json()["fields"]
    malformed = post(client, "/api/v1/deeds", {"deed_type": "nope"}, token)
    assert malformed.status_code == 422 and malformed.json()["code"] == "validation_failed"
    assert get(client, "/api/v1/passbook").status_code == 401
    assert get(client, "/api/v1/passbook", "bad-token").json()["code"] == "not_authenticated"


def test_english_error_message_on_request(client, deed_types, citizen):
    token = token_for(client, citizen.phone)
    response = client.post(
        "/api/v1/deeds",
        data=json.dumps(
            {
                "deed_type": str(deed_types["returning-lost-property"].public_id),
                "performed_on": "2999-01-01",
                "description": "x",
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["fields"]["performed_on"] == ["The date cannot be in the future."]


def test_idempotency_key_header_records_once(client, deed_types, citizen):
    token = token_for(client, citizen.phone)
    body = {
        "deed_type": str(deed_types["returning-lost-property"].public_id),
        "performed_on": days_ago(1),
        "description": "คืนกระเป๋า",
    }
    first = post(client, "/api/v1/deeds", body, token, HTTP_IDEMPOTENCY_KEY="abc-1")
    second = post(client, "/api/v1/deeds", body, token, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.json()["public_id"] == second.json()["public_id"]
    assert Deed.objects.count() == 1


def test_an_idempotency_key_reused_for_another_deed_is_refused(client, deed_types, citizen):
    token = token_for(client, citizen.phone)
    body = {
        "deed_type": str(deed_types["returning-lost-property"].public_id),
        "performed_on": days_ago(1),
        "description": "คืนกระเป๋า",
    }
    first = post(client, "/api/v1/deeds", body, token, HTTP_IDEMPOTENCY_KEY="abc-2")
    assert first.status_code == 201
    other = post(client, "/api/v1/deeds", {**body, "description": "คืนโทรศัพท์"}, token,
                 HTTP_IDEMPOTENCY_KEY="abc-2", HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_conflict"
    assert "Nothing was changed" in other.json()["message"]
    assert list(Deed.objects.values_list("description", flat=True)) == ["คืนกระเป๋า"]
    # The first body, retried, still answers with the first deed.
    again = post(client, "/api/v1/deeds", body, token, HTTP_IDEMPOTENCY_KEY="abc-2")
    assert again.status_code == 201 and again.json()["public_id"] == first.json()["public_id"]


def test_the_openapi_document_names_the_header_clients_can_send(client):
    spec = client.get("/api/v1/openapi.json").json()
    params = spec["paths"]["/api/v1/deeds"]["post"]["parameters"]
    assert [p["name"] for p in params if p["in"] == "header"] == ["Idempotency-Key"]


def test_citizen_sees_only_own_deeds(client, deed_types, citizen):
    from tests.factories import make_person

    other = make_person(name="คนอื่น")
    token = token_for(client, citizen.phone)
    other_token = token_for(client, other.phone)
    deed = record_via_api(
        client, token, deed_types["returning-lost-property"], days_ago(1), "คืนกระเป๋า"
    ).json()
    assert get(client, f"/api/v1/deeds/{deed['public_id']}", other_token).status_code == 404
    assert get(client, "/api/v1/deeds", other_token).json() == []
    assert get(client, "/api/v1/passbook", other_token).json()["credit"] == 0


@pytest.mark.django_db
def test_signup_errors(client):
    response = post(
        client,
        "/api/v1/auth/signup",
        {
            "full_name": "ก",
            "password": PASSWORD,
            "subdistrict_code": NONG_SARAI,
            "consent": False,
            "phone": "0812223333",
        },
    )
    assert response.status_code == 400 and response.json()["code"] == "consent_required"
    bad_login = post(client, "/api/v1/auth/token", {"login": "0800000000", "password": "x"})
    assert bad_login.status_code == 401 and bad_login.json()["code"] == "invalid_credentials"
