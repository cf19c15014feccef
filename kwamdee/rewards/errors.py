from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ServiceError, ValidationFailed


class SponsorshipInvalid(ValidationFailed):
    code = "sponsorship_invalid"
    message = _("The pledge is not valid.")


class FundingInvalid(ValidationFailed):
    code = "funding_invalid"
    message = _("The funding record is not valid.")


class PartnerInvalid(ValidationFailed):
    code = "partner_invalid"
    message = _("The partner's details are not valid.")


class PrivilegeInvalid(ValidationFailed):
    code = "privilege_invalid"
    message = _("The privilege's details are not valid.")


class LevelsInvalid(ValidationFailed):
    code = "levels_invalid"
    message = _("The levels are not valid.")


class RedemptionRefused(ServiceError):
    """Why a person cannot redeem now: nothing was held, nothing changed."""

    code = "redemption_refused"
    status = 409
    message = _("This privilege cannot be redeemed now.")


class OutOfStock(RedemptionRefused):
    code = "out_of_stock"
    message = _("Sorry, this privilege has just run out. Your points were not used.")


class NotEnoughPoints(RedemptionRefused):
    code = "not_enough_points"
    message = _("You do not have enough points for this privilege. Your points were not used.")


class LevelTooLow(RedemptionRefused):
    code = "level_too_low"
    message = _("This privilege opens at a higher level. Keep doing good: your level grows with your credit.")


class LimitReached(RedemptionRefused):
    code = "limit_reached"
    message = _("You have redeemed this privilege as many times as it allows for now.")


class NotOffered(RedemptionRefused):
    code = "not_offered"
    message = _("This privilege is not offered to you now (its dates, its area, or it was withdrawn).")


class IdentityConsentNeeded(RedemptionRefused):
    code = "identity_consent_needed"
    status = 400
    message = _("This partner needs to know your name. Tick the box to agree, or choose another privilege.")


class CodeRefused(ServiceError):
    """A counter's refusal of a code, in words the counter can say to the person."""

    code = "code_refused"
    status = 409
    message = _("This code cannot be used.")


class CodeUnknown(CodeRefused):
    code = "code_unknown"
    status = 404
    message = _("No code like this is waiting at your counter. Check the letters and try again.")


class CodeUsed(CodeRefused):
    code = "code_used"
    message = _("This code was already used.")


class CodeExpired(CodeRefused):
    code = "code_expired"
    message = _("This code has expired; its points went back to the person. They can redeem again.")


class CodeCancelled(CodeRefused):
    code = "code_cancelled"
    message = _("The person cancelled this code; its points went back to them.")
