"""Writes about organizations: staff create one, or a person registers it and staff decide; its
admins invite officers, who accept or decline; people link themselves to it and unlink."""

import hashlib
import importlib
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.areas.selectors import area_code_exists
from kwamdee.common.actors import Actor, is_system, person_or_none
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.roles import Role, role_grant
from kwamdee.common.text_validation import text_fields_problems
from kwamdee.organizations.choices import (
    InvitationState,
    LinkRelation,
    MembershipRole,
    OrganizationState,
)
from kwamdee.organizations.documents import document_clean
from kwamdee.organizations.errors import (
    AlreadyLinked,
    InvitationNotFound,
    InvitationNotWaiting,
    LinkConsentRequired,
    OrganizationNotApproved,
    RegistrationNotWaiting,
    RegistrationNumberTaken,
)
from kwamdee.organizations.events import OrganizationsEvent
from kwamdee.organizations.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationDocument,
    OrganizationLink,
    OrganizationType,
)
from kwamdee.organizations.selectors import (
    invitation_for,
    link_current,
    organization_admin_of,
    organization_managed_by,
    organization_type_by_code,
    registration_decidable_by,
)
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.selectors import consent_active, contact_confirmed
from kwamdee.people.services import THAI_MOBILE, consent_give, contact_problems, login_normalize

NAME_MAX = 200
NOTE_MAX = 1000
ANSWER_MAX = 2000
ADDRESS_MAX = 500
REGISTRATION_NUMBER_MAX = 40
TITLE_MAX = 120
CHOOSE_AREA = _("Choose a real province, district or subdistrict.")


@transaction.atomic
def organization_types_default_load(*, actor: Actor) -> int:
    """The types every registry starts from (migration 0004's list), made where missing: a database
    emptied after its migrations (a flush, a transactional test) has none, and seed_demo needs
    them. Returns how many were made."""
    if not is_system(actor) and not actor.has_perm("organizations.add_organization"):
        raise PermissionDenied()
    defaults = importlib.import_module("kwamdee.organizations.migrations.0004_organization_types").TYPES
    have = set(OrganizationType.objects.values_list("code", flat=True))
    made = [
        OrganizationType(code=code, name_th=name_th, name_en=name_en, order=order * 10)
        for order, (code, name_th, name_en) in enumerate(defaults, start=1)
        if code not in have
    ]
    OrganizationType.objects.bulk_create(made)
    if made:
        audit_record(actor=actor, event=OrganizationsEvent.TYPES_LOAD, subject_id="default",
                     data={"made": [t.code for t in made]})  # fmt: skip
    return len(made)


@transaction.atomic
def organization_create(
    *, actor: Actor, name_th: str, kind: str, scope_area_code: str, name_en: str = "", listed: bool = False
) -> Organization:
    """Staff (or the system) create an organization whose verifiers work in one province, district
    or subdistrict: approved at once. `kind` is the code of its type (OrganizationType)."""
    if not actor.has_perm("organizations.add_organization"):
        raise PermissionDenied()
    if not area_code_exists(scope_area_code):
        # An empty or unknown code must never pass: "" would cover the whole country.
        raise ValidationFailed(fields={"scope_area_code": [CHOOSE_AREA]})
    organization_type = organization_type_by_code(kind)
    if organization_type is None or not name_th.strip():
        raise ValidationFailed(fields={"name_th": [_("Required.")]})
    names = {"name_th": name_th, "name_en": name_en}
    if problems := text_fields_problems(names, max_chars=dict.fromkeys(names, NAME_MAX)):
        raise ValidationFailed(fields=problems)
    organization = Organization.objects.create(
        name_th=name_th, name_en=name_en, organization_type=organization_type,
        scope_area_code=scope_area_code, province_code=scope_area_code[:2], listed=listed,
        state=OrganizationState.APPROVED, decided_by=person_or_none(actor), decided_at=timezone.now(),
    )  # fmt: skip
    audit_record(
        actor=actor, event=OrganizationsEvent.ORGANIZATION_CREATE, subject_id=organization.public_id,
        data={"kind": kind, "scope_area_code": scope_area_code},
    )  # fmt: skip
    return organization


def _registration_problems(
    *, name_th: str, name_en: str, type_code: str, area_code: str, registration_number: str,
    phone: str, email: str, address: str,
) -> tuple[dict[str, list[Any]], str, str]:  # fmt: skip
    """Everything wrong with a registration at once, by field, with the phone and e-mail
    normalized."""
    errors: dict[str, list[Any]] = {}
    texts = {"name_th": name_th, "name_en": name_en, "registration_number": registration_number}
    errors.update(
        text_fields_problems(
            {**texts, "address": address},
            multiline=("address",),
            max_chars={
                "name_th": NAME_MAX,
                "name_en": NAME_MAX,
                "address": ADDRESS_MAX,
                "registration_number": REGISTRATION_NUMBER_MAX,
            },
        )
    )
    if not name_th.strip():
        errors["name_th"] = [_("Enter the organization's name in Thai.")]
    if organization_type_by_code(type_code) is None:
        errors["type"] = [_("Choose the type of organization.")]
    if not area_code_exists(area_code):
        errors["area_code"] = [CHOOSE_AREA]
    contact_errors, phone, email = contact_problems(
        phone, email, missing=_("Enter a phone number or an e-mail address of the organization.")
    )
    errors.update(contact_errors)
    return errors, phone, email


@transaction.atomic
def organization_register(
    *, actor: Any, name_th: str, type_code: str, area_code: str, name_en: str = "",
    registration_number: str = "", phone: str = "", email: str = "", address: str = "",
    listed: bool = False, parent: Organization | None = None,
) -> Organization:  # fmt: skip
    """A signed-in person, whose phone or e-mail is proven, registers an organization: it waits
    for staff (pending) and the person becomes its admin. Its admins verify nothing and invite
    nobody until staff approve it. Every problem is reported at once; nothing is written."""
    if not getattr(actor, "pk", None) or not getattr(actor, "is_active", False):
        raise PermissionDenied()
    if not contact_confirmed(actor):
        raise PermissionDenied(_("Confirm your phone number or e-mail first."))
    registration_number = registration_number.strip()
    errors, phone, email = _registration_problems(
        name_th=name_th, name_en=name_en, type_code=type_code, area_code=area_code,
        registration_number=registration_number, phone=phone, email=email, address=address,
    )  # fmt: skip
    if parent is not None and parent.state != OrganizationState.APPROVED:
        errors["parent"] = [_("Choose an approved organization.")]
    if errors:
        raise ValidationFailed(fields=errors)
    organization_type = organization_type_by_code(type_code)
    assert organization_type is not None  # checked with the other fields
    taken = Organization.objects.filter(
        organization_type=organization_type, registration_number=registration_number
    )
    if registration_number and taken.exists():
        raise RegistrationNumberTaken(fields={"registration_number": [RegistrationNumberTaken.message]})
    try:
        with transaction.atomic():
            organization = Organization.objects.create(
                name_th=name_th.strip(), name_en=name_en.strip(), organization_type=organization_type,
                scope_area_code=area_code, province_code=area_code[:2], parent=parent,
                registration_number=registration_number, phone=phone, email=email,
                address=address.strip(), listed=listed, state=OrganizationState.PENDING,
                registered_by=actor,
            )  # fmt: skip
    except IntegrityError:  # the same number registered at the same moment
        raise RegistrationNumberTaken(
            fields={"registration_number": [RegistrationNumberTaken.message]}
        ) from None
    Membership.objects.create(organization=organization, person=actor, role=MembershipRole.ADMIN)
    audit_record(
        actor=actor, event=OrganizationsEvent.ORGANIZATION_REGISTER, subject_id=organization.public_id,
        data={"type": type_code, "area_code": area_code, "listed": listed},
        subject=organization,
    )  # fmt: skip
    return organization


def _locked(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _note_clean(note: str, *, required: bool, field: str = "note", max_chars: int = NOTE_MAX) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationFailed(fields={field: [_("Write a few words for the organization.")]})
    if problems := text_fields_problems({field: note}, multiline=(field,), max_chars={field: max_chars}):
        raise ValidationFailed(fields=problems)
    return note


@transaction.atomic
def _decide(
    *, actor: Actor, organization: Organization, state: str, note: str, event: OrganizationsEvent,
    note_required: bool,
) -> Organization:  # fmt: skip
    if not registration_decidable_by(actor):
        raise PermissionDenied()
    note = _note_clean(note, required=note_required)
    organization = _locked(organization)
    if organization.state not in (OrganizationState.PENDING, OrganizationState.MORE_INFO_ASKED):
        raise RegistrationNotWaiting()
    organization.state = state
    organization.decision_note = note
    organization.decided_by = person_or_none(actor)
    organization.decided_at = timezone.now()
    organization.save(update_fields=["state", "decision_note", "decided_by", "decided_at", "updated_at"])
    if state == OrganizationState.APPROVED:
        # Its admins (and any verifier staff added meanwhile) act for it from now on.
        for membership in organization.memberships.select_related("person"):
            if group := ROLE_GROUPS.get(MembershipRole(membership.role)):
                role_grant(actor=actor, person=membership.person, role=group, audit=False)
    audit_record(
        actor=actor, event=event, subject_id=organization.public_id,
        data={"note_length": len(note)}, subject=organization,
    )  # fmt: skip
    return organization


def organization_approve(*, actor: Actor, organization: Organization, note: str = "") -> Organization:
    """Staff approve a registration (pending, or waiting for more information)."""
    return _decide(
        actor=actor, organization=organization, state=OrganizationState.APPROVED, note=note,
        event=OrganizationsEvent.ORGANIZATION_APPROVE, note_required=False,
    )  # fmt: skip


def organization_decline(*, actor: Actor, organization: Organization, note: str) -> Organization:
    """Staff decline a registration, saying why."""
    return _decide(
        actor=actor, organization=organization, state=OrganizationState.DECLINED, note=note,
        event=OrganizationsEvent.ORGANIZATION_DECLINE, note_required=True,
    )  # fmt: skip


def organization_ask(*, actor: Actor, organization: Organization, note: str) -> Organization:
    """Staff ask the registrant for more information (the note says what)."""
    return _decide(
        actor=actor, organization=organization, state=OrganizationState.MORE_INFO_ASKED, note=note,
        event=OrganizationsEvent.ORGANIZATION_ASK, note_required=True,
    )  # fmt: skip


@transaction.atomic
def organization_answer(*, actor: Any, organization: Organization, answer: str) -> Organization:
    """An admin of the organization answers staff's question: the registration waits for staff
    again. Anyone else is answered as if the organization did not exist."""
    if not organization_admin_of(actor, organization):
        raise NotFound()
    answer = _note_clean(answer, required=True, field="answer", max_chars=ANSWER_MAX)
    organization = _locked(organization)
    if organization.state != OrganizationState.MORE_INFO_ASKED:
        raise RegistrationNotWaiting()
    organization.state = OrganizationState.PENDING
    organization.answer = answer
    organization.save(update_fields=["state", "answer", "updated_at"])
    audit_record(
        actor=actor, event=OrganizationsEvent.ORGANIZATION_ANSWER, subject_id=organization.public_id,
        data={"answer_length": len(answer)}, subject=organization,
    )  # fmt: skip
    return organization


def organization_document_attach(
    *, actor: Any, organization: Organization, upload: Any, title: str
) -> OrganizationDocument:
    """An admin of the organization (or staff) adds a document to it, checked and cleaned
    (organizations/documents.py). The file is written after the checks; if saving the row
    fails, it is deleted. Call it on its own (not inside a longer transaction that may still roll
    back, which would leave the file without its row)."""
    if not (organization_admin_of(actor, organization) or registration_decidable_by(actor)):
        raise NotFound()
    title = title.strip()
    if not title:
        raise ValidationFailed(fields={"title": [_("Say what the document is.")]})
    if problems := text_fields_problems({"title": title}, max_chars={"title": TITLE_MAX}):
        raise ValidationFailed(fields=problems)
    clean = document_clean(upload)
    document = OrganizationDocument(
        organization=organization, uploaded_by=person_or_none(actor), title=title,
        content_type=clean.content_type, size=len(clean.data),
        sha256=hashlib.sha256(clean.data).hexdigest(),
    )  # fmt: skip
    document.file.save(f"{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.data), save=False)
    name = document.file.name or ""
    try:
        with transaction.atomic():
            document.save()
            audit_record(
                actor=actor, event=OrganizationsEvent.ORGANIZATION_DOCUMENT_ATTACH,
                subject_id=organization.public_id,
                data={"document": str(document.public_id), "content_type": clean.content_type,
                      "sha256": document.sha256},
            )  # fmt: skip
    except BaseException:
        default_storage.delete(name)
        raise
    return document


@transaction.atomic
def membership_grant(*, actor: Actor, organization: Organization, person: object, role: str) -> Membership:
    """Makes `person` act for `organization` in `role`, and grants the matching role group: staff
    and the system only. An admin's officers come by invitation, which they accept: nobody is
    added to an organization by its admins without saying yes."""
    if not registration_decidable_by(actor):
        raise PermissionDenied()
    if role not in MembershipRole.values:
        raise ValidationFailed(fields={"role": [_("Choose a role.")]})
    membership, created = _membership_add(actor=actor, organization=organization, person=person, role=role)
    if created:
        audit_record(
            actor=actor, event=OrganizationsEvent.MEMBERSHIP_GRANT, subject_id=organization.public_id,
            data={"person": str(person.public_id), "role": role},  # type: ignore[attr-defined]
        )  # fmt: skip
    return membership


# The role group each membership brings (activity organizers and assessors act by membership
# alone: no permission of their own).
ROLE_GROUPS = {MembershipRole.VERIFIER: Role.VERIFIER, MembershipRole.ADMIN: Role.ORGANIZATION_ADMIN}


def _membership_add(
    *, actor: Actor, organization: Organization, person: object, role: str
) -> tuple[Membership, bool]:
    membership, created = Membership.objects.get_or_create(
        organization=organization, person=person, role=role
    )
    group = ROLE_GROUPS.get(MembershipRole(role))
    if created and group and organization.state == OrganizationState.APPROVED:
        role_grant(actor=actor, person=person, role=group, audit=False)  # type: ignore[arg-type]
    return membership, created


# Invitations: an admin invites an officer by phone or e-mail; only that person can accept.

INVITABLE_ROLES = (MembershipRole.VERIFIER, MembershipRole.ACTIVITY_ORGANIZER, MembershipRole.ASSESSOR)


def _login_clean(login: str) -> tuple[str, str]:
    """The invited address as people sign in with it, and its channel ("phone" or "email")."""
    value = login_normalize(login or "")
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            value = ""
        else:
            return value, "email"
    elif THAI_MOBILE.match(value):
        return value, "phone"
    raise ValidationFailed(
        fields={
            "login": [_("Enter a Thai phone number of 9 or 10 digits starting with 0, or an e-mail address.")]
        }
    )


@transaction.atomic
def invitation_create(*, actor: Actor, organization: Organization, login: str, role: str) -> Invitation:
    """An admin of an approved organization invites someone to be its verifier, activity
    organizer or assessor. The answer is the same whether anyone uses that phone or e-mail yet:
    the invitation waits for whoever signs in with it. The audit event names the role and the
    channel, never the address."""
    if not organization_managed_by(actor, organization):
        raise PermissionDenied()
    if organization.state != OrganizationState.APPROVED:
        raise OrganizationNotApproved()
    if role not in INVITABLE_ROLES:
        raise ValidationFailed(fields={"role": [_("Choose a role.")]})
    login, channel = _login_clean(login)
    waiting = Invitation.objects.filter(
        organization=organization, login=login, role=role, state=InvitationState.PENDING
    ).first()
    if waiting is not None:
        return waiting
    invitation = Invitation.objects.create(
        organization=organization, login=login, role=role, invited_by=person_or_none(actor)
    )
    audit_record(
        actor=actor, event=OrganizationsEvent.INVITATION_CREATE, subject_id=organization.public_id,
        data={"invitation": str(invitation.public_id), "role": role, "channel": channel},
    )  # fmt: skip
    return invitation


def _invitation_answerable(actor: Any, public_id: Any) -> Invitation:
    invitation = invitation_for(actor, public_id)
    if invitation is None:
        raise InvitationNotFound()
    invitation = Invitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    if invitation.state != InvitationState.PENDING:
        raise InvitationNotWaiting()
    return invitation


@transaction.atomic
def invitation_accept(*, actor: Any, invitation_id: Any) -> Membership:
    """The person the invitation was sent to accepts it: from now on they act for the
    organization in that role. Their phone or e-mail must be proven (whoever typed someone else's
    number at sign-up cannot take their invitation)."""
    if not contact_confirmed(actor):
        raise InvitationNotFound()
    invitation = _invitation_answerable(actor, invitation_id)
    if invitation.organization.state != OrganizationState.APPROVED:
        raise OrganizationNotApproved()
    invitation.state = InvitationState.ACCEPTED
    invitation.invitee = actor
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["state", "invitee", "answered_at", "updated_at"])
    membership, _created = _membership_add(
        actor=actor, organization=invitation.organization, person=actor, role=invitation.role
    )
    audit_record(
        actor=actor, event=OrganizationsEvent.INVITATION_ACCEPT, subject_id=invitation.organization.public_id,
        data={"invitation": str(invitation.public_id), "role": invitation.role},
    )  # fmt: skip
    return membership


@transaction.atomic
def invitation_decline(*, actor: Any, invitation_id: Any) -> Invitation:
    """The person the invitation was sent to declines it; nothing else changes."""
    invitation = _invitation_answerable(actor, invitation_id)
    invitation.state = InvitationState.DECLINED
    invitation.invitee = actor
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["state", "invitee", "answered_at", "updated_at"])
    audit_record(
        actor=actor, event=OrganizationsEvent.INVITATION_DECLINE,
        subject_id=invitation.organization.public_id,
        data={"invitation": str(invitation.public_id), "role": invitation.role},
    )  # fmt: skip
    return invitation


# Links: a person links themself to an organization as a member or employee, with consent.


@transaction.atomic
def organization_link(
    *, actor: Any, organization: Organization, relation: str, consent: bool
) -> OrganizationLink:
    """The person links themself to an approved organization. `consent` is their ticked box: it
    gives (or keeps) their consent to count in organizations' totals
    (ConsentPurpose.ORGANIZATION_FIGURES), recorded under its notice's version."""
    if not getattr(actor, "pk", None):
        raise PermissionDenied()
    if organization.state != OrganizationState.APPROVED:
        raise NotFound()
    if relation not in LinkRelation.values:
        raise ValidationFailed(fields={"relation": [_("Choose how you belong to the organization.")]})
    if not consent:
        raise LinkConsentRequired(fields={"consent": [LinkConsentRequired.message]})
    if link_current(actor, organization) is not None:
        raise AlreadyLinked()
    consent_given = consent_active(person=actor, purpose=ConsentPurpose.ORGANIZATION_FIGURES) is None
    if consent_given:
        consent_give(person=actor, purpose=ConsentPurpose.ORGANIZATION_FIGURES, actor=actor, audit=False)
    try:
        with transaction.atomic():
            link = OrganizationLink.objects.create(
                organization=organization, person=actor, relation=relation, linked_at=timezone.now()
            )
    except IntegrityError:  # linked at the same moment from another device
        raise AlreadyLinked() from None
    audit_record(
        actor=actor, event=OrganizationsEvent.LINK_CREATE, subject_id=organization.public_id,
        data={"relation": relation, "consent_given": consent_given},
    )  # fmt: skip
    return link


@transaction.atomic
def organization_unlink(*, actor: Any, organization: Organization) -> OrganizationLink:
    """The person ends their link, at any time: their deeds from today on stop counting."""
    link = link_current(actor, organization)
    if link is None:
        raise NotFound()
    link = OrganizationLink.objects.select_for_update().get(pk=link.pk)
    link.unlinked_at = timezone.now()
    link.save(update_fields=["unlinked_at", "updated_at"])
    audit_record(
        actor=actor, event=OrganizationsEvent.LINK_END, subject_id=organization.public_id,
        data={"relation": link.relation},
    )  # fmt: skip
    return link
