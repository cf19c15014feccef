from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    MEMBERSHIP = "membership", _("Joining Kwamdee and recording my good deeds")
    PUBLIC_DISPLAY = "public_display", _("Showing my name in public recognition")
    PARTNER_SHARING = "partner_sharing", _("Sharing with partners who give privileges")
    LOAN_ELIGIBILITY = "loan_eligibility", _("The goodness bank's committee reading my record for a loan")
    RESEARCH = "research", _("Research and statistics beyond the public figures")
    ORGANIZATION_FIGURES = (
        "organization_figures",
        _("Counting my good deeds in the totals of organizations I link myself to"),
    )


class MessageChannel(models.TextChoices):
    """How a one-time code reaches a person (people/messaging.py)."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class CodePurpose(models.TextChoices):
    """What a one-time code proves (people/codes.py): one kind of code, one rule, for each."""

    PASSWORD_RESET = "password_reset", _("Setting a new password")
    CONTACT_CONFIRM = "contact_confirm", _("Confirming a phone number or e-mail address")


class MembershipState(models.TextChoices):
    """Where a person's request to belong to a community stands (people/membership.py)."""

    PENDING = "pending", _("Waiting for the committee")
    APPROVED = "approved", _("Member")
    DECLINED = "declined", _("Not approved")
