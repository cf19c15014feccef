"""Web pages of the catalog: browse, a deed type's page, staff editing and import/export,
community adaptation, and sponsors' pledges and reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kwamdee.areas.models import Community
from kwamdee.catalog import selectors
from kwamdee.catalog.errors import CatalogImportInvalid
from kwamdee.catalog.forms import (
    AdjustForm,
    BrowseForm,
    CategoryForm,
    DeedTypeForm,
    ImportForm,
    PledgeForm,
    SponsorForm,
)
from kwamdee.catalog.interchange import FORMATS, catalog_export, catalog_import
from kwamdee.catalog.models import DeedType, Sponsor
from kwamdee.catalog.services import (
    category_save,
    community_catalog_adopt,
    community_item_switch,
    community_rule_adjust,
    deed_type_create,
    deed_type_update,
    sponsor_create,
    sponsor_member_add,
    sponsorship_pledge,
)
from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.people.models import User
from kwamdee.people.services import login_normalize


def _viewer_community_id(request) -> int | None:
    return getattr(request.user, "community_id", None) if request.user.is_authenticated else None


def browse(request):
    form = BrowseForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    results = selectors.catalog_search(
        community_id=_viewer_community_id(request), q=filters.get("q") or "",
        virtue=filters.get("virtue") or "", sdg=filters.get("sdg"),
        category=filters.get("category") or "",
    )  # fmt: skip
    return render(request, "catalog/browse.html", {"form": form, "results": results})


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
            "sponsorships": selectors.sponsorships_paying_for_type(deed_type, community_id, today),
        },
    )


def export(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    response = HttpResponse(catalog_export(fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="kwamdee-catalog.{fmt}"'
    return response


# --- national staff ------------------------------------------------------------------------------


@permission_required("catalog.manage_catalog")
def manage(request):
    deed_types = DeedType.objects.filter(community__isnull=True).select_related("category").order_by("code")
    return render(request, "catalog/manage.html", {"deed_types": deed_types})


def _deed_type_form_page(request, *, deed_type=None, community=None, back: str):
    form = DeedTypeForm(request.POST or None, deed_type=deed_type, local=community is not None)
    if request.method == "POST" and form.is_valid():
        try:
            if deed_type is None:
                deed_type = deed_type_create(actor=request.user, row=form.row(), community=community)
                messages.success(request, _("The deed type is added to the catalog."))
            else:
                deed_type_update(actor=request.user, deed_type=deed_type, row=form.row())
                messages.success(request, _("The deed type is saved."))
        except ServiceError as exc:
            form_add_service_error(form, exc)
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
    deed_type = get_object_or_404(DeedType, code=code, community__isnull=True)
    return _deed_type_form_page(request, deed_type=deed_type, back="catalog:manage")


@permission_required("catalog.manage_catalog")
def interchange(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, summary = [], None
    if request.method == "POST" and form.is_valid():
        try:
            summary = catalog_import(
                actor=request.user, fmt=form.cleaned_data["format"], content=form.cleaned_data["file"].read()
            )
        except CatalogImportInvalid as exc:
            errors = exc.errors
        except ServiceError as exc:
            form_add_service_error(form, exc)
    return render(request, "catalog/interchange.html", {"form": form, "errors": errors, "summary": summary})


@permission_required("catalog.manage_catalog")
def manage_categories(request):
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category_save(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The category is saved."))
            return redirect("catalog:manage_categories")
    return render(request, "catalog/categories.html", {"form": form, "categories": selectors.category_list()})


@permission_required("catalog.manage_catalog")
def manage_sponsors(request):
    form = SponsorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = User.objects.filter(
            Q(phone=login_normalize(data["member"])) | Q(email=login_normalize(data["member"]))
        ).first()
        if member is None:
            form.add_error("member", _("No registered person has this phone number or e-mail."))
        else:
            try:
                with transaction.atomic():
                    sponsor = sponsor_create(
                        actor=request.user,
                        name_th=data["name_th"],
                        name_en=data["name_en"],
                        kind=data["kind"],
                    )
                    sponsor_member_add(actor=request.user, sponsor=sponsor, person=member)
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(request, _("The sponsor is registered."))
                return redirect("catalog:manage_sponsors")
    sponsors = Sponsor.objects.prefetch_related("members").order_by("name_th")
    return render(request, "catalog/sponsors.html", {"form": form, "sponsors": sponsors})


# --- community admins ----------------------------------------------------------------------------


def _administered(request, public_id) -> Community:
    community = get_object_or_404(Community, public_id=public_id)
    if not community.admins.filter(pk=request.user.pk).exists():
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
            "local_types": DeedType.objects.filter(community=community).order_by("code"),
        },
    )


@login_required
def communities_mine(request):
    communities = list(request.user.administered_communities.all())
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
    deed_type = get_object_or_404(DeedType, code=code, community__isnull=True)
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
    deed_type = get_object_or_404(DeedType, code=code, community__isnull=True)
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
            messages.success(request, _("The community's points are saved as a new rule version."))
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
    deed_type = get_object_or_404(DeedType, code=code, community=community)
    back = f"/catalog/community/{community.public_id}/"
    return _deed_type_form_page(request, deed_type=deed_type, community=community, back=back)


# --- sponsors ------------------------------------------------------------------------------------


@permission_required("catalog.pledge_sponsorship")
def sponsorships(request):
    form = PledgeForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sponsorship_pledge(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(
                request, _("Thank you. Your pledge is recorded and its budget is in the ledger.")
            )
            return redirect("catalog:sponsorships")
    pledges = list(selectors.sponsorships_of(request.user))
    for pledge in pledges:
        pledge.budget_left_display = selectors.budget_left_display(pledge)
    context = {"form": form, "sponsorships": pledges}
    return render(request, "catalog/sponsorships.html", context)


@permission_required("catalog.pledge_sponsorship")
def sponsorship_report(request, public_id):
    sponsorship = get_object_or_404(selectors.sponsorships_of(request.user), public_id=public_id)
    report = selectors.sponsorship_report(sponsorship)
    return render(request, "catalog/report.html", {"s": sponsorship, "report": report})
