from kwamdee.common.events import EventType


class DeedsEvent(EventType):
    RECORD = "deed:record"
    VERIFY = "deed:verify"
    REJECT = "deed:reject"
    ASK = "deed:ask"
    ANSWER = "deed:answer"
    WITNESS_ANSWER = "deed:witness_answer"
    WITNESS_ADD = "deed:witness_add"
    FIRST_APPROVAL = "deed:first_approval"
    ASSIST_CONSENT_GIVE = "deed:assist_consent_give"
    ASSIST_CONSENT_REVOKE = "deed:assist_consent_revoke"
    # The fairness review (deeds/reversal.py): an auditor reverses a credit, or dismisses a flag.
    REVERSE = "deed:reverse"
    FLAG_DISMISS = "deed_flag:dismiss"
