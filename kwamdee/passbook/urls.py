from django.urls import path

from kwamdee.passbook import views

app_name = "passbook"
urlpatterns = [path("", views.passbook, name="passbook")]
