"""Levels (issue 11) are read from lifetime credit, never from points: spending every point
leaves the level where it was; only a reversal of a wrongly given credit lowers the credit, and
the level follows. A community may set its own levels, which replace the national set for its
members until it removes them."""

import uuid

import pytest
from django.db import transaction

from kwamdee.common.errors import PermissionDenied
from kwamdee.common.models import AuditEvent
from kwamdee.common.roles import Role, role_grant
from kwamdee.deeds.models import DeedReversal
from kwamdee.deeds.services import deed_credit_reverse, deed_record, deed_verify
from kwamdee.people.models import User
from kwamdee.rewards.errors import LevelsInvalid, LevelTooLow
from kwamdee.rewards.events import RewardsEvent
from kwamdee.rewards.levels import (
    MAX_CREDIT,
    MAX_LEVELS,
    LevelIn,
    level_status,
    levels_editable_by,
    levels_for,
    levels_set,
)
from kwamdee.rewards.models import Level
from kwamdee.rewards.partners import partner_token_actor, partner_token_issue
from kwamdee.rewards.redemptions import person_points, redemption_confirm, redemption_create
from tests.audit import assert_one_audit
from tests.factories import PHANOM_THUAN, SYSTEM, days_ago, make_community, make_person
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


def levels(*credits, names=None):
    names = names or [f"ระดับ {i + 1}" for i in range(len(credits))]
    return [LevelIn(name_th=name, name_en="", min_credit=c) for name, c in zip(names, credits, strict=True)]


def spend(person, partner, points):
    """The person redeems a privilege of `points` and the counter hands it over."""
    privilege = make_privilege(partner, cost=points, title_th=f"ของ {points} แต้ม")
    redemption = redemption_create(actor=person, privilege=privilege, key=str(uuid.uuid4()))
    return redemption_confirm(actor=counter_staff(partner), partner=partner, code=redemption.code)


def make_auditor():
    person = make_person(name="อรุณี ตรวจสอบ")
    with transaction.atomic():
        role_grant(actor=SYSTEM, person=person, role=Role.AUDITOR)
    return User.objects.get(pk=person.pk)


# --- reading a level ------------------------------------------------------------------------------


def test_the_national_levels_are_seedling_tree_and_great_shade_tree():
    national = levels_for(None)
    assert [(lv.rank, lv.name_en, lv.min_credit) for lv in national] == [
        (1, "Seedling", 0), (2, "Tree", 100), (3, "Great Shade Tree", 500),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("credit", "rank", "next_rank", "to_next", "percent"),
    [(0, 1, 2, 100, 0), (99, 1, 2, 1, 99), (100, 2, 3, 400, 0), (300, 2, 3, 200, 50), (499, 2, 3, 1, 99),
     (500, 3, None, 0, 100), (10**6, 3, None, 0, 100)],
)  # fmt: skip
def test_where_a_credit_stands(credit, rank, next_rank, to_next, percent):
    status = level_status(make_person(), credit=credit)
    assert status.rank == rank and status.level.rank == rank
    assert (status.next_level.rank if status.next_level else None) == next_rank
    assert (status.credit_to_next, status.progress_percent) == (to_next, percent)
    assert [lv.rank for lv in status.levels] == [1, 2, 3]


def test_below_the_first_level_there_is_none():
    levels_set(actor=SYSTEM, community=None, levels=levels(0, 10))
    Level.objects.filter(community=None, rank=1).update(min_credit=5)  # as an older set might have had
    status = level_status(make_person(), credit=3)
    assert status.level is None and status.rank == 0 and status.next_level.rank == 1
    assert (status.credit_to_next, status.progress_percent) == (2, 60)


def test_spending_every_point_leaves_the_level_where_it_was():
    person = redeemer(points=50, credit=120)
    partner = make_partner()
    before = level_status(person)
    assert (before.credit, before.rank) == (120, 2)

    spend(person, partner, 50)

    assert person_points(person) == {}
    after = level_status(person)
    assert (after.credit, after.rank, after.credit_to_next) == (120, 2, 380)


def test_a_reversed_deed_lowers_the_credit_and_the_level_follows(deed_types, verifier):
    # Given: 90 credit, then a verified deed of 20 credit and 20 points: a Tree (110)
    person = redeemer(credit=90)
    deed = deed_record(
        actor=person, deed_type_public_id=deed_types["returning-lost-property"].public_id,
        performed_on=days_ago(1), description="คืนกระเป๋าสตางค์",
    )  # fmt: skip
    deed_verify(actor=verifier, deed_public_id=deed.public_id)
    assert (level_status(person).credit, level_status(person).rank) == (110, 2)
    # ... who spent 15 of the deed's points at a partner: still a Tree
    spend(person, make_partner(), 15)
    assert (level_status(person).credit, level_status(person).rank) == (110, 2)

    # When: the auditor finds the deed was not done and reverses its credit
    deed_credit_reverse(actor=make_auditor(), deed_public_id=deed.public_id, reason_code="fraudulent")

    # Then: the credit falls by the deed's 20 and the level with it; the 15 spent stay spent
    status = level_status(person)
    assert (status.credit, status.rank, status.credit_to_next) == (90, 1, 10)
    assert sum(person_points(person).values()) == 0
    reversal = DeedReversal.objects.get()
    assert (reversal.credit, reversal.points, reversal.points_kept) == (20, 5, 15)


# --- a community's own levels -----------------------------------------------------------------------


def test_a_communitys_own_levels_replace_the_national_ones_for_its_members():
    community = make_community()
    committee = make_committee(community)
    member = redeemer(credit=15, points=10, name="สมาชิก ชุมชน")
    outsider = redeemer(credit=15, points=10, name="คนนอก ชุมชน", subdistrict=PHANOM_THUAN)
    assert member.community == community and outsider.community is None
    partner = make_partner()
    assert partner.community == community
    for_level_two = make_privilege(partner, cost=0, min_level=2, title_th="คิวด่วน")
    # A partner outside the community reads its levels in the national set.
    far_partner = make_partner(subdistrict=PHANOM_THUAN, name="ร้านค้า พนมทวน")
    far_level_two = make_privilege(far_partner, cost=0, min_level=2, title_th="คิวด่วน พนมทวน",
                                   areas=[("national", "")])  # fmt: skip

    own = levels_set(actor=committee, community=community, levels=levels(0, 10, 50, names=["ก", "ข", "ค"]))

    assert [(lv.rank, lv.name_th, lv.min_credit, lv.community) for lv in own] == [
        (1, "ก", 0, community), (2, "ข", 10, community), (3, "ค", 50, community),
    ]  # fmt: skip
    assert (level_status(member).rank, level_status(member).level.name_th) == (2, "ข")
    assert (level_status(outsider).rank, level_status(outsider).level.name_en) == (1, "Seedling")
    # A privilege names a level by its rank, read in its partner's set: the community's own levels
    # open its own partners' privileges (to anyone with that much credit), never those offered
    # beyond it, which read the national set (level 2 there: 100 credit).
    redemption_create(actor=member, privilege=for_level_two, key="a")
    with pytest.raises(LevelTooLow):
        redemption_create(actor=member, privilege=far_level_two, key="b")
    with pytest.raises(LevelTooLow):
        redemption_create(actor=outsider, privilege=far_level_two, key="c")
    event = assert_one_audit(RewardsEvent.LEVELS_SET, subject_id=str(community.public_id))
    assert event.data == {"levels": [["ก", 0], ["ข", 10], ["ค", 50]]}

    # Removing its own set: its members follow the national levels again.
    back = levels_set(actor=committee, community=community, levels=[])

    assert [lv.rank for lv in back] == [1, 2, 3] and all(lv.community is None for lv in back)
    assert not Level.objects.filter(community=community).exists()
    assert (level_status(member).rank, level_status(member).level.name_en) == (1, "Seedling")
    assert AuditEvent.objects.filter(event_type=RewardsEvent.LEVELS_SET).count() == 2


def test_setting_levels_again_replaces_the_whole_set():
    staff = make_staff()
    levels_set(actor=staff, community=None, levels=levels(0, 50, 200, 1000))
    assert [(lv.rank, lv.min_credit) for lv in levels_for(None)] == [(1, 0), (2, 50), (3, 200), (4, 1000)]
    levels_set(actor=staff, community=None, levels=levels(0, 40))
    assert [(lv.rank, lv.min_credit) for lv in levels_for(None)] == [(1, 0), (2, 40)]
    event = AuditEvent.objects.filter(event_type=RewardsEvent.LEVELS_SET, subject_id="national").first()
    assert event.actor == staff and event.data["levels"] == [["ระดับ 1", 0], ["ระดับ 2", 40]]


def test_who_may_set_which_levels():
    community, other = make_community(), make_community(PHANOM_THUAN)
    committee, staff, citizen = make_committee(community), make_staff(), make_person(name="ประชาชน")
    assert levels_editable_by(staff, None) and levels_editable_by(staff, community)
    assert levels_editable_by(committee, community)
    assert not levels_editable_by(committee, None) and not levels_editable_by(committee, other)
    assert not levels_editable_by(citizen, None) and not levels_editable_by(citizen, community)
    partner = make_partner()
    till = partner_token_actor(partner_token_issue(actor=counter_staff(partner), partner=partner))
    assert not levels_editable_by(till, community) and not levels_editable_by(till, None)
    national = [(lv.rank, lv.min_credit) for lv in levels_for(None)]
    refused = (
        (committee, None),
        (committee, other),
        (citizen, None),
        (citizen, community),
        (till, community),
    )
    for actor, where in refused:
        with pytest.raises(PermissionDenied):
            levels_set(actor=actor, community=where, levels=levels(0, 5))
        with pytest.raises(PermissionDenied):
            levels_set(actor=actor, community=where, levels=[])
    assert [(lv.rank, lv.min_credit) for lv in levels_for(None)] == national
    assert not Level.objects.filter(community__isnull=False).exists()
    levels_set(actor=staff, community=other, levels=levels(0, 5))
    assert [lv.min_credit for lv in levels_for(other)] == [0, 5]


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ([], "levels"),
        (levels(5, 10), "levels.0.min_credit"),
        (levels(0, 50, 50), "levels.2.min_credit"),
        (levels(0, 50, 20), "levels.2.min_credit"),
        (levels(0, -1), "levels.1.min_credit"),
        (levels(0, MAX_CREDIT + 1), "levels.1.min_credit"),
        ([LevelIn(name_th="ก", name_en="", min_credit=0), LevelIn(name_th="ข", name_en="", min_credit="10")],
         "levels.1.min_credit"),
        (levels(0, 10, names=["ก", "  "]), "levels.1.name_th"),
        (levels(0, 10, names=["ก", "ข" * 61]), "levels.1.name_th"),
        ([LevelIn(name_th="ก", name_en="", min_credit=0, opens_th="x" * 301)], "levels.0.opens_th"),
        (levels(*range(0, MAX_LEVELS + 1)), "levels"),
    ],
)  # fmt: skip
def test_a_bad_set_of_levels_is_refused_and_nothing_changes(given, field):
    before = list(Level.objects.values_list("community", "rank", "name_th", "min_credit"))
    with pytest.raises(LevelsInvalid) as refused:
        levels_set(actor=SYSTEM, community=None, levels=given)
    assert field in refused.value.fields
    assert list(Level.objects.values_list("community", "rank", "name_th", "min_credit")) == before
    assert not AuditEvent.objects.filter(event_type=RewardsEvent.LEVELS_SET).exists()


def test_levels_are_never_stored_per_person_but_read_from_the_credit_each_time():
    person = redeemer(credit=99)
    assert level_status(person).rank == 1
    give(person, credit=1)
    assert level_status(person).rank == 2
