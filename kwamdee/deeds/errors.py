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


class NoAssistConsent(PermissionDenied):
    code = "no_assist_consent"
    message = _("This person has not given you their consent to record deeds on their behalf.")


class OwnRecording(PermissionDenied):
    code = "own_recording"
    message = _("You recorded this deed on the person's behalf, so another verifier decides it.")


class OwnWitnessing(PermissionDenied):
    code = "own_witnessing"
    message = _("You are a witness of this deed, so another verifier decides it.")


class PersonUnconfirmed(ServiceError):
    code = "person_unconfirmed"
    status = 409
    message = _(
        "This person has not yet proved their phone number or e-mail, so their deeds cannot be verified yet."
    )


class AlreadyApproved(PermissionDenied):
    code = "already_approved"
    message = _(
        "You approved this deed. Its credit is high, so a second verifier must agree before it is credited."
    )


class NotAskedToWitness(ServiceError):
    code = "not_asked_to_witness"
    status = 409
    message = _("You are not waiting to answer as a witness of this deed.")


class CreditAlreadyReversed(ServiceError):
    code = "credit_already_reversed"
    status = 409
    message = _("This deed's credit has already been reversed.")


class NotReversible(ServiceError):
    code = "not_reversible"
    status = 409
    message = _("Only the credit of a verified deed can be reversed.")


class FlagNotOpen(ServiceError):
    code = "flag_not_open"
    status = 409
    message = _("This flag has already been dealt with.")
