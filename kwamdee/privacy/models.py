"""Data-subject requests (PDPA §30–36): every request a person makes about their data, with the
30-day deadline the law gives, whether it was done by the person themselves at once (erasure) or
needs a member of staff (the queue at /privacy/requests/: a correction, PDPA §35)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kwamdee.common.models import PublicIdModel
from kwamdee.privacy.choices import RequestKind, RequestStatus

# PDPA §30: a request is answered within 30 days of receiving it.
REQUEST_DEADLINE = timedelta(days=30)
# The longest answer a person or a member of staff writes in one box of a request.
REQUEST_TEXT_MAX_CHARS = 1000
# The fields of a request that hold what someone wrote (blanked by erasure and by retention).
REQUEST_TEXT_FIELDS = ("what_is_wrong", "what_it_should_be", "note")


class DataSubjectRequest(PublicIdModel):
    """One request by a person about their own data, and what became of it. The person is a link
    (to a tombstone, once erased) and an erasure's reason a fixed choice; a correction holds what
    the person wrote and staff's answer, which erasure blanks (privacy/erasure.py) and retention
    blanks a year after the answer (privacy/retention.py)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
        related_name="data_requests",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    due_at = models.DateTimeField(pgettext_lazy("data request", "due"))
    done_at = models.DateTimeField(pgettext_lazy("data request", "done at"), null=True, blank=True)
    # Why, when the person said: an ErasureReason code, never free text.
    reason = models.CharField(pgettext_lazy("data request", "reason"), max_length=16, blank=True)
    # A correction (PDPA §35): what the person says is wrong, and what it should be.
    what_is_wrong = models.TextField(_("what is wrong"), blank=True)
    what_it_should_be = models.TextField(_("what it should be"), blank=True)
    # Staff's answer, which the person reads on My data: what was done, or why it was refused.
    note = models.TextField(_("answer to the person"), blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        permissions = [("handle_requests", _("Can handle people's requests about their data"))]
        indexes = [models.Index(fields=["status", "due_at"], name="privacy_request_queue")]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.public_id}"
