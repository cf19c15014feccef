"""The time bank's API (/api/v1/timebank, issue 12): categories, listings of the caller's
community, replying (an exchange proposed), confirming, declining, withdrawing, the pool, and the
reports. Refusals answer the documented error shape and change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.common.roles import Role, role_grant
from kwamdee.timebank.ledger import pool_balance, time_balance
from kwamdee.timebank.models import Exchange, Listing
from kwamdee.timebank.services import exchange_propose, listing_post, timebank_limit_set
from tests.api.test_api import get, post, token_for
from tests.factories import PHANOM_THUAN, SYSTEM, make_community, make_person
from tests.timebank.factories import exchanged, make_committee, member, time_community

pytestmark = pytest.mark.django_db

T = "/api/v1/timebank"


@pytest.fixture
def village():
    community = time_community()
    return community, member("ประเสริฐ มีสุข"), member("สมหญิง รักดี")


def _offer(person, title="ซ่อมพัดลม"):
    return listing_post(actor=person, kind="offer", category_code="repairs", title=title)


def test_categories_are_the_twelve_of_the_data(client, village):
    _community, giver, _receiver = village
    response = get(client, f"{T}/categories", token_for(client, giver.phone))
    assert response.status_code == 200
    codes = [c["code"] for c in response.json()]
    assert len(codes) == 12 and codes[0] == "elder-care"
    assert response.json()[0]["counts_as_deed_type"] is None


def test_listings_post_filter_and_close(client, village):
    _community, giver, receiver = village
    token = token_for(client, giver.phone)
    created = post(
        client, f"{T}/listings", {"kind": "offer", "category": "repairs", "title": "ซ่อมก๊อกน้ำ"}, token
    )
    assert created.status_code == 201 and created.json()["mine"] is True
    listing_post(actor=receiver, kind="request", category_code="cooking", title="ทำกับข้าว")
    offers = get(client, f"{T}/listings?kind=offer", token).json()
    assert offers["count"] == 1 and offers["listings"][0]["title"] == "ซ่อมก๊อกน้ำ"
    assert get(client, f"{T}/listings?category=cooking", token).json()["count"] == 1
    # Another member may not close it (404, as none); its member may, once.
    other = token_for(client, receiver.phone)
    public_id = created.json()["public_id"]
    assert post(client, f"{T}/listings/{public_id}/close", {}, other).status_code == 404
    assert post(client, f"{T}/listings/{public_id}/close", {}, token).json()["state"] == "closed"
    again = post(client, f"{T}/listings/{public_id}/close", {}, token)
    assert again.status_code == 400 and again.json()["code"] == "time_listing_invalid"


def test_an_unknown_category_is_refused_naming_the_field(client, village):
    _community, giver, _receiver = village
    response = post(client, f"{T}/listings", {"kind": "offer", "category": "nope", "title": "x"},
                    token_for(client, giver.phone))  # fmt: skip
    assert response.status_code == 400 and "category" in response.json()["fields"]
    assert not Listing.objects.exists()


def test_replying_confirming_and_the_balances(client, village):
    _community, giver, receiver = village
    listing = _offer(giver)
    receiver_token, giver_token = token_for(client, receiver.phone), token_for(client, giver.phone)
    proposed = post(
        client, f"{T}/exchanges", {"listing": str(listing.public_id), "minutes": 90}, receiver_token
    )
    assert proposed.status_code == 201, proposed.content
    body = proposed.json()
    assert body["i_gave"] is False and body["proposed_by_me"] is True and body["actions"] == ["withdraw"]
    public_id = body["public_id"]
    # The proposer may not confirm it; the other side does, once.
    refused = post(client, f"{T}/exchanges/{public_id}/confirm", {}, receiver_token)
    assert refused.status_code == 403
    done = post(client, f"{T}/exchanges/{public_id}/confirm", {}, giver_token)
    assert done.status_code == 200 and done.json()["state"] == "confirmed"
    twice = post(client, f"{T}/exchanges/{public_id}/confirm", {}, giver_token)
    assert twice.status_code == 409 and twice.json()["code"] == "time_exchange_decided"
    assert get(client, f"{T}/balance", giver_token).json() == {"minutes": 90, "limit_minutes": -600,
                                                              "room_minutes": 690}  # fmt: skip
    assert get(client, f"{T}/balance", receiver_token).json()["minutes"] == -90
    mine = get(client, f"{T}/exchanges", receiver_token).json()
    assert mine["count"] == 1 and mine["exchanges"][0]["public_id"] == public_id


def test_a_third_party_gets_not_found_and_nothing_moves(client, village):
    _community, giver, receiver = village
    exchange = exchange_propose(
        actor=giver, giver=giver, receiver=receiver, minutes=30, category_code="repairs"
    )
    neighbour = member("บุญมา ศรีสุข")
    token = token_for(client, neighbour.phone)
    assert get(client, f"{T}/exchanges/{exchange.public_id}", token).status_code == 404
    for action in ("confirm", "decline", "withdraw", "pool-cover"):
        assert post(client, f"{T}/exchanges/{exchange.public_id}/{action}", {}, token).status_code == 404
    exchange.refresh_from_db()
    assert exchange.state == "proposed"


def test_beyond_the_limit_is_refused_and_the_exchange_stays_proposed(client, village):
    community, giver, receiver = village
    timebank_limit_set(actor=SYSTEM, community=community, minutes=0)
    exchange = exchange_propose(
        actor=giver, giver=giver, receiver=receiver, minutes=30, category_code="repairs"
    )
    response = post(
        client, f"{T}/exchanges/{exchange.public_id}/confirm", {}, token_for(client, receiver.phone)
    )
    assert response.status_code == 409 and response.json()["code"] == "time_beyond_limit"
    exchange.refresh_from_db()
    assert exchange.state == "proposed" and time_balance(receiver) == 0


def test_decline_and_withdraw(client, village):
    _community, giver, receiver = village
    one = exchange_propose(actor=giver, giver=giver, receiver=receiver, minutes=30, category_code="repairs")
    two = exchange_propose(actor=giver, giver=giver, receiver=receiver, minutes=30, category_code="repairs")
    assert (
        post(client, f"{T}/exchanges/{one.public_id}/decline", {}, token_for(client, receiver.phone)).json()[
            "state"
        ]
        == "declined"
    )
    assert (
        post(client, f"{T}/exchanges/{two.public_id}/withdraw", {}, token_for(client, giver.phone)).json()[
            "state"
        ]
        == "withdrawn"
    )


def test_a_listing_of_another_community_is_not_found(client, village):
    _community, giver, _receiver = village
    make_community(subdistrict=PHANOM_THUAN)
    far = member("คนตำบลอื่น", subdistrict=PHANOM_THUAN)
    far_listing = _offer(far)
    token = token_for(client, giver.phone)
    assert get(client, f"{T}/listings/{far_listing.public_id}", token).status_code == 404
    response = post(client, f"{T}/exchanges", {"listing": str(far_listing.public_id), "minutes": 30}, token)
    assert response.status_code == 404 and not Exchange.objects.exists()


def test_the_pool_donation_and_cover(client, village):
    community, giver, receiver = village
    committee = make_committee(community)
    exchanged(receiver, giver, 120)
    token = token_for(client, receiver.phone)
    too_much = post(client, f"{T}/pool/donations", {"minutes": 121}, token)
    assert too_much.status_code == 409 and too_much.json()["code"] == "time_not_enough"
    given = post(client, f"{T}/pool/donations", {"minutes": 60}, token)
    assert given.status_code == 201 and given.json()["balance_minutes"] == 60
    assert pool_balance(community) == 60
    exchange = exchange_propose(
        actor=giver, giver=giver, receiver=receiver, minutes=45, category_code="repairs"
    )
    side = post(client, f"{T}/exchanges/{exchange.public_id}/pool-cover", {}, token)
    assert side.status_code == 403
    covered = post(
        client, f"{T}/exchanges/{exchange.public_id}/pool-cover", {}, token_for(client, committee.phone)
    )
    assert covered.status_code == 200 and covered.json()["paid_by_pool"] is True


def test_a_person_of_no_community_is_refused(client, village):
    outsider = make_person(name="คนนอก", subdistrict=PHANOM_THUAN)
    token = token_for(client, outsider.phone)
    assert get(client, f"{T}/listings", token).status_code == 403
    assert get(client, f"{T}/balance", token).status_code == 403
    response = post(client, f"{T}/listings", {"kind": "offer", "category": "repairs", "title": "x"}, token)
    assert response.status_code == 403


def test_reports_for_the_committee_and_staff_only(client, village):
    community, giver, receiver = village
    exchanged(giver, receiver, 60)
    assert get(client, f"{T}/reports", token_for(client, giver.phone)).status_code == 403
    committee = make_committee(community)
    rows = get(client, f"{T}/reports", token_for(client, committee.phone)).json()
    assert rows[0]["label"] == community.name and rows[0]["exchanges"] == "<10"
    staff = make_person(name="เจ้าหน้าที่")
    role_grant(actor=SYSTEM, person=staff, role=Role.STAFF)
    assert get(client, f"{T}/reports", token_for(client, staff.phone)).status_code == 200


def test_performed_on_in_the_future_is_refused(client, village):
    _community, giver, receiver = village
    listing = _offer(giver)
    tomorrow = timezone.localdate() + timedelta(days=1)
    body = {"listing": str(listing.public_id), "minutes": 30, "performed_on": str(tomorrow)}
    response = post(client, f"{T}/exchanges", body, token_for(client, receiver.phone))
    assert response.status_code == 400 and "performed_on" in response.json()["fields"]
