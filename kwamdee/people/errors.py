from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ServiceError, ValidationFailed


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
