"""Rewards' pages: sponsorships (under /sponsorships/), and privileges, redemptions, partners,
their counters, levels and reports. Mounted at the site's root; every path has its own prefix."""

from django.urls import path

from kwamdee.rewards import views, views_partner, views_redeem

app_name = "rewards"
urlpatterns = [
    # Sponsors and their pledges.
    path("sponsorships/", views.sponsorships, name="sponsorships"),
    path("sponsorships/sponsors/", views.sponsors, name="sponsors"),
    path("sponsorships/funding/", views.funding, name="funding"),
    path("sponsorships/<uuid:public_id>/", views.sponsorship_report, name="sponsorship_report"),
    # A citizen: privileges near them, redeeming, their codes, the levels (views_redeem.py).
    path("privileges/", views_redeem.privileges, name="privileges"),
    path("privileges/levels/", views_redeem.levels, name="levels"),
    path("privileges/mine/", views_redeem.my_redemptions, name="my_redemptions"),
    path("privileges/<uuid:public_id>/", views_redeem.privilege_detail, name="privilege"),
    path("privileges/<uuid:public_id>/photo", views_redeem.privilege_photo, name="privilege_photo"),
    path("privileges/<uuid:public_id>/redeem/", views_redeem.redeem, name="redeem"),
    path("redemptions/<uuid:public_id>/", views_redeem.redemption_detail, name="redemption"),
    path(
        "redemptions/<uuid:public_id>/cancel/", views_redeem.redemption_cancel_view, name="redemption_cancel"
    ),
    # Partners, their counter and reports; approvals, levels and area reports (views_partner.py).
    path("partners/", views_partner.partners_mine, name="partners_mine"),
    path("partners/register/", views_partner.partner_register_view, name="partner_register"),
    path("partners/waiting/", views_partner.partners_waiting, name="partners_waiting"),
    path("partners/<uuid:public_id>/", views_partner.partner_detail, name="partner"),
    path("partners/<uuid:public_id>/decide/", views_partner.partner_decide_view, name="partner_decide"),
    path("partners/<uuid:public_id>/counter/", views_partner.counter, name="counter"),
    path("partners/<uuid:public_id>/report/", views_partner.partner_report, name="partner_report"),
    path("partners/<uuid:public_id>/staff/", views_partner.partner_staff, name="partner_staff"),
    path("partners/<uuid:public_id>/tokens/", views_partner.partner_tokens_view, name="partner_tokens"),
    path("partners/<uuid:public_id>/offer/", views_partner.privilege_offer_view, name="privilege_offer"),
    path("privileges/<uuid:public_id>/edit/", views_partner.privilege_edit, name="privilege_edit"),
    path(
        "privileges/<uuid:public_id>/withdraw/",
        views_partner.privilege_withdraw_view,
        name="privilege_withdraw",
    ),
    path("rewards/levels/", views_partner.levels_edit, name="levels_edit"),
    path("rewards/report/", views_partner.area_report, name="area_report"),
]
