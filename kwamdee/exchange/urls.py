from django.urls import path

from kwamdee.exchange import views

# Mounted under /catalog/, where people look for the catalog's files.
app_name = "exchange"
urlpatterns = [
    path("export/<str:fmt>/", views.export, name="export"),
    path("manage/interchange/", views.interchange, name="interchange"),
]
