"""The authorization matrix's rows for the assessment's pages and API operations (issue 13), and
the objects they name, made on top of seed_demo's data. See test_authorization_matrix.py for what
a row says.

An organization of the organization_admin role (besides the demo's อบต.) writes a
self-assessment (`assessment_draft`). Other organizations, of people who are none of the roles,
have: two assessments waiting for an assessor (one for the pages, one for the API), one scored
with a certificate and a file of evidence, and none at all (to start one). Staff may write any
organization's self-assessment (they register organizations), score (assessments.assess_organization)
and manage templates. An assessment answers 404 to whoever may not see it; the desk and the
templates 403 to those without the permission; scoring 403 `assessment_not_assessor` on the API."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kwamdee.assessments.models import Assessment, Template
from kwamdee.assessments.services import (
    assessment_answer,
    assessment_document_attach,
    assessment_score,
    assessment_start,
    assessment_submit,
)
from kwamdee.common.roles import Role, role_grant
from kwamdee.organizations.choices import MembershipRole, OrganizationKind
from kwamdee.organizations.services import membership_grant, organization_create
from kwamdee.people.models import User
from tests.factories import PHANOM_THUAN, SYSTEM, make_person
from tests.security.matrix_rows import SIGNED_IN_OK, A, Row, only

ORG_ADMIN = "organization_admin"
WRITERS = [ORG_ADMIN, "staff"]  # who write `assessment_draft`
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _pdf(data, role):
    return {
        "title": "หลักฐานทดสอบสิทธิ์",
        "file": SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf"),
    }


def _bad_template(data, role):
    return {"file": SimpleUploadedFile("t.json", b'{"format": "nope"}', content_type="application/json")}


def _web_scores(data, role):
    return {f"score_{n}": "2" for n in range(len(data["assessment_codes"]))}


def _status(key: str):
    return lambda data: Assessment.objects.get(public_id=data[key]).status


S = "/assessments"
WEB: list[Row] = [
    Row("GET", f"{S}/", SIGNED_IN_OK),
    Row("GET", f"{S}/organization/{{assessment_org}}/", only(WRITERS, 200, others=404)),
    Row("GET", f"{S}/organization/{{assessment_org_far}}/", only("staff", 200, others=404)),
    Row(
        "POST",
        f"{S}/organization/{{assessment_org_start_web}}/",
        only("staff", "done", others=404),
        effect=lambda data: Assessment.objects.filter(
            organization__public_id=data["assessment_org_start_web"]
        ).exists(),
    ),
    Row("GET", f"{S}/{{assessment_draft}}/", only(WRITERS, 200, others=404)),
    Row("GET", f"{S}/{{assessment_draft}}/items/1.1/", only(WRITERS, 200, others=404)),
    Row(
        "POST",
        f"{S}/{{assessment_draft}}/items/1.1/",
        only(WRITERS, "done", others=404),
        body={"numerator": "40", "denominator": "50"},
        effect=lambda data: (
            Assessment.objects.get(public_id=data["assessment_draft"]).answers.get(item__code="1.1").numerator
            == 40
        ),
    ),
    # Submitting with items missing: the page again with every problem; nothing submitted.
    Row("POST", f"{S}/{{assessment_draft}}/submit/", only(WRITERS, 400, others=404)),
    # The assessor's desk and scoring: staff (assessors); its own people are refused in words.
    Row("GET", f"{S}/desk/", only("staff", 200)),
    Row("GET", f"{S}/{{assessment_submitted_web}}/score/", only("staff", 200, others=404)),
    Row(
        "GET",
        f"{S}/{{assessment_draft}}/score/",
        {"anon": "login", ORG_ADMIN: 403, "staff": 409, "*": 404},
    ),
    Row(
        "POST",
        f"{S}/{{assessment_submitted_web}}/score/",
        only("staff", "done", others=404),
        body=_web_scores,
        effect=lambda data: _status("assessment_submitted_web")(data) == "scored",
    ),
    Row("GET", f"{S}/{{assessment_scored}}/", only("staff", 200, others=404)),
    Row("GET", f"{S}/{{assessment_scored}}/certificate/", only("staff", 200, others=404)),
    Row(
        "GET",
        f"{S}/{{assessment_scored}}/evidence/{{assessment_document}}/",
        only("staff", 200, others=404),
    ),
    # Templates: staff (assessments.manage_templates). A bad file: every problem, nothing saved.
    Row("GET", f"{S}/templates/", only("staff", 200)),
    Row("POST", f"{S}/templates/", only("staff", 400), body=_bad_template),
    Row("GET", f"{S}/templates/{{assessment_template}}/download/", only("staff", 200)),
]

L = f"{A}/assessments"
API: list[Row] = [
    Row("GET", f"{L}/templates", {"anon": 401, "*": 200}, api_template=f"{L}/templates"),
    Row(
        "GET",
        f"{L}/templates/{{assessment_template}}/export",
        {"anon": 401, "*": 200},
        api_template=f"{L}/templates/{{public_id}}/export",
    ),
    Row(
        "POST",
        f"{L}/organizations/{{assessment_org_start_api}}/start",
        {"anon": 401, "staff": 201, "*": 404},
        api_template=f"{L}/organizations/{{public_id}}/start",
    ),
    Row(
        "GET",
        f"{L}/organizations/{{assessment_org}}/certificate",
        {"anon": 401, "*": 200},
        api_template=f"{L}/organizations/{{public_id}}/certificate",
    ),
    Row("GET", f"{L}/to-score", {"anon": 401, "*": 200}, api_template=f"{L}/to-score"),
    Row(
        "GET",
        f"{L}/{{assessment_draft}}",
        {"anon": 401, **dict.fromkeys(WRITERS, 200), "*": 404},
        api_template=f"{L}/{{public_id}}",
    ),
    Row(
        "POST",
        f"{L}/{{assessment_draft}}/items/1.1",
        {"anon": 401, **dict.fromkeys(WRITERS, 200), "*": 404},
        body={"numerator": 45, "denominator": 50},
        api_template=f"{L}/{{public_id}}/items/{{code}}",
    ),
    Row(
        "POST",
        f"{L}/{{assessment_draft}}/documents",
        {"anon": 401, **dict.fromkeys(WRITERS, 201), "*": 404},
        body=_pdf,
        upload=True,
        api_template=f"{L}/{{public_id}}/documents",
    ),
    Row(
        "POST",
        f"{L}/{{assessment_draft}}/submit",
        {"anon": 401, **dict.fromkeys(WRITERS, 409), "*": 404},
        api_template=f"{L}/{{public_id}}/submit",
    ),
    Row(
        "POST",
        f"{L}/{{assessment_submitted_api}}/score",
        {"anon": 401, "staff": 200, "*": 403},
        body=lambda data, role: {"scores": dict.fromkeys(data["assessment_codes"], 2)},
        api_template=f"{L}/{{public_id}}/score",
    ),
    Row(
        "GET",
        f"{L}/{{assessment_scored}}/feedback",
        {"anon": 401, "staff": 200, "*": 404},
        api_template=f"{L}/{{public_id}}/feedback",
    ),
]


def _organization(name: str, admin_phone: str):
    organization = organization_create(
        actor=SYSTEM, name_th=name, kind=OrganizationKind.LOCAL_GOVERNMENT, scope_area_code=PHANOM_THUAN
    )
    admin = make_person(name=f"ผู้บริหาร {name}", subdistrict=PHANOM_THUAN, phone=admin_phone)
    membership_grant(actor=SYSTEM, organization=organization, person=admin, role=MembershipRole.ADMIN)
    return organization, User.objects.get(pk=admin.pk)


def _answered(admin, assessment, *, evidence):
    for activity in assessment.template.activities.all():
        for item in activity.items.all():
            kwargs = {"evidence": evidence if item.evidence_required else ()}
            if item.rule == "threshold":
                kwargs |= {"numerator": 45, "denominator": 50}
            elif item.rule == "judgement":
                kwargs["self_score"] = 2
            assessment_answer(actor=admin, assessment=assessment, item_code=item.code, **kwargs)
    return assessment_submit(actor=admin, assessment=assessment)


def objects() -> dict[str, object]:
    """The {placeholders} of the rows above."""
    # The organization_admin role's own organization besides the demo's (whose people other
    # rows link and whose assessment the demo makes): nobody else acts for it or is linked to it.
    demo_admin = User.objects.get(phone="0810000008")
    demo = organization_create(
        actor=SYSTEM, name_th="องค์กรประเมินตนเอง ทดสอบสิทธิ์", kind=OrganizationKind.LOCAL_GOVERNMENT,
        scope_area_code=PHANOM_THUAN,
    )  # fmt: skip
    membership_grant(actor=SYSTEM, organization=demo, person=demo_admin, role=MembershipRole.ADMIN)
    draft = assessment_start(actor=User.objects.get(pk=demo_admin.pk), organization=demo)
    link = [{"title": "หลักฐาน", "url": "https://example.org/evidence.pdf"}]
    waiting = {}
    for key, phone in (("web", "0820000061"), ("api", "0820000062")):
        organization, admin = _organization(f"องค์กรรอประเมิน {key}", phone)
        started = assessment_start(actor=admin, organization=organization)
        waiting[key] = _answered(admin, started, evidence=link)
    organization, admin = _organization("องค์กรได้เกียรติบัตร", "0820000063")
    scored = assessment_start(actor=admin, organization=organization)
    reference = assessment_document_attach(
        actor=admin,
        assessment=scored,
        upload=SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf"),
        title="ประกาศเจตนารมณ์",
    )
    scored = _answered(admin, scored, evidence=[reference])
    assessor = make_person(name="ผู้ประเมิน ทดสอบสิทธิ์", subdistrict=PHANOM_THUAN, phone="0820000064")
    role_grant(actor=SYSTEM, person=assessor, role=Role.MORAL_ASSESSOR)
    codes = list(
        scored.answers.order_by("item__activity__number", "item__order").values_list("item__code", flat=True)
    )
    assessment_score(
        actor=User.objects.get(pk=assessor.pk), assessment=scored, scores=dict.fromkeys(codes, 2), comment="ดี"
    )
    start_web, _admin = _organization("องค์กรเริ่มประเมิน หน้าเว็บ", "0820000065")
    start_api, _admin = _organization("องค์กรเริ่มประเมิน API", "0820000066")
    return {
        "assessment_org": str(demo.public_id),
        "assessment_org_far": str(organization.public_id),
        "assessment_org_start_web": str(start_web.public_id),
        "assessment_org_start_api": str(start_api.public_id),
        "assessment_draft": str(draft.public_id),
        "assessment_submitted_web": str(waiting["web"].public_id),
        "assessment_submitted_api": str(waiting["api"].public_id),
        "assessment_scored": str(scored.public_id),
        "assessment_document": reference["document"],
        "assessment_template": str(Template.objects.filter(code="moral_organization").first().public_id),
        "assessment_codes": codes,
    }
