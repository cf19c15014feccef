"""Headers every page carries: a Content-Security-Policy that allows only this site, no framing,
switched-off browser features, and no caching of anything personal."""

import pytest

from tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_pages_allow_only_this_site_and_no_inline_script(client, deed_types):
    response = client.get("/")
    found = directives(response)
    assert found["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in found["script-src"] and "'self'" in found["script-src"]
    assert found["style-src-elem"] == ["'self'"] and found["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")  # a visitor's public page may be cached
    # even the error pages carry them
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "default-src 'self'" in missing["Content-Security-Policy"]


def test_the_api_documentation_page_is_left_out_of_the_policy(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and "Content-Security-Policy" not in response


def test_personal_answers_are_never_cached(client, deed_types):
    person = make_person()
    client.login(username=person.phone, password=PASSWORD)
    for url in ("/passbook/", "/deeds/", "/privacy/my-data/", "/"):
        assert "no-store" in client.get(url)["Cache-Control"], url
    client.logout()
    token = client.post(
        "/api/v1/auth/token", {"login": person.phone, "password": PASSWORD}, content_type="application/json"
    )
    assert token.status_code == 201 and "no-store" in token["Cache-Control"]
    me = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token.json()['token']}")
    assert me.status_code == 200 and "no-store" in me["Cache-Control"]
