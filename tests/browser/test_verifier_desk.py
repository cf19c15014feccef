"""The demo verifier ticks two deeds on the queue and verifies them with one button, then narrows
the queue to one deed type and verifies what is left of it."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from kwamdee.catalog.models import DeedType
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record
from kwamdee.people.models import User
from tests.browser.test_deed_flow import sign_in
from tests.evidence.helpers import pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1366, "height": 768}


def test_verifier_ticks_two_deeds_and_verifies_them_at_once(page, artifacts):
    call_command("seed_demo", verbosity=0)
    # The demo leaves deeds waiting; one more makes sure the choice is a real one.
    deed_record(
        actor=User.objects.get(phone="0810000004"),
        deed_type_public_id=DeedType.objects.get(code="refusing-bribes").public_id,
        performed_on=timezone.localdate(), description="ปฏิเสธเงินใต้โต๊ะจากผู้รับเหมา แจ้งหัวหน้าส่วนราชการ",
        evidence_files=[pdf("บันทึกแจ้งหัวหน้า.pdf")],  # the deed type asks for a document
    )  # fmt: skip
    waiting = list(Deed.objects.filter(status="pending").order_by("created_at", "id"))
    n = len(waiting)
    assert n >= 3

    sign_in(page, "0810000001", "kwamdee-verifier")
    page.goto(page.base + "/deeds/queue/")
    queue = page.get_by_test_id("queue")
    boxes = queue.get_by_role("checkbox")  # the filters have a tick box of their own
    expect(boxes).to_have_count(n)
    # Each deed is a card: what it will earn, the person's deeds of its type against its limits.
    expect(page.get_by_test_id("desk-card")).to_have_count(n)
    expect(page.get_by_test_id("desk-expected").first).to_contain_text("เครดิตความดี")
    expect(page.get_by_test_id("desk-history").first).to_contain_text("จาก")
    button = page.get_by_role("button", name="รับรองความดีที่เลือก")
    expect(button).to_be_visible()
    # Every tick box is a large target (44 px or more), and so is the button.
    for i in range(n):
        box = page.locator("label.pick-box").nth(i).bounding_box()
        assert box and box["width"] >= 44 and box["height"] >= 44
    button_box = button.bounding_box()
    assert button_box and button_box["height"] >= 44
    page.screenshot(path=str(artifacts / "verifier-desk-phone.png"), full_page=True)
    # Readable on a 360 px phone: nothing pushes the page sideways.
    page.set_viewport_size(SMALL_PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    page.screenshot(path=str(artifacts / "verifier-desk-phone-360.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(artifacts / "verifier-desk-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)

    # "Select all" ticks every deed on the page at once, and clears them again.
    select_all = page.get_by_role("button", name="เลือกทั้งหมดในหน้านี้")
    select_all.click()
    for i in range(n):
        expect(boxes.nth(i)).to_be_checked()
    expect(page.locator("[data-picked-count] strong")).to_have_text(str(n))
    page.get_by_role("button", name="ไม่เลือกทั้งหมด").click()
    for i in range(n):
        expect(boxes.nth(i)).not_to_be_checked()

    # Tapping anywhere on a deed's tick area or its details line ticks it.
    page.locator("label.pick-box").nth(0).click()
    page.locator("label.pick-more").nth(1).click()
    expect(boxes.nth(0)).to_be_checked()
    expect(boxes.nth(1)).to_be_checked()
    expect(boxes.nth(2)).not_to_be_checked()
    expect(page.locator("[data-picked-count] strong")).to_have_text("2")
    button.click()

    expect(page.locator(".messages li.success")).to_have_text("รับรองความดีแล้ว 2 รายการ")
    expect(boxes).to_have_count(n - 2)
    page.screenshot(path=str(artifacts / "verifier-desk-done.png"), full_page=True)
    statuses = [Deed.objects.get(pk=d.pk).status for d in waiting]
    assert statuses == ["verified", "verified"] + ["pending"] * (n - 2)

    # The filters: only the deed type of the bribe refused, with its document as a link; verifying
    # it comes back to the same filter, which now says nothing is left.
    page.get_by_text("กรองตามประเภทความดี พื้นที่ วันที่ หรือข้อสังเกต").click()
    page.get_by_label("ประเภทความดี").select_option("refusing-bribes")
    page.get_by_role("button", name="แสดงความดีตามนี้").click()
    expect(boxes).to_have_count(1)
    expect(page.get_by_test_id("desk-evidence").get_by_role("link")).to_contain_text("PDF")
    page.screenshot(path=str(artifacts / "verifier-desk-filtered.png"), full_page=True)
    boxes.first.check()
    button.click()
    expect(page.locator(".messages li.success")).to_have_text("รับรองความดีแล้ว 1 รายการ")
    assert "deed_type=refusing-bribes" in page.url
    expect(page.get_by_test_id("empty-state")).to_contain_text("ไม่มีความดีที่รอคุณรับรองตรงกับตัวกรองนี้")
    page.get_by_test_id("empty-state").get_by_role("link", name="แสดงความดีทั้งหมด").click()
    expect(boxes).to_have_count(n - 3)

    # English is one click away.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Verify the selected deeds")).to_be_visible()
