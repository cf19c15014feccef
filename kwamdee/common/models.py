"""Base model and the audit log shared by every app."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.common.i18n import pick


class TimeStampedModel(models.Model):
    """Adds created_at / updated_at to a model."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(TimeStampedModel):
    """A model that URLs and the API expose by a UUID, never by its primary key."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class BilingualNamed(models.Model):
    """Names in Thai and English; `name` picks the active language's."""

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name_th

    @property
    def name(self) -> str:
        return pick(self.name_th, self.name_en)


class AuditEvent(models.Model):
    """One state change, written in the same transaction as the change (append-only)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the system acted on its own (seed data, a background task): its name.
    system_actor = models.CharField(_("system actor"), max_length=64, blank=True)
    event_type = models.CharField(_("type"), max_length=64)
    subject_id = models.CharField(_("subject"), max_length=64, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # Plain indexes, not `db_index=True`: that would also build `_like` twins on PostgreSQL,
        # which serve only LIKE 'prefix%' searches, and no query makes one (docs/scaling.md).
        indexes = [
            models.Index(fields=["event_type"], name="audit_event_type"),
            models.Index(fields=["subject_id"], name="audit_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.subject_id}"


class IdempotencyRecord(models.Model):
    """The answer given to a write that took an idempotency key, kept so that a retry gets the
    same answer and a reuse of the key for another request is refused (common/idempotency.py).
    Kept for IDEMPOTENCY_RETENTION_DAYS, then deleted (docs/privacy.md)."""

    created_at = models.DateTimeField(auto_now_add=True)
    # The operation and who asked ("deeds.verify_bulk:42"): keys are per caller.
    scope = models.CharField(max_length=120)
    key = models.CharField(max_length=80)
    fingerprint = models.CharField(max_length=64)
    # None while the first request that took the key is still being answered.
    response = models.JSONField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="uniq_idempotency_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class AccessRecord(models.Model):
    """Someone other than the person read one person's personal data (a verifier opened their
    deed, staff looked at their record in the admin). The person sees who and when on their own
    page (privacy app, "my data"). Append-only, like the audit log."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("viewer"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    # The public id of the person whose data was read (not a foreign key: the record outlives
    # any change to that person's row, and holds no personal data itself).
    person_ref = models.CharField(_("person"), max_length=64)
    what = models.CharField(_("what was read"), max_length=64)
    subject_id = models.CharField(_("subject"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        indexes = [models.Index(fields=["person_ref", "created_at"], name="access_person")]

    def __str__(self) -> str:
        return f"{self.what} {self.subject_id}"
