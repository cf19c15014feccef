"""Organizations, their types, the people who act for them, invitations, the people who link
themselves to them, and the documents of a registration."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.common.models import BilingualNamed, PublicIdModel, TimeStampedModel
from kwamdee.organizations.choices import (
    InvitationState,
    LinkRelation,
    MembershipRole,
    OrganizationState,
)


class OrganizationType(BilingualNamed, TimeStampedModel):
    """A type of organization (a government agency, a school …): data, not code. The defaults
    come from migration 0004; a retired one (`active=False`) is not offered (staff editing them
    is not built yet)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("organization type")
        verbose_name_plural = _("organization types")


class Organization(PublicIdModel):
    """An organization: staff create one, or a person registers it and staff approve it. The
    verifiers of an approved organization verify deeds done in its area."""

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    organization_type = models.ForeignKey(
        OrganizationType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="organizations"
    )
    # A DOPA code prefix: 2 digits = a province, 4 = a district, 6 = a subdistrict. The
    # organization's verifiers see the deeds recorded by people in that area.
    scope_area_code = models.CharField(_("area of work"), max_length=6)
    province_code = models.CharField(_("province code"), max_length=2, db_index=True)
    # The organization it belongs to (a school of a district office): an assessor who is a
    # member of the parent has a conflict of interest.
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )  # fmt: skip
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    listed = models.BooleanField(_("listed in the public directory"), default=False)
    state = models.CharField(
        _("state"), max_length=16, choices=OrganizationState.choices, default=OrganizationState.PENDING
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Staff's last note (a decline's reason, what more they ask for), shown to the registrant.
    decision_note = models.TextField(_("note from staff"), max_length=1000, blank=True)
    # The registrant's answer to staff's last question.
    answer = models.TextField(_("answer"), max_length=2000, blank=True)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        permissions = [("manage_organization", _("Can manage an organization"))]
        constraints = [
            # A registration number, when given, is unique within its type.
            models.UniqueConstraint(
                fields=["organization_type", "registration_number"],
                condition=~models.Q(registration_number=""),
                name="organizations_uniq_registration_number",
            )
        ]
        indexes = [
            # The public directory: approved and listed, by province.
            models.Index(
                fields=["province_code", "name_th"],
                condition=models.Q(state="approved", listed=True),
                name="organizations_directory",
            )
        ]

    def __str__(self) -> str:
        return self.name_th

    @property
    def name(self) -> str:
        from kwamdee.common.i18n import pick

        return pick(self.name_th, self.name_en)

    @property
    def kind(self) -> str:
        """The code of its type (what `kind` was before types became data)."""
        return self.organization_type.code

    @property
    def is_approved(self) -> bool:
        return self.state == OrganizationState.APPROVED


class Membership(TimeStampedModel):
    """A person acting for an organization in one role."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=MembershipRole.choices)

    class Meta:
        ordering = ["organization_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "person", "role"], name="uniq_membership_role")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.person_id}@{self.organization_id}:{self.role}"


class Invitation(PublicIdModel):
    """An admin's invitation to act for the organization in one role, sent to a phone number or
    an e-mail address. Nobody becomes an officer without accepting. The inviter never learns
    whether the address belongs to someone registered: the invitation names no person until the
    one who signs in with that address answers it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=24, choices=MembershipRole.choices)
    # As people/services.login_normalize writes it: the phone or e-mail someone signs in with.
    login = models.CharField(_("phone or e-mail"), max_length=254)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    state = models.CharField(
        _("state"), max_length=16, choices=InvitationState.choices, default=InvitationState.PENDING
    )
    # Who answered (set when they accept or decline).
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invitee"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="organization_invitations",
    )  # fmt: skip
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "login", "role"],
                condition=models.Q(state="pending"),
                name="organizations_one_pending_invitation",
            )
        ]
        indexes = [models.Index(fields=["login", "state"], name="organizations_invitation_login")]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.role}:{self.state}"


class OrganizationLink(TimeStampedModel):
    """A person linked themself to an organization as a member or employee, with their consent:
    while linked (and consenting), their verified deeds count in the organization's figures,
    only as totals (selectors.member_figures). Unlinking ends it; a new link is a new row."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_links"
    )
    relation = models.CharField(_("relation"), max_length=16, choices=LinkRelation.choices)
    linked_at = models.DateTimeField(_("linked at"))
    unlinked_at = models.DateTimeField(_("unlinked at"), null=True, blank=True)

    class Meta:
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person"],
                condition=models.Q(unlinked_at__isnull=True),
                name="organizations_one_open_link",
            )
        ]
        verbose_name = _("link to an organization")
        verbose_name_plural = _("links to organizations")

    def __str__(self) -> str:
        return f"{self.person_id}~{self.organization_id}"


class OrganizationDocument(PublicIdModel):
    """A document of an organization's registration (a certificate of registration, a letter),
    checked and cleaned as evidence is (organizations/documents.py). Its original file name is
    not kept; the stored name is random."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    title = models.CharField(_("what the document is"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("file"), upload_to="organizations/%Y/%m/", max_length=200)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("organization document")
        verbose_name_plural = _("organization documents")

    def __str__(self) -> str:
        return f"{self.title} {self.public_id}"
