"""Writing audit events. Call inside the service's transaction, once per state change."""

from django.db import transaction

from kwamdee.common.actors import Actor, is_system, person_or_none
from kwamdee.common.events import EventType
from kwamdee.common.models import AuditEvent


def audit_record(
    *, actor: Actor, event: EventType, subject_id: object = "", data: dict | None = None
) -> AuditEvent:
    """Records `event` (`subject:action`) by `actor`: a person, or the system under its name."""
    if not isinstance(event, EventType):
        raise TypeError("event must be a member of an app's EventType enum (its events.py)")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    system = is_system(actor)
    person = person_or_none(actor)
    if not system and getattr(person, "pk", None) is None:
        raise ValueError("audit_record needs a saved person or a SystemActor")
    return AuditEvent.objects.create(
        actor=person,
        system_actor=getattr(actor, "name", "") if system else "",
        event_type=str(event),
        subject_id=str(subject_id),
        data=data or {},
    )
