"""Organizations and the people who act for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.common.models import PublicIdModel, TimeStampedModel
from kwamdee.organizations.choices import MembershipRole, OrganizationKind


class Organization(PublicIdModel):
    """An organization whose verifiers verify deeds done in its area."""

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    # A DOPA code prefix: 2 digits = a province, 4 = a district, 6 = a subdistrict. The
    # organization's verifiers see the deeds recorded by people in that area.
    scope_area_code = models.CharField(_("area of work"), max_length=6)
    province_code = models.CharField(_("province code"), max_length=2, db_index=True)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        permissions = [("manage_organization", _("Can manage an organization"))]

    def __str__(self) -> str:
        return self.name_th

    @property
    def name(self) -> str:
        from kwamdee.common.i18n import pick

        return pick(self.name_th, self.name_en)


class Membership(TimeStampedModel):
    """A person acting for an organization in one role."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices)

    class Meta:
        ordering = ["organization_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "person", "role"], name="uniq_membership_role")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.person_id}@{self.organization_id}:{self.role}"
