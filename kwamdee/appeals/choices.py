from django.db import models
from django.utils.translation import gettext_lazy as _


class AppealStatus(models.TextChoices):
    OPEN = "open", _("waiting for a decision")
    UPHELD = "upheld", _("rejection upheld")
    OVERTURNED = "overturned", _("overturned: the deed is verified")


class AppealOutcome(models.TextChoices):
    UPHOLD = "uphold", _("Keep the rejection")
    OVERTURN = "overturn", _("Overturn it: verify and credit the deed")
