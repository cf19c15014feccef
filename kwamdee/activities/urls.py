from django.urls import path

from kwamdee.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_new, name="new"),
    path("my-code/", views.my_code, name="my_code"),
    path("<uuid:public_id>/", views.activity_detail, name="detail"),
    path("<uuid:public_id>/register/", views.activity_register_view, name="register"),
    path("<uuid:public_id>/code/", views.activity_code, name="code"),
    path("<uuid:public_id>/check-in/", views.activity_check_in, name="check_in"),
    path("<uuid:public_id>/check-in-person/", views.activity_check_person_view, name="check_in_person"),
    path("<uuid:public_id>/attendance/", views.attendance_file_view, name="attendance_file"),
    path(
        "<uuid:public_id>/attendance/template.csv", views.attendance_template_view, name="attendance_template"
    ),
    path("<uuid:public_id>/close/", views.activity_close_view, name="close"),
]
