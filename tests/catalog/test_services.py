"""Catalog services (issue 3): deed types and rule versions, limits, community adaptation, search."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from kwamdee.areas.services import community_admin_grant
from kwamdee.catalog.errors import AdjustmentOutOfBounds, DeedTypeCodeTaken
from kwamdee.catalog.models import (
    DeedType,
    DeedTypeVirtue,
    Indicator,
    RuleVersion,
)
from kwamdee.catalog.selectors import (
    catalog_document,
    catalog_search,
    deed_types_for_person,
    rule_proposals_waiting,
)
from kwamdee.catalog.services import (
    DEFAULT_CATALOG_PATH,
    FIRST_RULE_DATE,
    catalog_load_default,
    community_item_switch,
    community_rule_adjust,
    deed_type_create,
    deed_type_update,
    rule_proposal_approve,
)
from kwamdee.common.errors import PermissionDenied, ValidationFailed
from kwamdee.common.models import AuditEvent
from kwamdee.common.roles import role_grant
from kwamdee.deeds.errors import LimitReached
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record, deed_verify
from kwamdee.ledger.verification import ledger_verify
from kwamdee.passbook.selectors import passbook_get
from kwamdee.people.models import User
from tests.catalog.factories import DeedTypeFactory
from tests.deeds.factories import DeedFactory
from tests.factories import (
    NONG_SARAI,
    PHANOM_THUAN,
    SYSTEM,
    approve_proposals,
    days_ago,
    make_community,
    make_person,
    make_verifier,
)

# --- helpers ----------------------------------------------------------------------------------


def make_staff(name="เจ้าหน้าที่ ส่วนกลาง"):
    person = make_person(name=name)
    role_grant(actor=SYSTEM, person=person, role="staff")
    return User.objects.get(pk=person.pk)  # fresh permission cache


def make_community_admin(community, *, subdistrict=NONG_SARAI, name="ผู้ดูแล ชุมชน"):
    person = make_person(name=name, subdistrict=subdistrict)
    community_admin_grant(actor=SYSTEM, community=community, person=person)
    return User.objects.get(pk=person.pk)


def new_row(**overrides):
    """A valid flat row (validation.COLUMNS) for a new deed type, in the text shape of CSV/XLSX."""
    row = {
        "code": "river-cleanup",
        "category": "volunteering",
        "name_th": "เก็บขยะริมแม่น้ำ",
        "name_en": "River clean-up",
        "description_th": "เก็บขยะริมฝั่งแม่น้ำแม่กลอง",
        "description_en": "Collecting litter along the river bank",
        "pricing": "per_hour",
        "credit_per_unit": "6",
        "points_per_unit": "5",
        "per_day": "2",
        "per_week": "",
        "per_month": "",
        "per_year": "",
        "cooldown_days": "",
        "evidence": "photo",
        "witnesses_required": "",
        "verifier": "organization",
        "virtues": "volunteerism=0.6; sufficiency=0.4",
        "sdgs": "3; 11.6",
        "indicators": (
            "river-cleanup-bags | ถุงขยะที่เก็บได้ | Bags of litter collected\n"
            "river-cleanup-hours | ชั่วโมงที่ช่วยงาน | Hours given"
        ),
        "adjust_bound_pct": "",
        "is_active": "",
        "effective_from": "",
    }
    row.update(overrides)
    return row


def row_of(deed_type, **overrides):
    """The current flat row of a national deed type (as the export writes it), with overrides."""
    item = next(i for i in catalog_document()["deed_types"] if i["code"] == deed_type.code)
    row = {k: v for k, v in item.items() if k != "limits"}
    row.update(item["limits"])
    row.update(overrides)
    return row


def record(person, deed_type, performed_on=None, quantity=None, description="ทำความดี"):
    return deed_record(
        actor=person,
        deed_type_public_id=deed_type.public_id,
        performed_on=performed_on or days_ago(1),
        description=description,
        quantity=quantity,
    )


def verified(verifier, deed):
    return deed_verify(actor=verifier, deed_public_id=deed.public_id)


def catalog_counts():
    return (
        DeedType.objects.count(),
        DeedTypeVirtue.objects.count(),
        Indicator.objects.count(),
        RuleVersion.objects.count(),
    )


def events(event_type):
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("id"))


# --- deed_type_create -------------------------------------------------------------------------


def test_a_new_national_deed_type_is_offered_and_priced_by_its_rule_at_once(deed_types, citizen):
    deed_type = DeedTypeFactory(credit_per_unit="7", points_per_unit="3", virtues="honesty=1")

    assert deed_type in deed_types_for_person(citizen)
    deed = DeedFactory(person=citizen, deed_type=deed_type)
    deed_verify(actor=make_verifier(name="ผู้ตรวจ ทดสอบ"), deed_public_id=deed.public_id)
    deed.refresh_from_db()
    assert (deed.status, deed.credit_awarded, deed.points_awarded) == ("verified", 7, 3)


def test_staff_creates_a_deed_type_from_a_text_row(deed_types):
    staff = make_staff()

    deed_type = deed_type_create(actor=staff, row=new_row())

    assert deed_type.code == "river-cleanup" and deed_type.community is None
    assert (deed_type.name_th, deed_type.pricing, deed_type.evidence) == (
        "เก็บขยะริมแม่น้ำ",
        "per_hour",
        "photo",
    )
    assert deed_type.category.code == "volunteering"
    weights = {w.virtue.code: str(w.weight) for w in deed_type.virtue_weights.all()}
    assert weights == {"volunteerism": "0.600", "sufficiency": "0.400"}
    assert sorted(deed_type.sdgs.values_list("number", flat=True)) == [3, 11]
    assert deed_type.sdg_targets == ["11.6"]
    assert list(deed_type.indicators.order_by("sort_order").values_list("code", "name_th", "name_en")) == [
        ("river-cleanup-bags", "ถุงขยะที่เก็บได้", "Bags of litter collected"),
        ("river-cleanup-hours", "ชั่วโมงที่ช่วยงาน", "Hours given"),
    ]
    [rule] = deed_type.rule_versions.all()
    assert (rule.version, rule.community, rule.effective_from) == (1, None, FIRST_RULE_DATE)
    assert (rule.credit_per_unit, rule.points_per_unit, rule.per_day, rule.per_week) == (6, 5, 2, None)
    assert rule.created_by == staff
    [event] = events("deed_type:create")
    assert event.actor == staff and event.data == {"code": "river-cleanup", "community": None}


def test_staff_creates_a_deed_type_from_a_typed_row(deed_types):
    staff = make_staff()
    row = new_row(
        code="river-watch",
        pricing="per_unit",
        unit_name_th="ครั้ง",
        unit_name_en="patrol",
        credit_per_unit=3,
        points_per_unit=2,
        per_day=None,
        per_month=4,
        virtues={"volunteerism": "0.5", "discipline": 0.3, "honesty": 0.2},
        sdgs=["3", "11", "11.6"],
        indicators=[
            {"code": "river-watch-patrols", "name_th": "จำนวนครั้งที่ลาดตระเวน", "name_en": "Patrols"},
        ],
        evidence="witnesses",
        witnesses_required=2,
        verifier="committee",
        adjust_bound_pct=20,
        effective_from=days_ago(30).isoformat(),
    )

    deed_type = deed_type_create(actor=staff, row=row)

    assert (deed_type.unit_name_th, deed_type.unit_name_en) == ("ครั้ง", "patrol")
    assert (deed_type.witnesses_required, deed_type.verifier_kind, deed_type.adjust_bound_pct) == (
        2,
        "committee",
        20,
    )
    weights = {w.virtue.code: str(w.weight) for w in deed_type.virtue_weights.all()}
    assert weights == {"volunteerism": "0.500", "discipline": "0.300", "honesty": "0.200"}
    assert sorted(deed_type.sdgs.values_list("number", flat=True)) == [3, 11]
    assert list(deed_type.indicators.values_list("code", flat=True)) == ["river-watch-patrols"]
    [rule] = deed_type.rule_versions.all()
    assert (rule.version, rule.effective_from, rule.per_month, rule.per_day) == (1, days_ago(30), 4, None)


def test_citizen_cannot_create_a_deed_type(deed_types, citizen):
    before = catalog_counts()
    with pytest.raises(PermissionDenied):
        deed_type_create(actor=citizen, row=new_row())
    assert catalog_counts() == before
    assert not events("deed_type:create")


@pytest.mark.parametrize(
    ("overrides", "columns"),
    [
        ({"virtues": "volunteerism=0.5; sufficiency=0.3"}, {"virtues"}),
        ({"virtues": {"volunteerism": 0.5, "sufficiency": 0.4}}, {"virtues"}),
        ({"virtues": "kindness=1"}, {"virtues"}),
        ({"sdgs": "18"}, {"sdgs"}),
        ({"sdgs": ["3", "18.1"]}, {"sdgs"}),
        ({"pricing": "per_unit", "unit_name_th": "", "unit_name_en": ""}, {"unit_name_th", "unit_name_en"}),
        ({"evidence": "witnesses", "witnesses_required": "0"}, {"witnesses_required"}),
        ({"code": "River Cleanup", "credit_per_unit": "0"}, {"code", "credit_per_unit"}),
    ],
)
def test_invalid_row_is_refused_by_column_and_creates_nothing(deed_types, overrides, columns):
    staff = make_staff()
    before = catalog_counts()
    with pytest.raises(ValidationFailed) as exc:
        deed_type_create(actor=staff, row=new_row(**overrides))
    assert set(exc.value.fields) == columns
    assert catalog_counts() == before
    assert not events("deed_type:create")


def test_taken_code_is_refused(deed_types):
    staff = make_staff()
    before = catalog_counts()
    with pytest.raises(DeedTypeCodeTaken) as exc:
        deed_type_create(actor=staff, row=new_row(code="returning-lost-property"))
    assert "code" in exc.value.fields
    assert catalog_counts() == before
    assert DeedType.objects.get(code="returning-lost-property").name_th == "ความดี returning-lost-property"


def test_indicator_code_of_another_deed_type_is_a_field_error(deed_types):
    # Indicator codes are unique across the catalog: a clash is the row's error, not a crash.
    staff = make_staff()
    deed_type_create(actor=staff, row=new_row())
    before = catalog_counts()
    with pytest.raises(ValidationFailed) as exc:
        deed_type_create(actor=staff, row=new_row(code="canal-cleanup", name_en="Canal clean-up"))
    assert set(exc.value.fields) == {"indicators"}
    assert catalog_counts() == before


# --- deed_type_update and rule versions -------------------------------------------------------


def test_changed_points_become_version_two_from_today(deed_types):
    staff = make_staff()
    deed_type = deed_types["returning-lost-property"]

    deed_type_update(
        actor=staff, deed_type=deed_type, row=row_of(deed_type, points_per_unit=25, effective_from="")
    )

    rules = list(deed_type.rule_versions.order_by("version"))
    assert [(r.version, r.points_per_unit, r.credit_per_unit) for r in rules] == [(1, 20, 20), (2, 25, 20)]
    assert rules[1].effective_from == timezone.localdate()
    assert rules[1].community is None and rules[1].created_by == staff
    assert len(events("deed_type:update")) == 1


def test_changed_limits_can_start_on_a_future_date(deed_types):
    staff = make_staff()
    deed_type = deed_types["returning-lost-property"]
    start = timezone.localdate() + timedelta(days=10)

    deed_type_update(
        actor=staff,
        deed_type=deed_type,
        row=row_of(deed_type, per_month=3, effective_from=start.isoformat()),
    )

    latest = deed_type.rule_versions.order_by("-version").first()
    assert (latest.version, latest.effective_from, latest.per_month) == (2, start, 3)
    assert (latest.credit_per_unit, latest.points_per_unit) == (20, 20)


def test_changed_rule_cannot_start_in_the_past(deed_types):
    staff = make_staff()
    deed_type = deed_types["returning-lost-property"]
    with pytest.raises(ValidationFailed) as exc:
        deed_type_update(
            actor=staff,
            deed_type=deed_type,
            row=row_of(deed_type, points_per_unit=25, effective_from=days_ago(1).isoformat()),
        )
    assert set(exc.value.fields) == {"effective_from"}
    assert deed_type.rule_versions.count() == 1
    assert not events("deed_type:update")


def test_editing_only_the_thai_name_adds_no_rule_version(deed_types):
    staff = make_staff()
    deed_type = deed_types["returning-lost-property"]

    updated = deed_type_update(
        actor=staff, deed_type=deed_type, row=row_of(deed_type, name_th="ส่งคืนของที่เก็บได้")
    )

    assert updated.name_th == "ส่งคืนของที่เก็บได้"
    assert DeedType.objects.get(pk=deed_type.pk).name_th == "ส่งคืนของที่เก็บได้"
    assert list(deed_type.rule_versions.values_list("version", flat=True)) == [1]
    assert len(events("deed_type:update")) == 1


def test_citizen_cannot_update_a_deed_type(deed_types, citizen):
    deed_type = deed_types["returning-lost-property"]
    with pytest.raises(PermissionDenied):
        deed_type_update(actor=citizen, deed_type=deed_type, row=row_of(deed_type, points_per_unit=99))
    assert deed_type.rule_versions.count() == 1


def test_rule_change_never_alters_a_past_credit(deed_types, citizen, verifier):
    # given a deed verified under v1 (20 credit, 20 points)
    deed_type = deed_types["returning-lost-property"]
    deed = verified(verifier, record(citizen, deed_type, performed_on=days_ago(3)))
    book_before = passbook_get(person=citizen)
    assert (deed.credit_awarded, deed.points_awarded) == (20, 20)

    # when national staff change the rule
    deed_type_update(
        actor=make_staff(),
        deed_type=deed_type,
        row=row_of(deed_type, credit_per_unit=50, points_per_unit=40, effective_from=""),
    )

    # then the deed, its ledger entry and the passbook are unchanged, and the ledger verifies
    deed.refresh_from_db()
    assert (deed.credit_awarded, deed.points_awarded, deed.rule_version.version) == (20, 20, 1)
    book_after = passbook_get(person=citizen)
    assert (book_after.credit_total, book_after.points_total) == (20, 20)
    assert [(line.code, line.credit, line.points) for line in book_after.by_virtue] == [
        (line.code, line.credit, line.points) for line in book_before.by_virtue
    ]
    rule = book_after.entries[0].description.rule  # in words, in the language that is active
    assert rule.endswith(("returning-lost-property ฉบับที่ 1 ใช้ตั้งแต่ 1 ม.ค. 2563",
                          "Returning lost property, version 1, in force from 1 Jan 2020"))  # fmt: skip
    report = ledger_verify()
    assert report.ok, report.problems


def test_deed_is_priced_by_the_version_of_its_date(deed_types, citizen, verifier):
    # given v2 (30 credit, 25 points) in force from today; v1 was 20/20
    deed_type = deed_types["returning-lost-property"]
    yesterday_deed = record(citizen, deed_type, performed_on=days_ago(1), description="เมื่อวาน")
    deed_type_update(
        actor=make_staff(),
        deed_type=deed_type,
        row=row_of(deed_type, credit_per_unit=30, points_per_unit=25, effective_from=""),
    )
    today_deed = record(citizen, deed_type, performed_on=timezone.localdate(), description="วันนี้")

    # when both are verified after the change
    yesterday_deed = verified(verifier, yesterday_deed)
    today_deed = verified(verifier, today_deed)

    # then each is priced by the version in force on its own date
    assert (yesterday_deed.rule_version.version, yesterday_deed.credit_awarded) == (1, 20)
    assert yesterday_deed.points_awarded == 20
    assert (today_deed.rule_version.version, today_deed.credit_awarded) == (2, 30)
    assert today_deed.points_awarded == 25
    book = passbook_get(person=citizen)
    assert (book.credit_total, book.points_total) == (50, 45)
    assert ledger_verify().ok


# --- limits at submission -----------------------------------------------------------------------


def limited_type(code, **limits):
    return deed_type_create(
        actor=SYSTEM,
        row=new_row(
            code=code,
            pricing="per_deed",
            per_day="",
            evidence="none",  # these tests count records: no photo to attach each time
            indicators=f"{code}-done | ทำแล้ว | Done",
            **{k: str(v) for k, v in limits.items()},
        ),
    )


def assert_limit_reached(person, deed_type, on, text):
    with translation.override("en"), pytest.raises(LimitReached) as exc:
        record(person, deed_type, performed_on=on)
    assert str(exc.value.message) == text
    assert [str(m) for m in exc.value.fields["performed_on"]] == [text]


def test_per_week_limit_counts_monday_to_sunday(deed_types, citizen):
    deed_type = limited_type("weekly-market-cleanup", per_week=2)
    monday = days_ago(21) - timedelta(days=days_ago(21).weekday())
    record(citizen, deed_type, performed_on=monday)
    record(citizen, deed_type, performed_on=monday + timedelta(days=1))

    assert_limit_reached(
        citizen,
        deed_type,
        monday + timedelta(days=6),
        "You can record this deed at most 2 times a week.",
    )
    assert Deed.objects.count() == 2
    record(citizen, deed_type, performed_on=monday - timedelta(days=1))  # the Sunday before
    record(citizen, deed_type, performed_on=monday + timedelta(days=7))  # the next Monday
    assert Deed.objects.count() == 4


def test_per_month_limit_counts_the_calendar_month(deed_types, citizen):
    deed_type = limited_type("monthly-savings", per_month=2)
    first = days_ago(70).replace(day=1)
    next_first = (first + timedelta(days=32)).replace(day=1)
    last = next_first - timedelta(days=1)
    record(citizen, deed_type, performed_on=first)
    record(citizen, deed_type, performed_on=first + timedelta(days=1))

    assert_limit_reached(citizen, deed_type, last, "You can record this deed at most 2 times a month.")
    assert Deed.objects.count() == 2
    record(citizen, deed_type, performed_on=next_first)
    record(citizen, deed_type, performed_on=first - timedelta(days=1))
    assert Deed.objects.count() == 4


def test_per_year_limit_counts_the_calendar_year(deed_types, citizen):
    deed_type = limited_type("yearly-pledge", per_year=1)
    today = timezone.localdate()
    record(citizen, deed_type, performed_on=today.replace(month=1, day=1))

    assert_limit_reached(citizen, deed_type, today, "You can record this deed at most 1 times a year.")
    assert Deed.objects.count() == 1
    last_year = today.replace(month=1, day=1) - timedelta(days=1)
    if today - last_year <= timedelta(days=365):  # not on 31 December of a leap year
        record(citizen, deed_type, performed_on=last_year)
        assert Deed.objects.count() == 2


def test_limits_of_other_people_do_not_count(deed_types, citizen):
    deed_type = limited_type("weekly-market-cleanup", per_week=1)
    other = make_person(name="คนอื่น")
    record(citizen, deed_type, performed_on=days_ago(1))
    record(other, deed_type, performed_on=days_ago(1))
    assert Deed.objects.count() == 2


# --- communities ----------------------------------------------------------------------------------


def test_switching_a_national_type_off_hides_it_in_that_community_only(deed_types):
    community = make_community()
    member = make_person(name="สมาชิก ชุมชน")
    elsewhere = make_person(name="คน ตำบลอื่น", subdistrict=PHANOM_THUAN)
    admin = make_community_admin(community)
    deed_type = deed_types["returning-lost-property"]
    assert member.community == community and elsewhere.community is None

    community_item_switch(actor=admin, community=community, deed_type=deed_type, enabled=False)

    assert deed_type not in deed_types_for_person(member)
    assert deed_types["tree-planting"] in deed_types_for_person(member)
    assert deed_type in deed_types_for_person(elsewhere)
    with pytest.raises(ValidationFailed) as exc:
        record(member, deed_type)
    assert "deed_type" in exc.value.fields
    record(elsewhere, deed_type)
    [event] = events("community:catalog_switch")
    assert event.actor == admin and event.subject_id == str(community.public_id)
    assert event.data["deed_type"] == "returning-lost-property" and event.data["enabled"] is False
    community.refresh_from_db()
    assert community.catalog_adopted_at is not None
    assert event.data["adopted_catalog"] is True  # one change, one audit event

    community_item_switch(actor=admin, community=community, deed_type=deed_type, enabled=True)

    assert deed_type in deed_types_for_person(member)
    record(member, deed_type)
    assert [e.data["enabled"] for e in events("community:catalog_switch")] == [False, True]
    assert [e.data["adopted_catalog"] for e in events("community:catalog_switch")] == [True, False]


def test_only_this_communitys_admin_can_adapt_it(deed_types):
    community = make_community()
    other_community = make_community(PHANOM_THUAN)
    member = make_person(name="สมาชิก ชุมชน")
    other_admin = make_community_admin(other_community, subdistrict=PHANOM_THUAN, name="ผู้ดูแล อื่น")
    deed_type = deed_types["returning-lost-property"]

    for actor in (other_admin, User.objects.get(pk=member.pk)):
        with pytest.raises(PermissionDenied):
            community_item_switch(actor=actor, community=community, deed_type=deed_type, enabled=False)
        with pytest.raises(PermissionDenied):
            deed_type_create(actor=actor, row=new_row(code="local-thing"), community=community)
        with pytest.raises(PermissionDenied):
            community_rule_adjust(
                actor=actor,
                community=community,
                deed_type=deed_type,
                effective_from=timezone.localdate(),
                credit_per_unit=25,
                points_per_unit=25,
            )
    assert deed_type in deed_types_for_person(member)
    assert not DeedType.objects.filter(code="local-thing").exists()
    assert deed_type.rule_versions.count() == 1
    assert not events("community:catalog_switch") and not events("community:rule_adjust")
    community.refresh_from_db()
    assert community.catalog_adopted_at is None


def test_local_deed_type_is_for_members_only(deed_types):
    # given a community with an admin, a member and a person of another subdistrict
    community = make_community()
    member = make_person(name="สมาชิก ชุมชน")
    elsewhere = make_person(name="คน ตำบลอื่น", subdistrict=PHANOM_THUAN)
    admin = make_community_admin(community)
    verifier = make_verifier(scope=NONG_SARAI, name="ผู้ตรวจ ตำบล")

    # when the admin adds a local deed type
    local = deed_type_create(
        actor=admin,
        row=new_row(
            code="nong-sarai-goodness-bank",
            name_th="ฝากความดีธนาคารหนองสาหร่าย",
            pricing="per_deed",
            per_year="100",
            evidence="none",
        ),
        community=community,
    )
    # it waits, unseen and not recordable, for a second committee member to approve it
    assert local.proposed and local not in deed_types_for_person(member)
    second = make_community_admin(community, name="กรรมการ คนที่สอง")
    [proposal] = rule_proposals_waiting(community)
    rule_proposal_approve(actor=second, proposal=proposal)
    local.refresh_from_db()

    # then members see, record and get it verified; others do not see it
    assert local.community == community
    assert local in deed_types_for_person(member)
    assert local not in deed_types_for_person(elsewhere)
    with pytest.raises(ValidationFailed) as exc:
        record(elsewhere, local)
    assert "deed_type" in exc.value.fields
    deed = verified(verifier, record(member, local))
    assert deed.status == "verified" and (deed.credit_awarded, deed.points_awarded) == (6, 5)
    assert deed.rule_version.deed_type == local
    assert passbook_get(person=member).credit_total == 6
    [event] = events("deed_type:propose")
    assert event.actor == admin
    assert event.data["code"] == "nong-sarai-goodness-bank"
    assert event.data["community"] == str(community.public_id)
    [approved] = events("deed_type:approve")
    assert approved.actor == second and approved.data["proposal"] == str(proposal.public_id)
    assert not events("deed_type:create")
    assert ledger_verify().ok


def test_community_adjustment_prices_members_deeds_only(deed_types):
    # given a community, a member, a person elsewhere and a verifier for the whole district
    community = make_community()
    member = make_person(name="สมาชิก ชุมชน")
    elsewhere = make_person(name="คน ตำบลอื่น", subdistrict=PHANOM_THUAN)
    admin = make_community_admin(community)
    verifier = make_verifier(scope="7109", name="ผู้ตรวจ อำเภอ")
    deed_type = deed_types["returning-lost-property"]  # national 20 credit, 20 points, ±50%
    member_yesterday = record(member, deed_type, performed_on=days_ago(1))

    # when the admin adjusts it within the bounds, from today
    community_rule_adjust(
        actor=admin,
        community=community,
        deed_type=deed_type,
        effective_from=timezone.localdate(),
        credit_per_unit=30,
        points_per_unit=10,
    )
    [rule] = approve_proposals(community)

    # then the member's deed of today is priced by the community's version, others by the national
    assert (rule.community, rule.version, rule.effective_from) == (community, 2, timezone.localdate())
    member_today = verified(verifier, record(member, deed_type, performed_on=timezone.localdate()))
    elsewhere_today = verified(verifier, record(elsewhere, deed_type, performed_on=timezone.localdate()))
    member_yesterday = verified(verifier, member_yesterday)
    assert member_today.rule_version == rule
    assert (member_today.credit_awarded, member_today.points_awarded) == (30, 10)
    assert elsewhere_today.rule_version.community is None
    assert (elsewhere_today.rule_version.version, elsewhere_today.credit_awarded) == (1, 20)
    assert (member_yesterday.rule_version.version, member_yesterday.credit_awarded) == (1, 20)
    [event] = events("community:rule_adjust")
    assert event.actor == admin and event.subject_id == str(community.public_id)
    assert event.data["deed_type"] == "returning-lost-property"
    assert (event.data["credit_per_unit"], event.data["points_per_unit"]) == (30, 10)
    assert ledger_verify().ok


@pytest.mark.parametrize(
    ("credit", "points", "fields"),
    [
        (31, 20, {"credit_per_unit"}),
        (20, 9, {"points_per_unit"}),
        (9, 31, {"credit_per_unit", "points_per_unit"}),
    ],
)
def test_community_adjustment_out_of_bounds_is_refused(deed_types, credit, points, fields):
    community = make_community()
    admin = make_community_admin(community)
    deed_type = deed_types["returning-lost-property"]
    with pytest.raises(AdjustmentOutOfBounds) as exc:
        community_rule_adjust(
            actor=admin,
            community=community,
            deed_type=deed_type,
            effective_from=timezone.localdate(),
            credit_per_unit=credit,
            points_per_unit=points,
        )
    assert set(exc.value.fields) == fields
    assert deed_type.rule_versions.count() == 1
    assert not events("community:rule_adjust")


def test_community_adjustment_at_the_bounds_is_accepted(deed_types):
    community = make_community()
    admin = make_community_admin(community)
    deed_type = deed_types["returning-lost-property"]
    for credit, points in ((10, 30), (30, 10)):
        community_rule_adjust(
            actor=admin,
            community=community,
            deed_type=deed_type,
            effective_from=timezone.localdate(),
            credit_per_unit=credit,
            points_per_unit=points,
        )
        approve_proposals(community)
    assert deed_type.rule_versions.filter(community=community).count() == 2


def test_community_adjustment_cannot_start_in_the_past(deed_types):
    community = make_community()
    admin = make_community_admin(community)
    with pytest.raises(ValidationFailed) as exc:
        community_rule_adjust(
            actor=admin,
            community=community,
            deed_type=deed_types["returning-lost-property"],
            effective_from=days_ago(1),
            credit_per_unit=25,
            points_per_unit=25,
        )
    assert "effective_from" in exc.value.fields
    assert RuleVersion.objects.filter(community=community).count() == 0


# --- catalog_search -------------------------------------------------------------------------------


@pytest.fixture
def default_catalog(db):
    catalog_load_default(actor=SYSTEM)
    return json.loads(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"))["deed_types"]


def codes(qs):
    return {dt.code for dt in qs}


def test_search_by_virtue_sdg_and_category(default_catalog):
    assert codes(catalog_search(virtue="gratitude")) == {
        i["code"] for i in default_catalog if "gratitude" in i["virtues"]
    }
    assert codes(catalog_search(sdg=16)) == {
        i["code"] for i in default_catalog if any(s.split(".")[0] == "16" for s in i["sdgs"])
    }
    assert codes(catalog_search(category="environment")) == {
        i["code"] for i in default_catalog if i["category"] == "environment"
    }
    both = codes(catalog_search(virtue="honesty", sdg=4))
    assert both == {"anti-corruption-activity"}
    assert len(list(catalog_search(virtue="gratitude"))) == len(codes(catalog_search(virtue="gratitude")))


def test_search_finds_a_thai_word_inside_a_name(default_catalog):
    found = codes(catalog_search(q="ต้นไม้"))
    assert "tree-planting" in found  # "ปลูกต้นไม้": the word is not at the start
    assert "blood-donation" not in found

    def mentions(item, word):
        texts = [item["name_th"], item["name_en"], item.get("description_th", ""), item["code"]]
        texts += [item.get("description_en", "")]
        texts += [i["name_th"] for i in item["indicators"]] + [i["name_en"] for i in item["indicators"]]
        return any(word.lower() in t.lower() for t in texts)

    assert found == {i["code"] for i in default_catalog if mentions(i, "ต้นไม้")}
    assert codes(catalog_search(q="บริจาค")) >= {"blood-donation", "organ-donation-pledge"}
    assert codes(catalog_search(q="ต้นไม้", category="health-care")) == set()


def test_changing_virtue_weights_is_a_new_version_and_keeps_past_splits(deed_types, citizen, verifier):
    # given a pending deed of yesterday under v1 (honesty 0.7, volunteerism 0.3)
    deed_type = deed_types["returning-lost-property"]
    pending = record(citizen, deed_type, performed_on=days_ago(1))
    # when staff move the weights from today on
    deed_type_update(
        actor=make_staff(),
        deed_type=deed_type,
        row=row_of(deed_type, virtues={"honesty": 0.5, "volunteerism": 0.5}, effective_from=""),
    )
    # then a new version holds the new weights, and yesterday's deed still splits the old way
    assert deed_type.rule_versions.count() == 2
    deed_verify(actor=verifier, deed_public_id=pending.public_id)
    split = {line.code: line.credit for line in passbook_get(person=citizen).by_virtue if line.credit}
    assert split == {"honesty": 14, "volunteerism": 6}
    today = record(citizen, deed_type, performed_on=days_ago(0))
    deed_verify(actor=verifier, deed_public_id=today.public_id)
    split = {line.code: line.credit for line in passbook_get(person=citizen).by_virtue if line.credit}
    assert split == {"honesty": 24, "volunteerism": 16}


def test_pricing_cannot_change_once_a_deed_type_exists(deed_types):
    deed_type = deed_types["volunteer-hours"]
    with pytest.raises(ValidationFailed) as exc:
        deed_type_update(actor=make_staff(), deed_type=deed_type, row=row_of(deed_type, pricing="per_deed"))
    assert "pricing" in exc.value.fields
    deed_type.refresh_from_db()
    assert deed_type.pricing == "per_hour"
