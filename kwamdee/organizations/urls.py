from django.urls import path

from kwamdee.organizations import views, views_registry

app_name = "organizations"
urlpatterns = [
    path("confirm-id/", views.national_id_confirm_view, name="confirm_national_id"),
    # The registry (views_registry.py).
    path("register/", views_registry.organization_register_view, name="register"),
    path("mine/", views_registry.organizations_mine, name="mine"),
    path("registrations/", views_registry.registrations_view, name="registrations"),
    path(
        "registrations/<uuid:public_id>/decide/",
        views_registry.registration_decide_view,
        name="registration_decide",
    ),
    path("invitations/", views_registry.invitations_view, name="invitations"),
    path(
        "invitations/<uuid:invitation_id>/accept/",
        views_registry.invitation_answer_view,
        {"answer": "accept"},
        name="invitation_accept",
    ),
    path(
        "invitations/<uuid:invitation_id>/decline/",
        views_registry.invitation_answer_view,
        {"answer": "decline"},
        name="invitation_decline",
    ),
    path("links/", views_registry.links_view, name="links"),
    path("<uuid:public_id>/", views_registry.organization_view, name="organization"),
    path("<uuid:public_id>/answer/", views_registry.organization_answer_view, name="answer"),
    path("<uuid:public_id>/documents/", views_registry.organization_document_view, name="document_add"),
    path(
        "<uuid:public_id>/documents/<uuid:document_id>/",
        views_registry.organization_document_file,
        name="document",
    ),
    path("<uuid:public_id>/invite/", views_registry.invitation_create_view, name="invite"),
    path("<uuid:public_id>/link/", views_registry.link_view, name="link"),
    path("<uuid:public_id>/unlink/", views_registry.unlink_view, name="unlink"),
]
