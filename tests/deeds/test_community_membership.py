"""Deeds and membership of a community (people/membership.py): a person whose request to join
waits records the national catalog's deeds, which carry no community; a community's own deed type
is refused until its committee approves them; then their deeds carry the community and its
committee verifies its own deed types."""

import pytest

from kwamdee.common.errors import ValidationFailed
from kwamdee.deeds.models import Deed
from kwamdee.deeds.selectors import deed_decision_refusal
from kwamdee.deeds.services import deed_record, deed_verify
from kwamdee.people.membership import membership_approve, membership_decline
from tests.factories import days_ago, make_community
from tests.people.membership_helpers import committee_member, local_deed_type, newcomer, waiting_request

pytestmark = pytest.mark.django_db


def record(person, deed_type, **extra):
    return deed_record(
        actor=person, deed_type_public_id=deed_type.public_id, performed_on=days_ago(1),
        description="ช่วยลอกคลองกับเพื่อนบ้าน", **extra,
    )  # fmt: skip


@pytest.fixture
def community(deed_types):
    return make_community()


def test_a_local_deed_type_is_refused_while_the_request_waits(community):
    local = local_deed_type(community)
    person = newcomer()
    with pytest.raises(ValidationFailed) as exc:
        record(person, local)
    assert "deed_type" in exc.value.fields
    assert not Deed.objects.filter(person=person).exists()


def test_a_waiting_members_national_deed_carries_no_community_and_goes_to_the_area(
    community, deed_types, verifier
):
    admin = committee_member(community)
    person = newcomer()
    deed = record(person, deed_types["returning-lost-property"])
    assert deed.community is None and deed.subdistrict_code == community.subdistrict_code
    # the area's verifiers decide it, as anyone's in the subdistrict; the committee does not
    assert deed_decision_refusal(verifier, deed) is None
    assert deed_decision_refusal(admin, deed) is not None
    assert deed_verify(actor=verifier, deed_public_id=deed.public_id).status == "verified"


def test_after_approval_the_deed_carries_the_community_and_its_committee_verifies_it(community):
    local = local_deed_type(community)
    admin = committee_member(community)
    person = newcomer()
    membership_approve(actor=admin, membership_public_id=waiting_request(person).public_id)
    person.refresh_from_db()
    deed = record(person, local)
    assert deed.community == community
    assert deed_decision_refusal(admin, deed) is None
    assert deed_verify(actor=admin, deed_public_id=deed.public_id).credit_awarded == 5


def test_after_a_decline_the_national_catalog_still_works(community, deed_types, verifier):
    local = local_deed_type(community)
    admin = committee_member(community)
    person = newcomer()
    membership_decline(actor=admin, membership_public_id=waiting_request(person).public_id, note="ขอพบกันก่อน")
    person.refresh_from_db()
    with pytest.raises(ValidationFailed):
        record(person, local)
    deed = record(person, deed_types["tree-planting"], quantity=3)
    assert deed.community is None
    assert deed_verify(actor=verifier, deed_public_id=deed.public_id).credit_awarded == 3
