"""Rewards: sponsors and their pledges (sponsorships) and the bonuses they pay; levels reached by
lifetime credit; partners, the privileges they offer, and redemptions (the spending side)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.common.models import BilingualNamed, PublicIdModel, TimeStampedModel
from kwamdee.rewards.choices import (
    AreaKind,
    LimitPeriod,
    PartnerKind,
    PartnerState,
    PrivilegeState,
    RedemptionState,
    SponsorKind,
)


class Sponsor(BilingualNamed, PublicIdModel):
    """A business, agency or foundation that supports catalog items (CSR)."""

    kind = models.CharField(_("kind"), max_length=32, choices=SponsorKind.choices)
    # Pseudonymous holder of the sponsor's ledger accounts.
    ledger_ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sponsors", verbose_name=_("members")
    )
    # The registered organization this sponsor is (its CSR shows on the organization's page and
    # report); set by national staff, empty for a sponsor that is not a registered organization.
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="sponsors", verbose_name=_("organization"),
    )  # fmt: skip

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


class Level(PublicIdModel):
    """A level reached by lifetime credit (ต้นกล้า → ต้นไม้ → ร่มไม้ใหญ่). National when `community` is
    empty; a community that sets its own levels replaces the whole national set for its members.
    Privileges name a level by its `rank`, so that they mean the same step under either set."""

    community = models.ForeignKey(
        "areas.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="levels",
        verbose_name=_("community"),
    )  # fmt: skip
    rank = models.PositiveSmallIntegerField(_("rank"))
    name_th = models.CharField(_("name (Thai)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    min_credit = models.PositiveIntegerField(_("lifetime credit needed"))
    # What reaching the level opens, in plain words (the privileges add to it by their own rank).
    opens_th = models.CharField(_("what it opens (Thai)"), max_length=300, blank=True)
    opens_en = models.CharField(_("what it opens (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["community_id", "rank"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(
                fields=["rank"],
                condition=models.Q(community__isnull=True),
                name="rewards_level_national_rank",
            ),
            models.UniqueConstraint(
                fields=["community", "rank"],
                condition=models.Q(community__isnull=False),
                name="rewards_level_community_rank",
            ),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="rewards_level_rank_from_1"),
        ]
        permissions = [("manage_levels", _("Can set the national levels"))]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name_th}"

    @property
    def name(self) -> str:
        from kwamdee.common.i18n import pick

        return pick(self.name_th, self.name_en)

    @property
    def opens(self) -> str:
        from kwamdee.common.i18n import pick

        return pick(self.opens_th, self.opens_en)


class Partner(BilingualNamed, PublicIdModel):
    """A shop, clinic, hospital, agency, cooperative or goodness bank that offers privileges.
    Registered by a person (who becomes its first counter staff), approved by national staff or
    by the committee of its community."""

    kind = models.CharField(_("kind"), max_length=32, choices=PartnerKind.choices)
    subdistrict_code = models.CharField(_("subdistrict"), max_length=6)
    district_code = models.CharField(_("district"), max_length=4, db_index=True)
    province_code = models.CharField(_("province"), max_length=2, db_index=True)
    # Set: the community whose committee approves it (and whose members it serves first).
    community = models.ForeignKey(
        "areas.Community", null=True, blank=True, on_delete=models.PROTECT, related_name="partners",
        verbose_name=_("community"),
    )  # fmt: skip
    address = models.CharField(_("address"), max_length=300, blank=True)
    # The business's own contact, shown to people who redeem (not a staff member's).
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=PartnerState.choices, default=PartnerState.PENDING
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    # The people who serve its counter (they confirm codes and see its reports).
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="partners", verbose_name=_("counter staff")
    )
    # Pseudonymous holder of the partner's ledger account (the points it received).
    ledger_ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["name_th", "id"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [models.Index(fields=["state", "province_code"], name="rewards_partner_state_prov")]
        permissions = [
            ("approve_partners", _("Can approve partners anywhere")),
            ("offer_national_privileges", _("Can offer privileges in the whole country")),
            ("view_reward_reports", _("Can see reports of privileges by area")),
        ]


class PartnerToken(TimeStampedModel):
    """A bearer token for a partner's own system (its till) to confirm codes by API: it acts for
    the partner, not for a person. Only its SHA-256 is stored."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("partner token")
        verbose_name_plural = _("partner tokens")

    def __str__(self) -> str:
        return f"{self.partner_id}:{self.label}"


class Privilege(PublicIdModel):
    """What a partner offers for points and/or a level: stock, limits, dates, areas."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="privileges")
    title_th = models.CharField(_("title (Thai)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_th = models.TextField(_("description (Thai)"), max_length=2000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=2000, blank=True)
    # A cleaned copy (metadata dropped) of the photo the partner sent, in the default storage.
    photo = models.CharField(_("photo"), max_length=200, blank=True)
    cost_points = models.PositiveIntegerField(_("cost in points"), default=0)
    # A level's rank (0: none needed), read in the person's own set of levels.
    min_level = models.PositiveSmallIntegerField(_("minimum level"), default=0)
    # Empty: unlimited. `stock_left` falls when a code is given and rises when it is returned.
    stock = models.PositiveIntegerField(_("stock"), null=True, blank=True)
    stock_left = models.PositiveIntegerField(null=True, blank=True)
    per_person_limit = models.PositiveSmallIntegerField(_("limit per person"), null=True, blank=True)
    per_person_period = models.CharField(
        _("limit period"), max_length=8, choices=LimitPeriod.choices, default=LimitPeriod.EVER
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    # How long a code waits at the counter before its points go back.
    code_minutes = models.PositiveIntegerField(_("code valid for (minutes)"), default=60)
    # Whether the partner must know who the person is (a health check at a hospital): the person
    # then agrees to share their name with the partner, or does not redeem.
    shares_identity = models.BooleanField(_("the partner needs the person's name"), default=False)
    state = models.CharField(
        _("state"), max_length=16, choices=PrivilegeState.choices, default=PrivilegeState.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cost_points", "title_th", "id"]
        verbose_name = _("privilege")
        verbose_name_plural = _("privileges")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stock__isnull=True, stock_left__isnull=True)
                | models.Q(stock__isnull=False, stock_left__isnull=False, stock_left__lte=models.F("stock")),
                name="rewards_privilege_stock_left_within_stock",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="rewards_privilege_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title_th

    @property
    def title(self) -> str:
        from kwamdee.common.i18n import pick

        return pick(self.title_th, self.title_en)

    @property
    def description(self) -> str:
        from kwamdee.common.i18n import pick

        return pick(self.description_th, self.description_en)


class PrivilegeArea(models.Model):
    """One area where a privilege is offered: a community, a district, a province, or the country."""

    privilege = models.ForeignKey(Privilege, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(max_length=16, choices=AreaKind.choices)
    # A community's public id, a district's or a province's DOPA code; empty for the country.
    code = models.CharField(max_length=36, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("privilege area")
        verbose_name_plural = _("privilege areas")
        constraints = [
            models.UniqueConstraint(fields=["privilege", "kind", "code"], name="rewards_privilege_area_once")
        ]
        indexes = [models.Index(fields=["kind", "code"], name="rewards_privilege_area_lookup")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


class Redemption(PublicIdModel):
    """A person's redemption of a privilege: the points and one item of stock are held and a
    one-time code is given; the partner's counter confirms it (the points are spent), or it
    expires or is cancelled (they go back). Each step is a ledger transaction and an audit event."""

    privilege = models.ForeignKey(Privilege, on_delete=models.PROTECT, related_name="redemptions")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="redemptions")
    # Emptied when the person is erased: the partner's counts and the ledger stay whole.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="redemptions"
    )
    # The person's community when redeeming (reports by area), kept after erasure.
    community = models.ForeignKey(
        "areas.Community", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    code = models.CharField(_("code"), max_length=12, unique=True)
    points = models.PositiveIntegerField(_("points"))
    # The points held, per virtue sub-account: what a release gives back, exactly.
    split = models.JSONField(default=dict, blank=True)
    # Where the hold was posted: the person's ledger reference (pseudonymous) and chain, so that
    # the confirmation and the release land beside it whatever changes about the person.
    holder_ref = models.UUIDField()
    ledger_chain = models.CharField(max_length=80)
    state = models.CharField(
        _("state"), max_length=16, choices=RedemptionState.choices, default=RedemptionState.HELD
    )
    expires_at = models.DateTimeField(_("code valid until"))
    # The person agreed to show their name to this partner (only asked when the privilege needs it).
    identity_shared = models.BooleanField(default=False)
    idempotency_key = models.CharField(max_length=80)
    decided_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "counter" (a staff member's page or token-less API call) or the partner token's label.
    confirmed_via = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "idempotency_key"], name="rewards_redemption_key_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["person", "privilege", "created_at"], name="rewards_redemption_limit"),
            models.Index(fields=["partner", "state", "created_at"], name="rewards_redemption_partner"),
            models.Index(fields=["state", "expires_at"], name="rewards_redemption_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.state}"
