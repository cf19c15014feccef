from kwamdee.common.events import EventType


class PrivacyEvent(EventType):
    PERSONAL_DATA_EXPORT = "personal_data:export"
    RETENTION_APPLY = "retention:apply"
    # A person erased their own account; the data names what was erased (counts), never whom.
    PERSON_ERASE = "person:erase"
    # A person asked to correct their data; staff answered it (done or refused). The data names
    # the request and its kind, never what the person or staff wrote.
    DATA_REQUEST_CREATE = "data_request:create"
    DATA_REQUEST_DONE = "data_request:done"
    DATA_REQUEST_REFUSE = "data_request:refuse"
