"""What the organizations app holds about a person (common/personal_data.py), in one section
(one table, one CSV file) with a row for each of: a role they hold in an organization, an
organization they registered (with the contacts they gave for it), an invitation sent to their
phone or e-mail, and a link they made to an organization (while it was open, their verified
deeds counted in its totals)."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kwamdee.common.personal_data import Row, Section, personal_data_section
from kwamdee.organizations.models import Invitation, Membership, Organization, OrganizationLink


def _row(organization: Any, what: Any, details: str, since: Any, until: Any = None) -> Row:
    return {
        "organization": organization.name,
        "what": str(what),
        "details": details,
        "from": since,
        "until": until,
    }


def invitations_to(person: Any) -> Any:
    """The invitations sent to the person's phone or e-mail, or that they answered."""
    logins = [value for value in (person.phone, person.email) if value]
    return Invitation.objects.filter(Q(invitee=person) | Q(login__in=logins))


@personal_data_section("memberships", order=60)
def memberships_section(person: Any) -> Section:
    rows = [
        _row(m.organization, _("Role"), m.get_role_display(), m.created_at)
        for m in Membership.objects.filter(person=person).select_related("organization")
    ]
    for organization in (
        Organization.objects.filter(registered_by=person).select_related("organization_type").order_by("id")
    ):
        given = {
            _("type"): organization.organization_type.name,
            _("state"): organization.get_state_display(),
            _("registration number"): organization.registration_number,
            _("phone"): organization.phone,
            _("e-mail"): organization.email,
            _("address"): organization.address,
            _("listed in the public directory"): _("yes") if organization.listed else _("no"),
            _("your answer"): organization.answer,
        }
        details = "; ".join(f"{label}: {value}" for label, value in given.items() if value)
        rows.append(_row(organization, _("Registered by you"), details, organization.created_at))
    for invitation in invitations_to(person).select_related("organization").order_by("created_at", "id"):
        details = f"{invitation.get_role_display()}; {invitation.login}; {invitation.get_state_display()}"
        rows.append(
            _row(
                invitation.organization,
                _("Invitation"),
                details,
                invitation.created_at,
                invitation.answered_at,
            )
        )
    for link in OrganizationLink.objects.filter(person=person).select_related("organization"):
        rows.append(
            _row(link.organization, _("Linked by you"), link.get_relation_display(), link.linked_at,
                 link.unlinked_at)
        )  # fmt: skip
    note = _(
        "Your roles in organizations, the organizations you registered, invitations sent to you, "
        "and your links to organizations (which count your verified deeds only in totals)."
    )
    return Section("memberships", _("Organizations"), rows, note)
