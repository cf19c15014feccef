"""The time bank's pages (issue 12): my time, browsing and posting listings, replying (an exchange
proposed), the other side's confirmation or decline, the pool, the committee's and staff's pages.
A form that comes back names its errors in Thai and changes nothing; an exchange confirmed twice,
by a third party or beyond the limit is refused with a clear message and moves nothing."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from kwamdee.common.roles import Role, role_grant
from kwamdee.timebank.ledger import pool_balance, time_balance
from kwamdee.timebank.models import Exchange, Listing, PoolDonation, ServiceCategory, TimeBankSetting
from kwamdee.timebank.services import (
    category_deed_type_link,
    exchange_propose,
    listing_post,
    pool_donate,
    timebank_limit_set,
)
from tests.factories import PHANOM_THUAN, SYSTEM, make_community, make_person
from tests.timebank.factories import exchanged, make_committee, member, time_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def village():
    community = time_community()
    giver = member("ประเสริฐ มีสุข")
    receiver = member("สมหญิง รักดี")
    return community, giver, receiver


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _offer(person, title="ซ่อมพัดลม", category="repairs"):
    return listing_post(actor=person, kind="offer", category_code=category, title=title)


# --- my time ----------------------------------------------------------------------------------


def test_home_says_my_balance_and_the_limit_in_plain_words(client, village):
    client.cookies["django_language"] = "en"
    _community, giver, receiver = village
    exchanged(giver, receiver, 90)
    client.force_login(receiver)
    response = client.get("/timebank/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "You owe 1 hour 30 minutes" in text
    assert "You may owe up to 10 hours" in text
    client.force_login(giver)
    assert "1 hour 30 minutes" in client.get("/timebank/").content.decode()


def test_home_shows_the_exchanges_waiting_for_me(client, village):
    client.cookies["django_language"] = "en"
    _community, giver, receiver = village
    exchange = exchange_propose(
        actor=giver, giver=giver, receiver=receiver, minutes=60, category_code="repairs"
    )
    client.force_login(receiver)
    text = client.get("/timebank/").content.decode()
    assert 'data-testid="waiting-for-me"' in text and str(exchange.public_id) in text


def test_a_person_without_a_community_is_told_how_to_take_part(client, village):
    outsider = make_person(name="คนนอก", subdistrict=PHANOM_THUAN)  # no community there
    client.force_login(outsider)
    response = client.get("/timebank/")
    assert response.status_code == 200 and b'data-testid="not-member"' in response.content
    assert client.get("/timebank/listings/").status_code == 200


# --- listings ---------------------------------------------------------------------------------


def test_posting_an_empty_listing_names_each_problem_in_thai_and_posts_nothing(client, village):
    _community, giver, _receiver = village
    client.force_login(giver)
    response = client.post("/timebank/listings/new/", {"kind": "", "category": "", "title": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert "กรุณาเลือก" in text and "กรุณากรอก" in text
    assert not Listing.objects.exists()


def test_posting_a_listing_shows_it_to_the_neighbours(client, village):
    _community, giver, receiver = village
    client.force_login(giver)
    response = client.post(
        "/timebank/listings/new/",
        {"kind": "offer", "category": "repairs", "title": "ซ่อมก๊อกน้ำ", "description": "ว่างเสาร์"},
    )
    listing = Listing.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/timebank/listings/{listing.public_id}/"
    client.force_login(receiver)
    assert "ซ่อมก๊อกน้ำ" in client.get("/timebank/listings/").content.decode()


def test_the_list_filters_by_kind_and_category_and_names_a_value_it_cannot_use(client, village):
    _community, giver, receiver = village
    _offer(giver, "ซ่อมพัดลม")
    listing_post(actor=receiver, kind="request", category_code="cooking", title="ทำกับข้าวให้แม่")
    client.force_login(receiver)
    offers = client.get("/timebank/listings/?kind=offer").content.decode()
    assert "ซ่อมพัดลม" in offers and "ทำกับข้าวให้แม่" not in offers
    cooking = client.get("/timebank/listings/?category=cooking").content.decode()
    assert "ทำกับข้าวให้แม่" in cooking and "ซ่อมพัดลม" not in cooking
    wrong = client.get("/timebank/listings/?category=nonsense&kind=offer")
    assert wrong.status_code == 200
    text = wrong.content.decode()
    assert 'id="id_category_error"' in text and "ซ่อมพัดลม" in text  # the kind still applies


def test_a_listing_of_another_community_is_not_found(client, village):
    _community, giver, _receiver = village
    make_community(subdistrict=PHANOM_THUAN)
    far = member("คนตำบลอื่น", subdistrict=PHANOM_THUAN)
    far_listing = _offer(far, "ซ่อมจักรยาน")
    client.force_login(giver)
    assert client.get(f"/timebank/listings/{far_listing.public_id}/").status_code == 404
    reply = {"hours": "1", "minutes": "0", "performed_on": str(timezone.localdate())}
    assert client.post(f"/timebank/listings/{far_listing.public_id}/reply/", reply).status_code == 404
    assert client.post(f"/timebank/listings/{far_listing.public_id}/close/").status_code == 404
    assert not Exchange.objects.exists()


def test_closing_my_listing_and_a_neighbours_is_not_mine_to_close(client, village):
    _community, giver, receiver = village
    listing = _offer(giver)
    client.force_login(receiver)
    assert client.post(f"/timebank/listings/{listing.public_id}/close/").status_code == 404
    client.force_login(giver)
    assert client.post(f"/timebank/listings/{listing.public_id}/close/").status_code == 302
    listing.refresh_from_db()
    assert listing.state == "closed"


def test_a_category_that_counts_as_a_deed_says_so(client, deed_types, village):
    _community, giver, receiver = village
    category_deed_type_link(actor=SYSTEM, category=ServiceCategory.objects.get(code="repairs"),
                            deed_type_code="volunteer-hours")  # fmt: skip
    listing = _offer(giver)
    client.force_login(receiver)
    assert b'data-testid="counts-as-deed"' in client.get(f"/timebank/listings/{listing.public_id}/").content


# --- replying: an exchange proposed -----------------------------------------------------------


def test_replying_to_an_offer_proposes_the_time_its_member_gave_me(client, village):
    _community, giver, receiver = village
    listing = _offer(giver)
    client.force_login(receiver)
    response = client.post(
        f"/timebank/listings/{listing.public_id}/reply/",
        {"hours": "1", "minutes": "30", "performed_on": str(timezone.localdate()), "note": "เปลี่ยนมอเตอร์"},
    )
    exchange = Exchange.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/timebank/exchanges/{exchange.public_id}/"
    )
    assert (exchange.giver, exchange.receiver, exchange.proposed_by) == (giver, receiver, receiver)
    assert exchange.minutes == 90 and exchange.listing == listing and exchange.state == "proposed"


def test_replying_to_a_request_proposes_the_time_i_gave(client, village):
    _community, giver, receiver = village
    listing = listing_post(actor=receiver, kind="request", category_code="cooking", title="ทำกับข้าว")
    client.force_login(giver)
    client.post(f"/timebank/listings/{listing.public_id}/reply/",
                {"hours": "2", "minutes": "0", "performed_on": str(timezone.localdate())})  # fmt: skip
    exchange = Exchange.objects.get()
    assert (exchange.giver, exchange.receiver, exchange.minutes) == (giver, receiver, 120)


@pytest.mark.parametrize(
    "form, field",
    [
        ({"hours": "0", "minutes": "0"}, "id_hours_error"),  # no time at all
        ({"hours": "13", "minutes": "0"}, "id_hours_error"),  # more than a long day
        ({"hours": "1", "minutes": "0", "performed_on": "2000-01-01"}, "id_performed_on_error"),
        ({"hours": "x", "minutes": "7"}, "id_hours_error"),
    ],
)
def test_a_reply_that_cannot_be_used_comes_back_with_its_error_and_proposes_nothing(
    client, village, form, field
):
    _community, giver, receiver = village
    listing = _offer(giver)
    client.force_login(receiver)
    data = {"performed_on": str(timezone.localdate()), **form}
    response = client.post(f"/timebank/listings/{listing.public_id}/reply/", data)
    assert response.status_code == 200
    assert field in response.content.decode()
    assert not Exchange.objects.exists()


def test_replying_to_my_own_listing_is_refused(client, village):
    _community, giver, _receiver = village
    listing = _offer(giver)
    client.force_login(giver)
    page = client.get(f"/timebank/listings/{listing.public_id}/").content
    assert b'data-testid="reply-box"' not in page
    response = client.post(f"/timebank/listings/{listing.public_id}/reply/",
                           {"hours": "1", "minutes": "0", "performed_on": str(timezone.localdate())})  # fmt: skip
    assert response.status_code == 200 and not Exchange.objects.exists()


# --- confirming, declining, withdrawing -------------------------------------------------------


def _proposed(giver, receiver, minutes=60):
    return exchange_propose(
        actor=giver, giver=giver, receiver=receiver, minutes=minutes, category_code="repairs"
    )


def test_the_other_side_confirms_and_the_time_moves_once(client, village):
    client.cookies["django_language"] = "en"
    _community, giver, receiver = village
    exchange = _proposed(giver, receiver)
    client.force_login(receiver)
    page = client.get(f"/timebank/exchanges/{exchange.public_id}/").content
    assert b'data-testid="confirm-button"' in page and b'data-testid="pool-cover-box"' not in page
    url = f"/timebank/exchanges/{exchange.public_id}/act/"
    response = client.post(url, {"action": "confirm"})
    assert response.status_code == 302
    assert "Confirmed. The time has moved." in _messages(response)
    assert (time_balance(giver), time_balance(receiver)) == (60, -60)
    # Confirmed twice: refused in plain words, nothing moves again.
    again = client.post(url, {"action": "confirm"})
    assert again.status_code == 302
    assert "This exchange was already confirmed, declined or withdrawn." in _messages(again)
    assert (time_balance(giver), time_balance(receiver)) == (60, -60)


def test_a_third_party_neither_sees_nor_confirms_an_exchange(client, village):
    _community, giver, receiver = village
    exchange = _proposed(giver, receiver)
    neighbour = member("บุญมา ศรีสุข")
    client.force_login(neighbour)
    assert client.get(f"/timebank/exchanges/{exchange.public_id}/").status_code == 404
    assert (
        client.post(f"/timebank/exchanges/{exchange.public_id}/act/", {"action": "confirm"}).status_code
        == 404
    )
    exchange.refresh_from_db()
    assert exchange.state == "proposed" and time_balance(giver) == 0


def test_the_proposer_may_not_confirm_their_own_proposal_but_may_withdraw_it(client, village):
    _community, giver, receiver = village
    exchange = _proposed(giver, receiver)
    client.force_login(giver)
    url = f"/timebank/exchanges/{exchange.public_id}/act/"
    assert client.post(url, {"action": "confirm"}).status_code == 403
    assert (
        b'data-testid="withdraw-button"' in client.get(f"/timebank/exchanges/{exchange.public_id}/").content
    )
    client.post(url, {"action": "withdraw"})
    exchange.refresh_from_db()
    assert exchange.state == "withdrawn" and time_balance(giver) == 0


def test_declining_moves_nothing(client, village):
    _community, giver, receiver = village
    exchange = _proposed(giver, receiver)
    client.force_login(receiver)
    client.post(f"/timebank/exchanges/{exchange.public_id}/act/", {"action": "decline"})
    exchange.refresh_from_db()
    assert exchange.state == "declined" and time_balance(receiver) == 0


def test_an_unknown_action_changes_nothing(client, village):
    _community, giver, receiver = village
    exchange = _proposed(giver, receiver)
    client.force_login(receiver)
    response = client.post(f"/timebank/exchanges/{exchange.public_id}/act/", {"action": "steal"})
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.state == "proposed"


def test_a_confirmation_beyond_the_limit_is_refused_with_a_clear_message(client, village):
    client.cookies["django_language"] = "en"
    community, giver, receiver = village
    timebank_limit_set(actor=SYSTEM, community=community, minutes=-60)
    exchanged(giver, receiver, 60)  # the receiver is at the limit now
    exchange = _proposed(giver, receiver, 30)
    client.force_login(receiver)
    response = client.post(f"/timebank/exchanges/{exchange.public_id}/act/", {"action": "confirm"})
    assert any("below the limit their community set" in m for m in _messages(response))
    exchange.refresh_from_db()
    assert exchange.state == "proposed" and time_balance(receiver) == -60


# --- the pool ---------------------------------------------------------------------------------


def test_the_committee_alone_sees_the_pool_cover_and_the_pool_pays(client, village):
    community, giver, receiver = village
    committee = make_committee(community)
    exchanged(receiver, giver, 120)  # the receiver earns time...
    pool_donate(actor=receiver, minutes=120)  # ...and gives it to the pool
    exchange = _proposed(giver, receiver, 60)
    client.force_login(giver)
    assert (
        b'data-testid="pool-cover-box"'
        not in client.get(f"/timebank/exchanges/{exchange.public_id}/").content
    )
    client.force_login(committee)
    page = client.get(f"/timebank/exchanges/{exchange.public_id}/").content
    assert b'data-testid="pool-cover-box"' in page and b'data-testid="confirm-button"' not in page
    client.post(f"/timebank/exchanges/{exchange.public_id}/act/", {"action": "pool_cover"})
    # The committee may never confirm for a side.
    assert (
        client.post(f"/timebank/exchanges/{exchange.public_id}/act/", {"action": "confirm"}).status_code
        == 403
    )
    client.force_login(receiver)
    client.post(f"/timebank/exchanges/{exchange.public_id}/act/", {"action": "confirm"})
    exchange.refresh_from_db()
    assert exchange.paid_by_pool and exchange.state == "confirmed"
    assert time_balance(receiver) == 0 and time_balance(giver) == -60 and pool_balance(community) == 60


def test_donating_moves_my_time_to_the_pool(client, village):
    community, giver, receiver = village
    exchanged(giver, receiver, 120)
    client.force_login(giver)
    response = client.post("/timebank/donate/", {"hours": "1", "minutes": "30"})
    assert response.status_code == 302
    assert time_balance(giver) == 30 and pool_balance(community) == 90


def test_donating_more_than_i_hold_comes_back_and_moves_nothing(client, village):
    client.cookies["django_language"] = "en"
    _community, giver, receiver = village
    exchanged(giver, receiver, 60)
    client.force_login(giver)
    response = client.post("/timebank/donate/", {"hours": "2", "minutes": "0"})
    assert response.status_code == 200
    assert "You can give away only time you have earned." in response.content.decode()
    assert not PoolDonation.objects.exists() and time_balance(giver) == 60
    empty = client.post("/timebank/donate/", {"hours": "", "minutes": ""})
    assert empty.status_code == 200 and "id_hours_error" in empty.content.decode()


# --- the committee and staff ------------------------------------------------------------------


def test_the_committee_sets_the_limit_in_hours(client, village):
    community, _giver, _receiver = village
    committee = make_committee(community)
    client.force_login(committee)
    assert client.get("/timebank/community/").status_code == 302
    url = f"/timebank/community/{community.public_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"hours": "-3"}).status_code == 200  # the form names it
    assert not TimeBankSetting.objects.exists()
    assert client.post(url, {"hours": "5"}).status_code == 302
    assert TimeBankSetting.objects.get(community=community).negative_limit_minutes == -300


def test_a_member_is_not_the_committee(client, village):
    community, giver, _receiver = village
    client.force_login(giver)
    assert client.get("/timebank/community/").status_code == 403
    assert client.get(f"/timebank/community/{community.public_id}/").status_code == 403
    assert client.get("/timebank/report/").status_code == 403
    assert client.get("/timebank/categories/").status_code == 403


def test_another_communitys_committee_gets_not_found(client, village):
    community, _giver, _receiver = village
    other = make_community(subdistrict=PHANOM_THUAN)
    committee = make_committee(other)
    client.force_login(committee)
    assert client.get(f"/timebank/community/{community.public_id}/").status_code == 404


def test_reports_for_the_committee_and_national_staff(client, village):
    community, giver, receiver = village
    exchanged(giver, receiver, 90)
    committee = make_committee(community)
    client.force_login(committee)
    response = client.get("/timebank/report/")
    assert response.status_code == 200 and community.name in response.content.decode()
    staff = make_person(name="เจ้าหน้าที่")
    role_grant(actor=SYSTEM, person=staff, role=Role.STAFF)
    client.force_login(staff)
    assert client.get("/timebank/report/").status_code == 200


def test_staff_link_a_category_and_an_empty_form_comes_back(client, village):
    staff = make_person(name="เจ้าหน้าที่")
    role_grant(actor=SYSTEM, person=staff, role=Role.STAFF)
    client.force_login(staff)
    assert client.get("/timebank/categories/").status_code == 200
    empty = client.post("/timebank/categories/", {"category": "", "deed_type": ""})
    assert empty.status_code == 200 and "กรุณาเลือก" in empty.content.decode()
