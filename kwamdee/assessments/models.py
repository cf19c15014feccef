"""The moral-organization assessment (issue 13): templates as data, self-assessments, independent
scoring, results and certificates. Above organizations, deeds and activities in the layers: its
computed items read their figures through relations of the organization in hand (figures.py).

A template is versioned like the catalog's rules: a version is never edited once written; an
import adds the next version of its code, in force from its `effective_from`. An assessment keeps
the version it started with, so its result is always read under the rules it was made under."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.assessments.choices import AssessmentStatus, CertificateStatus, Figure, ScoringRule
from kwamdee.common.models import PublicIdModel, TimeStampedModel

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(2)]


class Template(PublicIdModel):
    """One version of an assessment template (levels, activities, items)."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    effective_from = models.DateField(_("in force from"))
    certificate_years = models.PositiveSmallIntegerField(_("certificate valid for (years)"), default=3)
    reminder_days = models.PositiveSmallIntegerField(_("renewal reminder (days before expiry)"), default=90)
    # Where the criteria come from, in words and addresses (docs/organizations.md).
    sources = models.JSONField(_("sources"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["code", "-effective_from", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="uniq_assessment_template")]
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")
        permissions = [
            ("manage_templates", _("Can import assessment templates")),
            ("assess_organization", _("Can score organizations' self-assessments")),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def name(self) -> str:
        from kwamdee.common.i18n import pick

        return pick(self.name_th, self.name_en)


class TemplateLevel(TimeStampedModel):
    """A level an organization can reach. Reaching it needs, over the items of the activities of
    this level and of every lower level: at least `min_percent` of their most points, and no item
    below `min_item_score` (scoring.level_reached)."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    min_percent = models.DecimalField(
        _("share of the most points needed (%)"), max_digits=5, decimal_places=2
    )
    min_item_score = models.PositiveSmallIntegerField(
        _("lowest score allowed on an item"), default=0, validators=SCORE_VALIDATORS
    )

    class Meta:
        ordering = ["template_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="uniq_assessment_level_code"),
            models.UniqueConstraint(fields=["template", "order"], name="uniq_assessment_level_order"),
        ]
        verbose_name = _("assessment level")
        verbose_name_plural = _("assessment levels")

    def __str__(self) -> str:
        return self.name_th

    @property
    def name(self) -> str:
        from kwamdee.common.i18n import pick

        return pick(self.name_th, self.name_en)


class TemplateActivity(TimeStampedModel):
    """One of the template's activities (the Moral Center's 9), assessed at one level."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="activities")
    level = models.ForeignKey(TemplateLevel, on_delete=models.CASCADE, related_name="activities")
    number = models.PositiveSmallIntegerField(_("number"))
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["template_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="uniq_assessment_activity"),
        ]
        verbose_name = _("assessment activity")
        verbose_name_plural = _("assessment activities")

    def __str__(self) -> str:
        return f"{self.number}. {self.name_th}"

    @property
    def name(self) -> str:
        from kwamdee.common.i18n import pick

        return pick(self.name_th, self.name_en)


class TemplateItem(TimeStampedModel):
    """One scored item of an activity, with its rule (choices.ScoringRule)."""

    activity = models.ForeignKey(TemplateActivity, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)  # "1.1": unique within the template
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text_th = models.TextField(_("text (Thai)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    rule = models.CharField(_("scoring rule"), max_length=16, choices=ScoringRule.choices)
    # For `threshold` and `computed`: at least `threshold_full` → 2, at least `threshold_half` → 1.
    # A share in percent (80.00, 50.00), or a count for a counting figure.
    threshold_full = models.DecimalField(
        _("threshold for 2 points"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    threshold_half = models.DecimalField(
        _("threshold for 1 point"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    figure = models.CharField(_("figure"), max_length=40, choices=Figure.choices, blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    evidence_th = models.TextField(_("evidence asked for (Thai)"), blank=True)
    evidence_en = models.TextField(_("evidence asked for (English)"), blank=True)
    # "published" (with the address it was read at) or "drafted" (from the description).
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["activity_id", "order", "id"]
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        from kwamdee.common.i18n import pick

        return pick(self.text_th, self.text_en)

    @property
    def evidence(self) -> str:
        from kwamdee.common.i18n import pick

        return pick(self.evidence_th, self.evidence_en)


class Assessment(PublicIdModel):
    """One assessment of an organization: its self-assessment, then an independent assessor's
    scores, the result and the level reached."""

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), on_delete=models.PROTECT,
        related_name="assessments",
    )  # fmt: skip
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    assessor_comment = models.TextField(_("assessor's comment"), blank=True)
    total_score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    max_score = models.PositiveIntegerField(_("most points"), null=True, blank=True)
    percent = models.DecimalField(
        _("share of the most points (%)"), max_digits=5, decimal_places=2, null=True
    )
    level = models.ForeignKey(
        TemplateLevel, verbose_name=_("level reached"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open assessment (a draft or waiting for an assessor) per organization.
            models.UniqueConstraint(
                fields=["organization"], condition=~models.Q(status="scored"), name="uniq_open_assessment"
            ),
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.public_id}"


class Answer(TimeStampedModel):
    """The organization's answer to one item, and the assessor's score of it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(TemplateItem, on_delete=models.PROTECT, related_name="+")
    # A threshold item's measure, as the organization counted it (signatures of the declaration
    # over its executives and members): the share is numerator / denominator.
    numerator = models.PositiveIntegerField(_("how many"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("out of"), null=True, blank=True)
    # A computed item's figure when it was computed (figures.Computed.as_dict): its numbers stay
    # with the answer so that a page can show how the score was found.
    computed = models.JSONField(_("computed figure"), default=dict, blank=True)
    self_score = models.PositiveSmallIntegerField(
        _("self-assessed score"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    note = models.TextField(_("note"), blank=True)
    # Evidence as references: a title with an address (`url`), or with one of the organization's
    # own documents (`document`: its public id; a file uploaded on the pages or the API is stored
    # as an OrganizationDocument, docs/organizations.md).
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    assessor_score = models.PositiveSmallIntegerField(
        _("assessor's score"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    assessor_comment = models.TextField(_("assessor's comment"), blank=True)

    class Meta:
        ordering = ["assessment_id", "item_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="uniq_assessment_answer")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.item_id}"


class Certificate(PublicIdModel):
    """The level an assessment reached, valid for the template's years. A re-assessment that
    reaches a level replaces it; one that reaches none leaves it to run out."""

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), on_delete=models.PROTECT,
        related_name="certificates",
    )  # fmt: skip
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="certificate")
    level = models.ForeignKey(
        TemplateLevel, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("renewal reminder sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=models.Q(status="active"), name="uniq_active_certificate"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")),
                name="certificate_ends_after_start",
            ),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.level_id} {self.valid_from}–{self.valid_until}"
