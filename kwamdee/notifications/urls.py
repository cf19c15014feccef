from django.urls import path

from kwamdee.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notifications_read_all, name="read_all"),
    path("settings/", views.preferences, name="preferences"),
    path("<uuid:public_id>/read/", views.notification_read, name="read"),
]
