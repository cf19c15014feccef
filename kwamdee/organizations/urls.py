from django.urls import path

from kwamdee.organizations import views

app_name = "organizations"
urlpatterns = [
    path("confirm-id/", views.national_id_confirm_view, name="confirm_national_id"),
]
