"""Two-step sign-in (kwamdee/people/two_factor.py, middleware.py, two_factor_views.py): who must
use it, the setup with its recovery codes, the code after the password, recovery codes, turning
it off, and the API's token. The suite runs with TWO_FACTOR_REQUIRED off; these tests turn it on
where the rule is what they test."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kwamdee.common.erasure import personal_data_erase
from kwamdee.common.models import AuditEvent
from kwamdee.common.roles import Role, role_grant
from kwamdee.demo.two_factor import DEMO_TWO_FACTOR_LOGINS
from kwamdee.people.errors import TwoFactorCodeInvalid, TwoFactorRequiredForRole, TwoFactorTooManyCodes
from kwamdee.people.events import PeopleEvent
from kwamdee.people.models import User
from kwamdee.people.two_factor import (
    recovery_code_for_reading,
    two_factor_confirm,
    two_factor_disable,
    two_factor_required,
    two_factor_setup_start,
    two_factor_status,
    two_factor_verify,
)
from tests.audit import assert_one_audit
from tests.factories import PASSWORD, SYSTEM, make_person, make_verifier
from tests.people.two_factor_helpers import device_for, session_verify, totp_now

pytestmark = pytest.mark.django_db

SETUP = "/people/two-factor/setup/"
VERIFY = "/people/two-factor/verify/"
RECOVERY = "/people/two-factor/recovery-codes/"
DISABLE = "/people/two-factor/disable/"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def signed_in(person, password=PASSWORD) -> Client:
    client = Client()
    assert client.login(username=person.phone or person.username, password=password)
    return client


def two_factor_events() -> list[str]:
    return list(
        AuditEvent.objects.filter(event_type__startswith="two_factor:").values_list("event_type", flat=True)
    )


def enabled(person) -> tuple[TOTPDevice, list[str]]:
    """Two-step sign-in turned on through the services, as the setup page does."""
    device = two_factor_setup_start(person=person)
    return two_factor_confirm(person=person, code=totp_now(device))


def staff_person() -> User:
    person = make_person(name="วิไล ส่งเสริม")
    role_grant(actor=SYSTEM, person=person, role=Role.STAFF)
    return User.objects.get(pk=person.pk)


# --- who must use it ------------------------------------------------------------------------------


def test_the_roles_that_decide_manage_or_read_others_must_use_it(required):
    citizen = make_person()
    sponsor = make_person(name="กมล ใจบุญ")
    role_grant(actor=SYSTEM, person=sponsor, role=Role.SPONSOR)
    auditor = make_person(name="ผู้ตรวจ สอบ")
    role_grant(actor=SYSTEM, person=auditor, role=Role.AUDITOR)
    superuser = get_user_model().objects.create_superuser(
        username="root-2fa", password=PASSWORD, email="root@kwamdee.invalid", full_name="ผู้ดูแล"
    )
    assert [two_factor_required(p) for p in (citizen, sponsor)] == [False, False]
    assert all(two_factor_required(p) for p in (make_verifier(), staff_person(), auditor, superuser))


def test_nobody_must_use_it_when_the_setting_is_off(settings):
    settings.TWO_FACTOR_REQUIRED = False
    assert not two_factor_required(make_verifier())


def test_a_verifier_without_an_app_is_sent_to_the_setup_from_every_page_the_admin_too(required):
    client = signed_in(make_verifier())
    for path in (
        "/passbook/",
        "/deeds/queue/",
        "/people/account/",
        "/catalog/",
        "/admin/",
        "/admin/deeds/deed/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{SETUP}?next={path.replace('/', '%2F')}", path
    assert client.post("/deeds/new/", {}).status_code == 302


def test_the_setting_off_lets_a_verifier_in_without_an_app(settings):
    settings.TWO_FACTOR_REQUIRED = False
    assert signed_in(make_verifier()).get("/deeds/queue/").status_code == 200


def test_signing_out_the_language_switch_health_and_the_api_need_no_second_step(required):
    verifier = make_verifier()
    device_for(verifier)  # has an app, has not typed its code
    client = signed_in(verifier)
    assert client.get("/passbook/")["Location"].startswith(VERIFY)
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/catalog/"})
    assert switched.status_code == 302 and switched["Location"] == "/catalog/"
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/api/v1/auth/me").status_code == 401  # the API asks for its token, not the step
    assert client.get(VERIFY).status_code == 200
    signed_out = client.post("/people/logout/")
    assert signed_out.status_code == 302 and not signed_out["Location"].startswith("/people/two-factor/")
    assert client.get("/passbook/")["Location"].startswith("/people/login/")


# --- the setup ----------------------------------------------------------------------------------------


def test_the_setup_shows_the_qr_code_and_the_key_and_refuses_a_wrong_code(required):
    verifier = make_verifier()
    client = signed_in(verifier)
    page = client.get(f"{SETUP}?next=/deeds/queue/").content.decode()
    device = TOTPDevice.objects.get(user=verifier)
    assert not device.confirmed
    assert 'src="data:image/svg+xml' in page and 'name="next" value="/deeds/queue/"' in page
    assert 'data-testid="two-factor-required"' in page
    key = page.split('data-testid="two-factor-key">')[1].split("<")[0]
    assert len(key.split()) == 8 and all(len(group) == 4 for group in key.split())
    assert client.get(SETUP).status_code == 200 and TOTPDevice.objects.filter(user=verifier).count() == 1
    assert_one_audit(PeopleEvent.TWO_FACTOR_SETUP_START, subject_id=str(verifier.public_id))

    wrong = f"{(int(totp_now(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong, "next": "/deeds/queue/"})
    assert response.status_code == 200
    assert "รหัสนี้ไม่ถูกต้อง" in response.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert two_factor_events() == ["two_factor:setup_start"]
    assert client.get("/deeds/queue/").status_code == 302  # still not in


def test_the_right_code_turns_it_on_shows_ten_recovery_codes_once_and_lets_the_verifier_in(required):
    verifier = make_verifier()
    client = signed_in(verifier)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=verifier)
    before = client.session.session_key

    response = client.post(SETUP, {"code": totp_now(device), "next": "/deeds/queue/"})

    assert response.status_code == 200
    page = response.content.decode()
    codes = page.split('data-testid="recovery-codes">')[1].split("</ol>")[0].count("<li>")
    assert codes == 10 and StaticToken.objects.filter(device__user=verifier).count() == 10
    assert 'href="/deeds/queue/"' in page and "no-store" in response["Cache-Control"]
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    event = assert_one_audit(PeopleEvent.TWO_FACTOR_ENABLE, subject_id=str(verifier.public_id))
    assert event.data == {"recovery_codes": 10} and event.actor == verifier
    assert client.session.session_key != before  # a new session key at the second step
    assert client.get("/deeds/queue/").status_code == 200
    assert client.get(SETUP)["Location"] == "/people/account/"  # on already: nothing to set up
    for token in StaticToken.objects.filter(device__user=verifier):  # shown once: never again
        assert token.token not in client.get("/people/account/").content.decode()


def test_the_setup_codes_are_checked_as_typed_with_spaces(required):
    person = make_person()
    device = two_factor_setup_start(person=person)
    code = totp_now(device)
    _device, codes = two_factor_confirm(person=person, code=f" {code[:3]} {code[3:]} ")
    assert len(set(codes)) == 10


# --- the second step after the password ----------------------------------------------------------


def test_signing_in_with_an_app_asks_for_its_code_and_a_wrong_one_is_refused(required):
    verifier = make_verifier()
    device = device_for(verifier)
    client = signed_in(verifier)
    response = client.get("/deeds/queue/")
    assert response["Location"] == f"{VERIFY}?next=%2Fdeeds%2Fqueue%2F"
    page = client.get(response["Location"]).content.decode()
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page

    wrong = f"{(int(totp_now(device)) + 1) % 1_000_000:06d}"
    refused = client.post(VERIFY, {"code": wrong, "next": "/deeds/queue/"})
    assert refused.status_code == 200 and "รหัสนี้ไม่ถูกต้อง" in refused.content.decode()
    assert client.get("/deeds/queue/").status_code == 302
    assert two_factor_events() == []  # a wrong code is counted, not audited

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)  # the wait is over
    before = client.session.session_key
    passed = client.post(VERIFY, {"code": totp_now(device), "next": "/deeds/queue/"})
    assert passed.status_code == 302 and passed["Location"] == "/deeds/queue/"
    assert client.session.session_key != before
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/deeds/queue/").status_code == 200
    assert two_factor_events() == []  # a code typed right is no event, as a sign-in is none


def test_the_code_page_sends_nowhere_but_this_site(required):
    verifier = make_verifier()
    device = device_for(verifier)
    client = signed_in(verifier)
    response = client.post(VERIFY, {"code": totp_now(device), "next": "https://evil.example/"})
    assert response["Location"] == "/passbook/"


def test_a_citizen_without_an_app_is_not_asked_for_a_code(required):
    client = signed_in(make_person())
    assert client.get("/passbook/").status_code == 200
    assert client.get(VERIFY)["Location"] == "/people/account/"


def test_django_otp_makes_the_app_wait_after_a_wrong_code(required):
    person = make_person()
    device = device_for(person)
    with pytest.raises(TwoFactorCodeInvalid):
        two_factor_verify(person=person, code="000000" if totp_now(device) != "000000" else "111111")
    with pytest.raises(TwoFactorTooManyCodes):  # within a second: even the right code waits
        two_factor_verify(person=person, code=totp_now(device))
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=2)
    )
    assert two_factor_verify(person=person, code=totp_now(device)).pk == device.pk


def test_codes_typed_for_one_person_are_limited(required, settings):
    settings.TWO_FACTOR_CODE_LIMIT_PER_PERSON = (3, 900)
    verifier = make_verifier()
    device_for(verifier)
    client = signed_in(verifier)
    answers = []
    for _ in range(4):
        StaticDevice.objects.filter(user=verifier).update(throttling_failure_timestamp=None)
        answers.append(client.post(VERIFY, {"recovery_code": "zzzz-zzzz"}).status_code)
    assert answers == [200, 200, 200, 429]
    assert "กรุณารอ 15 นาที" in client.post(VERIFY, {"code": "123456"}).content.decode()


# --- recovery codes ------------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(required):
    verifier = make_verifier()
    _device, codes = enabled(verifier)
    client = signed_in(verifier)
    typed = recovery_code_for_reading(codes[0]).upper()  # as printed, in capitals: still the code
    response = client.post(VERIFY, {"recovery_code": typed, "next": "/deeds/queue/"})
    assert response.status_code == 302 and response["Location"] == "/deeds/queue/"
    assert client.get("/deeds/queue/").status_code == 200
    event = assert_one_audit(PeopleEvent.TWO_FACTOR_RECOVERY_CODE_USE, subject_id=str(verifier.public_id))
    assert event.data == {"recovery_codes_left": 9}
    assert "9" in client.get("/people/account/").content.decode()

    again = signed_in(verifier)
    refused = again.post(VERIFY, {"recovery_code": typed, "next": "/deeds/queue/"})
    assert refused.status_code == 200 and again.get("/deeds/queue/").status_code == 302
    assert AuditEvent.objects.filter(event_type=PeopleEvent.TWO_FACTOR_RECOVERY_CODE_USE).count() == 1


def test_new_recovery_codes_replace_the_old_ones(required):
    person = make_person()
    device, old_codes = enabled(person)
    client = signed_in(person)
    session_verify(client, device)
    assert "รหัสสำรองใหม่" in client.get(RECOVERY).content.decode()
    response = client.post(RECOVERY)
    page = response.content.decode()
    assert response.status_code == 200 and page.count("<li>") >= 10
    new = set(StaticToken.objects.filter(device__user=person).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old_codes)
    assert all(recovery_code_for_reading(code) in page for code in new)
    assert_one_audit(PeopleEvent.TWO_FACTOR_RECOVERY_CODES_REGENERATE, subject_id=str(person.public_id))


def test_the_recovery_page_needs_the_second_step_first(required):
    person = make_person()
    enabled(person)
    response = signed_in(person).post(RECOVERY)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert not AuditEvent.objects.filter(event_type=PeopleEvent.TWO_FACTOR_RECOVERY_CODES_REGENERATE).exists()


# --- optional for citizens; on for good for role-holders ----------------------------------------------


def test_a_citizen_turns_it_on_from_my_account_and_off_with_the_password(required):
    citizen = make_person()
    client = signed_in(citizen)
    account = client.get("/people/account/").content.decode()
    assert "การยืนยันตัวตนสองขั้นตอน" in account and f'href="{SETUP}"' in account
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=citizen)
    client.post(SETUP, {"code": totp_now(device)})
    account = client.get("/people/account/").content.decode()
    assert f'href="{DISABLE}"' in account and f'href="{RECOVERY}"' in account

    wrong = client.post(DISABLE, {"password": "not-my-password"})
    assert wrong.status_code == 200 and TOTPDevice.objects.filter(user=citizen).exists()
    done = client.post(DISABLE, {"password": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/people/account/"
    assert not TOTPDevice.objects.filter(user=citizen).exists()
    assert not StaticDevice.objects.filter(user=citizen).exists()
    assert_one_audit(PeopleEvent.TWO_FACTOR_DISABLE, subject_id=str(citizen.public_id))
    assert two_factor_status(citizen).enabled is False
    assert client.get("/passbook/").status_code == 200  # a password is enough again
    assert f'href="{SETUP}"' in client.get("/people/account/").content.decode()


def test_a_role_holder_cannot_turn_it_off(required):
    verifier = make_verifier()
    device, _codes = enabled(verifier)
    client = signed_in(verifier)
    session_verify(client, device)
    account = client.get("/people/account/").content.decode()
    assert f'href="{DISABLE}"' not in account and "บทบาทของคุณต้องใช้" in account
    page = client.get(DISABLE).content.decode()
    assert 'data-testid="two-factor-required"' in page and 'name="password"' not in page
    client.post(DISABLE, {"password": PASSWORD})
    assert TOTPDevice.objects.filter(user=verifier, confirmed=True).exists()
    with pytest.raises(TwoFactorRequiredForRole):
        two_factor_disable(person=verifier, password=PASSWORD)
    assert not AuditEvent.objects.filter(event_type=PeopleEvent.TWO_FACTOR_DISABLE).exists()


def test_a_device_someone_turned_on_counts_even_with_the_setting_off(settings):
    settings.TWO_FACTOR_REQUIRED = False
    citizen = make_person()
    enabled(citizen)
    assert signed_in(citizen).get("/passbook/")["Location"].startswith(VERIFY)


# --- the API's token ------------------------------------------------------------------------------


def _token(login, password=PASSWORD, **extra):
    body = {"login": login, "password": password, **extra}
    return Client().post("/api/v1/auth/token", data=json.dumps(body), content_type="application/json")


def test_the_api_token_needs_the_code_of_a_person_with_two_step_sign_in(required):
    citizen = make_person()
    device, codes = enabled(citizen)
    missing = _token(citizen.phone)
    assert missing.status_code == 401 and missing.json()["code"] == "two_factor_code_required"
    assert "รหัส 6 หลัก" in missing.json()["message"]
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the setup's code is taken; any new one
    wrong = _token(citizen.phone, code="12345x")
    assert wrong.status_code == 401 and wrong.json()["code"] == "two_factor_code_invalid"
    assert wrong.json()["fields"] == {"code": [wrong.json()["message"]]}
    for model in (TOTPDevice, StaticDevice):  # the wait after a wrong code is over
        model.objects.filter(user=citizen).update(throttling_failure_timestamp=None)
    assert _token(citizen.phone, code=totp_now(device, steps_ahead=1)).status_code == 201
    assert _token(citizen.phone, code=codes[0]).status_code == 201  # a recovery code, once
    assert _token(citizen.phone, code=codes[0]).status_code == 401
    assert _token(citizen.phone, code=123456).status_code == 422  # a string, strictly
    assert _token(citizen.phone, password="wrong-one", code=codes[1]).json()["code"] == "invalid_credentials"


def test_a_role_holder_without_an_app_is_sent_to_the_website_for_a_token(required, settings):
    verifier = make_verifier()
    refused = _token(verifier.phone)
    assert refused.status_code == 403 and refused.json()["code"] == "two_factor_setup_required"
    settings.TWO_FACTOR_REQUIRED = False
    assert _token(verifier.phone).status_code == 201


# --- personal data -----------------------------------------------------------------------------


def test_my_data_shows_the_devices_but_never_a_key_or_a_code(required):
    person = make_person()
    device, codes = enabled(person)
    client = signed_in(person)
    session_verify(client, device)
    page = client.get("/privacy/my-data/").content.decode()
    assert "แอปยืนยันตัวตน" in page and "รหัสสำรอง" in page
    download = client.post("/privacy/my-data/download/json/").content.decode()
    for secret in [device.key, *codes]:
        assert secret not in page and secret not in download


def test_erasure_deletes_the_devices(required):
    person = make_person()
    enabled(person)
    with transaction.atomic():
        personal_data_erase(person)
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()


# --- the demo --------------------------------------------------------------------------------------


def test_seed_demo_gives_the_role_holders_an_app_and_demo_code_tells_its_code(required, capsys):
    call_command("seed_demo")
    printed = capsys.readouterr().out
    for login in DEMO_TWO_FACTOR_LOGINS:
        assert f"  {login}" in printed and "demo_code" in printed
    # citizens, the sponsor and the partner need none
    assert not TOTPDevice.objects.filter(user__phone__in=["0810000002", "0810000007", "0810000010"]).exists()
    call_command("seed_demo", verbosity=0)  # again: nothing doubles
    assert TOTPDevice.objects.filter(confirmed=True).count() == len(DEMO_TWO_FACTOR_LOGINS)

    capsys.readouterr()
    call_command("demo_code", "0810000001")
    code = capsys.readouterr().out.strip()
    verifier = User.objects.get(phone="0810000001")
    assert len(code) == 6 and two_factor_verify(person=verifier, code=code)


def test_demo_code_refuses_an_account_seed_demo_did_not_key(required):
    person = make_verifier()
    device_for(person)  # a random key, as every real account has
    with pytest.raises(CommandError):
        call_command("demo_code", person.phone)
    with pytest.raises(CommandError):
        call_command("demo_code", "0899999999")
