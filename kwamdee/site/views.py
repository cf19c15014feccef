"""The home page, `/healthz` and the site's own error pages (Thai or English, in the site's style)."""

from typing import Any

from django import db
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kwamdee.catalog.selectors import deed_type_active_count, sdg_list, virtue_list
from kwamdee.site.gallery import GalleryForm, gallery_page
from kwamdee.site.health import health_report


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "site/home.html", {"virtues": virtue_list(), "deed_type_count": deed_type_active_count()}
    )


@require_safe
def agencies(request: HttpRequest) -> HttpResponse:
    """For agencies and developers: the API, the catalog's files and the ledger's public proofs,
    kept off the pages citizens use."""
    return render(request, "site/agencies.html")


@require_safe
def ui_gallery(request: HttpRequest) -> HttpResponse:
    """The living page of the design system's components (docs/ui.md), in development only."""
    if not settings.DEBUG:
        raise Http404
    form = GalleryForm(request.GET or None)
    if request.GET:
        form.is_valid()  # shows the error summary and the field errors
    context = {"form": form, "page_example": gallery_page(), "sdgs": sdg_list()[:4]}
    return render(request, "site/ui.html", context)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: open to all, never cached, no personal data.
    200 when every check passes, 503 naming the ones that failed (site/health.py)."""
    report = health_report()
    return JsonResponse(report, status=200 if all(report.values()) else 503)


ERRORS = {
    400: (
        _("The request could not be read"),
        _("Something in the request was not right. Please go back and try again."),
    ),
    403: (
        _("This page is not for your role"),
        _(
            "You are signed in, but this page belongs to another role, such as verifiers or community "
            "admins. If you think you should have it, ask your organization or community admin."
        ),
    ),
    404: (
        _("Page not found"),
        _("This page does not exist, or it has moved. Check the address, or start again from the home page."),
    ),
    500: (
        _("Something went wrong on our side"),
        _("The change was not saved. Please try again in a moment; if it happens again, tell us."),
    ),
}


def _error(request: HttpRequest, status: int) -> HttpResponse:
    title, text = ERRORS[status]
    if status == 500:
        # The database may be what failed: if the signed-in person cannot be read, the page is
        # drawn as for a visitor rather than failing again.
        try:
            bool(request.user.is_authenticated)
        except db.Error:
            request.user = AnonymousUser()
    context = {"status": status, "title": title, "text": text}
    # The 500 page renders without context processors' database work, so that it shows even
    # when the database is what failed.
    return render(request, "site/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500)
