"""The automatic flags (deeds/flags.py): each check raises its flag, and a near miss does not. A
flag changes nothing for the person: the deed is verified and credited as before."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.catalog.models import DeedType
from kwamdee.catalog.services import catalog_load
from kwamdee.deeds.choices import FlagKind
from kwamdee.deeds.flags import (
    BURST_DEEDS,
    NEW_MEMBER_FIRST_DEEDS,
    VERIFIER_OFTEN_DEEDS,
    deed_flags_open,
    flag_explain,
    flags_raise,
)
from kwamdee.deeds.models import Deed, DeedFlag
from kwamdee.deeds.services import deed_record, deed_verify, deeds_verify_bulk
from kwamdee.passbook.selectors import passbook_get
from kwamdee.people.models import User
from tests.deeds.test_services import record
from tests.evidence.helpers import png
from tests.factories import SMALL_CATALOG, SYSTEM, _deed_type, days_ago, make_person, make_verifier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def community(db):
    """The community of the tests' subdistrict: everyone made after it is its approved member
    (tests/people/factories.py), so new members, as new accounts are."""
    from tests.factories import make_community

    return make_community()


def aged(person, days):
    """The person's account as if made `days` ago (no service backdates an account)."""
    User.objects.filter(pk=person.pk).update(date_joined=timezone.now() - timedelta(days=days))
    return User.objects.get(pk=person.pk)


def kinds(deed):
    return set(DeedFlag.objects.filter(deed=deed).values_list("kind", flat=True))


def flagged(kind):
    return set(DeedFlag.objects.filter(kind=kind).values_list("deed_id", flat=True))


# --- a new member's first deeds --------------------------------------------------------------------


def member_of_community(days_ago_approved=0):
    """A person whose request to join the demo subdistrict's community the committee approved
    `days_ago_approved` days ago."""
    from kwamdee.people.models import CommunityMembership

    person = make_person(name="สมาชิกใหม่")
    CommunityMembership.objects.filter(person=person).update(
        decided_at=timezone.now() - timedelta(days=days_ago_approved)
    )
    return User.objects.get(pk=person.pk)


def test_a_new_members_first_three_deeds_are_flagged_and_the_fourth_is_not(deed_types):
    citizen = member_of_community()
    assert citizen.community_id is not None
    deeds = [
        record(citizen, deed_types["returning-lost-property"], performed_on=days_ago(n)) for n in range(1, 5)
    ]
    assert flagged(FlagKind.NEW_MEMBER) == {d.pk for d in deeds[:NEW_MEMBER_FIRST_DEEDS]}
    first = DeedFlag.objects.get(deed=deeds[0], kind=FlagKind.NEW_MEMBER)
    assert first.facts["nth"] == 1 and first.state == "open"
    assert "1" in first.explanation and "30" in first.explanation


def test_a_member_approved_more_than_thirty_days_ago_is_not_flagged_as_new(deed_types):
    person = member_of_community(days_ago_approved=31)
    deed = record(person, deed_types["returning-lost-property"])
    assert FlagKind.NEW_MEMBER not in kinds(deed)


def test_a_person_in_no_community_is_no_new_member(deed_types):
    from tests.factories import BANGKOK_SUBDISTRICT

    outsider = make_person(name="คนกรุง", subdistrict=BANGKOK_SUBDISTRICT)
    assert outsider.community_id is None  # no community in the subdistrict: the national catalog
    deed = record(outsider, deed_types["returning-lost-property"])
    assert FlagKind.NEW_MEMBER not in kinds(deed)


# --- bursts ----------------------------------------------------------------------------------------


def test_five_deeds_within_an_hour_flag_the_fifth_and_four_do_not(deed_types):
    person = aged(make_person(), 60)
    deeds = [
        record(person, deed_types["returning-lost-property"], performed_on=days_ago(n)) for n in range(1, 5)
    ]
    assert flagged(FlagKind.BURST) == set()  # four: a near miss
    fifth = record(person, deed_types["returning-lost-property"], performed_on=days_ago(6))
    assert flagged(FlagKind.BURST) == {fifth.pk}
    assert DeedFlag.objects.get(deed=fifth, kind=FlagKind.BURST).facts["count"] == BURST_DEEDS
    assert len(deeds) == 4


def test_deeds_recorded_more_than_an_hour_apart_are_no_burst(deed_types):
    person = aged(make_person(), 60)
    deeds = [
        record(person, deed_types["returning-lost-property"], performed_on=days_ago(n)) for n in range(1, 5)
    ]
    Deed.objects.filter(pk=deeds[0].pk).update(created_at=timezone.now() - timedelta(minutes=61))
    fifth = record(person, deed_types["returning-lost-property"], performed_on=days_ago(6))
    assert FlagKind.BURST not in kinds(fifth)


# --- limits approached -----------------------------------------------------------------------------


@pytest.fixture
def weekly_type(deed_types):
    """A deed type at most 5 times a week (the small catalog's limits are all below 5)."""
    row = _deed_type("kind-words", "per_deed", 2, 2, {"honesty": 1}, limits={"per_week": 5})
    catalog_load(actor=SYSTEM, data={**SMALL_CATALOG, "deed_types": [*SMALL_CATALOG["deed_types"], row]})
    return DeedType.objects.get(code="kind-words")


def test_reaching_eighty_percent_of_a_limit_flags_the_deed(weekly_type):
    person = aged(make_person(), 60)
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)  # last week
    deeds = [record(person, weekly_type, performed_on=monday + timedelta(days=n)) for n in range(4)]
    # 3 of 5 (60%): a near miss; the 4th is 80%
    assert flagged(FlagKind.LIMIT_NEAR) == {deeds[3].pk}
    facts = DeedFlag.objects.get(kind=FlagKind.LIMIT_NEAR).facts
    assert facts == {"window": "week", "count": 4, "limit": 5, "share": 80}


def test_limits_below_five_are_not_watched(deed_types):
    # volunteer hours: at most 2 a day; using the limit is ordinary use, not a pattern
    person = aged(make_person(), 60)
    for _ in range(2):
        record(person, deed_types["volunteer-hours"], quantity="1")
    assert flagged(FlagKind.LIMIT_NEAR) == set()


def test_limits_are_checked_again_when_deeds_are_verified(weekly_type, verifier):
    person = aged(make_person(), 60)
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    deeds = [record(person, weekly_type, performed_on=monday + timedelta(days=n)) for n in range(4)]
    DeedFlag.objects.all().delete()  # as if the flags came only from verifying
    deed_verify(actor=verifier, deed_public_id=deeds[3].public_id)
    assert flagged(FlagKind.LIMIT_NEAR) == {deeds[3].pk}


# --- the same file twice ---------------------------------------------------------------------------


@pytest.fixture
def photo_type(deed_types, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    DeedType.objects.filter(code="tree-planting").update(evidence="photo")
    return DeedType.objects.get(code="tree-planting")


def with_photo(person, deed_type, photo):
    return deed_record(
        actor=person, deed_type_public_id=deed_type.public_id, performed_on=days_ago(1),
        description="ปลูกต้นไม้หน้าบ้าน", quantity=2, evidence_files=[photo],
    )  # fmt: skip


def test_the_same_file_on_another_deed_flags_the_later_deed(photo_type):
    first = with_photo(make_person(), photo_type, png(size=(64, 48)))
    second = with_photo(make_person(name="คนที่สอง"), photo_type, png(size=(64, 48)))
    assert flagged(FlagKind.SAME_FILE) == {second.pk}
    facts = DeedFlag.objects.get(kind=FlagKind.SAME_FILE).facts
    assert facts == {"deeds": [str(first.public_id)], "count": 1, "own": 0}


def test_a_different_file_is_not_flagged(photo_type):
    with_photo(make_person(), photo_type, png(size=(64, 48)))
    with_photo(make_person(name="คนที่สอง"), photo_type, png(size=(65, 48)))
    assert flagged(FlagKind.SAME_FILE) == set()


# --- brand-new accounts verified together ----------------------------------------------------------


def test_three_brand_new_accounts_verified_in_a_day_by_one_verifier_are_flagged(deed_types, verifier):
    people = [make_person(name=f"บัญชีใหม่ {n}") for n in range(3)]
    deeds = [record(p, deed_types["returning-lost-property"]) for p in people]
    deed_verify(actor=verifier, deed_public_id=deeds[0].public_id)
    deeds_verify_bulk(actor=verifier, deed_public_ids=[d.public_id for d in deeds[1:]])
    # the pattern is the three together: the first one, verified alone earlier, is flagged too
    assert flagged(FlagKind.NEW_ACCOUNTS_BULK) == {d.pk for d in deeds}
    assert DeedFlag.objects.filter(kind=FlagKind.NEW_ACCOUNTS_BULK).first().facts["accounts"] == 3


def test_two_new_accounts_and_an_older_one_are_not_flagged(deed_types, verifier):
    people = [make_person(name="ใหม่ 1"), make_person(name="ใหม่ 2"), aged(make_person(name="เก่า"), 8)]
    deeds = [record(p, deed_types["returning-lost-property"]) for p in people]
    deeds_verify_bulk(actor=verifier, deed_public_ids=[d.public_id for d in deeds])
    assert flagged(FlagKind.NEW_ACCOUNTS_BULK) == set()
    # and nothing changed for anyone: every deed is credited
    assert all(passbook_get(person=p).credit_total == 20 for p in people)


# --- one verifier, one person, often -------------------------------------------------------------


def test_the_tenth_deed_of_one_person_by_one_verifier_in_thirty_days_is_flagged(deed_types, verifier):
    person = aged(make_person(), 60)
    deeds = [
        record(person, deed_types["returning-lost-property"], performed_on=days_ago(n)) for n in range(1, 11)
    ]
    for deed in deeds[:9]:
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    assert flagged(FlagKind.VERIFIER_OFTEN) == set()  # nine: a near miss
    deed_verify(actor=verifier, deed_public_id=deeds[9].public_id)
    assert flagged(FlagKind.VERIFIER_OFTEN) == {deeds[9].pk}
    assert DeedFlag.objects.get(kind=FlagKind.VERIFIER_OFTEN).facts["count"] == VERIFIER_OFTEN_DEEDS


def test_verifications_older_than_thirty_days_do_not_count(deed_types, verifier):
    person = aged(make_person(), 90)
    deeds = [
        record(person, deed_types["returning-lost-property"], performed_on=days_ago(n)) for n in range(1, 11)
    ]
    for deed in deeds[:9]:
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    Deed.objects.filter(pk=deeds[0].pk).update(decided_at=timezone.now() - timedelta(days=31))
    deed_verify(actor=verifier, deed_public_id=deeds[9].public_id)
    assert flagged(FlagKind.VERIFIER_OFTEN) == set()


# --- two people verifying each other ---------------------------------------------------------------


@pytest.fixture
def two_verifiers(deed_types):
    first = aged(make_verifier(name="ผู้รับรอง หนึ่ง"), 60)
    second = aged(make_verifier(name="ผู้รับรอง สอง"), 60)
    return first, second


def test_two_verifiers_who_verify_each_others_deeds_are_flagged(deed_types, two_verifiers):
    first, second = two_verifiers
    of_first = record(first, deed_types["returning-lost-property"])
    deed_verify(actor=second, deed_public_id=of_first.public_id)
    assert flagged(FlagKind.MUTUAL) == set()  # one way only, so far
    of_second = record(second, deed_types["returning-lost-property"])
    deed_verify(actor=first, deed_public_id=of_second.public_id)
    assert flagged(FlagKind.MUTUAL) == {of_second.pk}
    assert "90" in DeedFlag.objects.get(kind=FlagKind.MUTUAL).explanation


def test_a_verification_the_other_way_more_than_ninety_days_ago_is_no_cycle(deed_types, two_verifiers):
    first, second = two_verifiers
    of_first = record(first, deed_types["returning-lost-property"])
    deed_verify(actor=second, deed_public_id=of_first.public_id)
    Deed.objects.filter(pk=of_first.pk).update(decided_at=timezone.now() - timedelta(days=91))
    of_second = record(second, deed_types["returning-lost-property"])
    deed_verify(actor=first, deed_public_id=of_second.public_id)
    assert flagged(FlagKind.MUTUAL) == set()


# --- the verifier's facts come with the lock: the same flags as reading them after ----------------


@pytest.mark.parametrize("facts", ["with the lock", "read after"])
def test_the_facts_the_lock_brings_raise_the_flags_reading_them_raises(
    facts, deed_types, two_verifiers, monkeypatch
):
    if facts == "read after":  # as for deeds recorded and credited at once (an activity's close)
        monkeypatch.setattr("kwamdee.deeds.selectors.verification_facts", lambda actor: {})
    first, second = two_verifiers
    lost = deed_types["returning-lost-property"]

    def verify(*deeds):
        if len(deeds) == 1:
            deed_verify(actor=first, deed_public_id=deeds[0].public_id)
        else:
            deeds_verify_bulk(actor=first, deed_public_ids=[d.public_id for d in deeds])

    # given a deed of the first verifier's credited by the second
    deed_verify(actor=second, deed_public_id=record(first, lost).public_id)
    # and one person's deeds: 8 verified one by one, then 2 in one batch (the 9th and the 10th)
    regular = aged(make_person(name="ประจำ"), 60)
    often = [record(regular, lost, performed_on=days_ago(n)) for n in range(1, 11)]
    for deed in often[:8]:
        verify(deed)
    # and brand-new accounts: one verified twice today, and another: two accounts, no flag
    new = [make_person(name=f"ใหม่ {n}") for n in range(3)]
    today = [record(new[0], lost, performed_on=days_ago(1)), record(new[0], lost, performed_on=days_ago(2))]
    today.append(record(new[1], lost))
    for deed in today:
        verify(deed)
    assert flagged(FlagKind.NEW_ACCOUNTS_BULK) == set()
    # when the first again and a third are verified in one batch (three accounts), and the
    # regular's two in another, and a deed of the second verifier's
    today += [record(new[0], lost, performed_on=days_ago(3)), record(new[2], lost)]
    verify(*today[3:])
    verify(*often[8:])
    of_second = record(second, lost)
    verify(of_second)
    # then every deed of today's new accounts is flagged, both of the batch that made ten, and the cycle
    assert flagged(FlagKind.NEW_ACCOUNTS_BULK) == {d.pk for d in today}
    assert {f.facts["accounts"] for f in DeedFlag.objects.filter(kind=FlagKind.NEW_ACCOUNTS_BULK)} == {3}
    assert flagged(FlagKind.VERIFIER_OFTEN) == {often[8].pk, often[9].pk}
    assert {f.facts["count"] for f in DeedFlag.objects.filter(kind=FlagKind.VERIFIER_OFTEN)} == {10}
    assert flagged(FlagKind.MUTUAL) == {of_second.pk}
    assert DeedFlag.objects.get(kind=FlagKind.MUTUAL).facts["count"] == 1


# --- one flag per deed and kind; the reads; the words ----------------------------------------------


def test_a_flag_is_raised_once_per_deed_and_kind(deed_types, citizen):
    deed = record(citizen, deed_types["returning-lost-property"])
    before = DeedFlag.objects.get(deed=deed, kind=FlagKind.NEW_MEMBER)
    flags_raise([(deed.pk, FlagKind.NEW_MEMBER, {"nth": 9}), (deed.pk, FlagKind.NEW_MEMBER, {"nth": 8})])
    assert DeedFlag.objects.filter(deed=deed, kind=FlagKind.NEW_MEMBER).get().facts == before.facts


def test_the_queue_reads_the_open_flags_of_a_page_in_one_query(deed_types, django_assert_num_queries):
    people = [make_person(name=f"คน {n}") for n in range(3)]
    deeds = [record(p, deed_types["returning-lost-property"]) for p in people]
    DeedFlag.objects.filter(deed=deeds[2]).update(state="dismissed")
    with django_assert_num_queries(1):
        found = deed_flags_open(deeds)
    assert set(found) == {deeds[0].pk, deeds[1].pk}
    assert [f.kind for f in found[deeds[0].pk]] == [FlagKind.NEW_MEMBER]
    assert deed_flags_open([]) == {}


def test_every_kind_has_words_in_thai_and_english(deed_types, citizen):
    from django.utils import translation

    deed = record(citizen, deed_types["returning-lost-property"])
    for kind in FlagKind.values:
        flag = DeedFlag(deed=deed, kind=kind, facts={"count": 2, "window": "week", "limit": 5})
        with translation.override("en"):
            english = flag_explain(flag)
        with translation.override("th"):
            thai = flag_explain(flag)
        assert english and thai and english != thai, kind


def test_a_flag_changes_nothing_for_the_person(deed_types, citizen, verifier):
    deed = record(citizen, deed_types["returning-lost-property"])
    assert DeedFlag.objects.filter(deed=deed).exists()
    deed_verify(actor=verifier, deed_public_id=deed.public_id)
    assert Deed.objects.get(pk=deed.pk).status == "verified"
    assert passbook_get(person=citizen).credit_total == 20
