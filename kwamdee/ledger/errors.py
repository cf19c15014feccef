from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ServiceError


class Unbalanced(ServiceError):
    code = "ledger_unbalanced"
    status = 500
    message = _("A ledger transaction must balance in every unit.")


class InsufficientBalance(ServiceError):
    code = "insufficient_balance"
    status = 409
    message = _("There are not enough points for this.")


class AlreadyReversed(ServiceError):
    code = "already_reversed"
    status = 409
    message = _("This entry has already been reversed.")
