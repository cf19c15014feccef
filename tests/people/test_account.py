"""My account: the page, changing the password, and correcting one's details (web, through
Django's test client)."""

import json

import pytest
from django.test import Client

from kwamdee.areas.models import Community
from kwamdee.common.models import AuditEvent
from kwamdee.deeds.services import deed_record
from kwamdee.people.events import PeopleEvent
from kwamdee.people.membership import membership_approve
from kwamdee.people.models import ApiToken, CommunityMembership
from tests.audit import assert_one_audit
from tests.factories import (
    NONG_SARAI,
    PASSWORD,
    PHANOM_THUAN,
    SYSTEM,
    days_ago,
    make_community,
    make_person,
)

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "rice-fields-at-dawn-42"


def signed_in(person, password=PASSWORD) -> Client:
    client = Client()
    assert client.login(username=person.phone or person.email, password=password)
    return client


def api_token(person, password=PASSWORD) -> str:
    response = Client().post(
        "/api/v1/auth/token",
        data=json.dumps({"login": person.phone or person.email, "password": password}),
        content_type="application/json",
    )
    assert response.status_code == 201
    return response.json()["token"]


def profile_body(person, **changes):
    body = {
        "full_name": person.full_name, "phone": person.phone or "", "email": person.email or "",
        "province": person.province_code, "district": person.district_code,
        "subdistrict_code": person.subdistrict_code, "current_password": "",
    }  # fmt: skip
    return body | changes


# --- the account page ------------------------------------------------------------------------


def test_account_pages_need_a_sign_in(client):
    for path in ("/people/account/", "/people/account/profile/", "/people/account/password/"):
        response = client.get(path)
        assert response.status_code == 302 and "/people/login/" in response["Location"]


def test_the_account_page_shows_my_details_and_the_ways_to_change_them():
    person = make_person(email="somying@example.org")
    page = signed_in(person).get("/people/account/").content.decode()
    assert person.full_name in page and "somying@example.org" in page
    assert 'href="/people/account/profile/"' in page and 'href="/people/account/password/"' in page


def test_the_passbook_links_to_my_account():
    page = signed_in(make_person()).get("/passbook/").content.decode()
    assert 'href="/people/account/"' in page


# --- changing the password ----------------------------------------------------------------------


def test_a_password_change_keeps_this_browser_and_ends_every_other_session_and_token():
    person = make_person()
    here, elsewhere = signed_in(person), signed_in(person)
    token = api_token(person)
    assert Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200

    response = here.post(
        "/people/account/password/",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD},
    )

    assert response.status_code == 302 and response["Location"] == "/people/account/"
    assert here.get("/passbook/").status_code == 200  # still signed in here
    gone = elsewhere.get("/passbook/")
    assert gone.status_code == 302 and "/people/login/" in gone["Location"]
    assert Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert not ApiToken.objects.filter(person=person, revoked_at__isnull=True).exists()
    assert not Client().login(username=person.phone, password=PASSWORD)
    assert Client().login(username=person.phone, password=NEW_PASSWORD)
    event = assert_one_audit(PeopleEvent.PASSWORD_CHANGE, subject_id=str(person.public_id))
    assert event.actor == person and event.data == {"api_tokens_revoked": 1}
    assert NEW_PASSWORD not in json.dumps(event.data)


def test_a_wrong_current_password_and_a_mismatch_are_said_in_one_round():
    person = make_person()
    client = signed_in(person)
    response = client.post(
        "/people/account/password/",
        {
            "current_password": "not-my-password",
            "new_password": NEW_PASSWORD,
            "new_password_confirm": "other",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"current_password", "new_password_confirm"}
    page = response.content.decode()
    assert "รหัสผ่านปัจจุบันไม่ถูกต้อง" in page and "data-error-summary" in page
    assert 'value="not-my-password"' not in page  # a password is never sent back
    assert Client().login(username=person.phone, password=PASSWORD)  # unchanged
    assert not AuditEvent.objects.filter(event_type=str(PeopleEvent.PASSWORD_CHANGE)).exists()


@pytest.mark.parametrize(
    ("new", "thai"),
    [
        ("12345678901", "ตัวเลขล้วน"),  # numeric
        ("password", "เดาง่าย"),  # common
        ("kwamdee1", "ชื่อเว็บไซต์"),  # the site's name
    ],
)
def test_django_password_validators_refuse_a_weak_new_password_in_thai(new, thai):
    person = make_person()
    response = signed_in(person).post(
        "/people/account/password/",
        {"current_password": PASSWORD, "new_password": new, "new_password_confirm": new},
    )
    assert response.status_code == 200 and "new_password" in response.context["form"].errors
    assert thai in response.content.decode()
    assert Client().login(username=person.phone, password=PASSWORD)


def test_an_empty_password_change_names_each_missing_answer():
    response = signed_in(make_person()).post("/people/account/password/", {})
    assert set(response.context["form"].errors) == {
        "current_password",
        "new_password",
        "new_password_confirm",
    }
    assert "กรุณากรอก" in response.content.decode()


# --- the profile ---------------------------------------------------------------------------------


def test_the_profile_form_starts_with_my_details_and_the_area_selects_of_sign_up():
    person = make_person()
    response = signed_in(person).get("/people/account/profile/")
    form = response.context["form"]
    assert form["subdistrict_code"].value() == NONG_SARAI
    assert NONG_SARAI in dict(form.fields["subdistrict_code"].choices)  # the district's list is filled
    page = response.content.decode()
    assert 'hx-get="/areas/districts/"' in page and 'data-clears="#id_subdistrict_code"' in page
    assert 'hx-get="/areas/subdistricts/"' in page and "novalidate" in page


def test_a_name_change_is_saved_and_audited_by_field_name_only():
    person = make_person()
    response = signed_in(person).post(
        "/people/account/profile/", profile_body(person, full_name="สมหญิง ใจงาม")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "สมหญิง ใจงาม"
    event = assert_one_audit(PeopleEvent.PROFILE_UPDATE, subject_id=str(person.public_id))
    assert event.data == {"fields": ["full_name"]}
    assert "ใจงาม" not in json.dumps(event.data, ensure_ascii=False)


def test_saving_without_a_change_writes_no_event():
    person = make_person()
    response = signed_in(person).post("/people/account/profile/", profile_body(person), follow=True)
    assert "ไม่มีอะไรเปลี่ยน" in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=str(PeopleEvent.PROFILE_UPDATE)).exists()


def test_a_move_changes_the_community_for_future_deeds_only(deed_types):
    # given a person of Nong Sarai with a deed recorded there
    old_community = make_community(NONG_SARAI)
    new_community = make_community(PHANOM_THUAN)
    person = make_person()
    assert person.community == old_community
    kind = deed_types["volunteer-hours"]
    before = deed_record(actor=person, deed_type_public_id=kind.public_id, performed_on=days_ago(2),
                         description="ช่วยงานวัด", quantity="1")  # fmt: skip
    # when they move to Phanom Thuan
    response = signed_in(person).post(
        "/people/account/profile/", profile_body(person, subdistrict_code=PHANOM_THUAN)
    )
    assert response.status_code == 302
    # then they asked to join the new community (its committee decides), the old membership
    # ended, the old deed stays where it was recorded, a new one is recorded in the new place
    # without a community until the new committee approves them
    person.refresh_from_db()
    assert (person.subdistrict_code, person.district_code, person.province_code) == (
        PHANOM_THUAN,
        "7109",
        "71",
    )
    assert person.community is None
    old, new = CommunityMembership.objects.filter(person=person).order_by("id")
    assert (old.community, old.state, old.ended_at is not None) == (old_community, "approved", True)
    assert (new.community, new.state, new.ended_at) == (new_community, "pending", None)
    before.refresh_from_db()
    assert (before.subdistrict_code, before.province_code, before.community) == (
        NONG_SARAI,
        "71",
        old_community,
    )
    waiting = deed_record(actor=person, deed_type_public_id=kind.public_id, performed_on=days_ago(1),
                          description="ช่วยงานวัด", quantity="1")  # fmt: skip
    assert (waiting.subdistrict_code, waiting.community) == (PHANOM_THUAN, None)
    event = assert_one_audit(PeopleEvent.PROFILE_UPDATE, subject_id=str(person.public_id))
    assert event.data == {"fields": ["subdistrict_code"], "community_requested": str(new_community.public_id)}
    membership_approve(actor=SYSTEM, membership_public_id=new.public_id)
    person.refresh_from_db()
    after = deed_record(actor=person, deed_type_public_id=kind.public_id, performed_on=days_ago(1),
                        description="ช่วยงานวัดอีกวัน", quantity="1")  # fmt: skip
    assert (after.subdistrict_code, after.community) == (PHANOM_THUAN, new_community)
    assert Community.objects.count() == 2


def test_a_phone_or_email_of_another_account_is_refused_without_saying_whose():
    other = make_person(name="ประยูร คนอื่น", email="prayoon@example.org")
    person = make_person()
    client = signed_in(person)
    for changes in ({"phone": other.phone}, {"email": "Prayoon@Example.org"}):
        response = client.post(
            "/people/account/profile/", profile_body(person, current_password=PASSWORD, **changes)
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "ใช้กับบัญชีของคุณไม่ได้" in page
        assert "ประยูร" not in page
    person.refresh_from_db()
    assert person.email is None
    assert not AuditEvent.objects.filter(event_type=str(PeopleEvent.PROFILE_UPDATE)).exists()


def test_a_new_phone_needs_the_current_password_and_then_becomes_the_sign_in():
    person = make_person()
    client = signed_in(person)
    refused = client.post("/people/account/profile/", profile_body(person, phone="0899999999"))
    assert refused.status_code == 200 and "current_password" in refused.context["form"].errors
    wrong = client.post(
        "/people/account/profile/", profile_body(person, phone="0899999999", current_password="nope")
    )
    assert "current_password" in wrong.context["form"].errors

    done = client.post(
        "/people/account/profile/", profile_body(person, phone="089-999-9999", current_password=PASSWORD)
    )

    assert done.status_code == 302
    person.refresh_from_db()
    assert person.phone == "0899999999" and person.username == "0899999999"
    assert Client().login(username="0899999999", password=PASSWORD)
    # the new phone is proven by a code before deeds again (tests/people/test_contact_confirmation.py)
    assert person.contact_confirmed_at is None and done["Location"] == "/people/confirm/"
    assert assert_one_audit(PeopleEvent.PROFILE_UPDATE).data == {
        "fields": ["phone"], "confirmation_code_sent_by": "sms",
    }  # fmt: skip


def test_a_profile_needs_a_name_a_contact_and_a_subdistrict_in_one_round():
    person = make_person()
    response = signed_in(person).post(
        "/people/account/profile/",
        profile_body(
            person,
            full_name="",
            phone="",
            email="",
            district="",
            subdistrict_code="",
            current_password=PASSWORD,
        ),
    )
    assert response.status_code == 200
    assert {"full_name", "phone", "subdistrict_code"} <= set(response.context["form"].errors)
    person.refresh_from_db()
    assert person.full_name == "สมหญิง รักดี"
