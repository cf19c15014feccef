from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification tells a person; its words are in `texts.py`."""

    DEED_VERIFIED = "deed_verified", _("Deed verified")
    DEED_REJECTED = "deed_rejected", _("Deed not verified")
    DEED_QUESTIONED = "deed_questioned", _("More information asked")
    APPEAL_UPHELD = "appeal_upheld", _("Appeal decided: the decision stands")
    APPEAL_OVERTURNED = "appeal_overturned", _("Appeal decided: the decision was changed")
    DEED_CREDIT_REVERSED = "deed_credit_reversed", _("Credit reversed")
    MEMBERSHIP_APPROVED = "membership_approved", _("Request to join a community approved")
    MEMBERSHIP_DECLINED = "membership_declined", _("Request to join a community not approved")
    WITNESS_ASKED = "witness_asked", _("Asked to confirm a deed as a witness")
    DEED_RECORDED_FOR_YOU = "deed_recorded_for_you", _("A helper recorded a deed for you")
    REDEMPTION_CONFIRMED = "redemption_confirmed", _("Privilege received at the counter")
    REDEMPTION_EXPIRED = "redemption_expired", _("Privilege code expired, points returned")
    PARTNER_APPROVED = "partner_approved", _("Partner approved")
    PARTNER_DECLINED = "partner_declined", _("Partner not approved")
    LOAN_APPROVED = "loan_approved", _("Loan approved")
    LOAN_DECLINED = "loan_declined", _("Loan not approved")
    LOAN_DISBURSED = "loan_disbursed", _("Loan paid out")
    LOAN_REPAYMENT_RECORDED = "loan_repayment_recorded", _("Loan repayment recorded")
    LOAN_CLOSED = "loan_closed", _("Loan repaid and closed")
    LOAN_DEFAULTED = "loan_defaulted", _("Loan closed without full repayment")
    TIME_EXCHANGE_PROPOSED = "time_exchange_proposed", _("Time-bank exchange to confirm")
    TIME_EXCHANGE_CONFIRMED = "time_exchange_confirmed", _("Time-bank exchange confirmed")
    TIME_EXCHANGE_DECLINED = "time_exchange_declined", _("Time-bank exchange declined")
    ORGANIZATION_INVITED = "organization_invited", _("Invited to act for an organization")
    ORGANIZATION_APPROVED = "organization_approved", _("Organization approved")
    ORGANIZATION_DECLINED = "organization_declined", _("Organization not approved")
    ORGANIZATION_QUESTIONED = "organization_questioned", _("Staff ask about an organization")
    ASSESSMENT_SCORED = "assessment_scored", _("Self-assessment scored")
    CERTIFICATE_REMINDER = "certificate_reminder", _("Certificate to renew soon")
    CERTIFICATE_EXPIRED = "certificate_expired", _("Certificate expired")


class Channel(models.TextChoices):
    """Where a notification goes besides the in-app list (people/messaging.py's channels)."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
