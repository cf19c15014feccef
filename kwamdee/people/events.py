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
    NATIONAL_ID_CONFIRM = "person:national_id_confirm"
    SIGN_OUT_EVERYWHERE = "person:sign_out_everywhere"
    CONTACT_CODE_SEND = "person:contact_code_send"
    CONTACT_CONFIRM = "person:contact_confirm"
    SIGNUP_KNOWN_CONTACT = "person:signup_known_contact"
    # Two-step sign-in (people/two_factor.py); a code typed right is not an event, as a sign-in is not.
    TWO_FACTOR_SETUP_START = "two_factor:setup_start"
    TWO_FACTOR_ENABLE = "two_factor:enable"
    TWO_FACTOR_RECOVERY_CODE_USE = "two_factor:recovery_code_use"
    TWO_FACTOR_RECOVERY_CODES_REGENERATE = "two_factor:recovery_codes_regenerate"
    TWO_FACTOR_DISABLE = "two_factor:disable"
    # Membership of a community, decided by its committee (people/membership.py); the request
    # itself is named by the event of the sign-up or profile change that made it.
    COMMUNITY_MEMBERSHIP_APPROVE = "community_membership:approve"
    COMMUNITY_MEMBERSHIP_DECLINE = "community_membership:decline"
