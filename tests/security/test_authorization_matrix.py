"""The authorization matrix: every web page and API operation, tried as every role.

Each row names what each role gets. A completeness test fails when a URL or an API operation
exists that no row covers, so a new endpoint cannot land without its line here. Any answer other
than the row's, an unexpected 2xx above all, fails the role's test.

Where a row names an object, it is tried on one that is the caller's and one that is not: a deed
of the verifier's area and one of another province, a person's own deed and another's, the
sponsor's sponsorship and another sponsor's, the community admin's community and another. An
object outside the caller's reach answers 404 for reading and acting alike (never a 403 that
would say the id exists); a 403 is for a role that may never do this at all.

Outcomes: a status code, "login" (a redirect to sign-in), "ok" (any success or redirect that is
not to sign-in), "done" / "refused" (a web form that redirects either way: whether the change
happened is checked on the data)."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Q
from django.urls import get_resolver, resolve
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kwamdee.activities.models import Activity
from kwamdee.api.api import api
from kwamdee.appeals.models import Appeal
from kwamdee.appeals.services import appeal_create
from kwamdee.areas.models import Community
from kwamdee.catalog.models import DeedType, SearchSynonym
from kwamdee.catalog.selectors import national_rule_in_force, rule_proposals_waiting
from kwamdee.catalog.services import deed_type_create, rule_proposal_approve
from kwamdee.deeds.assisted import assist_consent_give
from kwamdee.deeds.models import Deed, DeedFlag, DeedWitness
from kwamdee.deeds.services import deed_ask, deed_record, deed_reject, deed_verify
from kwamdee.demo.rewards_demo import CAFE, CLINIC, SHOP
from kwamdee.evidence.models import EvidenceFile
from kwamdee.evidence.services import evidence_attach
from kwamdee.exchange.services import catalog_export
from kwamdee.notifications.models import Notification
from kwamdee.people.models import CommunityMembership, User
from kwamdee.people.two_factor import two_factor_required
from kwamdee.privacy.services import correction_request_create
from kwamdee.rewards.models import Partner, Privilege, Redemption, Sponsor, Sponsorship
from kwamdee.rewards.partners import partner_decide, partner_register
from kwamdee.rewards.privileges import PrivilegeIn, privilege_offer
from kwamdee.rewards.redemptions import redemption_create
from kwamdee.rewards.services import sponsor_register, sponsorship_pledge
from tests.activities.helpers import make_activity
from tests.catalog.test_api import ROW
from tests.evidence.helpers import png
from tests.factories import (
    BANGKOK_SUBDISTRICT,
    PHANOM_THUAN,
    SYSTEM,
    make_community,
    make_person,
    make_verifier,
)
from tests.people.two_factor_helpers import totp_now
from tests.security import (
    matrix_assessments,
    matrix_impact,
    matrix_loans,
    matrix_organizations,
    matrix_template_files,
    matrix_timebank,
)
from tests.security.matrix_rows import (
    API_SIGNED_IN,
    EVERYONE,
    ROLES,
    SIGNED_IN_OK,
    A,
    Row,
    only,
)

# The roles that sign in with a password and a code (kwamdee/people/two_factor.py).
TWO_STEP_ROLES = ["verifier", "staff", "community_admin", "organization_admin", "auditor"]
# Who may verify deeds in the demo's subdistrict: the อบต.'s verifier and its admin.
VERIFIERS = ["verifier", "organization_admin"]


def _attendance_file(data, role):
    return {"file": SimpleUploadedFile("attendance.csv", b"phone_or_email,hours\r\n0810000002,1\r\n")}


def _deed_decided(data) -> bool:
    return Deed.objects.get(public_id=data["deed_web"]).status != "pending"


WEB = [
    Row("GET", "/", EVERYONE),
    # Open to all, no sign-in; 503 here because no task worker runs in this test (tests/site).
    Row("GET", "/healthz", {"*": 503}),
    Row("GET", "/agencies/", EVERYONE),
    # The component gallery exists only with DEBUG on (development); tests run with it off.
    Row("GET", "/ui/", {"*": 404}),
    Row("POST", "/i18n/setlang/", EVERYONE, body={"language": "th", "next": "/"}),
    Row("GET", "/people/signup/", EVERYONE),
    # The code after a sign-up (people/contact_views.py): a visitor without a sign-up in this
    # browser is sent to sign in; the demo's people are confirmed, so they are sent on.
    Row("GET", "/people/confirm/", SIGNED_IN_OK),
    Row("POST", "/people/confirm/", SIGNED_IN_OK, body={"code": "000000"}),
    Row("POST", "/people/confirm/send-again/", SIGNED_IN_OK),
    Row("GET", "/people/login/", EVERYONE),
    Row("GET", "/people/consent/", SIGNED_IN_OK),
    # My account: the person's own details and password only; no page takes another's id.
    Row("GET", "/people/account/", SIGNED_IN_OK),
    Row("GET", "/people/account/profile/", SIGNED_IN_OK),
    Row("GET", "/people/account/password/", SIGNED_IN_OK),
    # The password reset is open to all and answers alike whether or not an account exists; its
    # later steps send back to the first without a code in the session.
    Row("GET", "/people/password-reset/", EVERYONE),
    Row(
        "POST",
        "/people/password-reset/",
        EVERYONE,
        body=lambda data, role: {"login": f"08{9100000 + list(ROLES).index(role):08d}"},
    ),
    Row("GET", "/people/password-reset/code/", EVERYONE),
    Row("GET", "/people/password-reset/new/", EVERYONE),
    # Two-step sign-in, one's own only (TWO_FACTOR_REQUIRED is off in tests and no role has an app
    # here): the setup page for anyone signed in; the code, new recovery codes and turning it off
    # send a person without an app on (to My account), never to another's.
    Row("GET", "/people/two-factor/setup/", SIGNED_IN_OK),
    Row("GET", "/people/two-factor/verify/", SIGNED_IN_OK),
    Row("GET", "/people/two-factor/recovery-codes/", SIGNED_IN_OK),
    Row("GET", "/people/two-factor/disable/", SIGNED_IN_OK),
    # A person's own data only: the page and the downloads never take another person's id.
    Row("GET", "/privacy/my-data/", SIGNED_IN_OK),
    Row("POST", "/privacy/my-data/download/json/", SIGNED_IN_OK),
    # Asking for a correction of one's own data: the form, and an empty one (answered on the
    # page with its errors, 200, nothing recorded).
    Row("GET", "/privacy/my-data/correction/", SIGNED_IN_OK),
    Row("POST", "/privacy/my-data/correction/", {"anon": "login", "*": 200}),
    # Erasing one's own account: the page, and a wrong password (answered on the page, 200,
    # nothing erased: no role here may erase a demo account that later rows use).
    Row("GET", "/privacy/erase/", SIGNED_IN_OK),
    Row(
        "POST",
        "/privacy/erase/",
        {"anon": "login", "*": 200},
        body={"password": "not-it", "understood": "on"},
    ),
    Row("GET", "/privacy/erased/", EVERYONE),  # says only "your account is erased"
    Row("GET", "/privacy/requests/", only("staff", 200)),
    # One request of a citizen: staff open it and answer it (without a note: the page again, 200,
    # the request still open).
    Row("GET", "/privacy/requests/{data_request}/", only("staff", 200)),
    Row("POST", "/privacy/requests/{data_request}/", only("staff", 200), body={"outcome": "done"}),
    # Checking an ID card: the verifiers of an organization, for people of its area only (a
    # person outside it is answered as if nobody had that phone: tests/organizations).
    Row("GET", "/organizations/confirm-id/", only(["verifier", "organization_admin"], 200)),
    Row("GET", "/areas/districts/?province=71", EVERYONE),
    Row("GET", "/areas/subdistricts/?district=7109", EVERYONE),
    Row("GET", "/deeds/", SIGNED_IN_OK),
    Row("GET", "/deeds/new/", SIGNED_IN_OK),
    Row("GET", "/deeds/queue/", only([*VERIFIERS, "community_admin"], 200)),
    # the citizen role's own pending deed: theirs, and in the verifiers' area
    Row("GET", "/deeds/{deed_api}/", only(["citizen", *VERIFIERS], 200, others=404)),
    # a pending deed of another citizen of the verifiers' subdistrict: not the citizen's
    Row("GET", "/deeds/{deed_web}/", only(VERIFIERS, 200, others=404)),
    # a pending deed of a person in Bangkok: outside the reach of every role here
    Row("GET", "/deeds/{deed_far}/", {"anon": "login", "*": 404}),
    # Evidence files: the deed's person and its verifiers; anyone else as if there were none.
    Row("GET", "/deeds/evidence/{evidence_api}/", only(["citizen", *VERIFIERS], 200, others=404)),
    Row("GET", "/deeds/evidence/{evidence_web}/", only(VERIFIERS, 200, others=404)),
    Row("GET", "/deeds/evidence/{evidence_far}/", {"anon": "login", "*": 404}),
    Row(
        "POST",
        "/deeds/{deed_web}/decide/",
        # 403: a role that verifies nothing; 404: the community admin verifies its committee's
        # deeds only, and this one is out of its reach (as for a deed that does not exist)
        only(VERIFIERS, "done") | {"community_admin": 404},
        body={"action": "verify"},
        effect=_deed_decided,
    ),
    Row(
        "POST",
        "/deeds/{deed_far}/decide/",
        only([*VERIFIERS, "community_admin"], 404),
        body={"action": "verify"},
    ),
    Row(
        "POST",
        "/deeds/queue/verify/",
        only(VERIFIERS, "done") | {"community_admin": "refused"},  # named refused, unchanged
        body=lambda data, role: {"deeds": [data["deed_bulk"]], "idempotency_key": f"matrix-{role}"},
        effect=lambda data: Deed.objects.get(public_id=data["deed_bulk"]).status == "verified",
    ),
    # The person answers the verifier's question on their own deed; anyone else: as no such deed.
    Row(
        "POST",
        "/deeds/{deed_asked_web}/answer/",
        only("citizen", "done", others=404),
        body={"answer": "ลุงสมบูรณ์ ไวยาวัจกร เห็นครับ"},
        effect=lambda data: Deed.objects.get(public_id=data["deed_asked_web"]).status == "pending",
    ),
    # Witnesses: one's own list; only a named witness answers (the citizen role is named on
    # another citizen's deed), anyone else as no such deed. Naming one more witness: the deed's
    # person only.
    Row("GET", "/deeds/witness/", SIGNED_IN_OK),
    Row(
        "POST",
        "/deeds/{deed_witnessed_web}/witness/",
        only("citizen", "done", others=404),
        body={"answer": "confirm"},
        effect=lambda data: (
            DeedWitness.objects.get(
                deed__public_id=data["deed_witnessed_web"], witness__phone=ROLES["citizen"][0]
            ).answer
            == "confirmed"
        ),
    ),
    Row(
        "POST",
        "/deeds/{deed_witnesses_own}/witnesses/add/",
        only("citizen", "done", others=404),
        body={"login": "0810000004"},
        effect=lambda data: (
            DeedWitness.objects.filter(deed__public_id=data["deed_witnesses_own"]).count() == 2
        ),
    ),
    # Assisted recording: one's own helpers; a consent is revoked by its own person only.
    Row("GET", "/deeds/helpers/", SIGNED_IN_OK),
    Row("POST", "/deeds/helpers/", SIGNED_IN_OK, body={"helper": "0810000004"}),
    Row(
        "POST",
        "/deeds/helpers/{assist_consent}/revoke/",
        only("citizen", "ok", others=404),
    ),
    # Appeals: the queue and pages of whoever may decide; the demo's appeal is of a deed the
    # verifier rejected, so its admin decides it and the verifier is refused (another decides).
    Row("GET", "/appeals/", only([*VERIFIERS, "community_admin"], 200)),
    Row("GET", "/appeals/{appeal}/", only(VERIFIERS, 200, others=404)),
    Row(
        "POST",
        "/appeals/{appeal}/decide/",
        only("organization_admin", "done") | {"verifier": "refused", "community_admin": 404},
        body={"outcome": "uphold", "note": "ไม่มีผู้รับรองชั่วโมงจริง"},
        effect=lambda data: Appeal.objects.get(public_id=data["appeal"]).status != "open",
    ),
    # Only the deed's person appeals its rejection; for anyone else it does not exist.
    Row(
        "POST",
        "/appeals/deed/{deed_rejected_own}/",
        only("citizen", "done", others=404),
        body={"statement": "วันนั้นช่วยงานจริง มีพยานครับ"},
        effect=lambda data: Appeal.objects.filter(deed__public_id=data["deed_rejected_own"]).exists(),
    ),
    Row("GET", "/catalog/", EVERYONE),
    Row("GET", "/catalog/export/json/", EVERYONE),
    Row("GET", "/catalog/volunteer-hours/", EVERYONE),
    Row("GET", "/catalog/manage/", only("staff", 200)),
    Row("GET", "/catalog/manage/new/", only("staff", 200)),
    Row("GET", "/catalog/manage/categories/", only("staff", 200)),
    Row("GET", "/catalog/manage/synonyms/", only("staff", 200)),
    Row(
        "POST",
        "/catalog/manage/synonyms/",
        only("staff", "done"),
        body=lambda data, role: {"word": "matrix word", "deed_types": [data["tree_planting_pk"]]},
        effect=lambda data: SearchSynonym.objects.filter(word="matrix word").exists(),
    ),
    Row(
        "POST",
        "/catalog/manage/synonyms/remove/",
        only("staff", "done"),
        body={"word": "เลือด"},
        effect=lambda data: not SearchSynonym.objects.filter(word="เลือด").exists(),
    ),
    Row("GET", "/catalog/manage/interchange/", only("staff", 200)),
    Row("GET", "/catalog/manage/volunteer-hours/", only("staff", 200)),
    Row("GET", "/catalog/community/", SIGNED_IN_OK),
    Row("GET", "/catalog/community/{community}/", only("community_admin", 200)),
    # another community (of the next subdistrict): not the community admin's, so as if none
    Row("GET", "/catalog/community/{community_other}/", only("community_admin", 404)),
    Row("POST", "/catalog/community/{community_other}/adopt/", only("community_admin", 404)),
    Row("GET", "/catalog/community/{community}/new/", only("community_admin", 200)),
    Row("GET", "/catalog/community/{community}/local/matrix-local/", only("community_admin", 200)),
    Row("GET", "/catalog/community/{community}/adjust/volunteer-hours/", only("community_admin", 200)),
    Row("POST", "/catalog/community/{community}/adopt/", only("community_admin", "ok")),
    Row(
        "POST",
        "/catalog/community/{community}/switch/tree-planting/",
        only("community_admin", "ok"),
        body={"enabled": "0"},
    ),
    # Requests to join a community: its committee (the community admin) decides the demo's
    # newcomer's; another community's request is as if none (404); other roles may decide none.
    Row("GET", "/people/community-requests/", only("community_admin", 200)),
    Row(
        "POST",
        "/people/community-requests/{membership_other}/",
        only("community_admin", 404),
        body={"decision": "approve"},
    ),
    Row(
        "POST",
        "/people/community-requests/{membership}/",
        only("community_admin", "done"),
        body={"decision": "approve"},
        effect=lambda data: _membership_state(data["membership"]) == "approved",
    ),
    Row("GET", "/sponsorships/", only("sponsor", 200)),
    Row("GET", "/sponsorships/sponsors/", only("staff", 200)),
    Row("GET", "/sponsorships/funding/", only("staff", 200)),
    Row("GET", "/catalog/manage/proposals/", only("staff", 200)),
    Row(
        "POST", "/catalog/community/{community}/proposals/{proposal}/approve/", only("community_admin", "ok")
    ),
    Row(
        "POST",
        "/catalog/community/{community_other}/proposals/{proposal}/approve/",
        only("community_admin", 404),
    ),
    Row("GET", "/sponsorships/{sponsorship}/", only("sponsor", 200)),
    Row("GET", "/sponsorships/{sponsorship_other}/", only("sponsor", 404)),  # another sponsor's
    # Activities: the demo's open one (run by the อบต. whose verifier and admin manage it), and one
    # of an organization of another subdistrict (outside every role's reach: 404, as for none).
    Row("GET", "/activities/", SIGNED_IN_OK),
    Row("GET", "/activities/new/", only([*VERIFIERS, "community_admin"], 200)),
    Row("GET", "/activities/{activity}/", {"anon": "login", "*": 200}),
    Row("GET", "/activities/{activity}/code/", only(VERIFIERS, 200, others=404)),
    Row("GET", "/activities/{activity_other}/code/", {"anon": "login", "*": 404}),
    # A code that is not one: the page says so (200), nothing recorded.
    Row("GET", "/activities/{activity}/check-in/?code=forged", {"anon": "login", "*": 200}),
    Row(
        "POST",
        "/activities/{activity}/check-in/",
        {"anon": "login", "*": 200},
        body={"code": "forged", "action": "check_in"},
    ),
    Row("POST", "/activities/{activity}/register/", SIGNED_IN_OK),
    Row("GET", "/activities/{activity}/close/", only(VERIFIERS, 200, others=404)),
    Row("POST", "/activities/{activity_other}/close/", {"anon": "login", "*": 404}),
    # A person's own code (anyone signed in); the organizer's check-in of a person by that code
    # or a phone, and the attendance file: the activity's organizers only (404 for anyone else).
    Row("GET", "/activities/my-code/", {"anon": "login", "*": 200}),
    Row("GET", "/activities/{activity}/check-in-person/", only(VERIFIERS, 200, others=404)),
    Row(
        "POST",
        "/activities/{activity}/check-in-person/",
        only(VERIFIERS, "ok", others=404),
        body={"person": "0810000002", "action": "check_in"},
    ),
    Row(
        "POST",
        "/activities/{activity_other}/check-in-person/",
        {"anon": "login", "*": 404},
        body={"person": "0810000002", "action": "check_in"},
    ),
    Row("GET", "/activities/{activity}/attendance/", only(VERIFIERS, 200, others=404)),
    Row("GET", "/activities/{activity}/attendance/template.csv", only(VERIFIERS, 200, others=404)),
    Row(
        "POST", "/activities/{activity}/attendance/", only(VERIFIERS, 200, others=404), body=_attendance_file
    ),
    Row(
        "POST", "/activities/{activity_other}/attendance/", {"anon": "login", "*": 404}, body=_attendance_file
    ),
    Row("GET", "/passbook/", SIGNED_IN_OK),
    # The auditor's desk (fairness review): flags on deeds, dismissed or acted on by reversing the
    # credit. Auditors only; for everyone else the pages are forbidden (403), whoever's deed it is.
    Row("GET", "/review/", only("auditor", 200)),
    Row("GET", "/review/flags/{flag_open}/", only("auditor", 200)),
    Row(
        "POST",
        "/review/flags/{flag_open}/dismiss/",
        only("auditor", "done"),
        body={"note": "สมาชิกใหม่ของหมู่บ้าน ผู้ใหญ่บ้านรู้จัก"},
        effect=lambda data: DeedFlag.objects.get(public_id=data["flag_open"]).state == "dismissed",
    ),
    Row(
        "POST",
        "/review/flags/{flag_reverse}/reverse/",
        only("auditor", "done"),
        body={"reason_code": "entered_in_error"},
        effect=lambda data: DeedFlag.objects.get(public_id=data["flag_reverse"]).deed.status == "reversed",
    ),
    # A person's own notifications only: marking another's read answers 404, as one that does
    # not exist (the citizen's own, and one of another citizen none of the roles is).
    Row("GET", "/notifications/", SIGNED_IN_OK),
    Row("GET", "/notifications/settings/", SIGNED_IN_OK),
    Row("POST", "/notifications/settings/", SIGNED_IN_OK, body={"email": "on"}),
    Row("POST", "/notifications/{notification}/read/", {"anon": "login", "citizen": "ok", "*": 404}),
    Row("POST", "/notifications/{notification_other}/read/", {"anon": "login", "*": 404}),
    Row("POST", "/notifications/read-all/", SIGNED_IN_OK),
    # Privileges (issue 11), a citizen's side: open to anyone signed in. A privilege is a public
    # offer: its page (and photo) opens for everyone, one offered only in Bangkok too, where the
    # page says it is not offered to them and redeeming it is refused on the page (200, nothing
    # held). A code's page: its person's, and its partner's counter staff (to open it at the
    # counter); cancelling: its person's alone. Anyone else: 404, as for none.
    Row("GET", "/privileges/", SIGNED_IN_OK),
    Row("GET", "/privileges/levels/", SIGNED_IN_OK),
    Row("GET", "/privileges/mine/", SIGNED_IN_OK),
    Row("GET", "/privileges/{privilege_free}/", {"anon": "login", "*": 200}),
    Row("GET", "/privileges/{privilege_far}/", {"anon": "login", "*": 200}),
    Row("GET", "/privileges/{privilege_free}/photo", {"anon": "login", "*": 200}),
    Row(
        "POST",
        "/privileges/{privilege_free}/redeem/",
        {"anon": "login", "*": "done"},
        body={"key": "matrix-web"},
        effect=lambda data: Redemption.objects.filter(idempotency_key="matrix-web").exists(),
    ),
    Row(
        "POST", "/privileges/{privilege_far}/redeem/", {"anon": "login", "*": 200}, body={"key": "matrix-far"}
    ),
    Row("GET", "/redemptions/{redemption_web}/", {"anon": "login", "citizen": 200, "partner": 200, "*": 404}),
    Row("GET", "/redemptions/{redemption_other_web}/", {"anon": "login", "partner": 200, "*": 404}),
    Row("GET", "/redemptions/{redemption_web}/cancel/", {"anon": "login", "citizen": 200, "*": 404}),
    Row("POST", "/redemptions/{redemption_other_web}/cancel/", {"anon": "login", "*": 404}),
    Row(
        "POST",
        "/redemptions/{redemption_web}/cancel/",
        {"anon": "login", "citizen": "done", "*": 404},
        effect=lambda data: Redemption.objects.get(public_id=data["redemption_web"]).state == "cancelled",
    ),
    # Partners: anyone signed in registers one (an empty form: its errors, 200). Who decides on a
    # partner: national staff anywhere, a community's committee for its community's (the demo's
    # café waits for it; a partner of another community waits for that one's committee).
    Row("GET", "/partners/", SIGNED_IN_OK),
    Row("GET", "/partners/register/", SIGNED_IN_OK),
    Row("POST", "/partners/register/", {"anon": "login", "*": 200}),
    Row("GET", "/partners/waiting/", only(["staff", "community_admin"], 200)),
    Row("GET", "/partners/{shop}/", only(["partner", "staff", "community_admin"], 200, others=404)),
    Row("GET", "/partners/{clinic}/", only(["staff", "community_admin"], 200, others=404)),
    Row("GET", "/partners/{cafe}/", only(["staff", "community_admin"], 200, others=404)),
    Row("GET", "/partners/{partner_pending_other}/", only("staff", 200, others=404)),
    Row(
        "POST",
        "/partners/{cafe}/decide/",
        only(["staff", "community_admin"], "done", others=404),
        body={"decision": "approve"},
        effect=lambda data: Partner.objects.get(public_id=data["cafe"]).state == "approved",
    ),
    Row(
        "POST",
        "/partners/{partner_pending_other}/decide/",
        only("staff", "done", others=404),
        body={"decision": "approve"},
        effect=lambda data: Partner.objects.get(public_id=data["partner_pending_other"]).state == "approved",
    ),
    # Decided already: the committee and staff are told so, nothing changes.
    Row(
        "POST",
        "/partners/{clinic}/decide/",
        only(["staff", "community_admin"], "refused", others=404),
        body=lambda data, role: {"decision": "decline", f"{data['clinic']}-note": "ไม่ผ่าน"},
        effect=lambda data: Partner.objects.get(public_id=data["clinic"]).state != "approved",
    ),
    # A partner's counter, report, staff and keys: its counter staff only (the partner role serves
    # the demo shop, not the health centre); anyone else, national staff too: 404.
    Row("GET", "/partners/{shop}/counter/", only("partner", 200, others=404)),
    Row("GET", "/partners/{shop}/counter/?code={code_other_web}", only("partner", 200, others=404)),
    Row("GET", "/partners/{clinic}/counter/", {"anon": "login", "*": 404}),
    Row(
        "POST",
        "/partners/{clinic}/counter/",
        {"anon": "login", "*": 404},
        body=lambda data, role: {"code": data["code_own"]},
    ),
    Row(
        "POST",
        "/partners/{shop}/counter/",
        only("partner", "done", others=404),
        body=lambda data, role: {"code": data["code_other_web"]},
        effect=lambda data: (
            Redemption.objects.get(public_id=data["redemption_other_web"]).state == "confirmed"
        ),
    ),
    Row("GET", "/partners/{shop}/report/", only("partner", 200, others=404)),
    Row("GET", "/partners/{clinic}/report/", {"anon": "login", "*": 404}),
    Row("GET", "/partners/{shop}/staff/", only("partner", 200, others=404)),
    Row("GET", "/partners/{clinic}/staff/", {"anon": "login", "*": 404}),
    Row(
        "POST",
        "/partners/{shop}/staff/",
        only("partner", "done", others=404),
        body={"action": "add", "login": "0810000003"},
        effect=lambda data: (
            Partner.objects.get(public_id=data["shop"]).staff.filter(phone="0810000003").exists()
        ),
    ),
    Row(
        "POST",
        "/partners/{clinic}/staff/",
        {"anon": "login", "*": 404},
        body={"action": "add", "login": "0810000003"},
    ),
    Row("GET", "/partners/{shop}/tokens/", only("partner", 200, others=404)),
    Row("POST", "/partners/{shop}/tokens/", only("partner", 200, others=404), body={"action": "issue"}),
    Row("POST", "/partners/{clinic}/tokens/", {"anon": "login", "*": 404}, body={"action": "issue"}),
    # Offering and changing privileges: the partner's staff, and national staff for any approved
    # partner; the committee that decides on a partner may see it but never offers (403).
    Row(
        "GET",
        "/partners/{shop}/offer/",
        only(["partner", "staff"], 200, others=404) | {"community_admin": 403},
    ),
    Row(
        "POST",
        "/partners/{shop}/offer/",
        only(["partner", "staff"], 200, others=404) | {"community_admin": 403},
    ),
    Row("GET", "/partners/{clinic}/offer/", only("staff", 200, others=404) | {"community_admin": 403}),
    Row(
        "GET",
        "/privileges/{privilege_free}/edit/",
        only(["partner", "staff"], 200, others=404) | {"community_admin": 403},
    ),
    Row(
        "GET",
        "/privileges/{privilege_clinic}/edit/",
        only("staff", 200, others=404) | {"community_admin": 403},
    ),
    Row(
        "POST",
        "/privileges/{privilege_to_withdraw}/withdraw/",
        only(["partner", "staff"], "done", others=404),
        effect=lambda data: (
            Privilege.objects.get(public_id=data["privilege_to_withdraw"]).state == "withdrawn"
        ),
    ),
    Row(
        "POST",
        "/privileges/{privilege_clinic}/withdraw/",
        only("staff", "done", others=404),
        effect=lambda data: Privilege.objects.get(public_id=data["privilege_clinic"]).state == "withdrawn",
    ),
    # Levels: national staff set the national ones, a committee its community's own (an empty
    # form: its errors, 200); the report by area: national staff, a committee for its own.
    Row("GET", "/rewards/levels/", only(["staff", "community_admin"], 200)),
    Row("POST", "/rewards/levels/", only(["staff", "community_admin"], 200)),
    Row("GET", "/rewards/report/", only(["staff", "community_admin"], 200)),
    Row("GET", "/rewards/report/?format=csv", only(["staff", "community_admin"], 200)),
    # The goodness bank's and the time bank's pages (issue 12), in their own modules.
    *matrix_assessments.WEB,
    *matrix_impact.WEB,
    *matrix_template_files.WEB,
    *matrix_loans.WEB,
    *matrix_organizations.WEB,
    *matrix_timebank.WEB,
    # Near the end: it ends the role's own sessions (to the sign-in page, 302) and its tokens.
    Row("POST", "/people/account/sign-out-everywhere/", {"anon": "login", "*": 302}),
    Row("POST", "/people/logout/", EVERYONE),  # last: it signs out
]


def _signup_body(data, role):
    return {"full_name": "ผู้สมัคร ใหม่", "password": "good-deeds-2569", "subdistrict_code": "710911",
            "consent": True, "phone": f"08{9000000 + list(ROLES).index(role):08d}"}  # fmt: skip


def _token_body(data, role):
    login, password = ROLES[role] or ROLES["citizen"]
    return {"login": login, "password": password}


def _deed_with_photo_body(data, role):
    # A document type (a photo of the certificate does): tree planting is switched off in the
    # community by an earlier row, for the community admin.
    return {"deed_type": data["first_aid_training"], "performed_on": str(timezone.localdate()),
            "description": "อบรมปฐมพยาบาลทดสอบสิทธิ์", "files": [png()]}  # fmt: skip


def _deed_body(data, role):
    return {"deed_type": data["community_cleanup"], "performed_on": str(timezone.localdate()),
            "description": "เก็บขยะริมถนน", "quantity": 1}  # fmt: skip


def _sponsor_pledge(data, role):
    today = timezone.localdate()
    return {"sponsor": data["sponsor"], "deed_type": "community-cleanup", "bonus_points": 2,
            "budget_points": 20, "starts_on": str(today), "ends_on": str(today + timedelta(days=30))}  # fmt: skip


def _row_for_put(data, role):
    return {**ROW, "code": "matrix-national", "indicators": []}


def _privilege_offer_body(district):
    today = timezone.localdate()
    return {"title_th": "น้ำดื่มทดสอบสิทธิ์", "cost_points": 5, "valid_from": str(today),
            "valid_until": str(today + timedelta(days=30)), "areas": [{"kind": "district", "code": district}]}  # fmt: skip


def _import_file(data, role):
    return {"file": SimpleUploadedFile("catalog.json", data["catalog_json"])}


API = [
    # Sign-up answers 202 (a code sent) whether or not the phone has an account; the code's check
    # and "send again" are open to all and answer alike (here: a confirmed demo phone).
    Row("POST", f"{A}/auth/signup", {"*": 202}, body=_signup_body, api_template=f"{A}/auth/signup"),
    Row(
        "POST",
        f"{A}/auth/signup/confirm",
        {"*": 400},
        body={"login": "0810000002", "code": "000000"},
        api_template=f"{A}/auth/signup/confirm",
    ),
    Row(
        "POST",
        f"{A}/auth/signup/resend",
        {"*": 202},
        body={"login": "0810000002"},
        api_template=f"{A}/auth/signup/resend",
    ),
    # A password alone gets no token for a role that signs in in two steps (401, "the code is
    # needed"); `_sign_in` shows the same role getting one with its app's code.
    Row(
        "POST",
        f"{A}/auth/token",
        {"*": 201, **dict.fromkeys(TWO_STEP_ROLES, 401)},
        body=_token_body,
        api_template=f"{A}/auth/token",
    ),
    Row("GET", f"{A}/auth/me", API_SIGNED_IN, api_template=f"{A}/auth/me"),
    Row("GET", f"{A}/auth/consent", API_SIGNED_IN, api_template=f"{A}/auth/consent"),
    Row("GET", f"{A}/geo/provinces", {"*": 200}, api_template=f"{A}/geo/provinces"),
    Row(
        "GET",
        f"{A}/geo/provinces/71/districts",
        {"*": 200},
        api_template=f"{A}/geo/provinces/{{code}}/districts",
    ),
    Row(
        "GET",
        f"{A}/geo/districts/7109/subdistricts",
        {"*": 200},
        api_template=f"{A}/geo/districts/{{code}}/subdistricts",
    ),
    Row("GET", f"{A}/catalog/virtues", {"*": 200}, api_template=f"{A}/catalog/virtues"),
    Row("GET", f"{A}/catalog/sdgs", {"*": 200}, api_template=f"{A}/catalog/sdgs"),
    Row("GET", f"{A}/catalog/categories", {"*": 200}, api_template=f"{A}/catalog/categories"),
    Row(
        "POST",
        f"{A}/catalog/categories",
        only("staff", 201, anon=401),
        body={"code": "matrix", "name_th": "ทดสอบ", "name_en": "Test"},
        api_template=f"{A}/catalog/categories",
    ),
    Row("GET", f"{A}/catalog/deed-types", {"*": 200}, api_template=f"{A}/catalog/deed-types"),
    Row(
        "GET",
        f"{A}/catalog/deed-types/volunteer-hours",
        {"*": 200},
        api_template=f"{A}/catalog/deed-types/{{code}}",
    ),
    Row(
        "POST",
        f"{A}/catalog/deed-types",
        only("staff", 201, anon=401),
        body={**ROW, "code": "matrix-new", "indicators": []},
        api_template=f"{A}/catalog/deed-types",
    ),
    Row(
        "PUT",
        f"{A}/catalog/deed-types/matrix-national",
        only("staff", 200, anon=401),
        body=_row_for_put,
        api_template=f"{A}/catalog/deed-types/{{code}}",
    ),
    Row(
        "GET",
        f"{A}/catalog/communities/{{community}}/items",
        only("community_admin", 200, anon=401),
        api_template=f"{A}/catalog/communities/{{public_id}}/items",
    ),
    Row(
        "GET",
        f"{A}/catalog/communities/{{community_other}}/items",
        only("community_admin", 404, anon=401),  # not theirs: as if there were none
        api_template=f"{A}/catalog/communities/{{public_id}}/items",
    ),
    Row(
        "POST",
        f"{A}/catalog/communities/{{community_other}}/items/tree-planting/switch",
        only("community_admin", 404, anon=401),
        body={"enabled": False},
        api_template=f"{A}/catalog/communities/{{public_id}}/items/{{code}}/switch",
    ),
    Row(
        "POST",
        f"{A}/catalog/communities/{{community}}/adopt",
        only("community_admin", 200, anon=401),
        api_template=f"{A}/catalog/communities/{{public_id}}/adopt",
    ),
    Row(
        "POST",
        f"{A}/catalog/communities/{{community}}/items/tree-planting/switch",
        only("community_admin", 200, anon=401),
        body={"enabled": False},
        api_template=f"{A}/catalog/communities/{{public_id}}/items/{{code}}/switch",
    ),
    Row(
        "POST",
        f"{A}/catalog/communities/{{community}}/items/volunteer-hours/adjust",
        only("community_admin", 201, anon=401),
        body=lambda data, role: {"effective_from": str(timezone.localdate()), **data["national_rule"]},
        api_template=f"{A}/catalog/communities/{{public_id}}/items/{{code}}/adjust",
    ),
    Row(
        "GET",
        f"{A}/catalog/communities/{{community}}/proposals",
        only("community_admin", 200, anon=401),
        api_template=f"{A}/catalog/communities/{{public_id}}/proposals",
    ),
    Row(
        "POST",
        f"{A}/catalog/communities/{{community}}/proposals/{{proposal}}/approve",
        only(["community_admin", "staff"], 200, anon=401),
        api_template=f"{A}/catalog/communities/{{public_id}}/proposals/{{proposal_id}}/approve",
    ),
    Row(
        "GET",
        f"{A}/communities/{{community}}/membership-requests",
        only("community_admin", 200, anon=401),
        api_template=f"{A}/communities/{{public_id}}/membership-requests",
    ),
    Row(
        "GET",
        f"{A}/communities/{{community_other}}/membership-requests",
        only("community_admin", 404, anon=401),  # not theirs: as if there were none
        api_template=f"{A}/communities/{{public_id}}/membership-requests",
    ),
    Row(
        "POST",
        f"{A}/communities/{{community_other}}/membership-requests/{{membership_other}}/approve",
        only("community_admin", 404, anon=401),
        api_template=f"{A}/communities/{{public_id}}/membership-requests/{{membership_id}}/approve",
    ),
    Row(
        "POST",
        f"{A}/communities/{{community}}/membership-requests/{{membership_api}}/approve",
        only("community_admin", 200, anon=401),
        body={"note": "ยินดีต้อนรับ"},
        api_template=f"{A}/communities/{{public_id}}/membership-requests/{{membership_id}}/approve",
    ),
    Row(
        "POST",
        f"{A}/communities/{{community}}/membership-requests/{{membership_api_decline}}/decline",
        only("community_admin", 200, anon=401),
        api_template=f"{A}/communities/{{public_id}}/membership-requests/{{membership_id}}/decline",
    ),
    Row(
        "POST",
        f"{A}/sponsorships/{{sponsorship_other}}/fundings",
        only("staff", 201, anon=401),
        body=lambda data, role: {
            "points": 1,
            "reference": "MATRIX-0001",
            "received_on": str(timezone.localdate()),
        },
        api_template=f"{A}/sponsorships/{{public_id}}/fundings",
    ),
    Row(
        "POST",
        f"{A}/catalog/communities/{{community}}/deed-types",
        only("community_admin", 201, anon=401),
        body={**ROW, "code": "matrix-local-api", "indicators": [], "per_year": 50},
        api_template=f"{A}/catalog/communities/{{public_id}}/deed-types",
    ),
    Row("GET", f"{A}/catalog/export?format=csv", {"*": 200}, api_template=f"{A}/catalog/export"),
    Row(
        "POST",
        f"{A}/catalog/import?format=json",
        only("staff", 200, anon=401),
        body=_import_file,
        upload=True,
        api_template=f"{A}/catalog/import",
    ),
    Row(
        "POST",
        f"{A}/sponsorships/sponsors",
        only("staff", 201, anon=401),
        body={"name_th": "มูลนิธิทดสอบ", "kind": "foundation", "members": []},
        api_template=f"{A}/sponsorships/sponsors",
    ),
    Row("GET", f"{A}/sponsorships", API_SIGNED_IN, api_template=f"{A}/sponsorships"),
    Row(
        "POST",
        f"{A}/sponsorships",
        only("sponsor", 201, anon=401),
        body=_sponsor_pledge,
        api_template=f"{A}/sponsorships",
    ),
    Row(
        "POST",
        f"{A}/sponsorships",
        only("sponsor", 404, anon=401),  # for another sponsor: as for an unknown one
        body=lambda data, role: _sponsor_pledge(data, role) | {"sponsor": data["sponsor_other"]},
        api_template=f"{A}/sponsorships",
    ),
    Row(
        "GET",
        f"{A}/sponsorships/{{sponsorship}}/report",
        only("sponsor", 200, anon=401, others=404),
        api_template=f"{A}/sponsorships/{{public_id}}/report",
    ),
    Row(
        "GET",
        f"{A}/sponsorships/{{sponsorship_other}}/report",
        {"anon": 401, "*": 404},  # another sponsor's
        api_template=f"{A}/sponsorships/{{public_id}}/report",
    ),
    Row("POST", f"{A}/deeds", {"anon": 401, "*": 201}, body=_deed_body, api_template=f"{A}/deeds"),
    Row(
        "POST",
        f"{A}/deeds/with-evidence",
        {"anon": 401, "*": 201},
        body=_deed_with_photo_body,
        api_template=f"{A}/deeds/with-evidence",
        upload=True,
    ),
    Row("GET", f"{A}/deeds", API_SIGNED_IN, api_template=f"{A}/deeds"),
    Row("GET", f"{A}/deeds/queue", API_SIGNED_IN, api_template=f"{A}/deeds/queue"),  # empty unless a verifier
    # the citizen role's own deed, another citizen's of the same area, one in Bangkok
    Row(
        "GET",
        f"{A}/deeds/{{deed_api}}",
        only(["citizen", *VERIFIERS], 200, anon=401, others=404),
        api_template=f"{A}/deeds/{{public_id}}",
    ),
    Row(
        "GET",
        f"{A}/deeds/{{deed_web}}",
        only(VERIFIERS, 200, anon=401, others=404),
        api_template=f"{A}/deeds/{{public_id}}",
    ),
    Row("GET", f"{A}/deeds/{{deed_far}}", {"anon": 401, "*": 404}, api_template=f"{A}/deeds/{{public_id}}"),
    # Deciding: 403 for a role that verifies nothing, 404 for a deed out of the caller's reach.
    Row(
        "POST",
        f"{A}/deeds/{{deed_api}}/verify",
        only(VERIFIERS, 200, anon=401) | {"community_admin": 404},
        api_template=f"{A}/deeds/{{public_id}}/verify",
    ),
    Row(
        "POST",
        f"{A}/deeds/{{deed_far}}/verify",
        only([*VERIFIERS, "community_admin"], 404, anon=401),
        api_template=f"{A}/deeds/{{public_id}}/verify",
    ),
    Row(
        "POST",
        f"{A}/deeds/verify",
        # Whoever may verify gets an answer per deed (a deed out of their reach is named refused).
        only([*VERIFIERS, "community_admin"], 200, anon=401),
        body=lambda data, role: {"deeds": [str(data["deed_api"])]},
        api_template=f"{A}/deeds/verify",
    ),
    Row(
        "POST",
        f"{A}/deeds/{{deed_reject}}/reject",
        only(VERIFIERS, 200, anon=401) | {"community_admin": 404},
        body={"reason_code": "not_enough_evidence", "reason": "ขอหลักฐานเพิ่ม"},
        api_template=f"{A}/deeds/{{public_id}}/reject",
    ),
    Row(
        "POST",
        f"{A}/deeds/{{deed_far}}/reject",
        only([*VERIFIERS, "community_admin"], 404, anon=401),
        body={"reason_code": "not_enough_evidence", "reason": "ขอหลักฐานเพิ่ม"},
        api_template=f"{A}/deeds/{{public_id}}/reject",
    ),
    # Asking is deciding (the same rule); answering is the deed's person's alone.
    Row(
        "POST",
        f"{A}/deeds/{{deed_ask}}/ask",
        only(VERIFIERS, 200, anon=401) | {"community_admin": 404},
        body={"question": "ขอชื่อผู้ที่เห็นด้วยครับ"},
        api_template=f"{A}/deeds/{{public_id}}/ask",
    ),
    Row(
        "POST",
        f"{A}/deeds/{{deed_far}}/ask",
        only([*VERIFIERS, "community_admin"], 404, anon=401),
        body={"question": "ขอชื่อผู้ที่เห็นด้วยครับ"},
        api_template=f"{A}/deeds/{{public_id}}/ask",
    ),
    Row(
        "POST",
        f"{A}/deeds/{{deed_asked}}/answer",
        {"anon": 401, "citizen": 200, "*": 404},
        body={"answer": "ครูสมใจ ผู้ดูแลศูนย์ครับ"},
        api_template=f"{A}/deeds/{{public_id}}/answer",
    ),
    # Appeals: one's own deed only (another's: as no such deed); the queue is everyone's own list;
    # the demo's second open appeal is of a deed the verifier rejected: its admin decides it.
    Row(
        "POST",
        f"{A}/appeals",
        {"anon": 401, "citizen": 201, "*": 404},
        body=lambda data, role: {"deed": data["deed_rejected_api"], "statement": "มีผู้ประสานงานรับรองครับ"},
        api_template=f"{A}/appeals",
    ),
    Row("GET", f"{A}/appeals", API_SIGNED_IN, api_template=f"{A}/appeals"),
    Row("GET", f"{A}/appeals/queue", API_SIGNED_IN, api_template=f"{A}/appeals/queue"),
    Row(
        "GET",
        f"{A}/appeals/{{appeal_api}}",
        {"anon": 401, "verifier": 200, "organization_admin": 200, "*": 404},
        api_template=f"{A}/appeals/{{public_id}}",
    ),
    Row(
        "POST",
        f"{A}/appeals/{{appeal_api}}/decide",
        {"anon": 401, "organization_admin": 200, "community_admin": 404, "*": 403},
        body={"outcome": "uphold", "note": "ไม่มีผู้รับรองชั่วโมงจริง"},
        api_template=f"{A}/appeals/{{public_id}}/decide",
    ),
    # Notifications: one's own only; another's answers 404, as one that does not exist.
    Row("GET", f"{A}/notifications", API_SIGNED_IN, api_template=f"{A}/notifications"),
    Row(
        "POST",
        f"{A}/notifications/{{notification}}/read",
        {"anon": 401, "citizen": 200, "*": 404},
        api_template=f"{A}/notifications/{{public_id}}/read",
    ),
    Row(
        "POST",
        f"{A}/notifications/{{notification_other}}/read",
        {"anon": 401, "*": 404},
        api_template=f"{A}/notifications/{{public_id}}/read",
    ),
    Row("POST", f"{A}/notifications/read-all", API_SIGNED_IN, api_template=f"{A}/notifications/read-all"),
    # Witnesses: one's own requests; a named witness answers once, anyone else as no such deed.
    Row("GET", f"{A}/deeds/witness-requests", API_SIGNED_IN, api_template=f"{A}/deeds/witness-requests"),
    Row(
        "POST",
        f"{A}/deeds/{{deed_witnessed_api}}/witness",
        {"anon": 401, "citizen": 200, "*": 404},
        body={"confirm": True},
        api_template=f"{A}/deeds/{{public_id}}/witness",
    ),
    Row("GET", f"{A}/passbook", API_SIGNED_IN, api_template=f"{A}/passbook"),
    # Reversing a verified deed's credit: auditors only (403 for every other role).
    Row(
        "POST",
        f"{A}/deeds/{{deed_verified}}/reverse",
        only("auditor", 200, anon=401),
        body={"reason_code": "duplicate"},
        api_template=f"{A}/deeds/{{public_id}}/reverse",
    ),
    # Public: anyone may fetch the signed checkpoint and the key to check it (docs/ledger.md).
    Row("GET", f"{A}/ledger/public-key", {"*": 200}, api_template=f"{A}/ledger/public-key"),
    Row("GET", f"{A}/ledger/checkpoint", {"*": 200}, api_template=f"{A}/ledger/checkpoint"),
    # Privileges (issue 11): those offered where the caller lives; one offered in Bangkok only is,
    # for everyone here, as none (404) and refused at redeeming (409 not_offered). A free one of
    # the demo shop, from the first level, every signed-in person may redeem.
    Row("GET", f"{A}/privileges", API_SIGNED_IN, api_template=f"{A}/privileges"),
    Row(
        "GET",
        f"{A}/privileges/{{privilege_free}}",
        API_SIGNED_IN,
        api_template=f"{A}/privileges/{{public_id}}",
    ),
    Row(
        "GET",
        f"{A}/privileges/{{privilege_far}}",
        {"anon": 401, "*": 404},
        api_template=f"{A}/privileges/{{public_id}}",
    ),
    Row(
        "POST",
        f"{A}/privileges/{{privilege_free}}/redeem",
        {"anon": 401, "*": 201},
        body={"share_identity": False},
        extra={"HTTP_IDEMPOTENCY_KEY": "matrix-redeem"},
        api_template=f"{A}/privileges/{{public_id}}/redeem",
    ),
    Row(
        "POST",
        f"{A}/privileges/{{privilege_far}}/redeem",
        {"anon": 401, "*": 409},
        extra={"HTTP_IDEMPOTENCY_KEY": "matrix-redeem-far"},
        api_template=f"{A}/privileges/{{public_id}}/redeem",
    ),
    Row("GET", f"{A}/levels/me", API_SIGNED_IN, api_template=f"{A}/levels/me"),
    # Codes: one's own only (the citizen role's code waiting at the health centre); another
    # person's (waiting at the demo shop) is as none for everyone, its partner's staff too.
    Row("GET", f"{A}/redemptions", API_SIGNED_IN, api_template=f"{A}/redemptions"),
    Row(
        "GET",
        f"{A}/redemptions/{{redemption}}",
        {"anon": 401, "citizen": 200, "*": 404},
        api_template=f"{A}/redemptions/{{public_id}}",
    ),
    Row(
        "GET",
        f"{A}/redemptions/{{redemption_other}}",
        {"anon": 401, "*": 404},
        api_template=f"{A}/redemptions/{{public_id}}",
    ),
    # A partner's counter, report and privileges: its staff (the partner role serves the demo
    # shop, not the health centre); national staff read and offer any partner's privileges.
    # Anyone else, and another partner's code at the shop's counter: 404, as for none.
    Row(
        "GET",
        f"{A}/partners/{{shop}}/redemptions/{{code_other}}",
        {"anon": 401, "partner": 200, "*": 404},
        api_template=f"{A}/partners/{{partner_id}}/redemptions/{{code}}",
    ),
    Row(
        "GET",
        f"{A}/partners/{{clinic}}/redemptions/{{code_own}}",
        {"anon": 401, "*": 404},
        api_template=f"{A}/partners/{{partner_id}}/redemptions/{{code}}",
    ),
    Row(
        "GET",
        f"{A}/partners/{{shop}}/redemptions/{{code_own}}",  # the health centre's code
        {"anon": 401, "*": 404},
        api_template=f"{A}/partners/{{partner_id}}/redemptions/{{code}}",
    ),
    Row(
        "POST",
        f"{A}/partners/{{clinic}}/redemptions/{{code_own}}/confirm",
        {"anon": 401, "*": 404},
        api_template=f"{A}/partners/{{partner_id}}/redemptions/{{code}}/confirm",
    ),
    Row(
        "POST",
        f"{A}/partners/{{shop}}/redemptions/{{code_other}}/confirm",
        {"anon": 401, "partner": 200, "*": 404},
        api_template=f"{A}/partners/{{partner_id}}/redemptions/{{code}}/confirm",
    ),
    Row(
        "GET",
        f"{A}/partners/{{shop}}/report",
        {"anon": 401, "partner": 200, "*": 404},
        api_template=f"{A}/partners/{{partner_id}}/report",
    ),
    Row(
        "GET",
        f"{A}/partners/{{clinic}}/report",
        {"anon": 401, "*": 404},
        api_template=f"{A}/partners/{{partner_id}}/report",
    ),
    Row(
        "GET",
        f"{A}/partners/{{shop}}/privileges",
        {"anon": 401, "partner": 200, "staff": 200, "*": 404},
        api_template=f"{A}/partners/{{partner_id}}/privileges",
    ),
    Row(
        "GET",
        f"{A}/partners/{{clinic}}/privileges",
        {"anon": 401, "staff": 200, "*": 404},
        api_template=f"{A}/partners/{{partner_id}}/privileges",
    ),
    Row(
        "POST",
        f"{A}/partners/{{shop}}/privileges",
        {"anon": 401, "partner": 201, "staff": 201, "*": 404},
        body=lambda data, role: _privilege_offer_body(data["shop_district"]),
        api_template=f"{A}/partners/{{partner_id}}/privileges",
    ),
    Row(
        "POST",
        f"{A}/partners/{{clinic}}/privileges",
        {"anon": 401, "staff": 201, "*": 404},
        body=lambda data, role: _privilege_offer_body(data["shop_district"]),
        api_template=f"{A}/partners/{{partner_id}}/privileges",
    ),
    # Cancelling a code: its person's alone (another's: as none, and left waiting).
    Row(
        "POST",
        f"{A}/redemptions/{{redemption_other}}/cancel",
        {"anon": 401, "*": 404},
        api_template=f"{A}/redemptions/{{public_id}}/cancel",
    ),
    Row(
        "POST",
        f"{A}/redemptions/{{redemption}}/cancel",
        {"anon": 401, "citizen": 200, "*": 404},
        api_template=f"{A}/redemptions/{{public_id}}/cancel",
    ),
    *matrix_assessments.API,
    *matrix_impact.API,
    *matrix_template_files.API,
    *matrix_loans.API,
    *matrix_organizations.API,
    *matrix_timebank.API,
    # last: they change the caller's own standing
    Row("POST", f"{A}/auth/consent/withdraw", API_SIGNED_IN, api_template=f"{A}/auth/consent/withdraw"),
    Row("POST", f"{A}/auth/consent/give", API_SIGNED_IN, api_template=f"{A}/auth/consent/give"),
    Row("POST", f"{A}/auth/token/revoke", {"anon": 401, "*": 204}, api_template=f"{A}/auth/token/revoke"),
]


def _evidence_of(deed_public_id, phone):
    deed = Deed.objects.get(public_id=deed_public_id)
    person = User.objects.get(phone=phone)
    return str(evidence_attach(actor=person, deed=deed, files=[png()])[0].public_id)


def _witnessed(phone, witnesses):
    """A deed of `phone` asking one witness (returning lost property), naming `witnesses`."""
    person = User.objects.get(phone=phone)
    kind = DeedType.objects.get(code="returning-lost-property")
    return deed_record(
        actor=person, deed_type_public_id=kind.public_id, performed_on=timezone.localdate(),
        description="คืนกระเป๋าที่เก็บได้", witnesses=witnesses,
    )  # fmt: skip


def _assist_consent(phone, helper_phone) -> int:
    return assist_consent_give(actor=User.objects.get(phone=phone), helper_login=helper_phone).pk


def _appealed(deed) -> str:
    return str(
        appeal_create(
            actor=deed.person, deed_public_id=deed.public_id, statement="มีผู้ประสานงานรับรอง"
        ).public_id
    )


def _correction_request(phone):
    person = User.objects.get(phone=phone)
    return correction_request_create(actor=person, person=person, what_is_wrong="ชื่อหมู่บ้านสะกดผิด")


def _asked(deed):
    verifier = User.objects.get(phone=ROLES["verifier"][0])
    return deed_ask(actor=verifier, deed_public_id=deed.public_id, question="ขอรูปถ่ายเพิ่มครับ")


def _rejected(deed):
    verifier = User.objects.get(phone=ROLES["verifier"][0])
    return deed_reject(actor=verifier, deed_public_id=deed.public_id, reason_code="duplicate")


def _flagged(phone):
    """A new member's first three deeds, each flagged as such (deeds/flags.py), two of them
    verified by the demo's verifier."""
    person = make_person(name="สมใจ สมาชิกใหม่", phone=phone)
    verifier = User.objects.get(phone=ROLES["verifier"][0])
    types = {
        dt.code: dt for dt in DeedType.objects.filter(code__in=["community-meeting", "honouring-elders"])
    }
    deeds = [
        deed_record(actor=person, deed_type_public_id=types[code].public_id, performed_on=timezone.localdate(),
                    description="ร่วมประชุมประชาคมหมู่บ้าน")
        for code in ("community-meeting", "community-meeting", "honouring-elders")
    ]  # fmt: skip
    for deed in deeds[:2]:
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    flag_of = {d.pk: DeedFlag.objects.get(deed=d, kind="new_member") for d in deeds}
    return {
        "flag_open": str(flag_of[deeds[2].pk].public_id),
        "flag_reverse": str(flag_of[deeds[0].pk].public_id),
        "deed_verified": str(deeds[1].public_id),
    }


FAR_PHONE = "0820000001"  # a person of another province, outside every role's area


def _rewards_objects() -> dict[str, str]:
    """The demo's partners (the shop the partner role serves, the health centre it does not, the
    café waiting), a free privilege of the shop from the first level, one of a Bangkok shop
    offered in Bangkok only, and codes waiting: the citizen role's own at the health centre (the
    demo's) and at the shop, and others' at the shop."""
    shop = Partner.objects.get(name_th=SHOP[0])
    clinic = Partner.objects.get(name_th=CLINIC[0])
    today = timezone.localdate()

    def offer(partner, title, areas, cost=0, level=1, photo=None):
        data = PrivilegeIn(title_th=title, cost_points=cost, min_level=level, valid_from=today,
                           valid_until=today + timedelta(days=30), areas=areas)  # fmt: skip
        return privilege_offer(actor=SYSTEM, partner=partner, data=data, photo=photo)

    far_shop = partner_register(
        actor=User.objects.get(phone=FAR_PHONE), name_th="ร้านในกรุง", kind="shop",
        subdistrict_code=BANGKOK_SUBDISTRICT, contact_phone="0812345678",
    )  # fmt: skip
    far_shop = partner_decide(actor=SYSTEM, partner=far_shop, approve=True)
    free = offer(shop, "น้ำดื่มฟรีทดสอบสิทธิ์", [("district", shop.district_code)], photo=png())
    # a partner of the other community, waiting for its committee (not the community admin's)
    waiting_other = partner_register(
        actor=User.objects.get(phone=FAR_PHONE), name_th="ร้านตำบลอื่น", kind="shop",
        subdistrict_code=PHANOM_THUAN, contact_phone="0812345679",
    )  # fmt: skip

    def code(phone, key):
        return redemption_create(actor=User.objects.get(phone=phone), privilege=free, key=key)

    own = Redemption.objects.get(person__phone=ROLES["citizen"][0], state="held")
    other, other_web, own_web = code("0810000003", "m1"), code("0810000004", "m2"), code("0810000002", "m3")
    return {
        "shop": str(shop.public_id),
        "clinic": str(clinic.public_id),
        "cafe": str(Partner.objects.get(name_th=CAFE[0]).public_id),
        "shop_district": shop.district_code,
        "privilege_free": str(free.public_id),
        "privilege_far": str(offer(far_shop, "ไกลบ้าน", [("province", "10")], cost=1).public_id),
        "privilege_clinic": str(clinic.privileges.order_by("pk").first().public_id),
        "privilege_to_withdraw": str(offer(shop, "ถอนได้", [("district", shop.district_code)]).public_id),
        "partner_pending_other": str(waiting_other.public_id),
        "redemption": str(own.public_id),
        "code_own": own.code,
        "redemption_other": str(other.public_id),
        "code_other": other.code,
        "redemption_web": str(own_web.public_id),
        "redemption_other_web": str(other_web.public_id),
        "code_other_web": other_web.code,
    }


def _membership_state(public_id) -> str:
    return CommunityMembership.objects.get(public_id=public_id).state


def _request_to_join(name, phone, subdistrict="710911") -> str:
    """A newcomer's request to join the community of `subdistrict`, waiting for its committee."""
    person = make_person(name=name, subdistrict=subdistrict, phone=phone, community_member=False)
    return str(CommunityMembership.objects.get(person=person, state="pending").public_id)


@pytest.fixture
def data(db, settings):
    # Two-step sign-in as production has it: seed_demo gives the role-holders their apps, and
    # `_sign_in` answers the second step with the code each app shows.
    settings.TWO_FACTOR_REQUIRED = True
    call_command("seed_demo", verbosity=0)
    community = Community.objects.get(subdistrict_code="710911")
    local = {**ROW, "indicators": [], "per_year": 50}
    deed_type_create(actor=SYSTEM, row={**local, "code": "matrix-local"}, community=community)
    for waiting in rule_proposals_waiting(community):  # the demo's own proposal stays waiting
        if waiting.deed_type.code == "matrix-local":
            rule_proposal_approve(actor=SYSTEM, proposal=waiting)
    # a proposal of the community waiting for a second approver (proposed by the system)
    deed_type_create(actor=SYSTEM, row={**local, "code": "matrix-proposed"}, community=community)
    proposal = next(p for p in rule_proposals_waiting(community) if p.deed_type.code == "matrix-proposed")
    deed_type_create(actor=SYSTEM, row={**ROW, "code": "matrix-national", "indicators": []})
    today = timezone.localdate()
    types = {dt.code: dt for dt in DeedType.objects.all()}

    def pending(phone, code, quantity=None):
        person = User.objects.get(phone=phone)
        files = [png()] if types[code].evidence in ("photo", "document") else []
        return deed_record(actor=person, deed_type_public_id=types[code].public_id, performed_on=today,
                           description="ทดสอบสิทธิ์", quantity=quantity, evidence_files=files)  # fmt: skip

    rule = national_rule_in_force(types["volunteer-hours"], today)
    make_person(name="คนกรุง ไกลบ้าน", subdistrict=BANGKOK_SUBDISTRICT, phone=FAR_PHONE)
    # objects of others: another community, another sponsor with its own pledge
    community_other = make_community(subdistrict=PHANOM_THUAN)
    sponsor_other = sponsor_register(
        actor=SYSTEM, name_th="มูลนิธิอื่น", name_en="", kind="foundation", members=[]
    )
    sponsorship_other = sponsorship_pledge(
        actor=SYSTEM, sponsor=sponsor_other, deed_type=types["volunteer-hours"], bonus_points=1,
        budget_points=10, starts_on=today, ends_on=today + timedelta(days=30),
    )  # fmt: skip
    demo_sponsor = Sponsor.objects.get(members__phone=ROLES["sponsor"][0])
    other_organizer = make_verifier(scope=PHANOM_THUAN, subdistrict=PHANOM_THUAN, name="ผู้จัด ตำบลอื่น")
    return {
        "community": str(community.public_id),
        "community_other": str(community_other.public_id),
        "proposal": str(proposal.public_id),
        "sponsorship": str(Sponsorship.objects.get(sponsor=demo_sponsor).public_id),
        "sponsor": str(demo_sponsor.public_id),
        "sponsorship_other": str(sponsorship_other.public_id),
        "sponsor_other": str(sponsor_other.public_id),
        # the demo's pending deeds: one of another citizen (web), one of the citizen role (API)
        "deed_web": str(Deed.objects.get(person__phone="0810000003", status="pending").public_id),
        "deed_api": str(Deed.objects.get(person__phone="0810000002", status="pending").public_id),
        "deed_reject": str(pending("0810000004", "tree-planting", quantity=2).public_id),
        "deed_bulk": str(pending("0810000004", "refusing-bribes").public_id),
        "deed_far": str(pending(FAR_PHONE, "tree-planting", quantity=1).public_id),  # of a person in Bangkok
        # a photo of the seeded pending tree planting (another citizen's), of the citizen role's own
        # deed, and of the Bangkok deed
        "evidence_web": str(
            EvidenceFile.objects.get(
                deed__person__phone="0810000004", deed__status="pending", deed__submission_key="demo-d3"
            ).public_id
        ),
        "evidence_api": _evidence_of(
            Deed.objects.get(person__phone="0810000002", status="pending").public_id, "0810000002"
        ),
        "evidence_far": str(EvidenceFile.objects.filter(deed__person__phone=FAR_PHONE).get().public_id),
        # asked about: the demo's (API) and one more of the citizen role (web); one to ask about
        "deed_asked": str(Deed.objects.get(person__phone="0810000002", status="needs_info").public_id),
        "deed_asked_web": str(_asked(pending("0810000002", "honouring-elders")).public_id),
        "deed_ask": str(pending("0810000004", "volunteer-hours", quantity=1).public_id),
        # the demo's open appeal (the verifier rejected the deed), and a rejection of the
        # citizen role's deed that it may appeal
        "appeal": str(Appeal.objects.get(status="open").public_id),
        "deed_rejected_own": str(_rejected(pending("0810000002", "community-meeting")).public_id),
        "deed_rejected_api": str(_rejected(pending("0810000002", "volunteer-hours", quantity=1)).public_id),
        "appeal_api": _appealed(_rejected(pending("0810000003", "volunteer-hours", quantity=1))),
        "community_cleanup": str(types["community-cleanup"].public_id),
        "tree_planting_pk": types["tree-planting"].pk,
        "tree_planting": str(types["tree-planting"].public_id),
        "first_aid_training": str(types["first-aid-training"].public_id),
        # a correction asked by a citizen who is none of the roles, for staff to open
        "data_request": str(_correction_request("0810000003").public_id),
        "national_rule": {"credit_per_unit": rule.credit_per_unit, "points_per_unit": rule.points_per_unit},
        "catalog_json": catalog_export("json"),
        # notifications seed_demo's decisions made (the real path): the citizen's and another's
        "notification": str(Notification.objects.filter(person__phone="0810000002").first().public_id),
        "notification_other": str(Notification.objects.filter(person__phone="0810000003").first().public_id),
        "activity": str(Activity.objects.get(title="ปลูกป่าชายคลองหนองสาหร่าย").public_id),
        "activity_other": str(make_activity(other_organizer).public_id),
        # the demo's newcomer asking to join the community (seed_demo), two more for the API, and
        # one asking to join the other community
        "membership": str(
            CommunityMembership.objects.get(person__phone="0810000012", state="pending").public_id
        ),
        "membership_api": _request_to_join("มานพ ขอเข้าร่วม", "0820000011"),
        "membership_api_decline": _request_to_join("มาลัย ขอเข้าร่วม", "0820000012"),
        # deeds waiting for witnesses: the citizen role is named on two of another citizen's, and
        # its own deed names one witness (more may be named)
        "deed_witnessed_web": str(_witnessed("0810000003", ["0810000002"]).public_id),
        "deed_witnessed_api": str(_witnessed("0810000004", ["0810000002"]).public_id),
        "deed_witnesses_own": str(_witnessed("0810000002", ["0810000003"]).public_id),
        "assist_consent": _assist_consent("0810000002", "0810000003"),
        "membership_other": _request_to_join("สมพร ตำบลอื่น", "0820000013", subdistrict=PHANOM_THUAN),
        # a new member's flagged deeds: a flag to dismiss, one to reverse, a deed to reverse by API
        **_flagged("0820000021"),
        **_rewards_objects(),
        **matrix_assessments.objects(),
        **matrix_impact.objects(),
        **matrix_template_files.objects(),
        **matrix_loans.objects(),
        **matrix_organizations.objects(),
        **matrix_timebank.objects(),
    }


def _classify(response, expected: Any, row: Row, data) -> Any:
    status = response.status_code
    location = response.headers.get("Location", "")
    if expected == "login":
        return "login" if status == 302 and "/people/login/" in location else status
    if expected == "ok":
        return "ok" if status < 400 and "/people/login/" not in location else status
    if expected in ("done", "refused"):
        if status != 302 or "/people/login/" in location:
            return status
        return "done" if row.effect(data) else "refused"
    return status


def _succeeded(outcome: Any) -> bool:
    return outcome in ("ok", "done") or (isinstance(outcome, int) and 200 <= outcome < 300)


def _request(client, row: Row, role: str, data, token: str | None):
    path = row.path.format(**data)
    body = row.body(data, role) if callable(row.body) else row.body
    headers = {**row.extra, **({"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {})}
    method = getattr(client, row.method.lower())
    if not path.startswith("/api/"):
        return method(path, body or {}) if row.method == "POST" else method(path)
    if row.upload:
        return client.post(path, body, **headers)
    if row.method == "GET":
        return client.get(path, **headers)
    return method(path, data=json.dumps(body or {}, default=str), content_type="application/json", **headers)


def _sign_in(client, role: str) -> str | None:
    """Signs `role` in, the one place that does: the web session of `client`, and an API token,
    returned (None for anon). A second step of signing in, when there is one, is answered here."""
    if ROLES[role] is None:
        return None
    login, password = ROLES[role]
    assert client.login(username=login, password=password), f"{role} cannot sign in on the web"
    person = User.objects.get(Q(phone=login) | Q(username=login))
    body = {"login": login, "password": password}
    if two_factor_required(person):
        # The code page, as a person answers it; the API token with the next step's code (a
        # code is taken once).
        device = TOTPDevice.objects.get(user=person, confirmed=True)
        answer = client.post("/people/two-factor/verify/", {"code": totp_now(device)})
        assert answer.status_code == 302 and "two-factor" not in answer["Location"], f"{role}: second step"
        # Read the device again: answering may have moved its drift (a code taken just after a
        # 30-second step turned), and the next code must come after the one taken.
        device.refresh_from_db()
        body["code"] = totp_now(device, steps_ahead=1)
    else:
        assert client.get("/passbook/").status_code == 200, f"{role} is asked for a second step"
    response = client.post(f"{A}/auth/token", body, content_type="application/json")
    assert response.status_code == 201, f"{role} gets no API token: {response.content!r}"
    return response.json()["token"]


@pytest.mark.parametrize("role", list(ROLES))
def test_every_endpoint_answers_each_role_as_the_matrix_says(client, data, role):
    token = _sign_in(client, role)
    wrong = []
    for row in API + WEB:  # the web rows end by signing out
        expected = row.outcome(role)
        got = _classify(_request(client, row, role, data, token), expected, row, data)
        if got != expected:
            alarm = "  <- an unexpected success" if _succeeded(got) and not _succeeded(expected) else ""
            wrong.append(f"{row.method} {row.path}: expected {expected}, got {got}{alarm}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_the_matrix_covers_every_url_and_api_operation(data):
    covered_pages = {resolve(row.path.format(**data).split("?")[0]).view_name for row in WEB}
    names = set()

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                if str(pattern.pattern) in ("admin/", "api/v1/"):
                    continue  # Django's admin (staff only, read-only) and the API, listed below
                walk(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            else:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver())
    assert names - covered_pages == set()

    covered_api = {(row.method, row.api_template) for row in API}
    operations = {
        (method.upper(), path) for path, ops in api.get_openapi_schema()["paths"].items() for method in ops
    }
    assert operations - covered_api == set()
