import json

import pytest
from django.test import override_settings

from kwamdee.people.models import ApiToken
from tests.factories import PASSWORD, make_person


def token_post(client, login, password):
    return client.post(
        "/api/v1/auth/token",
        data=json.dumps({"login": login, "password": password}),
        content_type="application/json",
    )


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failed_sign_ins_are_locked_out_on_api_and_web(client):
    person = make_person()
    for _ in range(2):
        assert token_post(client, person.phone, "wrong-password").status_code == 401
    assert token_post(client, person.phone, "wrong-password").status_code == 429  # the third
    locked = token_post(client, person.phone, PASSWORD)  # even the right password, for a while
    assert locked.status_code == 429 and locked.json()["code"] == "too_many_attempts"
    page = client.post("/people/login/", {"username": person.phone, "password": PASSWORD})
    assert page.status_code == 429
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_a_good_sign_in_works_with_the_lockout_on(client):
    person = make_person()
    assert token_post(client, person.phone, PASSWORD).status_code == 201
    assert client.post("/people/login/", {"username": person.phone, "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_revoked_and_expired_tokens_stop_working(client, settings):
    person = make_person()
    raw = token_post(client, person.phone, PASSWORD).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/auth/me", **auth).status_code == 200
    assert client.post("/api/v1/auth/token/revoke", **auth).status_code == 204
    assert client.get("/api/v1/auth/me", **auth).status_code == 401
    second = token_post(client, person.phone, PASSWORD).json()["token"]
    settings.API_TOKEN_LIFETIME_DAYS = 0
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 401


@pytest.mark.django_db
def test_nul_characters_are_refused_cleanly(client):
    assert client.get("/api/v1/catalog/deed-types?q=%00").status_code == 400
    response = client.post(
        "/api/v1/auth/token", data='{"login": "\\u0000", "password": "x"}', content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_characters"


@pytest.mark.django_db
def test_signup_keeps_what_was_typed_but_the_password_and_is_never_cached(client):
    """An elderly person does not type 13 digits again after each error (issue 9); the page with
    them is the answer to a write, so no browser or proxy keeps a copy."""
    response = client.post(
        "/people/signup/",
        {
            "full_name": "ทดสอบ",
            "phone": "0812345678",
            "password": "x",
            "province": "71",
            "national_id": "1101700230708",
        },
    )
    assert response.status_code == 200  # the form has errors (short password, no consent)
    page = response.content.decode()
    assert 'value="1101700230708"' in page and 'value="0812345678"' in page
    assert 'value="x"' not in page  # the password is never sent back
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_consent_withdrawal_and_return_on_the_web(client, deed_types, verifier):
    from kwamdee.common.errors import NotFound
    from kwamdee.deeds.selectors import verification_queue
    from kwamdee.deeds.services import deed_record, deed_verify
    from tests.factories import days_ago

    person = make_person()
    deed = deed_record(
        actor=person,
        deed_type_public_id=deed_types["returning-lost-property"].public_id,
        performed_on=days_ago(1),
        description="คืนกระเป๋า",
    )
    client.login(username=person.phone, password=PASSWORD)
    client.post("/people/consent/", {"action": "withdraw"})
    assert 'data-testid="consent-status-membership"' in client.get("/people/consent/").content.decode()
    assert list(verification_queue(verifier=verifier)) == []
    with pytest.raises(NotFound):  # only the person sees their deeds now: to others, none
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    client.post("/people/consent/", {"action": "give"})
    assert [d.pk for d in verification_queue(verifier=verifier)] == [deed.pk]
    assert person.consents.count() == 2


@pytest.mark.django_db
def test_consent_through_the_api(client):
    person = make_person()
    raw = token_post(client, person.phone, PASSWORD).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    history = client.post("/api/v1/auth/consent/withdraw", **auth).json()
    assert history[0]["withdrawn_at"] is not None
    history = client.post("/api/v1/auth/consent/give", **auth).json()
    assert len(history) == 2 and history[0]["withdrawn_at"] is None
