"""People: the user account, consent records and API tokens."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.common.models import PublicIdModel, TimeStampedModel
from kwamdee.people.choices import CodePurpose, ConsentPurpose, MembershipState, MessageChannel


class User(AbstractUser):
    """A person. `username` holds the sign-in: a phone number or an e-mail address."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    # The pseudonymous id that ledger accounts point to: erasing the person's personal data
    # leaves the ledger whole and verifiable.
    ledger_ref = models.UUIDField(_("ledger reference"), default=uuid.uuid4, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone number"), max_length=20, unique=True, null=True, blank=True)
    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)  # type: ignore[assignment]
    # When the person proved, with a one-time code, that the phone or e-mail they sign in with is
    # theirs (people/contact_confirmation.py). Until then they look around but record no deeds
    # (people.selectors.contact_confirmed); a new phone or e-mail empties it again.
    contact_confirmed_at = models.DateTimeField(_("contact confirmed at"), null=True, blank=True)
    # HMAC-SHA256 of the national ID number under settings.NATIONAL_ID_HASH_KEY. Unique only once a
    # verifier has seen the card (national_id_confirmed_at): an unconfirmed claim blocks nobody.
    national_id_hash = models.CharField(max_length=64, null=True, blank=True, db_index=True)  # noqa: DJ001  (NULL: none given)
    national_id_confirmed_at = models.DateTimeField(_("national ID confirmed at"), null=True, blank=True)
    subdistrict_code = models.CharField(_("subdistrict"), max_length=6, blank=True)
    district_code = models.CharField(_("district"), max_length=4, blank=True)
    province_code = models.CharField(_("province"), max_length=2, blank=True, db_index=True)
    # The community the person is a MEMBER of: set only when its committee approves their request
    # (people/membership.py, CommunityMembership), emptied when they move or are erased. Every rule
    # of membership reads this one field: the local deed types offered (catalog), the community a
    # deed carries and whose committee verifies it (deeds). Until approved, a person uses the
    # national catalog like anyone in a subdistrict without a community.
    community = models.ForeignKey(
        "areas.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["national_id_hash"],
                condition=models.Q(national_id_confirmed_at__isnull=False),
                name="people_national_id_confirmed_once",
            )
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.username

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()


class CommunityMembership(PublicIdModel):
    """A person's request to belong to the community of their subdistrict, and its committee's
    decision (the community's admins): pending, then approved or declined, by whom, when, with an
    optional note to the person. Made at sign-up and when the person moves to another subdistrict
    (which ends the one before: `ended_at`). One open request (or membership) per person."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
        related_name="community_memberships",
    )  # fmt: skip
    community = models.ForeignKey(
        "areas.Community", verbose_name=_("community"), on_delete=models.PROTECT,
        related_name="membership_requests",
    )  # fmt: skip
    state = models.CharField(
        _("state"), max_length=16, choices=MembershipState.choices, default=MembershipState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note to the person"), max_length=500, blank=True)
    # When the person moved to another subdistrict: the request (or membership) no longer counts.
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_at__isnull=True),
                name="people_one_open_community_membership",
            )
        ]
        indexes = [
            # The committee's list: the requests of one community still waiting, oldest first.
            models.Index(
                fields=["community", "created_at"],
                condition=models.Q(state=MembershipState.PENDING, ended_at__isnull=True),
                name="people_membership_waiting",
            )
        ]
        verbose_name = _("community membership")
        verbose_name_plural = _("community memberships")

    def __str__(self) -> str:
        return f"{self.person_id}:{self.community_id}:{self.state}"


class Consent(TimeStampedModel):
    """One consent given for one purpose under one notice version; withdrawn by setting the time."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    notice_version = models.CharField(_("notice version"), max_length=32)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.purpose} {self.notice_version}"


class ApiToken(TimeStampedModel):
    """A bearer token for API clients; only its SHA-256 is stored."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.person_id}:{self.label}"


class OneTimeCode(TimeStampedModel):
    """A one-time code of 6 digits sent to a person's phone or e-mail, for one `purpose`: a
    password reset, or confirming the contact (people/codes.py; docs/privacy.md).

    Only a keyed hash of the code is kept (HMAC under SECRET_KEY, never the code). It works for
    ONE_TIME_CODE_MINUTES, for ONE_TIME_CODE_MAX_TRIES tries, once; a new code for the same
    purpose replaces it; rows are deleted a day after they expire."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_codes"
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(_("sent by"), max_length=8, choices=MessageChannel.choices)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    verified_at = models.DateTimeField(_("code entered at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"{self.person_id}:{self.purpose}:{self.channel}:{self.created_at:%Y-%m-%d %H:%M}"
