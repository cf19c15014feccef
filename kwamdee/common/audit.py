"""Writing audit events. Call inside the service's transaction, once per state change."""

from collections.abc import Sequence

from django.db import transaction

from kwamdee.common.actors import Actor, is_system, person_or_none
from kwamdee.common.event_hooks import events_announce
from kwamdee.common.events import EventType
from kwamdee.common.models import AuditEvent


def audit_record(
    *,
    actor: Actor,
    event: EventType,
    subject_id: object = "",
    data: dict | None = None,
    subject: object | None = None,
) -> AuditEvent:
    """Records `event` (`subject:action`) by `actor`: a person, or the system under its name.
    `subject`: the changed object in hand, for subscribers (see `audit_records`)."""
    subjects = None if subject is None else [subject]
    return audit_records(actor=actor, event=event, changes=[(subject_id, data)], subjects=subjects)[0]


def audit_records(
    *,
    actor: Actor,
    event: EventType,
    changes: Sequence[tuple[object, dict | None]],
    subjects: Sequence[object] | None = None,
) -> list[AuditEvent]:
    """One event per state change, for many changes made at once (a bulk verification): one
    INSERT for all. `changes` are (subject id, data) pairs. `subjects`, in the same order, are the
    changed objects in hand: each event carries its own as `subject_in_hand` (in memory, never
    stored), so that subscribers need not read again what the deciding code already holds."""
    if not isinstance(event, EventType):
        raise TypeError("event must be a member of an app's EventType enum (its events.py)")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    system = is_system(actor)
    person = person_or_none(actor)
    if not system and getattr(person, "pk", None) is None:
        raise ValueError("audit_record needs a saved person or a SystemActor")
    events = [
        AuditEvent(
            actor=person,
            system_actor=getattr(actor, "name", "") if system else "",
            event_type=str(event),
            subject_id=str(subject_id),
            data=data or {},
        )
        for subject_id, data in changes
    ]
    if subjects is not None:
        if len(subjects) != len(events):
            raise ValueError("subjects must match changes, one each")
        for audit_event, subject in zip(events, subjects, strict=True):
            audit_event.subject_in_hand = subject  # type: ignore[attr-defined]
    if len(events) == 1:
        events[0].save()
    else:
        events = AuditEvent.objects.bulk_create(events)
    events_announce(events)  # subscribers (notifications), in this transaction: common/event_hooks.py
    return events
