"""Roles are groups. This map is the one place that says what each role may do."""

from django.contrib.auth.models import Group, Permission

from kwamdee.people.choices import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CITIZEN: ["deeds.record_deed"],
    Role.VERIFIER: ["deeds.verify_deed"],
    Role.ORGANIZATION_ADMIN: ["deeds.verify_deed", "organizations.manage_organization"],
    # A community's admins are its committee: they verify the deeds the catalog gives them.
    Role.COMMUNITY_ADMIN: ["areas.manage_community", "catalog.adapt_catalog", "deeds.verify_deed"],
    # Partners get their permissions with rewards (privileges and redemptions).
    Role.PARTNER: [],
    Role.AUDITOR: ["ledger.audit_ledger", "common.view_auditevent"],
    Role.STAFF: [
        "catalog.manage_catalog",
        "common.view_auditevent",
        "ledger.audit_ledger",
        "organizations.add_organization",
        "areas.manage_community",
    ],
    Role.SPONSOR: ["catalog.pledge_sponsorship"],
}


def roles_sync(**_kwargs) -> None:
    """Creates every role group and sets its permissions (runs after each migrate)."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted: list[Permission] = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def role_grant(user, role: str) -> None:
    group, _created = Group.objects.get_or_create(name=role)
    user.groups.add(group)
