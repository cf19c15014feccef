from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import FileRowsInvalid, ServiceError

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


# --- the organizer checking a person in by their personal code or phone ---------------------------


class PersonCodeInvalid(ServiceError):
    code = "person_code_invalid"
    status = 400
    message = _(
        "This personal code cannot be read. Ask the person to open their code again, or type their "
        "phone number."
    )


class PersonCodeExpired(ServiceError):
    code = "person_code_expired"
    status = 400
    message = _("This personal code is too old. Ask the person to open their code page again.")


class PersonUnknown(ServiceError):
    code = "person_unknown"
    status = 400
    message = _("No member signs in with this phone number or e-mail.")


class ParticipantNotEligible(ServiceError):
    """The person may not take part yet: said to the organizer, with the reason."""

    code = "participant_not_eligible"
    status = 409
    message = _("This person cannot take part in activities yet.")


# --- the organizer's attendance file --------------------------------------------------------------


class AttendanceFileInvalid(FileRowsInvalid):
    """Carries every error of the file as (row, column, message); nothing was written."""

    code = "attendance_file_invalid"
    message = _("The file has errors; nothing was saved.")


class AttendanceFileTooLarge(AttendanceFileInvalid):
    """The file is past a limit (its size or its rows): refused before it was read through."""

    code = "attendance_file_too_large"
    status = 413
    message = _("The file is too large; nothing was saved.")
