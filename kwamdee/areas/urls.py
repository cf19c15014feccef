from django.urls import path

from kwamdee.areas import views

app_name = "areas"
urlpatterns = [
    path("districts/", views.district_choices, name="districts"),
    path("subdistricts/", views.subdistrict_choices, name="subdistricts"),
]
