"""Evidence: the photos and documents a person sends with a deed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.common.models import PublicIdModel
from kwamdee.evidence.choices import EvidenceKind


class EvidenceFile(PublicIdModel):
    """One stored file of a deed. The deed is named by a string reference ("deeds.Deed"), so this
    app, below deeds, never imports it. The file's original name is not kept (it may name people);
    the stored name is random."""

    deed = models.ForeignKey(
        "deeds.Deed", verbose_name=_("deed"), on_delete=models.PROTECT, related_name="evidence_files"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    content_type = models.CharField(_("content type"), max_length=64)  # as sniffed, after re-encoding
    size = models.PositiveIntegerField(_("size in bytes"))
    # Of the stored bytes: the fairness review flags the same file used twice.
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", max_length=200)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id}"

    @property
    def is_image(self) -> bool:
        return self.kind == EvidenceKind.PHOTO
