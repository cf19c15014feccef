from kwamdee.common.events import EventType


class PrivacyEvent(EventType):
    PERSONAL_DATA_EXPORT = "personal_data:export"
