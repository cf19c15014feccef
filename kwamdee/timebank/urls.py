"""The time bank's pages (docs/timebank.md), under /timebank/."""

from django.urls import path

from kwamdee.timebank import views

app_name = "timebank"
urlpatterns = [
    path("", views.home, name="home"),
]
