"""The public directory of organizations, an organization's page, how each of its figures was
computed, and its report as PDF and XLSX."""

from typing import Any
from uuid import UUID

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kwamdee.assessments.selectors import person_acts_for
from kwamdee.impact.forms import DirectoryFilterForm
from kwamdee.impact.reports import report_pdf, report_xlsx
from kwamdee.impact.selectors import (
    directory_organizations,
    directory_rows,
    organization_profile,
    organization_public,
    years_offered,
)
from kwamdee.organizations.selectors import organization_managed_by

DIRECTORY_PAGE_SIZE = 25


def organization_visible(request: HttpRequest, public_id: UUID) -> Any:
    """The one rule of who sees an organization's page and report: anyone, when it is approved
    and listed; its own people and staff, when it is approved and not listed; nobody else
    (404, as for an organization that does not exist)."""
    organization = organization_public(public_id)
    if organization is None:
        raise Http404
    user = request.user
    if not (
        organization.listed
        or organization_managed_by(user, organization)
        or person_acts_for(user, organization)
    ):
        raise Http404
    return organization


def _year(request: HttpRequest) -> int:
    offered = years_offered()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return offered[0]
    return year if year in offered else offered[0]


def directory_view(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    organizations = directory_organizations(
        type_code=chosen.get("type", ""), province_code=chosen.get("province", ""), query=chosen.get("q", "")
    )
    page = Paginator(organizations, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"rows": directory_rows(page.object_list), "page": page, "form": form, "filtered": bool(chosen)}
    return render(request, "impact/directory.html", context)


def organization_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organization = organization_visible(request, public_id)
    year = _year(request)
    profile = organization_profile(organization, year=year)
    return render(request, "impact/organization.html", {"p": profile, "years": years_offered()})


def figures_how_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organization = organization_visible(request, public_id)
    profile = organization_profile(organization, year=_year(request))
    return render(request, "impact/how.html", {"p": profile})


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def report_pdf_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organization = organization_visible(request, public_id)
    year = _year(request)
    pdf = report_pdf(organization_profile(organization, year=year))
    return _download(pdf, "application/pdf", f"kwamdee-report-{year}.pdf")


def report_xlsx_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organization = organization_visible(request, public_id)
    year = _year(request)
    content = report_xlsx(organization_profile(organization, year=year))
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(content, xlsx, f"kwamdee-report-{year}.xlsx")
