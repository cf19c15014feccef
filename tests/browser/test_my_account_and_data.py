"""Issue 9's walk, as a newcomer does it in a browser: sign up with one mistake, read one summary
of the problems in Thai, fix it, prove the e-mail by its code, download everything held about
them, and withdraw the public-recognition consent in one click."""

import json
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from kwamdee.people.models import Consent, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "chujai@example.com"
SEND = "main form[method=post] button[type=submit]"


def test_sign_up_with_a_mistake_then_download_my_data_and_withdraw_a_consent(page, artifacts):
    page.goto(page.base + "/people/signup/")
    page.fill("#id_full_name", "ชูใจ ใฝ่ดี")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password", "good-deeds-2569")
    page.select_option("#id_province", "71")
    expect(page.locator("#id_district option[value='7109']")).to_have_count(1)
    page.select_option("#id_district", "7109")
    expect(page.locator("#id_subdistrict_code option[value='710911']")).to_have_count(1)
    page.select_option("#id_subdistrict_code", "710911")
    # The one mistake: consent not ticked.
    page.locator(SEND).first.click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("li")).to_have_count(1)  # one round: one summary, one problem
    expect(summary).to_contain_text("ต้องให้ความยินยอม")  # in Thai, in plain words
    expect(page).to_have_title(re.compile("^ข้อผิดพลาด"))
    # What was typed is still there, but the password.
    expect(page.locator("#id_full_name")).to_have_value("ชูใจ ใฝ่ดี")
    expect(page.locator("#id_email")).to_have_value(EMAIL)
    expect(page.locator("#id_subdistrict_code")).to_have_value("710911")
    expect(page.locator("#id_password")).to_have_value("")
    assert not User.objects.filter(email=EMAIL).exists()
    page.screenshot(path=artifacts / "issue9-signup-one-mistake.png", full_page=True)

    # The summary links to the field it names.
    summary.locator("a").first.click()
    expect(page.locator("#id_consent")).to_be_focused()
    page.check("#id_consent")
    page.fill("#id_password", "good-deeds-2569")
    page.locator(SEND).first.click()

    # The e-mail is proven by the code sent to it.
    expect(page.get_by_test_id("code-sent")).to_be_visible()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.fill("#id_code", code)
    page.locator(SEND).first.click()
    expect(page.get_by_test_id("credit-total")).to_have_text("0")
    person = User.objects.get(email=EMAIL)
    assert person.contact_confirmed_at is not None

    # My data: everything held, downloaded in one click.
    page.goto(page.base + "/privacy/my-data/")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("JSON")).click()
    download = download_info.value
    data = json.loads(download.path().read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    assert "ชูใจ ใฝ่ดี" in text and EMAIL in text

    # Public recognition: agree, then withdraw, each in one click.
    page.goto(page.base + "/people/consent/")
    section = page.locator("section[data-purpose=public_display]")
    section.locator("button[value=give]").click()
    expect(page.get_by_test_id("consent-status-public_display")).not_to_contain_text("ยังไม่ได้")
    page.locator("section[data-purpose=public_display] button[value=withdraw]").click()
    expect(page.locator(".messages")).to_contain_text("ถอน")
    expect(page.get_by_test_id("consent-status-public_display")).to_contain_text("ยังไม่ได้")
    consent = Consent.objects.filter(person=person, purpose="public_display").get()
    assert consent.withdrawn_at is not None
    # Taking part is untouched.
    assert Consent.objects.get(person=person, purpose="membership").withdrawn_at is None
    page.screenshot(path=artifacts / "issue9-consent-withdrawn.png", full_page=True)
