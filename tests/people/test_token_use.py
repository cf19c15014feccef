"""API tokens record their last use and end when unused for 30 days (issue 9)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.people.models import ApiToken
from tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db


def test_a_token_records_its_use_and_ends_when_idle(client):
    person = make_person()
    raw = client.post(
        "/api/v1/auth/token", {"login": person.phone, "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/auth/me", **auth).status_code == 200
    token = ApiToken.objects.get(person=person)
    assert token.last_used_at is not None
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - timedelta(days=40), last_used_at=timezone.now() - timedelta(days=31)
    )
    assert client.get("/api/v1/auth/me", **auth).status_code == 401
