from django.db import models
from django.utils.translation import gettext_lazy as _


class SponsorKind(models.TextChoices):
    BUSINESS = "business", _("Business (CSR)")
    AGENCY = "agency", _("Government agency")
    FOUNDATION = "foundation", _("Foundation")
    OTHER = "other", _("Other")
