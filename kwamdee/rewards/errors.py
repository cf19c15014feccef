from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ValidationFailed


class SponsorshipInvalid(ValidationFailed):
    code = "sponsorship_invalid"
    message = _("The pledge is not valid.")


class FundingInvalid(ValidationFailed):
    code = "funding_invalid"
    message = _("The funding record is not valid.")
