"""Partners (issue 11): a person registers one and serves its counter; national staff (anywhere)
or the committee of its community (for it) approve or decline it once, never its own staff; its
staff add and remove colleagues (the last one stays); tokens let its own system act for it and
for nothing else, until revoked."""

import hashlib

import pytest

from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.common.models import AuditEvent
from kwamdee.rewards.errors import PartnerInvalid
from kwamdee.rewards.events import RewardsEvent
from kwamdee.rewards.models import Partner, PartnerToken
from kwamdee.rewards.partners import (
    partner_decidable_by,
    partner_decide,
    partner_register,
    partner_served_by,
    partner_staff_add,
    partner_staff_remove,
    partner_token_actor,
    partner_token_issue,
    partner_token_revoke,
    partner_tokens,
    partners_served_by,
    partners_waiting_for,
)
from tests.audit import assert_one_audit
from tests.factories import BANGKOK_SUBDISTRICT, NONG_SARAI, PHANOM_THUAN, SYSTEM, make_community, make_person
from tests.rewards.factories import counter_staff, make_committee, make_partner, make_staff

pytestmark = pytest.mark.django_db


def register(person, **kwargs):
    values = {
        "name_th": "ร้านป้าแดง", "name_en": "Auntie Daeng's shop", "kind": "shop",
        "subdistrict_code": NONG_SARAI, "contact_phone": "081-234-5678",
    }  # fmt: skip
    values.update(kwargs)
    return partner_register(actor=person, **values)


def is_partner_role(person):
    return person.groups.filter(name="partner").exists()


# --- registering ----------------------------------------------------------------------------------


def test_a_person_registers_a_partner_and_serves_its_counter_once_approved():
    community = make_community()
    owner = make_person(name="แดง ขายของ")

    partner = register(owner, contact_email="  Daeng@Example.COM ")

    assert partner.state == "pending" and partner.registered_by == owner
    assert (partner.district_code, partner.province_code, partner.community) == ("7109", "71", community)
    assert (partner.contact_phone, partner.contact_email) == ("0812345678", "daeng@example.com")
    assert list(partner.staff.all()) == [owner] and list(partners_served_by(owner)) == [partner]
    assert not partner_served_by(owner, partner)  # not before the approval
    event = assert_one_audit(RewardsEvent.PARTNER_REGISTER, subject_id=str(partner.public_id))
    assert event.actor == owner and event.data == {"kind": "shop", "subdistrict": NONG_SARAI}

    partner_decide(actor=SYSTEM, partner=partner, approve=True)
    assert partner_served_by(owner, Partner.objects.get(pk=partner.pk)) and is_partner_role(owner)


def test_a_partner_in_a_subdistrict_without_a_community_has_none():
    partner = register(make_person(), subdistrict_code=BANGKOK_SUBDISTRICT)
    assert partner.community is None and partner.province_code == "10"


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        ({"name_th": "  "}, {"name_th"}),
        ({"kind": "casino"}, {"kind"}),
        ({"subdistrict_code": "999999"}, {"subdistrict_code"}),
        ({"contact_phone": "12345"}, {"contact_phone"}),
        ({"contact_phone": "", "contact_email": "not-an-email"}, {"contact_email"}),
        ({"contact_phone": "", "contact_email": ""}, {"contact_phone"}),
        ({"name_th": "ร" * 201, "address": "ที่อยู่" * 100}, {"name_th", "address"}),
    ],
)
def test_a_bad_registration_is_refused_with_fields(kwargs, fields):
    with pytest.raises(PartnerInvalid) as refused:
        register(make_person(), **kwargs)
    assert fields <= set(refused.value.fields)
    assert (
        not Partner.objects.exists() and not AuditEvent.objects.filter(event_type="partner:register").exists()
    )


def test_only_a_person_registers_a_partner():
    with pytest.raises(PermissionDenied):
        register(SYSTEM)


# --- deciding ---------------------------------------------------------------------------------------


def test_national_staff_approve_anywhere_and_the_staff_become_partners():
    staff = make_staff()
    owner = make_person(name="เจ้าของ กรุงเทพ", subdistrict=BANGKOK_SUBDISTRICT)
    partner = register(owner, subdistrict_code=BANGKOK_SUBDISTRICT)
    assert list(partners_waiting_for(staff)) == [partner]

    decided = partner_decide(actor=staff, partner=partner, approve=True, note=" ยินดีต้อนรับ ")

    assert (decided.state, decided.decided_by, decided.decision_note) == ("approved", staff, "ยินดีต้อนรับ")
    assert decided.decided_at is not None and is_partner_role(owner)
    event = assert_one_audit(RewardsEvent.PARTNER_DECIDE, subject_id=str(partner.public_id))
    assert event.actor == staff and event.data["state"] == "approved"
    assert list(partners_waiting_for(staff)) == []


def test_the_committee_decides_for_its_own_community_only():
    community, other = make_community(), make_community(PHANOM_THUAN)
    committee, other_committee = make_committee(community), make_committee(other, name="กรรมการ อื่น")
    partner = register(make_person(name="แดง ขายของ"))
    far = register(make_person(name="คนกรุง"), subdistrict_code=BANGKOK_SUBDISTRICT)
    assert partner.community == community

    assert list(partners_waiting_for(committee)) == [partner]
    assert list(partners_waiting_for(other_committee)) == []
    assert not partner_decidable_by(other_committee, partner) and not partner_decidable_by(committee, far)
    for actor, which in ((other_committee, partner), (committee, far), (make_person(name="ใครก็ได้"), partner)):
        with pytest.raises(PermissionDenied):
            partner_decide(actor=actor, partner=which, approve=True)
    assert set(Partner.objects.values_list("state", flat=True)) == {"pending"}

    partner_decide(actor=committee, partner=partner, approve=True)
    assert Partner.objects.get(pk=partner.pk).state == "approved"


def test_nobody_decides_on_a_partner_they_serve():
    community = make_community()
    staff, committee = make_staff(), make_committee(community)
    for owner in (staff, committee):
        partner = register(owner, name_th=f"ร้านของ {owner.full_name}")
        assert not partner_decidable_by(owner, partner)
        assert partner not in partners_waiting_for(owner)
        with pytest.raises(PermissionDenied):
            partner_decide(actor=owner, partner=partner, approve=True)
        assert Partner.objects.get(pk=partner.pk).state == "pending"


def test_a_decline_needs_a_note_and_a_partner_is_decided_once():
    staff = make_staff()
    owner = make_person(name="แดง ขายของ")
    partner = register(owner)
    with pytest.raises(PartnerInvalid) as refused:
        partner_decide(actor=staff, partner=partner, approve=False, note="   ")
    assert "note" in refused.value.fields
    with pytest.raises(PartnerInvalid) as refused:
        partner_decide(actor=staff, partner=partner, approve=False, note="ย" * 501)
    assert "note" in refused.value.fields
    assert Partner.objects.get(pk=partner.pk).state == "pending"

    declined = partner_decide(actor=staff, partner=partner, approve=False, note="ที่อยู่ไม่ครบ")

    assert (declined.state, declined.decision_note) == ("declined", "ที่อยู่ไม่ครบ")
    assert not is_partner_role(owner) and not partner_served_by(owner, declined)
    for approve in (True, False):
        with pytest.raises(PartnerInvalid):
            partner_decide(actor=staff, partner=partner, approve=approve, note="อีกครั้ง")
    assert AuditEvent.objects.filter(event_type=RewardsEvent.PARTNER_DECIDE).count() == 1
    assert Partner.objects.get(pk=partner.pk).state == "declined"


# --- counter staff --------------------------------------------------------------------------------


def test_staff_add_a_colleague_by_the_phone_they_sign_in_with():
    partner = make_partner()
    owner = counter_staff(partner)
    colleague = make_person(name="สมหมาย ช่วยขาย")

    added = partner_staff_add(actor=owner, partner=partner, login=f" {colleague.phone} ")

    assert added == colleague and partner_served_by(colleague, partner) and is_partner_role(colleague)
    event = assert_one_audit(RewardsEvent.PARTNER_STAFF_ADD, subject_id=str(partner.public_id))
    assert event.data["person"] == str(colleague.public_id)
    assert (
        partner_staff_add(actor=owner, partner=partner, login=colleague.phone) == colleague
    )  # again: no change
    assert partner.staff.count() == 2
    assert AuditEvent.objects.filter(event_type=RewardsEvent.PARTNER_STAFF_ADD).count() == 1
    with pytest.raises(PartnerInvalid) as refused:
        partner_staff_add(actor=owner, partner=partner, login="0899999999")
    assert "login" in refused.value.fields


def test_only_an_approved_partners_staff_add_colleagues():
    pending = make_partner(approve=False)
    approved = make_partner(name="ร้านอื่น", staff=make_person(name="คนร้านอื่น"))
    colleague = make_person(name="สมหมาย ช่วยขาย")
    token = partner_token_actor(partner_token_issue(actor=counter_staff(approved), partner=approved))
    for actor, partner in (
        (counter_staff(pending), pending),  # not approved yet
        (counter_staff(approved), pending),  # another partner's staff
        (colleague, approved),  # a stranger
        (token, approved),  # a partner's system adds nobody
    ):
        with pytest.raises(PermissionDenied):
            partner_staff_add(actor=actor, partner=partner, login=colleague.phone)
    assert not partner_served_by(colleague, approved)


def test_staff_are_removed_but_the_last_one_stays():
    partner = make_partner()
    owner = counter_staff(partner)
    colleague = partner_staff_add(actor=owner, partner=partner, login=make_person(name="สมหมาย").phone)
    with pytest.raises(NotFound):
        partner_staff_remove(actor=owner, partner=partner, person=make_person(name="ไม่ใช่พนักงาน"))

    partner_staff_remove(actor=owner, partner=partner, person=colleague)

    assert list(partner.staff.all()) == [owner] and not partner_served_by(colleague, partner)
    assert_one_audit(RewardsEvent.PARTNER_STAFF_REMOVE, subject_id=str(partner.public_id))
    with pytest.raises(PartnerInvalid):
        partner_staff_remove(actor=owner, partner=partner, person=owner)
    with pytest.raises(PermissionDenied):  # the one removed no longer acts for it
        partner_staff_remove(actor=colleague, partner=partner, person=owner)
    assert list(partner.staff.all()) == [owner]


# --- tokens -----------------------------------------------------------------------------------------


def test_a_token_acts_for_its_partner_only_until_revoked():
    partner = make_partner()
    other = make_partner(name="ร้านอื่น", staff=make_person(name="คนร้านอื่น"))
    owner = counter_staff(partner)

    raw = partner_token_issue(actor=owner, partner=partner, label=" เครื่องเก็บเงิน ")

    [token] = partner_tokens(partner)
    assert raw.startswith("kwp_") and token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.label == "เครื่องเก็บเงิน" and token.created_by == owner
    assert raw not in {token.key_hash, token.label}  # only its hash is kept
    assert_one_audit(RewardsEvent.PARTNER_TOKEN_ISSUE, subject_id=str(partner.public_id))
    actor = partner_token_actor(raw)
    assert actor.partner == partner and actor.label == "เครื่องเก็บเงิน"
    assert partner_served_by(actor, partner) and not partner_served_by(actor, other)
    assert not actor.has_perm("rewards.approve_partners") and not partner_decidable_by(actor, other)
    assert PartnerToken.objects.get(pk=token.pk).last_used_at is not None
    # What only people do: not through a token.
    for call in (
        lambda: partner_token_issue(actor=actor, partner=partner),
        lambda: partner_token_revoke(actor=actor, partner=partner, token_id=token.pk),
        lambda: partner_staff_remove(actor=actor, partner=partner, person=owner),
    ):
        with pytest.raises(PermissionDenied):
            call()
    # Another partner's staff can neither see nor revoke it.
    with pytest.raises(NotFound):
        partner_token_revoke(actor=counter_staff(other), partner=other, token_id=token.pk)

    partner_token_revoke(actor=owner, partner=partner, token_id=token.pk)

    assert partner_token_actor(raw) is None and list(partner_tokens(partner)) == []
    assert_one_audit(RewardsEvent.PARTNER_TOKEN_REVOKE, subject_id=str(partner.public_id))
    with pytest.raises(NotFound):
        partner_token_revoke(actor=owner, partner=partner, token_id=token.pk)


def test_a_wrong_token_or_one_of_a_partner_no_longer_approved_is_nobody():
    partner = make_partner()
    raw = partner_token_issue(actor=counter_staff(partner), partner=partner)
    assert partner_token_actor(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert partner_token_actor(raw[4:]) is None and partner_token_actor("") is None
    Partner.objects.filter(pk=partner.pk).update(state="declined")
    assert partner_token_actor(raw) is None
    with pytest.raises(PermissionDenied):  # and no token for a partner not approved
        partner_token_issue(actor=counter_staff(partner), partner=Partner.objects.get(pk=partner.pk))


def test_a_token_label_is_checked():
    partner = make_partner()
    with pytest.raises(PartnerInvalid):
        partner_token_issue(actor=counter_staff(partner), partner=partner, label="<script>\x00")
    assert not PartnerToken.objects.exists()
