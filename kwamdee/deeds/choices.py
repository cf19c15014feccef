from django.db import models
from django.utils.translation import gettext_lazy as _


class DeedStatus(models.TextChoices):
    """pending → verified | rejected | needs_info; needs_info → pending once the person answers;
    rejected → verified only when an appeal overturns the rejection (appeals app)."""

    PENDING = "pending", _("pending")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")
    NEEDS_INFO = "needs_info", _("waiting for your answer")


class RejectionReason(models.TextChoices):
    """Why a verifier rejected a deed, chosen from a list (with free text beside it). Deeds
    rejected before the list existed have none (an empty code)."""

    NOT_ENOUGH_EVIDENCE = "not_enough_evidence", _("Not enough evidence")
    OUTSIDE_RULES = "outside_rules", _("Outside the rules of this deed type")
    DATE_OR_QUANTITY = "date_or_quantity", _("The date or the amount is wrong")
    DUPLICATE = "duplicate", _("Already recorded (a duplicate)")
    NOT_THIS_CATALOG = "not_this_catalog", _("Not a deed of this catalog")
    OTHER = "other", _("Other reason")
