from django.urls import path

from kwamdee.impact import views

app_name = "impact"
urlpatterns = [
    path("directory/", views.directory_view, name="directory"),
    path("o/<uuid:public_id>/", views.organization_view, name="organization"),
    path("o/<uuid:public_id>/how/", views.figures_how_view, name="how"),
    path("o/<uuid:public_id>/report.pdf", views.report_pdf_view, name="report_pdf"),
    path("o/<uuid:public_id>/report.xlsx", views.report_xlsx_view, name="report_xlsx"),
]
