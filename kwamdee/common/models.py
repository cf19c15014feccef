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
    event_type = models.CharField(_("type"), max_length=64, db_index=True)
    subject_id = models.CharField(_("subject"), max_length=64, blank=True, db_index=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.event_type} {self.subject_id}"
