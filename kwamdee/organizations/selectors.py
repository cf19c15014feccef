"""Reads about organizations, and who may act for them."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from kwamdee.organizations.choices import InvitationState, MembershipRole, OrganizationState
from kwamdee.organizations.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationDocument,
    OrganizationLink,
    OrganizationType,
)
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.selectors import consenting_filter

# The organization's figures about its linked members show nothing about fewer people than this
# (settings.KWAMDEE_ORGANIZATION_FIGURES_MIN_PEOPLE overrides it).
FIGURES_MIN_PEOPLE = 5


def organizations_verified_by(person: Any) -> list[Organization]:
    """The approved organizations for which `person` may verify deeds (a registration waiting for
    staff, or declined, gives its admins nothing to verify)."""
    if not getattr(person, "pk", None):
        return []
    return list(
        Organization.objects.filter(
            state=OrganizationState.APPROVED,
            memberships__person=person,
            memberships__role__in=[MembershipRole.VERIFIER, MembershipRole.ADMIN],
        ).distinct()
    )


def organizations_organized_by(person: Any) -> list[Organization]:
    """The approved organizations for which `person` may run activities: its verifiers, admins
    and activity organizers."""
    if not getattr(person, "pk", None):
        return []
    roles = [MembershipRole.VERIFIER, MembershipRole.ADMIN, MembershipRole.ACTIVITY_ORGANIZER]
    return list(
        Organization.objects.filter(
            state=OrganizationState.APPROVED, memberships__person=person, memberships__role__in=roles
        ).distinct()
    )


def organization_managed_by(actor: Any, organization: Organization) -> bool:
    """The one rule for "may manage this organization's people": staff who register
    organizations (and the system), or an admin of this organization."""
    if actor.has_perm("organizations.add_organization"):  # type: ignore[attr-defined]
        return True
    return bool(
        getattr(actor, "pk", None)
        and actor.has_perm("organizations.manage_organization")  # type: ignore[attr-defined]
        and organization.memberships.filter(person=actor, role=MembershipRole.ADMIN).exists()
    )


def organization_admin_of(actor: Any, organization: Organization) -> bool:
    """Whether `actor` is an admin of `organization` (by membership, whatever its state): who may
    answer staff's questions about its registration and add its documents."""
    return bool(
        getattr(actor, "pk", None)
        and organization.memberships.filter(person=actor, role=MembershipRole.ADMIN).exists()
    )


def registration_decidable_by(actor: Any) -> bool:
    """The one rule for approving, declining and asking about a registration: staff who may
    create organizations (`organizations.add_organization`)."""
    return bool(actor.has_perm("organizations.add_organization"))


def organization_find(*, scope_area_code: str) -> Organization | None:
    return Organization.objects.filter(scope_area_code=scope_area_code).order_by("id").first()


def organization_get(public_id: Any) -> Organization | None:
    try:
        return Organization.objects.select_related("organization_type").filter(public_id=public_id).first()
    except (ValueError, ValidationError):  # an id that is not a UUID
        return None


def organization_types(*, active_only: bool = True) -> list[OrganizationType]:
    rows = OrganizationType.objects.all()
    return list(rows.filter(active=True) if active_only else rows)


def organization_type_by_code(code: str) -> OrganizationType | None:
    return OrganizationType.objects.filter(code=code, active=True).first() if code else None


def organizations_directory(*, type_code: str = "", province_code: str = "") -> QuerySet[Organization]:
    """The public directory: approved organizations that chose to be listed, by name; only what
    the organization published about itself (never its people)."""
    rows = Organization.objects.filter(state=OrganizationState.APPROVED, listed=True)
    if type_code:
        rows = rows.filter(organization_type__code=type_code)
    if province_code:
        rows = rows.filter(province_code=province_code)
    return rows.select_related("organization_type").order_by("name_th", "id")


def registrations_waiting() -> QuerySet[Organization]:
    """Registrations waiting for staff (pending; those asked for more wait for the registrant)."""
    return (
        Organization.objects.filter(state=OrganizationState.PENDING)
        .select_related("organization_type")
        .order_by("created_at", "id")
    )


def organizations_registered_by(person: Any) -> list[Organization]:
    return list(
        Organization.objects.filter(registered_by=person).select_related("organization_type").order_by("id")
    )


def organization_documents(organization: Organization) -> list[OrganizationDocument]:
    return list(organization.documents.all())


def organization_document_get(organization: Organization, public_id: Any) -> OrganizationDocument | None:
    try:
        return organization.documents.filter(public_id=public_id).first()
    except (ValueError, ValidationError):  # an id that is not a UUID
        return None


def organizations_administered_by(person: Any) -> list[Organization]:
    """The organizations `person` registered or is an admin of, whatever their state, newest
    first: the person's "My organizations"."""
    if not getattr(person, "pk", None):
        return []
    admin = Membership.objects.filter(person=person, role=MembershipRole.ADMIN).values("organization_id")
    return list(
        Organization.objects.filter(Q(registered_by=person) | Q(pk__in=admin))
        .select_related("organization_type")
        .order_by("-created_at", "-id")
    )


def organization_visible_to(actor: Any, organization: Organization) -> bool:
    """Who sees an organization's registration, documents and invitations: its admins (and its
    registrant) and staff who decide registrations."""
    return bool(
        getattr(actor, "pk", None)
        and (
            registration_decidable_by(actor)
            or organization.registered_by_id == actor.pk
            or organization_admin_of(actor, organization)
        )
    )


def organizations_search(*, name: str = "", province_code: str = "", limit: int = 50) -> list[Organization]:
    """The public directory searched by a part of the name (Thai or English) and a province."""
    rows = organizations_directory(province_code=province_code)
    if name.strip():
        rows = rows.filter(Q(name_th__icontains=name.strip()) | Q(name_en__icontains=name.strip()))
    return list(rows[:limit])


def organization_member_ids(organization: Organization, *, with_parent: bool = False) -> set[int]:
    """The people who act for `organization` in any role, or linked themselves to it now (and,
    with `with_parent`, those of its parent): whom a conflict of interest rules out as its
    assessor."""
    organizations = [organization.pk]
    if with_parent and organization.parent_id:
        organizations.append(organization.parent_id)
    acting = Membership.objects.filter(organization_id__in=organizations).values_list("person_id", flat=True)
    linked = OrganizationLink.objects.filter(
        organization_id__in=organizations, unlinked_at__isnull=True
    ).values_list("person_id", flat=True)
    return set(acting) | set(linked)


# Invitations


def invitations_for(person: Any) -> QuerySet[Invitation]:
    """The invitations waiting for `person`: those sent to the phone or e-mail they sign in with.
    Someone who signs up later with an invited phone finds the invitation then."""
    logins = [value for value in (getattr(person, "phone", ""), getattr(person, "email", "")) if value]
    if not getattr(person, "pk", None) or not logins:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(state=InvitationState.PENDING, login__in=logins)
        .select_related("organization")
        .order_by("created_at", "id")
    )


def invitation_for(person: Any, public_id: Any) -> Invitation | None:
    """One invitation waiting for `person`, or None (another's answers as one that does not exist)."""
    try:
        return invitations_for(person).filter(public_id=public_id).first()
    except (ValueError, ValidationError):  # an id that is not a UUID
        return None


def invitation_get(public_id: Any) -> Invitation | None:
    """An invitation by its public id, whoever it is for (for notifying its invitee)."""
    try:
        return Invitation.objects.filter(public_id=public_id).first() if public_id else None
    except (ValueError, ValidationError):
        return None


def organization_admins(organization: Organization) -> list[Any]:
    """The organization's admins and its registrant (told of staff's decisions)."""
    admins = {
        m.person.pk: m.person
        for m in organization.memberships.filter(role=MembershipRole.ADMIN).select_related("person")
    }
    if organization.registered_by is not None:
        admins.setdefault(organization.registered_by.pk, organization.registered_by)
    return [person for person in admins.values() if person.is_active]


def invitations_sent(organization: Organization) -> list[Invitation]:
    """The organization's invitations, for its admins: the address, the role and the state, never
    who the address belongs to before they accept."""
    return list(organization.invitations.order_by("-created_at", "-id"))


# Links of people to organizations


def link_current(person: Any, organization: Organization) -> OrganizationLink | None:
    if not getattr(person, "pk", None):
        return None
    return OrganizationLink.objects.filter(
        person=person, organization=organization, unlinked_at__isnull=True
    ).first()


def links_of(person: Any) -> list[OrganizationLink]:
    """Every link of the person, open or ended, newest first."""
    if not getattr(person, "pk", None):
        return []
    return list(OrganizationLink.objects.filter(person=person).select_related("organization"))


@dataclass(frozen=True)
class MemberFigures:
    """Totals over the organization's linked members. When fewer than the minimum of people are
    behind them, every number is None and `hidden` is True: nothing about a small group (let alone
    one person) can be read from them."""

    people: int | None
    rows: int | None
    total: int | None
    hidden: bool
    min_people: int


def figures_min_people() -> int:
    return int(getattr(settings, "KWAMDEE_ORGANIZATION_FIGURES_MIN_PEOPLE", FIGURES_MIN_PEOPLE))


def member_rows(
    organization: Organization, rows: QuerySet[Any], *, person_field: str = "person", date_field: str
) -> QuerySet[Any]:
    """The rows of `rows` (deeds, attendances …, given by the app above that owns them) that count
    for `organization`: those of people linked to it on the row's date, and consenting now to
    count in organizations' figures. A row dated before the link, or on or after the day of the
    unlink, does not count. For the selectors below; never shown row by row."""
    field = rows.model._meta.get_field(date_field)
    on_datetime = isinstance(field, models.DateTimeField)
    start = "linked_at__lte" if on_datetime else "linked_at__date__lte"
    end = "unlinked_at__gt" if on_datetime else "unlinked_at__date__gt"
    window = OrganizationLink.objects.filter(
        Q(unlinked_at__isnull=True) | Q(**{end: OuterRef(date_field)}),
        organization=organization,
        person=OuterRef(person_field),
        **{start: OuterRef(date_field)},
    )
    consenting = consenting_filter(person_field=person_field, purpose=ConsentPurpose.ORGANIZATION_FIGURES)
    return rows.filter(Exists(window), consenting)


def member_figures(
    organization: Organization,
    rows: QuerySet[Any],
    *,
    date_field: str,
    person_field: str = "person",
    sum_field: str = "",
) -> MemberFigures:
    """How many linked members (`people`), how many of their rows (`rows`) and, with `sum_field`,
    the sum of that field (`total`, e.g. credit) over `rows` that count for `organization`
    (`member_rows`): totals only, hidden below the minimum of people. Never a person's own."""
    counted = member_rows(organization, rows, person_field=person_field, date_field=date_field)
    wanted: dict[str, Any] = {"people": Count(person_field, distinct=True), "rows": Count("pk")}
    if sum_field:
        wanted["total"] = Sum(sum_field)
    found = counted.aggregate(**wanted)
    minimum = figures_min_people()
    if (found["people"] or 0) < minimum:
        return MemberFigures(None, None, None, True, minimum)
    total = int(found["total"] or 0) if sum_field else None
    return MemberFigures(found["people"], found["rows"], total, False, minimum)


def linked_people_count(organization: Organization) -> int | None:
    """How many people are linked to the organization now, or None when fewer than the minimum."""
    count = OrganizationLink.objects.filter(organization=organization, unlinked_at__isnull=True).count()
    return count if count >= figures_min_people() else None


def verification_scope_q(person: Any, *, field: str = "subdistrict_code") -> Q | None:
    """A filter matching area codes inside the areas of the person's organizations, or None."""
    q = Q()
    found = False
    for organization in organizations_verified_by(person):
        q |= Q(**{f"{field}__startswith": organization.scope_area_code})
        found = True
    return q if found else None


def person_within_verification_scope(actor: Any, person: Any) -> bool:
    """Whether `person` lives in the area of one of `actor`'s organizations: whom a verifier may
    meet as a verifier (to check their ID card, people/identity.py)."""
    if person is None or not person.subdistrict_code:
        return False
    return any(
        person.subdistrict_code.startswith(organization.scope_area_code)
        for organization in organizations_verified_by(actor)
    )


def organizations_approved() -> QuerySet[Organization]:
    """Every approved organization, by name (staff's choices, such as the organization a sponsor
    is); listed or not."""
    return (
        Organization.objects.filter(state=OrganizationState.APPROVED)
        .select_related("organization_type")
        .order_by("name_th", "id")
    )
