"""The authorization matrix's rows for the registry of organizations' pages and API operations
(issue 13, kwamdee/organizations/views_registry.py and api.py), and the objects they name, made
on top of seed_demo's data. See test_authorization_matrix.py for what a row says.

The demo's อบต. is approved; the organization_admin role is its admin. An organization's page,
documents and invitations are its admins' and staff's (who decide registrations): to anyone else
404. Staff's queue and decisions: 403 to anyone but staff. An invitation is for whoever signs in
with its address (here the citizen role's phone): to anyone else 404. Anyone signed in registers
an organization and links themself to an approved one."""

from kwamdee.organizations.choices import OrganizationState
from kwamdee.organizations.models import Organization, OrganizationDocument
from kwamdee.organizations.services import (
    invitation_create,
    organization_approve,
    organization_ask,
    organization_document_attach,
    organization_link,
    organization_register,
)
from kwamdee.people.models import User
from tests.evidence.helpers import pdf, png
from tests.factories import SYSTEM, make_person
from tests.security.matrix_rows import API_SIGNED_IN, SIGNED_IN_OK, A, Row, only

CITIZEN = "0810000002"
ADMIN = "organization_admin"
STAFF_OR_ADMIN = ["staff", ADMIN]


def _state(key: str, state: str):
    return lambda data: Organization.objects.get(public_id=data[key]).state == state


def _register_body(data, role):
    return {
        "type": "community",
        "name_th": f"กลุ่มทดสอบสิทธิ์ {role}",
        "province": "71",
        "district": "7109",
        "subdistrict_code": "710911",
        "phone": "034123456",
        "documents_title": "หนังสือรับรอง",
        "documents": [png()],
    }


def _document_body(data, role):
    return {"title": "เอกสารเพิ่ม", "document": pdf()}


def _api_document_body(data, role):
    return {"title": "เอกสารเพิ่ม", "file": pdf()}


WEB: list[Row] = [
    Row("GET", "/organizations/register/", SIGNED_IN_OK),
    Row("POST", "/organizations/register/", SIGNED_IN_OK, body=_register_body),
    Row("GET", "/organizations/mine/", SIGNED_IN_OK),
    Row("GET", "/organizations/invitations/", SIGNED_IN_OK),
    Row("GET", "/organizations/links/", SIGNED_IN_OK),
    Row("GET", "/organizations/links/?q=%E0%B8%AD%E0%B8%9A%E0%B8%95&province=71", SIGNED_IN_OK),
    # One organization: its admins' and staff's.
    Row("GET", "/organizations/{org_demo}/", only(STAFF_OR_ADMIN, 200, others=404)),
    Row("GET", "/organizations/{org_pending}/", only("staff", 200, others=404)),
    Row("GET", "/organizations/{org_asked_web}/", only(["staff", "citizen"], 200, others=404)),
    Row(
        "POST",
        "/organizations/{org_asked_web}/answer/",
        only("citizen", "done", others=404),
        body={"answer": "ส่งเอกสารแล้ว"},
        effect=_state("org_asked_web", OrganizationState.PENDING),
    ),
    Row(
        "POST",
        "/organizations/{org_asked_web}/documents/",
        only(["staff", "citizen"], "ok", others=404),
        body=_document_body,
    ),
    Row(
        "POST",
        "/organizations/{org_pending}/documents/",
        only("staff", "ok", others=404),
        body=_document_body,
    ),
    Row(
        "GET",
        "/organizations/{org_asked_web}/documents/{org_document}/",
        only(["staff", "citizen"], 200, others=404),
    ),
    Row(
        "POST",
        "/organizations/{org_demo}/invite/",
        only(STAFF_OR_ADMIN, "ok", others=404),
        body={"login": "0829999999", "role": "verifier"},
    ),
    Row(
        "POST",
        "/organizations/{org_pending}/invite/",
        only("staff", 400, others=404),  # not approved yet: the form says so
        body={"login": "0829999999", "role": "verifier"},
    ),
    # Staff's queue and decisions.
    Row("GET", "/organizations/registrations/", only("staff", 200)),
    Row(
        "POST",
        "/organizations/registrations/{org_web_decide}/decide/",
        only("staff", "done"),
        body={"decision": "approve"},
        effect=_state("org_web_decide", OrganizationState.APPROVED),
    ),
    # Invitations: the citizen role's phone is invited.
    Row(
        "POST",
        "/organizations/invitations/{invitation_web_accept}/accept/",
        only("citizen", "ok", others=404),
    ),
    Row(
        "POST",
        "/organizations/invitations/{invitation_web_decline}/decline/",
        only("citizen", "ok", others=404),
    ),
    # Links: to an approved organization, by anyone signed in; unlinking one's own.
    Row("GET", "/organizations/{org_open_web}/link/", SIGNED_IN_OK),
    Row("GET", "/organizations/{org_pending}/link/", {"anon": "login", "*": 404}),
    Row(
        "POST",
        "/organizations/{org_open_web}/link/",
        SIGNED_IN_OK,
        body={"relation": "member", "consent": "on"},
    ),
    Row("POST", "/organizations/{org_linked_web}/unlink/", only("citizen", "ok", others=404)),
]

ORGS = f"{A}/organizations"
API_STAFF = {"anon": 401, "staff": 200, "*": 403}
API: list[Row] = [
    Row("GET", f"{ORGS}/types", API_SIGNED_IN, api_template=f"{ORGS}/types"),
    Row(
        "POST",
        f"{ORGS}/register",
        {"anon": 401, "*": 201},
        body={"name_th": "กลุ่มทดสอบสิทธิ์ API", "type": "community", "area_code": "7109", "phone": "034123456"},
        api_template=f"{ORGS}/register",
    ),
    Row("GET", f"{ORGS}/mine", API_SIGNED_IN, api_template=f"{ORGS}/mine"),
    Row("GET", f"{ORGS}/registrations/waiting", API_STAFF, api_template=f"{ORGS}/registrations/waiting"),
    Row(
        "POST",
        f"{ORGS}/{{org_api_approve}}/approve",
        API_STAFF,
        body={},
        api_template=f"{ORGS}/{{public_id}}/approve",
    ),
    Row(
        "POST",
        f"{ORGS}/{{org_api_decline}}/decline",
        API_STAFF,
        body={"note": "ไม่พบข้อมูล"},
        api_template=f"{ORGS}/{{public_id}}/decline",
    ),
    Row(
        "POST",
        f"{ORGS}/{{org_api_ask}}/ask",
        API_STAFF,
        body={"note": "ขอเอกสาร"},
        api_template=f"{ORGS}/{{public_id}}/ask",
    ),
    Row(
        "GET",
        f"{ORGS}/{{org_demo}}",
        {"anon": 401, "staff": 200, ADMIN: 200, "*": 404},
        api_template=f"{ORGS}/{{public_id}}",
    ),
    Row(
        "GET",
        f"{ORGS}/{{org_pending}}",
        {"anon": 401, "staff": 200, "*": 404},
        api_template=f"{ORGS}/{{public_id}}",
    ),
    Row(
        "POST",
        f"{ORGS}/{{org_asked_api}}/answer",
        {"anon": 401, "citizen": 200, "*": 404},
        body={"answer": "ส่งแล้ว"},
        api_template=f"{ORGS}/{{public_id}}/answer",
    ),
    Row(
        "POST",
        f"{ORGS}/{{org_asked_api}}/documents",
        {"anon": 401, "citizen": 201, "staff": 201, "*": 404},
        body=_api_document_body,
        upload=True,
        api_template=f"{ORGS}/{{public_id}}/documents",
    ),
    Row(
        "GET",
        f"{ORGS}/{{org_demo}}/invitations",
        {"anon": 401, "staff": 200, ADMIN: 200, "*": 404},
        api_template=f"{ORGS}/{{public_id}}/invitations",
    ),
    Row(
        "POST",
        f"{ORGS}/{{org_demo}}/invitations",
        {"anon": 401, "staff": 201, ADMIN: 201, "*": 404},
        body={"login": "0829999998", "role": "activity_organizer"},
        api_template=f"{ORGS}/{{public_id}}/invitations",
    ),
    Row("GET", f"{ORGS}/invitations/mine", API_SIGNED_IN, api_template=f"{ORGS}/invitations/mine"),
    Row(
        "POST",
        f"{ORGS}/invitations/{{invitation_api_accept}}/accept",
        {"anon": 401, "citizen": 200, "*": 404},
        api_template=f"{ORGS}/invitations/{{public_id}}/accept",
    ),
    Row(
        "POST",
        f"{ORGS}/invitations/{{invitation_api_decline}}/decline",
        {"anon": 401, "citizen": 200, "*": 404},
        api_template=f"{ORGS}/invitations/{{public_id}}/decline",
    ),
    Row("GET", f"{ORGS}/links/mine", API_SIGNED_IN, api_template=f"{ORGS}/links/mine"),
    Row(
        "POST",
        f"{ORGS}/{{org_open}}/link",
        {"anon": 401, "*": 201},
        body={"relation": "employee", "consent": True},
        api_template=f"{ORGS}/{{public_id}}/link",
    ),
    Row(
        "POST",
        f"{ORGS}/{{org_pending}}/link",
        {"anon": 401, "*": 404},
        body={"relation": "employee", "consent": True},
        api_template=f"{ORGS}/{{public_id}}/link",
    ),
    Row(
        "DELETE",
        f"{ORGS}/{{org_linked_api}}/link",
        {"anon": 401, "citizen": 200, "*": 404},
        api_template=f"{ORGS}/{{public_id}}/link",
    ),
]


def _register(person, name: str) -> Organization:
    return organization_register(
        actor=person, name_th=name, type_code="community", area_code="7109", phone="034123456"
    )


def objects() -> dict[str, str]:
    """The {placeholders} of the rows above: the demo's approved อบต.; registrations of a person
    who is none of the roles (waiting, and one for each decision); the citizen role's registrations
    that staff asked about, with a document; invitations to the citizen role's phone; and
    organizations the citizen role is linked to."""
    citizen = User.objects.get(phone=CITIZEN)
    outsider = make_person(name="ผู้ลงทะเบียน องค์กร", phone="0820000051")
    demo = Organization.objects.filter(
        state=OrganizationState.APPROVED, memberships__role="admin", memberships__person__phone="0810000008"
    ).first()
    assert demo is not None
    asked_web, asked_api = _register(citizen, "กลุ่มของพลเมือง ก"), _register(citizen, "กลุ่มของพลเมือง ข")
    for organization in (asked_web, asked_api):
        organization_ask(actor=SYSTEM, organization=organization, note="ขอเอกสารเพิ่ม")
    document: OrganizationDocument = organization_document_attach(
        actor=citizen, organization=asked_web, upload=pdf(), title="หนังสือรับรอง"
    )

    def invitation(organization: Organization, role: str) -> str:
        found = invitation_create(actor=SYSTEM, organization=organization, login=CITIZEN, role=role)
        return str(found.public_id)

    # Linked to, and inviting the citizen role as an assessor (accepting a role with a
    # permission would make the citizen role a verifier, asked for a second step on the pages
    # that follow): organizations of the outsider, not the demo's.
    approved = {}
    for key in ("linked_web", "linked_api", "open", "open_web"):
        approved[key] = organization_approve(actor=SYSTEM, organization=_register(outsider, f"บริษัท {key}"))
    for key in ("linked_web", "linked_api"):
        organization_link(actor=citizen, organization=approved[key], relation="employee", consent=True)
    return {
        "org_demo": str(demo.public_id),
        "org_open": str(approved["open"].public_id),
        "org_open_web": str(approved["open_web"].public_id),
        "org_pending": str(_register(outsider, "กลุ่มรอพิจารณา").public_id),
        "org_asked_web": str(asked_web.public_id),
        "org_asked_api": str(asked_api.public_id),
        "org_document": str(document.public_id),
        "org_web_decide": str(_register(outsider, "กลุ่มตัดสินเว็บ").public_id),
        "org_api_approve": str(_register(outsider, "กลุ่มอนุมัติ").public_id),
        "org_api_decline": str(_register(outsider, "กลุ่มไม่อนุมัติ").public_id),
        "org_api_ask": str(_register(outsider, "กลุ่มขอข้อมูล").public_id),
        "invitation_web_accept": invitation(approved["linked_web"], "assessor"),
        "invitation_web_decline": invitation(demo, "verifier"),
        "invitation_api_accept": invitation(approved["linked_api"], "assessor"),
        "invitation_api_decline": invitation(demo, "activity_organizer"),
        "org_linked_web": str(approved["linked_web"].public_id),
        "org_linked_api": str(approved["linked_api"].public_id),
    }
