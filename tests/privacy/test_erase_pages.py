"""The erase page: what goes and what stays, the password and the tick box, then signed out; and
the staff's queue of requests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.common.roles import Role, role_grant
from kwamdee.people.models import User
from kwamdee.privacy.models import DataSubjectRequest
from tests.factories import PASSWORD, SYSTEM, make_person

pytestmark = pytest.mark.django_db


def test_my_data_leads_to_the_erase_page(client, citizen):
    client.login(username=citizen.phone, password=PASSWORD)
    page = client.get("/privacy/my-data/").content.decode()
    assert 'href="/privacy/erase/"' in page and 'data-section="leave"' in page
    assert "have your data erased, ask" not in page  # the old "ask your community's admin"


def test_the_page_says_what_goes_and_what_stays(client, citizen):
    client.login(username=citizen.phone, password=PASSWORD)
    response = client.get("/privacy/erase/")
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert '<form method="post" class="card" novalidate>' in page
    assert 'autocomplete="current-password"' in page and 'name="understood"' in page
    assert "สิ่งที่จะถูกลบ" in page and "สิ่งที่ยังอยู่ โดยไม่มีชื่อของคุณ" in page  # in Thai, plainly
    assert "บัญชีแยกประเภท" in page  # the ledger stays


def test_mistakes_come_back_in_one_summary_and_nothing_is_erased(client, citizen):
    client.login(username=citizen.phone, password=PASSWORD)
    empty = client.post("/privacy/erase/", {}).content.decode()
    assert "data-error-summary" in empty
    assert 'href="#id_password"' in empty and 'href="#id_understood"' in empty
    wrong = client.post("/privacy/erase/", {"password": "not-mine", "understood": "on"}).content.decode()
    assert "data-error-summary" in wrong and 'id="id_password_error"' in wrong
    assert 'value="not-mine"' not in wrong  # a password is never shown again
    assert User.objects.get(pk=citizen.pk).is_active
    assert not DataSubjectRequest.objects.exists()
    assert client.get("/privacy/my-data/").status_code == 200  # still signed in


def test_erasing_signs_out_and_the_old_sign_in_no_longer_works(client, citizen):
    client.login(username=citizen.phone, password=PASSWORD)
    response = client.post(
        "/privacy/erase/", {"password": PASSWORD, "understood": "on", "reason": "not_used"}
    )
    assert response.status_code == 302 and response["Location"] == "/privacy/erased/"
    assert client.get("/privacy/erased/").status_code == 200
    assert client.get("/privacy/my-data/").status_code == 302  # signed out
    assert not client.login(username=citizen.phone, password=PASSWORD)
    person = User.objects.get(pk=citizen.pk)
    assert not person.is_active and person.phone is None
    assert DataSubjectRequest.objects.get(person=person).reason == "not_used"


def test_another_session_of_the_erased_person_ends_too(client, citizen, django_user_model):
    from django.test import Client

    other = Client()
    other.login(username=citizen.phone, password=PASSWORD)
    client.login(username=citizen.phone, password=PASSWORD)
    client.post("/privacy/erase/", {"password": PASSWORD, "understood": "on"})
    assert other.get("/privacy/my-data/").status_code == 302  # to sign in


def test_staff_see_open_requests_with_their_due_dates(client, citizen):
    staff = make_person(name="เจ้าหน้าที่ คุ้มครองข้อมูล")
    role_grant(actor=SYSTEM, person=staff, role=Role.STAFF)
    now = timezone.now()
    late = DataSubjectRequest.objects.create(
        person=citizen, kind="correction", due_at=now - timedelta(days=1)
    )
    DataSubjectRequest.objects.create(
        person=citizen, kind="erasure", status="done", due_at=now + timedelta(days=30), done_at=now
    )
    client.login(username=staff.phone, password=PASSWORD)
    response = client.get("/privacy/requests/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-request="{late.public_id}"' in page and page.count("data-request=") == 1
    assert "เกินกำหนด" in page or "overdue" in page


def test_the_queue_is_for_staff_only(client, citizen):
    assert client.get("/privacy/requests/").status_code == 302  # sign in first
    client.login(username=citizen.phone, password=PASSWORD)
    assert client.get("/privacy/requests/").status_code == 403
