"""The assessment's pages (views.py), under /assessments/."""

from django.urls import path

from kwamdee.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.home, name="home"),
    path("organization/<uuid:public_id>/", views.organization, name="organization"),
    path("desk/", views.desk, name="desk"),
    path("templates/", views.templates, name="templates"),
    path("templates/<uuid:public_id>/download/", views.template_download, name="template_download"),
    path("<uuid:public_id>/", views.assessment, name="assessment"),
    path("<uuid:public_id>/items/<str:code>/", views.item, name="item"),
    path("<uuid:public_id>/submit/", views.submit, name="submit"),
    path("<uuid:public_id>/score/", views.score, name="score"),
    path("<uuid:public_id>/certificate/", views.certificate, name="certificate"),
    path("<uuid:public_id>/evidence/<uuid:document_id>/", views.evidence, name="evidence"),
]
