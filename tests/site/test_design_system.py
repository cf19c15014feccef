"""The design system's promises, page by page, through Django's test client (the browser sweep in
tests/browser/test_accessibility.py checks the drawn pages): plain required messages, the error
summary, real hint ids, no "---------", the current page in the nav, paging, human labels."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from kwamdee.common.roles import role_grant
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record, deed_verify
from tests.factories import PASSWORD, SYSTEM, days_ago, make_person

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def signed_in(client, person):
    assert client.login(username=person.phone, password=PASSWORD)
    return client


def record(person, deed_type, *, days=1, quantity=None, text="ช่วยงานวัด"):
    return deed_record(
        actor=person, deed_type_public_id=deed_type.public_id, performed_on=days_ago(days),
        description=text, quantity=quantity,
    )  # fmt: skip


def test_an_empty_form_lists_every_problem_at_once_in_plain_thai(client, deed_types):
    # what a browser sends for a form left empty
    empty = dict.fromkeys(["full_name", "phone", "email", "password", "province", "national_id"], "")
    page = html_of(client.post("/people/signup/", empty))
    # the title says there was an error; the summary links each problem to its field
    assert re.search(r"<title>ข้อผิดพลาด: ", page)
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_full_name"' in summary and 'href="#id_password"' in summary
    assert 'href="#id_province"' in summary
    assert "data-error-summary" in page  # the script moves the focus to it
    # a missing answer names the question; never Django's "ฟิลด์นี้จำเป็น"
    assert "กรุณากรอก “ชื่อ-นามสกุล”" in page
    assert "กรุณาเลือก “จังหวัด”" in page
    assert "ฟิลด์" not in page and "This field is required" not in page


def test_hints_and_errors_are_tied_to_their_inputs_by_real_ids(client, deed_types):
    page = html_of(client.post("/people/signup/", {"phone": "x"}))
    phone = re.search(r"<input[^>]*id=\"id_phone\"[^>]*>", page).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', phone).group(1).split()
    assert "id_phone_helptext" in described
    for element_id in described:
        assert f'id="{element_id}"' in page, element_id
    password = re.search(r"<input[^>]*id=\"id_password\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in password and "id_password_error" in password
    assert 'id="id_password_error"' in page


def test_no_dropdown_starts_at_dashes(client, deed_types):
    person = make_person()
    role_grant(actor=SYSTEM, person=person, role="sponsor")
    signed_in(client, person)
    for url in ("/deeds/new/", "/sponsorships/", "/people/signup/"):
        client.logout() if url == "/people/signup/" else None
        page = html_of(client.get(url))
        assert "---------" not in page, url


def test_the_nav_marks_the_current_page_and_the_page_has_a_skip_link(client, deed_types):
    staff = make_person(name="เจ้าหน้าที่")
    role_grant(actor=SYSTEM, person=staff, role="staff")
    page = html_of(signed_in(client, staff).get("/catalog/manage/categories/"))
    assert '<a href="/catalog/manage/" aria-current="page">' in page
    assert '<a href="/catalog/" aria-current' not in page  # the longest match wins
    assert page.count('aria-current="page"') == 1
    assert 'class="skip-link" href="#main"' in page and '<main class="wrap" id="main"' in page
    # one click to the other language, named in that language
    assert 'name="language" value="en" lang="en">English</button>' in page


def test_a_rejection_without_a_reason_keeps_the_page_and_what_was_typed(client, deed_types, verifier):
    deed = record(make_person(), deed_types["returning-lost-property"])
    signed_in(client, verifier)
    response = client.post(
        f"/deeds/{deed.public_id}/decide/", {"action": "reject", "reason_code": "other", "reason": "  "}
    )
    page = html_of(response)
    assert "กรุณาเขียนเหตุผลสั้น ๆ" in page and "error-summary" in page
    assert page.startswith("<!doctype html>") and "<title>ข้อผิดพลาด: " in page
    assert Deed.objects.get(pk=deed.pk).status == "pending"
    too_long = "ก" * 1200
    page = html_of(
        client.post(
            f"/deeds/{deed.public_id}/decide/",
            {"action": "reject", "reason_code": "other", "reason": too_long},
        )
    )
    assert too_long in page  # nothing the verifier wrote is lost
    assert Deed.objects.get(pk=deed.pk).status == "pending"


@pytest.mark.parametrize("quantity", ["0", "-1"])
def test_hours_of_zero_or_less_get_one_message_that_says_what_to_do(client, deed_types, quantity):
    person = signed_in(client, make_person()) and None
    data = {
        "deed_type": deed_types["volunteer-hours"].public_id, "performed_on": days_ago(1).isoformat(),
        "quantity": quantity, "description": "ช่วยงานวัด",
    }  # fmt: skip
    page = html_of(client.post("/deeds/new/", data))
    assert "กรุณาใส่ตัวเลขที่มากกว่า 0 เช่น 1 หรือ 2.5" in page
    assert "≥" not in page and not Deed.objects.exists()
    assert person is None


def test_my_deeds_come_a_page_at_a_time(client, deed_types):
    person = make_person()
    for n in range(23):
        record(person, deed_types["tree-planting"], days=n + 1, quantity=1, text=f"ปลูกต้นไม้ ครั้งที่ {n}")
    signed_in(client, person)
    first = html_of(client.get("/deeds/"))
    assert first.count('href="/deeds/') - first.count('href="/deeds/new/') == 20
    assert "หน้า 1 จาก 2" in first and 'href="?page=2"' in first
    second = html_of(client.get("/deeds/?page=2"))
    assert second.count("ทำเมื่อ") == 3


def test_the_passbook_pages_its_entries_and_says_when_a_deed_was_done(
    client, deed_types, verifier, monkeypatch
):
    monkeypatch.setattr("kwamdee.passbook.views.ENTRIES_PER_PAGE", 2)
    person = make_person()
    for n in range(3):
        deed = record(person, deed_types["tree-planting"], days=10 + n, quantity=2)
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    signed_in(client, person)
    first = html_of(client.get("/passbook/"))
    entries = first.split('data-testid="entries"')[1].split("</ul>")[0]
    assert entries.count("<li>") == 2 and "หน้า 1 จาก 2" in first
    done = (timezone.localdate() - timedelta(days=12)).day  # the newest credit is the oldest deed
    assert f"ทำเมื่อ {done} " in entries and "ได้รับเครดิตเมื่อ" in entries
    # the rule in words: the deed type's name and version, never the slug
    assert "เกณฑ์: ความดี tree-planting ฉบับที่ 1 ใช้ตั้งแต่ 1 ม.ค. 2563" in entries
    # points lead to the privileges partners offer (issue 11), and the level is shown
    assert 'data-testid="use-points"' in first and 'href="/privileges/"' in first
    assert 'data-testid="level-name">ต้นกล้า<' in first
    second = html_of(client.get("/passbook/?page=2"))
    assert second.split('data-testid="entries"')[1].split("</ul>")[0].count("<li>") == 1


def test_catalog_cards_show_what_a_deed_earns_per_unit_and_invite_visitors(client, deed_types):
    page = html_of(client.get("/catalog/"))
    card = page.split('href="/catalog/volunteer-hours/"')[1].split("</li>")[0]
    assert "<strong>8</strong>" in card and "ต่อชั่วโมง" in card
    assert "สมัครเพื่อบันทึกความดี" in page
    assert "/catalog/export/" not in page  # raw files moved to the agencies page
    assert "/catalog/export/json/" in html_of(client.get("/agencies/"))
    detail = html_of(client.get("/catalog/blood-donation/"))
    assert "ปีละ 4 ครั้ง, เว้น 84 วันก่อนบันทึกซ้ำ" in detail and ";" not in detail.split("ข้อจำกัด")[1][:80]
    assert "สมัครเพื่อบันทึกความดีนี้" in detail
    assert "เอกสาร API" not in html_of(client.get("/"))


def test_the_consent_notice_version_reads_as_a_buddhist_era_date(client, deed_types, settings):
    settings.CONSENT_NOTICE_VERSION = "2026-11-01"
    page = html_of(client.get("/people/signup/"))
    assert "ประกาศวันที่ 1 พ.ย. 2569" in page and "2026-11-01" not in page
    # the notice is the one My consent shows (people/notices.py), not a second copy of it
    assert "เราบันทึกความดีที่คุณส่ง ผลการรับรอง" in page and "We never collect" not in page


def test_a_category_is_edited_by_choosing_it(client, deed_types):
    staff = make_person(name="เจ้าหน้าที่")
    role_grant(actor=SYSTEM, person=staff, role="staff")
    signed_in(client, staff)
    page = html_of(client.get("/catalog/manage/categories/?code=volunteering"))
    assert (
        'value="volunteering"' in page
        and "disabled" in page.split('id="id_code"')[0][-200:] + page.split('id="id_code"')[1][:200]
    )
    data = {"name_th": "งานอาสา", "name_en": "Volunteering", "description_th": "", "description_en": ""}
    response = client.post("/catalog/manage/categories/?code=volunteering", data)
    assert response.status_code == 302
    from kwamdee.catalog.models import Category

    assert Category.objects.get(code="volunteering").name_th == "งานอาสา"


def test_the_admin_speaks_thai(client, db):
    admin = get_user_model().objects.create_superuser(
        username="admin-ui", password=PASSWORD, email="a@kwamdee.invalid", full_name="ผู้ดูแล"
    )
    client.force_login(admin)
    page = html_of(client.get("/admin/"))
    assert "ความดี: หน้าต่างสำหรับเจ้าหน้าที่" in page and "การจัดการ Django" not in page
    assert "รายการในบัญชีความดี" in page and "งานเบื้องหลัง" in page
    assert "ledger transactions" not in page.lower()


def test_the_component_gallery_is_for_development_only(client, deed_types):
    assert client.get("/ui/").status_code == 404
    with override_settings(DEBUG=True):
        page = html_of(client.get("/ui/?full_name="))
    for part in ("error-summary", 'class="pager"', 'class="tag pending"', 'class="sdg"', "empty-state"):
        assert part in page, part


def test_sign_up_problems_come_in_one_round(client, deed_types):
    """A wrong phone, a short password, no address and no consent: all said at once (before, the
    address came first, then the consent, then the phone and the password)."""
    data = {"full_name": "ชูใจ ใฝ่ดี", "phone": "12345", "email": "", "password": "1234", "province": ""}
    page = html_of(client.post("/people/signup/", data))
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    for field in ("id_phone", "id_password", "id_province", "id_subdistrict_code", "id_consent"):
        assert f'href="#{field}"' in summary, field
    assert get_user_model().objects.filter(full_name="ชูใจ ใฝ่ดี").count() == 0


def test_role_groups_are_read_only_in_the_admin(client, db):
    admin = get_user_model().objects.create_superuser(
        username="admin-groups", password=PASSWORD, email="g@kwamdee.invalid", full_name="ผู้ดูแล"
    )
    client.force_login(admin)
    assert client.get("/admin/auth/group/add/").status_code == 403
    assert 'href="/admin/auth/group/add/"' not in client.get("/admin/").content.decode()
