"""API of the registry of organizations (issue 13, docs/organizations.md "Pages and API"): the
types; registering an organization; the caller's organizations; one organization (its admins
and staff); its documents; staff's decisions (approve, decline, ask for more) and the admins'
answer; invitations to act for an organization; a person's links to organizations.

An organization answers 404 to anyone but its admins and staff who decide registrations, as one
that does not exist; an invitation answers 404 to anyone but the one who signs in with its
address. A staff decision by someone who may not decide registrations is 403."""

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, File, Form, Router, Schema, UploadedFile

from kwamdee.common.api_errors import errors
from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.organizations.choices import OrganizationState
from kwamdee.organizations.models import Invitation, Organization, OrganizationDocument, OrganizationLink
from kwamdee.organizations.selectors import (
    invitations_for,
    invitations_sent,
    links_of,
    organization_documents,
    organization_get,
    organization_types,
    organization_visible_to,
    organizations_administered_by,
    registration_decidable_by,
    registrations_waiting,
)
from kwamdee.organizations.services import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    organization_answer,
    organization_approve,
    organization_ask,
    organization_decline,
    organization_document_attach,
    organization_link,
    organization_register,
    organization_unlink,
)

router = Router(tags=["organizations"])


# --- shapes -----------------------------------------------------------------------------------


class RegistryTypeOut(Schema):
    code: str
    name_th: str
    name_en: str


class RegistryDocumentOut(Schema):
    public_id: UUID
    title: str
    # application/pdf or image/jpeg (photos are stored re-encoded as JPEG)
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class RegistryOrganizationOut(Schema):
    public_id: UUID
    name_th: str
    name_en: str
    type: str
    # A DOPA code: 2 digits a province, 4 a district, 6 a subdistrict. Once approved, the
    # organization's verifiers verify deeds done anywhere in it.
    area_code: str
    registration_number: str
    phone: str
    email: str
    address: str
    listed: bool
    # pending, more_info_asked, approved, declined
    state: str
    # Staff's last note: a decline's reason or what more they ask for.
    decision_note: str
    # The admins' last answer to staff's question.
    answer: str
    created_at: datetime
    documents: list[RegistryDocumentOut]


class RegistryRegisterIn(Schema):
    name_th: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    # The code of an organization type (GET /organizations/types).
    type: str = Field(..., max_length=32)
    area_code: str = Field(..., max_length=6)
    registration_number: str = Field("", max_length=40)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)
    listed: bool = False


class RegistryNoteIn(Schema):
    # Needed to decline or ask; optional to approve. Shown to the organization.
    note: str = Field("", max_length=1000)


class RegistryAnswerIn(Schema):
    answer: str = Field(..., max_length=2000)


class RegistryDocumentIn(Schema):
    title: str = Field(..., max_length=120)


class RegistryInvitationIn(Schema):
    # The phone number or e-mail the invitee signs in with (or will sign up with).
    login: str = Field(..., max_length=254)
    # verifier, activity_organizer or assessor
    role: str = Field(..., max_length=24)


class RegistryInvitationOut(Schema):
    public_id: UUID
    organization: UUID
    organization_name: str
    role: str
    # Shown to the organization's admins (the address they typed); to the invitee, their own.
    login: str
    # pending, accepted, declined
    state: str
    created_at: datetime
    answered_at: datetime | None


class RegistryLinkIn(Schema):
    # member or employee
    relation: str = Field(..., max_length=16)
    # The person's agreement that their verified deeds count in the organization's totals (only
    # totals of 5 people or more are ever shown, never a person's own credit).
    consent: bool = False


class RegistryLinkOut(Schema):
    organization: UUID
    organization_name: str
    relation: str
    linked_at: datetime
    unlinked_at: datetime | None


class RegistryOfficerOut(Schema):
    organization: UUID
    role: str


# --- conversions ------------------------------------------------------------------------------


def document_out(document: OrganizationDocument) -> RegistryDocumentOut:
    return RegistryDocumentOut(
        public_id=document.public_id, title=document.title, content_type=document.content_type,
        size=document.size, sha256=document.sha256, created_at=document.created_at,
    )  # fmt: skip


def organization_out(organization: Organization) -> RegistryOrganizationOut:
    return RegistryOrganizationOut(
        public_id=organization.public_id, name_th=organization.name_th, name_en=organization.name_en,
        type=organization.organization_type.code, area_code=organization.scope_area_code,
        registration_number=organization.registration_number, phone=organization.phone,
        email=organization.email, address=organization.address, listed=organization.listed,
        state=organization.state, decision_note=organization.decision_note, answer=organization.answer,
        created_at=organization.created_at,
        documents=[document_out(d) for d in organization_documents(organization)],
    )  # fmt: skip


def invitation_out(invitation: Invitation) -> RegistryInvitationOut:
    return RegistryInvitationOut(
        public_id=invitation.public_id, organization=invitation.organization.public_id,
        organization_name=invitation.organization.name, role=invitation.role, login=invitation.login,
        state=invitation.state, created_at=invitation.created_at, answered_at=invitation.answered_at,
    )  # fmt: skip


def link_out(link: OrganizationLink) -> RegistryLinkOut:
    return RegistryLinkOut(
        organization=link.organization.public_id, organization_name=link.organization.name,
        relation=link.relation, linked_at=link.linked_at, unlinked_at=link.unlinked_at,
    )  # fmt: skip


def _visible(request: Any, public_id: UUID) -> Organization:
    organization = organization_get(public_id)
    if organization is None or not organization_visible_to(request.auth, organization):
        raise NotFound()
    return organization


def _decidable(request: Any, public_id: UUID) -> Organization:
    """An organization for staff's decision; 403 for anyone who may not decide registrations."""
    if not registration_decidable_by(request.auth):
        raise PermissionDenied()
    organization = organization_get(public_id)
    if organization is None:
        raise NotFound()
    return organization


def _approved(public_id: UUID) -> Organization:
    organization = organization_get(public_id)
    if organization is None or organization.state != OrganizationState.APPROVED:
        raise NotFound()
    return organization


# --- a person: types, registering, my organizations ---------------------------------------------


@router.get("/types", response=list[RegistryTypeOut])
def types(request: Any) -> list[RegistryTypeOut]:
    """The types of organization one may register (data: staff may add to them)."""
    return [RegistryTypeOut(code=t.code, name_th=t.name_th, name_en=t.name_en) for t in organization_types()]


@router.post("/register", response={201: RegistryOrganizationOut, **errors(403, 409)})
def register(request: Any, payload: RegistryRegisterIn) -> tuple[int, RegistryOrganizationOut]:
    """Registers an organization: it waits for staff (`pending`) and the caller becomes its admin.
    Then add its documents (`POST /organizations/{public_id}/documents`). Refusals, nothing
    written: 400 `validation_failed` with every problem by field, `registration_number_taken`; 403
    `permission_denied` until the caller's phone or e-mail is confirmed."""
    organization = organization_register(
        actor=request.auth, name_th=payload.name_th, name_en=payload.name_en, type_code=payload.type,
        area_code=payload.area_code, registration_number=payload.registration_number,
        phone=payload.phone, email=payload.email, address=payload.address, listed=payload.listed,
    )  # fmt: skip
    return 201, organization_out(organization)


@router.get("/mine", response=list[RegistryOrganizationOut])
def mine(request: Any) -> list[RegistryOrganizationOut]:
    """The organizations the caller registered or is an admin of, newest first, in any state."""
    return [organization_out(o) for o in organizations_administered_by(request.auth)]


# --- staff --------------------------------------------------------------------------------------


@router.get("/registrations/waiting", response={200: list[RegistryOrganizationOut], **errors(403)})
def waiting(request: Any) -> list[RegistryOrganizationOut]:
    """Registrations waiting for staff, oldest first (those asked for more wait for their admins).
    403 for anyone who may not decide registrations."""
    if not registration_decidable_by(request.auth):
        raise PermissionDenied()
    return [organization_out(o) for o in registrations_waiting()[:500]]


@router.post("/{public_id}/approve", response={200: RegistryOrganizationOut, **errors(403, 404, 409)})
def approve(request: Any, public_id: UUID, payload: RegistryNoteIn) -> RegistryOrganizationOut:
    """Approves a registration: its verifiers can then verify deeds anywhere in its area, and its
    admins invite its officers. 409 `registration_not_waiting` when it is not waiting."""
    organization = _decidable(request, public_id)
    return organization_out(
        organization_approve(actor=request.auth, organization=organization, note=payload.note)
    )


@router.post("/{public_id}/decline", response={200: RegistryOrganizationOut, **errors(403, 404, 409)})
def decline(request: Any, public_id: UUID, payload: RegistryNoteIn) -> RegistryOrganizationOut:
    """Declines a registration; the note (needed) says why."""
    organization = _decidable(request, public_id)
    return organization_out(
        organization_decline(actor=request.auth, organization=organization, note=payload.note)
    )


@router.post("/{public_id}/ask", response={200: RegistryOrganizationOut, **errors(403, 404, 409)})
def ask(request: Any, public_id: UUID, payload: RegistryNoteIn) -> RegistryOrganizationOut:
    """Asks the organization's admins for more information; the note (needed) says what."""
    organization = _decidable(request, public_id)
    return organization_out(
        organization_ask(actor=request.auth, organization=organization, note=payload.note)
    )


# --- invitations and links of the caller (before /{public_id}) -----------------------------------


@router.get("/invitations/mine", response=list[RegistryInvitationOut])
def invitations_mine(request: Any) -> list[RegistryInvitationOut]:
    """The invitations waiting for the caller: those sent to the phone or e-mail they sign in with."""
    return [invitation_out(i) for i in invitations_for(request.auth)]


@router.post("/invitations/{public_id}/accept", response={200: RegistryOfficerOut, **errors(404, 409)})
def invitation_accept_op(request: Any, public_id: UUID) -> RegistryOfficerOut:
    """Accepts an invitation: the caller acts for the organization in its role from now on. 404
    `invitation_not_found` for anyone else's, or when the caller's phone or e-mail is not
    confirmed; 409 `invitation_not_waiting`, `organization_not_approved`."""
    membership = invitation_accept(actor=request.auth, invitation_id=public_id)
    return RegistryOfficerOut(organization=membership.organization.public_id, role=membership.role)


@router.post("/invitations/{public_id}/decline", response={200: RegistryInvitationOut, **errors(404, 409)})
def invitation_decline_op(request: Any, public_id: UUID) -> RegistryInvitationOut:
    """Declines an invitation; nothing else changes."""
    return invitation_out(invitation_decline(actor=request.auth, invitation_id=public_id))


@router.get("/links/mine", response=list[RegistryLinkOut])
def links_mine(request: Any) -> list[RegistryLinkOut]:
    """The caller's links to organizations, open or ended, newest first."""
    return [link_out(link) for link in links_of(request.auth)]


# --- one organization -------------------------------------------------------------------------


@router.get("/{public_id}", response={200: RegistryOrganizationOut, **errors(404)})
def organization(request: Any, public_id: UUID) -> RegistryOrganizationOut:
    """One organization, to its admins and to staff who decide registrations; 404 to anyone else."""
    return organization_out(_visible(request, public_id))


@router.post("/{public_id}/answer", response={200: RegistryOrganizationOut, **errors(404, 409)})
def answer(request: Any, public_id: UUID, payload: RegistryAnswerIn) -> RegistryOrganizationOut:
    """An admin answers staff's question: the registration waits for staff again. 409
    `registration_not_waiting` when no question is open."""
    organization = _visible(request, public_id)
    return organization_out(
        organization_answer(actor=request.auth, organization=organization, answer=payload.answer)
    )


@router.post("/{public_id}/documents", response={201: RegistryDocumentOut, **errors(404)})
def document_add(
    request: Any, public_id: UUID, payload: Form[RegistryDocumentIn], file: File[UploadedFile]
) -> tuple[int, RegistryDocumentOut]:
    """Adds a document (multipart/form-data: `title` and one `file`, a PDF or a JPEG, PNG or WebP
    photo, 8 MB at most), by an admin or staff. Judged by its bytes, not its name; photos are
    stored re-encoded without EXIF or location. A refused file answers 400 `document_refused`."""
    organization = _visible(request, public_id)
    document = organization_document_attach(
        actor=request.auth, organization=organization, upload=file, title=payload.title
    )
    return 201, document_out(document)


@router.get("/{public_id}/invitations", response={200: list[RegistryInvitationOut], **errors(403, 404)})
def invitations(request: Any, public_id: UUID) -> list[RegistryInvitationOut]:
    """The organization's invitations, newest first, for its admins and staff."""
    organization = _visible(request, public_id)
    return [invitation_out(i) for i in invitations_sent(organization)]


@router.post("/{public_id}/invitations", response={201: RegistryInvitationOut, **errors(403, 404, 409)})
def invite(request: Any, public_id: UUID, payload: RegistryInvitationIn) -> tuple[int, RegistryInvitationOut]:
    """Invites someone by phone or e-mail to act for an approved organization. The answer is the
    same whether anyone uses that address yet; the same address and role waiting answers the
    invitation already sent. 409 `organization_not_approved`; 403 for an admin whose organization
    is not approved yet."""
    organization = _visible(request, public_id)
    invitation = invitation_create(
        actor=request.auth, organization=organization, login=payload.login, role=payload.role
    )
    return 201, invitation_out(invitation)


@router.post("/{public_id}/link", response={201: RegistryLinkOut, **errors(404, 409)})
def link(request: Any, public_id: UUID, payload: RegistryLinkIn) -> tuple[int, RegistryLinkOut]:
    """Links the caller to an approved organization as a member or employee, with their consent
    (`consent: true`; without it 400 `link_consent_required`): their verified deeds from today on
    count in its totals, shown only for 5 people or more. 409 `already_linked`; 404 for an
    organization not approved."""
    organization = _approved(public_id)
    found = organization_link(
        actor=request.auth, organization=organization, relation=payload.relation, consent=payload.consent
    )
    return 201, link_out(found)


@router.delete("/{public_id}/link", response={200: RegistryLinkOut, **errors(404)})
def unlink(request: Any, public_id: UUID) -> RegistryLinkOut:
    """Ends the caller's link to the organization; 404 when there is none."""
    organization = organization_get(public_id)
    if organization is None:
        raise NotFound()
    return link_out(organization_unlink(actor=request.auth, organization=organization))
