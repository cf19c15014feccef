"""The goodness catalog: virtues, SDGs, categories, deed types, indicators and rule versions."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kwamdee.catalog.choices import Evidence, Pricing, Sensitive, VerifierKind
from kwamdee.catalog.validation import MAX_COUNT, local_quantity_max, validate_color
from kwamdee.common.i18n import format_date, pick
from kwamdee.common.models import BilingualNamed, PublicIdModel, TimeStampedModel


class Virtue(BilingualNamed, TimeStampedModel):
    """A national core virtue (พอเพียง, วินัย, สุจริต, จิตอาสา, กตัญญู). Data, not code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("virtue")
        verbose_name_plural = _("virtues")


class Sdg(BilingualNamed, TimeStampedModel):
    """One of the 17 UN Sustainable Development Goals."""

    number = models.PositiveSmallIntegerField(
        _("goal"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    # Exactly #rrggbb (validate_color): the colour reaches a `style` attribute of the pages.
    color = models.CharField(_("colour"), max_length=7, validators=[validate_color])

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG")
        verbose_name_plural = _("SDGs")


class Category(BilingualNamed, TimeStampedModel):
    """A group of deed types (หมวด)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class DeedType(BilingualNamed, PublicIdModel):
    """A kind of good deed a person can record, how it is measured, evidenced and verified.

    Points and limits live in RuleVersion so that a change never reprices past deeds."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="deed_types",
    )  # fmt: skip
    # Set for a community's own local deed type; empty for the national catalog.
    community = models.ForeignKey(
        "areas.Community", verbose_name=_("community"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="local_deed_types",
    )  # fmt: skip
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    pricing = models.CharField(_("priced"), max_length=16, choices=Pricing.choices)
    unit_name_th = models.CharField(_("unit (Thai)"), max_length=40, blank=True)
    unit_name_en = models.CharField(_("unit (English)"), max_length=40, blank=True)
    evidence = models.CharField(
        _("evidence required"), max_length=16, choices=Evidence.choices, default=Evidence.NONE
    )
    witnesses_required = models.PositiveSmallIntegerField(_("witnesses required"), default=0)
    verifier_kind = models.CharField(
        _("verified by"), max_length=16, choices=VerifierKind.choices,
        default=VerifierKind.ORGANIZATION,
    )  # fmt: skip
    virtues: models.ManyToManyField = models.ManyToManyField(
        Virtue, through="DeedTypeVirtue", related_name="deed_types"
    )
    sdgs = models.ManyToManyField(Sdg, blank=True, related_name="deed_types")
    sdg_targets = models.JSONField(_("SDG targets"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # A community's new local deed type waits for a second approver (RuleProposal) before
    # anyone can see or record it.
    proposed = models.BooleanField(_("waiting for a second approval"), default=False)
    # Recording one says something sensitive (PDPA §26): the person agrees to that, each time.
    sensitive = models.CharField(
        _("sensitive data"), max_length=16, choices=Sensitive.choices, blank=True, default=""
    )
    # How far (in %) a community may move this deed type's points up or down.
    adjust_bound_pct = models.PositiveSmallIntegerField(
        _("community adjustment bound (%)"), default=50,
        validators=[MaxValueValidator(100)],
    )  # fmt: skip

    class Meta:
        ordering = ["category__sort_order", "code"]
        verbose_name = _("deed type")
        verbose_name_plural = _("deed types")
        permissions = [
            ("manage_catalog", _("Can manage the national catalog")),
            ("adapt_catalog", _("Can adapt the catalog for a community")),
        ]

    @property
    def description(self) -> str:
        return pick(self.description_th, self.description_en)

    @property
    def unit_name(self) -> str:
        return pick(self.unit_name_th, self.unit_name_en)

    @property
    def quantity_max(self) -> Decimal:
        """The most hours or units one deed may count under the catalog: a community's own deed
        type within the national bounds (settings.KWAMDEE_LOCAL_BOUNDS), else MAX_COUNT."""
        if self.community_id is None:
            return Decimal(MAX_COUNT)
        return local_quantity_max(self.pricing)

    @property
    def per_unit_label(self) -> str:
        """What one lot of credit is for, in words: "per hour", "per deed", "per tree"."""
        if self.pricing == Pricing.PER_HOUR:
            return str(_("per hour"))
        if self.pricing == Pricing.PER_UNIT and self.unit_name:
            return _("per %(unit)s") % {"unit": self.unit_name}
        if self.pricing == Pricing.PER_UNIT:
            return str(_("per unit"))
        return str(_("each time"))


class DeedTypeVirtue(models.Model):
    """How much of a deed's credit goes to one virtue; a deed type's weights sum to 1."""

    deed_type = models.ForeignKey(DeedType, on_delete=models.CASCADE, related_name="virtue_weights")
    virtue = models.ForeignKey(Virtue, on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=3)

    class Meta:
        ordering = ["deed_type_id", "-weight", "virtue__sort_order"]
        constraints = [models.UniqueConstraint(fields=["deed_type", "virtue"], name="uniq_deedtype_virtue")]

    def __str__(self) -> str:
        return f"{self.virtue.code}={self.weight}"


class Indicator(BilingualNamed, TimeStampedModel):
    """A measurable indicator of a deed type (ตัวชี้วัด)."""

    deed_type = models.ForeignKey(DeedType, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["deed_type_id", "sort_order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")


class RuleTerms(models.Model):
    """What a point rule says: from when, how much per deed/hour/unit, the limits, and how the
    credit splits across virtues. A rule version holds them; so does a proposal of one."""

    effective_from = models.DateField(_("effective from"))
    credit_per_unit = models.PositiveIntegerField(_("credit per deed, hour or unit"))
    points_per_unit = models.PositiveIntegerField(_("points per deed, hour or unit"))
    per_day = models.PositiveIntegerField(_("at most per day"), null=True, blank=True)
    per_week = models.PositiveIntegerField(_("at most per week"), null=True, blank=True)
    per_month = models.PositiveIntegerField(_("at most per month"), null=True, blank=True)
    per_year = models.PositiveIntegerField(_("at most per year"), null=True, blank=True)
    cooldown_days = models.PositiveIntegerField(_("days between repeats"), default=0)
    # How the credit splits across virtues ({"honesty": "0.700", ...}), kept with the rule, so
    # that changing the weights, like changing the points, never reprices a deed of the past.
    virtue_weights = models.JSONField(_("virtue weights"), default=dict)

    class Meta:
        abstract = True


class RuleVersion(TimeStampedModel, RuleTerms):
    """The point rule and limits of a deed type from a date on. Never edited once used."""

    deed_type = models.ForeignKey(DeedType, on_delete=models.CASCADE, related_name="rule_versions")
    version = models.PositiveIntegerField(_("version"))
    # Set when a community adjusted the national rule for itself; empty for the national rule.
    community = models.ForeignKey(
        "areas.Community", verbose_name=_("community"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="rule_versions",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["deed_type_id", "-effective_from", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["deed_type", "version"], name="uniq_rule_version"),
        ]
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")

    def __str__(self) -> str:
        return f"{self.deed_type.code} v{self.version}"

    @property
    def limits_label(self) -> str:
        """The limits in words, joined: "2 a day, 10 a month, 7 days between repeats", or "none"."""
        parts = [
            ngettext(one, many, n) % {"n": n}
            for n, one, many in (
                (self.per_day, "%(n)s time a day", "%(n)s times a day"),
                (self.per_week, "%(n)s time a week", "%(n)s times a week"),
                (self.per_month, "%(n)s time a month", "%(n)s times a month"),
                (self.per_year, "%(n)s time a year", "%(n)s times a year"),
                (self.cooldown_days, "%(n)s day between repeats", "%(n)s days between repeats"),
            )
            if n
        ]
        return ", ".join(str(p) for p in parts) if parts else str(_("none"))

    @property
    def label(self) -> str:
        """The version as a citizen reads it: "ปลูกต้นไม้ ฉบับที่ 1 ใช้ตั้งแต่ 1 ม.ค. 2563"."""
        values = {
            "name": self.deed_type.name,
            "version": self.version,
            "date": format_date(self.effective_from),
        }
        if self.community_id:
            return (
                _("%(name)s, version %(version)s as adjusted by the community, in force from %(date)s")
                % values
            )
        return _("%(name)s, version %(version)s, in force from %(date)s") % values


class RuleProposal(PublicIdModel, RuleTerms):
    """A community's proposed rule (a new or changed local deed type's points and limits, or its
    adjustment of a national deed type's points), waiting for a second approver: another admin of
    the community, or national staff. Approving it adds the rule version, so that the versions
    stay the rules that were in force, added and never edited."""

    deed_type = models.ForeignKey(DeedType, on_delete=models.CASCADE, related_name="rule_proposals")
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="rule_proposals")
    # An adjustment of a national deed type for the community (else the local deed type's rule).
    adjustment = models.BooleanField(default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    rule_version = models.OneToOneField(
        RuleVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One waiting proposal per deed type and community: a second waits for the first.
            models.UniqueConstraint(
                fields=["deed_type", "community"], condition=models.Q(approved_at__isnull=True),
                name="uniq_waiting_rule_proposal",
            ),
        ]  # fmt: skip
        verbose_name = _("rule proposal")
        verbose_name_plural = _("rule proposals")

    def __str__(self) -> str:
        return f"{self.deed_type.code} proposal {self.pk}"


class CommunityDeedTypeSetting(TimeStampedModel):
    """A community's switch for one national deed type (on by default, when no row exists)."""

    community = models.ForeignKey(
        "areas.Community", on_delete=models.CASCADE, related_name="deed_type_settings"
    )
    deed_type = models.ForeignKey(DeedType, on_delete=models.CASCADE, related_name="+")
    is_enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["community_id", "deed_type_id"]
        constraints = [models.UniqueConstraint(fields=["community", "deed_type"], name="uniq_community_item")]
        verbose_name = _("community catalog setting")
        verbose_name_plural = _("community catalog settings")

    def __str__(self) -> str:
        return f"{self.community_id}:{self.deed_type_id}={self.is_enabled}"


SYNONYM_WORD_MAX_LENGTH = 100


class SearchSynonym(TimeStampedModel):
    """An everyday word or phrase people search with (เลือด, คนแก่, trash) and the deed types it
    means, so that a search finds them though their names say it otherwise (บริจาคโลหิต). Data,
    edited by national staff; stored normalized (lowercase, single spaces)."""

    word = models.CharField(_("word or phrase"), max_length=SYNONYM_WORD_MAX_LENGTH)
    deed_types = models.ManyToManyField(
        DeedType, verbose_name=_("deed types"), related_name="search_synonyms"
    )

    class Meta:
        ordering = ["word"]
        # A constraint, not `unique=True`: that would add a `_like` index no query uses.
        constraints = [models.UniqueConstraint(fields=["word"], name="uniq_search_synonym_word")]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return self.word
