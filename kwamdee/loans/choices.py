from django.db import models
from django.utils.translation import gettext_lazy as _


class DepositSource(models.TextChoices):
    """Where the money a community's loan fund holds came from."""

    WELFARE_FUND = "welfare_fund", _("Community welfare fund")
    COOPERATIVE_BANK = "cooperative_bank", _("Cooperative or bank credit line")
    DONATION = "donation", _("Donation")
    OTHER = "other", _("Other")


class RepaymentFrequency(models.TextChoices):
    """How often a loan is repaid; the number of periods in a year is `PERIODS_PER_YEAR`."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Every three months")


# Months between two instalments, and instalments in a year.
FREQUENCY_MONTHS: dict[str, int] = {RepaymentFrequency.MONTHLY: 1, RepaymentFrequency.QUARTERLY: 3}
PERIODS_PER_YEAR: dict[str, int] = {RepaymentFrequency.MONTHLY: 12, RepaymentFrequency.QUARTERLY: 4}


class DefaultRule(models.TextChoices):
    """What happens to the pledged points when a loan defaults: the community's rule, chosen in
    the product and shown to the person before they apply."""

    RELEASE = "release", _("The pledged points go back to the person")
    TRANSFER = "transfer", _("The pledged points go to the community's fund")


class LoanState(models.TextChoices):
    APPLIED = "applied", _("Waiting for the committee")
    APPROVED = "approved", _("Approved")
    DISBURSED = "disbursed", _("Paid out")
    REPAYING = "repaying", _("Being repaid")
    CLOSED = "closed", _("Repaid and closed")
    DECLINED = "declined", _("Not approved")
    DEFAULTED = "defaulted", _("Defaulted")


# A loan in these states holds its pledge; in the others the pledge was released or transferred.
PLEDGE_HELD_STATES = (LoanState.APPLIED, LoanState.APPROVED, LoanState.DISBURSED, LoanState.REPAYING)
# A loan in these states owes the fund.
OUTSTANDING_STATES = (LoanState.DISBURSED, LoanState.REPAYING)
