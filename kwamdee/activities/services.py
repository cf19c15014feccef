"""Writes about activities: create, register, check in and out (by the person, or by an organizer
with the person's code or phone), close (one ledger batch). The organizer's attendance file is
`attendance_file.py`."""

from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.activities.choices import ActivityStatus, AttendanceOutcome, AttendanceSource
from kwamdee.activities.codes import code_check, looks_like_person_code, person_code_read
from kwamdee.activities.errors import (
    ActivityClosed,
    ActivityFull,
    AlreadyEnded,
    NotCheckedIn,
    NotStarted,
    ParticipantNotEligible,
    PersonUnknown,
)
from kwamdee.activities.events import ActivitiesEvent
from kwamdee.activities.models import Activity, Attendance
from kwamdee.activities.selectors import activity_managed_by, check_in_grace, organizer_options
from kwamdee.areas.selectors import subdistrict_exists
from kwamdee.catalog.choices import Pricing
from kwamdee.catalog.selectors import deed_types_for_community
from kwamdee.common.actors import Actor, person_or_none
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.locks import rows_lock
from kwamdee.common.text_validation import text_problems
from kwamdee.deeds.services import VerifiedEntry, deeds_record_verified
from kwamdee.people.errors import ContactUnconfirmed
from kwamdee.people.selectors import consent_active, contact_confirmed, person_by_login, person_by_public_id

MAX_ACTIVITY_HOURS = 24  # a deed counts at most 24 hours (deeds.services.MAX_HOURS_PER_DEED)
MAX_CAPACITY = 5000
TITLE_MAX_CHARS = 200


def activity_deed_types(community_id: int | None) -> Any:
    """The deed types an activity may credit: priced per hour or per deed, not sensitive."""
    return deed_types_for_community(community_id).filter(
        pricing__in=[Pricing.PER_HOUR, Pricing.PER_DEED], sensitive=""
    )


@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    organizer: str,
    title: str,
    deed_type_public_id: Any,
    subdistrict_code: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int | None = None,
) -> Activity:
    """Creates an open activity run by one of the actor's organizations or communities
    (`organizer` is an `OrganizerOption.value`)."""
    options = {o.value: o for o in organizer_options(actor)}
    if not options:
        raise PermissionDenied()
    errors: dict[str, list[Any]] = {}
    option = options.get(organizer)
    if option is None:
        errors["organizer"] = [_("Please choose who runs the activity.")]
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Please give the activity a name.")]
    elif problems := text_problems(title, max_chars=TITLE_MAX_CHARS):
        errors["title"] = problems
    community_id = option.community.pk if option and option.community else None
    deed_type = None
    try:
        deed_type = activity_deed_types(community_id).filter(public_id=deed_type_public_id).first()
    except (ValueError, TypeError):
        pass
    if deed_type is None:
        errors["deed_type"] = [_("Please choose a deed type priced per hour or per deed.")]
    if not subdistrict_exists(subdistrict_code) or (option and subdistrict_code not in option.subdistricts()):
        errors["subdistrict_code"] = [_("Please choose a place in the organizer's area.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    elif ends_at - starts_at > timedelta(hours=MAX_ACTIVITY_HOURS):
        errors["ends_at"] = [_("An activity lasts at most 24 hours. Make one activity for each day.")]
    if ends_at < timezone.now():
        errors["ends_at"] = [_("The end cannot be in the past.")]
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = [_("Enter a number of places from 1 to 5,000, or leave it empty.")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert option is not None and deed_type is not None
    activity = Activity.objects.create(
        title=title, deed_type=deed_type, subdistrict_code=subdistrict_code,
        province_code=subdistrict_code[:2], starts_at=starts_at, ends_at=ends_at, capacity=capacity,
        organization=option.organization, community=option.community,
    )  # fmt: skip
    organizer_person = person_or_none(actor)
    if organizer_person is not None:
        activity.organizers.add(organizer_person)
    audit_record(
        actor=actor, event=ActivitiesEvent.CREATE, subject_id=activity.public_id,
        data={"deed_type": deed_type.code, "subdistrict_code": subdistrict_code,
              "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), "capacity": capacity,
              "organizer": organizer},
    )  # fmt: skip
    return activity


def _participant_check(actor: Any) -> None:
    """The rules a participant meets before joining (the same as recording a deed)."""
    if not getattr(actor, "pk", None) or not actor.has_perm("deeds.record_deed"):
        raise PermissionDenied()
    if consent_active(person=actor) is None:
        raise PermissionDenied(_("You have withdrawn your consent to take part."))
    if not contact_confirmed(actor):
        raise ContactUnconfirmed()


def _activity_lock(activity_public_id: Any) -> Activity:
    try:
        locked = rows_lock(Activity.objects.filter(public_id=activity_public_id), of=("self",))
    except (ValueError, TypeError):
        locked = []
    if not locked:
        raise NotFound()
    return locked[0]


def _join(activity: Activity, person: Any) -> Attendance:
    """The person's attendance, made if they have none (refused when the activity is full)."""
    attendance = activity.attendances.filter(person=person).first()
    if attendance is not None:
        return attendance
    if activity.capacity is not None and activity.attendances.count() >= activity.capacity:
        raise ActivityFull()
    return Attendance.objects.create(activity=activity, person=person)


@transaction.atomic
def activity_register(*, actor: Any, activity_public_id: Any) -> Attendance:
    """Registers the actor for an open activity; registering again changes nothing."""
    _participant_check(actor)
    activity = _activity_lock(activity_public_id)
    if activity.status != ActivityStatus.OPEN:
        raise ActivityClosed()
    if timezone.now() > activity.ends_at:
        raise AlreadyEnded()
    attendance = _join(activity, actor)
    if attendance.registered_at is None:
        attendance.registered_at = timezone.now()
        attendance.save(update_fields=["registered_at", "updated_at"])
        audit_record(actor=actor, event=ActivitiesEvent.REGISTER, subject_id=activity.public_id)
    return attendance


class CheckResult(NamedTuple):
    attendance: Attendance
    action: str  # "check_in" or "check_out"
    changed: bool  # False: it was done already (a second press, a re-sent form)


@transaction.atomic
def activity_check(
    *, actor: Any, activity_public_id: Any, code: str, action: str, now: datetime | None = None
) -> CheckResult:
    """Checks the actor in (first) or out (later) with a code scanned from the organizer's screen.
    Idempotent: checking in twice, or out twice, changes nothing the second time."""
    now = now or timezone.now()
    _participant_check(actor)
    activity = _activity_lock(activity_public_id)
    code_check(activity.public_id, code, now)
    return _attendance_check(activity, actor, action, now, actor=actor)


def _open_now(activity: Activity, now: datetime) -> None:
    """Refuses a check-in or check-out of a closed activity, or outside its time (with the grace)."""
    if activity.status != ActivityStatus.OPEN:
        raise ActivityClosed()
    if now < activity.starts_at - check_in_grace():
        raise NotStarted()
    if now > activity.ends_at + check_in_grace():
        raise AlreadyEnded()


ORGANIZER_NOT_CHECKED_IN = _("This person has not checked in yet: check them in first.")


def _attendance_check(
    activity: Activity, person: Any, action: str, now: datetime, *, actor: Any, organizer: bool = False
) -> CheckResult:
    """Checks `person` in or out of the locked `activity`: by themself, or by an organizer."""
    _open_now(activity, now)
    if action == "check_out":
        attendance = activity.attendances.filter(person=person).first()
        if attendance is None or attendance.checked_in_at is None:
            raise NotCheckedIn(ORGANIZER_NOT_CHECKED_IN if organizer else None)
        if attendance.checked_out_at is not None:
            return CheckResult(attendance, action, False)
        attendance.checked_out_at = now
        fields = ["checked_out_at", "updated_at"]
        event = ActivitiesEvent.CHECK_OUT
    else:
        action = "check_in"
        attendance = _join(activity, person)
        if attendance.checked_in_at is not None:
            return CheckResult(attendance, action, False)
        attendance.checked_in_at = now
        fields = ["checked_in_at", "updated_at"]
        event = ActivitiesEvent.CHECK_IN
    data: dict[str, Any] = {"at": now.isoformat()}
    if organizer:  # the organizer's word: who they checked in, by what means
        attendance.source, attendance.recorded_by = AttendanceSource.ORGANIZER, person_or_none(actor)
        fields += ["source", "recorded_by"]
        data.update(person=str(person.public_id), by="organizer")
    attendance.save(update_fields=fields)
    audit_record(actor=actor, event=event, subject_id=activity.public_id, data=data)
    return CheckResult(attendance, action, True)


def participant_refusal(person: Any) -> ParticipantNotEligible | None:
    """Why an organizer may not check `person` in or list them in a file, or None: the rules of
    `_participant_check`, worded for the organizer."""
    if consent_active(person=person) is None:
        return ParticipantNotEligible(_("This person has withdrawn their consent to take part."))
    if not contact_confirmed(person):
        return ParticipantNotEligible(_(
            "This person has not confirmed their phone number or e-mail yet, so their deeds "
            "cannot be credited."
        ))  # fmt: skip
    if not person.is_active:  # a locked account
        return ParticipantNotEligible()
    return None


def person_for_check(text: str) -> Any:
    """The person an organizer names: by their personal code (scanned) or their phone or e-mail."""
    text = (text or "").strip()
    if looks_like_person_code(text):
        person = person_by_public_id(person_code_read(text))
        if person is None:  # a code of someone who is no longer a member
            raise PersonUnknown(_("This personal code names nobody who is a member now."))
        return person
    person = person_by_login(text) if text else None
    if person is None:
        raise PersonUnknown()
    return person


@transaction.atomic
def activity_check_person(
    *, actor: Actor, activity_public_id: Any, person: str, action: str, now: datetime | None = None
) -> CheckResult:
    """An organizer checks a person in (or out): `person` is the personal code they scanned from
    the person's phone or card, or the phone number or e-mail they typed. The same rules as the
    person's own check-in (the activity open, its time, the places; the person consenting, with a
    confirmed phone or e-mail); idempotent alike. Someone who does not run the activity: NotFound."""
    now = now or timezone.now()
    activity = _activity_lock(activity_public_id)
    if not activity_managed_by(actor, activity):
        raise NotFound()
    _open_now(activity, now)
    participant = person_for_check(person)
    refusal = participant_refusal(participant)
    if refusal is not None:
        raise refusal
    return _attendance_check(activity, participant, action, now, actor=actor, organizer=True)


def attendance_hours(activity: Activity, attendance: Attendance, closed_at: datetime) -> Decimal:
    """Check-out − check-in, both held within the activity's start and end (so never more than
    its length). Without a check-out, the time until the end or the close, whichever is first:
    the organizer who closes vouches that the person was there."""
    if attendance.checked_in_at is None:
        return Decimal(0)
    start = max(attendance.checked_in_at, activity.starts_at)
    end = min(attendance.checked_out_at or closed_at, activity.ends_at)
    seconds = max(0.0, (end - start).total_seconds())
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def _attendances_write(attendances: list[Attendance], now: Any) -> None:
    """Writes what the close made of every attendance in one statement, an UPDATE from a list of
    values, as the ledger writes balances (Django's `bulk_update`, a CASE per row and field, took
    as long as crediting the deeds: bench/activity_close.py, docs/scaling.md)."""
    if not attendances:
        return
    table = connection.ops.quote_name(Attendance._meta.db_table)
    # Values as the ORM would send them (SQLite keeps datetimes and decimals as text of its own).
    hours_field, updated_field = Attendance._meta.get_field("hours"), Attendance._meta.get_field("updated_at")
    now = updated_field.get_db_prep_value(now, connection)
    values = [
        v
        for a in attendances
        for v in (
            a.pk,
            hours_field.get_db_prep_value(a.hours, connection),
            a.deed_id,
            a.outcome,
            a.outcome_code,
        )
    ]
    # The SQL is built from the table's own name and %s placeholders only (no value inside it).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS a SET hours = v.hours, deed_id = v.deed, outcome = v.outcome, "  # noqa: S608
                "outcome_code = v.code, updated_at = %s FROM (VALUES "
                + ",".join(["(%s::bigint, %s::numeric, %s::bigint, %s::text, %s::text)"] * len(attendances))
                + ") AS v(id, hours, deed, outcome, code) WHERE a.id = v.id",
                [now, *values],
            )
        else:
            cursor.execute(
                f"UPDATE {table} SET hours = v.column2, deed_id = v.column3, outcome = v.column4, "  # noqa: S608
                "outcome_code = v.column5, updated_at = %s FROM (VALUES "
                + ",".join(["(%s, %s, %s, %s, %s)"] * len(attendances))
                + f") AS v WHERE {table}.id = v.column1",
                [now, *values],
            )


class CloseOutcome(NamedTuple):
    person: Any
    credited: bool
    code: str
    message: str
    hours: Decimal | None
    deed: Any


@transaction.atomic
def activity_close(
    *, actor: Actor, activity_public_id: Any, now: datetime | None = None
) -> list[CloseOutcome]:
    """Closes the activity: every attendance becomes a verified deed decided by the organizer,
    credited in one ledger batch in this one transaction (all or nothing). A participant who fails
    a rule of recording or verifying (consent, confirmed contact, limits, their own deed as the
    organizer) is left out with the reason, and the rest are credited. Closing twice, one after
    the other or at once, credits once: the activity's row is locked and its status checked."""
    now = now or timezone.now()
    activity = _activity_lock(activity_public_id)
    if not activity_managed_by(actor, activity):
        raise NotFound()
    if activity.status != ActivityStatus.OPEN:
        raise ActivityClosed(_("This activity was already closed; its credit was given once."))
    attendances = list(activity.attendances.select_related("person").order_by("person_id"))
    per_deed = activity.deed_type.pricing == Pricing.PER_DEED
    entries, results = [], {}
    for attendance in attendances:
        # The organizer's file, when it names the person, says the hours; else check-in and out.
        declared = attendance.declared_hours
        present = declared is not None or attendance.checked_in_at is not None
        hours = declared if declared is not None else attendance_hours(activity, attendance, now)
        attendance.hours = hours if present else None
        if not present:
            results[attendance.person_id] = ("absent", str(_("Did not check in.")))
        elif not per_deed and hours <= 0:
            results[attendance.person_id] = ("no_hours", str(_("No time within the activity was counted.")))
        else:
            entries.append(VerifiedEntry(
                person=attendance.person, deed_type=activity.deed_type,
                performed_on=timezone.localdate(attendance.checked_in_at or activity.starts_at),
                quantity=Decimal(1) if per_deed else hours, description=activity.title,
            ))  # fmt: skip
    deed_of = {}
    for outcome in deeds_record_verified(actor=actor, entries=entries) if entries else []:
        results[outcome.person_id] = (outcome.code, outcome.message)
        deed_of[outcome.person_id] = outcome.deed
    outcomes = []
    for attendance in attendances:
        code, message = results[attendance.person_id]
        deed = deed_of.get(attendance.person_id)
        attendance.deed = deed
        attendance.outcome = AttendanceOutcome.CREDITED if deed else AttendanceOutcome.SKIPPED
        attendance.outcome_code = code
        attendance.updated_at = now
        outcomes.append(
            CloseOutcome(attendance.person, deed is not None, code, message, attendance.hours, deed)
        )
    _attendances_write(attendances, now)
    credited = sum(1 for o in outcomes if o.credited)
    absent = sum(1 for o in outcomes if o.code == "absent")
    activity.status = ActivityStatus.CLOSED
    activity.closed_at, activity.closed_by = now, person_or_none(actor)
    activity.credited_count, activity.skipped_count = credited, len(outcomes) - credited - absent
    activity.save(
        update_fields=["status", "closed_at", "closed_by", "credited_count", "skipped_count", "updated_at"]
    )
    skipped_codes: dict[str, int] = {}
    for o in outcomes:
        if not o.credited and o.code != "absent":
            skipped_codes[o.code] = skipped_codes.get(o.code, 0) + 1
    audit_record(
        actor=actor, event=ActivitiesEvent.CLOSE, subject_id=activity.public_id,
        data={"credited": credited, "skipped": activity.skipped_count, "absent": absent,
              "skipped_reasons": skipped_codes},
    )  # fmt: skip
    return outcomes
