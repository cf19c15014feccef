"""Test data, made through the real services so that tests walk the paths users do."""

import itertools
from datetime import date

from kwamdee.areas.models import Community
from kwamdee.catalog.models import DeedType
from kwamdee.catalog.services import catalog_load
from kwamdee.common.actors import SystemActor
from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.services import membership_grant
from kwamdee.people.models import User
from kwamdee.people.services import person_signup  # noqa: F401  (tests import it from here)
from tests.areas.factories import CommunityFactory
from tests.organizations.factories import OrganizationFactory
from tests.people.factories import PersonFactory

NONG_SARAI = "710911"
PHANOM_THUAN = "710901"  # another subdistrict in the same district
BANGKOK_SUBDISTRICT = "100101"  # พระบรมมหาราชวัง, เขตพระนคร
PASSWORD = "good-deeds-2569"
# Test data is made by the system, under a name the audit log keeps.
SYSTEM = SystemActor("tests")
_phones = itertools.count(1)

VIRTUES = [
    {"code": "sufficiency", "name_th": "พอเพียง", "name_en": "Sufficiency"},
    {"code": "discipline", "name_th": "วินัย", "name_en": "Discipline"},
    {"code": "honesty", "name_th": "สุจริต", "name_en": "Honesty"},
    {"code": "volunteerism", "name_th": "จิตอาสา", "name_en": "Volunteerism"},
    {"code": "gratitude", "name_th": "กตัญญู", "name_en": "Gratitude"},
]


def _deed_type(code, pricing, credit, points, virtues, **extra):
    return {
        "code": code, "category": "volunteering", "name_th": f"ความดี {code}",
        "name_en": code.replace("-", " ").capitalize(), "pricing": pricing,
        "credit_per_unit": credit, "points_per_unit": points, "virtues": virtues,
        "sdgs": ["3", "11"], **extra,
    }  # fmt: skip


SMALL_CATALOG = {
    "format": "kwamdee-catalog",
    "format_version": 1,
    "virtues": VIRTUES,
    "sdgs": [
        {"number": 3, "name_th": "การมีสุขภาพและความเป็นอยู่ที่ดี", "name_en": "Good health and well-being", "color": "#4C9F38"},
        {"number": 11, "name_th": "เมืองและถิ่นฐานมนุษย์อย่างยั่งยืน", "name_en": "Sustainable cities and communities", "color": "#FD9D24"},
    ],
    "categories": [{"code": "volunteering", "name_th": "จิตอาสา", "name_en": "Volunteering"}],
    "deed_types": [
        _deed_type("volunteer-hours", "per_hour", 8, 8, {"volunteerism": 1}, limits={"per_day": 2}),
        _deed_type("returning-lost-property", "per_deed", 20, 20, {"honesty": 0.7, "volunteerism": 0.3}),
        _deed_type("tree-planting", "per_unit", 1, 1, {"sufficiency": 0.5, "volunteerism": 0.5},
                   unit_name_th="ต้น", unit_name_en="tree"),
        _deed_type("blood-donation", "per_deed", 20, 0, {"volunteerism": 0.7, "gratitude": 0.3},
                   limits={"per_year": 4, "cooldown_days": 84}),
    ],
}  # fmt: skip


def load_small_catalog():
    catalog_load(actor=SYSTEM, data=SMALL_CATALOG)
    return {dt.code: dt for dt in DeedType.objects.all()}


def make_person(*, name="สมหญิง รักดี", subdistrict=NONG_SARAI, phone=None, **kwargs) -> User:
    extra = {"phone": phone} if phone else {}
    return PersonFactory(full_name=name, subdistrict_code=subdistrict, **extra, **kwargs)


def make_community(subdistrict=NONG_SARAI) -> Community:
    return CommunityFactory(subdistrict_code=subdistrict)


def make_verifier(*, scope=NONG_SARAI, subdistrict=NONG_SARAI, name="สมศักดิ์ ใจดี") -> User:
    organization = OrganizationFactory(scope_area_code=scope)
    person = make_person(name=name, subdistrict=subdistrict)
    membership_grant(actor=SYSTEM, organization=organization, person=person, role=MembershipRole.VERIFIER)
    return User.objects.get(pk=person.pk)  # fresh permission cache


def days_ago(n: int) -> date:
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() - timedelta(days=n)


def approve_proposals(community=None) -> list:
    """Approves every waiting proposal (of `community`, or of all) as a second approver would:
    new or changed local deed types and community adjustments take effect."""
    from kwamdee.catalog.selectors import rule_proposals_waiting
    from kwamdee.catalog.services import rule_proposal_approve

    return [rule_proposal_approve(actor=SYSTEM, proposal=p) for p in rule_proposals_waiting(community)]


def fund(sponsorship, points=None, *, reference=None):
    """Records the funding of a pledge as national staff would (all of it, by default)."""
    from kwamdee.rewards.services import sponsorship_fund

    return sponsorship_fund(
        actor=SYSTEM, sponsorship=sponsorship, points=points or sponsorship.budget_points,
        reference=reference or f"TRF-{sponsorship.public_id.hex[:12]}", received_on=days_ago(0),
    )  # fmt: skip
