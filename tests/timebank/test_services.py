"""The time bank's services (issue 12, items 6–7): listings; exchanges proposed by either side and
confirmed once by the other (never by the proposer or a third party), within the receiver's
negative limit; donations to the pool and the pool paying for a member who cannot give back.
Every refusal changes nothing; each movement is one balanced `minutes` ledger transaction on the
community's chain, and each state change one audit event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.common.models import AuditEvent
from kwamdee.ledger.models import Account, LedgerTransaction
from kwamdee.ledger.verification import ledger_verify
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.services import consent_withdraw
from kwamdee.timebank.errors import (
    BeyondLimit,
    DonationInvalid,
    ExchangeDecided,
    ExchangeInvalid,
    ExchangeRefused,
    LimitInvalid,
    ListingInvalid,
    NotEnoughTime,
    PoolShort,
)
from kwamdee.timebank.events import TimeBankEvent
from kwamdee.timebank.ledger import pool_balance, time_balance, time_chain
from kwamdee.timebank.models import Exchange
from kwamdee.timebank.selectors import (
    CONFIRM,
    DECLINE,
    POOL_COVER,
    WITHDRAW,
    exchange_actions_for,
    exchange_visible_to,
    exchanges_of,
    exchanges_waiting_for,
    listings_open,
    member_time,
    negative_limit,
)
from kwamdee.timebank.services import (
    MAX_EXCHANGE_MINUTES,
    exchange_confirm,
    exchange_decline,
    exchange_pool_cover,
    exchange_propose,
    exchange_withdraw,
    listing_close,
    listing_post,
    pool_donate,
    timebank_limit_set,
)
from tests.audit import assert_one_audit
from tests.factories import BANGKOK_SUBDISTRICT, SYSTEM, make_person
from tests.timebank.factories import exchanged, make_committee, member, time_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(db):
    return time_community()


@pytest.fixture
def malee(community):
    return member(name="มาลี ใจดี")


@pytest.fixture
def somchai(community):
    return member(name="สมชาย ขยัน")


@pytest.fixture
def grandma(community):
    return member(name="ยายบุญมี อายุยืน")


def propose(actor, giver, receiver, minutes=60, **extra):
    return exchange_propose(
        actor=actor, giver=giver, receiver=receiver, minutes=minutes,
        category_code=extra.pop("category_code", "elder-care"), **extra,
    )  # fmt: skip


def whole():
    report = ledger_verify()
    assert report.ok, report.problems
    assert not Account.objects.filter(allow_negative=False, balance__lt=0).exists()


def audit_count():
    return AuditEvent.objects.filter(event_type__startswith="time").count()


# --- listings -------------------------------------------------------------------------------


def test_a_member_posts_an_offer_and_closes_it(community, malee):
    listing = listing_post(
        actor=malee, kind="offer", category_code="rides", title="รับส่งไปโรงพยาบาลวันอังคาร",
        description="มีรถกระบะ ไปอำเภอได้",
    )  # fmt: skip

    assert (listing.community, listing.member, listing.category.code) == (community, malee, "rides")
    assert list(listings_open(community)) == [listing]
    assert list(listings_open(community, kind="request")) == []
    assert_one_audit(TimeBankEvent.LISTING_POST, subject_id=str(listing.public_id))

    listing_close(actor=malee, listing=listing)

    assert list(listings_open(community)) == []
    assert_one_audit(TimeBankEvent.LISTING_CLOSE, subject_id=str(listing.public_id))
    with pytest.raises(ListingInvalid):
        listing_close(actor=malee, listing=listing)


def test_a_listing_needs_a_title_a_kind_and_a_known_category(malee):
    with pytest.raises(ListingInvalid) as refused:
        listing_post(actor=malee, kind="sell", category_code="no-such", title="  ")
    assert set(refused.value.fields) == {"title", "kind", "category"}
    with pytest.raises(ListingInvalid):
        listing_post(actor=malee, kind="offer", category_code="rides", title="a\u202eb")


def test_only_members_post_and_only_the_owner_or_committee_close(community, malee, somchai):
    outsider = make_person(name="คนนอก ชุมชน", subdistrict=BANGKOK_SUBDISTRICT)
    with pytest.raises(PermissionDenied):
        listing_post(actor=outsider, kind="offer", category_code="rides", title="รับส่ง")
    with pytest.raises(PermissionDenied):
        listing_post(actor=SYSTEM, kind="offer", category_code="rides", title="รับส่ง")
    listing = listing_post(actor=malee, kind="request", category_code="repairs", title="ซ่อมหลังคา")
    with pytest.raises(NotFound):
        listing_close(actor=somchai, listing=listing)
    listing_close(actor=make_committee(community), listing=listing)


# --- exchanges ------------------------------------------------------------------------------


def test_the_giver_proposes_the_receiver_confirms_and_minutes_move_once(community, malee, somchai):
    exchange = propose(malee, malee, somchai, 90)

    assert (exchange.state, exchange.proposed_by) == ("proposed", malee)
    assert time_balance(malee) == time_balance(somchai) == 0
    assert list(exchanges_waiting_for(somchai)) == [exchange]
    assert list(exchanges_waiting_for(malee)) == []
    assert exchange_actions_for(somchai, exchange) == {CONFIRM, DECLINE}
    assert exchange_actions_for(malee, exchange) == {WITHDRAW}

    confirmed = exchange_confirm(actor=somchai, exchange=exchange)

    assert confirmed.state == "confirmed" and confirmed.confirmed_at is not None
    assert (time_balance(malee), time_balance(somchai)) == (90, -90)
    [entry] = LedgerTransaction.objects.filter(kind="time_exchange")
    assert (entry.chain_key, entry.source_kind, entry.source_id) == (
        time_chain(community),
        "time_exchange",
        str(exchange.public_id),
    )
    assert sorted(p.amount for p in entry.postings.all()) == [-90, 90]
    assert {p.unit for p in entry.postings.all()} == {"minutes"}
    assert_one_audit(TimeBankEvent.EXCHANGE_PROPOSE, subject_id=str(exchange.public_id))
    event = assert_one_audit(TimeBankEvent.EXCHANGE_CONFIRM, subject_id=str(exchange.public_id))
    assert event.data["giver"] == malee.pk and event.data["minutes"] == 90
    assert member_time(somchai).room == 600 - 90
    assert list(exchanges_of(malee)) == [confirmed]
    whole()


def test_the_receiver_proposes_and_the_giver_confirms(malee, somchai):
    exchange = propose(somchai, malee, somchai, 30, category_code="cooking")
    exchange_confirm(actor=malee, exchange=exchange)
    assert (time_balance(malee), time_balance(somchai)) == (30, -30)


def test_an_exchange_is_confirmed_once_and_never_by_the_proposer_or_a_third_party(
    community, malee, somchai, grandma
):
    exchange = propose(malee, malee, somchai)
    before = audit_count()

    with pytest.raises(PermissionDenied):
        exchange_confirm(actor=malee, exchange=exchange)  # the proposer
    with pytest.raises(NotFound):
        exchange_confirm(actor=grandma, exchange=exchange)  # a third party
    with pytest.raises(PermissionDenied):
        exchange_confirm(actor=make_committee(community), exchange=exchange)  # not a side
    assert audit_count() == before and not LedgerTransaction.objects.filter(kind="time_exchange").exists()

    exchange_confirm(actor=somchai, exchange=exchange)
    with pytest.raises(ExchangeDecided):
        exchange_confirm(actor=somchai, exchange=exchange)  # twice
    with pytest.raises(ExchangeDecided):
        exchange_decline(actor=somchai, exchange=exchange)
    assert (time_balance(malee), time_balance(somchai)) == (60, -60)
    assert LedgerTransaction.objects.filter(kind="time_exchange").count() == 1


def test_declined_or_withdrawn_moves_nothing_and_cannot_be_confirmed(malee, somchai):
    declined = propose(malee, malee, somchai)
    with pytest.raises(PermissionDenied):
        exchange_decline(actor=malee, exchange=declined)  # the proposer withdraws, not declines
    exchange_decline(actor=somchai, exchange=declined)
    withdrawn = propose(malee, malee, somchai)
    with pytest.raises(PermissionDenied):
        exchange_withdraw(actor=somchai, exchange=withdrawn)
    exchange_withdraw(actor=malee, exchange=withdrawn)

    for exchange in (declined, withdrawn):
        with pytest.raises(ExchangeDecided):
            exchange_confirm(actor=somchai, exchange=exchange)
    assert Exchange.objects.get(pk=declined.pk).state == "declined"
    assert Exchange.objects.get(pk=withdrawn.pk).state == "withdrawn"
    assert time_balance(malee) == time_balance(somchai) == 0
    assert_one_audit(TimeBankEvent.EXCHANGE_DECLINE)
    assert_one_audit(TimeBankEvent.EXCHANGE_WITHDRAW)


def test_confirming_beyond_the_receivers_limit_is_refused_and_nothing_moves(community, malee, somchai):
    assert negative_limit(community) == -600
    exchanged(malee, somchai, 600)  # the receiver reaches the limit exactly
    one_more = propose(malee, malee, somchai, 1)

    with pytest.raises(BeyondLimit):
        exchange_confirm(actor=somchai, exchange=one_more)

    assert Exchange.objects.get(pk=one_more.pk).state == "proposed"
    assert (time_balance(malee), time_balance(somchai)) == (600, -600)
    # Giving time back makes room again.
    exchanged(somchai, malee, 30)
    exchange_confirm(actor=somchai, exchange=one_more)
    assert time_balance(somchai) == -571
    whole()


def test_the_committee_sets_the_limit_and_it_counts_at_confirmation(community, malee, somchai):
    committee = make_committee(community)
    with pytest.raises(PermissionDenied):
        timebank_limit_set(actor=malee, community=community, minutes=0)
    for wrong in (1, -6001, True, 1.5):
        with pytest.raises(LimitInvalid):
            timebank_limit_set(actor=committee, community=community, minutes=wrong)
    exchange = propose(malee, malee, somchai, 61)

    timebank_limit_set(actor=committee, community=community, minutes=-60)

    event = assert_one_audit(TimeBankEvent.LIMIT_SET, subject_id=str(community.public_id))
    assert event.data == {"minutes": -60, "before": -600}
    with pytest.raises(BeyondLimit):
        exchange_confirm(actor=somchai, exchange=exchange)
    timebank_limit_set(actor=committee, community=community, minutes=0)
    with pytest.raises(BeyondLimit):
        exchanged(malee, somchai, 1)  # with no credit at all, a member receives what they earned


def test_a_proposal_is_between_two_members_of_one_community(community, malee, somchai):
    outsider = make_person(name="คนนอก ชุมชน", subdistrict=BANGKOK_SUBDISTRICT)
    waiting = make_person(name="รอ อนุมัติ", community_member=False)
    with pytest.raises(ExchangeInvalid):
        propose(malee, malee, malee)
    for other in (outsider, waiting):
        with pytest.raises(ExchangeInvalid):
            propose(malee, malee, other)
    with pytest.raises(PermissionDenied):
        propose(malee, somchai, make_person(name="อีก คน"))  # the actor is neither side
    with pytest.raises(PermissionDenied):
        propose(outsider, outsider, malee)


@pytest.mark.parametrize("minutes", [0, -5, MAX_EXCHANGE_MINUTES + 1, True, 1.5, "60"])
def test_minutes_are_a_whole_positive_number_within_a_day(malee, somchai, minutes):
    with pytest.raises(ExchangeInvalid) as refused:
        propose(malee, malee, somchai, minutes)
    assert "minutes" in refused.value.fields


def test_the_day_is_recent_and_not_in_the_future_and_the_category_known(malee, somchai):
    today = timezone.localdate()
    for day in (today + timedelta(days=1), today - timedelta(days=91)):
        with pytest.raises(ExchangeInvalid):
            propose(malee, malee, somchai, performed_on=day)
    with pytest.raises(ExchangeInvalid):
        propose(malee, malee, somchai, category_code="no-such")
    assert propose(malee, malee, somchai, performed_on=today - timedelta(days=90)).minutes == 60


def test_an_exchange_replies_to_a_listing_and_takes_its_category(community, malee, somchai, grandma):
    request = listing_post(actor=grandma, kind="request", category_code="repairs", title="ซ่อมประตู")
    exchange = exchange_propose(actor=somchai, giver=somchai, receiver=grandma, minutes=45, listing=request)
    assert (exchange.listing, exchange.category.code) == (request, "repairs")
    with pytest.raises(ExchangeInvalid):  # neither side's listing
        exchange_propose(actor=somchai, giver=somchai, receiver=malee, minutes=45, listing=request)
    listing_close(actor=grandma, listing=request)
    with pytest.raises(ExchangeInvalid):
        exchange_propose(actor=somchai, giver=somchai, receiver=grandma, minutes=45, listing=request)


def test_a_side_who_withdrew_consent_or_left_stops_the_confirmation(malee, somchai):
    exchange = propose(malee, malee, somchai)
    consent_withdraw(actor=malee, person=malee, purpose=ConsentPurpose.MEMBERSHIP)
    with pytest.raises(ExchangeRefused):
        exchange_confirm(actor=somchai, exchange=exchange)
    assert time_balance(somchai) == 0


# --- the pool -------------------------------------------------------------------------------


def test_a_member_donates_earned_minutes_to_the_pool_never_owed_ones(community, malee, somchai):
    with pytest.raises(NotEnoughTime):
        pool_donate(actor=somchai, minutes=10)
    exchanged(malee, somchai, 120)
    with pytest.raises(NotEnoughTime):
        pool_donate(actor=malee, minutes=121)
    for wrong in (0, -1, True):
        with pytest.raises(DonationInvalid):
            pool_donate(actor=malee, minutes=wrong)

    donation = pool_donate(actor=malee, minutes=100)

    assert (time_balance(malee), pool_balance(community)) == (20, 100)
    [entry] = LedgerTransaction.objects.filter(kind="time_donation")
    assert (entry.source_kind, entry.source_id) == ("time_donation", str(donation.public_id))
    assert_one_audit(TimeBankEvent.POOL_DONATE, subject_id=str(donation.public_id))
    whole()


def test_the_pool_pays_for_a_member_who_cannot_give_back(community, malee, somchai, grandma):
    committee = make_committee(community)
    exchanged(malee, somchai, 300)
    pool_donate(actor=malee, minutes=200)
    timebank_limit_set(actor=committee, community=community, minutes=0)  # grandma has no credit
    visit = propose(somchai, somchai, grandma, 120, category_code="companionship")
    assert exchange_actions_for(committee, visit) == {POOL_COVER}
    assert exchange_visible_to(committee, visit) and not exchange_visible_to(malee, visit)
    with pytest.raises(BeyondLimit):
        exchange_confirm(actor=grandma, exchange=visit)

    exchange_pool_cover(actor=committee, exchange=visit)
    exchange_confirm(actor=grandma, exchange=visit)

    assert (time_balance(somchai), time_balance(grandma), pool_balance(community)) == (-180, 0, 80)
    assert Exchange.objects.get(pk=visit.pk).pool_covered_by == committee
    assert_one_audit(TimeBankEvent.EXCHANGE_POOL_COVER, subject_id=str(visit.public_id))
    whole()


def test_the_pool_covers_only_what_it_holds_and_never_for_a_sides_own_exchange(community, malee, somchai):
    committee = make_committee(community, name="กรรมการ คนหนึ่ง")
    visit = propose(malee, malee, somchai, 60)
    with pytest.raises(PoolShort):
        exchange_pool_cover(actor=committee, exchange=visit)
    with pytest.raises(NotFound):
        exchange_pool_cover(actor=make_person(name="คน อื่น"), exchange=visit)
    own = propose(committee, committee, somchai, 60)
    with pytest.raises(PermissionDenied):
        exchange_pool_cover(actor=committee, exchange=own)


def test_the_pool_running_dry_between_cover_and_confirmation_refuses_it(community, malee, somchai, grandma):
    committee = make_committee(community)
    exchanged(malee, somchai, 100)
    pool_donate(actor=malee, minutes=100)
    first, second = (propose(somchai, somchai, grandma, 60) for _ in range(2))
    exchange_pool_cover(actor=committee, exchange=first)
    exchange_pool_cover(actor=committee, exchange=second)
    exchange_confirm(actor=grandma, exchange=first)

    with pytest.raises(PoolShort):
        exchange_confirm(actor=grandma, exchange=second)

    assert pool_balance(community) == 40 and Exchange.objects.get(pk=second.pk).state == "proposed"
    whole()


# --- time given as a deed (จิตอาสา) ----------------------------------------------------------


def test_time_given_counts_as_a_deed_once_per_exchange_when_the_category_says_so(
    deed_types, community, malee, somchai
):
    from kwamdee.rewards.levels import person_credit
    from kwamdee.timebank.selectors import category_get
    from kwamdee.timebank.services import category_deed_type_link

    category_deed_type_link(
        actor=SYSTEM, category=category_get("elder-care"), deed_type_code="volunteer-hours"
    )
    assert_one_audit(TimeBankEvent.CATEGORY_LINK, subject_id="elder-care")

    exchange = exchanged(malee, somchai, 90)

    assert exchange.deed is not None
    assert (exchange.deed.person_id, exchange.deed.status, str(exchange.deed.quantity)) == (
        malee.pk,
        "verified",
        "1.50",
    )
    assert person_credit(malee) == 12 and person_credit(somchai) == 0  # 8 credit an hour
    assert assert_one_audit(TimeBankEvent.EXCHANGE_CONFIRM).data["deed"] == "verified"
    with pytest.raises(ExchangeDecided):
        exchange_confirm(actor=somchai, exchange=exchange)
    assert person_credit(malee) == 12
    # The deed type's own limit (2 a day) still holds: the third exchange stands, uncredited.
    exchanged(malee, somchai, 60)
    third = exchanged(malee, somchai, 60)
    assert third.state == "confirmed" and third.deed is None
    assert person_credit(malee) == 20
    # A category that counts as no deed credits nothing.
    assert exchanged(malee, somchai, 60, category="rides").deed is None
    whole()


def test_only_staff_link_a_category_and_only_to_a_national_deed_type_priced_per_hour(deed_types, malee):
    from kwamdee.timebank.errors import CategoryInvalid
    from kwamdee.timebank.selectors import category_get
    from kwamdee.timebank.services import category_deed_type_link

    category = category_get("elder-care")
    with pytest.raises(PermissionDenied):
        category_deed_type_link(actor=malee, category=category, deed_type_code="volunteer-hours")
    for code in ("blood-donation", "tree-planting", "no-such"):
        with pytest.raises(CategoryInvalid):
            category_deed_type_link(actor=SYSTEM, category=category, deed_type_code=code)
    assert category_deed_type_link(actor=SYSTEM, category=category, deed_type_code="").deed_type is None
