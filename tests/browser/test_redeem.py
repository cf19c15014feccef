"""A citizen redeems a privilege and gets a code; the partner's counter staff types the code and
hands the privilege over; the citizen's passbook shows the points spent (issue 11)."""

import re

import pytest
from playwright.sync_api import expect

from kwamdee.rewards.models import Level, Redemption
from tests.browser.test_deed_flow import sign_in, sign_out
from tests.factories import PASSWORD
from tests.rewards.factories import counter_staff, make_partner, make_privilege, redeemer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _national_levels():
    """The national levels of migration rewards.0005 (an earlier transactional test empties them)."""
    for rank, name_th, name_en, credit in ((1, "ต้นกล้า", "Seedling", 0), (2, "ต้นไม้", "Tree", 100),
                                           (3, "ร่มไม้ใหญ่", "Great Shade Tree", 500)):  # fmt: skip
        Level.objects.get_or_create(
            community=None, rank=rank, defaults={"name_th": name_th, "name_en": name_en, "min_credit": credit}
        )


def test_redeem_show_the_code_confirm_at_the_counter_and_see_the_spend(page, artifacts):
    _national_levels()
    shop = make_partner()
    make_privilege(shop, cost=10, stock=5, title_th="ส่วนลด 20 บาท")
    citizen = redeemer(points=30, credit=150)
    staff = counter_staff(shop)

    # The citizen opens the privileges from the menu's link and picks one.
    sign_in(page, citizen.phone, PASSWORD)
    page.goto(page.base + "/privileges/")
    expect(page.get_by_test_id("my-points")).to_have_text("30")
    expect(page.get_by_test_id("my-level")).to_have_text("ต้นไม้")
    page.get_by_test_id("privileges").get_by_role("link", name="ส่วนลด 20 บาท").click()
    expect(page.locator("h1")).to_have_text("ส่วนลด 20 บาท")
    page.screenshot(path=str(artifacts / "redeem-privilege.png"), full_page=True)

    # One press: the points are set aside and the code is shown, big, with its QR.
    page.get_by_test_id("redeem-button").click()
    code = page.get_by_test_id("redemption-code")
    expect(code).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    expect(page.locator(".activity-code img")).to_be_visible()
    shown = code.inner_text()
    redemption = Redemption.objects.get(person=citizen)
    assert shown.replace("-", "") == redemption.code and redemption.state == "held"
    page.screenshot(path=str(artifacts / "redeem-code.png"), full_page=True)
    sign_out(page)

    # The shop's staff types what the person shows (any case, with the dash) and hands it over.
    sign_in(page, staff.phone, PASSWORD)
    page.goto(page.base + f"/partners/{shop.public_id}/counter/")
    page.fill("#counter-lookup input[name=code]", shown.lower())
    page.locator("#counter-lookup button[type=submit]").click()
    expect(page.locator("#counter-result")).to_contain_text("ส่วนลด 20 บาท")
    page.locator("#counter-confirm button[type=submit]").click()
    expect(page.locator(".message.success")).to_contain_text("ส่วนลด 20 บาท")
    redemption.refresh_from_db()
    assert redemption.state == "confirmed"
    sign_out(page)

    # The citizen's passbook: 20 points left, the spend an entry linked to the code.
    sign_in(page, citizen.phone, PASSWORD)
    page.goto(page.base + "/passbook/")
    expect(page.get_by_test_id("points-total")).to_have_text("20")
    expect(page.get_by_test_id("level-name")).to_have_text("ต้นไม้")
    entry = page.get_by_test_id("entries").locator("li", has=page.get_by_test_id("redemption-entry"))
    expect(entry).to_contain_text("ส่วนลด 20 บาท")
    expect(entry.locator(".minus")).to_contain_text("-10")
    expect(page.get_by_test_id("points-held")).to_have_count(0)
    page.screenshot(path=str(artifacts / "redeem-passbook.png"), full_page=True)
    entry.get_by_role("link").click()
    expect(page.get_by_test_id("redemption-state")).to_be_visible()
    expect(page.get_by_test_id("redemption-code")).to_have_count(0)
