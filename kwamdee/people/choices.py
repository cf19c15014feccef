from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    MEMBERSHIP = "membership", _("Joining Kwamdee and recording my good deeds")
    PUBLIC_DISPLAY = "public_display", _("Showing my name in public recognition")
