from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoringRule(models.TextChoices):
    """How an item's 2/1/0 is found (scoring.py)."""

    # 2/1/0 by a measured share (or count) against the item's two thresholds: at least `full` → 2,
    # at least `half` → 1, below → 0.
    THRESHOLD = "threshold", _("By a measured share")
    # The assessor gives 2/1/0 from the evidence.
    JUDGEMENT = "judgement", _("By the assessor's judgement")
    # A figure from the system's own data (figures.py), then the thresholds as for `threshold`.
    COMPUTED = "computed", _("Computed from data in the system")


class Figure(models.TextChoices):
    """The figures a computed item can read (figures.py). Shares are percentages, counts are
    numbers; each carries its numerator and denominator."""

    MEMBERS_WITH_VERIFIED_DEED = (
        "members_with_verified_deed",
        _("Share of the organization's people who have a verified deed this year"),
    )
    ACTIVITIES_RUN = "activities_run", _("Activities the organization ran and closed this year")
    DEEDS_VERIFIED = "deeds_verified", _("Deeds verified this year by the organization's verifiers")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessment in progress")
    SUBMITTED = "submitted", _("Waiting for an assessor")
    SCORED = "scored", _("Scored")


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("Valid")
    REPLACED = "replaced", _("Replaced by a re-assessment")
    EXPIRED = "expired", _("Expired")
