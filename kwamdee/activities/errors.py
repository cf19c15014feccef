from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ServiceError

# An activity outside the caller's reach is common.errors.NotFound, for reading and acting alike.


class CodeInvalid(ServiceError):
    code = "code_invalid"
    status = 400
    message = _("This code cannot be read. Please scan the code on the organizer's screen again.")


class CodeOtherActivity(ServiceError):
    code = "code_other_activity"
    status = 400
    message = _("This code belongs to another activity. Please scan the code of this activity.")


class CodeExpired(ServiceError):
    code = "code_expired"
    status = 400
    message = _("This code has expired. Please scan the new code on the organizer's screen.")


class NotStarted(ServiceError):
    code = "activity_not_started"
    status = 409
    message = _("The activity has not started yet. Check in is open from 15 minutes before it starts.")


class AlreadyEnded(ServiceError):
    code = "activity_ended"
    status = 409
    message = _("The activity has ended, so it is too late to check in or out.")


class ActivityClosed(ServiceError):
    code = "activity_closed"
    status = 409
    message = _("The activity is closed.")


class ActivityFull(ServiceError):
    code = "activity_full"
    status = 409
    message = _("The activity is full.")


class NotCheckedIn(ServiceError):
    code = "not_checked_in"
    status = 409
    message = _("Please check in first.")
