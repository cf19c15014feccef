from kwamdee.common.events import EventType


class OrganizationsEvent(EventType):
    TYPES_LOAD = "organization_type:load"
    ORGANIZATION_CREATE = "organization:create"
    ORGANIZATION_REGISTER = "organization:register"
    ORGANIZATION_APPROVE = "organization:approve"
    ORGANIZATION_DECLINE = "organization:decline"
    ORGANIZATION_ASK = "organization:ask"
    ORGANIZATION_ANSWER = "organization:answer"
    ORGANIZATION_DOCUMENT_ATTACH = "organization:document_attach"
    MEMBERSHIP_GRANT = "membership:grant"
    INVITATION_CREATE = "organization_invitation:create"
    INVITATION_ACCEPT = "organization_invitation:accept"
    INVITATION_DECLINE = "organization_invitation:decline"
    LINK_CREATE = "organization_link:create"
    LINK_END = "organization_link:end"
