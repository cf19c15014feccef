from kwamdee.common.events import EventType


class DeedsEvent(EventType):
    RECORD = "deed:record"
    VERIFY = "deed:verify"
    REJECT = "deed:reject"
    ASK = "deed:ask"
    ANSWER = "deed:answer"
