"""Communities. Provinces, districts and subdistricts come from geothai (DOPA codes), not tables."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.common.models import PublicIdModel


class Community(PublicIdModel):
    """A community (ชุมชน) in one subdistrict: runs a goodness bank and adapts the catalog."""

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    subdistrict_code = models.CharField(_("subdistrict code"), max_length=6, db_index=True)
    district_code = models.CharField(_("district code"), max_length=4, db_index=True)
    # The distribution key of area-scoped tables (see docs/scaling.md).
    province_code = models.CharField(_("province code"), max_length=2, db_index=True)
    catalog_adopted_at = models.DateTimeField(_("catalog adopted at"), null=True, blank=True)
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="administered_communities",
        verbose_name=_("community admins"),
    )  # fmt: skip

    class Meta:
        ordering = ["province_code", "name_th"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        permissions = [("manage_community", _("Can manage a community"))]

    def __str__(self) -> str:
        return self.name_th

    @property
    def name(self) -> str:
        from kwamdee.common.i18n import pick

        return pick(self.name_th, self.name_en)
