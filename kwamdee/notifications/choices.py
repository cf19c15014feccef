from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification tells a person; its words are in `texts.py`."""

    DEED_VERIFIED = "deed_verified", _("Deed verified")
    DEED_REJECTED = "deed_rejected", _("Deed not verified")
    DEED_QUESTIONED = "deed_questioned", _("More information asked")
    APPEAL_UPHELD = "appeal_upheld", _("Appeal decided: the decision stands")
    APPEAL_OVERTURNED = "appeal_overturned", _("Appeal decided: the decision was changed")


class Channel(models.TextChoices):
    """Where a notification goes besides the in-app list (people/messaging.py's channels)."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
