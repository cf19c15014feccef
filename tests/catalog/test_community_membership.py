"""The catalog a person is offered follows their membership of a community (people/membership.py):
a community's own deed types only once its committee approved them; the national catalog always."""

import pytest

from kwamdee.catalog.selectors import deed_types_for_person
from kwamdee.people.membership import membership_approve, membership_decline
from tests.factories import make_community
from tests.people.membership_helpers import committee_member, local_deed_type, newcomer, waiting_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(deed_types):
    return make_community()


def test_a_waiting_member_is_offered_the_national_catalog_only(community, deed_types):
    local = local_deed_type(community)
    person = newcomer()
    offered = set(deed_types_for_person(person))
    assert local not in offered
    assert set(deed_types.values()) <= offered  # every national deed type, as anywhere


def test_approval_offers_the_communitys_own_deed_types(community, deed_types):
    local = local_deed_type(community)
    admin = committee_member(community)
    person = newcomer()
    membership_approve(actor=admin, membership_public_id=waiting_request(person).public_id)
    person.refresh_from_db()
    assert local in deed_types_for_person(person)


def test_a_declined_person_keeps_the_national_catalog(community, deed_types):
    local = local_deed_type(community)
    admin = committee_member(community)
    person = newcomer()
    membership_decline(actor=admin, membership_public_id=waiting_request(person).public_id)
    person.refresh_from_db()
    offered = set(deed_types_for_person(person))
    assert local not in offered and set(deed_types.values()) <= offered


def test_the_catalog_page_names_the_community_only_for_its_members(client, community, deed_types):
    person = newcomer(phone="0893334444")
    client.force_login(person)
    local = local_deed_type(community)
    page = client.get("/catalog/").content.decode()
    assert local.name_th not in page
    membership_approve(
        actor=committee_member(community), membership_public_id=waiting_request(person).public_id
    )
    page = client.get("/catalog/").content.decode()
    assert local.name_th in page and community.name_th in page
