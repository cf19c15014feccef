"""A verifier confirms a person's national ID from the card (people/identity.py): before that, a
number typed at sign-up is a claim that blocks nobody; after, it is that account's alone."""

import pytest
from django.utils import timezone

from kwamdee.common.models import AccessRecord, AuditEvent
from kwamdee.people.errors import AlreadyRegistered
from kwamdee.people.identity import NationalIdConfirmedElsewhere, NationalIdInvalid, national_id_confirm
from kwamdee.people.models import User
from kwamdee.people.national_id import national_id_hash
from kwamdee.people.services import person_signup
from tests.factories import BANGKOK_SUBDISTRICT, NONG_SARAI, PASSWORD, SYSTEM, make_person

CARD = "1101700230708"  # a checksum-valid example number
OTHER_CARD = "3100600445970"
URL = "/organizations/confirm-id/"

pytestmark = pytest.mark.django_db


def signup(phone, national_id=CARD):
    return person_signup(
        full_name="มานี มีนา", password=PASSWORD, subdistrict_code=NONG_SARAI, consent_given=True,
        phone=phone, national_id=national_id,
    )  # fmt: skip


def test_an_unconfirmed_claim_blocks_nobody():
    someone_else = signup("0891111111")  # typed the real holder's number first
    holder = signup("0892222222")
    assert someone_else.national_id_hash == holder.national_id_hash == national_id_hash(CARD)
    assert someone_else.national_id_confirmed_at is None


def test_confirming_makes_the_number_the_accounts_own_and_clears_other_claims(verifier):
    someone_else = signup("0891111111")
    holder = signup("0892222222")
    cleared = national_id_confirm(actor=verifier, person=holder, national_id="1-1017-00230-70-8")
    assert cleared == 1
    holder.refresh_from_db()
    someone_else.refresh_from_db()
    assert holder.national_id_confirmed_at is not None
    assert holder.national_id_hash == national_id_hash(CARD)
    assert someone_else.national_id_hash is None
    event = AuditEvent.objects.get(event_type="person:national_id_confirm")
    assert event.subject_id == str(holder.public_id)
    assert event.data == {"replaced_claim": False, "claims_cleared": 1}
    assert CARD not in str(event.data)
    assert AccessRecord.objects.filter(viewer=verifier, person_ref=str(holder.public_id)).count() == 1
    # From now on, a sign-up with that number is refused, without saying why.
    with pytest.raises(AlreadyRegistered):
        signup("0893333333")


def test_the_card_wins_over_what_was_typed(verifier):
    person = signup("0891111111", national_id=OTHER_CARD)
    national_id_confirm(actor=verifier, person=person, national_id=CARD)
    person.refresh_from_db()
    assert person.national_id_hash == national_id_hash(CARD)
    assert AuditEvent.objects.get(event_type="person:national_id_confirm").data["replaced_claim"] is True


def test_a_card_confirmed_for_another_account_is_refused_and_changes_nothing(verifier):
    first = signup("0891111111")
    national_id_confirm(actor=SYSTEM, person=first, national_id=CARD)
    second = signup("0892222222", national_id="")
    with pytest.raises(NationalIdConfirmedElsewhere) as exc:
        national_id_confirm(actor=verifier, person=second, national_id=CARD)
    assert "national_id" in exc.value.fields
    second.refresh_from_db()
    assert second.national_id_hash is None and second.national_id_confirmed_at is None
    assert AuditEvent.objects.filter(event_type="person:national_id_confirm").count() == 1


def test_a_number_with_a_wrong_check_digit_is_refused(verifier):
    person = signup("0891111111")
    with pytest.raises(NationalIdInvalid):
        national_id_confirm(actor=verifier, person=person, national_id="1101700230705")
    person.refresh_from_db()
    assert person.national_id_confirmed_at is None


def test_confirming_again_the_same_card_writes_no_second_event(verifier):
    person = signup("0891111111")
    national_id_confirm(actor=verifier, person=person, national_id=CARD)
    national_id_confirm(actor=verifier, person=person, national_id=CARD)
    assert AuditEvent.objects.filter(event_type="person:national_id_confirm").count() == 1


def _post(client, login, national_id=CARD, card_seen="on"):
    return client.post(URL, {"login": login, "national_id": national_id, "card_seen": card_seen})


def test_the_verifier_page_confirms_a_person_of_their_area(client, verifier):
    person = signup("0891111111")
    client.force_login(verifier)
    assert client.get(URL).status_code == 200
    response = _post(client, "089-111-1111")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.national_id_confirmed_at is not None
    # The person sees it on their account page, and who checked it on My data.
    client.force_login(person)
    page = client.get("/people/account/").content.decode()
    # The date of the check is in the Buddhist Era on the Thai page (2569 for 2026), as every date.
    status = page.split('data-testid="national-id-status">')[1].split("</td>")[0]
    confirmed = timezone.localtime(person.national_id_confirmed_at)
    assert str(confirmed.year + 543) in status, status
    assert str(confirmed.year) not in status, status


def test_the_page_finds_nobody_outside_the_verifiers_area(client, verifier):
    outsider = make_person(subdistrict=BANGKOK_SUBDISTRICT, phone="0894444444")
    client.force_login(verifier)
    response = _post(client, "0894444444")
    assert response.status_code == 200
    not_found = _post(client, "0899999990")
    # the same words whether the person lives elsewhere or does not exist
    assert response.context["form"].errors["login"] == not_found.context["form"].errors["login"]
    outsider.refresh_from_db()
    assert outsider.national_id_confirmed_at is None


def test_the_page_needs_the_card_seen_and_a_valid_number(client, verifier):
    person = signup("0891111111")
    client.force_login(verifier)
    response = _post(client, "0891111111", card_seen="")
    assert "card_seen" in response.context["form"].errors
    response = _post(client, "0891111111", national_id="1101700230705")
    assert "national_id" in response.context["form"].errors
    person.refresh_from_db()
    assert person.national_id_confirmed_at is None


def test_only_verifiers_of_an_organization_reach_the_page(client, citizen):
    client.force_login(citizen)
    assert client.get(URL).status_code == 403
    assert not User.objects.filter(national_id_confirmed_at__isnull=False).exists()
