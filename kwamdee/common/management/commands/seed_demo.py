"""Loads the default catalog and a small demo community. Safe to run again: nothing doubles."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from kwamdee.areas.models import Community
from kwamdee.catalog.choices import SponsorKind, VerifierKind
from kwamdee.catalog.models import DeedType, Sponsor
from kwamdee.catalog.services import (
    catalog_load_default,
    community_admin_grant,
    sponsor_create,
    sponsor_member_add,
    sponsorship_pledge,
)
from kwamdee.common.audit import audit_record
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.services import deed_record, deed_reject, deed_verify
from kwamdee.organizations.choices import MembershipRole, OrganizationKind
from kwamdee.organizations.models import Organization
from kwamdee.organizations.services import membership_grant, organization_create
from kwamdee.people.choices import Role
from kwamdee.people.models import User
from kwamdee.people.roles import role_grant
from kwamdee.people.services import person_signup

SUBDISTRICT = "710911"  # หนองสาหร่าย, อ.พนมทวน, จ.กาญจนบุรี: the goodness bank of the seeds
CITIZEN_PASSWORD = "kwamdee-demo"
VERIFIER_PASSWORD = "kwamdee-verifier"
STAFF = ("0810000005", "วิไล ส่งเสริม", "kwamdee-staff")
COMMUNITY_ADMIN = ("0810000006", "ประยูร ดูแลชุมชน", "kwamdee-community")
SPONSOR = ("0810000007", "กมล ใจบุญ", "kwamdee-sponsor")
ADMIN_PASSWORD = "kwamdee-admin"

VERIFIER = ("0810000001", "สมศักดิ์ ใจดี")
CITIZENS = [
    ("0810000002", "สมหญิง รักดี"),
    ("0810000003", "ประเสริฐ มีสุข"),
    ("0810000004", "บุญมา ศรีสุข"),
]
# (citizen index, key, deed type, days ago, quantity, description, outcome)
HISTORY = [
    (0, "d1", "volunteer-hours", 40, 3, "ช่วยงานอาสาที่โรงพยาบาลส่งเสริมสุขภาพตำบล", "verify"),
    (0, "d2", "tree-planting", 25, 12, "ปลูกต้นไม้ริมคลองกับกลุ่มเยาวชน", "verify"),
    (0, "d3", "returning-lost-property", 3, None, "เก็บกระเป๋าสตางค์ได้ที่ตลาด ส่งคืนเจ้าของ", "pending"),
    (1, "d1", "caring-for-parents", 20, None, "ดูแลพาแม่ไปพบแพทย์และทำอาหารให้ทุกวัน", "verify"),
    (1, "d2", "community-cleanup", 10, 2, "ทำความสะอาดศาลาประชาคมหมู่บ้าน", "verify"),
    (1, "d3", "volunteer-hours", 2, 4, "ช่วยจัดงานวันผู้สูงอายุของตำบล", "pending"),
    (2, "d1", "household-accounts", 35, None, "ทำบัญชีครัวเรือนครบทั้งเดือน", "verify"),
    (2, "d2", "volunteer-hours", 15, 12, "ช่วยงานวัด 12 ชั่วโมง (ไม่ได้แจ้งผู้ประสานงาน)", "reject"),
]


class Command(BaseCommand):
    help = "Load the default catalog and a demo community with people and history (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        counts = catalog_load_default(actor=None)
        self.stdout.write(f"catalog: {counts}")
        community, created = Community.objects.get_or_create(
            subdistrict_code=SUBDISTRICT,
            defaults={
                "name_th": "ธนาคารความดีตำบลหนองสาหร่าย",
                "name_en": "Nong Sarai Goodness Bank",
                "district_code": SUBDISTRICT[:4],
                "province_code": SUBDISTRICT[:2],
            },
        )
        if created:
            audit_record(actor=None, event_type="community:create", subject_id=community.public_id)
        organization = Organization.objects.filter(scope_area_code=SUBDISTRICT).first()
        if organization is None:
            organization = organization_create(
                actor=None, name_th="องค์การบริหารส่วนตำบลหนองสาหร่าย",
                name_en="Nong Sarai Subdistrict Administrative Organization",
                kind=OrganizationKind.LOCAL_GOVERNMENT, scope_area_code=SUBDISTRICT,
            )  # fmt: skip

        verifier = self._person(*VERIFIER, VERIFIER_PASSWORD)
        membership_grant(actor=None, organization=organization, person=verifier, role=MembershipRole.VERIFIER)
        verifier = User.objects.get(pk=verifier.pk)  # fresh permission cache
        citizens = [self._person(phone, name, CITIZEN_PASSWORD) for phone, name in CITIZENS]
        self._catalog_roles(community)
        self._history(citizens, verifier)
        self._admin()
        self._print_sign_ins()

    def _person(self, phone: str, name: str, password: str) -> User:
        existing = User.objects.filter(phone=phone).first()
        if existing:
            return existing
        return person_signup(
            full_name=name, password=password, subdistrict_code=SUBDISTRICT,
            consent_given=True, phone=phone,
        )  # fmt: skip

    def _history(self, citizens: list[User], verifier: User) -> None:
        today = timezone.localdate()
        types = {dt.code: dt for dt in DeedType.objects.all()}
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
                actor = User.objects.get(phone=COMMUNITY_ADMIN[0]) if committee else verifier
                deed_verify(actor=actor, deed_public_id=deed.public_id)
            else:
                deed_reject(
                    actor=verifier, deed_public_id=deed.public_id,
                    reason="ไม่มีผู้ประสานงานรับรองชั่วโมง กรุณาบันทึกใหม่พร้อมชื่อผู้รับรอง",
                )  # fmt: skip

    def _catalog_roles(self, community: Community) -> None:
        staff = self._person(*STAFF[:2], STAFF[2])
        role_grant(staff, Role.STAFF)
        admin = self._person(*COMMUNITY_ADMIN[:2], COMMUNITY_ADMIN[2])
        if not community.admins.filter(pk=admin.pk).exists():
            community_admin_grant(actor=None, community=community, person=admin)
        member = self._person(*SPONSOR[:2], SPONSOR[2])
        sponsor = Sponsor.objects.filter(name_th="บริษัท ใจดีเพื่อชุมชน จำกัด").first()
        if sponsor is None:
            sponsor = sponsor_create(
                actor=None, name_th="บริษัท ใจดีเพื่อชุมชน จำกัด", name_en="Jaidee for Communities Co., Ltd.",
                kind=SponsorKind.BUSINESS,
            )  # fmt: skip
            sponsor_member_add(actor=None, sponsor=sponsor, person=member)
            today = timezone.localdate()
            sponsorship_pledge(
                actor=User.objects.get(pk=member.pk), sponsor=sponsor,
                deed_type=DeedType.objects.get(code="volunteer-hours"), bonus_points=5,
                budget_points=500, starts_on=today - timedelta(days=60),
                ends_on=today + timedelta(days=335),
            )  # fmt: skip

    def _admin(self) -> None:
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser(
                username="admin",
                password=ADMIN_PASSWORD,
                full_name="ผู้ดูแลระบบ",
                email="admin@kwamdee.invalid",
            )

    def _print_sign_ins(self) -> None:
        self.stdout.write(self.style.SUCCESS("Demo sign-ins (phone number / password):"))
        self.stdout.write(f"  verifier  {VERIFIER[0]} / {VERIFIER_PASSWORD}  ({VERIFIER[1]})")
        for phone, name in CITIZENS:
            self.stdout.write(f"  citizen   {phone} / {CITIZEN_PASSWORD}  ({name})")
        for role, (phone, name, password) in (
            ("staff    ", STAFF), ("community", COMMUNITY_ADMIN), ("sponsor  ", SPONSOR),
        ):  # fmt: skip
            self.stdout.write(f"  {role} {phone} / {password}  ({name})")
        self.stdout.write(f"  admin     admin / {ADMIN_PASSWORD}  (Django admin at /admin/)")
