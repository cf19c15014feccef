"""An organizer creates an activity, two participants check in by its rotating code, the
organizer closes it, and both passbooks show the credit."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kwamdee.catalog.models import DeedType
from tests.browser.test_deed_flow import sign_in
from tests.factories import PASSWORD, load_small_catalog, make_person, make_verifier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_activity_check_in_by_code_then_close_credits_both(page, browser, artifacts):
    load_small_catalog()
    organizer = make_verifier()
    organizer.set_password("organizer-pass-1")
    organizer.save()
    participants = [make_person(name=name, phone=phone) for name, phone in
                    (("มานี ใจงาม", "0861110001"), ("ปิติ รักป่า", "0861110002"))]  # fmt: skip

    sign_in(page, organizer.phone, "organizer-pass-1")
    page.goto(page.base + "/activities/new/")
    start = timezone.localtime() - timedelta(minutes=10)
    end = start + timedelta(hours=2)
    page.fill("#id_title", "ปลูกป่าชายคลอง")
    page.select_option("#id_deed_type", str(DeedType.objects.get(code="returning-lost-property").public_id))
    page.fill("#id_day", start.strftime("%Y-%m-%d"))
    page.fill("#id_start_time", start.strftime("%H:%M"))
    page.fill("#id_end_time", end.strftime("%H:%M"))
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("activity-status")).to_have_text("เปิดอยู่")
    page.get_by_test_id("show-code").click()
    code = page.get_by_test_id("activity-code")
    expect(code.locator("img")).to_be_visible()
    page.screenshot(path=str(artifacts / "activity-code-organizer.png"), full_page=True)
    url = code.get_attribute("data-check-in-url")
    assert "/check-in/?code=" in url

    for n, person in enumerate(participants):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH")
        phone = context.new_page()
        phone.set_default_timeout(15000)
        phone.base = page.base
        sign_in(phone, person.phone, PASSWORD)
        phone.goto(url)  # what the camera opens
        button = phone.get_by_test_id("check-in-button")
        expect(button).to_have_text("เช็กอิน")
        if n == 0:
            phone.screenshot(path=str(artifacts / "activity-check-in-participant.png"), full_page=True)
        button.click()
        expect(phone.get_by_test_id("my-attendance")).to_contain_text("เช็กอิน")
        context.close()

    page.goto(page.url.replace("/code/", "/"))
    expect(page.get_by_test_id("participant")).to_have_count(2)
    page.goto(page.url.rstrip("/") + "/close/")
    page.get_by_test_id("close-confirm").click()
    expect(page.get_by_test_id("activity-status")).to_have_text("ปิดแล้ว")

    for person in participants:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        phone = context.new_page()
        phone.set_default_timeout(15000)
        phone.base = page.base
        sign_in(phone, person.phone, PASSWORD)
        phone.goto(page.base + "/passbook/")
        expect(phone.get_by_test_id("credit-total")).to_have_text("20")
        context.close()
