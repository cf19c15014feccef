from kwamdee.common.events import EventType


class ActivitiesEvent(EventType):
    CREATE = "activity:create"
    REGISTER = "activity:register"
    CHECK_IN = "activity:check_in"
    CHECK_OUT = "activity:check_out"
    CLOSE = "activity:close"
    ATTENDANCE_UPLOAD = "activity:attendance_upload"
