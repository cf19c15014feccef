"""Rewards: sponsors and their pledges (sponsorships), and the bonuses they pay.

Privileges, partners and redemptions come here next (the goodness bank's spending side)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.common.models import BilingualNamed, PublicIdModel
from kwamdee.rewards.choices import SponsorKind


class Sponsor(BilingualNamed, PublicIdModel):
    """A business, agency or foundation that supports catalog items (CSR)."""

    kind = models.CharField(_("kind"), max_length=32, choices=SponsorKind.choices)
    # Pseudonymous holder of the sponsor's ledger accounts.
    ledger_ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sponsors", verbose_name=_("members")
    )

    class Meta:
        db_table = "catalog_sponsor"  # moved from the catalog app; the table kept its name
        ordering = ["name_th"]
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")
        permissions = [("pledge_sponsorship", _("Can pledge sponsorships for a sponsor"))]


class Sponsorship(PublicIdModel):
    """A sponsor's pledge: bonus points per verified deed of one deed type, up to a budget."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="sponsorships")
    deed_type = models.ForeignKey("catalog.DeedType", on_delete=models.PROTECT, related_name="sponsorships")
    # Empty: every community; set: only deeds recorded in that community.
    community = models.ForeignKey(
        "areas.Community", null=True, blank=True, on_delete=models.PROTECT,
        related_name="sponsorships", verbose_name=_("community"),
    )  # fmt: skip
    bonus_points = models.PositiveIntegerField(_("bonus points per verified deed"))
    budget_points = models.PositiveIntegerField(_("budget (points)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # The ledger account (points) that holds what is left of the budget.
    budget_account = models.OneToOneField(
        "ledger.Account", on_delete=models.PROTECT, related_name="sponsorship"
    )

    class Meta:
        db_table = "catalog_sponsorship"
        ordering = ["-starts_on", "-id"]
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")

    def __str__(self) -> str:
        return f"{self.sponsor} → {self.deed_type.code}"


class SponsorshipFunding(PublicIdModel):
    """Funding a sponsor paid for a pledge, as national staff recorded it on receipt: only this
    moves points into the pledge's budget (a pledge alone is a promise, and pays no bonus)."""

    sponsorship = models.ForeignKey(Sponsorship, on_delete=models.PROTECT, related_name="fundings")
    # The sponsor again, so that one payment reference is used once per sponsor (a constraint).
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="fundings")
    points = models.PositiveIntegerField(_("points funded"))
    reference = models.CharField(_("payment reference"), max_length=64)
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sponsor", "reference"], name="uniq_funding_reference_per_sponsor"
            )
        ]
        verbose_name = _("sponsorship funding")
        verbose_name_plural = _("sponsorship fundings")
        permissions = [("record_funding", _("Can record the funding sponsors paid"))]

    def __str__(self) -> str:
        return f"{self.sponsorship_id}:{self.reference}={self.points}"


class SponsorshipPayment(models.Model):
    """One bonus paid from a sponsorship for one verified deed (the base of sponsor reports)."""

    created_at = models.DateTimeField(auto_now_add=True)
    sponsorship = models.ForeignKey(Sponsorship, on_delete=models.PROTECT, related_name="payments")
    deed = models.ForeignKey("deeds.Deed", on_delete=models.PROTECT, related_name="bonuses")
    points = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("sponsorship payment")
        verbose_name_plural = _("sponsorship payments")
        db_table = "catalog_sponsorshippayment"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["sponsorship", "deed"], name="uniq_bonus_per_deed")]

    def __str__(self) -> str:
        return f"{self.sponsorship_id}:{self.deed_id}={self.points}"
