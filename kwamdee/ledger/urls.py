from django.urls import path

from kwamdee.ledger import views

app_name = "ledger"
urlpatterns = [path("", views.passbook, name="passbook")]
