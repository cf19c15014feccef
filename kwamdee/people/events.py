from kwamdee.common.events import EventType


class PeopleEvent(EventType):
    SIGNUP = "person:signup"
    CONSENT_GIVE = "consent:give"
    CONSENT_WITHDRAW = "consent:withdraw"
    API_TOKEN_ISSUE = "api_token:issue"
    API_TOKEN_REVOKE = "api_token:revoke"
