"""Rewards and the person's rights (PDPA §30–33): My data holds their redemptions, the partners
they serve or registered and the tokens they made; erasure gives held points and stock back
through the ledger, takes them off every counter, stops any partner seeing their name, and
leaves the ledger verifiable and the partners' counts whole."""

import json

import pytest
from django.db import connection

from kwamdee.common.erasure import ERASED_NAME
from kwamdee.common.models import AuditEvent
from kwamdee.common.personal_data import personal_data_collect
from kwamdee.ledger.models import LedgerTransaction
from kwamdee.ledger.verification import ledger_verify
from kwamdee.people.models import User
from kwamdee.privacy.services import person_erase
from kwamdee.rewards.errors import CodeCancelled
from kwamdee.rewards.models import Partner, Privilege, Redemption
from kwamdee.rewards.partners import (
    partner_decide,
    partner_register,
    partner_staff_add,
    partner_token_actor,
    partner_token_issue,
)
from kwamdee.rewards.redemptions import (
    identity_for_counter,
    partner_totals,
    person_points,
    person_points_held,
    redemption_confirm,
    redemption_create,
)
from tests.concurrency import run_at_once
from tests.factories import NONG_SARAI, PASSWORD, SYSTEM, make_person
from tests.privacy.test_erasure import _rows_holding
from tests.rewards.factories import give, make_partner, make_privilege

NAME = "ประภาส ลาก่อน"


def _sections(person):
    return {section.key: section for section in personal_data_collect(person)}


def _staff_of(partner):
    return User.objects.get(pk=partner.staff.order_by("pk").first().pk)


@pytest.mark.django_db
def test_my_data_holds_the_redemptions_partners_and_tokens(client):
    # Given: a partner's first staff member (who registered it) with a token for its till, and a
    # person who redeemed two of its privileges, one sharing their name, one received
    partner = make_partner()
    staff = _staff_of(partner)
    partner_token_issue(actor=staff, partner=partner, label="เครื่องคิดเงินหน้าร้าน")
    person = make_person(name=NAME)
    give(person, points=100)
    discount = make_privilege(partner, cost=20)
    check_up = make_privilege(partner, cost=5, title_th="รับบริการไม่ต้องรอคิว", shares_identity=True)
    received = redemption_create(actor=person, privilege=discount, key="k-1")
    redemption_confirm(actor=staff, partner=partner, code=received.code)
    waiting = redemption_create(actor=person, privilege=check_up, key="k-2", share_identity=True)

    # When: each reads their data
    mine = _sections(person)["redemptions"].rows
    theirs = _sections(staff)

    # Then: the person sees both codes, what became of them, and where they shared their name
    assert [(r["privilege"], r["points"], r["identity_shared"]) for r in mine] == [
        ("ส่วนลด 20 บาท", 20, False), ("รับบริการไม่ต้องรอคิว", 5, True),
    ]  # fmt: skip
    assert mine[0]["code"] == f"{received.code[:4]}-{received.code[4:]}" and mine[0]["decided_at"]
    assert mine[1]["code"].replace("-", "") == waiting.code and mine[1]["decided_at"] is None
    assert mine[0]["partner"] == partner.name and mine[0]["province_code"] == person.province_code
    assert _sections(person)["partners"].rows == [] and _sections(person)["partner_tokens"].rows == []
    # the staff member sees the partner they registered and serve, and the token they made
    [row] = theirs["partners"].rows
    assert row["partner"] == partner.name and row["counter_staff"] and row["registered_by_you"]
    assert not row["decided_by_you"] and row["state"] == partner.get_state_display()
    assert row["codes_you_confirmed"] == 1 and row["decision_note"] == ""
    [token] = theirs["partner_tokens"].rows
    assert token["label"] == "เครื่องคิดเงินหน้าร้าน" and token["revoked_at"] is None
    assert theirs["redemptions"].rows == []

    # and the JSON download carries the section, with plain values
    client.login(username=person.phone, password=PASSWORD)
    document = json.loads(client.post("/privacy/my-data/download/json/").content)
    rows = document["sections"]["redemptions"]["rows"]
    assert [r["points"] for r in rows] == [20, 5] and rows[1]["identity_shared"] is True


def _erasure_gives_everything_back():
    # Given: a person who registered a shop with their own phone as its contact, serves its
    # counter beside a colleague, and redeemed at another partner: one code received (their name
    # shared), one still waiting (its points and stock held)
    person = make_person(name=NAME)
    shop = partner_register(
        actor=person, name_th="ร้านของชำหน้าวัด", kind="shop", subdistrict_code=NONG_SARAI,
        contact_phone=person.phone,
    )  # fmt: skip
    shop = partner_decide(actor=SYSTEM, partner=shop, approve=True)
    colleague = make_person(name="เพื่อน ร่วมงาน")
    partner_staff_add(actor=User.objects.get(pk=person.pk), partner=shop, login=colleague.phone)
    clinic = make_partner(name="รพ.สต.หนองสาหร่าย", kind="clinic")
    nurse = _staff_of(clinic)
    give(person, points=100)
    queue = make_privilege(clinic, cost=30, stock=5, title_th="ไม่ต้องรอคิว", shares_identity=True)
    received = redemption_create(actor=person, privilege=queue, key="k-1", share_identity=True)
    redemption_confirm(actor=nurse, partner=clinic, code=received.code)
    held = redemption_create(actor=person, privilege=queue, key="k-2", share_identity=True)
    assert identity_for_counter(Redemption.objects.get(pk=held.pk)) == NAME
    assert sum(person_points(person).values()) == 40 and person_points_held(person) == 30
    assert Privilege.objects.get(pk=queue.pk).stock_left == 3
    needles = {"name": NAME, "phone": person.phone}
    assert "rewards_partner.contact_phone holds the phone" in _rows_holding(needles)

    # When: they erase their account
    person_erase(actor=person, person=User.objects.get(pk=person.pk), password=PASSWORD)

    # Then: the waiting code is cancelled, its points back on their (pseudonymous) account and its
    # item back in stock, as one ledger transaction and one audit event
    tombstone = User.objects.get(pk=person.pk)
    assert tombstone.full_name == ERASED_NAME
    held = Redemption.objects.get(pk=held.pk)
    assert held.state == "cancelled" and held.decided_at is not None
    assert sum(person_points(tombstone).values()) == 70 and person_points_held(tombstone) == 0
    assert Privilege.objects.get(pk=queue.pk).stock_left == 4
    [release] = LedgerTransaction.objects.filter(kind="redemption_release")
    assert release.source_id == str(held.public_id)
    [event] = AuditEvent.objects.filter(event_type="redemption:cancel")
    assert event.subject_id == str(held.public_id) and event.data["reason"] == "erasure"
    assert event.data["points"] == 30
    # the received code stays, as the clinic's record of points spent, naming no one
    received = Redemption.objects.get(pk=received.pk)
    assert received.state == "confirmed" and received.person_id == person.pk
    assert partner_totals(clinic)["confirmed"] == 1 and partner_totals(clinic)["points_received"] == 30
    assert not Redemption.objects.filter(person=tombstone, identity_shared=True).exists()
    assert identity_for_counter(received) == "" and identity_for_counter(held) == ""
    assert set(Redemption.objects.filter(person=tombstone).values_list("idempotency_key", flat=True)) & {
        "k-1", "k-2"
    } == set()  # fmt: skip
    # they serve no counter any more; the colleague still does, and the shop's contact that was
    # their own phone is gone
    shop = Partner.objects.get(pk=shop.pk)
    assert list(shop.staff.all()) == [colleague] and shop.contact_phone == ""
    assert _sections(tombstone)["partners"].rows[0]["counter_staff"] is False
    # no row holds their name or phone, and the ledger verifies
    assert _rows_holding(needles) == []
    report = ledger_verify()
    assert report.ok, report.problems


@pytest.mark.django_db
def test_erasure_gives_held_points_and_stock_back_and_leaves_every_counter():
    _erasure_gives_everything_back()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)  # committed for real: deferred foreign keys are checked
def test_erasure_on_postgresql_gives_everything_back(postgres_only):
    _erasure_gives_everything_back()


@pytest.mark.django_db
def test_a_partner_whose_last_staff_member_leaves_still_serves_through_its_token():
    # Given: a partner with one staff member, and a token of its till
    partner = make_partner()
    staff = _staff_of(partner)
    raw = partner_token_issue(actor=staff, partner=partner, label="ลิ้นชักเก็บเงิน")
    customer = make_person(name="ลูกค้า ประจำ")
    give(customer, points=50)
    code = redemption_create(actor=customer, privilege=make_privilege(partner, cost=10), key="k").code

    # When: the staff member erases their account
    person_erase(actor=staff, person=staff, password=PASSWORD)

    # Then: nobody serves its counter page, but its till still confirms codes
    assert not Partner.objects.get(pk=partner.pk).staff.exists()
    till = partner_token_actor(raw)
    assert till is not None
    assert redemption_confirm(actor=till, partner=partner, code=code).state == "confirmed"
    assert ledger_verify().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_erasure_and_the_counter_at_the_same_moment_settle_the_code_once(postgres_only):
    """The counter confirms a code while its person erases their account: either the code is
    received (and erasure finds nothing waiting) or it is released (and the counter is refused);
    never both, and the ledger balances either way."""
    partner = make_partner()
    staff = _staff_of(partner)
    person = make_person(name=NAME)
    give(person, points=40)
    held = redemption_create(actor=person, privilege=make_privilege(partner, cost=25), key="k")

    outcomes = run_at_once(
        [
            lambda: person_erase(actor=person, person=User.objects.get(pk=person.pk), password=PASSWORD),
            lambda: redemption_confirm(actor=staff, partner=partner, code=held.code),
        ],
        expected={CodeCancelled: "cancelled"},
    )

    held = Redemption.objects.get(pk=held.pk)
    assert sorted(outcomes) == (["ok", "ok"] if held.state == "confirmed" else ["cancelled", "ok"])
    spent = LedgerTransaction.objects.filter(kind="redemption_confirm").count()
    released = LedgerTransaction.objects.filter(kind="redemption_release").count()
    assert (spent, released) == ((1, 0) if held.state == "confirmed" else (0, 1))
    points = sum(person_points(User.objects.get(pk=person.pk)).values())
    assert points == (15 if held.state == "confirmed" else 40)
    assert connection.vendor == "postgresql" and ledger_verify().ok
