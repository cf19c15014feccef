from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import PermissionDenied, ServiceError, ValidationFailed


class ConsentRequired(ValidationFailed):
    code = "consent_required"
    message = _("You must give your consent to join.")


class AlreadyRegistered(ServiceError):
    code = "already_registered"
    status = 409
    message = _("This person is already registered.")


class InvalidCredentials(ServiceError):
    code = "invalid_credentials"
    status = 401
    message = _("The sign-in or the password is not correct.")


class TooManyAttempts(ServiceError):
    code = "too_many_attempts"
    status = 429
    message = _("Too many failed sign-ins. Please wait 15 minutes and try again.")


class WrongPassword(ValidationFailed):
    code = "wrong_password"
    message = _("Your current password is not correct.")


class ContactTaken(ValidationFailed):
    """A phone number or e-mail address another account uses: said without naming whose."""

    code = "contact_taken"
    message = _(
        "This phone number or e-mail address cannot be used for your account. If it is yours, ask "
        "a verifier or a village volunteer for help."
    )


class ResetCodeInvalid(ValidationFailed):
    """One answer for a wrong, expired, used-up or never-sent code: it tells nobody whether an
    account exists."""

    code = "reset_code_invalid"
    message = _("This code is not correct or no longer works. Check it, or ask for a new code.")


class ResetExpired(ServiceError):
    code = "reset_expired"
    status = 400
    message = _("The time to set a new password has run out. Please ask for a new code.")


class ChannelNotAvailable(ValidationFailed):
    code = "channel_unavailable"
    message = _(
        "We cannot send codes by SMS yet. Enter your e-mail address if you gave one, or ask a "
        "verifier or a village volunteer for help."
    )


class RateLimited(ServiceError):
    code = "rate_limited"
    status = 429
    message = _("Too many requests. Please wait an hour and try again.")


class ContactUnconfirmed(PermissionDenied):
    """The person has not yet proved their phone or e-mail by the code sent to it: they may look
    around, but record nothing (people.selectors.contact_confirmed)."""

    code = "contact_unconfirmed"
    message = _(
        "Please confirm your phone number or e-mail address first: enter the code of 6 digits we "
        "sent you. Then you can record your good deeds."
    )


class ContactCodeInvalid(ValidationFailed):
    """One answer for a wrong, expired, used-up or never-sent code, and for a sign-up whose phone
    or e-mail already had an account: it tells nobody which."""

    code = "contact_code_invalid"
    message = _("This code is not correct or no longer works. Check it, or ask for a new code.")


# A sign-up's field problem (ValidationFailed): joining needs a code, and only a phone was given
# where SMS cannot be sent yet.
SIGNUP_NEEDS_A_REACHABLE_CONTACT = _(
    "We cannot send codes by SMS yet, and joining needs a code. Please also give an e-mail "
    "address, or ask a verifier or a village volunteer for help."
)


# Two-step sign-in (people/two_factor.py). A wrong or missing code is 401 on the API, as a wrong
# password is; the web shows the message on the code field.
class TwoFactorCodeInvalid(ServiceError):
    """One answer for a wrong, used or expired code, from the app or a recovery code."""

    code = "two_factor_code_invalid"
    status = 401
    message = _("This code is not correct. Type the 6 digits your app shows now, or a recovery code.")


class TwoFactorCodeRequired(ServiceError):
    code = "two_factor_code_required"
    status = 401
    message = _(
        "This account uses two-step sign-in: send the 6-digit code from the authenticator app (or a "
        "recovery code) as “code”."
    )


class TwoFactorSetupRequired(ServiceError):
    code = "two_factor_setup_required"
    status = 403
    message = _(
        "Your role needs two-step sign-in. Set it up on the Kwamdee website first (My account), then "
        "sign in here again."
    )


class TwoFactorTooManyCodes(ServiceError):
    code = "two_factor_too_many_codes"
    status = 429
    message = _("Too many codes were tried. Please wait 15 minutes and try again.")


class TwoFactorAlreadyOn(ServiceError):
    code = "two_factor_already_on"
    status = 409
    message = _("Two-step sign-in is already on for your account.")


class TwoFactorNotOn(ServiceError):
    code = "two_factor_not_on"
    status = 409
    message = _("Two-step sign-in is not on for your account.")


class TwoFactorRequiredForRole(ServiceError):
    code = "two_factor_required"
    status = 403
    message = _("Your role needs two-step sign-in, so it cannot be turned off.")


# Membership of a community (people/membership.py).
class MembershipNotWaiting(ServiceError):
    """The request was decided already, or the person has since moved and asked elsewhere."""

    code = "membership_not_waiting"
    status = 409
    message = _("This request to join is no longer waiting: it was decided, or the person moved.")


class OwnMembershipRequest(PermissionDenied):
    code = "own_membership_request"
    message = _("Another member of the committee decides your own request to join.")
