"""Privileges (issue 11): an approved partner's staff offer them where the partner is (its
community, district, province), national staff in the whole country too; each needs a cost, a
level or both; a changed stock counts what was already given out; a withdrawn one is no longer
offered. "Near me" is the person's community, district, province and the whole country."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.common.errors import PermissionDenied
from kwamdee.common.models import AuditEvent
from kwamdee.rewards.errors import OutOfStock, PrivilegeInvalid
from kwamdee.rewards.events import RewardsEvent
from kwamdee.rewards.models import Partner, Privilege
from kwamdee.rewards.partners import partner_token_actor, partner_token_issue
from kwamdee.rewards.privileges import (
    PrivilegeIn,
    areas_allowed,
    privilege_get,
    privilege_offer,
    privilege_offerable_by,
    privilege_offered_to,
    privilege_update,
    privilege_withdraw,
    privileges_near,
    privileges_of_partner,
)
from kwamdee.rewards.redemptions import redemption_cancel, redemption_confirm, redemption_create
from tests.audit import assert_one_audit
from tests.factories import BANGKOK_SUBDISTRICT, PHANOM_THUAN, SYSTEM, make_community, make_person
from tests.rewards.factories import counter_staff, make_partner, make_privilege, make_staff, redeemer

pytestmark = pytest.mark.django_db


def data(**kwargs):
    today = timezone.localdate()
    values = {
        "title_th": "ส่วนลด 20 บาท", "cost_points": 10, "valid_from": today,
        "valid_until": today + timedelta(days=30), "areas": [("district", "7109")],
    }  # fmt: skip
    values.update(kwargs)
    return PrivilegeIn(**values)


def redeem(person, privilege):
    return redemption_create(actor=person, privilege=privilege, key=str(uuid.uuid4()))


@pytest.fixture
def partner(db):
    return make_partner()


@pytest.fixture
def counter(partner):
    return counter_staff(partner)


# --- offering -------------------------------------------------------------------------------------


def test_a_partners_staff_offer_a_privilege_where_the_partner_is(db):
    community = make_community()
    partner = make_partner()
    counter = counter_staff(partner)
    where = [("community", str(community.public_id)), ("district", "7109"), ("province", "71")]
    assert areas_allowed(counter, partner) == where

    privilege = privilege_offer(
        actor=counter, partner=partner, data=data(areas=where, stock=5, title_en=" Tea ")
    )

    assert (privilege.stock, privilege.stock_left, privilege.state, privilege.created_by) == (
        5,
        5,
        "active",
        counter,
    )
    assert privilege.title_en == "Tea"
    assert sorted(privilege.areas.values_list("kind", "code")) == sorted(where)
    event = assert_one_audit(RewardsEvent.PRIVILEGE_OFFER, subject_id=str(privilege.public_id))
    assert event.actor == counter and event.data["cost_points"] == 10 and event.data["stock"] == 5
    assert privilege_get(privilege.public_id) == privilege and privilege_get("nonsense") is None
    assert list(privileges_of_partner(partner)) == [privilege]


def test_only_national_staff_offer_in_the_whole_country(partner, counter):
    with pytest.raises(PrivilegeInvalid) as refused:
        privilege_offer(actor=counter, partner=partner, data=data(areas=[("national", "")]))
    assert "areas" in refused.value.fields
    staff = make_staff()
    assert ("national", "") in areas_allowed(staff, partner)

    privilege = privilege_offer(actor=staff, partner=partner, data=data(areas=[("national", "")]))

    far = redeemer(points=10, subdistrict=BANGKOK_SUBDISTRICT, name="คนกรุง")
    assert privilege_offered_to(far, privilege)
    assert Privilege.objects.count() == 1


@pytest.mark.parametrize(
    "areas",
    [[], [("district", "1001")], [("province", "10")], [("community", str(uuid.uuid4()))], [("world", "")]],
)
def test_only_the_partners_own_areas_are_allowed(partner, counter, areas):
    with pytest.raises(PrivilegeInvalid) as refused:
        privilege_offer(actor=counter, partner=partner, data=data(areas=areas))
    assert "areas" in refused.value.fields
    assert not Privilege.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title_th": "  "}, "title_th"),
        ({"title_th": "ส" * 201}, "title_th"),
        ({"cost_points": 0, "min_level": 0}, "cost_points"),
        ({"cost_points": -1}, "cost_points"),
        ({"cost_points": True}, "cost_points"),
        ({"cost_points": 1_000_001}, "cost_points"),
        ({"min_level": 11}, "min_level"),
        ({"stock": 0}, "stock"),
        ({"per_person_limit": 0}, "per_person_limit"),
        ({"per_person_period": "week"}, "per_person_period"),
        ({"code_minutes": 4}, "code_minutes"),
        ({"code_minutes": 7 * 24 * 60 + 1}, "code_minutes"),
        ({"valid_from": timezone.localdate(), "valid_until": timezone.localdate() - timedelta(days=1)},
         "valid_until"),
        ({"valid_from": timezone.localdate() - timedelta(days=9), "valid_until": timezone.localdate() - timedelta(days=1)},
         "valid_until"),
    ],
)  # fmt: skip
def test_a_bad_offer_is_refused_with_fields_and_nothing_is_written(partner, counter, kwargs, field):
    with pytest.raises(PrivilegeInvalid) as refused:
        privilege_offer(actor=counter, partner=partner, data=data(**kwargs))
    assert field in refused.value.fields
    assert not Privilege.objects.exists()
    assert not AuditEvent.objects.filter(event_type=RewardsEvent.PRIVILEGE_OFFER).exists()


def test_a_cost_or_a_level_or_both(partner, counter):
    for cost, level in ((0, 2), (5, 0), (5, 3)):
        privilege = privilege_offer(
            actor=counter, partner=partner, data=data(cost_points=cost, min_level=level)
        )
        assert (privilege.cost_points, privilege.min_level) == (cost, level)


def test_who_may_offer(partner, counter):
    pending = make_partner(approve=False, name="ร้านรออนุมัติ", staff=make_person(name="เจ้าของ รอ"))
    till = partner_token_actor(partner_token_issue(actor=counter, partner=partner))
    staff = make_staff()
    assert privilege_offerable_by(counter, partner) and privilege_offerable_by(staff, partner)
    for actor, which in (
        (counter_staff(pending), pending),  # not approved yet
        (staff, pending),  # nobody offers for a partner not approved
        (counter, pending),  # another partner's staff
        (make_person(name="ประชาชน"), partner),
        (till, partner),  # a partner's system does not offer
    ):
        assert not privilege_offerable_by(actor, which)
        with pytest.raises(PermissionDenied):
            privilege_offer(actor=actor, partner=which, data=data())
    assert not Privilege.objects.exists()


# --- changing and withdrawing -------------------------------------------------------------------------


def test_a_new_stock_counts_what_was_already_given_out(partner, counter):
    privilege = make_privilege(partner, cost=1, stock=5)
    person = redeemer(points=10)
    given = [redeem(person, privilege) for _ in range(3)]
    redemption_confirm(actor=counter, partner=partner, code=given[0].code)  # 1 handed over, 2 waiting

    with pytest.raises(PrivilegeInvalid) as refused:
        privilege_update(actor=counter, privilege=privilege, data=data(cost_points=1, stock=2))
    assert "stock" in refused.value.fields and "3" in str(refused.value.fields["stock"][0])
    assert Privilege.objects.get(pk=privilege.pk).stock_left == 2

    changed = privilege_update(actor=counter, privilege=privilege, data=data(cost_points=1, stock=10))
    assert (changed.stock, changed.stock_left) == (10, 7)
    assert_one_audit(RewardsEvent.PRIVILEGE_UPDATE, subject_id=str(privilege.public_id))
    changed = privilege_update(actor=counter, privilege=privilege, data=data(cost_points=1, stock=3))
    assert (changed.stock, changed.stock_left) == (3, 0)
    # A code given back frees its item again.
    redemption_cancel(actor=person, redemption=given[1])
    assert Privilege.objects.get(pk=privilege.pk).stock_left == 1
    unlimited = privilege_update(actor=counter, privilege=privilege, data=data(cost_points=1, stock=None))
    assert (unlimited.stock, unlimited.stock_left) == (None, None)
    redemption_cancel(actor=person, redemption=given[2])
    assert Privilege.objects.get(pk=privilege.pk).stock_left is None


def test_a_stock_set_while_codes_wait_never_rises_above_itself(partner, counter):
    privilege = make_privilege(partner, cost=1)  # unlimited
    person = redeemer(points=5)
    waiting = redeem(person, privilege)
    # Unlimited until now: the code waiting took one item, so a stock of 1 has none left.
    changed = privilege_update(actor=counter, privilege=privilege, data=data(cost_points=1, stock=1))
    assert (changed.stock, changed.stock_left) == (1, 0)
    with pytest.raises(OutOfStock):
        redeem(redeemer(points=5, name="คนที่สอง"), privilege)
    with pytest.raises(PrivilegeInvalid):
        privilege_update(actor=counter, privilege=privilege, data=data(cost_points=1, stock=0))
    redemption_cancel(actor=person, redemption=waiting)
    left = Privilege.objects.get(pk=privilege.pk)
    assert (left.stock, left.stock_left) == (1, 1)


def test_a_change_replaces_the_areas_and_only_offerers_change(partner, counter):
    privilege = make_privilege(partner, cost=5)
    with pytest.raises(PermissionDenied):
        privilege_update(actor=make_person(name="คนอื่น"), privilege=privilege, data=data(title_th="ของฉัน"))
    privilege_update(
        actor=counter, privilege=privilege, data=data(title_th="ชาเย็น", areas=[("province", "71")])
    )
    changed = Privilege.objects.get(pk=privilege.pk)
    assert changed.title_th == "ชาเย็น"
    assert list(changed.areas.values_list("kind", "code")) == [("province", "71")]


def test_a_withdrawn_privilege_is_no_longer_offered_but_its_codes_stay_good(partner, counter):
    privilege = make_privilege(partner, cost=5)
    person = redeemer(points=10)
    waiting = redeem(person, privilege)
    with pytest.raises(PermissionDenied):
        privilege_withdraw(actor=person, privilege=privilege)

    privilege_withdraw(actor=counter, privilege=privilege)
    privilege_withdraw(actor=counter, privilege=privilege)  # again: nothing more

    assert Privilege.objects.get(pk=privilege.pk).state == "withdrawn"
    assert_one_audit(RewardsEvent.PRIVILEGE_WITHDRAW, subject_id=str(privilege.public_id))
    assert privilege not in privileges_near(person) and not privilege_offered_to(person, privilege)
    assert redemption_confirm(actor=counter, partner=partner, code=waiting.code).state == "confirmed"


# --- near me ------------------------------------------------------------------------------------------


def test_privileges_near_a_person_are_those_of_their_community_district_province_and_country(db):
    community = make_community()
    partner = make_partner()
    staff = make_staff()
    member = redeemer(name="สมาชิก ชุมชน")
    neighbour = redeemer(name="เพื่อนบ้าน ตำบลข้างๆ", subdistrict=PHANOM_THUAN)  # same district
    far = redeemer(name="คนกรุง", subdistrict=BANGKOK_SUBDISTRICT)
    assert member.community == community and neighbour.community is None

    def offer(title, areas, cost=5, actor=None, **extra):
        return privilege_offer(actor=actor or counter_staff(partner), partner=partner,
                               data=data(title_th=title, cost_points=cost, areas=areas, **extra))  # fmt: skip

    own = offer("ชุมชน", [("community", str(community.public_id))], cost=1)
    district = offer("อำเภอ", [("district", "7109")], cost=2)
    province = offer("จังหวัด", [("province", "71")], cost=3)
    national = offer("ทั่วประเทศ", [("national", "")], cost=4, actor=staff)
    offer("ยังไม่เริ่ม", [("district", "7109")], valid_from=timezone.localdate() + timedelta(days=1),
          valid_until=timezone.localdate() + timedelta(days=9))  # fmt: skip

    assert list(privileges_near(member)) == [own, district, province, national]
    assert list(privileges_near(neighbour)) == [district, province, national]
    assert list(privileges_near(far)) == [national]
    # A partner no longer approved offers nothing.
    Partner.objects.filter(pk=partner.pk).update(state="declined")
    assert list(privileges_near(member)) == []


def test_nothing_is_offered_by_a_partner_waiting_for_approval(db):
    pending = make_partner(approve=False)
    with pytest.raises(PermissionDenied):
        privilege_offer(actor=SYSTEM, partner=pending, data=data())
    # Nor is a privilege of a partner that is no longer approved.
    approved = make_partner(name="ร้านอื่น", staff=make_person(name="คนร้านอื่น"))
    privilege = make_privilege(approved, cost=5)
    Partner.objects.filter(pk=approved.pk).update(state="pending")
    person = redeemer(points=10)
    assert privilege not in privileges_near(person) and not privilege_offered_to(person, privilege)
