from django.db import models
from django.utils.translation import gettext_lazy as _


class DeedStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")
