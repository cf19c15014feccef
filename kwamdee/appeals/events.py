from kwamdee.common.events import EventType


class AppealsEvent(EventType):
    CREATE = "appeal:create"
    UPHOLD = "appeal:uphold"
    OVERTURN = "appeal:overturn"
