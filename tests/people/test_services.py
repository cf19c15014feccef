import pytest
from django.conf import settings

from kwamdee.common.errors import ValidationFailed
from kwamdee.common.models import AuditEvent
from kwamdee.people.errors import AlreadyRegistered, ConsentRequired
from kwamdee.people.identity import national_id_confirm
from kwamdee.people.models import CommunityMembership, Consent, User
from kwamdee.people.national_id import national_id_hash, national_id_is_valid
from kwamdee.people.services import consent_withdraw, person_signup
from tests.factories import NONG_SARAI, PASSWORD, SYSTEM, make_community

VALID_ID = "1101700230708"  # a checksum-valid example number


def signup(**kwargs):
    values = {
        "full_name": "มานี มีนา",
        "password": PASSWORD,
        "subdistrict_code": NONG_SARAI,
        "consent_given": True,
        "phone": "0891234567",
    }
    values.update(kwargs)
    return person_signup(**values)


def test_national_id_checksum():
    assert national_id_is_valid(VALID_ID)
    assert not national_id_is_valid("1101700230705")
    assert not national_id_is_valid("123")


@pytest.mark.django_db
def test_signup_records_consent_role_area_and_audit():
    community = make_community()
    person = signup(national_id="1-1017-00230-70-8")
    assert person.username == "0891234567"
    assert person.province_code == "71" and person.district_code == "7109"
    # the subdistrict's community is asked to join: a member once its committee approves
    assert person.community is None
    [membership] = CommunityMembership.objects.filter(person=person)
    assert (membership.community, membership.state, membership.decided_at) == (community, "pending", None)
    assert person.has_role("citizen")
    consent = Consent.objects.get(person=person)
    assert consent.purpose == "membership"
    assert consent.notice_version == settings.CONSENT_NOTICE_VERSION
    assert consent.given_at is not None and consent.withdrawn_at is None
    event = AuditEvent.objects.get(event_type="person:signup", subject_id=person.public_id)
    assert event.data["community_requested"] == str(community.public_id)


@pytest.mark.django_db
def test_national_id_is_never_stored_in_the_clear():
    person = signup(national_id=VALID_ID)
    person.refresh_from_db()
    assert person.national_id_hash == national_id_hash(VALID_ID)
    assert VALID_ID not in person.national_id_hash
    for event in AuditEvent.objects.all():
        assert VALID_ID not in str(event.data)


@pytest.mark.django_db
def test_a_confirmed_national_id_cannot_register_twice():
    first = signup(national_id=VALID_ID)
    # A claim typed at sign-up blocks nobody; a verifier who saw the card makes it the account's.
    national_id_confirm(actor=SYSTEM, person=first, national_id=VALID_ID)
    with pytest.raises(AlreadyRegistered) as exc:
        signup(phone="0899999999", national_id=VALID_ID)
    assert exc.value.fields == {}  # the message does not say that this national ID is registered
    assert "national" not in str(exc.value.message).lower()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_duplicate_phone_refused():
    signup()
    with pytest.raises(AlreadyRegistered):
        signup(full_name="อีกคน")
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_consent_is_required():
    with pytest.raises(ConsentRequired):
        signup(consent_given=False)
    assert not User.objects.exists() and not Consent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"full_name": " "}, "full_name"),
        ({"phone": "", "email": ""}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "", "email": "not-an-email"}, "email"),
        ({"subdistrict_code": "999999"}, "subdistrict_code"),
        ({"national_id": "1101700230705"}, "national_id"),
        ({"password": "123"}, "password"),
    ],
)
def test_bad_signup_input_changes_nothing(kwargs, field):
    with pytest.raises(ValidationFailed) as exc:
        signup(**kwargs)
    assert field in exc.value.fields
    assert not User.objects.exists()


@pytest.mark.django_db
def test_sign_in_with_email_or_phone(client):
    signup(email="Manee@Example.com")
    assert client.login(username="manee@example.com", password=PASSWORD)
    client.logout()
    assert client.login(username="089-123-4567", password=PASSWORD)
    assert not client.login(username="0891234567", password="wrong")


@pytest.mark.django_db
def test_consent_can_be_withdrawn():
    person = signup()
    assert consent_withdraw(person=person, purpose="membership", actor=person) == 1
    assert Consent.objects.get(person=person).withdrawn_at is not None
    assert AuditEvent.objects.filter(event_type="consent:withdraw").exists()
