from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ServiceError


class AlreadyErased(ServiceError):
    code = "already_erased"
    status = 409
    message = _("This account has already been erased.")
