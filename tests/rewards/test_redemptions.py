"""Redemption (issue 11): a code holds the points and one item of stock; the counter confirms it
once (the points are spent), or it expires or is cancelled (they go back). Every refusal changes
nothing. Each step is one balanced ledger transaction named "redemption" and one audit event."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.common.errors import PermissionDenied
from kwamdee.common.idempotency import IdempotencyConflict
from kwamdee.common.models import AuditEvent
from kwamdee.ledger.models import Account, LedgerTransaction
from kwamdee.ledger.verification import ledger_verify
from kwamdee.passbook.selectors import passbook_get
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.models import User
from kwamdee.people.services import consent_withdraw
from kwamdee.rewards.errors import (
    CodeCancelled,
    CodeExpired,
    CodeUnknown,
    CodeUsed,
    IdentityConsentNeeded,
    LevelTooLow,
    LimitReached,
    NotEnoughPoints,
    NotOffered,
    OutOfStock,
)
from kwamdee.rewards.events import RewardsEvent
from kwamdee.rewards.models import Partner, Privilege, Redemption
from kwamdee.rewards.partners import partner_token_actor, partner_token_issue
from kwamdee.rewards.privileges import privilege_withdraw
from kwamdee.rewards.redemptions import (
    CODE_ALPHABET,
    code_display,
    identity_for_counter,
    partner_totals,
    person_points,
    person_points_held,
    redeemability,
    redemption_at_counter,
    redemption_cancel,
    redemption_confirm,
    redemption_create,
    redemption_entries_describe,
    redemption_expire,
    redemption_visible_to,
    redemptions_expire_due,
)
from kwamdee.rewards.reports import reward_report
from tests.audit import assert_one_audit
from tests.factories import BANGKOK_SUBDISTRICT, SYSTEM, make_community, make_person
from tests.rewards.factories import (
    counter_staff,
    give,
    make_committee,
    make_partner,
    make_privilege,
    make_staff,
    redeemer,
)

pytestmark = pytest.mark.django_db


# --- helpers ----------------------------------------------------------------------------------


def redeem(person, privilege, *, key=None, **kwargs):
    return redemption_create(actor=person, privilege=privilege, key=key or str(uuid.uuid4()), **kwargs)


def points(person):
    """(spendable, held) points of `person`, from the ledger's balances."""
    return sum(person_points(person).values()), person_points_held(person)


def stock_left(privilege):
    return Privilege.objects.get(pk=privilege.pk).stock_left


def expire_now(redemption):
    """Time moves past the code's expiry (as a clock would)."""
    Redemption.objects.filter(pk=redemption.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def refused_without_change(call, error, person, privilege):
    """`call` raises `error` and nothing changed: no redemption, no ledger entry, no audit event,
    the same points and stock."""
    before = (
        Redemption.objects.count(), LedgerTransaction.objects.count(), AuditEvent.objects.count(),
        points(person), stock_left(privilege),
    )  # fmt: skip
    with pytest.raises(error):
        call()
    after = (
        Redemption.objects.count(), LedgerTransaction.objects.count(), AuditEvent.objects.count(),
        points(person), stock_left(privilege),
    )  # fmt: skip
    assert after == before


def entries_of(redemption):
    return list(
        LedgerTransaction.objects.filter(source_kind="redemption", source_id=str(redemption.public_id))
        .order_by("seq")
        .values_list("kind", flat=True)
    )


def assert_balanced(redemption):
    for entry in LedgerTransaction.objects.filter(source_id=str(redemption.public_id)):
        by_unit = {}
        for posting in entry.postings.all():
            by_unit[posting.unit] = by_unit.get(posting.unit, 0) + posting.amount
        assert by_unit and all(total == 0 for total in by_unit.values()), entry.kind


@pytest.fixture
def partner(db):
    return make_partner()


@pytest.fixture
def counter(partner):
    return counter_staff(partner)


@pytest.fixture
def privilege(partner):
    return make_privilege(partner, cost=10, stock=5)


@pytest.fixture
def person(db):
    return redeemer(points=30)


# --- the hold -----------------------------------------------------------------------------------


def test_a_redemption_holds_the_points_and_one_item_for_a_code(person, privilege):
    before = timezone.now()

    redemption = redeem(person, privilege)

    assert redemption.state == "held" and redemption.points == 10
    assert len(redemption.code) == 8 and set(redemption.code) <= set(CODE_ALPHABET)
    assert code_display(redemption.code) == f"{redemption.code[:4]}-{redemption.code[4:]}"
    minutes = privilege.code_minutes
    assert before + timedelta(minutes=minutes) <= redemption.expires_at
    assert redemption.expires_at <= timezone.now() + timedelta(minutes=minutes)
    assert points(person) == (20, 10)
    assert stock_left(privilege) == 4
    assert redemption.split == {"volunteerism": 10}
    assert (redemption.community, redemption.province_code) == (person.community, "71")
    assert entries_of(redemption) == ["redemption_hold"]
    assert_balanced(redemption)
    event = assert_one_audit(RewardsEvent.REDEMPTION_HOLD, subject_id=str(redemption.public_id))
    assert event.actor == person and event.data["points"] == 10 and event.data["identity_shared"] is False
    assert ledger_verify().ok


def test_the_points_are_taken_where_the_person_has_most_and_go_back_exactly(person, privilege, partner):
    give(person, points=25, virtue="honesty")  # honesty 25, volunteerism 30
    costly = make_privilege(partner, cost=40, title_th="ตะกร้าผลไม้")

    redemption = redeem(person, costly)
    assert redemption.split == {"volunteerism": 30, "honesty": 10}
    assert person_points(person) == {"honesty": 15}

    redemption_cancel(actor=person, redemption=redemption)
    assert person_points(person) == {"honesty": 25, "volunteerism": 30}
    assert person_points_held(person) == 0


def test_a_retry_with_the_same_key_gives_the_same_code_once(person, privilege, partner):
    first = redeem(person, privilege, key="tap-1")
    again = redeem(person, privilege, key="tap-1")
    assert again.pk == first.pk
    assert Redemption.objects.count() == 1 and points(person) == (20, 10) and stock_left(privilege) == 4
    assert AuditEvent.objects.filter(event_type=RewardsEvent.REDEMPTION_HOLD).count() == 1
    other = make_privilege(partner, cost=1, title_th="น้ำดื่ม")
    with pytest.raises(IdempotencyConflict):
        redeem(person, other, key="tap-1")
    with pytest.raises(IdempotencyConflict):
        redeem(person, other, key="   ")


# --- refusals change nothing ----------------------------------------------------------------------


def test_not_enough_points_is_refused(partner):
    person = redeemer(points=9)
    privilege = make_privilege(partner, cost=10, stock=3)
    refused_without_change(lambda: redeem(person, privilege), NotEnoughPoints, person, privilege)
    assert redeemability(person, privilege).refusal.code == "not_enough_points"


def test_the_last_item_goes_to_one_person_and_then_it_is_out_of_stock(partner):
    privilege = make_privilege(partner, cost=10, stock=1)
    first, second = redeemer(points=10), redeemer(points=10, name="สมศรี มีสุข")
    redeem(first, privilege)
    assert stock_left(privilege) == 0
    refused_without_change(lambda: redeem(second, privilege), OutOfStock, second, privilege)
    assert points(second) == (10, 0)


def test_a_level_too_low_is_refused(partner):
    privilege = make_privilege(partner, cost=0, min_level=2, title_th="คิวด่วน")
    seedling = redeemer(credit=99)
    refused_without_change(lambda: redeem(seedling, privilege), LevelTooLow, seedling, privilege)
    tree = redeemer(credit=100, name="ต้นไม้ ใหญ่")
    redemption = redeem(tree, privilege)
    # Nothing to hold for a privilege of a level alone: no ledger entry, confirmed all the same.
    assert redemption.points == 0 and entries_of(redemption) == []
    confirmed = redemption_confirm(actor=counter_staff(partner), partner=partner, code=redemption.code)
    assert confirmed.state == "confirmed" and entries_of(redemption) == []


@pytest.mark.parametrize("period", ["day", "month", "ever"])
def test_the_limit_per_person_counts_waiting_and_received_codes(partner, period):
    privilege = make_privilege(partner, cost=1, per_person_limit=2, per_person_period=period)
    person = redeemer(points=10)
    first, second = redeem(person, privilege), redeem(person, privilege)
    redemption_confirm(actor=counter_staff(partner), partner=partner, code=first.code)
    refused_without_change(lambda: redeem(person, privilege), LimitReached, person, privilege)

    # An expired or cancelled code gave everything back: it frees its place.
    redemption_cancel(actor=person, redemption=second)
    third = redeem(person, privilege)
    expire_now(third)
    assert redemption_expire(redemption=third)
    redeem(person, privilege)
    with pytest.raises(LimitReached):
        redeem(person, privilege)
    # Others have their own limit.
    redeem(redeemer(points=1, name="คนอื่น"), privilege)


@pytest.mark.parametrize(("period", "back", "counted"), [
    ("day", timedelta(days=1), False), ("month", timedelta(days=32), False), ("ever", timedelta(days=400), True),
])  # fmt: skip
def test_the_limit_counts_only_the_period(partner, period, back, counted):
    privilege = make_privilege(partner, cost=1, per_person_limit=1, per_person_period=period)
    person = redeemer(points=5)
    earlier = redeem(person, privilege)
    Redemption.objects.filter(pk=earlier.pk).update(created_at=timezone.now() - back)
    if counted:
        with pytest.raises(LimitReached):
            redeem(person, privilege)
    else:
        assert redeem(person, privilege).state == "held"


def test_a_privilege_that_needs_the_name_asks_the_person_to_agree(partner, counter):
    privilege = make_privilege(partner, cost=5, title_th="ตรวจสุขภาพ", shares_identity=True)
    person = redeemer(points=20, name="ประยูร แข็งแรง")
    refused_without_change(lambda: redeem(person, privilege), IdentityConsentNeeded, person, privilege)

    redemption = redeem(person, privilege, share_identity=True)
    assert redemption.identity_shared
    seen = redemption_at_counter(actor=counter, partner=partner, code=redemption.code)
    assert identity_for_counter(seen) == "ประยูร แข็งแรง"
    # A privilege that does not need the name never shows it, whatever the person ticked.
    plain = make_privilege(partner, cost=1, title_th="น้ำดื่ม")
    other = redeem(person, plain, share_identity=True)
    assert not other.identity_shared
    assert identity_for_counter(redemption_at_counter(actor=counter, partner=partner, code=other.code)) == ""
    # Received: still named (the partner handed it to them); a code given back: never again.
    redemption_confirm(actor=counter, partner=partner, code=redemption.code)
    assert identity_for_counter(Redemption.objects.get(pk=redemption.pk)) == "ประยูร แข็งแรง"
    unused = redeem(person, privilege, share_identity=True)
    redemption_cancel(actor=person, redemption=unused)
    assert identity_for_counter(Redemption.objects.get(pk=unused.pk)) == ""


def test_not_offered_outside_its_area_its_dates_or_once_withdrawn(partner, privilege):
    far = redeemer(points=30, name="คนกรุง", subdistrict=BANGKOK_SUBDISTRICT)
    refused_without_change(lambda: redeem(far, privilege), NotOffered, far, privilege)

    person = redeemer(points=30)
    today = timezone.localdate()
    Privilege.objects.filter(pk=privilege.pk).update(valid_from=today + timedelta(days=1))
    refused_without_change(lambda: redeem(person, privilege), NotOffered, person, privilege)
    Privilege.objects.filter(pk=privilege.pk).update(
        valid_from=today - timedelta(days=10), valid_until=today - timedelta(days=1)
    )
    refused_without_change(lambda: redeem(person, privilege), NotOffered, person, privilege)
    Privilege.objects.filter(pk=privilege.pk).update(valid_until=today)
    held = redeem(person, privilege)  # the last day counts

    privilege_withdraw(actor=counter_staff(partner), privilege=privilege)
    refused_without_change(lambda: redeem(person, privilege), NotOffered, person, privilege)
    # A code given before the withdrawal stays good until it expires.
    redemption_confirm(actor=counter_staff(partner), partner=partner, code=held.code)


def test_a_partner_no_longer_approved_offers_nothing(partner, privilege, person):
    Partner.objects.filter(pk=partner.pk).update(state="pending")
    refused_without_change(lambda: redeem(person, privilege), NotOffered, person, privilege)


def test_only_a_consenting_person_with_a_confirmed_contact_redeems(person, privilege, partner):
    consent_withdraw(person=person, purpose=ConsentPurpose.MEMBERSHIP, actor=person)
    refused_without_change(lambda: redeem(person, privilege), PermissionDenied, person, privilege)
    unconfirmed = make_person(name="ยังไม่ยืนยัน", contact_proven=False)
    give(unconfirmed, points=30)
    refused_without_change(lambda: redeem(unconfirmed, privilege), PermissionDenied, unconfirmed, privilege)
    for actor in (
        SYSTEM,
        partner_token_actor(partner_token_issue(actor=counter_staff(partner), partner=partner)),
    ):
        with pytest.raises(PermissionDenied):
            redemption_create(actor=actor, privilege=privilege, key="k")


# --- the counter ----------------------------------------------------------------------------------


def test_the_counter_confirms_a_code_once(person, privilege, partner, counter):
    redemption = redeem(person, privilege)

    confirmed = redemption_confirm(actor=counter, partner=partner, code=code_display(redemption.code).lower())

    assert confirmed.state == "confirmed" and confirmed.confirmed_by == counter
    assert confirmed.confirmed_via == "counter" and confirmed.decided_at is not None
    assert points(person) == (20, 0)
    received = Account.objects.get(holder_ref=partner.ledger_ref, kind="partner_received")
    assert (received.unit, received.balance) == ("points", 10)
    assert stock_left(privilege) == 4  # the item was handed over
    assert entries_of(redemption) == ["redemption_hold", "redemption_confirm"]
    assert_balanced(redemption)
    event = assert_one_audit(RewardsEvent.REDEMPTION_CONFIRM, subject_id=str(redemption.public_id))
    assert event.actor == counter
    assert (event.data["points"], event.data["partner"]) == (10, str(partner.public_id))

    # Twice: refused, nothing changes.
    refused_without_change(
        lambda: redemption_confirm(actor=counter, partner=partner, code=redemption.code),
        CodeUsed,
        person,
        privilege,
    )
    assert Account.objects.get(pk=received.pk).balance == 10
    assert ledger_verify().ok


def test_a_code_past_its_time_is_refused_and_its_points_go_back(person, privilege, partner, counter):
    redemption = redeem(person, privilege)
    expire_now(redemption)

    with pytest.raises(CodeExpired):
        redemption_confirm(actor=counter, partner=partner, code=redemption.code)

    redemption.refresh_from_db()
    assert redemption.state == "expired" and redemption.confirmed_by is None
    assert points(person) == (30, 0) and stock_left(privilege) == 5
    assert entries_of(redemption) == ["redemption_hold", "redemption_release"]
    release = LedgerTransaction.objects.get(kind="redemption_release")
    assert release.memo["state"] == "expired"
    assert_balanced(redemption)
    assert_one_audit(RewardsEvent.REDEMPTION_EXPIRE, subject_id=str(redemption.public_id))
    assert not AuditEvent.objects.filter(event_type=RewardsEvent.REDEMPTION_CONFIRM).exists()
    assert not Account.objects.filter(kind="partner_received", balance__gt=0).exists()
    # Asked again: still expired, nothing more goes back.
    refused_without_change(
        lambda: redemption_confirm(actor=counter, partner=partner, code=redemption.code),
        CodeExpired, person, privilege,
    )  # fmt: skip
    assert ledger_verify().ok


def test_another_partners_counter_does_not_know_the_code(person, privilege, counter):
    other = make_partner(name="ร้านอื่น", staff=make_person(name="คนร้านอื่น"))
    redemption = redeem(person, privilege)
    refused_without_change(
        lambda: redemption_confirm(actor=counter_staff(other), partner=other, code=redemption.code),
        CodeUnknown, person, privilege,
    )  # fmt: skip
    # Nor may one partner's staff act at another's counter.
    with pytest.raises(PermissionDenied):
        redemption_confirm(actor=counter_staff(other), partner=privilege.partner, code=redemption.code)
    with pytest.raises(PermissionDenied):
        redemption_confirm(actor=person, partner=privilege.partner, code=redemption.code)
    assert Redemption.objects.get(pk=redemption.pk).state == "held"
    with pytest.raises(CodeUnknown):
        redemption_confirm(actor=counter, partner=privilege.partner, code="ABCD-2345")


def test_a_cancelled_code_is_refused_at_the_counter(person, privilege, partner, counter):
    redemption = redeem(person, privilege)
    with pytest.raises(PermissionDenied):  # only the person cancels their own code
        redemption_cancel(actor=counter, redemption=redemption)

    cancelled = redemption_cancel(actor=person, redemption=redemption)

    assert cancelled.state == "cancelled" and points(person) == (30, 0) and stock_left(privilege) == 5
    assert entries_of(redemption) == ["redemption_hold", "redemption_release"]
    assert LedgerTransaction.objects.get(kind="redemption_release").memo["state"] == "cancelled"
    assert_one_audit(RewardsEvent.REDEMPTION_CANCEL, subject_id=str(redemption.public_id))
    refused_without_change(
        lambda: redemption_confirm(actor=counter, partner=partner, code=redemption.code),
        CodeCancelled, person, privilege,
    )  # fmt: skip
    with pytest.raises(CodeCancelled):
        redemption_cancel(actor=person, redemption=redemption)
    confirmed = redeem(person, privilege)
    redemption_confirm(actor=counter, partner=partner, code=confirmed.code)
    with pytest.raises(CodeUsed):
        redemption_cancel(actor=person, redemption=confirmed)
    assert ledger_verify().ok


def test_a_partners_own_system_confirms_by_its_token(person, privilege, partner, counter):
    raw = partner_token_issue(actor=counter, partner=partner, label="เครื่องเก็บเงิน 1")
    till = partner_token_actor(raw)
    redemption = redeem(person, privilege)

    confirmed = redemption_confirm(actor=till, partner=partner, code=redemption.code)

    assert confirmed.confirmed_via == "เครื่องเก็บเงิน 1" and confirmed.confirmed_by is None
    other = make_partner(name="ร้านอื่น", staff=make_person(name="คนร้านอื่น"))
    with pytest.raises(PermissionDenied):
        redemption_confirm(actor=till, partner=other, code=redemption.code)


def test_who_sees_a_redemption(person, privilege, partner, counter):
    redemption = redeem(person, privilege)
    assert redemption_visible_to(person, redemption)
    assert redemption_visible_to(counter, redemption)
    assert not redemption_visible_to(make_person(name="คนอื่น"), redemption)
    other = make_partner(name="ร้านอื่น", staff=make_person(name="คนร้านอื่น"))
    assert not redemption_visible_to(counter_staff(other), redemption)


# --- expiry -----------------------------------------------------------------------------------------


def test_expiry_releases_only_codes_past_their_time_once(person, privilege, partner, counter):
    due, waiting, used = redeem(person, privilege), redeem(person, privilege), redeem(person, privilege)
    redemption_confirm(actor=counter, partner=partner, code=used.code)
    expire_now(due)
    Redemption.objects.filter(pk=used.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert redemption_expire(redemption=waiting) is False  # not yet
    assert redemptions_expire_due() == 1
    assert redemptions_expire_due() == 0
    assert redemption_expire(redemption=due) is False  # already released

    states = dict(Redemption.objects.values_list("pk", "state"))
    assert states == {due.pk: "expired", waiting.pk: "held", used.pk: "confirmed"}
    assert points(person) == (10, 10) and stock_left(privilege) == 3
    assert AuditEvent.objects.filter(event_type=RewardsEvent.REDEMPTION_EXPIRE).count() == 1


# --- each step: one audit event, one ledger entry ---------------------------------------------------


def test_each_state_change_writes_one_audit_event_and_one_balanced_entry(person, privilege, partner, counter):
    confirmed, cancelled, expired = (
        redeem(person, privilege),
        redeem(person, privilege),
        redeem(person, privilege),
    )
    redemption_confirm(actor=counter, partner=partner, code=confirmed.code)
    redemption_cancel(actor=person, redemption=cancelled)
    expire_now(expired)
    redemptions_expire_due()

    expected = {
        confirmed: ["redemption:hold", "redemption:confirm"],
        cancelled: ["redemption:hold", "redemption:cancel"],
        expired: ["redemption:hold", "redemption:expire"],
    }
    for redemption, events in expected.items():
        found = list(
            AuditEvent.objects.filter(subject_id=str(redemption.public_id))
            .order_by("id")
            .values_list("event_type", flat=True)
        )
        assert found == events
        assert all(e in {str(v) for v in RewardsEvent} for e in found)
        assert len(entries_of(redemption)) == 2
        assert_balanced(redemption)
        for entry in LedgerTransaction.objects.filter(source_id=str(redemption.public_id)):
            assert entry.source_kind == "redemption"
            assert entry.chain_key == redemption.ledger_chain
    assert ledger_verify().ok


# --- reads: the passbook, the partner's numbers, the area report ------------------------------------


def test_the_passbook_describes_a_redemptions_entries(person, privilege, partner):
    redemption = redeem(person, privilege)
    redemption_cancel(actor=person, redemption=redemption)

    described = redemption_entries_describe([str(redemption.public_id)])

    entry = described[str(redemption.public_id)]
    assert entry.title == f"{privilege.title} · {partner.name}"
    assert entry.url == f"/redemptions/{redemption.public_id}/"
    assert entry.rule == str(Redemption(state="cancelled").get_state_display())
    book = passbook_get(person=person)
    mine = [e for e in book.entries if e.source_kind == "redemption"]
    assert sorted(e.points for e in mine) == [-10, 10]
    assert all(e.description.title == entry.title for e in mine)
    assert book.points_total == 30
    assert redemption_entries_describe([str(uuid.uuid4())]) == {}


def test_a_partners_totals(person, privilege, partner, counter):
    give(person, points=10)
    for _ in range(2):
        redemption_confirm(actor=counter, partner=partner, code=redeem(person, privilege).code)
    redeem(person, privilege)
    redemption_cancel(actor=person, redemption=redeem(person, privilege))
    totals = partner_totals(partner)
    assert (totals["confirmed"], totals["points_received"], totals["waiting"], totals["cancelled"]) == (
        2,
        20,
        1,
        1,
    )
    assert totals["expired"] == 0
    [row] = totals["by_privilege"]
    assert (row["n"], row["points"]) == (2, 20)


def test_the_area_report_hides_fewer_than_ten(partner, counter):
    privilege = make_privilege(partner, cost=1)
    people = [redeemer(points=1, name=f"คนที่ {i}") for i in range(10)]
    for person in people[:9]:
        redemption_confirm(actor=counter, partner=partner, code=redeem(person, privilege).code)
    staff = make_staff()
    [row] = [r for r in reward_report(staff) if r.key == "71"]
    assert (row.privileges_offered, row.redeemed, row.people, row.points) == (1, "<10", "<10", "<10")

    redemption_confirm(actor=counter, partner=partner, code=redeem(people[9], privilege).code)
    [row] = [r for r in reward_report(staff) if r.key == "71"]
    assert (row.redeemed, row.people, row.points) == ("10", "10", "10")
    with pytest.raises(PermissionDenied):
        reward_report(people[0])


def test_a_committee_reports_its_own_community_only(db):
    community = make_community()
    committee = make_committee(community)
    partner = make_partner()
    member = redeemer(points=5, name="สมาชิก ชุมชน")
    assert User.objects.get(pk=member.pk).community == community
    privilege = make_privilege(partner, cost=1)
    redemption_confirm(actor=counter_staff(partner), partner=partner, code=redeem(member, privilege).code)
    rows = reward_report(committee)
    assert [(r.key, r.privileges_offered, r.redeemed, r.people) for r in rows] == [
        (str(community.pk), 1, "<10", "<10")
    ]
