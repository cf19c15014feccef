"""What notifications listen to: the audit events of decisions about a deed (common/event_hooks.py).
Deciding code never calls notifications; writing its audit event is enough."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kwamdee.common.event_hooks import event_subscribe
from kwamdee.notifications.services import (
    KIND_BY_EVENT,
    notifications_from_events,
    notifications_from_recordings,
)

if TYPE_CHECKING:
    from kwamdee.common.models import AuditEvent


@event_subscribe(*KIND_BY_EVENT, savepoint=False)  # its own savepoint when it reads (services.py)
def decisions_notify(events: Sequence["AuditEvent"]) -> None:
    notifications_from_events(events)


@event_subscribe("deed:record", "deed:witness_add")
def recordings_notify(events: Sequence["AuditEvent"]) -> None:
    """Witnesses asked to answer; a person whose helper recorded for them."""
    notifications_from_recordings(
        [e for e in events if (e.data or {}).get("witnesses") or (e.data or {}).get("on_behalf_of")]
    )
