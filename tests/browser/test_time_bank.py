"""A time-bank exchange (issue 12): one member replies to a neighbour's offer with the time it
took, the neighbour confirms it on their own phone, both see the exchange confirmed and the
balances move (one earns what the other owes)."""

import pytest
from playwright.sync_api import expect

from kwamdee.timebank.ledger import time_balance
from kwamdee.timebank.models import Exchange
from kwamdee.timebank.services import listing_post
from tests.browser.test_deed_flow import sign_in, sign_out
from tests.factories import PASSWORD
from tests.timebank.factories import member, time_community

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_exchange_is_proposed_by_one_member_and_confirmed_by_the_other(page, artifacts):
    time_community()
    giver = member("ประเสริฐ มีสุข")
    receiver = member("สมหญิง รักดี")
    listing_post(actor=giver, kind="offer", category_code="repairs", title="ซ่อมพัดลม ก๊อกน้ำ")

    # The receiver finds the neighbour's offer and records the time it took (1 hour 30 minutes).
    sign_in(page, receiver.phone, PASSWORD)
    page.goto(page.base + "/timebank/")
    page.get_by_test_id("browse").click()
    page.get_by_test_id("listings").get_by_role("link", name="ซ่อมพัดลม ก๊อกน้ำ").click()
    expect(page.locator("h1")).to_have_text("ซ่อมพัดลม ก๊อกน้ำ")
    page.fill("#id_hours", "1")
    page.select_option("#id_minutes", "30")
    page.fill("#id_note", "เปลี่ยนมอเตอร์พัดลมให้")
    page.screenshot(path=str(artifacts / "time-bank-reply.png"), full_page=True)
    page.get_by_test_id("reply-button").click()
    expect(page.get_by_test_id("exchange-time")).to_have_text("1 ชั่วโมง 30 นาที")
    expect(page.get_by_test_id("withdraw-button")).to_be_visible()
    exchange = Exchange.objects.get()
    assert (exchange.giver, exchange.receiver, exchange.state) == (giver, receiver, "proposed")
    sign_out(page)

    # The giver sees it waiting on the time bank's first page and confirms it.
    sign_in(page, giver.phone, PASSWORD)
    page.goto(page.base + "/timebank/")
    waiting = page.get_by_test_id("waiting-for-me")
    expect(waiting).to_contain_text("1 ชั่วโมง 30 นาที")
    waiting.get_by_role("link").first.click()
    page.screenshot(path=str(artifacts / "time-bank-confirm.png"), full_page=True)
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("decide-box")).to_have_count(0)
    expect(page.get_by_test_id("status-tag")).to_have_text("ยืนยันแล้ว")
    page.goto(page.base + "/timebank/")
    expect(page.get_by_test_id("my-time")).to_have_text("1 ชั่วโมง 30 นาที")
    expect(page.get_by_test_id("recent-exchanges")).to_contain_text("ซ่อมแซม · 1 ชั่วโมง 30 นาที")
    sign_out(page)

    # The receiver sees it confirmed too, and owes the time.
    sign_in(page, receiver.phone, PASSWORD)
    page.goto(page.base + "/timebank/")
    expect(page.get_by_test_id("recent-exchanges")).to_contain_text("ยืนยันแล้ว")
    expect(page.get_by_test_id("my-time")).to_contain_text("1 ชั่วโมง 30 นาที")
    page.screenshot(path=str(artifacts / "time-bank-after.png"), full_page=True)
    assert (time_balance(giver), time_balance(receiver)) == (90, -90)
