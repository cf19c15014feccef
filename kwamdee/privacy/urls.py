from django.urls import path

from kwamdee.privacy import views

app_name = "privacy"
urlpatterns = [
    path("my-data/", views.my_data_page, name="my_data"),
    path("my-data/download/<str:fmt>/", views.my_data_download, name="my_data_download"),
    path("my-data/correction/", views.correction_page, name="correction"),
    path("erase/", views.erase_page, name="erase"),
    path("erased/", views.erased_page, name="erased"),
    path("requests/", views.requests_page, name="requests"),
    path("requests/<uuid:public_id>/", views.request_page, name="request"),
]
