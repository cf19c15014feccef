"""The pages of those who run time banks: a community's committee (its limit, its pool and the
donations to it, the exchanges waiting where the pool may pay), the reports (the committee's own
communities; national staff every province), and national staff's links of categories to deed
types (จิตอาสา)."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kwamdee.areas.selectors import communities_administered_by, community_get
from kwamdee.catalog.choices import Pricing
from kwamdee.catalog.selectors import deed_types_by_code
from kwamdee.common.decorators import permission_required
from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.common.i18n import hours_and_minutes
from kwamdee.timebank.forms import CategoryLinkForm, LimitForm
from kwamdee.timebank.ledger import pool_balance
from kwamdee.timebank.reports import timebank_report, timebank_reports_visible_to
from kwamdee.timebank.selectors import (
    categories_active,
    category_get,
    donations_to,
    exchanges_proposed_in,
    negative_limit,
    timebank_run_by,
)
from kwamdee.timebank.services import category_deed_type_link, timebank_limit_set


def _run_community_or_404(request: HttpRequest, public_id: uuid.UUID) -> Any:
    community = community_get(public_id)
    if community is None or not timebank_run_by(request.user, community):
        raise Http404
    return community


@permission_required("timebank.manage_timebank")
def committee(request: HttpRequest) -> HttpResponse:
    """The communities whose time bank the person runs: straight to the one, or a list."""
    communities = communities_administered_by(request.user)
    if len(communities) == 1:
        return redirect("timebank:community", public_id=communities[0].public_id)
    return render(request, "timebank/committee.html", {"communities": communities})


def _community_page(request: HttpRequest, community: Any, form: LimitForm | None = None) -> HttpResponse:
    limit = negative_limit(community)
    if form is None:
        form = LimitForm(initial={"hours": -limit // 60})
    context: dict[str, Any] = {
        "community": community,
        "limit_form": form,
        "limit_words": hours_and_minutes(limit),
        "limit_zero": limit == 0,
        "pool_words": hours_and_minutes(pool_balance(community)),
        "donations": [(d, hours_and_minutes(d.minutes)) for d in donations_to(community)[:20]],
        "waiting": [(x, hours_and_minutes(x.minutes)) for x in exchanges_proposed_in(community)[:50]],
        "categories": list(categories_active().select_related("deed_type")),
    }
    if form.errors:
        context["form"] = form
    return render(request, "timebank/community.html", context)


@permission_required("timebank.manage_timebank")
def community(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    community = _run_community_or_404(request, public_id)
    if request.method != "POST":
        return _community_page(request, community)
    form = LimitForm(request.POST)
    if form.is_valid():
        try:
            timebank_limit_set(
                actor=request.user, community=community, minutes=-form.cleaned_data["hours"] * 60
            )
        except ServiceError as exc:
            form_add_service_error(form, exc, aliases={"minutes": "hours"})
        else:
            messages.success(request, _("Saved. The new limit counts from now on."))
            return redirect("timebank:community", public_id=public_id)
    return _community_page(request, community, form)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    scope = timebank_reports_visible_to(request.user)
    if not scope:
        raise Forbidden
    return render(request, "timebank/report.html", {"scope": scope, "rows": timebank_report(request.user)})


def _per_hour_deed_types() -> list[tuple[str, str]]:
    national = [
        dt for dt in deed_types_by_code().values()
        if dt.community_id is None and dt.pricing == Pricing.PER_HOUR and dt.is_active
    ]  # fmt: skip
    return sorted(((dt.code, dt.name) for dt in national), key=lambda pair: pair[1])


@permission_required("catalog.manage_catalog")
def categories(request: HttpRequest) -> HttpResponse:
    """National staff say which categories' time also counts as a deed type (จิตอาสา)."""
    deed_types = _per_hour_deed_types()
    form = CategoryLinkForm(request.POST if request.method == "POST" else None, deed_types=deed_types)
    if request.method == "POST" and form.is_valid():
        category = category_get(form.cleaned_data["category"])
        if category is None:
            raise Http404
        try:
            category_deed_type_link(
                actor=request.user, category=category, deed_type_code=form.cleaned_data["deed_type"]
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Saved. Exchanges confirmed from now on follow it."))
            return redirect("timebank:categories")
    context: dict[str, Any] = {
        "link_form": form,
        "categories": list(categories_active().select_related("deed_type")),
    }
    if form.errors:
        context["form"] = form
    return render(request, "timebank/categories.html", context)
