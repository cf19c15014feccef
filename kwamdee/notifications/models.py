"""Notifications: what a person is told of decisions about their deeds (docs/notifications.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kwamdee.common.models import PublicIdModel
from kwamdee.notifications.choices import NotificationKind


class Notification(PublicIdModel):
    """One message to one person. It keeps what happened (`kind` and `params`: the deed type's
    names in Thai and English, the credit, a reason) and is worded when shown, in the language
    the reader has picked (texts.py): Thai by default, English one click away."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
        related_name="notifications",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    event_type = models.CharField(_("event"), max_length=64)  # the audit event that caused it
    params = models.JSONField(_("details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Delivery outside the site (tasks.py): when it was done and by which channels ("" none).
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivered_by = models.CharField(_("delivered by"), max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["person", "-created_at"], name="notification_person_new"),
            # The header's count: unread rows of one person, from the index alone.
            models.Index(fields=["person"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]


class NotificationPreference(models.Model):
    """What a person wants besides the in-app list (always on). No row: the defaults
    (selectors.preferences_of): e-mail on when the person has a confirmed e-mail, SMS off."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"email={self.email} sms={self.sms}"
