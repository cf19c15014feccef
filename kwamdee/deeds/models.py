"""Deeds: what a person recorded, and the verifier's decision."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.common.models import PublicIdModel, TimeStampedModel
from kwamdee.deeds.choices import (
    REVERSAL_WORDS_FOR_PERSON,
    DeedStatus,
    FlagKind,
    FlagState,
    RejectionReason,
    ReversalReason,
    WitnessAnswer,
)


class Deed(PublicIdModel):
    """A good deed recorded by a person; credited once a verifier verifies it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
        related_name="deeds",
    )  # fmt: skip
    deed_type = models.ForeignKey(
        "catalog.DeedType", verbose_name=_("deed type"), on_delete=models.PROTECT,
        related_name="deeds",
    )  # fmt: skip
    performed_on = models.DateField(_("date of the deed"))
    description = models.TextField(_("description"), max_length=2000)
    # Hours for deed types priced per hour, units for those per unit, 1 for per deed.
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2, default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=DeedStatus.choices, default=DeedStatus.PENDING
    )
    # Where the person lived when recording it: the verification scope and distribution key.
    subdistrict_code = models.CharField(_("subdistrict code"), max_length=6)
    province_code = models.CharField(_("province code"), max_length=2)
    community = models.ForeignKey(
        "areas.Community", null=True, blank=True, on_delete=models.SET_NULL, related_name="deeds"
    )
    # Set by the person's client to make a retried submission take effect once.
    # NULL, not "", when absent: the unique constraint must not clash between keyless deeds.
    submission_key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001
    # What the key was first used for (common/idempotency.py): a reuse with another body is refused.
    submission_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # When the person agreed that this deed's record says something sensitive about them (its deed
    # type is marked health or religion, PDPA §26); empty for every other deed.
    sensitive_consent_at = models.DateTimeField(_("sensitive data agreed at"), null=True, blank=True)
    rule_version = models.ForeignKey(
        "catalog.RuleVersion", verbose_name=_("rule version"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="deeds",
    )  # fmt: skip
    # A helper who recorded the deed on the person's behalf, under the person's standing consent
    # (AssistConsent); empty when the person recorded it. The helper may not decide it.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="deeds_recorded_for_others",
    )  # fmt: skip
    # A deed whose credit is above settings.KWAMDEE_SECOND_APPROVAL_CREDIT is credited only when a
    # second verifier agrees: the first verifier's approval waits here.
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_approved_at = models.DateTimeField(_("first approved at"), null=True, blank=True)
    credit_awarded = models.PositiveIntegerField(_("credit"), default=0)
    points_awarded = models.PositiveIntegerField(_("points"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="deeds_decided",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The reason chosen from the list (blank for deeds rejected before the list existed) and
    # the verifier's own words; both stay when an appeal overturns the rejection.
    rejection_code = models.CharField(
        _("reason for rejection (from the list)"), max_length=32, choices=RejectionReason.choices, blank=True
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    ledger_transaction = models.OneToOneField(
        "ledger.LedgerTransaction", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",  # the ledger knows no deeds: its entries name their source instead
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deed")
        verbose_name_plural = _("deeds")
        permissions = [
            ("record_deed", _("Can record one's own deeds")),
            ("verify_deed", _("Can verify deeds in the organization's area")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "submission_key"], name="uniq_deed_submission_key"),
        ]
        # The verification queue finds deeds by area prefix (`subdistrict_code LIKE '7109%'`):
        # on a database that does not collate as plain "C" (C.UTF-8 and th_TH are not), only a
        # pattern-ops index serves that, and it serves equality too, so it is the only one on the
        # column. The province code is matched whole: a plain index, without the `_like` twin
        # `db_index=True` would add. Query plans in docs/scaling.md.
        indexes = [
            models.Index(fields=["status", "subdistrict_code", "created_at"]),
            models.Index(
                fields=["subdistrict_code"], name="deed_subdistrict_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["province_code"], name="deed_province"),
        ]

    def __str__(self) -> str:
        return f"{self.deed_type_id} {self.performed_on} ({self.status})"


class DeedQuestion(TimeStampedModel):
    """A verifier's question about a deed ("ask for more information") and the person's answer.
    Kept after the answer: the deed's history of questions."""

    deed = models.ForeignKey(Deed, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("question"), max_length=1000)
    asked_at = models.DateTimeField(_("asked at"))
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("question about a deed")
        verbose_name_plural = _("questions about deeds")

    def __str__(self) -> str:
        return f"{self.deed_id} {self.asked_at:%Y-%m-%d}"


class DeedWitness(TimeStampedModel):
    """A member the person named as having seen the deed, and their answer. A deed type that asks
    for n witnesses reaches the verifier once n of those named have confirmed."""

    deed = models.ForeignKey(Deed, on_delete=models.CASCADE, related_name="witnesses")
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("witness"), on_delete=models.PROTECT,
        related_name="deeds_witnessed",
    )  # fmt: skip
    answer = models.CharField(
        _("answer"), max_length=16, choices=WitnessAnswer.choices, default=WitnessAnswer.ASKED
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("witness of a deed")
        verbose_name_plural = _("witnesses of deeds")
        constraints = [models.UniqueConstraint(fields=["deed", "witness"], name="uniq_deed_witness")]

    def __str__(self) -> str:
        return f"{self.deed_id} {self.witness_id} ({self.answer})"


class AssistConsent(TimeStampedModel):
    """A person's standing consent that a helper (a village health volunteer, อสม., or another
    community helper) records deeds on their behalf. The person sees and revokes it; revoked
    consents stay, as the record of what the helper was allowed to do and when."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
        related_name="assist_consents_given",
    )  # fmt: skip
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("helper"), on_delete=models.PROTECT,
        related_name="assist_consents_received",
    )  # fmt: skip
    given_at = models.DateTimeField(_("given at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("consent to record on one's behalf")
        verbose_name_plural = _("consents to record on one's behalf")
        constraints = [
            # One active consent per (person, helper); a revoked one may be given again.
            models.UniqueConstraint(
                fields=["person", "helper"], condition=models.Q(revoked_at__isnull=True),
                name="uniq_active_assist_consent",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.person_id} → {self.helper_id}"


class DeedFlag(PublicIdModel):
    """What an automatic check noticed about a deed (deeds/flags.py), for an auditor to look at.
    It keeps the kind and the facts (counts, thresholds, other deeds' public ids), worded when
    shown in the reader's language. A flag alone changes nothing for the person: it is never
    shown to them as a penalty and never blocks anything."""

    deed = models.ForeignKey(Deed, verbose_name=_("deed"), on_delete=models.PROTECT, related_name="flags")
    kind = models.CharField(_("kind"), max_length=32, choices=FlagKind.choices)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    state = models.CharField(_("state"), max_length=16, choices=FlagState.choices, default=FlagState.OPEN)
    # The auditor who dismissed it (with a note) or reversed the deed's credit, and when.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("flag on a deed")
        verbose_name_plural = _("flags on deeds")
        permissions = [
            ("review_flags", _("Can review flags on deeds")),
            ("reverse_credit", _("Can reverse the credit of a deed")),
        ]
        constraints = [models.UniqueConstraint(fields=["deed", "kind"], name="uniq_deed_flag_kind")]
        # The auditor's desk: open flags, newest first.
        indexes = [models.Index(fields=["state", "-raised_at"], name="deed_flag_state_raised")]

    def __str__(self) -> str:
        return f"{self.deed_id} {self.kind} ({self.state})"

    @property
    def explanation(self) -> str:
        """The flag in plain words, in the active language."""
        from kwamdee.deeds.flags import flag_explain  # the words live beside the rules

        return flag_explain(self)


class DeedReversal(TimeStampedModel):
    """An auditor's reversal of a verified deed's credit, through the ledger's reversal entry:
    the reason code, what was taken back, and the points the person had already spent (those
    stay spent: no balance goes below zero)."""

    deed = models.OneToOneField(
        Deed, verbose_name=_("deed"), on_delete=models.PROTECT, related_name="reversal"
    )
    reason_code = models.CharField(_("reason"), max_length=32, choices=ReversalReason.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)  # the auditor's, for auditors
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credit = models.PositiveIntegerField(_("credit taken back"), default=0)
    points = models.PositiveIntegerField(_("points taken back"), default=0)
    points_kept = models.PositiveIntegerField(_("points already spent"), default=0)
    ledger_transaction = models.OneToOneField(
        "ledger.LedgerTransaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reversal of a deed's credit")
        verbose_name_plural = _("reversals of deeds' credit")

    def __str__(self) -> str:
        return f"{self.deed_id} {self.reason_code}"

    @property
    def words_for_person(self) -> str:
        return str(REVERSAL_WORDS_FOR_PERSON.get(self.reason_code, ""))
