"""Sign out on every device (My account): every web session of the person ends, this one too, every
API token is revoked, one audit event; nobody else's session is touched."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from kwamdee.common.errors import PermissionDenied
from kwamdee.people.events import PeopleEvent
from kwamdee.people.models import ApiToken
from kwamdee.people.sessions import person_sessions_end, person_sign_out_everywhere
from tests.audit import assert_one_audit
from tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db
URL = "/people/account/sign-out-everywhere/"


def signed_in(person) -> Client:
    client = Client()
    assert client.login(username=person.phone, password=PASSWORD)
    return client


def api_token(person) -> str:
    response = Client().post(
        "/api/v1/auth/token",
        data=json.dumps({"login": person.phone, "password": PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 201
    return response.json()["token"]


def test_the_account_page_has_the_button():
    page = signed_in(make_person()).get("/people/account/").content.decode()
    assert f'<form method="post" action="{URL}">' in page
    assert "ออกจากระบบในทุกเครื่อง" in page  # in plain Thai


def test_every_session_and_token_ends_and_only_the_persons():
    # given the person signed in on a phone and a computer, with an app's token; and someone else
    person, other = make_person(), make_person(name="คนอื่น ยังอยู่")
    phone, computer, others = signed_in(person), signed_in(person), signed_in(other)
    token, others_token = api_token(person), api_token(other)

    # when they press the button on the computer
    response = computer.post(URL)

    # then the computer is at the sign-in page, signed out, and so is the phone
    assert response.status_code == 302 and response["Location"] == "/people/login/"
    for client in (computer, phone):
        answer = client.get("/people/account/")
        assert answer.status_code == 302 and "/people/login/" in answer["Location"]
    assert Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert not ApiToken.objects.filter(person=person, revoked_at__isnull=True).exists()
    # nobody else is signed out
    assert others.get("/people/account/").status_code == 200
    assert Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {others_token}").status_code == 200
    event = assert_one_audit(PeopleEvent.SIGN_OUT_EVERYWHERE, subject_id=str(person.public_id))
    assert event.actor_id == person.pk
    assert event.data == {"sessions_ended": 2, "api_tokens_revoked": 1}


def test_the_sign_in_page_says_what_happened():
    client = signed_in(make_person())
    page = client.post(URL, follow=True).content.decode()
    assert "ออกจากระบบในทุกเครื่อง" in page or "ทุกเครื่อง" in page


def test_it_takes_a_post_from_a_signed_in_person():
    person = make_person()
    client = signed_in(person)
    assert client.get(URL).status_code == 405
    assert client.get("/people/account/").status_code == 200  # a GET changed nothing
    anonymous = Client().post(URL)
    assert anonymous.status_code == 302 and "/people/login/" in anonymous["Location"]


def test_nobody_signs_someone_else_out():
    person = make_person()
    signed_in(person)
    with pytest.raises(PermissionDenied):
        person_sign_out_everywhere(actor=make_person(name="ผู้อื่น"), person=person)
    assert Session.objects.count() == 1


def test_sessions_that_cannot_be_listed_are_a_setup_error(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    with pytest.raises(ImproperlyConfigured):
        person_sessions_end(make_person())


def test_a_session_cached_beside_the_database_ends_too(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    person = make_person()
    client = signed_in(person)
    assert person_sessions_end(person) == 1
    answer = client.get("/people/account/")
    assert answer.status_code == 302 and "/people/login/" in answer["Location"]
