"""Erasure (PDPA §33) as pseudonymization: the person's row becomes a tombstone with no personal
data, every domain erases what it holds, the ledger stays verifiable and statistics stay right."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import models
from django.db.models import Sum

from kwamdee.areas.models import Community
from kwamdee.areas.services import community_admin_grant
from kwamdee.common.erasure import ERASED_NAME, ERASED_TEXT, personal_data_eraser_keys
from kwamdee.common.errors import PermissionDenied, ValidationFailed
from kwamdee.common.models import AuditEvent
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record, deed_reject, deed_verify
from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.models import Membership
from kwamdee.organizations.services import membership_grant
from kwamdee.passbook.selectors import passbook_get
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.membership import membership_approve
from kwamdee.people.models import ApiToken, CommunityMembership, Consent, User
from kwamdee.people.national_id import national_id_hash
from kwamdee.people.selectors import membership_current
from kwamdee.people.services import api_token_issue, consent_give
from kwamdee.privacy.errors import AlreadyErased
from kwamdee.privacy.models import DataSubjectRequest
from kwamdee.privacy.services import person_erase
from kwamdee.rewards.services import sponsor_register
from tests.factories import PASSWORD, SYSTEM, days_ago, make_community, make_person
from tests.organizations.factories import OrganizationFactory

NAME = "ประพันธ์ ลบทิ้งได้"
PHONE = "0899990001"
EMAIL = "prapan.erase@example.org"
NATIONAL_ID = "1101700230708"


def test_every_domain_that_keeps_personal_data_has_an_eraser():
    # The people app's runs last: it overwrites the row the others find the person by.
    assert personal_data_eraser_keys() == [
        "loans", "evidence", "deeds", "appeals", "activities", "notifications", "community_membership",
        "memberships", "community_admin", "sponsors", "redemptions", "partners", "time_listings",
        "time_exchanges", "data_requests", "assessments", "people",
    ]  # fmt: skip


@pytest.fixture
def leaver(deed_types, verifier):
    """A person with verified, rejected and pending deeds, a passbook, two consents, an API
    token, roles in an organization, a community and a sponsor, a failed sign-in and an admin
    history: everything erasure has to reach."""
    community = make_community()
    person = make_person(name=NAME, phone=PHONE, email=EMAIL, national_id=NATIONAL_ID, community_member=False)
    # the committee's note on their request to join names them (people/membership.py)
    membership_approve(
        actor=SYSTEM, membership_public_id=membership_current(person).public_id, note=f"ยินดีต้อนรับ{NAME}"
    )
    consent_give(person=person, purpose=ConsentPurpose.PUBLIC_DISPLAY, actor=person)
    record = {"actor": person, "performed_on": days_ago(3)}
    trees = deed_types["tree-planting"].public_id
    verified = deed_record(**record, deed_type_public_id=trees, quantity=5,
                           description=f"{NAME} ปลูกต้นมะม่วงหน้าวัด โทร {PHONE}")  # fmt: skip
    deed_verify(actor=verifier, deed_public_id=verified.public_id)
    lost = deed_types["returning-lost-property"].public_id
    rejected = deed_record(**record, deed_type_public_id=lost, description="คืนกระเป๋าเงินที่ตลาด")
    # A verifier's words stay in the audit log (append-only): they must not name the person.
    deed_reject(
        actor=verifier, deed_public_id=rejected.public_id, reason_code="other", reason="ขอรูปถ่ายหรือพยานเพิ่ม"
    )
    deed_record(**record, deed_type_public_id=trees, quantity=1, description=f"ส่งโดย {EMAIL}",
                submission_key="key-1")  # fmt: skip
    api_token_issue(login=PHONE, password=PASSWORD, label=f"มือถือของ{NAME}")
    membership_grant(
        actor=SYSTEM, organization=OrganizationFactory(), person=person, role=MembershipRole.ADMIN
    )
    community_admin_grant(actor=SYSTEM, community=community, person=person)
    sponsor_register(actor=SYSTEM, name_th="มูลนิธิทดลอง", name_en="Trial", kind="foundation", members=[person])
    AccessAttempt.objects.create(username=PHONE, ip_address="192.0.2.1", user_agent="phone",
                                 failures_since_start=1, get_data="", post_data="")  # fmt: skip
    LogEntry.objects.create(
        user=verifier, content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk),
        object_repr=str(person), action_flag=CHANGE, change_message="[]",
    )  # fmt: skip
    return User.objects.get(pk=person.pk)


def _needles(person) -> dict[str, str]:
    return {"name": NAME, "phone": PHONE, "e-mail": EMAIL, "national ID hash": national_id_hash(NATIONAL_ID)}


def _rows_holding(needles: dict[str, str]) -> list[str]:
    """Every text and JSON column of every model, searched for each needle."""
    found = []
    for model in apps.get_models():
        columns = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if not columns:
            continue
        for row in model.objects.values_list("pk", *[f.attname for f in columns]):
            for column, value in zip(columns, row[1:], strict=True):
                text = (
                    json.dumps(value, ensure_ascii=False)
                    if isinstance(column, models.JSONField)
                    else str(value)
                )
                found += [f"{model._meta.db_table}.{column.column} holds the {what}"
                          for what, needle in needles.items() if needle in text]  # fmt: skip
    return found


def _province_totals() -> dict[str, int]:
    verified = Deed.objects.filter(status="verified").values("province_code")
    return {row["province_code"]: row["total"] for row in verified.annotate(total=Sum("credit_awarded"))}


def _erasure_leaves_no_personal_data_and_the_ledger_whole(leaver):
    # Given: the scan finds the person everywhere they are
    needles = _needles(leaver)
    before = _rows_holding(needles)
    assert {"people_user.full_name holds the name", "deeds_deed.description holds the phone",
            "people_user.national_id_hash holds the national ID hash",
            "people_communitymembership.note holds the name"} <= set(before)  # fmt: skip
    totals, book = _province_totals(), passbook_get(person=leaver)
    deeds = list(Deed.objects.filter(person=leaver).order_by("id").values_list(
        "status", "credit_awarded", "points_awarded", "performed_on", "province_code", "subdistrict_code"
    ))  # fmt: skip

    # When: they erase their account
    request = person_erase(actor=leaver, person=leaver, password=PASSWORD)

    # Then: no row of any table holds their name, contacts or national-ID fingerprint
    assert _rows_holding(needles) == []
    person = User.objects.get(pk=leaver.pk)
    assert person.full_name == ERASED_NAME and not person.is_active and not person.has_usable_password()
    assert person.phone is None and person.email is None and person.national_id_hash is None
    assert person.username.startswith("erased-") and not person.groups.exists()
    # the ledger is untouched and verifiable, and what statistics count is unchanged
    out = StringIO()
    call_command("ledger_verify", "--workers", "1", stdout=out)
    assert "ledger OK" in out.getvalue()
    assert _province_totals() == totals
    after = passbook_get(person=person)
    assert (after.credit_total, after.points_total) == (book.credit_total, book.points_total)
    assert list(Deed.objects.filter(person=person).order_by("id").values_list(
        "status", "credit_awarded", "points_awarded", "performed_on", "province_code", "subdistrict_code"
    )) == deeds  # fmt: skip
    assert set(Deed.objects.filter(person=person).values_list("description", flat=True)) == {ERASED_TEXT}
    assert Deed.objects.get(person=person, status="rejected").rejection_reason == ERASED_TEXT
    # consents stay as the proof they were given, all withdrawn; roles and tokens are gone
    consents = Consent.objects.filter(person=person)
    assert consents.count() == 2 and not consents.filter(withdrawn_at__isnull=True).exists()
    assert not ApiToken.objects.filter(person=person).exists()
    assert not Membership.objects.filter(person=person).exists()
    assert not Community.objects.filter(admins=person).exists() and not person.sponsors.exists()
    assert person.community is None and not CommunityMembership.objects.filter(person=person).exists()
    assert not AccessAttempt.objects.exists()
    # the request is recorded as done, with one audit event that names no one
    assert request.status == "done" and request.kind == "erasure" and request.done_at is not None
    assert request.due_at - request.done_at == timedelta(days=30)  # PDPA: answered within 30 days
    event = AuditEvent.objects.get(event_type="person:erase")
    assert event.actor_id == person.pk and event.subject_id == str(person.public_id)
    assert event.data["erased"]["deeds"] == 3 and event.data["request"] == str(request.public_id)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)  # committed for real: deferred foreign keys are checked
def test_erasure_on_postgresql_leaves_no_personal_data_and_the_ledger_whole(postgres_only, leaver):
    _erasure_leaves_no_personal_data_and_the_ledger_whole(leaver)


@pytest.mark.django_db
def test_erasure_on_sqlite_leaves_no_personal_data_and_the_ledger_whole(leaver):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL run has its own test above")
    _erasure_leaves_no_personal_data_and_the_ledger_whole(leaver)


@pytest.mark.django_db
class TestRefusals:
    def test_only_the_person_can_erase_their_account(self, citizen, verifier):
        with pytest.raises(PermissionDenied):
            person_erase(actor=verifier, person=citizen, password=PASSWORD)
        with pytest.raises(PermissionDenied):
            person_erase(actor=SYSTEM, person=citizen, password=PASSWORD)
        assert User.objects.get(pk=citizen.pk).is_active
        assert not DataSubjectRequest.objects.exists()

    def test_a_wrong_password_is_refused_and_nothing_changes(self, citizen):
        for password in ("not-my-password", ""):
            with pytest.raises(ValidationFailed) as refused:
                person_erase(actor=citizen, person=citizen, password=password)
            assert "password" in refused.value.fields
        person = User.objects.get(pk=citizen.pk)
        assert person.is_active and person.full_name == citizen.full_name and person.phone == citizen.phone
        assert not DataSubjectRequest.objects.exists()
        assert not AuditEvent.objects.filter(event_type="person:erase").exists()

    def test_a_reason_is_a_fixed_choice_never_free_text(self, citizen):
        with pytest.raises(ValidationFailed):
            person_erase(actor=citizen, person=citizen, password=PASSWORD, reason="because of my neighbour")
        request = person_erase(actor=citizen, person=citizen, password=PASSWORD, reason="privacy")
        assert request.reason == "privacy"

    def test_erasing_twice_is_refused(self, citizen):
        person_erase(actor=citizen, person=citizen, password=PASSWORD)
        with pytest.raises(AlreadyErased):
            person_erase(actor=citizen, person=citizen, password=PASSWORD)
        person = User.objects.get(pk=citizen.pk)  # even holding a fresh copy of the row
        with pytest.raises(AlreadyErased):
            person_erase(actor=person, person=person, password=PASSWORD)
        assert DataSubjectRequest.objects.count() == 1
        assert AuditEvent.objects.filter(event_type="person:erase").count() == 1

    def test_a_new_person_may_sign_up_with_the_freed_phone(self, citizen):
        phone = citizen.phone
        person_erase(actor=citizen, person=citizen, password=PASSWORD)
        newcomer = make_person(name="คนใหม่ ใช้เบอร์เดิม", phone=phone)
        assert newcomer.pk != citizen.pk and newcomer.phone == phone


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_erasures_at_once_erase_once(postgres_only, citizen):
    from tests.concurrency import run_at_once

    def erase():
        person = User.objects.get(pk=citizen.pk)  # each thread its own copy, as two requests have
        person_erase(actor=person, person=person, password=PASSWORD)

    outcomes = run_at_once([erase, erase], expected={AlreadyErased: "already erased"})
    assert sorted(outcomes) == ["already erased", "ok"]
    assert DataSubjectRequest.objects.count() == 1
    assert AuditEvent.objects.filter(event_type="person:erase").count() == 1
