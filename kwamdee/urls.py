from django.contrib import admin
from django.urls import include, path

from kwamdee.api.api import api
from kwamdee.site.views import agencies, healthz, home, ui_gallery

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("agencies/", agencies, name="agencies"),
    path("ui/", ui_gallery, name="ui_gallery"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("people/", include("kwamdee.people.urls")),
    path("areas/", include("kwamdee.areas.urls")),
    path("deeds/", include("kwamdee.deeds.urls")),
    path("appeals/", include("kwamdee.appeals.urls")),
    path("organizations/", include("kwamdee.organizations.urls")),
    # The directory, an organization's page and its report, above the apps they count from.
    path("organizations/", include("kwamdee.impact.urls")),
    path("assessments/", include("kwamdee.assessments.urls")),
    # Templates as XLSX workbooks: read with the catalog's safe XLSX reading, in `exchange`.
    path("assessments/templates/", include("kwamdee.exchange.urls_templates")),
    # The catalog's files and imports live with the catalog's pages, served by `exchange`.
    path("catalog/", include("kwamdee.exchange.urls")),
    path("catalog/", include("kwamdee.catalog.urls")),
    path("", include("kwamdee.rewards.urls")),
    path("passbook/", include("kwamdee.passbook.urls")),
    path("loans/", include("kwamdee.loans.urls")),
    path("timebank/", include("kwamdee.timebank.urls")),
    path("activities/", include("kwamdee.activities.urls")),
    path("notifications/", include("kwamdee.notifications.urls")),
    path("review/", include("kwamdee.review.urls")),
    path("privacy/", include("kwamdee.privacy.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# The site's own error pages, in Thai or English (kwamdee/site/views.py).
handler400 = "kwamdee.site.views.bad_request"
handler403 = "kwamdee.site.views.permission_denied"
handler404 = "kwamdee.site.views.page_not_found"
handler500 = "kwamdee.site.views.server_error"
