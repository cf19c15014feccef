from kwamdee.common.events import EventType


class PeopleEvent(EventType):
    SIGNUP = "person:signup"
    CONSENT_GIVE = "consent:give"
    CONSENT_WITHDRAW = "consent:withdraw"
    API_TOKEN_ISSUE = "api_token:issue"
    API_TOKEN_REVOKE = "api_token:revoke"
    PASSWORD_CHANGE = "person:password_change"
    PROFILE_UPDATE = "person:profile_update"
    PASSWORD_RESET_REQUEST = "password_reset:request"
    PASSWORD_RESET_DONE = "password_reset:done"
