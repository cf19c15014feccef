from typing import Any

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

    def __init__(self, message: Any = None, *, account_ids: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.account_ids = account_ids or []


class AlreadyReversed(ServiceError):
    code = "already_reversed"
    status = 409
    message = _("This entry has already been reversed.")
