"""The registry's API (issue 13, organizations/api.py): types, registering, my organizations, one
organization, documents (multipart), staff's decisions and the answer, invitations and links."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kwamdee.common.roles import Role, role_grant
from kwamdee.organizations.choices import OrganizationKind
from kwamdee.organizations.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationDocument,
    OrganizationLink,
)
from kwamdee.organizations.services import organization_types_default_load
from tests.api.test_api import get, post, token_for
from tests.evidence.helpers import pdf, png
from tests.factories import SYSTEM, make_person
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
ORGS = "/api/v1/organizations"
BODY = {
    "name_th": "โรงเรียนบ้านหนองสาหร่าย",
    "type": OrganizationKind.SCHOOL,
    "area_code": "710911",
    "registration_number": "1071100001",
    "phone": "034123456",
    "listed": True,
}


@pytest.fixture(autouse=True)
def _types(db):
    organization_types_default_load(actor=SYSTEM)


@pytest.fixture
def registrant(client):
    person = make_person(name="ครูใหญ่ ใจดี", phone="0861111111")
    return person, token_for(client, person.phone)


@pytest.fixture
def staff_token(client):
    person = make_person(name="เจ้าหน้าที่", phone="0862222222")
    role_grant(actor=SYSTEM, person=person, role=Role.STAFF)
    return token_for(client, person.phone)


def _auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _register(client, token, **extra):
    return post(client, f"{ORGS}/register", {**BODY, **extra}, token)


def test_types_are_listed(client, registrant):
    codes = [t["code"] for t in get(client, f"{ORGS}/types", registrant[1]).json()]
    assert OrganizationKind.SCHOOL in codes and len(codes) == 10


def test_register_then_mine_and_one(client, registrant):
    _person, token = registrant
    answer = _register(client, token)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["state"] == "pending" and body["type"] == "school" and body["area_code"] == "710911"
    mine = get(client, f"{ORGS}/mine", token).json()
    assert [o["public_id"] for o in mine] == [body["public_id"]]
    assert get(client, f"{ORGS}/{body['public_id']}", token).status_code == 200


def test_every_problem_at_once(client, registrant):
    answer = _register(client, registrant[1], name_th="", type="nonsense", area_code="99", phone="1")
    assert answer.status_code == 400
    assert answer.json()["fields"].keys() >= {"name_th", "type", "area_code", "phone"}
    assert not Organization.objects.exists()


def test_the_same_number_is_refused(client, registrant):
    _register(client, registrant[1])
    answer = _register(client, registrant[1], name_th="อีกแห่ง")
    assert answer.status_code == 400 and answer.json()["code"] == "registration_number_taken"


def test_documents_upload_as_multipart(client, registrant):
    public_id = _register(client, registrant[1]).json()["public_id"]
    url = f"{ORGS}/{public_id}/documents"
    answer = client.post(url, {"title": "หนังสือรับรอง", "file": png()}, **_auth(registrant[1]))
    assert answer.status_code == 201, answer.content
    assert answer.json()["content_type"] == "image/jpeg"
    bad = SimpleUploadedFile("a.pdf", b"MZ\x90\x00", content_type="application/pdf")
    answer = client.post(url, {"title": "x", "file": bad}, **_auth(registrant[1]))
    assert answer.status_code == 400 and answer.json()["code"] == "document_refused"
    assert OrganizationDocument.objects.count() == 1
    assert len(get(client, f"{ORGS}/{public_id}", registrant[1]).json()["documents"]) == 1


def test_another_person_gets_404(client, registrant):
    public_id = _register(client, registrant[1]).json()["public_id"]
    other = make_person(name="คนอื่น", phone="0863333333")
    token = token_for(client, other.phone)
    assert get(client, f"{ORGS}/{public_id}", token).status_code == 404
    assert post(client, f"{ORGS}/{public_id}/answer", {"answer": "x"}, token).status_code == 404
    answer = client.post(f"{ORGS}/{public_id}/documents", {"title": "x", "file": pdf()}, **_auth(token))
    assert answer.status_code == 404
    assert get(client, f"{ORGS}/{public_id}/invitations", token).status_code == 404


def test_staff_ask_the_admin_answers_staff_approve(client, registrant, staff_token):
    public_id = _register(client, registrant[1]).json()["public_id"]
    # Not staff: 403
    assert get(client, f"{ORGS}/registrations/waiting", registrant[1]).status_code == 403
    assert post(client, f"{ORGS}/{public_id}/approve", {}, registrant[1]).status_code == 403
    waiting = get(client, f"{ORGS}/registrations/waiting", staff_token).json()
    assert [o["public_id"] for o in waiting] == [public_id]
    # A question needs a note
    assert post(client, f"{ORGS}/{public_id}/ask", {"note": ""}, staff_token).status_code == 400
    asked = post(client, f"{ORGS}/{public_id}/ask", {"note": "ขอเอกสาร"}, staff_token)
    assert asked.json()["state"] == "more_info_asked"
    answered = post(client, f"{ORGS}/{public_id}/answer", {"answer": "ส่งแล้ว"}, registrant[1])
    assert answered.status_code == 200 and answered.json()["state"] == "pending"
    approved = post(client, f"{ORGS}/{public_id}/approve", {}, staff_token)
    assert approved.json()["state"] == "approved"
    assert post(client, f"{ORGS}/{public_id}/decline", {"note": "x"}, staff_token).status_code == 409


def test_staff_decline_with_a_note(client, registrant, staff_token):
    public_id = _register(client, registrant[1]).json()["public_id"]
    assert post(client, f"{ORGS}/{public_id}/decline", {}, staff_token).status_code == 400
    declined = post(client, f"{ORGS}/{public_id}/decline", {"note": "ไม่พบข้อมูล"}, staff_token)
    assert declined.status_code == 200 and declined.json()["state"] == "declined"


def test_invitations_by_api(client, registrant, staff_token):
    person, token = registrant
    public_id = _register(client, token).json()["public_id"]
    # Before approval: refused
    assert post(
        client, f"{ORGS}/{public_id}/invitations", {"login": "0864444444", "role": "verifier"}, token
    ).status_code in (403, 409)
    post(client, f"{ORGS}/{public_id}/approve", {}, staff_token)
    token = token_for(client, person.phone)  # the admin role group came with the approval
    sent = post(client, f"{ORGS}/{public_id}/invitations", {"login": "0864444444", "role": "verifier"}, token)
    assert sent.status_code == 201, sent.content
    assert [i["login"] for i in get(client, f"{ORGS}/{public_id}/invitations", token).json()] == [
        "0864444444"
    ]
    invitee = make_person(name="ผู้ตรวจสอบ", phone="0864444444")
    other_token = token_for(client, make_person(name="คนอื่น", phone="0863333333").phone)
    invitation_id = sent.json()["public_id"]
    assert post(client, f"{ORGS}/invitations/{invitation_id}/accept", {}, other_token).status_code == 404
    invitee_token = token_for(client, invitee.phone)
    mine = get(client, f"{ORGS}/invitations/mine", invitee_token).json()
    assert [i["public_id"] for i in mine] == [invitation_id]
    accepted = post(client, f"{ORGS}/invitations/{invitation_id}/accept", {}, invitee_token)
    assert accepted.status_code == 200 and accepted.json()["role"] == "verifier"
    assert Membership.objects.filter(person=invitee, role="verifier").exists()
    assert post(client, f"{ORGS}/invitations/{invitation_id}/decline", {}, invitee_token).status_code == 404


def test_decline_an_invitation(client):
    organization = OrganizationFactory()
    invitation = Invitation.objects.create(organization=organization, login="0864444444", role="assessor")
    token = token_for(client, make_person(name="ผู้ประเมิน", phone="0864444444").phone)
    answer = post(client, f"{ORGS}/invitations/{invitation.public_id}/decline", {}, token)
    assert answer.status_code == 200 and answer.json()["state"] == "declined"


def test_links_by_api(client):
    organization = OrganizationFactory(name_th="บริษัท ความดี จำกัด")
    person = make_person(name="พนักงาน", phone="0865555555")
    token = token_for(client, person.phone)
    url = f"{ORGS}/{organization.public_id}/link"
    refused = post(client, url, {"relation": "employee"}, token)
    assert refused.status_code == 400 and refused.json()["code"] == "link_consent_required"
    linked = post(client, url, {"relation": "employee", "consent": True}, token)
    assert linked.status_code == 201
    assert post(client, url, {"relation": "employee", "consent": True}, token).status_code == 409
    assert [row["organization"] for row in get(client, f"{ORGS}/links/mine", token).json()] == [
        str(organization.public_id)
    ]
    ended = client.delete(url, **_auth(token))
    assert ended.status_code == 200 and ended.json()["unlinked_at"]
    assert client.delete(url, **_auth(token)).status_code == 404
    assert not OrganizationLink.objects.filter(unlinked_at__isnull=True).exists()


def test_a_waiting_organization_cannot_be_linked(client, registrant):
    public_id = _register(client, registrant[1]).json()["public_id"]
    token = token_for(client, make_person(name="คนอื่น", phone="0863333333").phone)
    answer = post(client, f"{ORGS}/{public_id}/link", {"relation": "member", "consent": True}, token)
    assert answer.status_code == 404
