"""Appeals: a person asks that a rejection of their deed be looked at again, once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.appeals.choices import AppealStatus
from kwamdee.common.models import PublicIdModel


class Appeal(PublicIdModel):
    """An appeal against a deed's rejection. One per deed (the one-to-one field), decided once by
    another verifier of the area or the community committee, never by the one who rejected it.
    The rejection stays on the deed; the appeal keeps its own decision beside it."""

    # By the model's name: appeals sits above deeds and never imports deeds' models.
    deed = models.OneToOneField(
        "deeds.Deed", verbose_name=_("deed"), on_delete=models.PROTECT, related_name="appeal"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="appeals"
    )
    statement = models.TextField(_("why the decision should change"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    # The first decision, as it was when the appeal was made (the deed's decider changes if the
    # appeal overturns it): both decisions stay on record.
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals_decided",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision on the appeal"), max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.deed_id} ({self.status})"
