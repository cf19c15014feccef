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
