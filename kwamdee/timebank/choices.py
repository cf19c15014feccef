from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingKind(models.TextChoices):
    OFFER = "offer", _("I offer")
    REQUEST = "request", _("I need")


class ListingState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ExchangeState(models.TextChoices):
    """proposed → confirmed (minutes moved) | declined (by the other side) | withdrawn (by the
    side that proposed it). Only a proposed exchange changes."""

    PROPOSED = "proposed", _("Waiting for the other side")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
