from django.urls import path

from kwamdee.deeds import views

app_name = "deeds"
urlpatterns = [
    path("", views.deed_list, name="list"),
    path("new/", views.deed_new, name="new"),
    path("queue/", views.queue, name="queue"),
    path("queue/verify/", views.verify_bulk, name="verify_bulk"),
    path("<uuid:public_id>/", views.deed_detail, name="detail"),
    path("<uuid:public_id>/decide/", views.decide, name="decide"),
    path("evidence/<uuid:public_id>/", views.evidence_file, name="evidence"),
    path("<uuid:public_id>/answer/", views.answer, name="answer"),
    path("witness/", views.witness_list, name="witness_list"),
    path("<uuid:public_id>/witness/", views.witness, name="witness"),
    path("<uuid:public_id>/witnesses/add/", views.witness_more, name="witness_add"),
    path("helpers/", views.helpers, name="helpers"),
    path("helpers/<int:consent_id>/revoke/", views.helper_revoke, name="helper_revoke"),
]
