from django.contrib import admin
from django.urls import include, path

from kwamdee.api.api import api
from kwamdee.common.views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("people/", include("kwamdee.people.urls")),
    path("areas/", include("kwamdee.areas.urls")),
    path("deeds/", include("kwamdee.deeds.urls")),
    path("catalog/", include("kwamdee.catalog.urls")),
    path("passbook/", include("kwamdee.ledger.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
