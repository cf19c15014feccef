from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    MEMBERSHIP = "membership", _("Joining Kwamdee and recording my good deeds")
    PUBLIC_DISPLAY = "public_display", _("Showing my name in public recognition")


class Role(models.TextChoices):
    """Roles are Django groups of these names; permissions are in people/roles.py."""

    CITIZEN = "citizen", _("Citizen")
    VERIFIER = "verifier", _("Verifier")
    ORGANIZATION_ADMIN = "organization_admin", _("Organization admin")
    COMMUNITY_ADMIN = "community_admin", _("Community admin")
    PARTNER = "partner", _("Partner")
    AUDITOR = "auditor", _("Auditor")
    STAFF = "staff", _("Staff")
    SPONSOR = "sponsor", _("Sponsor")
