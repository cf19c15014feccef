"""Issue 9: a phone or e-mail is proven by a one-time code before the account records deeds, and
a sign-up answers alike whether or not the phone or e-mail already has an account (the owner is
told instead). Through the web (Django's test client), the API and the services."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from kwamdee.common.models import AuditEvent
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record
from kwamdee.people import messaging
from kwamdee.people.choices import CodePurpose
from kwamdee.people.errors import ContactUnconfirmed
from kwamdee.people.events import PeopleEvent
from kwamdee.people.models import OneTimeCode, User
from tests.audit import assert_one_audit
from tests.factories import NONG_SARAI, PASSWORD, days_ago, make_person

pytestmark = pytest.mark.django_db

SMS_IN_MEMORY = override_settings(
    KWAMDEE_MESSAGE_BACKENDS={
        "email": "kwamdee.people.messaging.EmailBackend",
        "sms": "kwamdee.people.messaging.MemoryBackend",
    }
)
NO_SMS = override_settings(KWAMDEE_MESSAGE_BACKENDS={"email": "kwamdee.people.messaging.EmailBackend"})
PHONE = "0861234567"
MASKED = "08x-xxx-4567"


@pytest.fixture(autouse=True)
def _sms_in_memory():
    with SMS_IN_MEMORY:
        yield


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Runs the messages a request asks for once it commits (the test's transaction never does)."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def web_signup(client, sent, phone=PHONE, email="", **extra):
    data = {
        "full_name": "ชูใจ ใฝ่ดี", "phone": phone, "email": email, "password": PASSWORD,
        "province": "71", "district": "7109", "subdistrict_code": NONG_SARAI, "consent": "on", **extra,
    }  # fmt: skip
    return sent(client.post, "/people/signup/", data)


def api_signup(client, sent, phone=PHONE, **extra):
    body = {"full_name": "ปิติ ใจงาม", "password": PASSWORD, "subdistrict_code": NONG_SARAI,
            "consent": True, "phone": phone, **extra}  # fmt: skip
    return sent(client.post, "/api/v1/auth/signup", body, content_type="application/json")


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def last_sms_code(to=PHONE) -> str:
    return code_in([m for m in messaging.outbox if m.to == to][-1].body)


def page_text(response) -> str:
    """The page as a person reads it: without the per-session CSRF tokens."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


# --- sign-up sends a code; the code confirms --------------------------------------------------


def test_a_web_sign_up_sends_a_code_and_lands_on_the_confirm_page(client, sent):
    response = web_signup(client, sent)
    assert response.status_code == 302 and response["Location"] == "/people/confirm/"
    person = User.objects.get(phone=PHONE)
    assert person.contact_confirmed_at is None
    assert client.session["_auth_user_id"] == str(person.pk)  # signed in: they can look around
    # one SMS with the code, of which only a keyed hash is kept
    assert [m.to for m in messaging.outbox] == [PHONE]
    code = last_sms_code()
    row = OneTimeCode.objects.get(person=person)
    assert row.purpose == CodePurpose.CONTACT_CONFIRM and row.channel == "sms"
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert timedelta(minutes=14) < row.expires_at - timezone.now() <= timedelta(minutes=15)
    signup = assert_one_audit(PeopleEvent.SIGNUP, subject_id=str(person.public_id))
    assert signup.data["contact_confirmed"] is False and signup.data["confirmation_code_sent_by"] == "sms"
    assert code not in json.dumps(signup.data)
    page = client.get("/people/confirm/").content.decode()
    assert MASKED in page and PHONE not in page
    assert 'autocomplete="one-time-code"' in page


def test_the_right_code_confirms_once_with_one_audit_event(client, sent):
    web_signup(client, sent)
    person = User.objects.get(phone=PHONE)
    response = client.post("/people/confirm/", {"code": last_sms_code()})
    assert response.status_code == 302 and response["Location"] == "/passbook/"
    person.refresh_from_db()
    assert person.contact_confirmed_at is not None
    event = assert_one_audit(PeopleEvent.CONTACT_CONFIRM, subject_id=str(person.public_id))
    assert event.actor_id == person.pk and event.data == {"channel": "sms"}
    assert OneTimeCode.objects.get(person=person).used_at is not None
    # confirmed: the page sends on, and the same code does nothing again
    assert client.get("/people/confirm/")["Location"] == "/passbook/"
    assert AuditEvent.objects.filter(event_type=str(PeopleEvent.CONTACT_CONFIRM)).count() == 1


def test_a_wrong_code_is_refused_in_thai_and_changes_nothing(client, sent):
    web_signup(client, sent)
    code = last_sms_code()
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/people/confirm/", {"code": wrong})
    assert response.status_code == 200
    assert "รหัสนี้ไม่ถูกต้องหรือใช้ไม่ได้แล้ว" in response.content.decode()
    assert User.objects.get(phone=PHONE).contact_confirmed_at is None
    assert OneTimeCode.objects.get().tries == 1  # the try counts, though it was refused


def test_five_wrong_tries_end_the_code(client, sent):
    web_signup(client, sent)
    code = last_sms_code()
    wrong = "000000" if code != "000000" else "111111"
    for _try in range(5):
        client.post("/people/confirm/", {"code": wrong})
    response = client.post("/people/confirm/", {"code": code})
    assert response.status_code == 200 and "รหัสนี้ไม่ถูกต้อง" in response.content.decode()
    assert User.objects.get(phone=PHONE).contact_confirmed_at is None


def test_an_expired_code_is_refused_and_a_new_one_works(client, sent):
    web_signup(client, sent)
    old = last_sms_code()
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post("/people/confirm/", {"code": old}).status_code == 200
    response = sent(client.post, "/people/confirm/send-again/")
    assert response.status_code == 302 and response["Location"] == "/people/confirm/"
    assert len(messaging.outbox) == 2
    send = assert_one_audit(PeopleEvent.CONTACT_CODE_SEND)
    assert send.system_actor == "contact-confirmation" and send.data == {"channel": "sms"}
    assert client.post("/people/confirm/", {"code": last_sms_code()})["Location"] == "/passbook/"


def test_an_e_mail_sign_up_gets_its_code_by_e_mail(client, sent):
    web_signup(client, sent, phone="", email="Somchai@Example.org")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["somchai@example.org"]
    page = client.get("/people/confirm/").content.decode()
    assert "so***@example.org" in page
    client.post("/people/confirm/", {"code": code_in(mail.outbox[0].body)})
    assert User.objects.get(email="somchai@example.org").contact_confirmed_at is not None


@NO_SMS
def test_without_sms_a_phone_alone_cannot_join_and_a_phone_with_an_e_mail_gets_an_e_mail(client, sent):
    response = web_signup(client, sent)
    assert response.status_code == 200 and not User.objects.exists()
    assert "ยังส่งรหัสทาง SMS ไม่ได้" in response.content.decode()
    response = web_signup(client, sent, email="manee@example.org")
    assert response.status_code == 302
    assert mail.outbox[0].to == ["manee@example.org"] and not messaging.outbox


# --- an unconfirmed person records nothing, and is told first ------------------------------


def test_the_service_refuses_a_deed_of_an_unconfirmed_person(deed_types):
    person = make_person(contact_proven=False)
    with pytest.raises(ContactUnconfirmed) as refused:
        deed_record(
            actor=person, deed_type_public_id=deed_types["returning-lost-property"].public_id,
            performed_on=days_ago(1), description="คืนกระเป๋า",
        )  # fmt: skip
    assert refused.value.code == "contact_unconfirmed" and refused.value.status == 403
    assert not Deed.objects.exists()


def test_the_deed_page_says_so_first_and_a_sent_form_goes_to_the_code(client, deed_types):
    person = make_person(contact_proven=False)
    client.login(username=person.phone, password=PASSWORD)
    page = client.get("/deeds/new/").content.decode()
    assert 'data-testid="contact-unconfirmed"' in page and 'name="description"' not in page
    assert 'href="/people/confirm/?next=%2Fdeeds%2Fnew%2F"' in page
    response = client.post(
        "/deeds/new/",
        {"deed_type": str(deed_types["returning-lost-property"].public_id), "performed_on": days_ago(1),
         "description": "คืนกระเป๋า", "submission_key": "k1"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"].startswith("/people/confirm/")
    assert not Deed.objects.exists()
    follow = client.get(response["Location"]).content.decode()
    assert "ยืนยันเบอร์โทรศัพท์หรืออีเมล" in follow  # the reason, in Thai, on the code's page
    assert 'data-testid="contact-unconfirmed"' in client.get("/passbook/").content.decode()


def test_once_confirmed_the_code_page_goes_back_to_the_deed_page(client, sent):
    web_signup(client, sent)
    response = client.post("/people/confirm/", {"code": last_sms_code(), "next": "/deeds/new/"})
    assert response["Location"] == "/deeds/new/"
    assert 'name="description"' in client.get("/deeds/new/").content.decode()
    # a next that leaves the site is not followed
    assert client.get("/people/confirm/?next=https://evil.example/")["Location"] == "/passbook/"


def test_the_api_refuses_a_deed_of_an_unconfirmed_person_in_words(client, deed_types):
    person = make_person(contact_proven=False)
    token = client.post(
        "/api/v1/auth/token", {"login": person.phone, "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    me = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["contact_confirmed"] is False
    response = client.post(
        "/api/v1/deeds",
        {"deed_type": str(deed_types["returning-lost-property"].public_id), "performed_on": days_ago(1),
         "description": "คืนกระเป๋า"},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert response.status_code == 403
    assert response.json()["code"] == "contact_unconfirmed" and "รหัส" in response.json()["message"]


# --- a known phone: the same answer, nothing made, the owner told -----------------------------


def test_a_known_phone_gets_the_same_page_no_account_and_the_owner_is_told(sent):
    # given someone who joined with PHONE, in their own browser, and confirmed it
    newcomer = Client()
    web_signup(newcomer, sent)
    newcomer_page = page_text(newcomer.get("/people/confirm/"))
    newcomer.post("/people/confirm/", {"code": last_sms_code()})
    owner = User.objects.get(phone=PHONE)
    assert owner.contact_confirmed_at is not None
    messaging.outbox.clear()
    # when someone else signs up with the same phone in another browser
    stranger = Client()
    response = web_signup(stranger, sent, full_name="คนอื่น")
    # then the answer is the same: the confirm page, for the same (masked) phone
    assert response.status_code == 302 and response["Location"] == "/people/confirm/"
    assert page_text(stranger.get("/people/confirm/")) == newcomer_page
    # and nothing was made, nobody is signed in, and the owner got a notice, not a code
    assert User.objects.count() == 1 and "_auth_user_id" not in stranger.session
    assert [m.to for m in messaging.outbox] == [PHONE]
    assert "ลองสมัคร" in messaging.outbox[0].body and not re.search(r"\b\d{6}\b", messaging.outbox[0].body)
    known = assert_one_audit(PeopleEvent.SIGNUP_KNOWN_CONTACT, subject_id=str(owner.public_id))
    assert known.system_actor == "contact-confirmation" and known.data == {"notice_sent_by": "sms"}
    # a code typed there is refused as a wrong one; "send again" answers as for a new person
    wrong = stranger.post("/people/confirm/", {"code": "123456"})
    assert wrong.status_code == 200 and "รหัสนี้ไม่ถูกต้อง" in wrong.content.decode()
    again = sent(stranger.post, "/people/confirm/send-again/")
    assert again.status_code == 302 and again["Location"] == "/people/confirm/"
    assert len(messaging.outbox) == 1  # no code for a confirmed phone, whoever asks


def test_the_owner_is_told_at_most_once_an_hour(sent):
    make_person(phone=PHONE)
    for n in range(3):
        web_signup(Client(), sent, full_name=f"ลอง {n}")
    assert [m.to for m in messaging.outbox] == [PHONE]
    assert AuditEvent.objects.filter(event_type=str(PeopleEvent.SIGNUP_KNOWN_CONTACT)).count() == 3
    assert User.objects.count() == 1


def test_a_known_e_mail_beside_a_new_phone_makes_nothing_and_tells_its_owner(client, sent):
    make_person(phone="0899999999", email="owner@example.org")
    response = web_signup(client, sent, phone=PHONE, email="owner@example.org")
    assert response["Location"] == "/people/confirm/" and User.objects.count() == 1
    assert mail.outbox[0].to == ["owner@example.org"] and not messaging.outbox
    assert MASKED in client.get("/people/confirm/").content.decode()  # as for a new sign-up


def test_the_api_answers_a_known_phone_exactly_as_a_new_one(client, sent):
    first = api_signup(client, sent)
    assert User.objects.filter(phone=PHONE).count() == 1
    second = api_signup(Client(), sent, full_name="คนอื่น", password="another-secret-99")
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json() == {
        "status": "confirmation_sent", "channel": "sms", "sent_to": MASKED, "code_minutes": 15,
    }  # fmt: skip
    assert User.objects.count() == 1


# --- the API pair: sign up, confirm, then a token ---------------------------------------------


def test_the_api_sign_up_confirm_and_record(client, sent, deed_types):
    assert api_signup(client, sent).status_code == 202
    confirm = "/api/v1/auth/signup/confirm"
    wrong = client.post(confirm, {"login": PHONE, "code": "12345"}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "contact_code_invalid"
    nobody = client.post(confirm, {"login": "0800000009", "code": "123456"}, content_type="application/json")
    assert nobody.status_code == 400 and nobody.json() == wrong.json()
    right = client.post(
        confirm, {"login": "086-123-4567", "code": last_sms_code()}, content_type="application/json"
    )
    assert right.status_code == 200 and right.json() == {"status": "confirmed"}
    token = client.post(
        "/api/v1/auth/token", {"login": PHONE, "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/auth/me", **auth).json()["contact_confirmed"] is True
    deed = client.post(
        "/api/v1/deeds",
        {"deed_type": str(deed_types["returning-lost-property"].public_id), "performed_on": days_ago(1),
         "description": "คืนกระเป๋า"},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert deed.status_code == 201


def test_the_api_resend_answers_alike_and_sends_only_where_a_code_is_due(client, sent):
    api_signup(client, sent)
    make_person(phone="0899999999")  # confirmed: no code is due
    messaging.outbox.clear()
    answers = [
        sent(client.post, "/api/v1/auth/signup/resend", {"login": login}, content_type="application/json")
        for login in (PHONE, "0899999999", "0800000009")
    ]
    assert [a.status_code for a in answers] == [202, 202, 202]
    assert {a.json()["status"] for a in answers} == {"confirmation_sent"}
    assert [m.to for m in messaging.outbox] == [PHONE]


def test_send_again_is_limited_alike_for_known_and_new(sent, settings):
    settings.CONTACT_CODE_LIMIT_PER_LOGIN = (3, 3600)
    newcomer = Client()
    web_signup(newcomer, sent)  # the first code
    statuses = [sent(newcomer.post, "/people/confirm/send-again/").status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    make_person(phone="0868888888")
    known = Client()
    web_signup(known, sent, phone="0868888888")
    assert [sent(known.post, "/people/confirm/send-again/").status_code for _ in range(3)] == [302, 302, 429]


def test_the_confirm_page_asks_a_visitor_to_sign_in(client):
    response = client.get("/people/confirm/")
    assert response.status_code == 302 and response["Location"].startswith("/people/login/")
    assert client.post("/people/confirm/send-again/")["Location"].startswith("/people/login/")


# --- a new phone or e-mail on the profile is proven again ---------------------------------------


def test_a_new_phone_on_the_profile_is_unconfirmed_until_its_code(client, sent):
    person = make_person(phone="0811111111")
    assert person.contact_confirmed_at is not None  # factories make confirmed people
    client.login(username=person.phone, password=PASSWORD)
    form = {"full_name": person.full_name, "phone": PHONE, "email": "", "province": "71", "district": "7109",
            "subdistrict_code": NONG_SARAI, "current_password": PASSWORD}  # fmt: skip
    response = sent(client.post, "/people/account/profile/", form)
    assert response.status_code == 302 and response["Location"] == "/people/confirm/"
    person.refresh_from_db()
    assert person.phone == PHONE and person.contact_confirmed_at is None
    assert [m.to for m in messaging.outbox] == [PHONE]  # the new phone, not the old one
    update = assert_one_audit(PeopleEvent.PROFILE_UPDATE, subject_id=str(person.public_id))
    assert update.data == {"fields": ["phone"], "confirmation_code_sent_by": "sms"}
    assert MASKED in client.get("/people/confirm/").content.decode()
    client.post("/people/confirm/", {"code": last_sms_code()})
    person.refresh_from_db()
    assert person.contact_confirmed_at is not None


def test_a_new_name_keeps_the_confirmation(client, sent):
    person = make_person()
    client.login(username=person.phone, password=PASSWORD)
    form = {"full_name": "ชื่อใหม่", "phone": person.phone, "email": "", "province": "71", "district": "7109",
            "subdistrict_code": NONG_SARAI, "current_password": ""}  # fmt: skip
    assert sent(client.post, "/people/account/profile/", form)["Location"] == "/people/account/"
    person.refresh_from_db()
    assert person.contact_confirmed_at is not None and not messaging.outbox


def test_people_who_joined_before_the_rule_are_confirmed_by_the_migration():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("kwamdee.people.migrations.0005_contact_confirmation")
    person = make_person(contact_proven=False)
    migration.existing_people_confirmed(apps, None)
    person.refresh_from_db()
    assert person.contact_confirmed_at is not None


def test_erasure_clears_the_confirmation_and_the_codes(client, sent):
    from kwamdee.privacy.services import person_erase

    web_signup(client, sent)
    person = User.objects.get(phone=PHONE)
    client.post("/people/confirm/", {"code": last_sms_code()})
    person.refresh_from_db()
    person_erase(actor=person, person=person, password=PASSWORD)
    person.refresh_from_db()
    assert person.contact_confirmed_at is None and not OneTimeCode.objects.filter(person=person).exists()
    # the phone is free again: a sign-up with it makes a new account, with a code
    messaging.outbox.clear()
    web_signup(Client(), sent)
    assert User.objects.filter(phone=PHONE).count() == 1 and [m.to for m in messaging.outbox] == [PHONE]
