"""Deed types that say something sensitive (PDPA §26: health, religion) are marked in the catalog;
recording one needs the person's explicit agreement, kept with the deed."""

import pytest

from kwamdee.catalog.models import DeedType
from kwamdee.catalog.services import catalog_load_default
from kwamdee.common.errors import ValidationFailed
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record
from tests.evidence.helpers import pdf, png
from tests.factories import PASSWORD, SYSTEM, days_ago, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    catalog_load_default(actor=SYSTEM)
    return {dt.code: dt for dt in DeedType.objects.all()}


def test_the_default_catalog_marks_health_and_religion(catalog):
    marked = {code: dt.sensitive for code, dt in catalog.items() if dt.sensitive}
    assert marked == {
        "blood-donation": "health", "organ-donation-pledge": "health", "elder-care-hours": "health",
        "place-of-worship-service": "religion",
    }  # fmt: skip


def test_a_sensitive_deed_needs_the_persons_agreement(catalog):
    person = make_person()
    kind = catalog["blood-donation"]
    with pytest.raises(ValidationFailed) as refused:
        deed_record(
            actor=person, deed_type_public_id=kind.public_id, performed_on=days_ago(1), description="บริจาค"
        )
    assert "sensitive_consent" in refused.value.fields and not Deed.objects.exists()
    deed = deed_record(
        actor=person, deed_type_public_id=kind.public_id, performed_on=days_ago(1), description="บริจาค",
        sensitive_consent=True, evidence_files=[pdf()],  # blood donation asks for a document
    )  # fmt: skip
    assert deed.sensitive_consent_at is not None
    plain = deed_record(
        actor=person, deed_type_public_id=catalog["tree-planting"].public_id, performed_on=days_ago(1),
        description="ปลูกต้นไม้", quantity=2, sensitive_consent=True, evidence_files=[png()],
    )  # fmt: skip
    assert plain.sensitive_consent_at is None  # nothing sensitive to agree to


def test_the_web_form_asks_with_a_tick_box_and_keeps_what_was_typed(client, catalog):
    person = make_person()
    client.login(username=person.phone, password=PASSWORD)
    kind = catalog["place-of-worship-service"]
    page = client.get(f"/deeds/new/?deed_type={kind.public_id}").content.decode()
    assert 'name="sensitive_consent"' in page
    assert 'name="sensitive_consent"' not in client.get("/deeds/new/").content.decode()
    data = {
        "deed_type": kind.public_id,
        "performed_on": days_ago(1).isoformat(),
        "description": "ช่วยงานศาสนสถาน",
    }
    if kind.pricing != "per_deed":
        data["quantity"] = "2"
    refused = client.post("/deeds/new/", data).content.decode()
    assert "ศาสนาหรือความเชื่อ" in refused and "ช่วยงานศาสนสถาน" in refused and not Deed.objects.exists()
    done = client.post("/deeds/new/", data | {"sensitive_consent": "on"})
    assert done.status_code == 302 and Deed.objects.get().sensitive_consent_at is not None


def test_the_api_refuses_without_agreement_and_takes_a_strict_true(client, catalog):
    person = make_person()
    token = client.post(
        "/api/v1/auth/token", {"login": person.phone, "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    # A health deed type that asks for no file (blood donation asks for a document: tests/evidence),
    # but for one witness.
    witness = make_person()
    body = {"deed_type": str(catalog["elder-care-hours"].public_id), "performed_on": days_ago(1).isoformat(),
            "description": "ดูแลผู้สูงอายุ", "quantity": 2, "witnesses": [witness.phone]}  # fmt: skip
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    refused = client.post("/api/v1/deeds", body, content_type="application/json", **auth)
    assert refused.status_code == 400 and "sensitive_consent" in refused.content.decode()
    coerced = client.post(
        "/api/v1/deeds", body | {"sensitive_consent": "yes"}, content_type="application/json", **auth
    )
    assert coerced.status_code == 422
    done = client.post(
        "/api/v1/deeds", body | {"sensitive_consent": True}, content_type="application/json", **auth
    )
    assert done.status_code == 201
