"""A signed-in citizen who opens a page of another role sees the site's 403 page (never the
browser's "too many redirects"), in Thai and, one click away, in English."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.test_deed_flow import sign_in
from tests.factories import PASSWORD, make_person
from tests.security.test_authorization_matrix import WEB

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def citizen_refused_pages() -> list[str]:
    """Every page the authorization matrix refuses a signed-in citizen with a 403 (its GET rows),
    so that a new row is opened here too. An id in a path is any UUID: a role that may never open
    the page is refused before the object is looked up."""
    any_id = str(uuid.uuid4())
    paths = (
        re.sub(r"\{[a-z_]+\}", any_id, row.path)
        for row in WEB
        if row.method == "GET" and row.outcome("citizen") == 403
    )
    return list(dict.fromkeys(paths))


ROLE_PAGES = citizen_refused_pages()


def test_the_matrix_has_role_pages_to_open():
    assert len(ROLE_PAGES) >= 20 and "/deeds/queue/" in ROLE_PAGES and "/catalog/manage/" in ROLE_PAGES


def test_citizen_sees_the_403_page_for_each_role_page(page, artifacts):
    citizen = make_person(name="ชูใจ ใฝ่ดี")
    sign_in(page, citizen.phone, PASSWORD)
    for path in ROLE_PAGES:
        response = page.goto(page.base + path)
        assert response is not None and response.status == 403, path
        expect(page.locator("h1"), path).to_have_text("หน้านี้ไม่ใช่สำหรับบทบาทของคุณ")
    expect(page.locator("[data-testid=error-page]")).to_be_visible()
    page.goto(page.base + "/deeds/queue/")
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
