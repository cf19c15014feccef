from django.urls import path

from kwamdee.exchange import views

# Mounted under /assessments/templates/, beside the JSON files of the assessments app's page.
app_name = "template_files"
urlpatterns = [
    path("workbook/", views.assessment_template_workbook_upload, name="upload"),
    path("<uuid:public_id>/workbook.xlsx", views.assessment_template_workbook, name="workbook"),
]
