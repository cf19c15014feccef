"""A signed-in citizen who opens a page of another role sees the site's 403 page (never the
browser's "too many redirects"), in Thai and, one click away, in English."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_deed_flow import sign_in
from tests.factories import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE_PAGES = ["/deeds/queue/", "/catalog/manage/", "/catalog/community/", "/sponsorships/"]


def test_citizen_sees_the_403_page_for_each_role_page(page, artifacts):
    citizen = make_person(name="ชูใจ ใฝ่ดี")
    sign_in(page, citizen.phone, PASSWORD)
    for path in ROLE_PAGES:
        response = page.goto(page.base + path)
        assert response is not None and response.status == (200 if path == "/catalog/community/" else 403)
        if path == "/catalog/community/":
            continue  # a person who administers no community gets an empty list there, not a refusal
        expect(page.locator("[data-testid=error-page]")).to_be_visible()
        expect(page.locator("h1")).to_have_text("หน้านี้ไม่ใช่สำหรับบทบาทของคุณ")
    page.screenshot(path=str(artifacts / "error-403-th-phone.png"), full_page=True)

    # one click to English, on the same page
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("This page is not for your role")
    page.screenshot(path=str(artifacts / "error-403-en-phone.png"), full_page=True)

    # and a way back
    page.get_by_role("link", name="Back to the home page").click()
    expect(page).to_have_url(page.base + "/")


def test_unknown_page_shows_the_404_page(page, artifacts):
    response = page.goto(page.base + "/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("ไม่พบหน้านี้")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.screenshot(path=str(artifacts / "error-404-th-desktop.png"), full_page=True)
