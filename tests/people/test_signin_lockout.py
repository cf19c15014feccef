"""The sign-in throttle (django-axes, kwamdee/people/throttle.py), through real requests.

Per login and client: 10 failures within the cool-off lock that login from that client, however
the login is spelled, on the web and the API alike. Per client: 30 failures across any logins lock
the client (password spraying). The client is REMOTE_ADDR unless it is a trusted proxy."""

import io
import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from kwamdee.common.client import client_address, client_throttle_key
from kwamdee.people.models import ApiToken
from kwamdee.settings.checks import proxy_networks
from tests.factories import PASSWORD, make_person

PHONE = "0810000004"
SPELLINGS = ["081-0000004", "0810 000004", "+66810000004", " 0810000004 ", "+66 81 000 0004"]
LOGIN_LIMIT = 10
CLIENT_LIMIT = 30


@pytest.fixture(autouse=True)
def _lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LOGIN_LIMIT
    settings.SIGNIN_CLIENT_FAILURE_LIMIT = CLIENT_LIMIT
    settings.TRUSTED_PROXIES = []


def web_sign_in(client, login, password, **extra):
    return client.post("/people/login/", {"username": login, "password": password}, **extra)


def api_sign_in(client, login, password, **extra):
    body = json.dumps({"login": login, "password": password})
    return client.post("/api/v1/auth/token", data=body, content_type="application/json", **extra)


def refused(response) -> bool:
    """A wrong password: the sign-in page again (200) on the web, 401 on the API."""
    return response.status_code in (200, 401)


# --- one login, however spelled ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("sign_in", [web_sign_in, api_sign_in], ids=["web", "api"])
def test_every_spelling_of_a_phone_counts_toward_one_lockout(client, sign_in):
    make_person(phone=PHONE)
    for n in range(LOGIN_LIMIT - 1):
        assert refused(sign_in(client, SPELLINGS[n % len(SPELLINGS)], "wrong-password")), n
    assert sign_in(client, "081-000-0004", "wrong-password").status_code == 429  # the 10th
    # Locked for every spelling, even with the right password, on the web and the API alike.
    for spelling in SPELLINGS:
        assert web_sign_in(client, spelling, PASSWORD).status_code == 429
        locked = api_sign_in(client, spelling, PASSWORD)
        assert locked.status_code == 429 and locked.json()["code"] == "too_many_attempts"
    assert not ApiToken.objects.exists()
    assert "_auth_user_id" not in client.session
    # One count, under the login as the backend reads it.
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {PHONE}


@pytest.mark.django_db
def test_web_and_api_failures_add_up(client):
    make_person(phone=PHONE)
    for n in range(LOGIN_LIMIT - 1):
        sign_in = web_sign_in if n % 2 else api_sign_in
        assert refused(sign_in(client, SPELLINGS[n % len(SPELLINGS)], "wrong-password"))
    assert web_sign_in(client, "+66810000004", "wrong-password").status_code == 429


@pytest.mark.django_db
def test_an_email_counts_as_one_login_whatever_its_case_and_spaces(client):
    make_person(email="somchai@example.org")
    spellings = ["Somchai@Example.org", " somchai@example.org", "SOMCHAI@EXAMPLE.ORG "]
    for n in range(LOGIN_LIMIT - 1):
        assert api_sign_in(client, spellings[n % 3], "wrong-password").status_code == 401
    assert web_sign_in(client, "somchai@EXAMPLE.org", "wrong-password").status_code == 429
    assert api_sign_in(client, "somchai@example.org", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_the_lockout_is_per_client_and_other_logins_still_work(client):
    person = make_person(phone=PHONE)
    other = make_person()
    for _ in range(LOGIN_LIMIT):
        web_sign_in(client, PHONE, "wrong-password")
    assert web_sign_in(client, PHONE, PASSWORD).status_code == 429
    # The owner, from their own phone, is not locked out by a stranger elsewhere.
    assert api_sign_in(client, person.phone, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 201
    # Another login from the locked client is not locked by this login's failures.
    assert web_sign_in(client, other.phone, PASSWORD).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("sign_in", [web_sign_in, api_sign_in], ids=["web", "api"])
def test_a_good_sign_in_clears_that_logins_failures(client, sign_in):
    make_person(phone=PHONE)
    for _ in range(LOGIN_LIMIT - 1):
        assert refused(sign_in(client, "+66810000004", "wrong-password"))
    assert sign_in(client, "081-0000004", PASSWORD).status_code in (201, 302)
    client.logout()
    for _ in range(LOGIN_LIMIT - 1):
        assert refused(sign_in(client, PHONE, "wrong-password"))
    assert sign_in(client, PHONE, PASSWORD).status_code in (201, 302)


@pytest.mark.django_db
def test_a_success_with_the_email_clears_the_failures_of_the_email(client):
    # The account's username is the phone; the person signs in with their e-mail.
    make_person(phone=PHONE, email="somchai@example.org")
    for _ in range(LOGIN_LIMIT - 1):
        assert web_sign_in(client, "Somchai@example.org", "wrong-password").status_code == 200
    assert web_sign_in(client, "somchai@example.org", PASSWORD).status_code == 302
    client.logout()
    for _ in range(LOGIN_LIMIT - 1):
        assert web_sign_in(client, "somchai@example.org ", "wrong-password").status_code == 200
    assert web_sign_in(client, "SOMCHAI@example.org", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_login_longer_than_axes_column_is_refused_not_an_error(client):
    """axes keeps the login in 255 characters: longer text is cut (it signs in to no account)."""
    for login in ["0" * 1000, "a" * 1000 + "@example.org"]:
        assert api_sign_in(client, login, "x").status_code == 401
    assert web_sign_in(client, "0" * 1000, "x").status_code == 200


# --- one client, many logins (password spraying) ----------------------------------------------


@pytest.mark.django_db
def test_thirty_logins_from_one_client_lock_that_client(client):
    person = make_person(phone=PHONE)
    for n in range(CLIENT_LIMIT - 1):
        sign_in = web_sign_in if n % 2 else api_sign_in
        assert refused(sign_in(client, f"08{n + 20_000_000:08d}", "kwamdee1")), n
    locked = api_sign_in(client, "0899999999", "kwamdee1")  # the 30th failure
    assert locked.status_code == 429 and locked.json()["code"] == "too_many_attempts"
    # The whole client waits, whatever login it tries, even a right one.
    assert web_sign_in(client, person.phone, PASSWORD).status_code == 429
    assert api_sign_in(client, person.phone, PASSWORD).status_code == 429
    # Another client is not affected.
    assert api_sign_in(client, person.phone, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 201


@pytest.mark.django_db
def test_a_sprayer_cannot_start_again_by_signing_in_to_their_own_account(client):
    own = make_person()
    for n in range(20):
        assert api_sign_in(client, f"08{n + 30_000_000:08d}", "kwamdee1").status_code == 401
    assert web_sign_in(client, own.phone, PASSWORD).status_code == 302
    assert api_sign_in(client, own.phone, PASSWORD).status_code == 201
    client.logout()
    for n in range(CLIENT_LIMIT - 20 - 1):
        assert api_sign_in(client, f"08{n + 40_000_000:08d}", "kwamdee1").status_code == 401
    assert api_sign_in(client, "0849999999", "kwamdee1").status_code == 429


@pytest.mark.django_db
def test_ipv6_addresses_of_one_subscriber_count_as_one_client(client):
    for n in range(CLIENT_LIMIT - 1):
        address = f"2001:db8:1:2::{n + 1:x}"  # one /64, a new address each time
        assert api_sign_in(client, f"08{n + 50_000_000:08d}", "x", REMOTE_ADDR=address).status_code == 401
    assert api_sign_in(client, "0859999999", "x", REMOTE_ADDR="2001:db8:1:2::ffff").status_code == 429
    assert api_sign_in(client, "0859999999", "x", REMOTE_ADDR="2001:db8:1:3::1").status_code == 401


# --- the client's address behind a proxy ------------------------------------------------------


@pytest.mark.django_db
def test_x_forwarded_for_is_ignored_when_no_proxy_is_trusted(client):
    """By default a client cannot pick a new address per try by sending the header itself."""
    for n in range(CLIENT_LIMIT - 1):
        spoofed = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n + 1}"}
        assert api_sign_in(client, f"08{n + 60_000_000:08d}", "x", **spoofed).status_code == 401
    response = api_sign_in(client, "0869999999", "x", HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_is_counted_apart(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    person = make_person(phone=PHONE)
    via_proxy = {"REMOTE_ADDR": "10.0.0.5"}
    attacker = {**via_proxy, "HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.9"}  # the first is forged
    for n in range(CLIENT_LIMIT):
        last = web_sign_in(client, f"08{n + 70_000_000:08d}", "x", **attacker)
    assert last.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # Everyone else behind the same proxy still signs in.
    neighbour = {**via_proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    assert api_sign_in(client, person.phone, PASSWORD, **neighbour).status_code == 201
    # The attacker's own address stays locked, whatever it forges to the left.
    forged = {**via_proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.9"}
    assert api_sign_in(client, person.phone, PASSWORD, **forged).status_code == 429


def _request(remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "198.51.100.1", "203.0.113.9", "198.51.100.1"),  # nothing trusted: the header is not read
        (["10.0.0.1"], "198.51.100.1", "203.0.113.9", "198.51.100.1"),  # a peer that is no proxy
        (["10.0.0.1"], "10.0.0.1", "203.0.113.9", "203.0.113.9"),
        (["10.0.0.1"], "10.0.0.1", "192.0.2.66, 203.0.113.9", "203.0.113.9"),  # a forged hop
        (["10.0.0.0/8"], "10.0.0.1", "192.0.2.66, 203.0.113.9, 10.1.2.3", "203.0.113.9"),  # two proxies
        (["10.0.0.0/8"], "10.0.0.1", "203.0.113.9:5123", "203.0.113.9"),  # with a port
        (["10.0.0.0/8"], "10.0.0.1", "[2001:db8::7]:443", "2001:db8::7"),
        (["10.0.0.0/8"], "10.0.0.1", "not-an-address", "10.0.0.1"),  # nothing better than the proxy
        (["10.0.0.0/8"], "10.0.0.1", None, "10.0.0.1"),  # no header
        (["10.0.0.0/8"], "10.0.0.1", "10.9.9.9", "10.9.9.9"),  # every hop a proxy: the farthest
        (["::1"], "::1", "::ffff:203.0.113.9", "203.0.113.9"),  # IPv4-mapped
        ([], "::ffff:198.51.100.1", None, "198.51.100.1"),
    ],
)
def test_client_address(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    assert client_address(_request(remote, forwarded)) == expected


def test_a_throttle_counts_an_ipv6_client_by_its_64(settings):
    settings.TRUSTED_PROXIES = []
    assert client_throttle_key(_request("2001:db8:1:2:aaaa:bbbb:cccc:dddd")) == "2001:db8:1:2::"
    assert client_throttle_key(_request("203.0.113.9")) == "203.0.113.9"


def test_the_proxy_setting_is_read_and_checked():
    assert proxy_networks("X", {"X": " 127.0.0.1, 10.0.0.0/8 ,,::1 "}) == ["127.0.0.1", "10.0.0.0/8", "::1"]
    assert proxy_networks("X", {}) == []
    with pytest.raises(ImproperlyConfigured, match="not an IP address"):
        proxy_networks("X", {"X": "10.0.0.0/8,proxy.example"})


# --- what is kept ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_successful_sign_in_leaves_no_record_of_address_or_user_agent(client):
    person = make_person()
    assert web_sign_in(client, person.phone, PASSWORD, HTTP_USER_AGENT="Phone/1.0").status_code == 302
    assert api_sign_in(client, person.phone, PASSWORD).status_code == 201
    assert not AccessLog.objects.exists()
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_axes_prune_deletes_what_no_longer_counts(client, settings):
    person = make_person()
    web_sign_in(client, person.phone, "wrong-password")
    api_sign_in(client, "0812345678", "wrong-password")
    AccessAttempt.objects.filter(username="0812345678").update(
        attempt_time=timezone.now() - timedelta(minutes=16)  # past the 15 minutes' cool-off
    )
    AccessLog.objects.create(  # written before AXES_DISABLE_ACCESS_LOG
        username=person.phone, ip_address="198.51.100.1", user_agent="x", http_accept="*/*", path_info="/"
    )
    out = io.StringIO()
    call_command("axes_prune", stdout=out)
    assert "deleted 1 expired attempts, 1 sign-in logs" in out.getvalue()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [person.phone]
    assert not AccessLog.objects.exists()
