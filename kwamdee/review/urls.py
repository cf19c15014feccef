from django.urls import path

from kwamdee.review import views

app_name = "review"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("flags/<uuid:public_id>/", views.flag_detail, name="flag"),
    path("flags/<uuid:public_id>/dismiss/", views.flag_dismiss, name="dismiss"),
    path("flags/<uuid:public_id>/reverse/", views.credit_reverse, name="reverse"),
]
