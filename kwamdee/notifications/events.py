from kwamdee.common.events import EventType


class NotificationsEvent(EventType):
    PREFERENCES = "notification:preferences"
