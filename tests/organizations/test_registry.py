"""The registry of organizations (issue 13): types as data, registration by a signed-in person,
staff's decision (approve, decline, ask for more) and the registrant's answer, documents, and
the public directory."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.models import AuditEvent
from kwamdee.common.roles import Role, role_grant
from kwamdee.organizations.choices import MembershipRole, OrganizationKind, OrganizationState
from kwamdee.organizations.errors import DocumentRefused, RegistrationNotWaiting, RegistrationNumberTaken
from kwamdee.organizations.models import Membership, Organization, OrganizationDocument, OrganizationType
from kwamdee.organizations.selectors import (
    organization_types,
    organizations_directory,
    organizations_verified_by,
    registrations_waiting,
)
from kwamdee.organizations.services import (
    organization_answer,
    organization_approve,
    organization_ask,
    organization_decline,
    organization_document_attach,
    organization_register,
)
from kwamdee.people.models import User
from tests.factories import SYSTEM, make_person
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name_th": "โรงเรียนบ้านหนองสาหร่าย",
    "name_en": "Ban Nong Sarai School",
    "type_code": OrganizationKind.SCHOOL,
    "area_code": "710911",
    "registration_number": "1071100001",
    "phone": "034-123-456",
    "email": "School@Example.org",
    "address": "หมู่ 3 ตำบลหนองสาหร่าย",
    "listed": True,
}


@pytest.fixture
def registrant(db):
    return make_person(name="ครูใหญ่ ใจดี", phone="0861111111")


@pytest.fixture
def staff(db):
    person = make_person(name="เจ้าหน้าที่ ศูนย์คุณธรรม", phone="0862222222")
    role_grant(actor=SYSTEM, person=person, role=Role.STAFF)
    return User.objects.get(pk=person.pk)


def register(actor, **changes):
    return organization_register(actor=actor, **{**VALID, **changes})


def test_the_default_types_are_data_and_the_existing_kinds_map_to_them():
    codes = [t.code for t in organization_types()]
    assert codes == [
        "government", "local_government", "state_enterprise", "business", "school", "religious", "media",
        "civil_society", "community", "hospital",
    ]  # fmt: skip
    assert set(codes) == set(OrganizationKind.values)
    organization = OrganizationFactory()  # staff create with a kind, as seed_demo does
    assert organization.kind == "local_government"
    assert organization.organization_type.name_th == "องค์กรปกครองส่วนท้องถิ่น"
    assert organization.state == OrganizationState.APPROVED


def test_a_retired_type_cannot_be_chosen(registrant):
    OrganizationType.objects.filter(code="media").update(active=False)
    with pytest.raises(ValidationFailed) as exc:
        register(registrant, type_code="media")
    assert "type" in exc.value.fields


def test_a_person_registers_an_organization_and_becomes_its_admin_waiting_for_staff(registrant):
    organization = register(registrant)
    assert organization.state == OrganizationState.PENDING
    assert organization.phone == "034123456" and organization.email == "school@example.org"
    assert organization.province_code == "71" and organization.registered_by == registrant
    assert Membership.objects.filter(
        organization=organization, person=registrant, role=MembershipRole.ADMIN
    ).exists()
    # Waiting, its admin verifies nothing and holds no organization-admin role yet.
    assert organizations_verified_by(registrant) == []
    assert not User.objects.get(pk=registrant.pk).has_perm("organizations.manage_organization")
    assert list(registrations_waiting()) == [organization]
    event = AuditEvent.objects.get(event_type="organization:register")
    assert event.data == {"type": "school", "area_code": "710911", "listed": True}


def test_bad_input_is_reported_all_at_once_in_thai_and_nothing_is_written(registrant):
    before = (Organization.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        register(registrant, name_th=" ", type_code="bank", area_code="00", phone="12", email="no-at")
    assert set(exc.value.fields) == {"name_th", "type", "area_code", "phone", "email"}
    assert "จังหวัด" in str(exc.value.fields["area_code"][0])  # Thai, the default language
    with translation.override("en"):
        assert str(exc.value.fields["type"][0]) == "Choose the type of organization."
    with pytest.raises(ValidationFailed) as exc:
        register(registrant, phone="", email="")
    assert "phone" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        register(registrant, name_th="ชื่อ\u202eซ่อน")  # a bidirectional override
    assert "name_th" in exc.value.fields
    assert (Organization.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before


def test_a_registration_number_is_unique_within_its_type_only(registrant):
    register(registrant)
    with pytest.raises(RegistrationNumberTaken) as exc:
        register(registrant, name_th="อีกโรงเรียน")
    assert "registration_number" in exc.value.fields
    register(registrant, name_th="บริษัท", type_code="business")  # the same number, another type
    register(registrant, name_th="ไม่มีเลข", registration_number="")
    register(registrant, name_th="ไม่มีเลขเช่นกัน", registration_number="")
    assert Organization.objects.filter(registered_by=registrant).count() == 4


def test_only_a_signed_in_person_with_a_proven_contact_registers(db):
    with pytest.raises(PermissionDenied):
        register(SYSTEM)
    unproven = make_person(phone="0863333333", contact_proven=False)
    with pytest.raises(PermissionDenied):
        register(unproven)


def test_only_staff_decide_and_each_decision_is_one_audit_event(registrant, staff):
    organization = register(registrant)
    for someone in (registrant, make_person(phone="0864444444")):
        with pytest.raises(PermissionDenied):
            organization_approve(actor=someone, organization=organization)
    organization = organization_approve(actor=staff, organization=organization, note="ยินดีต้อนรับ")
    assert organization.state == OrganizationState.APPROVED and organization.decided_by == staff
    assert AuditEvent.objects.filter(event_type="organization:approve").count() == 1
    # Approved, its admin acts for it.
    admin = User.objects.get(pk=registrant.pk)
    assert admin.has_perm("organizations.manage_organization")
    assert organizations_verified_by(admin) == [organization]
    with pytest.raises(RegistrationNotWaiting):
        organization_decline(actor=staff, organization=organization, note="เปลี่ยนใจ")


def test_staff_decline_with_a_note(registrant, staff):
    organization = register(registrant)
    with pytest.raises(ValidationFailed) as exc:
        organization_decline(actor=staff, organization=organization, note="  ")
    assert "note" in exc.value.fields
    organization = organization_decline(actor=staff, organization=organization, note="ไม่พบหน่วยงานนี้")
    assert organization.state == OrganizationState.DECLINED
    assert organization.decision_note == "ไม่พบหน่วยงานนี้"
    event = AuditEvent.objects.get(event_type="organization:decline")
    assert event.data == {"note_length": len("ไม่พบหน่วยงานนี้")}  # not the words


def test_staff_ask_for_more_and_the_registrant_answers_back_to_pending(registrant, staff):
    organization = register(registrant)
    organization = organization_ask(actor=staff, organization=organization, note="ขอสำเนาหนังสือจัดตั้ง")
    assert organization.state == OrganizationState.MORE_INFO_ASKED
    assert list(registrations_waiting()) == []
    stranger = make_person(phone="0865555555")
    with pytest.raises(NotFound):
        organization_answer(actor=stranger, organization=organization, answer="แนบแล้ว")
    organization = organization_answer(actor=registrant, organization=organization, answer="แนบเอกสารแล้ว")
    assert organization.state == OrganizationState.PENDING and organization.answer == "แนบเอกสารแล้ว"
    with pytest.raises(RegistrationNotWaiting):
        organization_answer(actor=registrant, organization=organization, answer="อีกครั้ง")
    assert list(registrations_waiting()) == [organization]
    assert AuditEvent.objects.filter(event_type__in=["organization:ask", "organization:answer"]).count() == 2


def _photo_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_documents_are_checked_and_cleaned_like_evidence(registrant, staff, settings):
    organization = register(registrant)
    pdf = SimpleUploadedFile("หนังสือจัดตั้ง.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    document = organization_document_attach(
        actor=registrant, organization=organization, upload=pdf, title="หนังสือจัดตั้ง"
    )
    assert document.content_type == "application/pdf" and document.file.name.endswith(".pdf")
    assert "หนังสือ" not in document.file.name  # a random name
    photo = SimpleUploadedFile("card.jpg", _photo_with_exif())
    cleaned = organization_document_attach(
        actor=registrant, organization=organization, upload=photo, title="ใบ"
    )
    assert cleaned.content_type == "image/jpeg"
    assert b"SecretCameraMaker" not in cleaned.file.read()
    with pytest.raises(DocumentRefused):
        organization_document_attach(
            actor=registrant, organization=organization,
            upload=SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>"), title="ปลอม",
        )  # fmt: skip
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(DocumentRefused):
        organization_document_attach(actor=registrant, organization=organization, upload=pdf, title="ใหญ่")
    with pytest.raises(NotFound):
        organization_document_attach(
            actor=make_person(phone="0866666666"), organization=organization, upload=pdf, title="ไม่ใช่"
        )
    assert OrganizationDocument.objects.count() == 2
    assert AuditEvent.objects.filter(event_type="organization:document_attach").count() == 2
    for stored in OrganizationDocument.objects.all():
        stored.file.delete(save=False)


def test_the_directory_lists_only_approved_and_listed_organizations(registrant, staff):
    listed = organization_approve(actor=staff, organization=register(registrant))
    unlisted = organization_approve(
        actor=staff,
        organization=register(registrant, name_th="ไม่แสดง", registration_number="2", listed=False),
    )
    register(registrant, name_th="รอ", registration_number="3")  # pending
    declined = register(registrant, name_th="ไม่ผ่าน", registration_number="4")
    organization_decline(actor=staff, organization=declined, note="ไม่ผ่าน")
    bangkok = organization_approve(
        actor=staff,
        organization=register(registrant, name_th="โรงพยาบาล", type_code="hospital", area_code="1001",
                              registration_number="5"),
    )  # fmt: skip
    assert list(organizations_directory()) == [bangkok, listed]  # by Thai name
    assert list(organizations_directory(type_code="school")) == [listed]
    assert list(organizations_directory(province_code="10")) == [bangkok]
    assert list(organizations_directory(type_code="school", province_code="10")) == []
    assert unlisted not in organizations_directory()


@pytest.mark.django_db
def test_the_default_types_are_made_again_where_a_flush_removed_them():
    from kwamdee.organizations.models import OrganizationType
    from kwamdee.organizations.services import organization_types_default_load

    OrganizationType.objects.filter(organizations__isnull=True).delete()
    kept = OrganizationType.objects.count()

    made = organization_types_default_load(actor=SYSTEM)

    assert made == 10 - kept and OrganizationType.objects.count() == 10
    assert organization_types_default_load(actor=SYSTEM) == 0  # once
