from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ServiceError


class AlreadyErased(ServiceError):
    code = "already_erased"
    status = 409
    message = _("This account has already been erased.")


class TooManyOpenRequests(ServiceError):
    code = "too_many_open_requests"
    status = 409
    message = _(
        "You already have %(n)s requests waiting for an answer. Staff will answer them first; "
        "then you can ask again."
    )


class RequestAlreadyAnswered(ServiceError):
    code = "request_already_answered"
    status = 409
    message = _("This request has already been answered.")
