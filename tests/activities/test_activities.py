"""Activities: codes, check-in and out, hours, closing into one ledger batch, and every refusal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from kwamdee.activities.codes import code_make, window_seconds
from kwamdee.activities.errors import (
    ActivityClosed,
    AlreadyEnded,
    CodeExpired,
    CodeInvalid,
    CodeOtherActivity,
    NotCheckedIn,
    NotStarted,
)
from kwamdee.activities.models import Activity, Attendance
from kwamdee.activities.selectors import activity_managed_by, organizer_options
from kwamdee.activities.services import activity_check, activity_close, activity_create, activity_register
from kwamdee.catalog.models import DeedType
from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.common.models import AuditEvent
from kwamdee.deeds.models import Deed
from kwamdee.ledger.models import LedgerTransaction
from kwamdee.ledger.verification import ledger_verify
from kwamdee.passbook.selectors import passbook_get
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.services import consent_withdraw
from tests.concurrency import run_at_once
from tests.factories import BANGKOK_SUBDISTRICT, NONG_SARAI, load_small_catalog, make_person, make_verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    load_small_catalog()
    organizer = make_verifier()
    people = [make_person(name=f"อาสา คนที่{n}") for n in range(3)]
    return organizer, people


def _make(organizer, *, code="volunteer-hours", start=None, hours=3):
    start = start or timezone.now() - timedelta(minutes=5)
    option = organizer_options(organizer)[0]
    return activity_create(
        actor=organizer, organizer=option.value, title="ปลูกป่าชายคลอง",
        deed_type_public_id=DeedType.objects.get(code=code).public_id, subdistrict_code=NONG_SARAI,
        starts_at=start, ends_at=start + timedelta(hours=hours), capacity=None,
    )  # fmt: skip


def _check(person, activity, action="check_in", now=None, code=None):
    now = now or timezone.now()
    return activity_check(
        actor=person, activity_public_id=activity.public_id,
        code=code or code_make(activity.public_id, now), action=action, now=now,
    )  # fmt: skip


def test_create_needs_an_organization_or_community(world):
    organizer, people = world
    activity = _make(organizer)
    assert activity_managed_by(organizer, activity)
    assert not activity_managed_by(people[0], activity)
    assert (
        AuditEvent.objects.filter(event_type="activity:create", subject_id=str(activity.public_id)).count()
        == 1
    )
    with pytest.raises(PermissionDenied):
        activity_create(actor=people[0], organizer="x", title="x", deed_type_public_id=None,
                        subdistrict_code=NONG_SARAI, starts_at=timezone.now(),
                        ends_at=timezone.now() + timedelta(hours=1))  # fmt: skip


def test_place_outside_the_organizers_area_is_refused(world):
    organizer, _people = world
    option = organizer_options(organizer)[0]
    start = timezone.now()
    with pytest.raises(Exception) as caught:
        activity_create(
            actor=organizer, organizer=option.value, title="x",
            deed_type_public_id=DeedType.objects.get(code="volunteer-hours").public_id,
            subdistrict_code=BANGKOK_SUBDISTRICT, starts_at=start, ends_at=start + timedelta(hours=1),
        )  # fmt: skip
    assert "subdistrict_code" in caught.value.fields


def test_check_in_and_out_are_idempotent_and_audited_once(world):
    organizer, (alice, *_rest) = world
    activity = _make(organizer)
    assert _check(alice, activity).changed
    assert not _check(alice, activity).changed  # a second press changes nothing
    assert _check(alice, activity, "check_out").changed
    assert not _check(alice, activity, "check_out").changed
    events = AuditEvent.objects.filter(subject_id=str(activity.public_id))
    assert events.filter(event_type="activity:check_in").count() == 1
    assert events.filter(event_type="activity:check_out").count() == 1


def test_register_once(world):
    organizer, (alice, *_rest) = world
    activity = _make(organizer, start=timezone.now() + timedelta(days=1))
    activity_register(actor=alice, activity_public_id=activity.public_id)
    activity_register(actor=alice, activity_public_id=activity.public_id)
    assert Attendance.objects.filter(activity=activity).count() == 1
    assert AuditEvent.objects.filter(event_type="activity:register").count() == 1


def test_code_replayed_after_its_window_is_refused(world):
    organizer, (alice, *_rest) = world
    activity = _make(organizer)
    now = timezone.now()
    code = code_make(activity.public_id, now)
    _check(
        alice, activity, now=now + timedelta(seconds=window_seconds()), code=code
    )  # next window: still taken
    with pytest.raises(CodeExpired):
        _check(alice, activity, "check_out", now=now + timedelta(seconds=2 * window_seconds() + 1), code=code)


def test_window_follows_the_setting(world, settings):
    settings.ACTIVITY_CODE_WINDOW_SECONDS = 60
    organizer, (alice, *_rest) = world
    activity = _make(organizer)
    now = timezone.now()
    code = code_make(activity.public_id, now)
    with pytest.raises(CodeExpired):
        _check(alice, activity, now=now + timedelta(seconds=121), code=code)


def test_code_of_another_activity_or_forged_is_refused(world):
    organizer, (alice, *_rest) = world
    one, other = _make(organizer), _make(organizer)
    with pytest.raises(CodeOtherActivity):
        _check(alice, one, code=code_make(other.public_id))
    with pytest.raises(CodeInvalid):
        _check(alice, one, code=code_make(one.public_id) + "x")
    with pytest.raises(CodeInvalid):
        _check(alice, one, code="not-a-code")
    assert not Attendance.objects.exists()


def test_before_start_and_after_end_are_refused(world):
    organizer, (alice, *_rest) = world
    start = timezone.now() + timedelta(hours=2)
    activity = _make(organizer, start=start, hours=2)
    with pytest.raises(NotStarted):
        _check(alice, activity, now=start - timedelta(minutes=16))
    _check(alice, activity, now=start - timedelta(minutes=14))  # a small grace before the start
    with pytest.raises(AlreadyEnded):
        _check(alice, activity, "check_out", now=start + timedelta(hours=2, minutes=16))


def test_check_out_without_check_in_is_refused(world):
    organizer, (alice, *_rest) = world
    with pytest.raises(NotCheckedIn):
        _check(alice, _make(organizer), "check_out")


def test_participant_who_withdrew_consent_cannot_check_in(world):
    organizer, (alice, *_rest) = world
    consent_withdraw(actor=alice, person=alice, purpose=ConsentPurpose.MEMBERSHIP)
    with pytest.raises(PermissionDenied):
        _check(alice, _make(organizer))


def test_hours_are_capped_by_the_activity_and_credit_lands_in_the_passbook(world):
    organizer, (alice, bob, _carol) = world
    start = timezone.now() - timedelta(minutes=110)
    activity = _make(organizer, start=start, hours=2)  # the clock is moved with `now`
    _check(alice, activity, now=start - timedelta(minutes=10))  # early: counted from the start
    _check(alice, activity, "check_out", now=start + timedelta(hours=2, minutes=10))  # late: to the end
    _check(bob, activity, now=start + timedelta(hours=1))
    _check(bob, activity, "check_out", now=start + timedelta(hours=1, minutes=30))
    batches = LedgerTransaction.objects.count()
    outcomes = activity_close(
        actor=organizer, activity_public_id=activity.public_id, now=start + timedelta(hours=3)
    )
    hours = {o.person.pk: o.hours for o in outcomes}
    assert hours == {alice.pk: Decimal("2.00"), bob.pk: Decimal("0.50")}
    assert all(o.credited for o in outcomes)
    assert LedgerTransaction.objects.count() == batches + 2
    assert passbook_get(person=alice).credit_total == 16  # 2 h × 8
    assert passbook_get(person=bob).credit_total == 4
    deed = Deed.objects.get(person=alice)
    assert (deed.status, deed.decided_by, deed.description) == ("verified", organizer, "ปลูกป่าชายคลอง")
    assert Attendance.objects.get(person=alice).deed == deed
    close = AuditEvent.objects.get(event_type="activity:close")
    assert close.data["credited"] == 2
    assert ledger_verify().ok


def test_missing_check_out_counts_until_the_close_and_per_deed_gives_one(world):
    organizer, (alice, *_rest) = world
    start = timezone.now() - timedelta(hours=1)
    activity = _make(organizer, code="returning-lost-property", start=start)
    _check(alice, activity, now=start)
    (outcome,) = activity_close(
        actor=organizer, activity_public_id=activity.public_id, now=start + timedelta(hours=1)
    )
    assert outcome.credited and outcome.deed.quantity == 1 and outcome.hours == Decimal("1.00")


def test_a_participant_who_fails_a_rule_is_skipped_and_the_rest_credited(world):
    organizer, (alice, bob, _carol) = world
    activity = _make(organizer)
    _check(alice, activity)
    _check(bob, activity)
    _check(organizer, activity)  # the organizer's own attendance: never self-verified
    bob.contact_confirmed_at = None
    bob.save(update_fields=["contact_confirmed_at"])
    outcomes = {o.person.pk: o for o in activity_close(
        actor=organizer, activity_public_id=activity.public_id, now=timezone.now() + timedelta(hours=1))}  # fmt: skip
    assert outcomes[alice.pk].credited
    assert (outcomes[bob.pk].credited, outcomes[bob.pk].code) == (False, "contact_unconfirmed")
    assert (outcomes[organizer.pk].credited, outcomes[organizer.pk].code) == (False, "own_deed")
    activity.refresh_from_db()
    assert (activity.credited_count, activity.skipped_count) == (1, 2)
    assert Attendance.objects.get(person=bob).outcome_code == "contact_unconfirmed"


def test_limits_per_day_hold(world):
    organizer, (alice, *_rest) = world
    for _n in range(3):  # volunteer-hours: at most 2 a day
        activity = _make(organizer)
        _check(alice, activity)
        (outcome,) = activity_close(actor=organizer, activity_public_id=activity.public_id,
                                    now=timezone.now() + timedelta(hours=1))  # fmt: skip
    assert (outcome.credited, outcome.code) == (False, "limit_reached")
    assert Deed.objects.filter(person=alice).count() == 2


def test_closing_twice_credits_once_and_nobody_checks_in_after(world):
    organizer, (alice, bob, _carol) = world
    activity = _make(organizer)
    _check(alice, activity)
    later = timezone.now() + timedelta(hours=1)
    activity_close(actor=organizer, activity_public_id=activity.public_id, now=later)
    with pytest.raises(ActivityClosed):
        activity_close(actor=organizer, activity_public_id=activity.public_id, now=later)
    with pytest.raises(ActivityClosed):
        _check(bob, activity)
    assert Deed.objects.filter(person=alice).count() == 1
    assert AuditEvent.objects.filter(event_type="activity:close").count() == 1


def test_someone_else_cannot_close_it(world):
    organizer, (alice, *_rest) = world
    other_organizer = make_verifier(scope="7109", name="ผู้จัด อื่น")
    activity = _make(organizer)
    with pytest.raises(NotFound):
        activity_close(actor=alice, activity_public_id=activity.public_id)
    with pytest.raises(NotFound):
        activity_close(actor=other_organizer, activity_public_id=activity.public_id)
    assert Activity.objects.get(pk=activity.pk).status == "open"


@pytest.mark.django_db(transaction=True)
def test_concurrent_closes_credit_once(postgres_only):
    load_small_catalog()
    organizer = make_verifier()
    people = [make_person(name=f"อาสา คนที่{n}") for n in range(5)]
    activity = _make(organizer)
    for person in people:
        _check(person, activity)
    later = timezone.now() + timedelta(hours=1)
    outcomes = run_at_once(
        [
            lambda: activity_close(actor=organizer, activity_public_id=activity.public_id, now=later)
            for _n in range(10)
        ],
        expected={ActivityClosed: "closed"},
    )
    assert sorted(outcomes) == ["closed"] * 9 + ["ok"]
    assert Deed.objects.filter(person__in=people).count() == 5
    assert LedgerTransaction.objects.filter(kind="deed_credit").count() == 5
    assert AuditEvent.objects.filter(event_type="activity:close").count() == 1
    assert ledger_verify().ok
    connection.close()
