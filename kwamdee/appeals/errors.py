from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ServiceError

# An appeal or a deed outside the caller's reach is common.errors.NotFound, as for reading it.


class AlreadyAppealed(ServiceError):
    code = "already_appealed"
    status = 409
    message = _("You have already appealed this decision. An appeal can be made once.")


class NotRejected(ServiceError):
    code = "not_rejected"
    status = 409
    message = _("Only a rejected deed can be appealed.")


class AppealWindowClosed(ServiceError):
    code = "appeal_window_closed"
    status = 409
    message = _("The time to appeal this decision has passed.")


class AppealAlreadyDecided(ServiceError):
    code = "appeal_already_decided"
    status = 409
    message = _("This appeal has already been decided. The decision is final.")
