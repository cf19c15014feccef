"""Test helper: a state change writes exactly one audit event of its type."""

from kwamdee.common.events import EventType
from kwamdee.common.models import AuditEvent


def assert_one_audit(event: EventType, **where: object) -> AuditEvent:
    """The one audit event of `event` (narrowed by `where`, such as subject_id=...); fails if
    there is none or more than one."""
    found = list(AuditEvent.objects.filter(event_type=str(event), **where))
    assert len(found) == 1, f"expected one {event} audit event, found {len(found)}"
    return found[0]
