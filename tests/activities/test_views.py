"""The pages of the person's code, the organizer's check-in of a person and the attendance file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kwamdee.activities.attendance_file import MAX_FILE_BYTES
from kwamdee.activities.codes import person_code_make, person_code_read
from kwamdee.activities.models import Attendance
from tests.activities.helpers import make_activity
from tests.factories import PASSWORD, load_small_catalog, make_person, make_verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    load_small_catalog()
    organizer = make_verifier()
    return organizer, make_person(name="มาลี ใจงาม"), make_activity(organizer)


def signed_in(client, person):
    client.login(username=person.phone, password=PASSWORD)
    return client


def test_my_code_page_shows_a_qr_image_of_a_code_without_the_phone(client, world):
    _organizer, alice, _activity = world
    page = signed_in(client, alice).get("/activities/my-code/")
    text = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml' in text
    code = text.split('data-testid="my-code-text">')[1].split("<")[0]
    assert person_code_read(code) == str(alice.public_id)
    assert alice.phone not in text


def test_the_organizer_checks_a_person_in_by_code_and_sees_their_name(client, world):
    organizer, alice, activity = world
    url = f"/activities/{activity.public_id}/check-in-person/"
    client = signed_in(client, organizer)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"person": person_code_make(alice.public_id), "action": "check_in"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url and "มาลี ใจงาม" in response.content.decode()
    attendance = Attendance.objects.get(activity=activity, person=alice)
    assert attendance.checked_in_at is not None and attendance.source == "organizer"
    refused = client.post(url, {"person": "0899999999", "action": "check_in"})
    assert refused.status_code == 200 and 'class="field has-error"' in refused.content.decode()
    empty = client.post(url, {"person": "", "action": "check_in"})
    assert 'class="field has-error"' in empty.content.decode()


def test_someone_who_does_not_run_the_activity_gets_404_everywhere(client, world):
    _organizer, alice, activity = world
    client = signed_in(client, alice)
    base = f"/activities/{activity.public_id}"
    assert client.get(f"{base}/check-in-person/").status_code == 404
    assert client.post(f"{base}/check-in-person/", {"person": alice.phone}).status_code == 404
    assert client.get(f"{base}/attendance/").status_code == 404
    assert client.get(f"{base}/attendance/template.csv").status_code == 404
    upload = SimpleUploadedFile("a.csv", f"phone_or_email\r\n{alice.phone}\r\n".encode(), "text/csv")
    assert client.post(f"{base}/attendance/", {"file": upload}).status_code == 404
    assert not Attendance.objects.exists()


def test_the_attendance_page_saves_a_file_or_lists_its_errors(client, world):
    organizer, alice, activity = world
    client = signed_in(client, organizer)
    url = f"/activities/{activity.public_id}/attendance/"
    template = client.get(f"{url}template.csv")
    assert (
        template.status_code == 200
        and template.content.decode("utf-8-sig") == "phone_or_email,hours,note\r\n"
    )
    assert "attachment" in template["Content-Disposition"]
    bad = SimpleUploadedFile("a.csv", f"phone_or_email,hours\r\n{alice.phone},1\r\n0899999999,1\r\n".encode())
    response = client.post(url, {"file": bad})
    page = response.content.decode()
    assert response.status_code == 400 and 'data-testid="attendance-errors"' in page
    assert "<td>3</td>" in page and not Attendance.objects.exists()
    big = SimpleUploadedFile("a.csv", b"phone_or_email\r\n" + b"0" * MAX_FILE_BYTES)
    assert client.post(url, {"file": big}).status_code == 413
    pdf = SimpleUploadedFile("a.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    assert client.post(url, {"file": pdf}).status_code == 400
    good = SimpleUploadedFile("a.csv", f"phone_or_email,hours\r\n{alice.phone},1\r\n".encode())
    response = client.post(url, {"file": good})
    assert response.status_code == 200 and 'data-testid="attendance-saved"' in response.content.decode()
    assert Attendance.objects.get(activity=activity).declared_hours == 1
    assert client.post(url, {}).status_code == 200  # no file: the form says so
    detail = client.get(f"/activities/{activity.public_id}/").content.decode()
    assert 'data-testid="upload-attendance"' in detail and 'data-testid="check-people-in"' in detail
