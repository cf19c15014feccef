"""What notifications listen to: the audit events of decisions about a deed (common/event_hooks.py).
Deciding code never calls notifications; writing its audit event is enough."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kwamdee.common.event_hooks import event_subscribe
from kwamdee.notifications.services import KIND_BY_EVENT, notifications_from_events

if TYPE_CHECKING:
    from kwamdee.common.models import AuditEvent


@event_subscribe(*KIND_BY_EVENT)
def decisions_notify(events: Sequence["AuditEvent"]) -> None:
    notifications_from_events(events)
