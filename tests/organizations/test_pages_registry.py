"""The registry's pages (issue 13, views_registry.py): registering an organization with its
documents, staff's queue and decisions, the admins' answer and documents, invitations, and people
linking themselves to an organization."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kwamdee.common.models import AuditEvent
from kwamdee.common.roles import Role, role_grant
from kwamdee.organizations.choices import MembershipRole, OrganizationKind, OrganizationState
from kwamdee.organizations.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationDocument,
    OrganizationLink,
)
from kwamdee.organizations.services import (
    invitation_create,
    organization_ask,
    organization_register,
    organization_types_default_load,
)
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.models import User
from kwamdee.people.selectors import consent_active
from tests.evidence.helpers import pdf, png
from tests.factories import SYSTEM, make_person
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

FORM = {
    "type": OrganizationKind.SCHOOL,
    "name_th": "โรงเรียนบ้านหนองสาหร่าย",
    "name_en": "Ban Nong Sarai School",
    "province": "71",
    "district": "7109",
    "subdistrict_code": "710911",
    "registration_number": "1071100001",
    "phone": "034123456",
    "email": "school@example.org",
    "address": "หมู่ 3",
    "listed": "on",
    "documents_title": "หนังสือรับรอง",
}


@pytest.fixture(autouse=True)
def _types(db):
    organization_types_default_load(actor=SYSTEM)


@pytest.fixture
def registrant(db):
    return make_person(name="ครูใหญ่ ใจดี", phone="0861111111")


@pytest.fixture
def staff(db):
    person = make_person(name="เจ้าหน้าที่ ศูนย์คุณธรรม", phone="0862222222")
    role_grant(actor=SYSTEM, person=person, role=Role.STAFF)
    return User.objects.get(pk=person.pk)


def _registered(person, name="วัดหนองสาหร่าย"):
    return organization_register(
        actor=person, name_th=name, type_code=OrganizationKind.RELIGIOUS, area_code="7109", phone="034123457"
    )


# --- registering --------------------------------------------------------------------------------


def test_the_register_page_shows_the_area_picker_and_the_types(client, registrant):
    client.force_login(registrant)
    response = client.get(reverse("organizations:register"))
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        'name="province"' in body and 'name="documents"' in body and 'enctype="multipart/form-data"' in body
    )
    assert 'value="school"' in body


def test_registering_with_a_png_and_a_pdf_keeps_both_documents(client, registrant):
    # Given a signed-in person with the form filled and two files
    client.force_login(registrant)
    # When they register
    response = client.post(reverse("organizations:register"), {**FORM, "documents": [png(), pdf()]})
    # Then the organization waits for staff, they are its admin, and both documents are kept
    organization = Organization.objects.get(name_th=FORM["name_th"])
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:organization", args=[organization.public_id])
    assert organization.state == OrganizationState.PENDING
    assert organization.scope_area_code == "710911" and organization.listed
    assert Membership.objects.filter(organization=organization, person=registrant, role="admin").exists()
    kinds = sorted(d.content_type for d in OrganizationDocument.objects.filter(organization=organization))
    assert kinds == ["application/pdf", "image/jpeg"]
    page = client.get(response["Location"])
    assert "หนังสือรับรอง" in page.content.decode()


def test_a_district_alone_is_the_area(client, registrant):
    client.force_login(registrant)
    client.post(reverse("organizations:register"), {**FORM, "subdistrict_code": "", "documents": [pdf()]})
    assert Organization.objects.get(name_th=FORM["name_th"]).scope_area_code == "7109"


def test_a_bad_file_is_refused_with_every_problem_and_nothing_written(client, registrant):
    client.force_login(registrant)
    bad = SimpleUploadedFile("letter.pdf", b"<?php echo 1; ?>", content_type="application/pdf")
    # When the file is not a PDF or a photo, and the phone is also wrong
    response = client.post(
        reverse("organizations:register"),
        {**FORM, "phone": "12", "documents": [png(), bad]},
        HTTP_ACCEPT_LANGUAGE="th",
    )
    # Then the form comes back with both problems, what was typed kept, and nothing written
    assert response.status_code == 200
    body = response.content.decode()
    assert "ไม่ใช่เอกสาร PDF" in body or "not a PDF" in body
    assert 'name="phone"' in body and FORM["name_th"] in body
    assert response.context["form"].errors.keys() >= {"documents", "phone"}
    assert not Organization.objects.exists()
    assert not OrganizationDocument.objects.exists()
    assert not AuditEvent.objects.filter(event_type="organization:register").exists()


def test_a_document_is_needed(client, registrant):
    client.force_login(registrant)
    response = client.post(reverse("organizations:register"), FORM)
    assert response.status_code == 200 and "documents" in response.context["form"].errors
    assert not Organization.objects.exists()


# --- my organizations, answer, documents ----------------------------------------------------------


def test_my_organizations_shows_the_state_and_staffs_question(client, registrant):
    organization = _registered(registrant)
    organization_ask(actor=SYSTEM, organization=organization, note="ขอสำเนาหนังสือจัดตั้ง")
    client.force_login(registrant)
    body = client.get(reverse("organizations:mine")).content.decode()
    assert "วัดหนองสาหร่าย" in body and "ขอสำเนาหนังสือจัดตั้ง" in body


def test_an_admin_answers_staff_and_adds_a_document(client, registrant):
    organization = _registered(registrant)
    organization_ask(actor=SYSTEM, organization=organization, note="ขอเอกสารเพิ่ม")
    client.force_login(registrant)
    page = client.get(reverse("organizations:organization", args=[organization.public_id]))
    assert 'name="answer"' in page.content.decode()
    # A bad file: refused, nothing kept
    bad = SimpleUploadedFile("x.png", b"not a picture", content_type="image/png")
    response = client.post(
        reverse("organizations:document_add", args=[organization.public_id]),
        {"title": "ใบอนุญาต", "document": bad},
    )
    assert response.status_code == 400 and not OrganizationDocument.objects.exists()
    response = client.post(
        reverse("organizations:document_add", args=[organization.public_id]),
        {"title": "ใบอนุญาต", "document": pdf()},
    )
    assert response.status_code == 302 and OrganizationDocument.objects.count() == 1
    response = client.post(
        reverse("organizations:answer", args=[organization.public_id]), {"answer": "ส่งแล้วครับ"}
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.state == OrganizationState.PENDING and organization.answer == "ส่งแล้วครับ"


def test_an_empty_answer_is_refused(client, registrant):
    organization = _registered(registrant)
    organization_ask(actor=SYSTEM, organization=organization, note="ขอเอกสารเพิ่ม")
    client.force_login(registrant)
    response = client.post(reverse("organizations:answer", args=[organization.public_id]), {"answer": ""})
    assert response.status_code == 400
    organization.refresh_from_db()
    assert organization.state == OrganizationState.MORE_INFO_ASKED


def test_another_persons_organization_answers_404(client, registrant):
    organization = _registered(registrant)
    other = make_person(name="คนอื่น", phone="0863333333")
    client.force_login(other)
    for name in ("organization",):
        assert client.get(reverse(f"organizations:{name}", args=[organization.public_id])).status_code == 404
    assert (
        client.post(
            reverse("organizations:answer", args=[organization.public_id]), {"answer": "x"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("organizations:document_add", args=[organization.public_id]),
            {"title": "x", "document": pdf()},
        ).status_code
        == 404
    )
    assert not OrganizationDocument.objects.exists()


def test_a_document_downloads_only_to_admins_and_staff(client, registrant, staff):
    client.force_login(registrant)
    client.post(reverse("organizations:register"), {**FORM, "documents": [pdf()]})
    document = OrganizationDocument.objects.get()
    url = reverse("organizations:document", args=[document.organization.public_id, document.public_id])
    for person in (registrant, staff):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(make_person(name="คนอื่น", phone="0863333333"))
    assert client.get(url).status_code == 404


# --- staff's queue ----------------------------------------------------------------------------------


def test_the_queue_is_for_staff_and_says_what_approval_means(client, registrant, staff):
    _registered(registrant)
    client.force_login(registrant)
    assert client.get(reverse("organizations:registrations")).status_code == 403
    client.force_login(staff)
    client.cookies["django_language"] = "en"  # the site is in Thai unless one asks for English
    body = client.get(reverse("organizations:registrations")).content.decode()
    assert "วัดหนองสาหร่าย" in body
    assert "verifiers can verify deeds anywhere in its area" in body


@pytest.mark.parametrize(
    ("decision", "note", "state"),
    [
        ("approve", "", OrganizationState.APPROVED),
        ("decline", "ไม่พบข้อมูล", OrganizationState.DECLINED),
        ("ask", "ขอเอกสาร", OrganizationState.MORE_INFO_ASKED),
    ],
)
def test_staff_decide(client, registrant, staff, decision, note, state):
    organization = _registered(registrant)
    client.force_login(staff)
    prefix = str(organization.public_id)
    response = client.post(
        reverse("organizations:registration_decide", args=[organization.public_id]),
        {"decision": decision, f"{prefix}-note": note},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.state == state and organization.decision_note == note


@pytest.mark.parametrize("decision", ["decline", "ask"])
def test_a_decline_or_a_question_needs_a_note(client, registrant, staff, decision):
    organization = _registered(registrant)
    client.force_login(staff)
    response = client.post(
        reverse("organizations:registration_decide", args=[organization.public_id]), {"decision": decision}
    )
    assert response.status_code == 400
    organization.refresh_from_db()
    assert organization.state == OrganizationState.PENDING


def test_someone_who_is_not_staff_cannot_decide(client, registrant):
    organization = _registered(registrant)
    client.force_login(registrant)
    response = client.post(
        reverse("organizations:registration_decide", args=[organization.public_id]), {"decision": "approve"}
    )
    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.state == OrganizationState.PENDING


# --- invitations ------------------------------------------------------------------------------------


@pytest.fixture
def approved(registrant, staff):
    from kwamdee.organizations.services import organization_approve

    organization = organization_approve(actor=staff, organization=_registered(registrant))
    return organization, User.objects.get(pk=registrant.pk)


def test_an_admin_invites_and_the_invitee_accepts(client, approved):
    organization, admin = approved
    invitee = make_person(name="ผู้ตรวจสอบ ใหม่", phone="0864444444")
    client.force_login(admin)
    response = client.post(
        reverse("organizations:invite", args=[organization.public_id]),
        {"login": "0864444444", "role": "verifier"},
    )
    assert response.status_code == 302
    page = client.get(reverse("organizations:organization", args=[organization.public_id])).content.decode()
    assert "0864444444" in page
    client.force_login(invitee)
    assert "วัดหนองสาหร่าย" in client.get(reverse("organizations:mine")).content.decode()
    invitation = Invitation.objects.get()
    assert "วัดหนองสาหร่าย" in client.get(reverse("organizations:invitations")).content.decode()
    response = client.post(reverse("organizations:invitation_accept", args=[invitation.public_id]))
    assert response.status_code == 302
    assert Membership.objects.filter(
        organization=organization, person=invitee, role=MembershipRole.VERIFIER
    ).exists()


def test_an_invitee_declines_and_another_person_gets_404(client, approved):
    organization, admin = approved
    invitation = invitation_create(
        actor=admin, organization=organization, login="0864444444", role="assessor"
    )
    client.force_login(make_person(name="คนอื่น", phone="0863333333"))
    assert (
        client.post(reverse("organizations:invitation_accept", args=[invitation.public_id])).status_code
        == 404
    )
    client.force_login(make_person(name="ผู้ประเมิน", phone="0864444444"))
    response = client.post(reverse("organizations:invitation_decline", args=[invitation.public_id]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == "declined" and not Membership.objects.filter(role="assessor").exists()


def test_a_bad_address_is_refused(client, approved):
    organization, admin = approved
    client.force_login(admin)
    response = client.post(
        reverse("organizations:invite", args=[organization.public_id]), {"login": "12", "role": "verifier"}
    )
    assert response.status_code == 400 and not Invitation.objects.exists()


def test_no_invitation_before_approval(client, registrant):
    organization = _registered(registrant)
    client.force_login(registrant)
    body = client.get(reverse("organizations:organization", args=[organization.public_id])).content.decode()
    assert 'name="login"' not in body
    response = client.post(
        reverse("organizations:invite", args=[organization.public_id]),
        {"login": "0864444444", "role": "verifier"},
    )
    assert response.status_code == 400 and not Invitation.objects.exists()


# --- links --------------------------------------------------------------------------------------------


def test_a_person_finds_links_and_unlinks(client):
    organization = OrganizationFactory(name_th="บริษัท ความดี จำกัด", listed=True)
    person = make_person(name="พนักงาน ดีใจ", phone="0865555555")
    client.force_login(person)
    found = client.get(reverse("organizations:links"), {"q": "ความดี", "province": "71"})
    assert "บริษัท ความดี จำกัด" in found.content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("organizations:link", args=[organization.public_id]))
    assert "never sees your own deeds or your credit" in page.content.decode()
    # Without the box ticked: refused, nothing written
    response = client.post(
        reverse("organizations:link", args=[organization.public_id]), {"relation": "employee"}
    )
    assert response.status_code == 400 and not OrganizationLink.objects.exists()
    response = client.post(
        reverse("organizations:link", args=[organization.public_id]),
        {"relation": "employee", "consent": "on"},
    )
    assert response.status_code == 302
    assert OrganizationLink.objects.filter(person=person, unlinked_at__isnull=True).exists()
    assert consent_active(person=person, purpose=ConsentPurpose.ORGANIZATION_FIGURES) is not None
    response = client.post(reverse("organizations:unlink", args=[organization.public_id]))
    assert response.status_code == 302
    assert not OrganizationLink.objects.filter(unlinked_at__isnull=True).exists()
    assert client.post(reverse("organizations:unlink", args=[organization.public_id])).status_code == 404


def test_a_waiting_organization_cannot_be_linked(client, registrant):
    organization = _registered(registrant)
    client.force_login(make_person(name="คนอื่น", phone="0863333333"))
    assert client.get(reverse("organizations:link", args=[organization.public_id])).status_code == 404


# --- notifications and activities -------------------------------------------------------------------


def test_staffs_decisions_are_told_to_the_admins(registrant, staff):
    from kwamdee.notifications.models import Notification
    from kwamdee.notifications.texts import notification_text
    from kwamdee.organizations.services import organization_approve

    organization = _registered(registrant)
    organization_ask(actor=staff, organization=organization, note="ขอเอกสาร")
    organization_approve(actor=staff, organization=organization)
    kinds = list(Notification.objects.filter(person=registrant).order_by("id").values_list("kind", flat=True))
    assert kinds == ["organization_questioned", "organization_approved"]
    notice = Notification.objects.filter(person=registrant).first()
    assert "วัดหนองสาหร่าย" in notification_text(notice.kind, notice.params).title
    assert notice.link == reverse("organizations:organization", args=[organization.public_id])


def test_a_decision_of_the_system_tells_nobody(registrant):
    from kwamdee.notifications.models import Notification

    organization_ask(actor=SYSTEM, organization=_registered(registrant), note="ขอเอกสาร")
    assert not Notification.objects.exists()


def test_an_invitation_is_told_to_the_person_with_that_login_only(approved):
    from kwamdee.notifications.models import Notification

    organization, admin = approved
    invitee = make_person(name="ผู้จัดกิจกรรม", phone="0864444444")
    invitation_create(actor=admin, organization=organization, login="0864444444", role="activity_organizer")
    invitation_create(actor=admin, organization=organization, login="0869999999", role="verifier")  # nobody
    rows = list(Notification.objects.filter(kind="organization_invited"))
    assert [n.person_id for n in rows] == [invitee.pk]
    assert rows[0].link == reverse("organizations:mine")


def test_an_activity_organizer_may_run_the_organizations_activities(client, approved):
    from kwamdee.activities.selectors import organizer_options
    from kwamdee.organizations.services import invitation_accept

    organization, admin = approved
    organizer = make_person(name="ผู้จัดกิจกรรม", phone="0864444444")
    invitation = invitation_create(
        actor=admin, organization=organization, login="0864444444", role="activity_organizer"
    )
    assert organizer_options(organizer) == []
    invitation_accept(actor=organizer, invitation_id=invitation.public_id)
    assert [o.organization.pk for o in organizer_options(organizer)] == [organization.pk]
