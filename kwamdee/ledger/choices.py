from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    """Units never mix: each transaction balances per unit."""

    CREDIT = "credit", _("credit")  # lifetime reputation, never spent
    POINTS = "points", _("points")  # spendable
    MINUTES = "minutes", _("minutes")  # time bank
    SATANG = "satang", _("satang")  # baht / 100, goodness-bank loans


# The one transaction kind the ledger itself writes: the exact opposite of an earlier one.
# Every other kind (and every account kind) is named by the domain that posts it.
REVERSAL = "reversal"
