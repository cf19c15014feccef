"""A citizen sees which conditions of the goodness bank's loan they meet, previews the schedule and
applies; two committee members approve, one pays it out; the citizen sees the schedule (issue 12)."""

import pytest
from playwright.sync_api import expect

from kwamdee.loans.models import Loan
from tests.browser.test_deed_flow import sign_in, sign_out
from tests.factories import PASSWORD
from tests.loans.factories import borrower, nong_sarai_product, open_bank

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_two_approve_pay_out_and_see_the_schedule(page, artifacts):
    fund, first, second = open_bank(baht=100_000)
    product = nong_sarai_product(fund, min_credit=50, min_pledge_points=10)
    citizen = borrower(points=40, credit=120)

    # The citizen opens the goodness bank: every condition of the loan is met.
    sign_in(page, citizen.phone, PASSWORD)
    page.goto(page.base + "/loans/")
    expect(page.get_by_test_id("condition-credit")).to_contain_text("120")
    expect(page.get_by_test_id("condition-pledge")).to_have_class("met")
    page.get_by_test_id("loan-products").get_by_role("link", name=product.name_th).click()
    expect(page.locator("h1")).to_have_text(product.name_th)

    # What would 30,000 baht in 3 months cost? 58.33 baht of interest, in the first month.
    page.fill("#id_p-amount", "30000")
    page.fill("#id_p-instalments", "3")
    page.get_by_test_id("preview-button").click()
    expect(page.get_by_test_id("schedule")).to_contain_text("58.33")
    expect(page.get_by_test_id("default-rule")).to_be_visible()
    page.screenshot(path=str(artifacts / "loan-product.png"), full_page=True)

    # Apply: the amount, the instalments, the pledge, and the terms read.
    page.fill("#id_amount", "30000")
    page.fill("#id_instalments", "3")
    page.fill("#id_pledge_points", "10")
    page.check("#id_agree")
    page.get_by_test_id("apply-button").click()
    expect(page.get_by_test_id("approvals")).to_contain_text("0")
    loan = Loan.objects.get(person=citizen)
    assert loan.state == "applied" and loan.approvals_needed == 2
    sign_out(page)

    # Two committee members approve (above 20,000 baht it takes two); the second pays it out.
    for member in (first, second):
        sign_in(page, member.phone, PASSWORD)
        page.goto(page.base + f"/loans/fund/{fund.public_id}/")
        page.get_by_test_id("waiting").get_by_role("link").first.click()
        page.get_by_test_id("approve-button").click()
        expect(page.locator(".messages")).to_be_visible()
        if member is second:
            page.get_by_test_id("disburse-button").click()
            expect(page.get_by_test_id("schedule")).to_be_visible()
        sign_out(page)
    loan.refresh_from_db()
    assert loan.state == "disbursed" and loan.approvals.count() == 2

    # The citizen sees the schedule and what comes next.
    sign_in(page, citizen.phone, PASSWORD)
    page.goto(page.base + f"/loans/{loan.public_id}/")
    expect(page.get_by_test_id("schedule")).to_contain_text("58.33")
    expect(page.get_by_test_id("next-due")).to_contain_text("10,058.33")
    expect(page.get_by_test_id("approvals")).to_contain_text("2")
    page.screenshot(path=str(artifacts / "loan-schedule.png"), full_page=True)
