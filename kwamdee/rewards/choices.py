from django.db import models
from django.utils.translation import gettext_lazy as _


class SponsorKind(models.TextChoices):
    BUSINESS = "business", _("Business (CSR)")
    AGENCY = "agency", _("Government agency")
    FOUNDATION = "foundation", _("Foundation")
    OTHER = "other", _("Other")


class PartnerKind(models.TextChoices):
    SHOP = "shop", _("Shop")
    CLINIC = "clinic", _("Clinic")
    HOSPITAL = "hospital", _("Hospital")
    AGENCY = "agency", _("Government agency")
    COOPERATIVE = "cooperative", _("Cooperative")
    GOODNESS_BANK = "goodness_bank", _("Goodness bank")
    OTHER = "other", _("Other")


class PartnerState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class AreaKind(models.TextChoices):
    """Where a privilege is offered, from nearest to widest."""

    COMMUNITY = "community", _("Community")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("Whole country")


class LimitPeriod(models.TextChoices):
    DAY = "day", _("per day")
    MONTH = "month", _("per month")
    EVER = "ever", _("ever")


class PrivilegeState(models.TextChoices):
    ACTIVE = "active", _("Offered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RedemptionState(models.TextChoices):
    HELD = "held", _("Waiting at the counter")
    CONFIRMED = "confirmed", _("Received")
    EXPIRED = "expired", _("Expired, points returned")
    CANCELLED = "cancelled", _("Cancelled, points returned")
