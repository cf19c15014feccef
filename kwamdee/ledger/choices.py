from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    """Units never mix: each transaction balances per unit."""

    CREDIT = "credit", _("credit")  # lifetime reputation, never spent
    POINTS = "points", _("points")  # spendable
    MINUTES = "minutes", _("minutes")  # time bank
    SATANG = "satang", _("satang")  # baht / 100, goodness-bank loans


class AccountKind(models.TextChoices):
    PERSON_CREDIT = "person_credit", _("person's lifetime credit")
    PERSON_POINTS = "person_points", _("person's spendable points")
    ISSUANCE = "issuance", _("issuance (source of credit and points)")
    SPONSOR_BUDGET = "sponsor_budget", _("sponsor's budget")
    SPONSOR_FUNDING = "sponsor_funding", _("sponsor's pledges (source of budgets)")


class TransactionKind(models.TextChoices):
    DEED_CREDIT = "deed_credit", _("credit for a verified deed")
    REVERSAL = "reversal", _("reversal of a wrongly given credit")
    SPONSORSHIP_FUND = "sponsorship_fund", _("a sponsor's pledged budget")
