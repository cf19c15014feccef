"""Consent per purpose (issue 9): each use of a person's data has its own consent, with its own
versioned notice; each is given or withdrawn in one click; a new notice version asks again."""

import pytest

from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.models import Consent
from kwamdee.people.selectors import consent_active, consents_outdated
from tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db


def signed_in(client):
    person = make_person()
    client.login(username=person.phone, password=PASSWORD)
    return person


def test_every_purpose_has_its_notice_and_only_joining_is_given_at_sign_up(client):
    person = signed_in(client)
    page = client.get("/people/consent/").content.decode()
    for purpose in ConsentPurpose.values:
        assert f'data-purpose="{purpose}"' in page, purpose
    assert consent_active(person=person) is not None
    assert consent_active(person=person, purpose=ConsentPurpose.PUBLIC_DISPLAY) is None


def test_public_recognition_is_given_and_withdrawn_in_one_click_each(client):
    person = signed_in(client)
    client.post("/people/consent/", {"purpose": "public_display", "action": "give"})
    given = consent_active(person=person, purpose=ConsentPurpose.PUBLIC_DISPLAY)
    assert given is not None and given.notice_version == "2026-11-23"
    client.post("/people/consent/", {"purpose": "public_display", "action": "withdraw"})
    assert consent_active(person=person, purpose=ConsentPurpose.PUBLIC_DISPLAY) is None
    # taking part is untouched by the other purposes
    assert consent_active(person=person) is not None


def test_an_unknown_purpose_changes_nothing(client):
    person = signed_in(client)
    before = Consent.objects.filter(person=person).count()
    response = client.post("/people/consent/", {"purpose": "selling-my-data", "action": "give"})
    assert response.status_code == 400 and Consent.objects.filter(person=person).count() == before


def test_a_new_notice_version_asks_again(client, settings):
    person = signed_in(client)
    settings.CONSENT_NOTICE_VERSION = "2027-01-01"  # the membership notice changes
    assert [s.notice.purpose for s in consents_outdated(person=person)] == ["membership"]
    page = client.get("/people/consent/").content.decode()
    assert "ประกาศนี้เปลี่ยนไปแล้ว" in page
    assert 'data-testid="consent-outdated"' in client.get("/passbook/").content.decode()
    client.post("/people/consent/", {"purpose": "membership", "action": "give"})
    assert consents_outdated(person=person) == []
    assert consent_active(person=person).notice_version == "2027-01-01"
    # the old consent is closed, not lost: the history keeps both
    assert Consent.objects.filter(person=person, purpose="membership").count() == 2
