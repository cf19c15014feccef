"""Subscribers to audit events: what the layers above learn of a decision without the deciding
code calling them (notifications listen here).

`audit_records` hands the events it has just written to the subscribers of their event type,
inside the same transaction: what a subscriber writes commits or rolls back with the decision,
so a rolled-back decision tells nobody. A subscriber does its outside work (e-mail, SMS) after
commit, through `common.effects.enqueue_after_commit`.

Subscribers name event types by their string (`"appeal:uphold"`), so an app listens to a
sibling's events without importing it, and a subscription starts working the day the event is
first written. A subscriber runs in a savepoint: if it fails, its own writes are undone and
logged, and the decision stands (a notification is never worth refusing a verification).

A savepoint costs two statements around the subscriber's own. A subscriber whose only statement
is one INSERT of rows it built in Python from what the deciding code handed over (the events and
the changed objects in hand, `audit_records(subjects=…)`) may subscribe with `savepoint=False`:
an error it raises in Python is still caught, logged, and the decision stands; on PostgreSQL a
database error in that INSERT (a schema bug, which tests catch) fails the decision, rolled back
whole (nothing is half-written). Such a
subscriber opens its own savepoint when it must read (notifications do, for an appeal's deed)."""

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from kwamdee.common.models import AuditEvent

logger = logging.getLogger(__name__)

Subscriber = Callable[[list["AuditEvent"]], None]

_SUBSCRIBERS: dict[str, list[Subscriber]] = {}
_WITHOUT_SAVEPOINT: set[Subscriber] = set()  # subscribed with savepoint=False (above)


def event_subscribe(*event_types: str, savepoint: bool = True) -> Callable[[Subscriber], Subscriber]:
    """Registers `function(events)` for each of `event_types` (strings `subject:action`). It gets
    the events of one `audit_records` call: one for a single decision, many for a bulk one.
    `savepoint=False`: see the module's docstring (one INSERT, built in Python)."""

    def register(function: Subscriber) -> Subscriber:
        for event_type in event_types:
            subscribers = _SUBSCRIBERS.setdefault(str(event_type), [])
            if function not in subscribers:
                subscribers.append(function)
        if not savepoint:
            _WITHOUT_SAVEPOINT.add(function)
        return function

    return register


def event_subscribers(event_type: str) -> list[Subscriber]:
    return list(_SUBSCRIBERS.get(str(event_type), []))


def events_announce(events: Sequence["AuditEvent"]) -> None:
    """Hands freshly written events (all of one type) to their subscribers."""
    if not events:
        return
    for subscriber in event_subscribers(events[0].event_type):
        try:
            if subscriber in _WITHOUT_SAVEPOINT:
                subscriber(list(events))
            else:
                with transaction.atomic():
                    subscriber(list(events))
        except Exception:
            logger.exception("subscriber %s failed on %s", subscriber.__qualname__, events[0].event_type)
