"""The goodness bank's pages (docs/loans.md), under /loans/: a person's (views.py) and the
committee's desk (views_fund.py)."""

from django.urls import path

from kwamdee.loans import views, views_fund

app_name = "loans"
urlpatterns = [
    path("", views.home, name="home"),
    path("products/<uuid:public_id>/", views.product, name="product"),
    path("<uuid:public_id>/", views.loan, name="loan"),
    path("<uuid:public_id>/statement/", views.statement, name="statement"),
    path("<uuid:public_id>/receipts/<uuid:repayment_id>/", views.receipt, name="receipt"),
    path("<uuid:public_id>/decide/", views_fund.decide, name="decide"),
    path("<uuid:public_id>/repay/", views_fund.repay, name="repay"),
    path("fund/", views_fund.fund_home, name="fund_home"),
    path("fund/<uuid:public_id>/", views_fund.fund, name="fund"),
    path("fund/<uuid:public_id>/products/new/", views_fund.product_new, name="product_new"),
    path("fund/<uuid:public_id>/import/", views_fund.statement_import, name="statement_import"),
    path("fund/<uuid:public_id>/report/", views_fund.report, name="report"),
]
