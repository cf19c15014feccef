from django.urls import path

from kwamdee.rewards import views

app_name = "rewards"
urlpatterns = [
    path("", views.sponsorships, name="sponsorships"),
    path("sponsors/", views.sponsors, name="sponsors"),
    path("funding/", views.funding, name="funding"),
    path("<uuid:public_id>/", views.sponsorship_report, name="sponsorship_report"),
]
