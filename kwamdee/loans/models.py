"""The goodness bank's loans (docs/loans.md): a community's loan fund and what was deposited in
it, its loan products (as data: bands and rates, terms, eligibility from the goodness record, the
default rule), and loans with their approvals, schedule and repayments.

Amounts of money are whole satang (baht × 100), as the ledger holds them (unit `satang`); rates
are `Decimal`. The money itself is in the ledger: these rows say what it was for."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.common.models import BilingualNamed, PublicIdModel
from kwamdee.loans.choices import DefaultRule, DepositSource, LoanState, RepaymentFrequency


class LoanFund(PublicIdModel):
    """A community's goodness bank: the fund it lends from. One per community."""

    community = models.OneToOneField(
        "areas.Community", on_delete=models.PROTECT, related_name="loan_fund", verbose_name=_("community")
    )
    # Pseudonymous holder of the fund's ledger accounts.
    ledger_ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("loan fund")
        verbose_name_plural = _("loan funds")
        permissions = [("keep_loans", _("Can decide on and keep a community's goodness-bank loans"))]

    def __str__(self) -> str:
        return f"loan fund {self.community_id}"


class FundDeposit(PublicIdModel):
    """Money the fund received, from one of its sources, as the committee recorded it."""

    fund = models.ForeignKey(LoanFund, on_delete=models.PROTECT, related_name="deposits")
    source = models.CharField(_("source"), max_length=32, choices=DepositSource.choices)
    amount_satang = models.PositiveBigIntegerField(_("amount (satang)"))
    # The bank's or the welfare fund's reference: one deposit per reference in a fund.
    reference = models.CharField(_("reference"), max_length=64)
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("fund deposit")
        verbose_name_plural = _("fund deposits")
        constraints = [
            models.UniqueConstraint(fields=["fund", "reference"], name="loans_deposit_reference_per_fund")
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}:{self.reference}={self.amount_satang}"


class LoanProduct(BilingualNamed, PublicIdModel):
    """A kind of loan a fund offers, as data: amount bands with their rates (LoanBand), term
    limits, how often it is repaid, who is eligible from their goodness record, when two
    committee members must approve, the points pledged, and what a default does to them."""

    fund = models.ForeignKey(LoanFund, on_delete=models.PROTECT, related_name="products")
    frequency = models.CharField(
        _("repayment frequency"), max_length=16, choices=RepaymentFrequency.choices,
        default=RepaymentFrequency.MONTHLY,
    )  # fmt: skip
    min_instalments = models.PositiveSmallIntegerField(_("fewest instalments"), default=1)
    max_instalments = models.PositiveSmallIntegerField(_("most instalments"), default=24)
    # A loan above this (satang) needs two committee members' approvals; at or below, one.
    two_approvers_above_satang = models.PositiveBigIntegerField(_("two approvers above (satang)"), default=0)
    min_pledge_points = models.PositiveIntegerField(_("points to pledge, at least"), default=0)
    default_rule = models.CharField(
        _("if the loan defaults"), max_length=16, choices=DefaultRule.choices, default=DefaultRule.RELEASE
    )
    # Eligibility from the goodness record (0: no condition).
    min_credit = models.PositiveIntegerField(_("lifetime credit, at least"), default=0)
    min_level = models.PositiveSmallIntegerField(_("level (rank), at least"), default=0)
    min_member_months = models.PositiveSmallIntegerField(_("months of membership, at least"), default=0)
    min_recent_deeds = models.PositiveSmallIntegerField(_("verified deeds in the last 12 months"), default=0)
    no_arrears = models.BooleanField(_("no loan in arrears with this bank"), default=True)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["fund", "name_th"]
        verbose_name = _("loan product")
        verbose_name_plural = _("loan products")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_instalments__gte=1, max_instalments__gte=models.F("min_instalments")),
                name="loans_product_term_limits",
            )
        ]


class LoanBand(models.Model):
    """The part of a loan's balance up to `up_to_satang` (above the band below) bears
    `annual_rate` a year; the highest band's bound is the most the product lends."""

    product = models.ForeignKey(LoanProduct, on_delete=models.CASCADE, related_name="bands")
    up_to_satang = models.PositiveBigIntegerField(_("up to (satang)"))
    annual_rate = models.DecimalField(_("yearly rate"), max_digits=6, decimal_places=4)

    class Meta:
        ordering = ["product", "up_to_satang"]
        verbose_name = _("loan band")
        verbose_name_plural = _("loan bands")
        constraints = [
            models.UniqueConstraint(fields=["product", "up_to_satang"], name="loans_band_bound_per_product"),
            models.CheckConstraint(
                condition=models.Q(annual_rate__gte=0, annual_rate__lt=1), name="loans_band_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"≤{self.up_to_satang}: {self.annual_rate}"


class Loan(PublicIdModel):
    """One person's loan from a fund: applied → approved → disbursed → repaying → closed, or
    declined, or defaulted. Its terms are copied from the product when the person applies (what
    they saw is what binds), and its pledge is held in the ledger until it is closed, declined
    (released) or defaulted (the rule the person saw)."""

    fund = models.ForeignKey(LoanFund, on_delete=models.PROTECT, related_name="loans")
    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="loans")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loans")
    state = models.CharField(_("state"), max_length=16, choices=LoanState.choices, default=LoanState.APPLIED)
    principal_satang = models.PositiveBigIntegerField(_("amount (satang)"))
    instalments = models.PositiveSmallIntegerField(_("instalments"))
    frequency = models.CharField(_("repayment frequency"), max_length=16, choices=RepaymentFrequency.choices)
    approvals_needed = models.PositiveSmallIntegerField(default=1)
    default_rule = models.CharField(_("if the loan defaults"), max_length=16, choices=DefaultRule.choices)
    pledge_points = models.PositiveIntegerField(_("points pledged"), default=0)
    # What the money is for, in the person's words, for the committee (erasure blanks it).
    purpose = models.CharField(_("what the loan is for"), max_length=300, blank=True)
    # The points pledged, per virtue sub-account: what a release gives back, exactly.
    pledge_split = models.JSONField(default=dict, blank=True)
    # Where the pledge was posted: the person's pseudonymous reference and chain.
    holder_ref = models.UUIDField()
    ledger_chain = models.CharField(max_length=80)
    # Pseudonymous holder of the loan's receivable account.
    ledger_ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    idempotency_key = models.CharField(max_length=80)
    approved_at = models.DateTimeField(null=True, blank=True)
    disbursed_on = models.DateField(_("paid out on"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints = [
            models.UniqueConstraint(fields=["person", "idempotency_key"], name="loans_loan_key_per_person")
        ]
        indexes = [models.Index(fields=["fund", "state"], name="loans_loan_fund_state")]

    def __str__(self) -> str:
        return f"loan {self.public_id} {self.state}"


class LoanApproval(models.Model):
    """One committee member's approval of a loan (two distinct ones above the product's threshold)."""

    created_at = models.DateTimeField(auto_now_add=True)
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="approvals")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["loan", "created_at", "id"]
        verbose_name = _("loan approval")
        verbose_name_plural = _("loan approvals")
        constraints = [
            models.UniqueConstraint(fields=["loan", "approver"], name="loans_one_approval_per_approver")
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} approved by {self.approver_id}"


class ScheduledInstalment(models.Model):
    """One row of a disbursed loan's schedule (loans/schedule.py), and how much of it is paid."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="schedule")
    number = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due on"))
    principal_satang = models.PositiveBigIntegerField(_("principal (satang)"))
    interest_satang = models.PositiveBigIntegerField(_("interest (satang)"))
    principal_paid = models.PositiveBigIntegerField(default=0)
    interest_paid = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["loan", "number"]
        verbose_name = _("scheduled instalment")
        verbose_name_plural = _("scheduled instalments")
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="loans_instalment_number"),
            models.CheckConstraint(
                condition=models.Q(principal_paid__lte=models.F("principal_satang"))
                & models.Q(interest_paid__lte=models.F("interest_satang")),
                name="loans_instalment_not_overpaid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id}#{self.number}"

    @property
    def owed(self) -> int:
        return self.principal_satang + self.interest_satang - self.principal_paid - self.interest_paid


class Repayment(PublicIdModel):
    """Money a person paid back, as the committee's treasurer recorded it: interest due first,
    then principal, instalment by instalment in order."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    amount_satang = models.PositiveBigIntegerField(_("amount (satang)"))
    principal_satang = models.PositiveBigIntegerField(_("principal (satang)"))
    interest_satang = models.PositiveBigIntegerField(_("interest (satang)"))
    paid_on = models.DateField(_("paid on"))
    # The receipt's or bank statement's reference: one repayment per reference on a loan.
    reference = models.CharField(_("reference"), max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["loan", "paid_on", "id"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        constraints = [
            models.UniqueConstraint(fields=["loan", "reference"], name="loans_repayment_reference_per_loan")
        ]

    def __str__(self) -> str:
        return f"{self.loan_id}:{self.reference}={self.amount_satang}"
