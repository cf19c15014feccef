from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    """The codes of the default organization types (migration 0004 writes them as
    `OrganizationType` rows, which staff may add to): the names shown are the rows' own."""

    GOVERNMENT = "government", _("Government agency")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    BUSINESS = "business", _("Business")
    SCHOOL = "school", _("School or university")
    RELIGIOUS = "religious", _("Religious body")
    MEDIA = "media", _("Media")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    COMMUNITY = "community", _("Community organization")
    HOSPITAL = "hospital", _("Hospital")


class OrganizationState(models.TextChoices):
    """Where an organization's registration stands: staff approve it, decline it, or ask the
    registrant for more, who answers (back to pending)."""

    PENDING = "pending", _("Waiting for staff")
    MORE_INFO_ASKED = "more_info_asked", _("More information asked")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Not approved")


class MembershipRole(models.TextChoices):
    VERIFIER = "verifier", _("Verifier")
    ADMIN = "admin", _("Organization admin")
    ACTIVITY_ORGANIZER = "activity_organizer", _("Activity organizer")
    ASSESSOR = "assessor", _("Assessor of the organization's self-assessment")


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class LinkRelation(models.TextChoices):
    """How a person says they belong to an organization when they link themself to it."""

    MEMBER = "member", _("Member")
    EMPLOYEE = "employee", _("Employee or staff")
