"""My data (PDPA §30–31): a person sees everything held about them and downloads it as JSON or
CSV; nobody else's data is in it; each download is recorded."""

import csv
import io
import json
import zipfile

import pytest

from kwamdee.common.models import AuditEvent
from kwamdee.common.personal_data import personal_data_keys
from kwamdee.deeds.services import deed_record, deed_verify
from tests.factories import PASSWORD, days_ago, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_with_history(deed_types, verifier):
    person = make_person(name="มะลิ ดีเสมอ")
    kind = deed_types["tree-planting"]
    deed = deed_record(
        actor=person, deed_type_public_id=kind.public_id, performed_on=days_ago(3),
        description="=HYPERLINK('http://x') ปลูกต้นมะม่วงหน้าวัด", quantity=4,
    )  # fmt: skip
    deed_verify(actor=verifier, deed_public_id=deed.public_id)
    other = make_person(name="คนอื่น ไม่เกี่ยว")
    deed_record(
        actor=other, deed_type_public_id=kind.public_id, performed_on=days_ago(2),
        description="ความลับของคนอื่น", quantity=1,
    )  # fmt: skip
    return person


def test_every_domain_that_keeps_personal_data_has_a_section():
    assert personal_data_keys() == [
        "profile", "consents", "deeds", "evidence", "deed_questions", "deeds_witnessed", "appeals",
        "recording_helpers", "deed_flags", "activities", "notifications", "passbook",
        "community_membership", "memberships", "community_admin", "sponsors", "redemptions", "partners",
        "partner_tokens", "loans", "loan_repayments", "loan_decisions", "time_listings", "time_exchanges",
        "time_donations", "assessments", "api_tokens", "two_factor", "data_requests", "access", "audit",
    ]  # fmt: skip


def test_the_page_shows_everything_held_and_nothing_of_others(client, person_with_history):
    client.login(username=person_with_history.phone, password=PASSWORD)
    response = client.get("/privacy/my-data/")
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "มะลิ ดีเสมอ" in page and "ปลูกต้นมะม่วงหน้าวัด" in page
    assert "ความลับของคนอื่น" not in page and "คนอื่น ไม่เกี่ยว" not in page
    for key in ("profile", "consents", "deeds", "deed_questions", "appeals", "passbook", "audit"):
        assert f'data-section="{key}"' in page, key
    assert "ร่วมความดี" in page or "ความยินยอม" in page  # the consent given at sign-up


def test_the_json_download_holds_every_section_and_is_recorded(client, person_with_history):
    client.login(username=person_with_history.phone, password=PASSWORD)
    response = client.post("/privacy/my-data/download/json/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["format"] == "kwamdee-personal-data"
    assert document["person"] == str(person_with_history.public_id)
    assert document["sections"]["profile"]["rows"][0]["full_name"] == "มะลิ ดีเสมอ"
    deeds = document["sections"]["deeds"]["rows"]
    assert len(deeds) == 1 and deeds[0]["credit"] == 4
    assert [row["credit"] for row in document["sections"]["passbook"]["rows"]] == [4]
    assert "ความลับของคนอื่น" not in response.content.decode()
    event = AuditEvent.objects.get(event_type="personal_data:export")
    assert event.actor_id == person_with_history.pk and event.data["format"] == "json"


def test_the_csv_download_is_one_file_a_section_with_formulas_made_inert(client, person_with_history):
    client.login(username=person_with_history.phone, password=PASSWORD)
    response = client.post("/privacy/my-data/download/csv/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "profile.csv" in archive.namelist() and "deeds.csv" in archive.namelist()
    text = archive.read("deeds.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["description"].startswith("'=HYPERLINK")  # never a live formula
    profile = list(csv.DictReader(io.StringIO(archive.read("profile.csv").decode("utf-8-sig"))))
    assert profile[0]["full_name"] == "มะลิ ดีเสมอ"


def test_downloads_are_for_the_person_only_and_only_by_post(client, person_with_history):
    assert client.post("/privacy/my-data/download/json/").status_code == 302  # sign in first
    client.login(username=person_with_history.phone, password=PASSWORD)
    assert client.get("/privacy/my-data/download/json/").status_code == 405
    assert client.post("/privacy/my-data/download/xml/").status_code == 404
    assert not AuditEvent.objects.filter(event_type="personal_data:export").exists()
