from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import PermissionDenied, ServiceError

# A deed outside the caller's reach (another area, the committee's, a person who withdrew consent)
# is common.errors.NotFound for deciding as for reading: no refusal here says that it exists.


class DeedAlreadyDecided(ServiceError):
    code = "deed_already_decided"
    status = 409
    message = _("This deed has already been decided.")


class OwnDeed(PermissionDenied):
    code = "own_deed"
    message = _("You cannot verify your own deed.")


class NoRuleInForce(ServiceError):
    code = "no_rule_in_force"
    status = 409
    message = _("No point rule of this deed type was in force on the deed's date.")


class LimitReached(ServiceError):
    code = "limit_reached"
    status = 409
    message = _("You have reached the limit for this deed type.")


class NotAwaitingAnswer(ServiceError):
    code = "not_awaiting_answer"
    status = 409
    message = _("This deed is not waiting for your answer.")


class NotAppealable(ServiceError):
    code = "not_appealable"
    status = 409
    message = _("Only a rejected deed can be decided on appeal.")


class OwnRejection(PermissionDenied):
    code = "own_rejection"
    message = _("You rejected this deed, so another verifier decides the appeal.")
