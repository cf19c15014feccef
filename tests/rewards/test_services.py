"""Sponsorships (issue 3): pledged budgets in the ledger, bonus points on verified deeds, reports."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.catalog.models import DeedType
from kwamdee.common.errors import PermissionDenied
from kwamdee.common.models import AuditEvent
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record, deed_verify
from kwamdee.ledger.models import Account, LedgerTransaction
from kwamdee.ledger.verification import ledger_verify
from kwamdee.passbook.selectors import passbook_get
from kwamdee.people.models import User
from kwamdee.rewards.errors import SponsorshipInvalid
from kwamdee.rewards.models import Sponsorship, SponsorshipPayment
from kwamdee.rewards.selectors import small_count, sponsorship_report
from kwamdee.rewards.services import sponsor_member_add, sponsor_register, sponsorship_pledge
from tests.concurrency import run_at_once
from tests.factories import PHANOM_THUAN, SYSTEM, days_ago, fund, make_community, make_person, make_verifier

# --- helpers ----------------------------------------------------------------------------------


def make_sponsor(name_th="บริษัท ใจดี จำกัด", member_name="ตัวแทน บริษัท"):
    """A sponsor and one of its members (fresh from the database, for the permission cache)."""
    sponsor = sponsor_register(
        actor=SYSTEM, name_th=name_th, name_en="Jaidee Co., Ltd.", kind="business", members=[]
    )
    person = make_person(name=member_name)
    sponsor_member_add(actor=SYSTEM, sponsor=sponsor, person=person)
    return sponsor, User.objects.get(pk=person.pk)


def pledge(member, sponsor, deed_type, **kwargs):
    values = {
        "bonus_points": 7,
        "budget_points": 20,
        "starts_on": days_ago(10),
        "ends_on": timezone.localdate() + timedelta(days=30),
    }
    funded = kwargs.pop("funded", True)
    values.update(kwargs)
    sponsorship = sponsorship_pledge(actor=member, sponsor=sponsor, deed_type=deed_type, **values)
    if funded:  # staff record the funding received (a pledge alone pays nothing)
        fund(sponsorship)
        sponsorship.budget_account.refresh_from_db()
    return sponsorship


def verify_new_deed(person, verifier, deed_type, *, quantity=None, performed_on=None):
    deed = deed_record(
        actor=person,
        deed_type_public_id=deed_type.public_id,
        performed_on=performed_on or days_ago(1),
        description="ทำความดี",
        quantity=quantity,
    )
    return deed_verify(actor=verifier, deed_public_id=deed.public_id)


def budget_left(sponsorship):
    return Account.objects.get(pk=sponsorship.budget_account_id).balance


def points_of(person):
    book = passbook_get(person=person)
    return book.credit_total, book.points_total


# --- pledging -----------------------------------------------------------------------------------


def test_pledge_funds_its_budget_account_in_the_ledger(deed_types):
    sponsor, member = make_sponsor()

    sponsorship = pledge(member, sponsor, deed_types["returning-lost-property"], budget_points=20)

    budget = Account.objects.get(pk=sponsorship.budget_account_id)
    assert (budget.kind, budget.unit, budget.balance) == ("sponsor_budget", "points", 20)
    funding = Account.objects.get(holder_ref=sponsor.ledger_ref, kind="sponsor_funding")
    assert funding.balance == -20
    [entry] = LedgerTransaction.objects.filter(kind="sponsorship_fund")
    assert sorted(p.amount for p in entry.postings.all()) == [-20, 20]
    assert (entry.source_kind, entry.source_id) == ("sponsorship", str(sponsorship.public_id))
    assert entry.memo["deed_type"] == "returning-lost-property" and "funding" in entry.memo
    [event] = AuditEvent.objects.filter(event_type="sponsorship:pledge")
    assert event.actor == member and event.data["budget_points"] == 20
    report = ledger_verify()
    assert report.ok, report.problems


def test_only_the_sponsors_members_can_pledge(deed_types):
    sponsor, _member = make_sponsor()
    _other_sponsor, other_member = make_sponsor(name_th="มูลนิธิ อื่น", member_name="ตัวแทน มูลนิธิ")
    citizen = make_person(name="ประชาชน ทั่วไป")
    for actor in (citizen, other_member):
        with pytest.raises(PermissionDenied):
            pledge(actor, sponsor, deed_types["returning-lost-property"])
    assert not Sponsorship.objects.exists()
    assert not LedgerTransaction.objects.exists()
    assert not Account.objects.filter(kind="sponsor_budget").exists()


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        ({"bonus_points": 0}, {"bonus_points"}),
        ({"bonus_points": 10, "budget_points": 9}, {"budget_points"}),
        ({"starts_on": days_ago(1), "ends_on": days_ago(2)}, {"ends_on"}),
        ({"starts_on": days_ago(10), "ends_on": days_ago(1)}, {"ends_on"}),
        ({"bonus_points": 0, "budget_points": 0}, {"bonus_points", "budget_points"}),
        ({"deed_type": "inactive"}, {"deed_type"}),
        ({"deed_type": "local"}, {"deed_type"}),
    ],
)
def test_bad_pledge_is_refused_with_fields(deed_types, kwargs, fields):
    sponsor, member = make_sponsor()
    deed_type = deed_types["returning-lost-property"]
    which = kwargs.pop("deed_type", None)
    if which == "inactive":
        DeedType.objects.filter(pk=deed_type.pk).update(is_active=False)
        deed_type.refresh_from_db()
    elif which == "local":  # a community's local deed type pledged nationally
        DeedType.objects.filter(pk=deed_type.pk).update(community=make_community())
        deed_type.refresh_from_db()

    with pytest.raises(SponsorshipInvalid) as exc:
        pledge(member, sponsor, deed_type, **kwargs)

    assert set(exc.value.fields) == fields
    assert not Sponsorship.objects.exists()
    assert not LedgerTransaction.objects.exists()
    assert not AuditEvent.objects.filter(event_type="sponsorship:pledge").exists()


# --- bonuses on verified deeds ------------------------------------------------------------------


def test_bonus_is_paid_until_the_budget_is_spent(deed_types):
    # given a national sponsorship of 7 bonus points with a budget of 20 (two bonuses)
    community = make_community()
    member = make_person(name="สมาชิก ชุมชน")
    elsewhere = make_person(name="คน ตำบลอื่น", subdistrict=PHANOM_THUAN)
    verifier = make_verifier(scope="7109", name="ผู้ตรวจ อำเภอ")
    sponsor, sponsor_member = make_sponsor()
    deed_type = deed_types["returning-lost-property"]  # 20 credit, 20 points
    sponsorship = pledge(sponsor_member, sponsor, deed_type, bonus_points=7, budget_points=20)
    assert member.community == community and elsewhere.community is None

    # when a member's deed is verified
    first = verify_new_deed(member, verifier, deed_type)

    # then points rise by points + bonus, credit by the deed's credit only
    assert points_of(member) == (20, 27)
    assert (first.credit_awarded, first.points_awarded) == (20, 20)
    [payment] = SponsorshipPayment.objects.all()
    assert (payment.sponsorship, payment.deed, payment.points) == (sponsorship, first, 7)
    assert budget_left(sponsorship) == 13
    [bonus] = LedgerTransaction.objects.filter(kind="sponsor_bonus")
    assert (bonus.source_kind, bonus.source_id) == ("deed", str(first.public_id))
    assert bonus.memo == {"sponsorship": str(sponsorship.public_id)}
    assert bonus.chain_key == first.ledger_transaction.chain_key  # the deed's province chain

    # when a deed of someone outside any community is verified: a national sponsorship pays too
    second = verify_new_deed(elsewhere, verifier, deed_type)
    assert points_of(elsewhere) == (20, 27)
    assert budget_left(sponsorship) == 6

    # when the budget no longer covers a bonus, the deed is still verified and credited
    third = verify_new_deed(member, verifier, deed_type)
    assert third.status == "verified" and (third.credit_awarded, third.points_awarded) == (20, 20)
    assert points_of(member) == (40, 47)
    assert budget_left(sponsorship) == 6
    assert list(SponsorshipPayment.objects.values_list("deed_id", flat=True)) == [first.pk, second.pk]
    assert not LedgerTransaction.objects.filter(kind="sponsor_bonus", source_id=str(third.public_id)).exists()
    report = ledger_verify()
    assert report.ok, report.problems


def test_community_sponsorship_pays_only_for_that_communitys_deeds(deed_types):
    community = make_community()
    other_community = make_community(PHANOM_THUAN)
    member = make_person(name="สมาชิก ชุมชน")
    other_member = make_person(name="สมาชิก ชุมชนอื่น", subdistrict=PHANOM_THUAN)
    verifier = make_verifier(scope="7109", name="ผู้ตรวจ อำเภอ")
    sponsor, sponsor_member = make_sponsor()
    deed_type = deed_types["returning-lost-property"]
    sponsorship = pledge(sponsor_member, sponsor, deed_type, community=community, budget_points=70)
    assert other_member.community == other_community

    verify_new_deed(member, verifier, deed_type)
    verify_new_deed(other_member, verifier, deed_type)
    verify_new_deed(sponsor_member, verifier, deed_type)  # also a member of the community

    assert points_of(member) == (20, 27)
    assert points_of(other_member) == (20, 20)
    assert points_of(sponsor_member) == (20, 27)
    assert SponsorshipPayment.objects.count() == 2
    assert budget_left(sponsorship) == 70 - 14
    assert ledger_verify().ok


def test_sponsorship_pays_only_between_its_dates(deed_types, citizen, verifier):
    sponsor, sponsor_member = make_sponsor()
    deed_type = deed_types["returning-lost-property"]
    today = timezone.localdate()
    not_yet = pledge(sponsor_member, sponsor, deed_type, starts_on=today + timedelta(days=1))
    ended = pledge(sponsor_member, sponsor, deed_type)
    Sponsorship.objects.filter(pk=ended.pk).update(starts_on=days_ago(30), ends_on=days_ago(2))

    deed = verify_new_deed(citizen, verifier, deed_type, performed_on=days_ago(1))

    assert deed.status == "verified"
    assert points_of(citizen) == (20, 20)
    assert not SponsorshipPayment.objects.exists()
    assert (budget_left(not_yet), budget_left(ended)) == (20, 20)


def test_two_sponsorships_of_one_deed_type_both_pay(deed_types, citizen, verifier):
    sponsor, sponsor_member = make_sponsor()
    deed_type = deed_types["returning-lost-property"]
    one = pledge(sponsor_member, sponsor, deed_type, bonus_points=3, budget_points=30)
    two = pledge(sponsor_member, sponsor, deed_type, bonus_points=5, budget_points=30)

    verify_new_deed(citizen, verifier, deed_type)

    assert points_of(citizen) == (20, 28)
    assert (budget_left(one), budget_left(two)) == (27, 25)
    assert ledger_verify().ok


# --- reports ------------------------------------------------------------------------------------


def test_small_count():
    assert [small_count(n) for n in (0, 1, 9, 10, 123)] == ["0", "<10", "<10", "10", "123"]


def assert_no_personal_data(report, people):
    values = [getattr(report, f.name) for f in dataclasses.fields(report)]
    flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
    assert not any(isinstance(v, User | Deed) for v in flat)
    text = repr(report) + " ".join(str(v) for v in flat)
    for person in people:
        for value in (person.full_name, person.phone, str(person.public_id), str(person.ledger_ref)):
            assert value not in text


def test_report_hides_counts_of_fewer_than_ten_people(deed_types, verifier):
    sponsor, sponsor_member = make_sponsor()
    deed_type = deed_types["volunteer-hours"]  # per hour
    sponsorship = pledge(sponsor_member, sponsor, deed_type, bonus_points=5, budget_points=100)
    people = [make_person(name=f"อาสา คนที่{n}") for n in range(3)]
    for person in people:
        verify_new_deed(person, verifier, deed_type, quantity="2")

    report = sponsorship_report(sponsorship)

    assert (report.verified_deeds, report.people_reached, report.hours) == ("<10", "<10", "<10")
    assert (report.points_paid, report.budget_left) == ("—", "—")  # would reveal the deed count
    assert sorted(s.number for s in report.sdgs) == [3, 11]
    assert_no_personal_data(report, people)


def test_report_gives_exact_numbers_for_ten_people_or_more(deed_types, verifier):
    sponsor, sponsor_member = make_sponsor()
    deed_type = deed_types["volunteer-hours"]
    sponsorship = pledge(sponsor_member, sponsor, deed_type, bonus_points=5, budget_points=100)
    people = [make_person(name=f"อาสา คนที่{n}") for n in range(10)]
    for person in people:
        verify_new_deed(person, verifier, deed_type, quantity="1.5")
    verify_new_deed(people[0], verifier, deed_type, quantity="3", performed_on=days_ago(2))

    report = sponsorship_report(sponsorship)

    assert (report.verified_deeds, report.people_reached) == ("11", "10")
    assert float(report.hours) == 18.0
    assert (report.points_paid, report.budget_left) == ("55", "45")
    assert_no_personal_data(report, people)


def test_report_of_a_per_deed_sponsorship_has_no_hours(deed_types, citizen, verifier):
    sponsor, sponsor_member = make_sponsor()
    sponsorship = pledge(sponsor_member, sponsor, deed_types["returning-lost-property"])
    verify_new_deed(citizen, verifier, deed_types["returning-lost-property"])

    report = sponsorship_report(sponsorship)

    assert (report.verified_deeds, report.people_reached, report.hours) == ("<10", "<10", "")
    assert (report.points_paid, report.budget_left) == ("—", "—")


# --- concurrency (PostgreSQL) -------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_thirty_verifications_at_once_never_overdraw_the_budget(postgres_only, deed_types):
    # given 30 pending deeds of 3 citizens and a budget for exactly 10 bonuses
    deed_type = deed_types["returning-lost-property"]  # no limits in the small catalog
    citizens = [make_person(name=f"พลเมือง {n}") for n in range(3)]
    verifier = make_verifier()
    sponsor, sponsor_member = make_sponsor()
    sponsorship = pledge(sponsor_member, sponsor, deed_type, bonus_points=5, budget_points=50)
    deeds = [
        deed_record(
            actor=citizens[n % 3],
            deed_type_public_id=deed_type.public_id,
            performed_on=days_ago(1),
            description=f"คืนกระเป๋า {n}",
        )
        for n in range(30)
    ]
    # when 30 verifiers' requests run at once
    outcomes = run_at_once(
        (lambda deed=deed: deed_verify(actor=User.objects.get(pk=verifier.pk), deed_public_id=deed.public_id))
        for deed in deeds
    )

    # then exactly 10 bonuses were paid, the budget is empty and every deed was credited
    assert outcomes == ["ok"] * 30
    assert SponsorshipPayment.objects.count() == 10
    assert budget_left(sponsorship) == 0
    assert Deed.objects.filter(status="verified").count() == 30
    assert sum(points_of(c)[1] for c in citizens) == 30 * 20 + 10 * 5
    assert sum(points_of(c)[0] for c in citizens) == 30 * 20
    report = ledger_verify()
    assert report.ok, report.problems


def test_bonus_follows_the_day_the_deed_was_done(deed_types, citizen, verifier):
    # given a campaign that started three days ago
    sponsor, member = make_sponsor()
    pledge(member, sponsor, deed_types["returning-lost-property"], starts_on=days_ago(3))
    # when deeds done before and inside the campaign are verified today
    before = verify_new_deed(
        citizen, verifier, deed_types["returning-lost-property"], performed_on=days_ago(5)
    )
    inside = verify_new_deed(
        citizen, verifier, deed_types["returning-lost-property"], performed_on=days_ago(2)
    )
    # then only the deed done inside it earns the bonus
    assert not SponsorshipPayment.objects.filter(deed=before).exists()
    assert SponsorshipPayment.objects.filter(deed=inside).count() == 1


def test_deed_type_without_points_cannot_carry_a_bonus(deed_types):
    sponsor, member = make_sponsor()
    with pytest.raises(SponsorshipInvalid) as exc:
        pledge(member, sponsor, deed_types["blood-donation"])  # 20 credit, 0 points on purpose
    assert "deed_type" in exc.value.fields
    assert not Sponsorship.objects.exists()


def test_a_bulk_verification_pays_bonuses_in_deed_order_until_the_budget_is_spent(deed_types):
    from kwamdee.deeds.services import deeds_verify_bulk

    verifier = make_verifier(scope="7109", name="ผู้ตรวจ อำเภอ")
    sponsor, sponsor_member = make_sponsor()
    deed_type = deed_types["returning-lost-property"]
    sponsorship = pledge(sponsor_member, sponsor, deed_type, bonus_points=7, budget_points=20)  # two bonuses
    people = [make_person(name=f"คน {n}", subdistrict=PHANOM_THUAN) for n in range(3)]
    deeds = [
        deed_record(
            actor=p, deed_type_public_id=deed_type.public_id, performed_on=days_ago(1), description="ดี"
        )
        for p in people
    ]
    outcomes = deeds_verify_bulk(actor=verifier, deed_public_ids=[str(d.public_id) for d in deeds])
    assert all(o.verified for o in outcomes)
    assert [points_of(p)[1] for p in people] == [27, 27, 20]  # the third found the budget spent
    assert budget_left(sponsorship) == 6
    assert list(SponsorshipPayment.objects.order_by("id").values_list("deed_id", flat=True)) == [
        deeds[0].pk,
        deeds[1].pk,
    ]
    assert AuditEvent.objects.filter(event_type="sponsorship:bonus_pay").count() == 2
    report = ledger_verify()
    assert report.ok, report.problems
