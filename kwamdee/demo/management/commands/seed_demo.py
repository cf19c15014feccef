"""Loads the default catalog and a small demo community. Safe to run again: nothing doubles."""

from argparse import BooleanOptionalAction
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from kwamdee.areas.selectors import community_for_subdistrict
from kwamdee.areas.services import community_admin_grant, community_create
from kwamdee.catalog.choices import VerifierKind
from kwamdee.catalog.selectors import deed_type_by_code, deed_types_by_code
from kwamdee.catalog.services import catalog_load_default, deed_type_create
from kwamdee.common.actors import SystemActor
from kwamdee.common.roles import Role, role_grant
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.services import deed_record, deed_reject, deed_verify
from kwamdee.demo.two_factor import DEMO_TWO_FACTOR_LOGINS, demo_totp_key, key_for_typing
from kwamdee.ledger.checkpoints import checkpoint_create
from kwamdee.organizations.choices import MembershipRole, OrganizationKind
from kwamdee.organizations.selectors import organization_find
from kwamdee.organizations.services import membership_grant, organization_create
from kwamdee.people.selectors import person_by_login, person_by_public_id, person_with_username
from kwamdee.people.services import person_signup
from kwamdee.people.two_factor import two_factor_demo_device_install, two_factor_required
from kwamdee.rewards.choices import SponsorKind
from kwamdee.rewards.selectors import sponsor_find
from kwamdee.rewards.services import sponsor_register, sponsorship_pledge

# The demo is loaded by the system itself; the audit log names it so.
SEED = SystemActor("seed_demo")

SUBDISTRICT = "710911"  # หนองสาหร่าย, อ.พนมทวน, จ.กาญจนบุรี: the goodness bank of the seeds
CITIZEN_PASSWORD = "kwamdee-demo"
VERIFIER_PASSWORD = "kwamdee-verifier"
STAFF = ("0810000005", "วิไล ส่งเสริม", "kwamdee-staff")
COMMUNITY_ADMIN = ("0810000006", "ประยูร ดูแลชุมชน", "kwamdee-community")
SPONSOR = ("0810000007", "กมล ใจบุญ", "kwamdee-sponsor")
# The อบต.'s own admin (manages its verifiers, and verifies in its area like them), an auditor of
# the ledger, and a partner shop (partners get their permissions with rewards' privileges).
ORGANIZATION_ADMIN = ("0810000008", "สุรชัย บริหารดี", "kwamdee-organization")
AUDITOR = ("0810000009", "อรุณี ตรวจสอบ", "kwamdee-auditor")
PARTNER = ("0810000010", "มาลี ค้าขายดี", "kwamdee-partner")
ADMIN_PASSWORD = "kwamdee-admin"

VERIFIER = ("0810000001", "สมศักดิ์ ใจดี")
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
    "points_per_unit": 7, "per_day": 4, "per_week": None, "per_month": None, "per_year": None,
    "cooldown_days": 0, "effective_from": None, "evidence": "attendance", "witnesses_required": 0,
    "verifier": "committee", "virtues": {"volunteerism": "0.6", "sufficiency": "0.4"},
    "sdgs": ["6", "11"], "indicators": [], "is_active": True,
}  # fmt: skip
# (citizen index, key, deed type, days ago, quantity, description, outcome)
HISTORY = [
    (0, "d1", "volunteer-hours", 40, 3, "ช่วยงานอาสาที่โรงพยาบาลส่งเสริมสุขภาพตำบล", "verify"),
    (0, "d2", "tree-planting", 25, 12, "ปลูกต้นไม้ริมคลองกับกลุ่มเยาวชน", "verify"),
    (0, "d3", "returning-lost-property", 3, None, "เก็บกระเป๋าสตางค์ได้ที่ตลาด ส่งคืนเจ้าของ", "pending"),
    (1, "d1", "caring-for-parents", 20, None, "ดูแลแม่ ทำอาหารและพาไปเยี่ยมญาติทุกสัปดาห์", "verify"),
    (1, "d2", "community-cleanup", 10, 2, "ทำความสะอาดศาลาประชาคมหมู่บ้าน", "verify"),
    (1, "d3", "volunteer-hours", 2, 4, "ช่วยจัดงานวันผู้สูงอายุของตำบล", "pending"),
    (2, "d1", "household-accounts", 35, None, "ทำบัญชีครัวเรือนครบทั้งเดือน", "verify"),
    (2, "d2", "volunteer-hours", 15, 12, "ช่วยงานวัด 12 ชั่วโมง (ไม่ได้แจ้งผู้ประสานงาน)", "reject"),
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
        if organization is None:
            organization = organization_create(
                actor=SEED, name_th="องค์การบริหารส่วนตำบลหนองสาหร่าย",
                name_en="Nong Sarai Subdistrict Administrative Organization",
                kind=OrganizationKind.LOCAL_GOVERNMENT, scope_area_code=SUBDISTRICT,
            )  # fmt: skip

        verifier = self._person(*VERIFIER, VERIFIER_PASSWORD)
        membership_grant(actor=SEED, organization=organization, person=verifier, role=MembershipRole.VERIFIER)
        verifier = person_by_public_id(verifier.public_id)  # fresh permission cache
        org_admin = self._person(*ORGANIZATION_ADMIN[:2], ORGANIZATION_ADMIN[2])
        membership_grant(actor=SEED, organization=organization, person=org_admin, role=MembershipRole.ADMIN)
        for role, (phone, name, password) in ((Role.AUDITOR, AUDITOR), (Role.PARTNER, PARTNER)):
            role_grant(actor=SEED, person=self._person(phone, name, password), role=role)
        citizens = [self._person(phone, name, CITIZEN_PASSWORD) for phone, name in CITIZENS]
        self._catalog_roles(community)
        self._history(citizens, verifier)
        self._admin()
        two_factor = options.get("two_factor")
        if settings.TWO_FACTOR_REQUIRED if two_factor is None else two_factor:
            self._two_factor()
        # The demo's history, signed: `ledger_verify` checks against it, /api/v1/ledger/checkpoint serves it.
        checkpoint_create()
        self._print_sign_ins()

    def _person(self, phone: str, name: str, password: str) -> Any:
        existing = person_by_login(phone)
        if existing:
            return existing
        # The demo's people have proven their phones (a real sign-up sends a code first).
        return person_signup(
            full_name=name, password=password, subdistrict_code=SUBDISTRICT,
            consent_given=True, phone=phone, contact_proven=True,
        )  # fmt: skip

    def _history(self, citizens: list[Any], verifier: Any) -> None:
        today = timezone.localdate()
        types = deed_types_by_code()
        for index, key, code, days_ago, quantity, text, outcome in HISTORY:
            if code not in types:
                continue
            person = citizens[index]
            deed = deed_record(
                actor=person, deed_type_public_id=types[code].public_id,
                performed_on=today - timedelta(days=days_ago), description=text,
                quantity=quantity, submission_key=f"demo-{key}",
            )  # fmt: skip
            if deed.status != DeedStatus.PENDING or outcome == "pending":
                continue
            if outcome == "verify":
                # Deeds the catalog gives to the community committee are verified by its admin.
                committee = types[code].verifier_kind == VerifierKind.COMMITTEE
                actor = _found(person_by_login(COMMUNITY_ADMIN[0])) if committee else verifier
                deed_verify(actor=actor, deed_public_id=deed.public_id)
            else:
                deed_reject(
                    actor=verifier, deed_public_id=deed.public_id,
                    reason="ไม่มีผู้ประสานงานรับรองชั่วโมง กรุณาบันทึกใหม่พร้อมชื่อผู้รับรอง",
                )  # fmt: skip

    def _catalog_roles(self, community: Any) -> None:
        staff = self._person(*STAFF[:2], STAFF[2])
        role_grant(actor=SEED, person=staff, role=Role.STAFF)
        admin = self._person(*COMMUNITY_ADMIN[:2], COMMUNITY_ADMIN[2])
        community_admin_grant(actor=SEED, community=community, person=admin)
        if deed_type_by_code(LOCAL_DEED_TYPE_CODE, community=community) is None:
            # A deed type of the village's own, as its admin would add it on the community page.
            deed_type_create(
                actor=_found(person_by_public_id(admin.public_id)), row=LOCAL_DEED_TYPE, community=community
            )
        member = self._person(*SPONSOR[:2], SPONSOR[2])
        sponsor = sponsor_find(name_th="บริษัท ใจดีเพื่อชุมชน จำกัด")
        if sponsor is None:
            sponsor = sponsor_register(
                actor=SEED, name_th="บริษัท ใจดีเพื่อชุมชน จำกัด", name_en="Jaidee for Communities Co., Ltd.",
                kind=SponsorKind.BUSINESS, members=[member],
            )  # fmt: skip
            today = timezone.localdate()
            sponsorship_pledge(
                actor=_found(person_by_public_id(member.public_id)), sponsor=sponsor,
                deed_type=_found(deed_type_by_code("volunteer-hours")), bonus_points=5,
                budget_points=500, starts_on=today - timedelta(days=60),
                ends_on=today + timedelta(days=335),
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
        for phone, name in CITIZENS:
            self.stdout.write(f"  citizen   {phone} / {CITIZEN_PASSWORD}  ({name})")
        for role, (phone, name, password) in (
            ("staff    ", STAFF), ("community", COMMUNITY_ADMIN), ("sponsor  ", SPONSOR),
            ("org admin", ORGANIZATION_ADMIN), ("auditor  ", AUDITOR), ("partner  ", PARTNER),
        ):  # fmt: skip
            self.stdout.write(f"  {role} {phone} / {password}  ({name})")
        self.stdout.write(f"  admin     admin / {ADMIN_PASSWORD}  (Django admin at /admin/)")
        if self._two_factor_logins:
            self.stdout.write(
                self.style.SUCCESS("Two-step sign-in: add a key to an authenticator app,")
                + " or print the code it shows now with `manage.py demo_code <sign-in>`:"
            )
            for login in self._two_factor_logins:
                self.stdout.write(f"  {login:<10} key {key_for_typing(demo_totp_key(login))}")
