"""Partners, privileges and points for rewards tests, made through the real services."""

import uuid
from datetime import timedelta

from django.utils import timezone

from kwamdee.deeds.ledger import deed_chain_key, deed_shard, issuance_account_key
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.services import Leg, Source, accounts_get_or_create, ledger_transaction_post
from kwamdee.people.accounts import person_account_key
from kwamdee.rewards.partners import partner_decide, partner_register
from kwamdee.rewards.privileges import PrivilegeIn, privilege_offer
from tests.factories import NONG_SARAI, SYSTEM, make_person


def give(person, *, points=0, credit=0, virtue="volunteerism"):
    """Credits `person` as a verified deed would (issuance of their shard → their accounts):
    through the real ledger, without the deed's paperwork."""
    shard = deed_shard(person.province_code or "00", person.ledger_ref)
    keys, legs_spec = [], []
    for unit, amount in ((Unit.CREDIT, credit), (Unit.POINTS, points)):
        if amount:
            issuance, own = (
                issuance_account_key(shard, unit, virtue),
                person_account_key(person, unit, virtue),
            )
            keys += [issuance, own]
            legs_spec += [(issuance, -amount), (own, amount)]
    accounts = accounts_get_or_create(keys, negative_kinds=["issuance"])
    return ledger_transaction_post(
        chain_key=deed_chain_key(shard), kind="deed_credit", idempotency_key=f"test-give:{uuid.uuid4()}",
        legs=[Leg(accounts[k], a) for k, a in legs_spec], source=Source("deed", str(uuid.uuid4())),
    )  # fmt: skip


def make_partner(
    *, subdistrict=NONG_SARAI, staff=None, name="ร้านค้าชุมชนหนองสะหร่าย", kind="shop", approve=True
):
    staff = staff or make_person(name="มานี ค้าขาย", subdistrict=subdistrict)
    partner = partner_register(
        actor=staff, name_th=name, name_en="Nong Sarai community shop", kind=kind,
        subdistrict_code=subdistrict, contact_phone="0812345678",
    )  # fmt: skip
    if approve:
        partner = partner_decide(actor=SYSTEM, partner=partner, approve=True)
    return partner


def make_privilege(partner, *, cost=10, stock=None, min_level=0, areas=None, actor=SYSTEM, **extra):
    today = timezone.localdate()
    data = PrivilegeIn(
        title_th=extra.pop("title_th", "ส่วนลด 20 บาท"), title_en="20 baht off", cost_points=cost, stock=stock,
        min_level=min_level, valid_from=today - timedelta(days=1), valid_until=today + timedelta(days=30),
        areas=areas or [("district", partner.district_code)], **extra,
    )  # fmt: skip
    return privilege_offer(actor=actor, partner=partner, data=data)


def make_staff(name="เจ้าหน้าที่ ส่วนกลาง"):
    """A national staff member (approves partners, offers national privileges, sets levels)."""
    from django.db import transaction

    from kwamdee.common.roles import Role, role_grant
    from kwamdee.people.models import User

    person = make_person(name=name)
    with transaction.atomic():  # as the service that grants a role does
        role_grant(actor=SYSTEM, person=person, role=Role.STAFF)
    return User.objects.get(pk=person.pk)  # fresh permission cache


def make_committee(community, name="กรรมการ ชุมชน"):
    """An admin of `community` (its committee), fresh from the database."""
    from kwamdee.areas.services import community_admin_grant
    from kwamdee.people.models import User

    person = make_person(name=name, subdistrict=community.subdistrict_code)
    community_admin_grant(actor=SYSTEM, community=community, person=person)
    return User.objects.get(pk=person.pk)


def counter_staff(partner):
    """The partner's first counter staff member (who registered it), fresh from the database."""
    from kwamdee.people.models import User

    return User.objects.get(pk=partner.staff.order_by("pk").first().pk)


def redeemer(*, points=0, credit=0, name="สมชาย ใจบุญ", **kwargs):
    """A person of the partner's district with `points` and `credit` (through the real ledger)."""
    person = make_person(name=name, **kwargs)
    if points or credit:
        give(person, points=points, credit=credit)
    return person
