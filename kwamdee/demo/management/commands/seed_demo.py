"""Loads the default catalog and a small demo community. Safe to run again: nothing doubles."""

import io
from argparse import BooleanOptionalAction
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image

from kwamdee.activities.attendance_file import attendance_upload
from kwamdee.activities.codes import code_make
from kwamdee.activities.selectors import activities_managed_by
from kwamdee.activities.services import activity_check, activity_create
from kwamdee.appeals.selectors import appeal_of_deed
from kwamdee.appeals.services import appeal_create
from kwamdee.areas.selectors import community_for_subdistrict
from kwamdee.areas.services import community_admin_grant, community_create
from kwamdee.catalog.choices import VerifierKind
from kwamdee.catalog.selectors import deed_type_by_code, deed_types_by_code, rule_proposals_waiting
from kwamdee.catalog.services import catalog_load_default, deed_type_create, rule_proposal_approve
from kwamdee.common.actors import SystemActor
from kwamdee.common.roles import Role, role_grant
from kwamdee.deeds.assisted import assist_consent_give, assist_consents_given
from kwamdee.deeds.choices import DeedStatus, RejectionReason
from kwamdee.deeds.services import deed_ask, deed_record, deed_reject, deed_verify
from kwamdee.deeds.witnessing import witness_answer
from kwamdee.demo.loans_demo import loans_seed
from kwamdee.demo.organizations_demo import organizations_seed
from kwamdee.demo.rewards_demo import rewards_seed
from kwamdee.demo.timebank_demo import timebank_seed
from kwamdee.demo.two_factor import DEMO_TWO_FACTOR_LOGINS, demo_totp_key, key_for_typing
from kwamdee.ledger.checkpoints import checkpoint_create
from kwamdee.notifications.selectors import notifications_of, unread_count
from kwamdee.notifications.services import notification_mark_read
from kwamdee.organizations.choices import MembershipRole, OrganizationKind
from kwamdee.organizations.selectors import organization_find
from kwamdee.organizations.services import (
    membership_grant,
    organization_create,
    organization_types_default_load,
)
from kwamdee.people.choices import MembershipState
from kwamdee.people.membership import membership_approve
from kwamdee.people.selectors import (
    membership_current,
    person_by_login,
    person_by_public_id,
    person_with_username,
)
from kwamdee.people.services import person_signup
from kwamdee.people.two_factor import two_factor_demo_device_install, two_factor_required
from kwamdee.rewards.choices import SponsorKind
from kwamdee.rewards.selectors import sponsor_find
from kwamdee.rewards.services import (
    sponsor_organization_set,
    sponsor_register,
    sponsorship_fund,
    sponsorship_pledge,
)

# The demo is loaded by the system itself; the audit log names it so.
SEED = SystemActor("seed_demo")

SUBDISTRICT = "710911"  # หนองสาหร่าย, อ.พนมทวน, จ.กาญจนบุรี: the goodness bank of the seeds
CITIZEN_PASSWORD = "kwamdee-demo"
VERIFIER_PASSWORD = "kwamdee-verifier"
STAFF = ("0810000005", "วิไล ส่งเสริม", "kwamdee-staff")
COMMUNITY_ADMIN = ("0810000006", "ประยูร ดูแลชุมชน", "kwamdee-community")
# The committee's second member: a community's own deed types take effect once a second member
# approves them (docs/architecture.md, "Fairness").
COMMUNITY_ADMIN_2 = ("0810000011", "ชไมพร ร่วมใจ", "kwamdee-community")
SPONSOR = ("0810000007", "กมล ใจบุญ", "kwamdee-sponsor")
# The อบต.'s own admin (manages its verifiers, and verifies in its area like them), an auditor of
# the ledger, and a partner shop (partners get their permissions with rewards' privileges).
ORGANIZATION_ADMIN = ("0810000008", "สุรชัย บริหารดี", "kwamdee-organization")
AUDITOR = ("0810000009", "อรุณี ตรวจสอบ", "kwamdee-auditor")
PARTNER = ("0810000010", "มาลี ค้าขายดี", "kwamdee-partner")
# The health centre's nurse serves its counter; the café owner's partner waits for the committee.
CLINIC_STAFF = ("0810000015", "วิไลวรรณ ใจงาม", "kwamdee-partner")
CAFE_OWNER = ("0810000016", "ธนพล ริมคลอง")
ADMIN_PASSWORD = "kwamdee-admin"

# A villager who has just joined Kwamdee and asks to join the community: the request waits for
# its committee (people/membership.py), which the community admin 0810000006 can approve.
NEWCOMER = ("0810000012", "บุญเรือน แก้วประเสริฐ")
VERIFIER = ("0810000001", "สมศักดิ์ ใจดี")
# A member who joined this week: the verifier's desk marks her account new and counts her deeds of
# a type against its limits ("2 of 3 in the same year"). (key, deed type, days ago, quantity,
# description, outcome); the dates stay inside this year, so that the counts show.
DESK_MEMBER = ("0810000013", "จันทร์เพ็ญ ศรีงาม")
DESK_HISTORY = [
    ("e1", "honouring-elders", 60, None, "ร่วมพิธีรดน้ำดำหัวผู้สูงอายุที่ศาลาประชาคมหมู่ 3", "verify"),
    ("e2", "honouring-elders", 2, None, "พาผู้สูงอายุในซอยไปกราบขอพรเจ้าอาวาสวัดหนองสาหร่าย", "pending"),
    ("e3", "tree-planting", 1, 10, "ปลูกต้นยางนา 10 ต้นริมคลองหนองสาหร่ายกับกลุ่มเยาวชน", "pending"),
]
# An elderly villager who let the citizen role 0810000002 (the village health volunteer, อสม.)
# record her deeds: one recorded on her behalf waits for the verifier.
ELDER = ("0810000014", "ทองใบ ใจเย็น")
ELDER_DEED = ("volunteer-hours", 3, 2, "สอนเด็ก ๆ สานตะกร้าไม้ไผ่ที่ศาลาประชาคมหมู่ 3")
# The CSR manager of the demo sponsor's company, the admin of its organization (its self-assessment).
CSR_MANAGER = ("0810000018", "ปิยนุช ใส่ใจ", "kwamdee-organization")
# The independent assessor of moral organizations (from the provincial culture office).
ASSESSOR = ("0810000017", "ประภาพร ประเมินดี", "kwamdee-assessor")
# Volunteers of the อบต.'s canal clean-up, beside the citizens (kwamdee/demo/organizations_demo.py).
VOLUNTEERS = [
    ("0810000020", "สมปอง ขยันดี"),
    ("0810000021", "ละเอียด ทองคำ"),
    ("0810000022", "วันเพ็ญ สุขใจ"),
    ("0810000023", "ณรงค์ ช่วยเหลือ"),
    ("0810000024", "ประยงค์ มั่นคง"),
]
CITIZENS = [
    ("0810000002", "สมหญิง รักดี"),
    ("0810000003", "ประเสริฐ มีสุข"),
    ("0810000004", "บุญมา ศรีสุข"),
]
# The community's own deed type (the Nong Sarai canal is cleared by the village each dry season).
LOCAL_DEED_TYPE_CODE = "nong-sarai-canal-cleanup"
LOCAL_DEED_TYPE: dict[str, Any] = {
    "code": LOCAL_DEED_TYPE_CODE, "category": "", "name_th": "ลอกคลองหนองสาหร่าย",
    "name_en": "Nong Sarai canal clean-up",
    "description_th": "ร่วมลอกผักตบชวาและขยะในคลองหนองสาหร่ายกับเพื่อนบ้าน นับเป็นชั่วโมง",
    "description_en": "Clearing water hyacinth and rubbish from the Nong Sarai canal, by the hour.",
    "pricing": "per_hour", "unit_name_th": "", "unit_name_en": "", "credit_per_unit": 7,
    "points_per_unit": 7, "per_day": 4, "per_week": None, "per_month": None, "per_year": 120,
    "cooldown_days": 0, "effective_from": None, "evidence": "attendance", "witnesses_required": 0,
    "verifier": "committee", "virtues": {"volunteerism": "0.6", "sufficiency": "0.4"},
    "sdgs": ["6", "11"], "indicators": [], "is_active": True,
}  # fmt: skip
# A second local deed type, proposed by the committee's second member and left waiting for the
# first one's approval, so that a newcomer sees "waiting for a second approval".
PROPOSED_DEED_TYPE_CODE = "nong-sarai-temple-fair-help"
PROPOSED_DEED_TYPE: dict[str, Any] = {
    **LOCAL_DEED_TYPE, "code": PROPOSED_DEED_TYPE_CODE, "name_th": "ช่วยงานบุญประเพณีวัดหนองสาหร่าย",
    "name_en": "Helping at the Nong Sarai temple fair",
    "description_th": "ช่วยจัดเตรียมและเก็บงานบุญประจำปีของวัด นับเป็นชั่วโมง",
    "description_en": "Setting up and clearing the temple's yearly fair, by the hour.",
    "credit_per_unit": 5, "points_per_unit": 5, "per_day": 1, "per_year": 12,
    "virtues": {"volunteerism": "0.7", "gratitude": "0.3"}, "sdgs": ["11"],
}  # fmt: skip
# The funding national staff recorded for the demo sponsor's pledge (its bank transfer).
DEMO_FUNDING_REFERENCE = "KTB-2568-000417"
# (citizen index, key, deed type, days ago, quantity, description, outcome)
HISTORY = [
    (0, "d1", "volunteer-hours", 40, 3, "ช่วยงานอาสาที่โรงพยาบาลส่งเสริมสุขภาพตำบล", "verify"),
    (0, "d2", "tree-planting", 25, 12, "ปลูกต้นไม้ริมคลองกับกลุ่มเยาวชน", "verify"),
    (0, "d3", "returning-lost-property", 3, None, "เก็บกระเป๋าสตางค์ได้ที่ตลาด ส่งคืนเจ้าของ", "pending"),
    (1, "d1", "caring-for-parents", 20, None, "ดูแลแม่ ทำอาหารและพาไปเยี่ยมญาติทุกสัปดาห์", "verify"),
    (1, "d2", "community-cleanup", 10, 2, "ทำความสะอาดศาลาประชาคมหมู่บ้าน", "verify"),
    (1, "d3", "volunteer-hours", 2, 4, "ช่วยจัดงานวันผู้สูงอายุของตำบล", "pending"),
    (2, "d1", "household-accounts", 35, None, "ทำบัญชีครัวเรือนครบทั้งเดือน", "verify"),
    # rejected by the demo's verifier, then appealed (its admin 0810000008 may decide the appeal)
    (2, "d2", "volunteer-hours", 15, 12, "ช่วยงานวัด 12 ชั่วโมง (ไม่ได้แจ้งผู้ประสานงาน)", "appeal"),
    # the verifier asked for more; the citizen role's deed waits for the answer (needs_info)
    (0, "d4", "volunteer-hours", 6, 2, "สอนการบ้านเด็ก ๆ ที่ศูนย์พัฒนาเด็กเล็กของหมู่บ้าน", "ask"),
    # with a photo (made below): the verifier's page shows it
    (2, "d3", "tree-planting", 1, 5, "ปลูกต้นมะม่วงริมถนนหน้าวัด 5 ต้น", "pending"),
    # waiting for its witness, the citizen role 0810000002, who answers from /deeds/witness/
    (1, "d4", "returning-lost-property", 1, None, "เก็บโทรศัพท์มือถือได้ที่ป้ายรถเมล์ ส่งคืนเจ้าของที่ อบต.", "witnesses"),
]
# Deed types that ask for witnesses name the other demo citizens (0810000002 first), who confirm
# at once unless the outcome is "witnesses" (the deed then waits for them).


def _demo_evidence(kind: str) -> list[Any]:
    """A file for a demo deed whose type asks for one, made here (no binary in the repository):
    a green square as a JPEG photo, or a one-page PDF."""
    if kind == "photo":
        image = Image.new("RGB", (480, 360), (46, 125, 50))
        image.paste((255, 214, 0), (180, 120, 300, 240))  # a gold square in the middle
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85)
        return [SimpleUploadedFile("demo-photo.jpg", out.getvalue())]
    if kind == "document":
        pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
               b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
               b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")  # fmt: skip
        return [SimpleUploadedFile("demo-document.pdf", pdf)]
    return []


# What the demo's verifier asks, why they rejected a deed, and the person's appeal of it.
DEMO_QUESTION = "ช่วยบอกชื่อครูหรือผู้ดูแลศูนย์ที่เห็นคุณสอน และสอนวันไหนบ้างครับ"
DEMO_REJECTION = "ไม่มีผู้ประสานงานรับรองชั่วโมง กรุณาบันทึกใหม่พร้อมชื่อผู้รับรอง"
DEMO_APPEAL = "วันนั้นผมช่วยงานบวชที่วัดหนองสาหร่ายจริง ตั้งแต่เช้าถึงเย็น พระครูเจ้าอาวาสรับรองได้ โทรถามที่วัดได้เลยครับ"


DEMO_ACTIVITY = "ปลูกป่าชายคลองหนองสาหร่าย"
DEMO_SHEET_NOTE = "ลงชื่อในใบลงชื่อกระดาษ ไม่ได้นำโทรศัพท์มา"

# For the auditor's desk (0810000009, /review/): deeds whose patterns the automatic checks flag
# (deeds/flags.py). บุญมา types in five deeds of the past weeks in one sitting (a burst); the
# อบต.'s verifier and its admin verify each other's deeds (a cycle). (key, deed type, days ago,
# hours, description)
BURST = [
    ("b1", "community-cleanup", 9, 2, "เก็บขยะริมถนนหน้าโรงเรียนบ้านหนองสาหร่าย"),
    ("b2", "school-support", 8, 2, "ช่วยครูจัดห้องสมุดของโรงเรียน"),
    ("b3", "tutoring-children", 7, 2, "สอนอ่านหนังสือเด็ก ป.2 ที่ศาลาวัด"),
    ("b4", "conservation-work", 5, 3, "ปลูกหญ้าแฝกกันตลิ่งพังริมคลอง"),
    ("b5", "local-wisdom-transfer", 4, 2, "สอนสานตะกร้าไม้ไผ่ให้เยาวชนที่ศาลาหมู่บ้าน"),
]
# The verifier's own deed (its admin verifies it), then the admin's (the verifier verifies it).
MUTUAL = [
    ("m1", "community-meeting", 12, None, "เข้าร่วมประชุมประชาคมหมู่บ้านเรื่องแผนพัฒนาตำบล"),
    ("m2", "school-support", 6, 3, "ช่วยจัดกิจกรรมวันเด็กที่โรงเรียนบ้านหนองสาหร่าย"),
]


def _found(obj: Any) -> Any:
    if obj is None:
        raise RuntimeError("seed_demo: a record it made a moment ago is missing")
    return obj


class Command(BaseCommand):
    help = "Load the default catalog and a demo community with people and history (idempotent)."
    _two_factor_logins: list[str]

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--two-factor", action=BooleanOptionalAction, default=None,
            help="Give the demo's role-holders an authenticator app (default: TWO_FACTOR_REQUIRED).",
        )  # fmt: skip

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        self._two_factor_logins = []
        counts = catalog_load_default(actor=SEED)
        self.stdout.write(f"catalog: {counts}")
        community = community_for_subdistrict(SUBDISTRICT)
        if community is None:
            community = community_create(
                actor=SEED, name_th="ธนาคารความดีตำบลหนองสาหร่าย", name_en="Nong Sarai Goodness Bank",
                subdistrict_code=SUBDISTRICT,
            )  # fmt: skip
        organization = organization_find(scope_area_code=SUBDISTRICT)
        organization_types_default_load(actor=SEED)  # gone from a database flushed after migrating
        if organization is None:
            organization = organization_create(
                actor=SEED, name_th="องค์การบริหารส่วนตำบลหนองสาหร่าย",
                name_en="Nong Sarai Subdistrict Administrative Organization",
                kind=OrganizationKind.LOCAL_GOVERNMENT, scope_area_code=SUBDISTRICT, listed=True,
            )  # fmt: skip

        verifier = self._person(*VERIFIER, VERIFIER_PASSWORD)
        membership_grant(actor=SEED, organization=organization, person=verifier, role=MembershipRole.VERIFIER)
        verifier = person_by_public_id(verifier.public_id)  # fresh permission cache
        org_admin = self._person(*ORGANIZATION_ADMIN[:2], ORGANIZATION_ADMIN[2])
        membership_grant(actor=SEED, organization=organization, person=org_admin, role=MembershipRole.ADMIN)
        role_grant(actor=SEED, person=self._person(*AUDITOR), role=Role.AUDITOR)
        citizens = [self._person(phone, name, CITIZEN_PASSWORD) for phone, name in CITIZENS]
        self._person(*NEWCOMER, CITIZEN_PASSWORD, member=False)
        self._catalog_roles(community)
        self._history(citizens, verifier)
        self._desk(verifier)
        self._assisted(citizens[0])
        self._fairness(verifier, citizens)
        self._notifications_seen(citizens[0])
        self._activity(organization, verifier, citizens)
        assessor = self._person(*ASSESSOR[:2], ASSESSOR[2])
        role_grant(actor=SEED, person=assessor, role=Role.MORAL_ASSESSOR)
        volunteers = [self._person(phone, name, CITIZEN_PASSWORD) for phone, name in VOLUNTEERS]
        business = organizations_seed(
            organization=organization, org_admin=_found(person_by_public_id(org_admin.public_id)),
            csr_manager=self._person(*CSR_MANAGER[:2], CSR_MANAGER[2]),
            assessor=_found(person_by_public_id(assessor.public_id)), citizen=citizens[0],
            volunteers=[*citizens, *volunteers], linked=[*citizens[1:], *volunteers],
        )  # fmt: skip
        sponsor_organization_set(
            actor=SEED, sponsor=_found(sponsor_find(name_th="บริษัท ใจดีเพื่อชุมชน จำกัด")), organization=business
        )
        rewards_seed(
            subdistrict=SUBDISTRICT, partner_person=self._person(*PARTNER),
            clinic_person=self._person(*CLINIC_STAFF),
            cafe_person=self._person(*CAFE_OWNER, CITIZEN_PASSWORD),
            committee=_found(person_by_login(COMMUNITY_ADMIN[0])), citizen=citizens[0],
        )  # fmt: skip
        goodness_bank = {
            "subdistrict": SUBDISTRICT,
            "committee": [
                _found(person_by_login(COMMUNITY_ADMIN[0])),
                _found(person_by_login(COMMUNITY_ADMIN_2[0])),
            ],
            "citizens": citizens,
            "elder": _found(person_by_login(ELDER[0])),
        }
        loans_seed(**goodness_bank)
        timebank_seed(**goodness_bank)
        self._admin()
        two_factor = options.get("two_factor")
        if settings.TWO_FACTOR_REQUIRED if two_factor is None else two_factor:
            self._two_factor()
        # The demo's history, signed: `ledger_verify` checks against it, /api/v1/ledger/checkpoint serves it.
        checkpoint_create()
        self._print_sign_ins()

    def _notifications_seen(self, citizen: Any) -> None:
        """The demo citizen's decisions notified them through the real path (the audit events'
        subscriber); the oldest one is read, so the bell shows what is new (idempotent)."""
        oldest = notifications_of(person=citizen).last()
        if oldest is not None and oldest.read_at is None and unread_count(person=citizen) > 1:
            notification_mark_read(person=citizen, notification_public_id=oldest.public_id)

    def _person(self, phone: str, name: str, password: str, *, member: bool = True) -> Any:
        existing = person_by_login(phone)
        if existing:
            return existing
        # The demo's people have proven their phones (a real sign-up sends a code first).
        person = person_signup(
            full_name=name, password=password, subdistrict_code=SUBDISTRICT,
            consent_given=True, phone=phone, contact_proven=True,
        )  # fmt: skip
        # Signing up asks to join the community; the demo's people were accepted by its committee
        # before the demo begins (but the newcomer, whose request waits for the community admin).
        waiting = membership_current(person)
        if member and waiting is not None and waiting.state == MembershipState.PENDING:
            membership_approve(actor=SEED, membership_public_id=waiting.public_id)
            person = _found(person_by_public_id(person.public_id))
        return person

    def _history(self, citizens: list[Any], verifier: Any) -> None:
        today = timezone.localdate()
        types = deed_types_by_code()
        for index, key, code, days_ago, quantity, text, outcome in HISTORY:
            if code not in types:
                continue
            person = citizens[index]
            witnesses = [c for c in citizens if c.pk != person.pk][: types[code].witnesses_required]
            deed = deed_record(
                actor=person, deed_type_public_id=types[code].public_id,
                performed_on=today - timedelta(days=days_ago), description=text,
                quantity=quantity, submission_key=f"demo-{key}",
                evidence_files=_demo_evidence(types[code].evidence),
                witnesses=[w.phone for w in witnesses] if types[code].evidence == "witnesses" else [],
            )  # fmt: skip
            if deed.status == DeedStatus.AWAITING_WITNESSES and outcome != "witnesses":
                for witness in witnesses:
                    witness_answer(actor=witness, deed_public_id=deed.public_id, confirm=True)
                deed.refresh_from_db()
            if deed.status == DeedStatus.PENDING and outcome == "verify":
                # Deeds the catalog gives to the community committee are verified by its admin.
                committee = types[code].verifier_kind == VerifierKind.COMMITTEE
                actor = _found(person_by_login(COMMUNITY_ADMIN[0])) if committee else verifier
                deed_verify(actor=actor, deed_public_id=deed.public_id)
            elif deed.status == DeedStatus.PENDING and outcome == "ask":
                deed_ask(actor=verifier, deed_public_id=deed.public_id, question=DEMO_QUESTION)
            elif deed.status == DeedStatus.PENDING and outcome in ("reject", "appeal"):
                deed = deed_reject(
                    actor=verifier, deed_public_id=deed.public_id,
                    reason_code=RejectionReason.NOT_ENOUGH_EVIDENCE, reason=DEMO_REJECTION,
                )  # fmt: skip
            if outcome == "appeal" and deed.status == DeedStatus.REJECTED and appeal_of_deed(deed) is None:
                appeal_create(actor=person, deed_public_id=deed.public_id, statement=DEMO_APPEAL)

    def _assisted(self, helper: Any) -> None:
        """The elder's standing consent to the village health volunteer, and a deed the volunteer
        recorded for her (idempotent: the consent is given once, the deed has a key)."""
        elder = self._person(*ELDER, CITIZEN_PASSWORD)
        if not assist_consents_given(person=elder).filter(helper=helper).exists():
            assist_consent_give(actor=elder, helper_login=helper.phone)
        code, days_ago, quantity, text = ELDER_DEED
        kind = deed_types_by_code()[code]
        deed_record(
            actor=helper, deed_type_public_id=kind.public_id, on_behalf_of=elder.public_id,
            performed_on=timezone.localdate() - timedelta(days=days_ago), description=text,
            quantity=quantity, submission_key="demo-elder-1",
        )  # fmt: skip

    def _desk(self, verifier: Any) -> None:
        """A new member's deeds for the verifier's desk: one verified earlier this year and two
        waiting, one with a photo (idempotent: the submission keys)."""
        member = self._person(*DESK_MEMBER, CITIZEN_PASSWORD)
        today = timezone.localdate()
        types = deed_types_by_code()
        for key, code, days_ago, quantity, text, outcome in DESK_HISTORY:
            if code not in types:
                continue
            deed = deed_record(
                actor=member, deed_type_public_id=types[code].public_id,
                performed_on=max(today - timedelta(days=days_ago), today.replace(month=1, day=1)),
                description=text, quantity=quantity, submission_key=f"demo-desk-{key}",
                evidence_files=_demo_evidence(types[code].evidence),
            )  # fmt: skip
            if deed.status == DeedStatus.PENDING and outcome == "verify":
                deed_verify(actor=verifier, deed_public_id=deed.public_id)

    def _fairness(self, verifier: Any, citizens: list[Any]) -> None:
        """Deeds the automatic checks flag for the auditor (BURST, MUTUAL), recorded and decided
        through the services, so that the flags come from the real checks (idempotent: the
        submission keys; a deed already decided is left as it is)."""
        today = timezone.localdate()
        types = deed_types_by_code()
        for key, code, days_ago, hours, text in BURST:
            if code in types:
                deed_record(
                    actor=citizens[2], deed_type_public_id=types[code].public_id,
                    performed_on=today - timedelta(days=days_ago), description=text, quantity=hours,
                    submission_key=f"demo-{key}",
                )  # fmt: skip
        org_admin = _found(person_by_login(ORGANIZATION_ADMIN[0]))
        for (person, decider), (key, code, days_ago, quantity, text) in zip(
            ((verifier, org_admin), (org_admin, verifier)), MUTUAL, strict=True
        ):
            if code not in types:
                continue
            deed = deed_record(
                actor=person, deed_type_public_id=types[code].public_id,
                performed_on=today - timedelta(days=days_ago), description=text, quantity=quantity,
                submission_key=f"demo-{key}",
            )  # fmt: skip
            if deed.status == DeedStatus.PENDING:
                deed_verify(actor=decider, deed_public_id=deed.public_id)

    def _activity(self, organization: Any, verifier: Any, citizens: list[Any]) -> None:
        """An open activity of the อบต. happening now, two citizens already checked in: a newcomer
        can register, scan its code (the verifier's "Show the check-in code") and watch it closed."""
        if activities_managed_by(verifier).filter(title=DEMO_ACTIVITY).exists():
            return
        now = timezone.now()
        activity = activity_create(
            actor=verifier, organizer=f"organization:{organization.public_id}", title=DEMO_ACTIVITY,
            deed_type_public_id=_found(deed_type_by_code("volunteer-hours", national=True)).public_id,
            subdistrict_code=SUBDISTRICT, starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=6), capacity=40,
        )  # fmt: skip
        for citizen in citizens[1:]:
            activity_check(
                actor=citizen, activity_public_id=activity.public_id,
                code=code_make(activity.public_id), action="check_in",
            )  # fmt: skip
        # สมหญิง came without her phone and signed the paper sheet: the organizer uploads it.
        sheet = f"phone_or_email,hours,note\r\n{citizens[0].phone},2,{DEMO_SHEET_NOTE}\r\n"
        attendance_upload(actor=verifier, activity_public_id=activity.public_id, content=sheet.encode())

    def _catalog_roles(self, community: Any) -> None:
        staff = self._person(*STAFF[:2], STAFF[2])
        role_grant(actor=SEED, person=staff, role=Role.STAFF)
        admin = self._person(*COMMUNITY_ADMIN[:2], COMMUNITY_ADMIN[2])
        community_admin_grant(actor=SEED, community=community, person=admin)
        second = self._person(*COMMUNITY_ADMIN_2[:2], COMMUNITY_ADMIN_2[2])
        community_admin_grant(actor=SEED, community=community, person=second)
        admin, second = (_found(person_by_public_id(p.public_id)) for p in (admin, second))
        if deed_type_by_code(LOCAL_DEED_TYPE_CODE, community=community) is None:
            # A deed type of the village's own, as its admin would add it on the community page,
            # and approved by the committee's second member.
            deed_type_create(actor=admin, row=LOCAL_DEED_TYPE, community=community)
            for proposal in rule_proposals_waiting(community):
                rule_proposal_approve(actor=second, proposal=proposal)
        if deed_type_by_code(PROPOSED_DEED_TYPE_CODE, community=community) is None:
            deed_type_create(actor=second, row=PROPOSED_DEED_TYPE, community=community)
        member = self._person(*SPONSOR[:2], SPONSOR[2])
        sponsor = sponsor_find(name_th="บริษัท ใจดีเพื่อชุมชน จำกัด")
        if sponsor is None:
            sponsor = sponsor_register(
                actor=SEED, name_th="บริษัท ใจดีเพื่อชุมชน จำกัด", name_en="Jaidee for Communities Co., Ltd.",
                kind=SponsorKind.BUSINESS, members=[member],
            )  # fmt: skip
            today = timezone.localdate()
            pledge = sponsorship_pledge(
                actor=_found(person_by_public_id(member.public_id)), sponsor=sponsor,
                deed_type=_found(deed_type_by_code("volunteer-hours")), bonus_points=5,
                budget_points=500, starts_on=today - timedelta(days=60),
                ends_on=today + timedelta(days=335),
            )  # fmt: skip
            # National staff recorded the money received: only then does the budget pay bonuses.
            sponsorship_fund(
                actor=_found(person_by_public_id(staff.public_id)), sponsorship=pledge, points=500,
                reference=DEMO_FUNDING_REFERENCE, received_on=today - timedelta(days=59),
            )  # fmt: skip

    def _admin(self) -> None:
        # Django's own superuser, for the read-only admin: made the way Django makes it.
        if person_with_username("admin") is None:
            get_user_model().objects.create_superuser(  # type: ignore[attr-defined]
                username="admin",
                password=ADMIN_PASSWORD,
                full_name="ผู้ดูแลระบบ",
                email="admin@kwamdee.invalid",
                contact_confirmed_at=timezone.now(),  # as the demo's people (`_person`)
            )

    def _two_factor(self) -> None:
        """Each demo account whose role needs two-step sign-in gets an authenticator app with the
        demo's key for it (kwamdee/demo/two_factor.py), so that `make run` can be walked."""
        for login in DEMO_TWO_FACTOR_LOGINS:
            person = person_by_login(login) or person_with_username(login)
            if person is not None and two_factor_required(person):
                two_factor_demo_device_install(actor=SEED, person=person, base32_key=demo_totp_key(login))
                self._two_factor_logins.append(login)

    def _print_sign_ins(self) -> None:
        self.stdout.write(self.style.SUCCESS("Demo sign-ins (phone number / password):"))
        self.stdout.write(f"  verifier  {VERIFIER[0]} / {VERIFIER_PASSWORD}  ({VERIFIER[1]})")
        for phone, name in [*CITIZENS, DESK_MEMBER]:
            self.stdout.write(f"  citizen   {phone} / {CITIZEN_PASSWORD}  ({name})")
        self.stdout.write(
            f"  newcomer  {NEWCOMER[0]} / {CITIZEN_PASSWORD}  ({NEWCOMER[1]}, asks to join the community)"
        )
        self.stdout.write(
            f"  elder     {ELDER[0]} / {CITIZEN_PASSWORD}  ({ELDER[1]}, lets {CITIZENS[0][0]} record for her)"
        )
        for role, (phone, name, password) in (
            ("staff    ", STAFF), ("community", COMMUNITY_ADMIN), ("community", COMMUNITY_ADMIN_2),
            ("sponsor  ", SPONSOR),
            ("org admin", ORGANIZATION_ADMIN), ("auditor  ", AUDITOR), ("partner  ", PARTNER),
            ("partner  ", CLINIC_STAFF), ("assessor ", ASSESSOR), ("org admin", CSR_MANAGER),
        ):  # fmt: skip
            self.stdout.write(f"  {role} {phone} / {password}  ({name})")
        self.stdout.write(
            f"  citizen   {CAFE_OWNER[0]} / {CITIZEN_PASSWORD}  ({CAFE_OWNER[1]}, his café waits)"
        )
        self.stdout.write(f"  admin     admin / {ADMIN_PASSWORD}  (Django admin at /admin/)")
        if self._two_factor_logins:
            self.stdout.write(
                self.style.SUCCESS("Two-step sign-in: add a key to an authenticator app,")
                + " or print the code it shows now with `manage.py demo_code <sign-in>`:"
            )
            for login in self._two_factor_logins:
                self.stdout.write(f"  {login:<10} key {key_for_typing(demo_totp_key(login))}")
