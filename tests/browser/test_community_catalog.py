"""A community admin switches off a national item and adds a local one; a member sees the
change in the catalog and records the local deed."""

import re

import pytest
from playwright.sync_api import expect

from kwamdee.areas.services import community_admin_grant
from kwamdee.deeds.models import Deed
from kwamdee.people.models import User
from tests.browser.test_deed_flow import sign_in, sign_out
from tests.factories import PASSWORD, SYSTEM, load_small_catalog, make_community, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_community_admin_adapts_and_member_records_local_deed(page, artifacts):
    load_small_catalog()
    community = make_community()
    admin = make_person(name="ผู้ดูแลชุมชน")
    community_admin_grant(actor=SYSTEM, community=community, person=admin)
    second = make_person(name="กรรมการคนที่สอง")
    community_admin_grant(actor=SYSTEM, community=community, person=second)
    member = make_person(name="สมาชิกชุมชน")
    assert User.objects.get(pk=member.pk).community == community

    # The member sees the national item in their catalog first.
    sign_in(page, member.phone, PASSWORD)
    page.goto(page.base + "/catalog/")
    results = page.get_by_test_id("catalog-results")
    expect(results).to_contain_text("ความดี tree-planting")
    sign_out(page)

    # The admin switches the national item off ...
    sign_in(page, admin.phone, PASSWORD)
    page.goto(page.base + "/catalog/community/")
    item = page.locator("[data-code='tree-planting']")
    item.get_by_role("button").click()
    expect(page.locator("[data-code='tree-planting'] .tag")).to_have_text("ปิด")

    # ... and adds a local deed type that fits the village.
    page.get_by_role("link", name="เพิ่มประเภทความดีของชุมชน").click()
    page.fill("#id_code", "nong-sarai-canal-cleanup")
    page.fill("#id_name_th", "ลอกคลองหนองสาหร่าย")
    page.fill("#id_name_en", "Nong Sarai canal clean-up")
    page.select_option("#id_pricing", "per_hour")
    page.fill("#id_credit_per_unit", "7")
    page.fill("#id_points_per_unit", "70")  # over the national bound: refused, with the reason
    page.fill("#id_per_day", "2")
    page.fill("#id_per_year", "100")
    page.fill("#id_weight_volunteerism", "0.6")
    page.fill("#id_weight_sufficiency", "0.3")  # wrong on purpose: the weights sum to 0.9
    page.get_by_label("11. ").check()  # SDGs are ticked, not typed
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text("1")
    expect(page).to_have_title(re.compile("^ข้อผิดพลาด: "))
    page.fill("#id_weight_sufficiency", "0.4")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text("เพดานระดับประเทศ")
    page.fill("#id_points_per_unit", "7")
    page.locator("main form button[type=submit]").click()
    # It waits for a second committee member: its proposer sees it, without an approve button.
    proposals = page.get_by_test_id("proposals")
    expect(proposals).to_contain_text("ลอกคลองหนองสาหร่าย")
    expect(proposals.get_by_role("button", name="อนุมัติ")).to_have_count(0)
    page.screenshot(path=str(artifacts / "community-catalog.png"), full_page=True)
    sign_out(page)

    # The second committee member approves it.
    sign_in(page, second.phone, PASSWORD)
    page.goto(page.base + "/catalog/community/")
    page.get_by_test_id("proposals").get_by_role("button", name="อนุมัติ").click()
    expect(page.get_by_test_id("proposals")).to_have_count(0)
    sign_out(page)

    # The member's catalog shows the change, and they record the local deed.
    sign_in(page, member.phone, PASSWORD)
    page.goto(page.base + "/catalog/")
    expect(results).not_to_contain_text("ความดี tree-planting")
    expect(results).to_contain_text("ลอกคลองหนองสาหร่าย")
    page.get_by_role("link", name="ลอกคลองหนองสาหร่าย").click()
    expect(page.get_by_test_id("rule-in-force")).to_contain_text("7")
    page.get_by_role("link", name="บันทึกความดีนี้").click()
    page.fill("#id_quantity", "2")
    page.fill("#id_description", "ลอกผักตบชวาในคลองกับเพื่อนบ้าน")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("deed-status")).to_have_text("รอรับรอง")
    deed = Deed.objects.get(person=member)
    assert deed.deed_type.code == "nong-sarai-canal-cleanup"
    assert deed.deed_type.community == community
