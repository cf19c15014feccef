from django.db import models
from django.utils.translation import gettext_lazy as _


class Pricing(models.TextChoices):
    PER_DEED = "per_deed", _("per deed")
    PER_HOUR = "per_hour", _("per hour")
    PER_UNIT = "per_unit", _("per unit")


class Evidence(models.TextChoices):
    NONE = "none", _("none")
    PHOTO = "photo", _("photo")
    DOCUMENT = "document", _("document")
    WITNESSES = "witnesses", _("witnesses")
    ATTENDANCE = "attendance", _("organizer attendance")


class VerifierKind(models.TextChoices):
    ORGANIZATION = "organization", _("an organization's verifier")
    COMMITTEE = "committee", _("the community committee")
    WITNESSES = "witnesses", _("witnesses")


class Sensitive(models.TextChoices):
    """A deed type whose record says something PDPA §26 calls sensitive about the person."""

    NONE = "", _("not sensitive")
    HEALTH = "health", _("health")
    RELIGION = "religion", _("religion or belief")
