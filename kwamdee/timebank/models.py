"""The time bank (ธนาคารเวลา): categories of services, members' offers and requests, exchanges of
time between two members of a community, and donations of time to the community's pool.

Minutes live in the ledger (unit `minutes`, timebank/ledger.py), never here: these rows say what
happened and who agreed; the ledger says how much each member holds."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.models import BilingualNamed, PublicIdModel, TimeStampedModel
from kwamdee.timebank.choices import ExchangeState, ListingKind, ListingState

DEFAULT_NEGATIVE_LIMIT_MINUTES = -600


class ServiceCategory(BilingualNamed, TimeStampedModel):
    """A kind of service members give each other (care for elders, rides, repairs…): data, seeded
    by a migration and extended by staff."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    # Time given in this category also counts as this deed type (จิตอาสา), priced per hour: the
    # giver is credited once per confirmed exchange, through deeds' own recording (its limits).
    deed_type = models.ForeignKey(
        "catalog.DeedType", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("counts as the deed type"),
    )  # fmt: skip
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")


class TimeBankSetting(TimeStampedModel):
    """A community's rules for its time bank. No row: the defaults."""

    community = models.OneToOneField(
        "areas.Community", on_delete=models.PROTECT, related_name="timebank_setting",
        verbose_name=_("community"),
    )  # fmt: skip
    # How far below zero a member's time balance may go (mutual credit): 0 or less, in minutes.
    negative_limit_minutes = models.IntegerField(
        _("lowest balance (minutes)"), default=DEFAULT_NEGATIVE_LIMIT_MINUTES
    )

    class Meta:
        ordering = ["community_id"]
        verbose_name = _("time bank setting")
        verbose_name_plural = _("time bank settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(negative_limit_minutes__lte=0), name="timebank_limit_not_positive"
            )
        ]
        permissions = [("manage_timebank", _("Can run a community's time bank (limit, pool)"))]

    def __str__(self) -> str:
        return f"{self.community_id}:{self.negative_limit_minutes}"


class Listing(PublicIdModel):
    """A member's offer of a service or request for one, in their community."""

    kind = models.CharField(_("kind"), max_length=16, choices=ListingKind.choices)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_listings",
        verbose_name=_("member"),
    )  # fmt: skip
    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="time_listings", verbose_name=_("community")
    )
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="listings", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ListingState.choices, default=ListingState.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("time bank listing")
        verbose_name_plural = _("time bank listings")
        indexes = [models.Index(fields=["community", "state", "-created_at"], name="timebank_listing_open")]

    def __str__(self) -> str:
        return self.title


class Exchange(PublicIdModel):
    """Time one member gave another, proposed by either side and confirmed by the other: then the
    minutes move from the receiver (or the community's pool, when the committee covers it) to the
    giver, once."""

    community = models.ForeignKey(
        "areas.Community",
        on_delete=models.PROTECT,
        related_name="time_exchanges",
        verbose_name=_("community"),
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_given", verbose_name=_("giver")
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_received",
        verbose_name=_("receiver"),
    )  # fmt: skip
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="exchanges", verbose_name=_("category")
    )
    listing = models.ForeignKey(
        Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="exchanges",
        verbose_name=_("listing"),
    )  # fmt: skip
    minutes = models.PositiveIntegerField(_("minutes"))
    performed_on = models.DateField(_("given on"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ExchangeState.choices, default=ExchangeState.PROPOSED
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The committee's decision that the community's pool pays this exchange for the receiver.
    pool_covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("pool cover decided by"),
    )  # fmt: skip
    paid_by_pool = models.BooleanField(_("paid by the community's pool"), default=False)
    # The deed that credited the giver's time (its category counting as a deed type), once.
    deed = models.OneToOneField(
        "deeds.Deed", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("deed credited"),
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("time exchange")
        verbose_name_plural = _("time exchanges")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("receiver")), name="timebank_two_sides"
            ),
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="timebank_minutes_positive"),
        ]
        indexes = [
            models.Index(fields=["community", "state", "confirmed_at"], name="timebank_exchange_report")
        ]
        permissions = [
            ("exchange_time", _("Can offer, ask for and exchange time in their community")),
            ("view_national_timebank_reports", _("Can see time bank reports of every province")),
        ]

    def __str__(self) -> str:
        return f"{self.giver_id}→{self.receiver_id}:{self.minutes}"


class PoolDonation(PublicIdModel):
    """Minutes a member gave to their community's pool (from what they had earned)."""

    community = models.ForeignKey(
        "areas.Community",
        on_delete=models.PROTECT,
        related_name="time_donations",
        verbose_name=_("community"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_donations",
        verbose_name=_("member"),
    )  # fmt: skip
    minutes = models.PositiveIntegerField(_("minutes"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("donation of time")
        verbose_name_plural = _("donations of time")
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="timebank_donation_positive")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}→pool:{self.minutes}"
