"""Pages of the registry of organizations (docs/organizations.md, "Pages and API"): registering
an organization, "My organizations" and one organization's page for its admins, staff's queue of
registrations, invitations to act for an organization, and people linking themselves to one.

Thin: each page parses a form, calls one service (services.py) and shows the result; who may do
what is the selectors' rule. An organization, a document or an invitation that is not the
person's answers 404, as one that does not exist."""

from typing import Any
from uuid import UUID

import geothai
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kwamdee.common.errors import ServiceError
from kwamdee.common.files import stored_file_response
from kwamdee.common.forms import form_add_service_error
from kwamdee.common.i18n import pick
from kwamdee.organizations.choices import OrganizationState
from kwamdee.organizations.documents import document_clean
from kwamdee.organizations.forms import (
    AnswerForm,
    DecisionForm,
    DocumentForm,
    InvitationForm,
    LinkForm,
    OrganizationRegisterForm,
    OrganizationSearchForm,
)
from kwamdee.organizations.models import Organization
from kwamdee.organizations.selectors import (
    figures_min_people,
    invitations_for,
    invitations_sent,
    link_current,
    links_of,
    organization_admin_of,
    organization_document_get,
    organization_documents,
    organization_get,
    organization_managed_by,
    organization_types,
    organization_visible_to,
    organizations_administered_by,
    organizations_search,
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

DECISIONS = {"approve": organization_approve, "decline": organization_decline, "ask": organization_ask}
# What each state means to the organization's admins, in plain words.
STATE_WORDS = {
    OrganizationState.PENDING: gettext_lazy("Waiting: staff are checking your registration."),
    OrganizationState.MORE_INFO_ASKED: gettext_lazy("Staff asked for more information: answer below."),
    OrganizationState.APPROVED: gettext_lazy("Approved: your organization can invite its officers."),
    OrganizationState.DECLINED: gettext_lazy("Not approved: read staff's note below."),
}


def area_name(code: str) -> str:
    """A province, district or subdistrict code as people read it: "พนมทวน, กาญจนบุรี"."""
    code = code or ""
    levels = ((6, geothai.subdistrict), (4, geothai.district), (2, geothai.province))
    parts = [lookup(code[:n]) for n, lookup in levels if len(code) >= n]
    return ", ".join(pick(p.name_th, p.name_en) for p in parts if p is not None)


def _visible(request: HttpRequest, public_id: UUID) -> Organization:
    organization = organization_get(public_id)
    if organization is None or not organization_visible_to(request.user, organization):
        raise Http404
    return organization


def _state_words(organization: Organization) -> str:
    return str(STATE_WORDS.get(OrganizationState(organization.state), organization.get_state_display()))


# --- registering ------------------------------------------------------------------------------


class _RollBack(Exception):
    pass


def _documents_problem(files: list[Any]) -> ServiceError | None:
    """The first document that would be refused, checked before anything is written."""
    for upload in files:
        try:
            document_clean(upload)
        except ServiceError as exc:
            return exc
    return None


@login_required
def organization_register_view(request: HttpRequest) -> HttpResponse:
    """A signed-in person registers an organization with its first documents. Every problem is
    shown at once and nothing is written; the documents are checked before the registration."""
    post = request.method == "POST"
    form = OrganizationRegisterForm(
        request.POST if post else None, request.FILES if post else None, types=organization_types()
    )
    if post and form.is_valid():
        data = form.cleaned_data
        files = data["documents"]
        problem = _documents_problem(files)
        organization = None
        try:
            # With a bad document the registration is tried too, for its own problems, and
            # rolled back: every problem at once, nothing written.
            with transaction.atomic():
                organization = organization_register(
                    actor=request.user, name_th=data["name_th"], name_en=data["name_en"],
                    type_code=data["type"], area_code=form.area_code(),
                    registration_number=data["registration_number"], phone=data["phone"],
                    email=data["email"], address=data["address"], listed=data["listed"],
                )  # fmt: skip
                if problem is not None:
                    raise _RollBack
        except _RollBack:
            organization = None
        except ServiceError as exc:
            form_add_service_error(form, exc, aliases={"area_code": "province"})
        if problem is not None:
            form_add_service_error(form, problem, aliases={"document": "documents"})
        if organization is not None:
            failed = 0
            for upload in files:
                try:
                    organization_document_attach(
                        actor=request.user,
                        organization=organization,
                        upload=upload,
                        title=data["documents_title"],
                    )
                except ServiceError:
                    failed += 1
            messages.success(
                request, _("Your organization is registered. Staff will check it and answer you here.")
            )
            if failed:
                messages.error(
                    request, _("A document could not be kept. Add it again below, under “Documents”.")
                )
            return redirect("organizations:organization", public_id=organization.public_id)
    return render(request, "organizations/register.html", {"form": form})


# --- my organizations, and one organization -----------------------------------------------------


@login_required
def organizations_mine(request: HttpRequest) -> HttpResponse:
    rows = [
        (o, _state_words(o), area_name(o.scope_area_code))
        for o in organizations_administered_by(request.user)
    ]
    context = {
        "rows": rows,
        "invitations": list(invitations_for(request.user)),
        "links": [link for link in links_of(request.user) if link.unlinked_at is None],
    }
    return render(request, "organizations/mine.html", context)


def _organization_page(request: HttpRequest, organization: Organization, **forms: Any) -> HttpResponse:
    admin = organization_admin_of(request.user, organization)
    asked = organization.state == OrganizationState.MORE_INFO_ASKED
    invites = organization.state == OrganizationState.APPROVED and organization_managed_by(
        request.user, organization
    )
    context = {
        "organization": organization,
        "state_words": _state_words(organization),
        "area": area_name(organization.scope_area_code),
        "documents": organization_documents(organization),
        "answer_form": forms.get("answer_form") or (AnswerForm() if admin and asked else None),
        "document_form": forms.get("document_form") or DocumentForm(),
        "invitation_form": forms.get("invitation_form") or (InvitationForm() if invites else None),
        "invitations": invitations_sent(organization) if invites else [],
        "decides": registration_decidable_by(request.user),
    }
    return render(request, "organizations/organization.html", context, status=400 if forms else 200)


@login_required
def organization_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One organization, for its admins and staff: its state, staff's question and the answer,
    its documents, and its invitations."""
    return _organization_page(request, _visible(request, public_id))


@require_POST
@login_required
def organization_answer_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organization = _visible(request, public_id)
    if not organization_admin_of(request.user, organization):  # staff ask; its admins answer
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            organization_answer(
                actor=request.user, organization=organization, answer=form.cleaned_data["answer"]
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Your answer is sent. Staff will check your registration again."))
            return redirect("organizations:organization", public_id=organization.public_id)
    return _organization_page(request, organization, answer_form=form)


@require_POST
@login_required
def organization_document_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organization = _visible(request, public_id)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            organization_document_attach(
                actor=request.user, organization=organization, upload=form.cleaned_data["document"],
                title=form.cleaned_data["title"],
            )  # fmt: skip
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The document is added."))
            return redirect("organizations:organization", public_id=organization.public_id)
    return _organization_page(request, organization, document_form=form)


@login_required
def organization_document_file(request: HttpRequest, public_id: UUID, document_id: UUID) -> FileResponse:
    """One document, to staff who decide registrations and the organization's admins; always
    downloaded (never shown in the page), with the type it was stored with."""
    organization = _visible(request, public_id)
    document = organization_document_get(organization, document_id)
    if document is None:
        raise Http404
    return stored_file_response(
        document.file.name, content_type=document.content_type, filename_stem=f"document-{document.public_id}"
    )


@require_POST
@login_required
def invitation_create_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organization = _visible(request, public_id)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation_create(
                actor=request.user, organization=organization, login=form.cleaned_data["login"],
                role=form.cleaned_data["role"],
            )  # fmt: skip
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("The invitation is saved. Whoever signs in with this phone or e-mail can accept it."),
            )
            return redirect("organizations:organization", public_id=organization.public_id)
    return _organization_page(request, organization, invitation_form=form)


# --- staff's queue ------------------------------------------------------------------------------


def _queue_page(request: HttpRequest, bound: DecisionForm | None = None) -> HttpResponse:
    waiting = []
    for organization in registrations_waiting().select_related("registered_by"):
        prefix = str(organization.public_id)
        form = bound if bound is not None and bound.prefix == prefix else DecisionForm(prefix=prefix)
        waiting.append(
            (
                organization,
                form,
                area_name(organization.scope_area_code),
                organization_documents(organization),
            )
        )
    return render(
        request, "organizations/registrations.html", {"waiting": waiting}, status=400 if bound else 200
    )


@login_required
def registrations_view(request: HttpRequest) -> HttpResponse:
    if not registration_decidable_by(request.user):
        raise PermissionDenied
    return _queue_page(request)


@require_POST
@login_required
def registration_decide_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    if not registration_decidable_by(request.user):
        raise PermissionDenied
    organization = organization_get(public_id)
    if organization is None:
        raise Http404
    decision = request.POST.get("decision", "")
    if decision not in DECISIONS:
        raise SuspiciousOperation("unknown decision")  # the site's 400 page
    form = DecisionForm(request.POST, prefix=str(organization.public_id))
    if form.is_valid():
        try:
            DECISIONS[decision](actor=request.user, organization=organization, note=form.cleaned_data["note"])
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            done = {
                "approve": _("%(name)s is approved."),
                "decline": _("%(name)s is not approved. The organization reads your note."),
                "ask": _("Your question is sent to %(name)s."),
            }[decision]
            messages.success(request, done % {"name": organization.name})
            return redirect("organizations:registrations")
    return _queue_page(request, form)


# --- invitations for me ---------------------------------------------------------------------------


@login_required
def invitations_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "organizations/invitations.html", {"invitations": list(invitations_for(request.user))}
    )


@require_POST
@login_required
def invitation_answer_view(request: HttpRequest, invitation_id: UUID, answer: str) -> HttpResponse:
    try:
        if answer == "accept":
            membership = invitation_accept(actor=request.user, invitation_id=invitation_id)
            name = membership.organization.name
            messages.success(request, _("You now act for %(name)s.") % {"name": name})
        else:
            invitation_decline(actor=request.user, invitation_id=invitation_id)
            messages.success(request, _("You declined the invitation."))
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, str(exc.message))
    return redirect("organizations:mine")


# --- linking myself -------------------------------------------------------------------------------


@login_required
def links_view(request: HttpRequest) -> HttpResponse:
    """The person's links, and a search of the public directory to link to another."""
    search = OrganizationSearchForm(request.GET or None)
    found = None
    if search.is_bound and search.is_valid():
        found = organizations_search(
            name=search.cleaned_data["q"], province_code=search.cleaned_data["province"]
        )
    links = [link for link in links_of(request.user) if link.unlinked_at is None]
    context = {"search": search, "found": found, "links": links, "min_people": figures_min_people()}
    return render(request, "organizations/links.html", context)


def _approved(public_id: UUID) -> Organization:
    organization = organization_get(public_id)
    if organization is None or organization.state != OrganizationState.APPROVED:
        raise Http404
    return organization


@login_required
def link_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The person links themself to an approved organization, with their consent."""
    organization = _approved(public_id)
    form = LinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organization_link(
                actor=request.user, organization=organization, relation=form.cleaned_data["relation"],
                consent=form.cleaned_data["consent"],
            )  # fmt: skip
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("You are linked to %(name)s.") % {"name": organization.name})
            return redirect("organizations:links")
    context = {
        "organization": organization,
        "form": form,
        "area": area_name(organization.scope_area_code),
        "linked": link_current(request.user, organization) is not None,
        "min_people": figures_min_people(),
    }
    return render(request, "organizations/link.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def unlink_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organization = organization_get(public_id)
    if organization is None:
        raise Http404
    try:
        organization_unlink(actor=request.user, organization=organization)
    except ServiceError:
        raise Http404 from None
    messages.success(
        request, _("You are no longer linked to %(name)s. Your good deeds from today on do not count for it.")
        % {"name": organization.name},
    )  # fmt: skip
    return redirect("organizations:links")
