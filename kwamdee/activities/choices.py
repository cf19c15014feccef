from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActivityStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("activity status", "open")
    CLOSED = "closed", pgettext_lazy("activity status", "closed")


class AttendanceOutcome(models.TextChoices):
    """What closing the activity made of one attendance."""

    NONE = "", _("not yet")
    CREDITED = "credited", _("credited")
    SKIPPED = "skipped", _("not credited")


class AttendanceSource(models.TextChoices):
    """Who recorded that the person was there."""

    SELF = "self", _("the person scanned the activity's code")
    ORGANIZER = "organizer", _("the organizer scanned the person's code or typed their phone")
    UPLOAD = "upload", _("the organizer's attendance file")
