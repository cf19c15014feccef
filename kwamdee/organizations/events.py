from kwamdee.common.events import EventType


class OrganizationsEvent(EventType):
    ORGANIZATION_CREATE = "organization:create"
    MEMBERSHIP_GRANT = "membership:grant"
