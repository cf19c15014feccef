"""The goodness bank's pages (docs/loans.md), under /loans/."""

from django.urls import path

from kwamdee.loans import views

app_name = "loans"
urlpatterns = [
    path("", views.home, name="home"),
]
