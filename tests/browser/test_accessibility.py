"""The accessibility sweep (issue 8): every page of every role, in Thai and English, on a phone
(390×844) and a desktop (1366×768), must pass these checks. One test per role loads the demo
(`seed_demo`) once, signs in once and visits its pages in both languages; each page is loaded
once per language and checked at the phone size, then resized to the desktop size and checked
again. Where the header folds a menu (a button with aria-expanded="false", as on phones), the
menu is opened and checked as well ("+menu" in the report). Offenders are collected over the
whole sweep and reported together at the end, grouped by rule and element, with the pages where
each appears (also written to test-artifacts/a11y-report-<role>.txt and .json). The organization
admin, auditor and partner are swept on what their role changes only (the header, the desk, the
partner's counter and pages): their other pages are the citizen's and the verifier's, on the same
templates.

The checks on each page:

- axe-core (tests/browser/vendor/axe.min.js, vendored, no npm at run time) with the tags wcag2a,
  wcag2aa, wcag21a, wcag21aa, wcag22aa and best-practice: no violation of impact serious or
  critical. Its color-contrast rule is WCAG 1.4.3: 4.5:1 for text, 3:1 for large text (24 px, or
  18.66 px bold).
- Non-text contrast of form fields (WCAG 1.4.11, rule "ui-contrast"): each visible input, select
  and textarea needs an edge of at least 3:1 against the background around it: a border side, its
  own background, a box-shadow, for a file field its "Choose file" button (background or border),
  or for a native checkbox or radio Chromium's #767676 box. Buttons are identified by their
  text, which axe's color-contrast already checks.
- Touch targets (rule "target-size-44"): every visible a[href], button, input (not hidden),
  select, textarea, summary and [role=button] is at least 44×44 CSS px (its border box), with
  two exceptions only:
    * a link in running text (WCAG 2.5.5's inline exception): the <a> is laid out inline
      (display: inline) and the block that holds it (its nearest ancestor not laid out inline:
      a p, li, td, dd, div …) has words of its own — letters or digits outside every link and
      button in it. A row of links with only separators between them ("JSON · CSV") is not a
      sentence, and such links must be 44 px;
    * a checkbox or radio whose label (the <label> around it or one naming it with `for`) is
      shown and at least 44×44: the label is the target.
  "Visible" means displayed, not visibility: hidden, and larger than 1×1 (the visually-hidden
  pattern of screen-reader text is not a target).
- The focus ring (rule "focus-contrast", WCAG 1.4.11 for focus indicators): the skip link, the
  header's first control and main's first control are focused in turn as by a keyboard
  (focusVisible); each needs an outline of at least 2 px, or a box-shadow, of at least 3:1
  against the background around the element. The focus then goes back where it was.
- No request goes to another host: every request a page makes starts with the live server's
  URL, or is data: or blob: (rule "third-party-request"); and the browser refuses nothing under
  the site's Content-Security-Policy (rule "csp-violation", from the console).
- Each page answers with the status it should (200; 404 for a missing page, 403 for another
  role's page) (rule "page-status"), so that the sweep never checks a sign-in or 403 page in a
  page's place. The API's documentation page (Swagger UI, not our templates) is only checked
  for requests to other hosts.

`test_home_page_weight` loads the home page in a fresh browser (anonymous, Thai, phone) and adds
up what was transferred (headers and body as sent, from Playwright's request sizes): at most
150 KB (150,000 bytes), written to test-artifacts/page-weight.txt. Screenshots of the main pages
in both languages at both sizes are saved as test-artifacts/a11y-<lang>-<size>-<page>.png, and in
Thai a screen of each with main's first control focused (…-focus.png), to see the focus ring.
`test_the_header_stays_one_row_and_the_content_starts_below_it` measures the header (one row,
about 60 px, on a phone and on a 1280 px desktop) and the gap below it.
"""

import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from kwamdee.activities.codes import code_make
from kwamdee.activities.models import Activity
from kwamdee.appeals.models import Appeal
from kwamdee.areas.models import Community
from kwamdee.deeds.models import Deed, DeedFlag
from kwamdee.deeds.selectors import deed_decidable_by
from kwamdee.people.models import User
from kwamdee.privacy.models import DataSubjectRequest
from kwamdee.privacy.services import correction_request_create
from kwamdee.rewards.models import Partner, Privilege, Redemption, Sponsorship
from tests.browser.test_deed_flow import sign_in

# `a11y_sweep`: CI runs it once, on SQLite (what it checks is drawn the same on any database).
pytestmark = [pytest.mark.browser, pytest.mark.a11y_sweep, pytest.mark.django_db(transaction=True)]

HERE = Path(__file__).resolve().parent
AXE = HERE / "vendor" / "axe.min.js"
IN_PAGE_CHECKS = (HERE / "a11y_checks.js").read_text(encoding="utf-8")
LANGUAGES = ("th", "en")
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "resultTypes": ["violations"],  # passes and incompletes are not reported: faster
}
FAILING_IMPACTS = {"serious", "critical"}
PAGE_WEIGHT_LIMIT = 150_000  # bytes transferred on the first load of the home page
DEED_TYPE = "volunteer-hours"
FOLDED = "header button[aria-expanded=false]"  # a folded menu (the phone's), opened to be checked

# Sign-ins of the demo (kwamdee/demo/management/commands/seed_demo.py).
ROLES = {
    "anonymous": None,
    "citizen": ("0810000002", "kwamdee-demo"),
    "verifier": ("0810000001", "kwamdee-verifier"),
    "staff": ("0810000005", "kwamdee-staff"),
    "community_admin": ("0810000006", "kwamdee-community"),
    "sponsor": ("0810000007", "kwamdee-sponsor"),
    "admin": ("admin@kwamdee.invalid", "kwamdee-admin"),
    # Their other pages are a citizen's or a verifier's, swept as those roles (pages_for).
    "organization_admin": ("0810000008", "kwamdee-organization"),
    "auditor": ("0810000009", "kwamdee-auditor"),
    "partner": ("0810000010", "kwamdee-partner"),
}


@dataclass(frozen=True)
class Visit:
    name: str  # short, for reports and screenshot names
    path: str
    status: int = 200
    submit: Callable | None = None  # sends the page's form, to check the page that comes back
    screenshot: bool = False
    audit: bool = True  # False: only the page's requests are checked (a page that is not ours)
    submitted_status: int | None = None  # the page after `submit`, when not `status` (a 400 with errors)


def _send_form(button: str, clear: tuple[str, ...] = ()) -> Callable:
    """Empties the `clear` fields and presses `button` with the browser's own validation off, so
    that the page comes back from the server with its errors."""

    def submit(page):
        for field in clear:
            page.fill(field, "")
        pressed = page.locator(button).first
        pressed.evaluate("button => { button.form.noValidate = true; }")
        with page.expect_navigation() as navigation:
            pressed.click()
        return navigation.value

    return submit


SEND = "main form[method=post] button[type=submit]"
SEND_EMPTY = _send_form(SEND)
NEW_DEED_EMPTY = _send_form(SEND, clear=("#id_quantity", "#id_description"))
REJECT_EMPTY = _send_form("main button[value=reject]", clear=("#id_reason",))  # no reason chosen
PROFILE_EMPTY = _send_form(SEND, clear=("#id_full_name",))


def _membership_note_too_long(page):
    """Declines the first request to join with a note over the limit: the page comes back."""
    note = page.locator("main form textarea").first
    note.evaluate("el => el.removeAttribute('maxlength')")  # as a client that ignores it would send
    note.fill("ก" * 501)
    return _send_form("main button[value=decline]")(page)


STAFF_ADD_EMPTY = _send_form(
    "main form:has(input[name=action][value=add]) button[type=submit]", clear=("#id_login",)
)
PRIVILEGE_EDIT_EMPTY = _send_form(SEND, clear=("#id_title_th",))


def _token_label_too_long(page):
    """Asks for a partner's key with a name over the limit: the page comes back (no key is made)."""
    label = page.locator("#id_label")
    label.evaluate("el => el.removeAttribute('maxlength')")  # as a client that ignores it would send
    label.fill("ก" * 101)
    return _send_form("main form:has(input[name=action][value=issue]) button[type=submit]")(page)


# The password reset's later pages, reached through the earlier ones with the demo admin's
# e-mail (the code comes from Django's test outbox); the new password is never sent.
RESET_LOGIN = "admin@kwamdee.invalid"


def _reset_ask(page):
    cache.clear()  # the sweep checks the pages, not the request limits (tests/people)
    page.fill("#id_login", RESET_LOGIN)
    response = SEND_EMPTY(page)
    assert page.url.endswith("/people/password-reset/code/"), page.url
    return response


def _reset_code_errors(page):
    _reset_ask(page)
    return SEND_EMPTY(page)


def _reset_new(page):
    _reset_ask(page)
    page.fill("#id_code", re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1))
    response = SEND_EMPTY(page)
    assert page.url.endswith("/people/password-reset/new/"), page.url
    return response


def _reset_new_errors(page):
    _reset_new(page)
    return SEND_EMPTY(page)


def _signup_known(page):
    """A sign-up with the demo citizen's phone: the code's page, as a new person gets it (nobody is
    made; the citizen gets a notice: people/contact_confirmation.py)."""
    cache.clear()
    page.fill("#id_full_name", "ทดสอบ สมัครซ้ำ")
    page.fill("#id_phone", ROLES["citizen"][0])
    page.fill("#id_password", "good-deeds-2569")
    page.select_option("#id_province", "71")
    page.locator("#id_district option[value='7109']").wait_for(state="attached")
    page.select_option("#id_district", "7109")
    page.locator("#id_subdistrict_code option[value='710911']").wait_for(state="attached")
    page.select_option("#id_subdistrict_code", "710911")
    page.check("#id_consent")
    response = SEND_EMPTY(page)
    assert page.url.endswith("/people/confirm/"), page.url
    return response


def _signup_known_code_errors(page):
    _signup_known(page)
    return SEND_EMPTY(page)


def _signed_in_pages(person: User) -> list[Visit]:
    own = Deed.objects.filter(person=person).order_by("status", "created_at").first()
    pages = [
        Visit("home", "/"),
        Visit("catalog", "/catalog/"),
        Visit("deed-type", f"/catalog/{DEED_TYPE}/"),
        Visit("passbook", "/passbook/"),
        Visit("my-deeds", "/deeds/"),
        Visit("new-deed", "/deeds/new/"),
        Visit("new-deed-errors", "/deeds/new/", submit=NEW_DEED_EMPTY),
        Visit("consent", "/people/consent/"),
        Visit("my-data", "/privacy/my-data/"),
        Visit("correction", "/privacy/my-data/correction/"),
        Visit("correction-errors", "/privacy/my-data/correction/", submit=SEND_EMPTY),
        Visit("account", "/people/account/"),
        Visit("notifications", "/notifications/"),
        Visit("notification-settings", "/notifications/settings/"),
        Visit("profile", "/people/account/profile/"),
        Visit("profile-errors", "/people/account/profile/", submit=PROFILE_EMPTY),
        Visit("password-change", "/people/account/password/"),
        Visit("password-change-errors", "/people/account/password/", submit=SEND_EMPTY),
        # Two-step sign-in's setup (TWO_FACTOR_REQUIRED is off in tests: optional for every role);
        # its code, recovery-code and turn-off pages are swept in tests/browser/test_two_factor.py.
        Visit("two-factor-setup", "/people/two-factor/setup/"),
        Visit("two-factor-setup-errors", "/people/two-factor/setup/", submit=SEND_EMPTY),
        Visit("erase", "/privacy/erase/"),  # the page only: nobody is erased by the sweep
        Visit("communities", "/catalog/community/"),
        Visit("activities", "/activities/"),
        Visit("activity", f"/activities/{_demo_activity()}/"),
        Visit(
            "activity-check-in",
            f"/activities/{_demo_activity()}/check-in/?code={code_make(_demo_activity())}",
        ),
        Visit("activity-check-in-refused", f"/activities/{_demo_activity()}/check-in/?code=forged"),
        Visit("activity-my-code", "/activities/my-code/"),
        Visit("404", "/no-such-page/", status=404),
    ]
    if own is not None:
        pages.insert(5, Visit("own-deed", f"/deeds/{own.public_id}/"))
    return pages


def _demo_activity() -> str:
    """The demo's open activity (seed_demo: ปลูกป่าชายคลองหนองสาหร่าย)."""
    return str(Activity.objects.get(title="ปลูกป่าชายคลองหนองสาหร่าย").public_id)


def _staff_pages(role: str) -> list[Visit]:
    return [
        Visit("catalog-manage", "/catalog/manage/", screenshot=role == "staff"),
        Visit("catalog-new", "/catalog/manage/new/"),
        Visit("catalog-new-errors", "/catalog/manage/new/", submit=SEND_EMPTY),
        Visit("catalog-edit", f"/catalog/manage/{DEED_TYPE}/"),
        Visit("categories", "/catalog/manage/categories/"),
        Visit("category-edit", "/catalog/manage/categories/?code=volunteering"),
        Visit("import-export", "/catalog/manage/interchange/"),
        Visit("sponsors", "/sponsorships/sponsors/"),
        Visit("sponsors-funding", "/sponsorships/funding/"),
        Visit("sponsors-funding-errors", "/sponsorships/funding/", submit=SEND_EMPTY),
        Visit("catalog-proposals", "/catalog/manage/proposals/"),
        Visit("search-words", "/catalog/manage/synonyms/"),
        Visit("search-words-errors", "/catalog/manage/synonyms/", submit=SEND_EMPTY),
        Visit("data-requests", "/privacy/requests/"),
        Visit("data-request", f"/privacy/requests/{_open_correction()}/"),
        Visit("data-request-errors", f"/privacy/requests/{_open_correction()}/", submit=SEND_EMPTY),
        # partners (issue 11): the demo's café waits for a decision; the levels; the report by area
        Visit("partners-waiting", "/partners/waiting/"),
        Visit("levels-edit", "/rewards/levels/"),
        Visit("area-report", "/rewards/report/"),
    ]  # fmt: skip


def _open_correction() -> str:
    """An open correction request of the demo's citizen, for staff to open (asked once)."""
    waiting = DataSubjectRequest.objects.filter(kind="correction", status="open").order_by("id").first()
    if waiting is None:
        citizen = User.objects.get(phone=ROLES["citizen"][0])
        waiting = correction_request_create(actor=citizen, person=citizen, what_is_wrong="ชื่อหมู่บ้านสะกดผิด")
    return str(waiting.public_id)


def _review_pages() -> list[Visit]:
    """The auditor's desk (seed_demo leaves open flags, some on verified deeds), a flag with both
    of its forms, and each form sent empty (the page again with its error)."""
    flag = DeedFlag.objects.filter(state="open", deed__status="verified").order_by("-raised_at").first()
    assert flag is not None, "the demo leaves an open flag on a verified deed for the auditor"
    path = f"/review/flags/{flag.public_id}/"
    return [
        Visit("review", "/review/", screenshot=True),
        Visit("review-filtered", "/review/?kind=burst"),
        Visit("review-flag", path, screenshot=True),
        Visit(
            "review-dismiss-without-note", path, submit=_send_form("main form[action$='/dismiss/'] button")
        ),
        Visit(
            "review-reverse-without-reason", path, submit=_send_form("main form[action$='/reverse/'] button")
        ),
    ]


def _partner_pages(person: User) -> list[Visit]:
    """The demo's shop (issue 11): its counter, empty and with a code of the demo citizen looked up
    (one is made for the sweep: her demo code waits at the health centre), its page, the offer
    form and its report."""
    from kwamdee.rewards.redemptions import redemption_create

    shop = Partner.objects.get(staff=person, state="approved")
    held = Redemption.objects.filter(partner=shop, state="held").first()
    if held is None:
        citizen = User.objects.get(phone=ROLES["citizen"][0])
        merit_set = Privilege.objects.get(partner=shop, title_en__startswith="A set of flowers")
        held = redemption_create(actor=citizen, privilege=merit_set, key="a11y-sweep")
    base = f"/partners/{shop.public_id}"
    offered = Privilege.objects.filter(partner=shop).order_by("id").first()
    assert offered is not None, "the demo's shop offers privileges"
    edit = f"/privileges/{offered.public_id}/edit/"
    return [
        Visit("counter", f"{base}/counter/", screenshot=True),
        Visit("counter-code", f"{base}/counter/?code={held.code}", screenshot=True),
        Visit("partner", f"{base}/"),
        Visit("privilege-offer", f"{base}/offer/"),
        Visit("partner-report", f"{base}/report/"),
        Visit("partners-mine", "/partners/"),
        Visit("partner-register", "/partners/register/"),
        Visit("partner-register-errors", "/partners/register/", submit=SEND_EMPTY),
        Visit("partner-staff", f"{base}/staff/"),
        Visit("partner-staff-errors", f"{base}/staff/", submit=STAFF_ADD_EMPTY),
        Visit("partner-tokens", f"{base}/tokens/"),
        Visit("partner-tokens-errors", f"{base}/tokens/", submit=_token_label_too_long),
        Visit("privilege-edit", edit),
        Visit("privilege-edit-errors", edit, submit=PRIVILEGE_EDIT_EMPTY),
    ]


def _pending_for(verifier: User) -> Deed | None:
    pending = Deed.objects.filter(status="pending").exclude(person=verifier).order_by("created_at")
    return next((deed for deed in pending if deed_decidable_by(verifier, deed)), None)


def _goodness_bank_pages(person: User, *, committee: bool = False) -> list[Visit]:
    """The goodness bank's pages (kwamdee/demo/loans_demo.py): the citizen's bank, its product
    with a schedule and the application coming back, her waiting loan; the committee's desk with
    the deposit form coming back, a new product, the loan being repaid (its statement and a
    receipt), the statement import and the report."""
    from kwamdee.loans.models import Loan, LoanFund

    fund = LoanFund.objects.get(community__subdistrict_code="710911")
    product = fund.products.order_by("pk").first()
    waiting = Loan.objects.get(fund=fund, person__phone="0810000002", state="applied")
    if not committee:
        base = f"/loans/products/{product.public_id}/"
        return [
            Visit("loans", "/loans/", screenshot=True),
            Visit("loan-product", f"{base}?p-amount=30000&p-instalments=12", screenshot=True),
            Visit("loan-apply-errors", base, submit=SEND_EMPTY),
            Visit("loan-waiting", f"/loans/{waiting.public_id}/", screenshot=True),
        ]
    repaying = Loan.objects.get(fund=fund, state="repaying")
    receipt = repaying.repayments.order_by("pk").first()
    desk = f"/loans/fund/{fund.public_id}"
    return [
        Visit("loans-desk", f"{desk}/", screenshot=True),
        Visit("loans-deposit-errors", f"{desk}/", submit=SEND_EMPTY),
        Visit("loans-product-new", f"{desk}/products/new/"),
        Visit("loans-product-new-errors", f"{desk}/products/new/", submit=SEND_EMPTY),
        Visit("loan-to-decide", f"/loans/{waiting.public_id}/", screenshot=True),
        Visit("loan-repaying", f"/loans/{repaying.public_id}/"),
        Visit("loan-statement", f"/loans/{repaying.public_id}/statement/", screenshot=True),
        Visit("loan-receipt", f"/loans/{repaying.public_id}/receipts/{receipt.public_id}/"),
        Visit("loans-import", f"{desk}/import/"),
        Visit("loans-import-errors", f"{desk}/import/", submit=SEND_EMPTY),
        Visit("loans-report", f"{desk}/report/"),
    ]


def _time_bank_pages(person: User, *, committee: bool = False) -> list[Visit]:
    """The time bank's pages (kwamdee/demo/timebank_demo.py): the citizen's time, the offers and
    requests (a filter it cannot use named), a neighbour's offer with the reply coming back, the
    exchange waiting for her, a new listing and the gift to the pool coming back; the committee's
    page with the limit coming back, the elder's exchange the pool may pay, and the report."""
    from kwamdee.timebank.models import Exchange, Listing

    if not committee:
        offer = Listing.objects.get(title="ซ่อมพัดลม ก๊อกน้ำ ปลั๊กไฟในบ้าน")
        waiting = Exchange.objects.get(receiver=person, state="proposed")
        return [
            Visit("time-bank", "/timebank/", screenshot=True),
            Visit("time-listings", "/timebank/listings/", screenshot=True),
            Visit("time-listings-filter-errors", "/timebank/listings/?category=nonsense"),
            Visit("time-listing", f"/timebank/listings/{offer.public_id}/", screenshot=True),
            Visit("time-reply-errors", f"/timebank/listings/{offer.public_id}/", submit=_send_form(SEND, clear=("#id_hours",))),
            Visit("time-exchange", f"/timebank/exchanges/{waiting.public_id}/", screenshot=True),
            Visit("time-exchanges", "/timebank/exchanges/"),
            Visit("time-listing-new", "/timebank/listings/new/"),
            Visit("time-listing-new-errors", "/timebank/listings/new/", submit=SEND_EMPTY),
            Visit("time-donate", "/timebank/donate/"),
            Visit("time-donate-errors", "/timebank/donate/", submit=_send_form(SEND, clear=("#id_hours",))),
        ]  # fmt: skip
    community = Community.objects.get(admins=person)
    elder = Exchange.objects.get(receiver__phone="0810000014", state="proposed")
    base = f"/timebank/community/{community.public_id}/"
    return [
        Visit("time-community", base, screenshot=True),
        Visit("time-community-errors", base, submit=_send_form(SEND, clear=("#id_hours",))),
        Visit("time-exchange-pool", f"/timebank/exchanges/{elder.public_id}/", screenshot=True),
        Visit("time-report", "/timebank/report/"),
    ]


def _organization_public_pages() -> list[Visit]:
    """The public directory (a search that finds nothing too) and the demo's assessed อบต.: its
    page with level and figures, and how each figure was computed (kwamdee/demo/organizations_demo.py)."""
    from kwamdee.organizations.models import Organization

    council = Organization.objects.get(name_th="องค์การบริหารส่วนตำบลหนองสาหร่าย").public_id
    return [
        Visit("organizations", "/organizations/directory/", screenshot=True),
        Visit("organizations-nothing-found", "/organizations/directory/?q=zzqq"),
        Visit("organization-page", f"/organizations/o/{council}/", screenshot=True),
        Visit("organization-how", f"/organizations/o/{council}/how/"),
    ]


def _organization_pages(role: str) -> list[Visit]:
    """Issue 13's signed-in pages (kwamdee/demo/organizations_demo.py): the citizen's invitation,
    links and the registration form; the อบต. admin's organizations, its page, its assessment and
    the scored result with its certificate; staff's queue, the assessor's desk with the company's
    self-assessment to score, and the templates (JSON and Excel)."""
    from kwamdee.assessments.models import Assessment
    from kwamdee.organizations.models import Organization

    council = Organization.objects.get(name_th="องค์การบริหารส่วนตำบลหนองสาหร่าย").public_id
    if role == "citizen":
        return [
            Visit("organization-invitations", "/organizations/invitations/", screenshot=True),
            Visit("organization-links", "/organizations/links/"),
            Visit("organization-link", f"/organizations/{council}/link/"),
            Visit(
                "organization-link-errors",
                f"/organizations/{council}/link/",
                submit=SEND_EMPTY,
                submitted_status=400,
            ),
            Visit("organization-register", "/organizations/register/", screenshot=True),
            Visit("organization-register-errors", "/organizations/register/", submit=SEND_EMPTY),
            Visit("organizations-mine", "/organizations/mine/"),
        ]
    if role == "organization_admin":
        scored = Assessment.objects.get(organization__public_id=council, status="scored").public_id
        return [
            Visit("organizations-mine", "/organizations/mine/", screenshot=True),
            Visit("organization-admin", f"/organizations/{council}/", screenshot=True),
            Visit(
                "organization-invite-errors",
                f"/organizations/{council}/",
                submit=_send_form("main form[action$='/invite/'] button[type=submit]"),
                submitted_status=400,
            ),
            Visit("assessment-organization", f"/assessments/organization/{council}/"),
            Visit("assessment-result", f"/assessments/{scored}/", screenshot=True),
            Visit("assessment-certificate", f"/assessments/{scored}/certificate/"),
        ]
    if role == "staff":
        waiting = Assessment.objects.get(status="submitted").public_id
        return [
            Visit("registrations", "/organizations/registrations/", screenshot=True),
            Visit("assessor-desk", "/assessments/desk/"),
            Visit("assessment-score", f"/assessments/{waiting}/score/", screenshot=True),
            Visit(
                "assessment-score-errors",
                f"/assessments/{waiting}/score/",
                submit=SEND_EMPTY,
                submitted_status=400,
            ),
            Visit("assessment-templates", "/assessments/templates/"),
            Visit("template-workbook", "/assessments/templates/workbook/"),
            Visit(
                "template-workbook-errors",
                "/assessments/templates/workbook/",
                submit=SEND_EMPTY,
                submitted_status=400,
            ),
        ]
    return []


def pages_for(role: str) -> list[Visit]:
    """The pages `role` can open in the demo, each found from the data `seed_demo` made."""
    if role == "anonymous":
        return [
            Visit("home", "/", screenshot=True),
            Visit("catalog", "/catalog/", screenshot=True),
            Visit("deed-type", f"/catalog/{DEED_TYPE}/", screenshot=True),
            Visit("signup", "/people/signup/", screenshot=True),
            Visit("signup-errors", "/people/signup/", submit=SEND_EMPTY),
            Visit("contact-confirm", "/people/signup/", submit=_signup_known),
            Visit("contact-confirm-errors", "/people/signup/", submit=_signup_known_code_errors),
            Visit("login", "/people/login/"),
            Visit("login-errors", "/people/login/", submit=SEND_EMPTY),
            Visit("password-reset", "/people/password-reset/"),
            Visit("password-reset-errors", "/people/password-reset/", submit=SEND_EMPTY),
            Visit("password-reset-code", "/people/password-reset/", submit=_reset_ask),
            Visit("password-reset-code-errors", "/people/password-reset/", submit=_reset_code_errors),
            Visit("password-reset-new", "/people/password-reset/", submit=_reset_new),
            Visit("password-reset-new-errors", "/people/password-reset/", submit=_reset_new_errors),
            Visit("404", "/no-such-page/", status=404),
            Visit("agencies", "/agencies/"),
            Visit("account-erased", "/privacy/erased/"),
            Visit("catalog-page-2", "/catalog/?page=2"),
            Visit("catalog-nothing-found", "/catalog/?q=zzqq"),
            Visit("api-docs", "/api/v1/docs", audit=False),
            *_organization_public_pages(),  # issue 13: the directory and an organization's page
        ]
    person = User.objects.get(phone=ROLES[role][0]) if role != "admin" else User.objects.get(username="admin")
    if role in {"organization_admin", "auditor", "partner"}:
        # The same templates on the same kind of data as the citizen's and the verifier's sweeps:
        # only what their role changes is checked again, the header (its menu) and the desk.
        pages = [Visit("home", "/"), Visit("passbook", "/passbook/")]
        if role == "auditor":
            pages += _review_pages()
        if role == "partner":
            pages += _partner_pages(person)
        if role != "organization_admin":
            return [*pages, Visit("403", "/deeds/queue/", status=403)]
        pages += _organization_pages(role)
        deed = _pending_for(person)
        assert deed is not None, "the demo leaves a pending deed for the organization admin"
        return [
            *pages, Visit("queue", "/deeds/queue/"), Visit("deed-to-decide", f"/deeds/{deed.public_id}/"),
            Visit("reject-without-reason", f"/deeds/{deed.public_id}/", submit=REJECT_EMPTY),
            # the demo's appeal: of a deed the verifier rejected, so the admin decides it
            Visit("appeals", "/appeals/"),
            Visit("appeal-to-decide", f"/appeals/{Appeal.objects.get(status='open').public_id}/", screenshot=True),
        ]  # fmt: skip
    pages = _signed_in_pages(person)
    if role == "citizen":
        shots = {"passbook", "my-deeds", "new-deed", "new-deed-errors"}
        pages = [replace(v, screenshot=v.name in shots) for v in pages]
        pages.append(Visit("403", "/deeds/queue/", status=403))  # another role's page
        # the demo's deed the verifier asked about: the question and the answer form
        asked = Deed.objects.get(person=person, status="needs_info")
        pages.append(Visit("asked-deed", f"/deeds/{asked.public_id}/", screenshot=True))
        # the demo names her the witness of a neighbour's deed, and the helper of an elder
        pages.append(Visit("witness-requests", "/deeds/witness/", screenshot=True))
        pages.append(Visit("helpers", "/deeds/helpers/"))
        pages.append(Visit("helpers-errors", "/deeds/helpers/", submit=SEND_EMPTY))
        elder = User.objects.get(phone="0810000014")
        pages.append(Visit("new-deed-for-elder", f"/deeds/new/?for={elder.public_id}"))
        # privileges (issue 11): the list, one she can redeem, her waiting code, her codes, the levels
        merit_set = Privilege.objects.get(title_en="A set of flowers, incense and candles for the temple")
        waiting = Redemption.objects.filter(person=person, state="held").first()
        assert waiting is not None, "the demo leaves the citizen a code waiting at the health centre"
        pages.extend([
            Visit("privileges", "/privileges/", screenshot=True),
            Visit("privilege", f"/privileges/{merit_set.public_id}/"),
            Visit("redemption", f"/redemptions/{waiting.public_id}/", screenshot=True),
            Visit("my-redemptions", "/privileges/mine/"),
            Visit("levels", "/privileges/levels/"),
        ])  # fmt: skip
        pages.extend(_goodness_bank_pages(person))  # issue 12: the goodness bank
        pages.extend(_time_bank_pages(person))  # issue 12: the time bank
        pages.extend(_organization_pages(role))  # issue 13: organizations
    if role in {"verifier", "community_admin", "admin"}:
        pages.append(Visit("queue", "/deeds/queue/", screenshot=role == "verifier"))
    if role == "verifier":  # the desk's filters: open, and a value they cannot use named on its field
        pages.append(Visit("queue-filtered", "/deeds/queue/?deed_type=tree-planting&flagged=on"))
        pages.append(Visit("queue-filter-errors", "/deeds/queue/?deed_type=no-such-type&done_from=nonsense"))
    if role in {"verifier", "community_admin"}:
        deed = _pending_for(person)
        if role == "verifier":
            assert deed is not None, "the demo leaves a pending deed for the verifier"
        if deed is not None:
            pages.append(Visit("deed-to-decide", f"/deeds/{deed.public_id}/", screenshot=role == "verifier"))
            pages.append(Visit("reject-without-reason", f"/deeds/{deed.public_id}/", submit=REJECT_EMPTY))
    if role == "verifier":  # the organizer of the demo's activity
        pages.extend(
            [
                Visit("activity-new", "/activities/new/"),
                Visit("activity-new-errors", "/activities/new/", submit=SEND_EMPTY),
                Visit("activity-code", f"/activities/{_demo_activity()}/code/", screenshot=True),
                Visit("activity-close", f"/activities/{_demo_activity()}/close/"),
                Visit("activity-check-in-person", f"/activities/{_demo_activity()}/check-in-person/"),
                Visit(
                    "activity-check-in-person-errors",
                    f"/activities/{_demo_activity()}/check-in-person/",
                    submit=SEND_EMPTY,
                ),
                Visit("activity-attendance-file", f"/activities/{_demo_activity()}/attendance/"),
                Visit(
                    "activity-attendance-file-errors",
                    f"/activities/{_demo_activity()}/attendance/",
                    submit=SEND_EMPTY,
                ),
            ]
        )
    if role == "verifier":
        waiting = Deed.objects.get(person__phone="0810000003", status="awaiting_witnesses")
        pages.append(Visit("deed-awaiting-witnesses", f"/deeds/{waiting.public_id}/"))
        pages.append(Visit("appeals", "/appeals/"))
        pages.append(Visit("check-id-card", "/organizations/confirm-id/"))
        pages.append(Visit("check-id-card-errors", "/organizations/confirm-id/", submit=SEND_EMPTY))
    if role in {"staff", "admin"}:
        pages.extend(_staff_pages(role))
    if role == "staff":
        pages.extend(_organization_pages(role))  # issue 13: the queue, the desk, the templates
    if role == "admin":  # the read-only staff window (Django's admin, with our Thai names)
        pages.extend([Visit("admin", "/admin/"), Visit("admin-deeds", "/admin/deeds/deed/")])
    if role == "community_admin":
        community = Community.objects.get(admins=person)
        base = f"/catalog/community/{community.public_id}"
        pages.extend([
            Visit("community", f"{base}/"),
            Visit("community-local-new", f"{base}/new/"),
            Visit("community-local-new-errors", f"{base}/new/", submit=SEND_EMPTY),
            Visit("community-adjust", f"{base}/adjust/{DEED_TYPE}/"),
            Visit("community-local-edit", f"{base}/local/nong-sarai-canal-cleanup/"),  # the demo's own
            # the demo's newcomer asks to join; a note too long comes back (nobody is declined)
            Visit("membership-requests", "/people/community-requests/", screenshot=True),
            Visit("membership-requests-errors", "/people/community-requests/", submit=_membership_note_too_long),
        ])  # fmt: skip
        pages.extend(_goodness_bank_pages(person, committee=True))  # issue 12: the committee's desk
        pages.extend(_time_bank_pages(person, committee=True))  # issue 12: the time bank's committee
        pages = [v for v in pages if v.name != "communities"]  # it redirects to the one community
    if role in {"sponsor", "admin"}:
        pages.append(Visit("sponsorships", "/sponsorships/", screenshot=role == "sponsor"))
        pages.append(Visit("pledge-errors", "/sponsorships/", submit=SEND_EMPTY))
        pledge = Sponsorship.objects.order_by("id").first()
        if role == "sponsor":
            assert pledge is not None, "the demo's sponsor has a pledge"
            pages.append(Visit("sponsorship-report", f"/sponsorships/{pledge.public_id}/"))
    return pages


class Sweep:
    """Runs the checks on the page at hand and keeps every offender, with where it was seen.

    Offenders are kept as rule -> pattern -> instance -> pages: a pattern is what to fix (one CSS
    rule or template: an element's kind and classes, with the colours or the failure), an
    instance one element that shows it (its selector and text, its size at that viewport)."""

    def __init__(self, base: str, role: str):
        self.base = base
        self.role = role
        self.where = ""
        self.found: dict[tuple[str, str, str], dict[str, dict[str, set[str]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(set))
        )
        self.views = 0
        self.pages: set[str] = set()  # every page checked, as "/path (name)"

    def add(self, rule: str, impact: str, summary: str, pattern: str, instance: str) -> None:
        self.found[(rule, impact, summary)][pattern][instance].add(self.where)

    def on_request(self, request) -> None:
        url = request.url
        if url.startswith((self.base + "/", "data:", "blob:")):
            return
        host = re.sub(r"^([a-z]+://[^/]+).*", r"\1", url)
        self.add("third-party-request", "serious", "A page loads something from another host", host, url)

    def on_console(self, message) -> None:
        """The browser refused something under the Content-Security-Policy (settings)."""
        if message.type == "error" and "Content Security Policy" in message.text:
            self.add(
                "csp-violation", "serious", "The page does something its CSP refuses", message.text[:160], ""
            )

    def check(self, page, axe_context: str | None = None) -> None:
        """axe and the in-page checks on the page as it is; axe on `axe_context` only, if given
        (a CSS selector: the rest of the page was checked already)."""
        self.views += 1
        self.pages.add(self.where.partition(" ")[2])
        # axe is in every page of the sweep's browser from the start (add_init_script in
        # _sweep_role): a <script> tag added now would be refused by the site's CSP.
        result = page.evaluate(
            "([context, options]) => axe.run(context ? {include: [context]} : document, options)",
            [axe_context, AXE_OPTIONS],
        )
        for violation in result["violations"]:
            if violation["impact"] not in FAILING_IMPACTS:
                continue
            for node in violation["nodes"]:
                target = " ".join(str(t) for t in node["target"])
                self.add(
                    violation["id"], violation["impact"], violation["help"],
                    f"{_signature(node['html'])} — {_axe_detail(node)}", f"{target}  {_snippet(node['html'])}",
                )  # fmt: skip
        own = page.evaluate(IN_PAGE_CHECKS)
        for item in own["targets"]:
            self.add(
                "target-size-44", "serious", "Touch target smaller than 44×44 CSS px (and not in running text)",
                item["what"], f"{item['text']!r} {item['detail']}",
            )  # fmt: skip
        for item in own["uiContrast"]:
            self.add(
                "ui-contrast", "serious", "Form field's edge below 3:1 against the background around it",
                re.sub(r"#[\w-]+$", "", item["what"]) + " — " + item["detail"], item["what"],
            )  # fmt: skip
        for item in own["focusRing"]:
            self.add(
                "focus-contrast", "serious", "Focus ring missing or below 3:1 against the background around it",
                re.sub(r"#[\w-]+$", "", item["what"]) + " — " + item["detail"], f"{item['what']} {item['text']!r}",
            )  # fmt: skip

    def count(self) -> int:
        return sum(len(patterns) for patterns in self.found.values())

    def report(self, examples: int = 6) -> str:
        if not self.found:
            return ""
        lines = [
            f"Accessibility sweep, role {self.role}: things to fix: {self.count()}, from {self.views} checks"
            " (each page: th and en, phone 390×844 and desktop 1366×768; pages marked [..] only there)"
        ]
        for (rule, impact, summary), patterns in sorted(self.found.items()):
            lines.append(f"\n[{rule}] ({impact}) {summary}")
            for pattern, instances in sorted(patterns.items()):
                where = set().union(*instances.values())
                lines.append(f"  * {pattern}")
                lines.append(f"      pages: {_pages_summary(where, self.pages)}")
                for instance in sorted(instances)[:examples]:
                    lines.append(f"      - {instance}")
                if len(instances) > examples:
                    lines.append(f"      - … and {len(instances) - examples} more like these")
        return "\n".join(lines)

    def as_json(self) -> list[dict]:
        return [
            {"rule": rule, "impact": impact, "summary": summary, "pattern": pattern,
             "instances": {instance: sorted(where) for instance, where in sorted(instances.items())}}
            for (rule, impact, summary), patterns in sorted(self.found.items())
            for pattern, instances in sorted(patterns.items())
        ]  # fmt: skip


def _snippet(html: str) -> str:
    html = re.sub(r"\s+", " ", html).strip()
    return html if len(html) <= 140 else html[:137] + "..."


def _signature(html: str) -> str:
    """`<span class="sdg big" style=…>` as span.sdg.big: the element's kind, what CSS styles."""
    match = re.match(r"<([\w-]+)([^>]*)>", html.strip())
    if not match:
        return _snippet(html)
    tag, attrs = match.groups()
    classes = re.search(r'class="([^"]*)"', attrs)
    signature = tag + "".join(f".{c}" for c in (classes.group(1).split() if classes else []))
    for attr in ("type", "role"):
        value = re.search(rf'\b{attr}="([^"]*)"', attrs)
        if value:
            signature += f"[{attr}={value.group(1)}]"
    return signature


def _axe_detail(node: dict) -> str:
    for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
        data = check.get("data")
        if isinstance(data, dict) and "contrastRatio" in data:
            return (
                f"text {data.get('fgColor')} on {data.get('bgColor')}: {data.get('contrastRatio')}:1, "
                f"needs {data.get('expectedContrastRatio')}"
            )
    summary = (node.get("failureSummary") or "").replace("Fix any of the following:", "")
    summary = summary.replace("Fix all of the following:", "")
    return re.sub(r"\s+", " ", summary).strip()[:200]


def _pages_summary(where: set[str], every_page: set[str]) -> str:
    """The pages, each with the language/size variants it was seen in unless it was seen in all;
    "every page" when it is on all the pages of the sweep (or all but a few, named)."""
    by_page: dict[str, set[str]] = defaultdict(set)
    for item in where:
        variant, _, page = item.partition(" ")
        by_page[page].add(variant)
    every_variant = {f"{lang}/{size}" for lang in LANGUAGES for size in SIZES}

    def variants_text(variants: set[str]) -> str:
        return "" if variants >= every_variant else f" [{', '.join(sorted(variants))}]"

    missing = every_page - set(by_page)
    if len(every_page) > 4 and len(missing) <= len(every_page) // 4:
        kinds = {frozenset(variants) for variants in by_page.values()}
        text = f"every page ({len(every_page)})"
        if missing:
            text += " but " + ", ".join(_short(page) for page in sorted(missing))
        if len(kinds) == 1:
            return text + variants_text(set(next(iter(kinds))))
        partly = [
            f"{_short(page)}{variants_text(v)}" for page, v in sorted(by_page.items()) if variants_text(v)
        ]
        return text + "; only partly on " + "; ".join(partly)
    return "; ".join(f"{_short(page)}{variants_text(variants)}" for page, variants in sorted(by_page.items()))


def _short(page: str) -> str:
    """Ids shortened in page names: /deeds/0c4af044…/ (deed-to-decide)."""
    return re.sub(r"([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", r"\1…", page)


def _settle(page):
    page.wait_for_load_state("load")
    page.evaluate("() => document.fonts.ready.then(() => true)")


def _open(page, visit: Visit, base: str):
    """Opens the page (and sends its form, for the pages after a form); None if it opened as it
    should, else what happened instead."""
    response = page.goto(base + visit.path)
    if visit.submit and response is not None and response.status == visit.status:
        response = visit.submit(page)
    _settle(page)
    status = response.status if response is not None else None
    final = page.url.removeprefix(base)
    expected = visit.submitted_status if visit.submit and visit.submitted_status else visit.status
    # A form may come back from its own address (a POST answered with the errors in place).
    if status == expected and (final == visit.path or (visit.submit and "/login/" not in final)):
        return None
    return f"status {status}, ended at {final}"


def _check_folded_menus(page, sweep: Sweep, where: str) -> None:
    """A folded menu in the header (the phone's, a button with aria-expanded="false") is opened,
    its header checked, and folded again: what it hides is checked too."""
    for toggle in page.locator(FOLDED).filter(visible=True).element_handles():
        toggle.click()
        sweep.where = where
        sweep.check(page, axe_context="header")
        toggle.click()


def _screenshot_focus(page, path: Path) -> None:
    """The screen with the first control of main focused as by a keyboard (the focus ring shows),
    then the focus back where it was."""
    page.evaluate(
        """() => {
            const before = document.activeElement;
            const first = [...document.querySelectorAll("main a[href], main button, main input:not([type=hidden]), main select, main textarea")]
                .find((el) => el.getClientRects().length);
            if (!first) return;
            first.focus({focusVisible: true, preventScroll: true});
            first.scrollIntoView({block: "center"});
            window.__kwamdeeBefore = before;
        }"""
    )
    page.screenshot(path=str(path))
    page.evaluate(
        """() => {
            const before = window.__kwamdeeBefore;
            if (before && before !== document.body) before.focus({preventScroll: true});
            else if (document.activeElement) document.activeElement.blur();
            window.scrollTo(0, 0);
        }"""
    )


def _sweep_page(page, sweep: Sweep, visit: Visit, lang: str, base: str, artifacts: Path) -> None:
    page.set_viewport_size(SIZES["phone"])
    sweep.where = f"{lang}/phone {visit.path} ({visit.name})"
    wrong = _open(page, visit, base)
    if wrong:
        sweep.add("page-status", "critical", "The page did not open as it should for this role",
                  f"{visit.path}: expected {visit.status}", wrong)  # fmt: skip
        return
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        sweep.where = f"{lang}/{size} {visit.path} ({visit.name})"
        if visit.audit:
            sweep.check(page)
        if visit.screenshot:
            shot = artifacts / f"a11y-{lang}-{size}-{visit.name}.png"
            page.screenshot(path=str(shot), full_page=True)
            if lang == "th":  # the focus ring, as a keyboard shows it, on main's first control
                _screenshot_focus(page, artifacts / f"a11y-{lang}-{size}-{visit.name}-focus.png")
        if visit.audit:
            _check_folded_menus(page, sweep, f"{lang}/{size}+menu {visit.path} ({visit.name})")


def _sweep_role(role: str, visits: list[Visit], browser, base: str, artifacts: Path) -> Sweep:
    sweep = Sweep(base, role)
    context = browser.new_context(viewport=SIZES["phone"], locale="en-US")
    try:
        context.on("request", sweep.on_request)
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        page.on("console", sweep.on_console)
        page.set_default_timeout(15000)
        page.base = base
        if ROLES[role]:
            sweep.where = "sign-in /people/login/ (login)"
            sign_in(page, *ROLES[role])
            page.wait_for_url(lambda url: "/people/login/" not in url)
        for lang in LANGUAGES:
            context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
            for visit in visits:
                try:
                    _sweep_page(page, sweep, visit, lang, base, artifacts)
                except PlaywrightError as exc:  # one broken page does not hide the others' report
                    message = str(exc).splitlines()[0][:200]
                    sweep.add(
                        "page-error", "critical", "The sweep could not check the page", visit.path, message
                    )
    finally:
        context.close()
    return sweep


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_the_role_passes_the_sweep(role, browser, live_server, artifacts):
    started = time.monotonic()
    call_command("seed_demo", verbosity=0)
    seeded = time.monotonic() - started
    visits = pages_for(role)
    sweep = _sweep_role(role, visits, browser, live_server.url, artifacts)
    report = sweep.report()
    took = time.monotonic() - started
    footer = f"{role}: {len(visits)} pages, {sweep.views} checks, seed {seeded:.1f}s, whole test {took:.1f}s"
    (artifacts / f"a11y-report-{role}.txt").write_text((report or "no offenders") + f"\n\n{footer}\n")
    as_json = json.dumps(sweep.as_json(), ensure_ascii=False, indent=1)
    (artifacts / f"a11y-report-{role}.json").write_text(as_json)
    print(footer)
    assert not report, report


HEADER_ROW = 64  # px: the header's one row is 60 px high (min-height); two rows would be 100 or more
MAIN_GAP = 16  # px at least between the header's bottom and the first thing in main (padding: 24)
LAYOUT_SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def test_the_header_stays_one_row_and_the_content_starts_below_it(browser, live_server):
    """Anonymous, the signed-in citizen (the longest nav of the everyday roles) and staff (the
    longest of all, folded behind the menu on a desktop too), in Thai and English: on a phone
    (390 px, the menu folded) and on a desktop (1280 px) the header is one row about 60 px high,
    every part of its bar on that row, and main's first box starts below the header with a gap."""
    call_command("seed_demo", verbosity=0)
    base = live_server.url
    measure = """() => {
        const header = document.querySelector("header.site").getBoundingClientRect();
        const parts = [...document.querySelectorAll("header.site .bar > *")]
            .filter((el) => el.getClientRects().length)
            .map((el) => [el.className || el.tagName, el.getBoundingClientRect().top]);
        const first = [...document.querySelector("main").children].find((el) => el.getClientRects().length);
        return {height: header.height, bottom: header.bottom, parts, mainTop: first.getBoundingClientRect().top};
    }"""
    problems = []
    for who in ("anonymous", "citizen", "staff"):
        context = browser.new_context(viewport=LAYOUT_SIZES["phone"], locale="en-US")
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base = base
        if who != "anonymous":
            sign_in(page, *ROLES[who])
            page.wait_for_url(lambda url: "/people/login/" not in url)
        for lang in LANGUAGES:
            context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
            for path in ("/", "/passbook/", "/deeds/new/") if who != "anonymous" else ("/", "/catalog/"):
                for size, viewport in LAYOUT_SIZES.items():
                    page.set_viewport_size(viewport)
                    page.goto(base + path)
                    _settle(page)
                    got = page.evaluate(measure)
                    where = f"{who} {lang}/{size} {path}"
                    if got["height"] > HEADER_ROW:
                        problems.append(f"{where}: header {got['height']:.0f} px high (one row: 60)")
                    tops = [top for _, top in got["parts"]]
                    if max(tops) - min(tops) > got["height"] / 2:
                        problems.append(
                            f"{where}: the header's parts are on more than one row: {got['parts']}"
                        )
                    if got["mainTop"] < got["bottom"] + MAIN_GAP:
                        problems.append(
                            f"{where}: main starts at {got['mainTop']:.0f}, header ends at {got['bottom']:.0f}"
                        )
        context.close()
    assert not problems, "\n".join(problems)


def test_home_page_weight(browser, live_server, artifacts):
    """First load of the home page, anonymous, Thai, phone: at most 150 KB on the wire, all of
    it from this host. Counts each response's headers and body as transferred (the encoded body:
    compressed if the server compressed it), from Playwright's request sizes; the report beside
    it shows the decoded size too, so the two can be compared."""
    call_command("seed_demo", verbosity=0)
    base = live_server.url
    context = browser.new_context(viewport=SIZES["phone"], locale="th-TH")
    page = context.new_page()
    requests, responses = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: responses.append(response))
    page.goto(base + "/")
    page.wait_for_load_state("networkidle")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    rows, total = [], 0
    for response in responses:
        sizes = response.request.sizes()
        sent = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        total += sent
        encoding = response.headers.get("content-encoding", "identity")
        decoded = len(response.body()) if response.status == 200 else 0
        rows.append(
            f"{sent:>8} {decoded:>8}  {response.status} {encoding:<8} {response.url.removeprefix(base)}"
        )
    context.close()
    text = "\n".join([
        f"home page, first load (anonymous, th, 390×844): {total} bytes transferred (limit {PAGE_WEIGHT_LIMIT})",
        "    sent  decoded  status encoding url   (sent: headers and body as transferred)",
        *rows,
    ])  # fmt: skip
    (artifacts / "page-weight.txt").write_text(text + "\n")
    print(text)
    others = [url for url in requests if not url.startswith((base + "/", "data:", "blob:"))]
    assert not others, f"the home page loads from other hosts: {others}"
    assert total <= PAGE_WEIGHT_LIMIT, text
