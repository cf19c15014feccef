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
