"""Password reset by a one-time code (web, through Django's test client): the same answer whether
or not an account exists, a hashed 6-digit code for 15 minutes, 5 tries, once, throttled per
login and per client, and every session and token ended at the end."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, TestCase, override_settings
from django.utils import timezone

from kwamdee.common.models import AuditEvent
from kwamdee.people import messaging
from kwamdee.people.events import PeopleEvent
from kwamdee.people.models import ApiToken, OneTimeCode
from tests.audit import assert_one_audit
from tests.factories import PASSWORD, make_person
from tests.people.test_account import api_token, signed_in

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "mango-tree-by-the-river"
SMS_IN_MEMORY = override_settings(
    KWAMDEE_MESSAGE_BACKENDS={
        "email": "kwamdee.people.messaging.EmailBackend",
        "sms": "kwamdee.people.messaging.MemoryBackend",
    }
)


def ask(client, login):
    # The code is sent once the request's transaction commits: run that at the end of the request.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/people/password-reset/", {"login": login})


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def last_email_code() -> str:
    return code_in(mail.outbox[-1].body)


def enter(client, code):
    return client.post("/people/password-reset/code/", {"code": code})


def set_new(client, password=NEW_PASSWORD, again=None):
    return client.post(
        "/people/password-reset/new/", {"new_password": password, "new_password_confirm": again or password}
    )


def test_the_sign_in_page_links_to_the_reset(client):
    page = client.get("/people/login/").content.decode()
    assert 'href="/people/password-reset/"' in page
    assert client.get("/people/password-reset/").status_code == 200


def test_the_whole_reset_by_email_ends_every_session_and_token():
    # given a person signed in elsewhere, with an app token
    person = make_person(email="somying@example.org")
    elsewhere = signed_in(person)
    token = api_token(person)
    client = Client()
    # when they ask for a code by e-mail
    response = ask(client, " Somying@Example.org ")
    assert response.status_code == 302 and response["Location"] == "/people/password-reset/code/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["somying@example.org"]
    code = last_email_code()
    # then only a keyed hash of the code is kept
    row = OneTimeCode.objects.get(person=person)
    assert code not in row.code_hash and len(row.code_hash) == 64 and row.channel == "email"
    assert timedelta(minutes=14) < row.expires_at - timezone.now() <= timedelta(minutes=15)
    requested = assert_one_audit(PeopleEvent.PASSWORD_RESET_REQUEST, subject_id=str(person.public_id))
    assert requested.actor is None and requested.system_actor == "password-reset"
    assert requested.data == {"channel": "email"} and code not in json.dumps(requested.data)
    # when they enter it and set a new password
    entered = enter(client, f" {code[:3]} {code[3:]} ")
    assert entered.status_code == 302 and entered["Location"] == "/people/password-reset/new/"
    assert client.get("/people/password-reset/new/").status_code == 200
    done = set_new(client)
    assert done.status_code == 302 and done["Location"] == "/people/login/"
    # then the new password works, the old does not, and every session and token has ended
    assert not Client().login(username="somying@example.org", password=PASSWORD)
    assert Client().login(username="somying@example.org", password=NEW_PASSWORD)
    gone = elsewhere.get("/passbook/")
    assert gone.status_code == 302 and "/people/login/" in gone["Location"]
    assert Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert not ApiToken.objects.filter(person=person, revoked_at__isnull=True).exists()
    event = assert_one_audit(PeopleEvent.PASSWORD_RESET_DONE, subject_id=str(person.public_id))
    assert event.actor == person and event.data == {"channel": "email", "api_tokens_revoked": 1}


@SMS_IN_MEMORY
def test_a_phone_gets_its_code_by_sms():
    person = make_person()
    client = Client()
    assert ask(client, person.phone.replace("08", "+668", 1)).status_code == 302  # however it is typed
    assert [m.to for m in messaging.outbox] == [person.phone] and messaging.outbox[0].channel == "sms"
    assert "15" in messaging.outbox[0].body and "รหัส" in messaging.outbox[0].body  # in Thai
    assert enter(client, code_in(messaging.outbox[0].body)).status_code == 302
    assert set_new(client).status_code == 302
    assert Client().login(username=person.phone, password=NEW_PASSWORD)


@SMS_IN_MEMORY
def test_the_answer_is_the_same_whether_or_not_an_account_exists():
    person = make_person()
    known, unknown = Client(), Client()
    for client, login in ((known, person.phone), (unknown, "0899999999")):
        response = ask(client, login)
        assert response.status_code == 302 and response["Location"] == "/people/password-reset/code/"
    pages = [
        re.sub(
            r'csrf[^"]*"[^"]*"[^"]*"', "", c.get("/people/password-reset/code/").content.decode(), flags=re.I
        )
        for c in (known, unknown)
    ]
    assert pages[0].replace(person.phone, "X") == pages[1].replace("0899999999", "X")
    assert "ถ้ามีบัญชี" in pages[1]
    assert len(messaging.outbox) == 1  # only the real account was sent a code
    assert AuditEvent.objects.filter(event_type=str(PeopleEvent.PASSWORD_RESET_REQUEST)).count() == 1
    # a code typed for an account that does not exist gets the same refusal as a wrong one
    refusals = [enter(c, "123456").content.decode() for c in (known, unknown)]
    assert "รหัสนี้ไม่ถูกต้องหรือใช้ไม่ได้แล้ว" in refusals[0] and "รหัสนี้ไม่ถูกต้องหรือใช้ไม่ได้แล้ว" in refusals[1]


@SMS_IN_MEMORY
def test_five_wrong_tries_use_the_code_up():
    person = make_person()
    client = Client()
    ask(client, person.phone)
    code = code_in(messaging.outbox[0].body)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = enter(client, wrong)
        assert response.status_code == 200 and "code" in response.context["form"].errors
    assert enter(client, code).status_code == 200  # the right code, too late
    assert OneTimeCode.objects.get(person=person).tries == 5
    assert client.get("/people/password-reset/new/").status_code == 302


@SMS_IN_MEMORY
def test_an_expired_code_is_refused():
    person = make_person()
    client = Client()
    ask(client, person.phone)
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = enter(client, code_in(messaging.outbox[0].body))
    assert response.status_code == 200 and "code" in response.context["form"].errors


@SMS_IN_MEMORY
def test_a_code_works_once_and_a_new_one_replaces_the_old():
    person = make_person()
    client = Client()
    ask(client, person.phone)
    first = code_in(messaging.outbox[-1].body)
    ask(client, person.phone)
    second = code_in(messaging.outbox[-1].body)
    assert OneTimeCode.objects.filter(person=person).count() == 1
    if first != second:
        assert enter(client, first).status_code == 200  # replaced
    assert enter(client, second).status_code == 302
    assert enter(client, second).status_code == 200  # entered already
    assert set_new(client).status_code == 302
    # the step after the code is gone too: the page sends the person back to the start
    again = set_new(client, "another-fine-password-9")
    assert again.status_code == 302 and again["Location"] == "/people/password-reset/"
    assert Client().login(username=person.phone, password=NEW_PASSWORD)
    assert AuditEvent.objects.filter(event_type=str(PeopleEvent.PASSWORD_RESET_DONE)).count() == 1


@SMS_IN_MEMORY
def test_the_new_password_must_match_and_pass_the_validators():
    person = make_person()
    client = Client()
    ask(client, person.phone)
    enter(client, code_in(messaging.outbox[0].body))
    mismatch = set_new(client, NEW_PASSWORD, "something-else-entirely")
    assert mismatch.status_code == 200 and "new_password_confirm" in mismatch.context["form"].errors
    weak = set_new(client, "12345678901")
    assert weak.status_code == 200 and "ตัวเลขล้วน" in weak.content.decode()
    own_phone = set_new(client, person.phone + "x")  # too like the person's own details
    assert own_phone.status_code == 200 and "new_password" in own_phone.context["form"].errors
    assert Client().login(username=person.phone, password=PASSWORD)  # unchanged so far
    assert set_new(client).status_code == 302


def test_the_code_and_new_password_pages_need_the_earlier_steps(client):
    assert client.get("/people/password-reset/code/")["Location"] == "/people/password-reset/"
    response = client.get("/people/password-reset/new/", follow=True)
    assert response.redirect_chain[-1][0] == "/people/password-reset/"
    assert "หมดเวลาตั้งรหัสผ่านใหม่" in response.content.decode()


def test_an_entered_code_must_be_used_within_its_time():
    make_person(email="a@example.org")
    client = Client()
    ask(client, "a@example.org")
    enter(client, last_email_code())
    OneTimeCode.objects.update(verified_at=timezone.now() - timedelta(minutes=16))
    assert set_new(client)["Location"] == "/people/password-reset/"
    assert Client().login(username="a@example.org", password=PASSWORD)


def test_what_is_not_a_phone_or_an_email_is_refused_with_a_message(client):
    for login in ("", "hello", "12"):
        response = ask(client, login)
        assert response.status_code == 200 and "login" in response.context["form"].errors
    assert not mail.outbox


@override_settings(KWAMDEE_MESSAGE_BACKENDS={"email": "kwamdee.people.messaging.EmailBackend"})
def test_without_an_sms_backend_a_phone_is_told_plainly_and_nothing_pretends_to_be_sent(client):
    person = make_person()
    response = ask(client, person.phone)
    assert response.status_code == 200
    assert "ยังส่งรหัสทาง SMS ไม่ได้" in response.content.decode()
    assert not OneTimeCode.objects.exists() and not messaging.outbox
    assert "ยังส่งรหัสทาง SMS ไม่ได้" in ask(client, "0899999999").content.decode()  # the same for anyone


@SMS_IN_MEMORY
@override_settings(PASSWORD_RESET_LIMIT_PER_LOGIN=(3, 3600))
def test_requests_for_one_login_are_limited_with_a_thai_page():
    person = make_person()
    for _ in range(3):
        assert ask(Client(), person.phone).status_code == 302
    refused = ask(Client(), person.phone)
    assert refused.status_code == 429 and "กรุณารอ" in refused.content.decode()
    assert len(messaging.outbox) == 3
    # an unknown login is limited the same way
    for _ in range(3):
        assert ask(Client(), "0899999999").status_code == 302
    assert ask(Client(), "0899999999").status_code == 429


@SMS_IN_MEMORY
@override_settings(PASSWORD_RESET_LIMIT_PER_CLIENT=(10, 3600), TRUSTED_PROXIES=[])
def test_requests_from_one_client_are_limited_across_logins():
    for n in range(10):
        assert ask(Client(REMOTE_ADDR="203.0.113.7"), f"08900000{n:02d}").status_code == 302
    assert ask(Client(REMOTE_ADDR="203.0.113.7"), "0890000099").status_code == 429
    assert ask(Client(REMOTE_ADDR="203.0.113.8"), "0890000099").status_code == 302  # another client


@SMS_IN_MEMORY
@override_settings(PASSWORD_RESET_CODE_LIMIT_PER_CLIENT=(3, 900))
def test_codes_typed_from_one_client_are_limited():
    person = make_person()
    client = Client()
    ask(client, person.phone)
    for _ in range(3):
        assert enter(client, "999999").status_code == 200
    assert enter(client, code_in(messaging.outbox[0].body)).status_code == 429
