"""A person signs up, records a deed, a verifier verifies it, the passbook changes."""

import re

import pytest
from playwright.sync_api import expect

from kwamdee.catalog.models import DeedType
from kwamdee.people import messaging
from kwamdee.people.models import User
from tests.factories import load_small_catalog, make_verifier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMS_IN_MEMORY = "kwamdee.people.messaging.MemoryBackend"


def sign_in(page, login, password):
    page.goto(page.base + "/people/login/")
    page.fill("#id_username", login)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()


def sign_out(page):
    # On a phone the sign-out button is in the menu: open it first.
    toggle = page.locator("[data-menu-toggle]")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    page.locator("header button.sign-out").click()


def test_sign_up_record_verify_and_see_credit(page, artifacts, settings):
    # The live server runs in this process: the SMS with the code lands in messaging.outbox.
    settings.KWAMDEE_MESSAGE_BACKENDS = {**settings.KWAMDEE_MESSAGE_BACKENDS, "sms": SMS_IN_MEMORY}
    messaging.outbox.clear()
    load_small_catalog()
    verifier = make_verifier()
    verifier.set_password("verifier-pass-1")
    verifier.save()

    # The site opens in Thai even for a browser set to English.
    page.goto(page.base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("h1")).to_contain_text("คนดี")

    # A newcomer signs up, choosing a real subdistrict through province → district.
    page.goto(page.base + "/people/signup/")
    page.fill("#id_full_name", "ชูใจ ใฝ่ดี")
    page.fill("#id_phone", "0865554444")
    page.fill("#id_password", "good-deeds-2569")
    page.select_option("#id_province", "71")
    expect(page.locator("#id_district option[value='7109']")).to_have_count(1)
    page.select_option("#id_district", "7109")
    expect(page.locator("#id_subdistrict_code option[value='710911']")).to_have_count(1)
    page.select_option("#id_subdistrict_code", "710911")
    page.locator("main button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_focused()  # every problem at once, read first
    assert not User.objects.filter(phone="0865554444").exists()  # no consent, no account
    page.check("#id_consent")
    page.fill("#id_password", "good-deeds-2569")
    page.locator("main button[type=submit]").click()
    # A code went to the phone: the page asks for it (the phone shown partly hidden).
    expect(page.get_by_test_id("code-sent")).to_contain_text("08x-xxx-4444")
    code = re.search(r"\b(\d{6})\b", messaging.outbox[-1].body).group(1)
    page.fill("#id_code", code)
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_test_id("credit-total")).to_have_text("0")
    assert User.objects.get(phone="0865554444").contact_confirmed_at is not None
    sign_out(page)

    # The citizen signs in and records a deed.
    sign_in(page, "0865554444", "good-deeds-2569")
    page.goto(page.base + "/deeds/new/")
    deed_type = DeedType.objects.get(code="volunteer-hours")
    page.select_option("#id_deed_type", str(deed_type.public_id))
    page.fill("#id_quantity", "3")
    page.fill("#id_description", "ช่วยสอนการบ้านเด็กที่ศาลาหมู่บ้าน")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("deed-status")).to_have_text("รอรับรอง")
    sign_out(page)

    # The verifier sees it in the queue and verifies it.
    sign_in(page, verifier.phone, "verifier-pass-1")
    page.goto(page.base + "/deeds/queue/")
    page.get_by_test_id("queue").get_by_role("link").first.click()
    page.get_by_role("button", name=re.compile("^รับรอง$")).click()
    expect(page.locator(".messages")).to_be_visible()
    sign_out(page)

    # The citizen's passbook now shows the credit; English is one click away.
    sign_in(page, "0865554444", "good-deeds-2569")
    expect(page.get_by_test_id("credit-total")).to_have_text("24")
    expect(page.get_by_test_id("points-total")).to_have_text("24")
    page.screenshot(path=str(artifacts / "passbook-th.png"), full_page=True)
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_contain_text("My passbook")
    expect(page.get_by_test_id("entries")).to_contain_text("Volunteer hours, version 1, in force from")
    page.screenshot(path=str(artifacts / "passbook-en.png"), full_page=True)
