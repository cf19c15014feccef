from django.urls import path

from kwamdee.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.manage_new, name="manage_new"),
    path("manage/categories/", views.manage_categories, name="manage_categories"),
    path("manage/synonyms/", views.manage_synonyms, name="manage_synonyms"),
    path("manage/proposals/", views.manage_proposals, name="manage_proposals"),
    path("manage/synonyms/remove/", views.manage_synonym_remove, name="manage_synonym_remove"),
    path("manage/<slug:code>/", views.manage_edit, name="manage_edit"),
    path("community/", views.communities_mine, name="communities"),
    path("community/<uuid:public_id>/", views.community_catalog, name="community"),
    path("community/<uuid:public_id>/new/", views.community_local_new, name="community_local_new"),
    path("community/<uuid:public_id>/adopt/", views.community_adopt, name="community_adopt"),
    path(
        "community/<uuid:public_id>/local/<slug:code>/",
        views.community_local_edit,
        name="community_local_edit",
    ),
    path("community/<uuid:public_id>/switch/<slug:code>/", views.community_switch, name="community_switch"),
    path("community/<uuid:public_id>/adjust/<slug:code>/", views.community_adjust, name="community_adjust"),
    path(
        "community/<uuid:public_id>/proposals/<uuid:proposal_id>/approve/",
        views.community_proposal_approve,
        name="community_proposal_approve",
    ),
    path("<slug:code>/", views.deed_type_page, name="deed_type"),
]
