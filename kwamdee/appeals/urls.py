from django.urls import path

from kwamdee.appeals import views

app_name = "appeals"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("deed/<uuid:deed_public_id>/", views.create, name="create"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/decide/", views.decide, name="decide"),
]
