"""A verifier's first sign-in with two-step sign-in required: the setup page (the key read from
the page, the code computed here as an authenticator app would), the recovery codes, the queue;
then a later sign-in with the app's code. Each page also passes the accessibility checks of the
sweep (tests/browser/test_accessibility.py: axe, 44 px targets, field contrast, no CSP refusal)."""

from base64 import b32decode

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from kwamdee.people.models import User
from tests.browser.test_accessibility import AXE, SIZES, Sweep
from tests.browser.test_deed_flow import sign_in, sign_out
from tests.people.two_factor_helpers import totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code_from_key(text: str) -> str:
    """What an authenticator app shows for the key as the page writes it (groups of four)."""
    key = "".join(text.split())
    return f"{totp(b32decode(key + '=' * (-len(key) % 8))):06d}"


def _checked(sweep: Sweep, page, name: str) -> None:
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        sweep.where = f"th/{size} {page.url.removeprefix(sweep.base)} ({name})"
        sweep.check(page)
    page.set_viewport_size(SIZES["phone"])


def test_a_verifier_sets_up_two_step_sign_in_and_reaches_the_queue(settings, browser, live_server, artifacts):
    settings.TWO_FACTOR_REQUIRED = True
    call_command("seed_demo", two_factor=False, verbosity=0)  # no app yet: the verifier sets one up
    base = live_server.url
    context = browser.new_context(viewport=SIZES["phone"], locale="en-US")
    context.add_init_script(path=str(AXE))
    sweep = Sweep(base, "verifier")
    context.on("request", sweep.on_request)
    page = context.new_page()
    page.on("console", sweep.on_console)
    page.set_default_timeout(15000)
    page.base = base
    try:
        sign_in(page, "0810000001", "kwamdee-verifier")
        page.wait_for_url("**/people/two-factor/setup/**")
        expect(page.get_by_role("heading", level=1)).to_have_text("เปิดการยืนยันตัวตนสองขั้นตอน")
        expect(page.get_by_test_id("two-factor-required")).to_be_visible()
        qr = page.locator(".two-factor-qr img")
        expect(qr).to_be_visible()
        assert qr.evaluate("img => img.naturalWidth") > 100  # the SVG drew (img-src allows data:)
        page.screenshot(path=str(artifacts / "two-factor-setup-phone.png"), full_page=True)
        _checked(sweep, page, "two-factor-setup")

        # A wrong code first: said plainly, on the field.
        page.fill(
            "#id_code",
            "000000"
            if _code_from_key(page.get_by_test_id("two-factor-key").inner_text()) != "000000"
            else "111111",
        )
        page.get_by_role("button", name="เปิดการยืนยันตัวตนสองขั้นตอน").click()
        expect(page.locator("#id_code_error")).to_contain_text("รหัสนี้ไม่ถูกต้อง")
        _checked(sweep, page, "two-factor-setup-errors")
        # django-otp makes the app wait a second after a wrong code.
        TOTPDevice.objects.filter(user__phone="0810000001").update(throttling_failure_timestamp=None)

        page.fill("#id_code", _code_from_key(page.get_by_test_id("two-factor-key").inner_text()))
        page.get_by_role("button", name="เปิดการยืนยันตัวตนสองขั้นตอน").click()
        codes = page.get_by_test_id("recovery-codes").locator("li")
        expect(codes).to_have_count(10)
        expect(page.get_by_role("heading", level=1)).to_have_text("เปิดการยืนยันตัวตนสองขั้นตอนแล้ว")
        page.screenshot(path=str(artifacts / "two-factor-recovery-codes-phone.png"), full_page=True)
        _checked(sweep, page, "two-factor-recovery-codes")
        page.get_by_role("link", name="เก็บรหัสไว้แล้ว ไปต่อ").click()
        page.goto(base + "/deeds/queue/")
        expect(page.get_by_role("button", name="รับรองความดีที่เลือก")).to_be_visible()

        page.goto(base + "/people/account/")
        expect(page.get_by_test_id("two-factor-status")).to_contain_text("เปิดอยู่")
        _checked(sweep, page, "account-two-factor-on")

        # The next sign-in asks for the app's code, and goes on to where the verifier was going.
        sign_out(page)
        sign_in(page, "0810000001", "kwamdee-verifier")
        page.wait_for_url("**/people/two-factor/verify/**")
        _checked(sweep, page, "two-factor-verify")
        page.get_by_text("ใช้รหัสสำรอง").click()  # the recovery code opens beside the app's code
        expect(page.locator("#id_recovery_code")).to_be_visible()
        device = TOTPDevice.objects.get(user=User.objects.get(phone="0810000001"), confirmed=True)
        page.fill("#id_code", totp_now(device, steps_ahead=1))  # the setup took this step's code
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.wait_for_url(lambda url: "/two-factor/" not in url)
        page.goto(base + "/deeds/queue/")
        expect(page.get_by_role("button", name="รับรองความดีที่เลือก")).to_be_visible()
    finally:
        context.close()
    report = sweep.report()
    assert not report, report
