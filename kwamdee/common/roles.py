"""Roles are Django groups. This map is the one place that says what each role may do.

It lives on the ground floor because every app grants roles (sign-up, memberships, community
admins, sponsors) and it names permissions only as strings, importing no app above it."""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.common.actors import Actor
from kwamdee.common.audit import audit_record
from kwamdee.common.events import CommonEvent


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    VERIFIER = "verifier", _("Verifier")
    ORGANIZATION_ADMIN = "organization_admin", _("Organization admin")
    COMMUNITY_ADMIN = "community_admin", _("Community admin")
    PARTNER = "partner", _("Partner")
    AUDITOR = "auditor", _("Auditor")
    STAFF = "staff", _("Staff")
    SPONSOR = "sponsor", _("Sponsor")
    # An independent assessor of moral organizations (a partner certifier's assessor): scores
    # self-assessments of organizations they do not act for (assessments.selectors).
    MORAL_ASSESSOR = "moral_assessor", _("Assessor of moral organizations")


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CITIZEN: ["deeds.record_deed", "timebank.exchange_time"],
    Role.VERIFIER: ["deeds.verify_deed"],
    Role.ORGANIZATION_ADMIN: ["deeds.verify_deed", "organizations.manage_organization"],
    # A community's admins are its committee: they verify the deeds the catalog gives them.
    Role.COMMUNITY_ADMIN: [
        "areas.manage_community",
        "catalog.adapt_catalog",
        "deeds.verify_deed",
        "rewards.view_reward_reports",
        "timebank.manage_timebank",
        "loans.keep_loans",
    ],
    # A partner's staff act at their own partner's counter: that is a membership
    # (rewards.partners.partner_served_by), not a permission over every partner.
    Role.PARTNER: [],
    # The fairness review: flags on deeds, and reversing a credit (never staff's: those who set the
    # prices and record sponsors' funding do not also take credit back).
    Role.AUDITOR: [
        "ledger.audit_ledger",
        "common.view_auditevent",
        "deeds.review_flags",
        "deeds.reverse_credit",
    ],
    Role.STAFF: [
        "catalog.manage_catalog",
        "common.view_auditevent",
        "ledger.audit_ledger",
        "organizations.add_organization",
        "areas.manage_community",
        "privacy.handle_requests",
        "rewards.record_funding",
        "rewards.approve_partners",
        "rewards.offer_national_privileges",
        "rewards.view_reward_reports",
        "rewards.manage_levels",
        "timebank.view_national_timebank_reports",
        "assessments.assess_organization",
        "assessments.manage_templates",
    ],
    Role.SPONSOR: ["rewards.pledge_sponsorship"],
    Role.MORAL_ASSESSOR: ["assessments.assess_organization"],
}


def roles_sync(**_kwargs: object) -> None:
    """Creates every role group and sets its permissions (runs after each migrate)."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted: list[Permission] = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def role_grant(*, actor: Actor, person: models.Model, role: str, audit: bool = True) -> bool:
    """Gives `person` a role; True if they did not have it. Call inside the service that decided
    it; `audit=False` only where that service's own event already names the role."""
    group, _created = Group.objects.get_or_create(name=role)
    groups = person.groups  # type: ignore[attr-defined]
    if groups.filter(pk=group.pk).exists():
        return False
    groups.add(group)
    # Django caches permissions on the user object: forget them so that the new role counts now.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        person.__dict__.pop(cache, None)
    if audit:
        audit_record(
            actor=actor, event=CommonEvent.ROLE_GRANT, subject_id=person.public_id,  # type: ignore[attr-defined]
            data={"role": role},
        )  # fmt: skip
    return True
