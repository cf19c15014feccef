"""The time bank's pages (docs/timebank.md), under /timebank/."""

from django.urls import path

from kwamdee.timebank import views, views_committee

app_name = "timebank"
urlpatterns = [
    # A member: my time, offers and requests, exchanges, giving to the pool (views.py).
    path("", views.home, name="home"),
    path("listings/", views.listings, name="listings"),
    path("listings/new/", views.listing_new, name="listing_new"),
    path("listings/<uuid:public_id>/", views.listing_detail, name="listing"),
    path("listings/<uuid:public_id>/reply/", views.listing_reply, name="listing_reply"),
    path("listings/<uuid:public_id>/close/", views.listing_close_view, name="listing_close"),
    path("exchanges/", views.my_exchanges, name="exchanges"),
    path("exchanges/<uuid:public_id>/", views.exchange_detail, name="exchange"),
    path("exchanges/<uuid:public_id>/act/", views.exchange_act, name="exchange_act"),
    path("donate/", views.donate, name="donate"),
    # The committee, the reports, national staff's links of categories (views_committee.py).
    path("community/", views_committee.committee, name="committee"),
    path("community/<uuid:public_id>/", views_committee.community, name="community"),
    path("report/", views_committee.report, name="report"),
    path("categories/", views_committee.categories, name="categories"),
]
