"""Audit event types. Each app lists its own in `<app>/events.py` as a subclass of `EventType`;
a test checks that no value is used twice in the whole project."""

from enum import StrEnum


class EventType(StrEnum):
    """Base of every app's event enum. Values read `subject:action`."""


class CommonEvent(EventType):
    ROLE_GRANT = "role:grant"
