"""Sessions end after a while unused: three days for citizens, eight hours with a role."""

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db


def session_left(client) -> float:
    session = Session.objects.get(session_key=client.session.session_key)
    return (session.expire_date - timezone.now()).total_seconds()


def test_a_citizens_session_ends_after_three_idle_days(client, settings):
    person = make_person()
    client.login(username=person.phone, password=PASSWORD)
    client.get("/passbook/")
    assert settings.SESSION_IDLE_SECONDS - 60 < session_left(client) <= settings.SESSION_IDLE_SECONDS


def test_a_verifiers_session_ends_after_eight_idle_hours(client, verifier, settings):
    client.login(username=verifier.phone, password=PASSWORD)
    client.get("/deeds/queue/")
    assert (
        settings.SESSION_IDLE_SECONDS_ROLES - 60 < session_left(client) <= settings.SESSION_IDLE_SECONDS_ROLES
    )
