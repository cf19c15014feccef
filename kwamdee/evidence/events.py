from kwamdee.common.events import EventType


class EvidenceEvent(EventType):
    ATTACH = "evidence:attach"
