from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ServiceError, ValidationFailed


class ListingInvalid(ValidationFailed):
    code = "time_listing_invalid"
    message = _("The offer or request is not valid.")


class ExchangeInvalid(ValidationFailed):
    code = "time_exchange_invalid"
    message = _("The exchange is not valid.")


class CategoryInvalid(ValidationFailed):
    code = "time_category_invalid"
    message = _("The category's deed type is not valid.")


class LimitInvalid(ValidationFailed):
    code = "time_limit_invalid"
    message = _("The limit is not valid.")


class DonationInvalid(ValidationFailed):
    code = "time_donation_invalid"
    message = _("The donation is not valid.")


class ExchangeRefused(ServiceError):
    """Why an exchange cannot change now: nothing moved, nothing changed."""

    code = "time_exchange_refused"
    status = 409
    message = _("This exchange cannot be changed now.")


class ExchangeDecided(ExchangeRefused):
    code = "time_exchange_decided"
    message = _("This exchange was already confirmed, declined or withdrawn.")


class BeyondLimit(ExchangeRefused):
    code = "time_beyond_limit"
    message = _(
        "This would take the receiver's time balance below the limit their community set. "
        "Nothing moved; the community's pool may cover it."
    )


class PoolShort(ExchangeRefused):
    code = "time_pool_short"
    message = _("The community's pool does not hold enough time for this. Nothing moved.")


class NotEnoughTime(ServiceError):
    code = "time_not_enough"
    status = 409
    message = _("You can give away only time you have earned. Nothing moved.")
