from kwamdee.common.events import EventType


class AssessmentsEvent(EventType):
    TEMPLATE_IMPORT = "assessment_template:import"
    START = "assessment:start"
    ANSWER = "assessment:answer"
    SUBMIT = "assessment:submit"
    # The assessor's scores, the result and the level; a certificate, when a level was reached,
    # has its own event.
    SCORE = "assessment:score"
    CERTIFICATE_ISSUE = "certificate:issue"
    CERTIFICATE_REMIND = "certificate:remind"
    CERTIFICATE_EXPIRE = "certificate:expire"
