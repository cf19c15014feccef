from kwamdee.common.events import EventType


class PrivacyEvent(EventType):
    PERSONAL_DATA_EXPORT = "personal_data:export"
    RETENTION_APPLY = "retention:apply"
    # A person erased their own account; the data names what was erased (counts), never whom.
    PERSON_ERASE = "person:erase"
