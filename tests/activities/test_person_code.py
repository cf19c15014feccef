"""The organizer checks a person in or out by the person's own code (scanned) or phone (typed)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import signing
from django.utils import timezone

from kwamdee.activities.codes import PERSON_SALT, code_make, person_code_make, person_code_read
from kwamdee.activities.errors import (
    ActivityClosed,
    AlreadyEnded,
    NotCheckedIn,
    NotStarted,
    ParticipantNotEligible,
    PersonCodeExpired,
    PersonCodeInvalid,
    PersonUnknown,
)
from kwamdee.activities.models import Attendance
from kwamdee.activities.services import activity_check_person, activity_close
from kwamdee.common.errors import NotFound
from kwamdee.common.models import AuditEvent
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.services import consent_withdraw
from tests.activities.helpers import make_activity
from tests.factories import load_small_catalog, make_person, make_verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    load_small_catalog()
    organizer = make_verifier()
    people = [make_person(name=f"อาสา คนที่{n}") for n in range(2)]
    return organizer, people


def check(organizer, activity, person, action="check_in", now=None):
    return activity_check_person(
        actor=organizer, activity_public_id=activity.public_id, person=person, action=action, now=now
    )


def test_the_code_names_the_person_by_public_id_not_by_phone(world):
    _organizer, (alice, _bob) = world
    code = person_code_make(alice.public_id)
    assert alice.phone not in code and person_code_read(code) == str(alice.public_id)
    # Another salt: an activity's check-in code is not a person's code, nor the other way round.
    with pytest.raises(PersonCodeInvalid):
        person_code_read(code_make(alice.public_id))


def test_scanning_a_persons_code_checks_them_in_then_out(world):
    organizer, (alice, _bob) = world
    start = timezone.now() - timedelta(hours=1)
    activity = make_activity(organizer, start=start, hours=3)
    code = person_code_make(alice.public_id)
    result = check(organizer, activity, code, now=start + timedelta(minutes=10))
    assert result.changed and result.action == "check_in"
    assert not check(organizer, activity, code, now=start + timedelta(minutes=11)).changed  # idempotent
    assert check(organizer, activity, code, "check_out", now=start + timedelta(hours=2, minutes=10)).changed
    attendance = Attendance.objects.get(activity=activity, person=alice)
    assert (attendance.source, attendance.recorded_by) == ("organizer", organizer)
    events = AuditEvent.objects.filter(
        subject_id=str(activity.public_id), event_type__startswith="activity:check"
    )
    assert [(e.event_type, e.actor_id, e.data["person"], e.data["by"]) for e in events.order_by("id")] == [
        ("activity:check_in", organizer.pk, str(alice.public_id), "organizer"),
        ("activity:check_out", organizer.pk, str(alice.public_id), "organizer"),
    ]
    (outcome,) = activity_close(actor=organizer, activity_public_id=activity.public_id,
                                now=start + timedelta(hours=3))  # fmt: skip
    assert outcome.credited and outcome.hours == Decimal("2.00")


def test_a_typed_phone_number_works_however_it_is_written(world):
    organizer, (alice, _bob) = world
    activity = make_activity(organizer)
    typed = f"+66 {alice.phone[1:3]}-{alice.phone[3:]}"
    assert check(organizer, activity, typed).attendance.person == alice


def test_a_forged_expired_or_unknown_person_is_refused(world, settings, monkeypatch):
    organizer, (alice, _bob) = world
    activity = make_activity(organizer)
    code = person_code_make(alice.public_id)
    for forged in (code[:-2] + ("AA" if not code.endswith("AA") else "BB"), "a:b:c",
                   signing.dumps({"p": str(alice.public_id)}, salt="another salt")):  # fmt: skip
        with pytest.raises(PersonCodeInvalid):
            check(organizer, activity, forged)
    settings.ACTIVITY_PERSON_CODE_DAYS = 1
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 2 * 86400)  # made two days ago
    stale = person_code_make(alice.public_id)
    monkeypatch.undo()
    with pytest.raises(PersonCodeExpired):
        check(organizer, activity, stale)
    nobody = signing.dumps({"p": "00000000-0000-4000-8000-000000000000"}, salt=PERSON_SALT)
    with pytest.raises(PersonUnknown):
        check(organizer, activity, nobody)
    with pytest.raises(PersonUnknown):
        check(organizer, activity, "0899999999")
    assert not Attendance.objects.exists()


def test_an_organizer_of_another_activity_or_a_participant_cannot(world):
    organizer, (alice, bob) = world
    activity = make_activity(organizer)
    other_organizer = make_verifier(scope="7109", name="ผู้จัด อื่น")
    make_activity(other_organizer)  # they run an activity of their own, not this one
    for actor in (other_organizer, bob):
        with pytest.raises(NotFound):
            check(actor, activity, person_code_make(alice.public_id))
    assert not Attendance.objects.exists()


def test_check_in_outside_the_activitys_time_or_after_the_close_is_refused(world):
    organizer, (alice, _bob) = world
    start = timezone.now() + timedelta(hours=2)
    activity = make_activity(organizer, start=start, hours=2)
    code = person_code_make(alice.public_id)
    with pytest.raises(NotStarted):
        check(organizer, activity, code, now=start - timedelta(minutes=16))
    with pytest.raises(AlreadyEnded):
        check(organizer, activity, code, now=start + timedelta(hours=2, minutes=16))
    with pytest.raises(NotCheckedIn):
        check(organizer, activity, code, "check_out", now=start)
    now_activity = make_activity(organizer)
    activity_close(actor=organizer, activity_public_id=now_activity.public_id)
    with pytest.raises(ActivityClosed):
        check(organizer, now_activity, code)
    assert not Attendance.objects.exists()


def test_a_person_who_may_not_take_part_is_refused_with_the_reason(world):
    organizer, (alice, bob) = world
    activity = make_activity(organizer)
    consent_withdraw(actor=alice, person=alice, purpose=ConsentPurpose.MEMBERSHIP)
    with pytest.raises(ParticipantNotEligible) as caught:
        check(organizer, activity, alice.phone)
    assert caught.value.code == "participant_not_eligible" and "ยินยอม" in str(caught.value.message)
    bob.contact_confirmed_at = None
    bob.save(update_fields=["contact_confirmed_at"])
    with pytest.raises(ParticipantNotEligible):
        check(organizer, activity, person_code_make(bob.public_id))
    assert not Attendance.objects.exists()
