"""The assessment's pages: the whole flow as people click it (start → answer with a real uploaded
file → submit → an assessor from another organization scores → the result with the level and
comments → the certificate), and the refusals: a member of the organization or of its parent at
scoring, a bad file, another organization's person, staff's template upload."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kwamdee.assessments.choices import AssessmentStatus
from kwamdee.assessments.models import Assessment, Template
from kwamdee.assessments.services import assessment_start, assessment_submit
from kwamdee.common.models import AuditEvent
from kwamdee.common.roles import Role, role_grant
from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.models import OrganizationDocument
from kwamdee.organizations.services import membership_grant
from tests.assessments.helpers import SYSTEM, fresh, make_admin, make_assessor, make_organization
from tests.assessments.test_flow import _answer_everything
from tests.evidence.helpers import pdf, png
from tests.factories import make_person

pytestmark = pytest.mark.django_db

CONFLICT_TH = "คุณให้คะแนนการประเมินนี้ไม่ได้"


@pytest.fixture(autouse=True)
def _thai():
    with translation.override("th"):
        yield


def _items(assessment):
    return [
        item for a in assessment.template.activities.order_by("number") for item in a.items.order_by("order")
    ]


def _answer_all(client, assessment, *, first_file=None):
    """Answers every item through its page; the first item that asks for evidence gets the file
    (others a link)."""
    uploaded = False
    for item in _items(assessment):
        body = {"note": "ทำครบตามแผน"}
        if item.rule == "threshold":
            body |= {"numerator": "45", "denominator": "50"}
        elif item.rule == "judgement":
            body["self_score"] = "2"
        if item.evidence_required:
            body["evidence_title"] = "หลักฐานข้อ " + item.code
            if first_file is not None and not uploaded:
                body["evidence_file"] = first_file
                uploaded = True
            else:
                body["evidence_url"] = "https://example.org/" + item.code + ".pdf"
        response = client.post(f"/assessments/{assessment.public_id}/items/{item.code}/", body)
        assert response.status_code == 302, (item.code, response.content.decode()[:3000])


def test_the_whole_flow_through_the_pages(client):
    organization = make_organization()
    admin = make_admin(organization)
    client.force_login(admin)

    # The organization's page offers to start one under the template in force.
    page = client.get(f"/assessments/organization/{organization.public_id}/")
    assert page.status_code == 200
    assert 'data-testid="start-assessment"' in page.content.decode()
    started = client.post(f"/assessments/organization/{organization.public_id}/")
    assessment = Assessment.objects.get(organization=organization)
    assert started.status_code == 302 and str(assessment.public_id) in started["Location"]

    # The self-assessment shows the 9 activities, each item's rule in words, and the progress.
    page = client.get(f"/assessments/{assessment.public_id}/").content.decode()
    assert page.count('data-testid="item"') == len(_items(assessment))
    assert "กิจกรรมที่ 9" in page or "9." in page
    assert "0 จาก 11" in page or "0 of 11" in page

    # Submitting before answering lists every item that is missing, and changes nothing.
    refused = client.post(f"/assessments/{assessment.public_id}/submit/")
    assert refused.status_code == 400 and 'data-testid="submit-problems"' in refused.content.decode()
    assert "1.1" in refused.content.decode() and "9.1" in refused.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT

    # Every item answered through its form, the first evidence a real PDF file.
    _answer_all(client, assessment, first_file=pdf("ประกาศเจตนารมณ์.pdf"))
    document = OrganizationDocument.objects.get(organization=organization)
    answer = assessment.answers.get(item__code="1.1")
    assert answer.evidence == [{"title": "หลักฐานข้อ 1.1", "document": str(document.public_id)}]
    assert answer.self_score == 2  # 45 of 50 = 90%
    page = client.get(f"/assessments/{assessment.public_id}/").content.decode()
    assert f"/assessments/{assessment.public_id}/evidence/{document.public_id}/" in page
    download = client.get(f"/assessments/{assessment.public_id}/evidence/{document.public_id}/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    assert client.post(f"/assessments/{assessment.public_id}/submit/").status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    # An assessor from another organization finds it at the desk and scores it.
    other = make_organization(name="สำนักงานอื่น")
    assessor = make_assessor()
    membership_grant(actor=SYSTEM, organization=other, person=assessor, role=MembershipRole.VERIFIER)
    client.force_login(fresh(assessor))
    desk = client.get("/assessments/desk/").content.decode()
    assert f"/assessments/{assessment.public_id}/score/" in desk
    score_page = client.get(f"/assessments/{assessment.public_id}/score/")
    assert score_page.status_code == 200
    assert (
        f"/assessments/{assessment.public_id}/evidence/{document.public_id}/" in score_page.content.decode()
    )
    # the assessor downloads the file of the evidence too
    assert (
        client.get(f"/assessments/{assessment.public_id}/evidence/{document.public_id}/").status_code == 200
    )
    codes = [item.code for item in _items(assessment)]
    body = {f"score_{n}": "2" for n in range(len(codes))}
    body |= {"comment_2": "แผนชัดเจน มีผู้รับผิดชอบทุกกิจกรรม", "comment": "องค์กรทำได้ดีมาก"}
    scored = client.post(f"/assessments/{assessment.public_id}/score/", body)
    assert scored.status_code == 302, scored.content.decode()[:2000]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SCORED and assessment.level.code == "model"

    # The organization reads the level, each item's score and the assessor's comments.
    client.force_login(admin)
    result = client.get(f"/assessments/{assessment.public_id}/").content.decode()
    assert "องค์กรคุณธรรมต้นแบบ" in result
    assert "แผนชัดเจน มีผู้รับผิดชอบทุกกิจกรรม" in result and "องค์กรทำได้ดีมาก" in result
    certificate = client.get(f"/assessments/{assessment.public_id}/certificate/")
    assert certificate.status_code == 200
    text = certificate.content.decode()
    assert 'data-testid="certificate"' in text and 'data-testid="valid-until"' in text
    assert "องค์กรคุณธรรมต้นแบบ" in text
    organization_page = client.get(f"/assessments/organization/{organization.public_id}/").content.decode()
    assert 'data-testid="current-certificate"' in organization_page


def _submitted(organization, admin):
    assessment = assessment_start(actor=admin, organization=organization)
    _answer_everything(admin, assessment)
    return assessment_submit(actor=admin, assessment=assessment)


def test_a_member_of_the_organization_or_its_parent_is_refused_at_scoring_in_words(client):
    parent = make_organization(name="กระทรวงแม่")
    organization = make_organization(name="กรมลูก")
    organization.parent = parent
    organization.save(update_fields=["parent"])
    assessment = _submitted(organization, make_admin(organization))
    for where in (organization, parent):
        member = make_assessor(name="ผู้ประเมิน ในองค์กร")
        membership_grant(actor=SYSTEM, organization=where, person=member, role=MembershipRole.VERIFIER)
        client.force_login(fresh(member))
        response = client.get(f"/assessments/{assessment.public_id}/score/")
        assert response.status_code == 403
        assert CONFLICT_TH in response.content.decode()
        assert 'data-testid="refusal"' in response.content.decode()
        posted = client.post(f"/assessments/{assessment.public_id}/score/", {"score_0": "2"})
        assert posted.status_code == 403
        assert (
            f"/assessments/{assessment.public_id}/score/"
            not in client.get("/assessments/desk/").content.decode()
        )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_a_bad_file_is_refused_and_nothing_is_written(client):
    organization = make_organization()
    admin = make_admin(organization)
    client.force_login(admin)
    client.post(f"/assessments/organization/{organization.public_id}/")
    assessment = Assessment.objects.get(organization=organization)
    before = AuditEvent.objects.count()
    fake = SimpleUploadedFile(
        "declaration.pdf", b"<?php system($_GET['c']); ?>\n", content_type="application/pdf"
    )
    response = client.post(
        f"/assessments/{assessment.public_id}/items/1.1/",
        {"numerator": "45", "denominator": "50", "evidence_title": "ประกาศ", "evidence_file": fake},
    )
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not OrganizationDocument.objects.exists()
    answer = assessment.answers.get(item__code="1.1")
    assert answer.self_score is None and answer.evidence == []
    assert AuditEvent.objects.count() == before


def test_a_photo_is_accepted_as_evidence(client):
    organization = make_organization()
    admin = make_admin(organization)
    client.force_login(admin)
    client.post(f"/assessments/organization/{organization.public_id}/")
    assessment = Assessment.objects.get(organization=organization)
    response = client.post(
        f"/assessments/{assessment.public_id}/items/3.1/",
        {"self_score": "1", "evidence_title": "ภาพการประชุม", "evidence_file": png()},
    )
    assert response.status_code == 302
    document = OrganizationDocument.objects.get(organization=organization)
    assert document.content_type.startswith("image/")  # re-encoded from its pixels
    # untick it: the answer keeps no evidence (the document stays the organization's)
    response = client.post(f"/assessments/{assessment.public_id}/items/3.1/", {"self_score": "1"})
    assert response.status_code == 302
    assert assessment.answers.get(item__code="3.1").evidence == []


def test_another_organizations_person_gets_404(client):
    organization = make_organization()
    admin = make_admin(organization)
    client.force_login(admin)
    client.post(f"/assessments/organization/{organization.public_id}/")
    assessment = Assessment.objects.get(organization=organization)
    client.post(
        f"/assessments/{assessment.public_id}/items/1.1/",
        {"numerator": "45", "denominator": "50", "evidence_title": "ประกาศ", "evidence_file": pdf()},
    )
    document = OrganizationDocument.objects.get(organization=organization)

    other = make_organization(name="องค์กรอื่น")
    stranger = make_admin(other, name="ผู้บริหาร องค์กรอื่น")
    client.force_login(stranger)
    for path in (
        f"/assessments/organization/{organization.public_id}/",
        f"/assessments/{assessment.public_id}/",
        f"/assessments/{assessment.public_id}/items/1.1/",
        f"/assessments/{assessment.public_id}/certificate/",
        f"/assessments/{assessment.public_id}/evidence/{document.public_id}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/assessments/organization/{organization.public_id}/").status_code == 404
    assert client.post(f"/assessments/{assessment.public_id}/submit/").status_code == 404
    assert Assessment.objects.filter(organization=other).count() == 0
    # a citizen with no role: no desk
    client.force_login(make_person(name="ประชาชน ทั่วไป"))
    assert client.get("/assessments/desk/").status_code == 403
    assert client.get(f"/assessments/{assessment.public_id}/score/").status_code == 404


def test_staff_download_a_template_and_upload_a_new_version(client):
    staff = make_person(name="เจ้าหน้าที่ ศูนย์คุณธรรม")
    role_grant(actor=SYSTEM, person=staff, role=Role.STAFF)
    client.force_login(fresh(staff))
    template = Template.objects.get(code="moral_organization")
    page = client.get("/assessments/templates/")
    assert page.status_code == 200
    download = client.get(f"/assessments/templates/{template.public_id}/download/")
    assert download["Content-Disposition"].startswith("attachment")
    document = json.loads(download.content)

    # A bad document: every problem with its place, and nothing written.
    bad = dict(document, certificate_years=0)
    bad["activities"] = [dict(document["activities"][0], level="nowhere"), *document["activities"][1:]]
    before = Template.objects.count()
    upload = SimpleUploadedFile("t.json", json.dumps(bad).encode(), content_type="application/json")
    response = client.post("/assessments/templates/", {"file": upload})
    text = response.content.decode()
    assert response.status_code == 400 and 'data-testid="template-problems"' in text
    assert "certificate_years" in text and "activities[0].level" in text
    assert Template.objects.count() == before
    not_json = SimpleUploadedFile("t.json", b"{not json", content_type="application/json")
    assert client.post("/assessments/templates/", {"file": not_json}).status_code == 400
    assert Template.objects.count() == before

    good = SimpleUploadedFile("t.json", json.dumps(document).encode(), content_type="application/json")
    assert client.post("/assessments/templates/", {"file": good}).status_code == 302
    assert Template.objects.filter(code="moral_organization").count() == before + 1

    # Someone without the permission: 403 on every template page.
    client.force_login(make_person(name="ประชาชน ทั่วไป"))
    assert client.get("/assessments/templates/").status_code == 403
    assert client.get(f"/assessments/templates/{template.public_id}/download/").status_code == 403
