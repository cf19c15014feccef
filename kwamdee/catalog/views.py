"""Web pages of the catalog: browse, a deed type's page, staff editing, community adaptation."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from kwamdee.areas.selectors import communities_administered_by, community_administered_by, community_get
from kwamdee.areas.services import community_catalog_adopt
from kwamdee.catalog import selectors
from kwamdee.catalog.forms import AdjustForm, BrowseForm, CategoryForm, DeedTypeForm, SynonymForm
from kwamdee.catalog.services import (
    category_save,
    community_item_switch,
    community_rule_adjust,
    deed_type_create,
    deed_type_update,
    rule_proposal_approve,
    synonym_remove,
    synonym_save,
)
from kwamdee.common.db_router import replica_reads
from kwamdee.common.decorators import permission_required
from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error

# A phone shows a page of the catalog at a time, not all of it (one 5,000 px page before).
CATALOG_PAGE_SIZE = 12


def _viewer_community_id(request) -> int | None:
    return getattr(request.user, "community_id", None) if request.user.is_authenticated else None


@replica_reads()
def browse(request):
    form = BrowseForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    results = selectors.catalog_search(
        community_id=_viewer_community_id(request), q=filters.get("q") or "",
        virtue=filters.get("virtue") or "", sdg=filters.get("sdg"),
        category=filters.get("category") or "",
    )  # fmt: skip
    page = Paginator(results, CATALOG_PAGE_SIZE).get_page(request.GET.get("page"))
    rules = selectors.rules_in_force_for(list(page), timezone.localdate(), _viewer_community_id(request))
    for deed_type in page:
        deed_type.rule_now = rules.get(deed_type.pk)  # type: ignore[attr-defined]  # for the card
    return render(
        request, "catalog/browse.html", {"form": form, "page": page, "filtered": any(filters.values())}
    )


@replica_reads()
def deed_type_page(request, code):
    community_id = _viewer_community_id(request)
    deed_type = selectors.deed_types_for_community(community_id).filter(code=code).first()
    if deed_type is None:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "catalog/deed_type.html",
        {
            "dt": deed_type,
            "rule": selectors.rule_in_force(deed_type, today, community_id),
            "history": selectors.rule_history(deed_type, community_id),
            "community_id": community_id,
        },
    )


# --- national staff ------------------------------------------------------------------------------


@permission_required("catalog.manage_catalog")
def manage(request):
    deed_types = selectors.deed_types_national_all()
    return render(request, "catalog/manage.html", {"deed_types": deed_types})


# The service names the row's columns; the form shows SDG and indicator errors where they are typed.
DEED_TYPE_FORM_ALIASES = {"indicators": "indicator_0_th"}


PROPOSED_MESSAGE = _lazy(
    "Saved. The points and limits take effect once a second committee member "
    "(or national staff) approves them."
)


def _deed_type_form_page(request, *, deed_type=None, community=None, back: str):
    form = DeedTypeForm(request.POST or None, deed_type=deed_type, local=community is not None)
    if request.method == "POST" and form.is_valid():
        try:
            if deed_type is None:
                deed_type = deed_type_create(actor=request.user, row=form.row(), community=community)
                if community is None:
                    messages.success(request, _("The deed type is added to the catalog."))
                else:
                    messages.success(request, PROPOSED_MESSAGE)
            else:
                waiting = len(selectors.rule_proposals_waiting(community)) if community else 0
                deed_type_update(actor=request.user, deed_type=deed_type, row=form.row())
                if community is not None and len(selectors.rule_proposals_waiting(community)) > waiting:
                    messages.success(request, PROPOSED_MESSAGE)
                else:
                    messages.success(request, _("The deed type is saved."))
        except ServiceError as exc:
            form_add_service_error(form, exc, aliases=DEED_TYPE_FORM_ALIASES)
        else:
            return redirect(back)
    return render(
        request, "catalog/deed_type_form.html", {"form": form, "dt": deed_type, "community": community}
    )


@permission_required("catalog.manage_catalog")
def manage_new(request):
    return _deed_type_form_page(request, back="catalog:manage")


@permission_required("catalog.manage_catalog")
def manage_edit(request, code):
    deed_type = _found(selectors.deed_type_by_code(code, national=True))
    return _deed_type_form_page(request, deed_type=deed_type, back="catalog:manage")


@permission_required("catalog.manage_catalog")
def manage_categories(request):
    # ?code=… edits that category (chosen from the list); without it the form adds a new one.
    code = request.GET.get("code", "")
    editing = selectors.category_by_code(code)
    form = CategoryForm(request.POST or None, category=editing)
    if request.method == "POST" and form.is_valid():
        try:
            category_save(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The category is saved."))
            return redirect("catalog:manage_categories")
    return render(
        request,
        "catalog/categories.html",
        {"form": form, "categories": selectors.category_list(), "editing": editing},
    )


@permission_required("catalog.manage_catalog")
def manage_synonyms(request):
    """Everyday search words (เลือด → บริจาคโลหิต): the list, and a form to add or change one."""
    form = SynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            synonym = synonym_save(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("“%(word)s” is saved as a search word.") % {"word": synonym.word})
            return redirect("catalog:manage_synonyms")
    return render(request, "catalog/synonyms.html", {"form": form, "synonyms": selectors.synonym_list()})


@require_POST
@permission_required("catalog.manage_catalog")
def manage_synonym_remove(request):
    word = request.POST.get("word", "")
    try:
        synonym_remove(actor=request.user, word=word)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("“%(word)s” is no longer a search word.") % {"word": word})
    return redirect("catalog:manage_synonyms")


# --- community admins ----------------------------------------------------------------------------


def _found(obj: Any) -> Any:
    if obj is None:
        raise Http404
    return obj


def _administered(request: HttpRequest, public_id: UUID) -> Any:
    """The community at `public_id`, if the signed-in person may act for it: 403 for a person
    who adapts no community's catalog, 404 for a community that is not theirs as for none."""
    if not request.user.has_perm("catalog.adapt_catalog"):
        raise PermissionDenied
    community = _found(community_get(public_id))
    if not community_administered_by(request.user, community):
        raise Http404
    return community


@login_required
def community_catalog(request, public_id):
    community = _administered(request, public_id)
    return render(
        request,
        "catalog/community.html",
        {
            "community": community,
            "items": selectors.community_catalog_items(community, timezone.localdate()),
            "local_types": selectors.deed_types_local_of(community),
            "proposals": [
                (p, selectors.rule_proposal_approvable_by(request.user, p))
                for p in selectors.rule_proposals_waiting(community)
            ],
        },
    )


def _approve(request: HttpRequest, proposal: Any) -> None:
    try:
        rule_proposal_approve(actor=request.user, proposal=proposal)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Approved: “%(name)s” takes effect.") % {"name": proposal.deed_type.name})


@require_POST
@login_required
def community_proposal_approve(request, public_id, proposal_id):
    """A second committee member approves a proposal of their community."""
    community = _administered(request, public_id)
    _approve(request, _found(selectors.rule_proposal_get(proposal_id, community=community)))
    return redirect("catalog:community", public_id=public_id)


@permission_required("catalog.manage_catalog")
def manage_proposals(request):
    """Every community's proposals waiting for a second approver, for national staff."""
    if request.method == "POST":
        proposal = selectors.rule_proposal_get(request.POST.get("proposal", ""), community=None)
        _approve(request, _found(proposal))
        return redirect("catalog:manage_proposals")
    return render(request, "catalog/proposals.html", {"proposals": selectors.rule_proposals_waiting(None)})


@login_required
def communities_mine(request):
    communities = communities_administered_by(request.user)
    if len(communities) == 1:
        return redirect("catalog:community", public_id=communities[0].public_id)
    return render(request, "catalog/communities.html", {"communities": communities})


@require_POST
@login_required
def community_adopt(request, public_id):
    community = _administered(request, public_id)
    community_catalog_adopt(actor=request.user, community=community)
    messages.success(request, _("Your community has adopted the national catalog."))
    return redirect("catalog:community", public_id=public_id)


@require_POST
@login_required
def community_switch(request, public_id, code):
    community = _administered(request, public_id)
    deed_type = _found(selectors.deed_type_by_code(code, national=True))
    enabled = request.POST.get("enabled") == "1"
    try:
        community_item_switch(actor=request.user, community=community, deed_type=deed_type, enabled=enabled)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("“%(name)s” is switched on.") % {"name": deed_type.name}
            if enabled
            else _("“%(name)s” is switched off.") % {"name": deed_type.name},
        )
    return redirect("catalog:community", public_id=public_id)


@login_required
def community_adjust(request, public_id, code):
    community = _administered(request, public_id)
    deed_type = _found(selectors.deed_type_by_code(code, national=True))
    national = selectors.national_rule_in_force(deed_type, timezone.localdate())
    initial: dict[str, object] = {"effective_from": timezone.localdate()}
    if national:
        initial.update(credit_per_unit=national.credit_per_unit, points_per_unit=national.points_per_unit)
    form = AdjustForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            community_rule_adjust(
                actor=request.user, community=community, deed_type=deed_type, **form.cleaned_data
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, PROPOSED_MESSAGE)
            return redirect("catalog:community", public_id=public_id)
    context = {"form": form, "community": community, "dt": deed_type, "national": national}
    return render(request, "catalog/adjust.html", context)


@login_required
def community_local_new(request, public_id):
    community = _administered(request, public_id)
    back = f"/catalog/community/{community.public_id}/"
    return _deed_type_form_page(request, community=community, back=back)


@login_required
def community_local_edit(request, public_id, code):
    community = _administered(request, public_id)
    deed_type = _found(selectors.deed_type_by_code(code, community=community))
    back = f"/catalog/community/{community.public_id}/"
    return _deed_type_form_page(request, deed_type=deed_type, community=community, back=back)
