from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government agency")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    BUSINESS = "business", _("Business")
    SCHOOL = "school", _("School or university")
    RELIGIOUS = "religious", _("Religious body")
    MEDIA = "media", _("Media")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    COMMUNITY = "community", _("Community organization")


class MembershipRole(models.TextChoices):
    VERIFIER = "verifier", _("Verifier")
    ADMIN = "admin", _("Organization admin")
