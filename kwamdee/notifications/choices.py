from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification tells a person; its words are in `texts.py`."""

    DEED_VERIFIED = "deed_verified", _("Deed verified")
    DEED_REJECTED = "deed_rejected", _("Deed not verified")
    DEED_QUESTIONED = "deed_questioned", _("More information asked")
    APPEAL_UPHELD = "appeal_upheld", _("Appeal decided: the decision stands")
    APPEAL_OVERTURNED = "appeal_overturned", _("Appeal decided: the decision was changed")
    DEED_CREDIT_REVERSED = "deed_credit_reversed", _("Credit reversed")
    MEMBERSHIP_APPROVED = "membership_approved", _("Request to join a community approved")
    MEMBERSHIP_DECLINED = "membership_declined", _("Request to join a community not approved")
    WITNESS_ASKED = "witness_asked", _("Asked to confirm a deed as a witness")
    DEED_RECORDED_FOR_YOU = "deed_recorded_for_you", _("A helper recorded a deed for you")
    REDEMPTION_CONFIRMED = "redemption_confirmed", _("Privilege received at the counter")
    REDEMPTION_EXPIRED = "redemption_expired", _("Privilege code expired, points returned")
    PARTNER_APPROVED = "partner_approved", _("Partner approved")
    PARTNER_DECLINED = "partner_declined", _("Partner not approved")


class Channel(models.TextChoices):
    """Where a notification goes besides the in-app list (people/messaging.py's channels)."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
