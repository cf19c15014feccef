"""Evidence on the web form, through the API, served only to those who may see the deed, and
removed by erasure."""

import pytest

from kwamdee.common.models import AccessRecord
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record
from kwamdee.evidence.models import EvidenceFile
from kwamdee.privacy.services import person_erase
from tests.evidence.conftest import stored_files
from tests.evidence.helpers import jpeg_with_gps, pdf, php_as_jpg, png
from tests.factories import PASSWORD, days_ago, make_person

pytestmark = pytest.mark.django_db


def form_data(deed_type, **extra):
    return {
        "deed_type": deed_type.public_id, "performed_on": days_ago(1).isoformat(),
        "quantity": "2", "description": "ปลูกต้นมะม่วงหน้าบ้าน", "submission_key": "k1", **extra,
    }  # fmt: skip


def test_the_form_asks_for_photos_only_for_a_type_that_needs_them(client, citizen, photo_type, deed_types):
    client.login(username=citizen.phone, password=PASSWORD)
    page = client.get(f"/deeds/new/?deed_type={photo_type.public_id}").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="evidence_files"' in page and "multiple" in page and "application/pdf" in page
    other = client.get(f"/deeds/new/?deed_type={deed_types['volunteer-hours'].public_id}").content.decode()
    assert 'name="evidence_files"' not in other


def test_the_form_refuses_without_a_photo_and_keeps_what_was_typed(client, citizen, photo_type):
    client.login(username=citizen.phone, password=PASSWORD)
    page = client.post("/deeds/new/", form_data(photo_type)).content.decode()
    assert "ปลูกต้นมะม่วงหน้าบ้าน" in page and 'name="evidence_files"' in page and not Deed.objects.exists()
    refused = client.post(
        "/deeds/new/", form_data(photo_type, evidence_files=[php_as_jpg()])
    ).content.decode()
    assert "shell.jpg" in refused and "ปลูกต้นมะม่วงหน้าบ้าน" in refused and not Deed.objects.exists()
    done = client.post("/deeds/new/", form_data(photo_type, evidence_files=[jpeg_with_gps(), pdf()]))
    assert done.status_code == 302 and Deed.objects.get().evidence_files.count() == 2


def test_files_must_be_chosen_again_when_another_field_is_wrong(client, citizen, photo_type):
    client.login(username=citizen.phone, password=PASSWORD)
    page = client.post("/deeds/new/", form_data(photo_type, description="", evidence_files=[png()]))
    assert page.status_code == 200 and not Deed.objects.exists()
    assert 'id="id_evidence_files_error"' in page.content.decode()


def test_the_api_refuses_a_photo_type_as_json_and_takes_it_multipart(client, citizen, photo_type):
    token = client.post(
        "/api/v1/auth/token", {"login": citizen.phone, "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {"deed_type": str(photo_type.public_id), "performed_on": days_ago(1).isoformat(),
            "description": "ปลูกต้นไม้", "quantity": 2}  # fmt: skip
    refused = client.post("/api/v1/deeds", body, content_type="application/json", **auth)
    assert refused.status_code == 400 and "evidence_files" in refused.json()["fields"]
    bad = client.post("/api/v1/deeds/with-evidence", {**body, "files": [php_as_jpg()]}, **auth)
    assert bad.status_code == 400 and bad.json()["code"] == "evidence_refused" and not Deed.objects.exists()
    done = client.post("/api/v1/deeds/with-evidence", {**body, "files": [jpeg_with_gps()]}, **auth)
    assert done.status_code == 201, done.content
    assert EvidenceFile.objects.get().deed.public_id.hex == done.json()["public_id"].replace("-", "")


@pytest.fixture
def evidence(citizen, photo_type):
    deed = deed_record(
        actor=citizen, deed_type_public_id=photo_type.public_id, performed_on=days_ago(1),
        description="ปลูกต้นไม้", quantity=2, evidence_files=[jpeg_with_gps(), pdf()],
    )  # fmt: skip
    return list(EvidenceFile.objects.filter(deed=deed))


def test_the_person_and_the_areas_verifier_see_the_files_others_get_404(client, citizen, verifier, evidence):
    photo, document = evidence
    client.login(username=citizen.phone, password=PASSWORD)
    response = client.get(f"/deeds/evidence/{photo.public_id}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert (
        response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "no-store, private"
    )
    assert b"".join(response.streaming_content) == photo.file.open("rb").read()
    attachment = client.get(f"/deeds/evidence/{document.public_id}/")
    assert attachment["Content-Type"] == "application/pdf"
    assert attachment["Content-Disposition"].startswith("attachment")
    assert not AccessRecord.objects.exists()  # the person's own reads are not recorded

    client.logout()
    client.login(username=verifier.phone, password=PASSWORD)
    assert client.get(f"/deeds/evidence/{photo.public_id}/").status_code == 200
    record = AccessRecord.objects.get()
    assert record.what == "evidence:view" and record.viewer == verifier
    page = client.get(f"/deeds/{photo.deed.public_id}/").content.decode()
    assert f"/deeds/evidence/{photo.public_id}/" in page and f"/deeds/evidence/{document.public_id}/" in page

    client.logout()
    other = make_person(name="คนอื่น ไม่เกี่ยว", phone="0899990123")
    client.login(username=other.phone, password=PASSWORD)
    assert client.get(f"/deeds/evidence/{photo.public_id}/").status_code == 404
    assert client.get("/deeds/evidence/00000000-0000-0000-0000-000000000000/").status_code == 404
    client.logout()
    anon = client.get(f"/deeds/evidence/{photo.public_id}/")
    assert anon.status_code == 302  # to sign in


def test_erasure_deletes_the_files_and_their_rows(
    citizen, evidence, media_root, django_capture_on_commit_callbacks
):
    assert len(stored_files(media_root)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(actor=citizen, person=citizen, password=PASSWORD)
    assert not EvidenceFile.objects.exists() and stored_files(media_root) == []
