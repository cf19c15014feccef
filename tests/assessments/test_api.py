"""The assessment's API (/api/v1/assessments): the templates in force and their JSON; start,
answer (evidence as references, a file through the upload operation), submit; the assessor's list
and scores; feedback; the organization's certificate. And the refusals: a conflict of interest,
another organization's document, another organization's person, a bad file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kwamdee.assessments.models import Assessment
from kwamdee.organizations.choices import MembershipRole
from kwamdee.organizations.models import OrganizationDocument
from kwamdee.organizations.services import membership_grant, organization_document_attach
from tests.api.test_api import get, post, token_for
from tests.assessments.helpers import SYSTEM, make_admin, make_assessor, make_organization
from tests.evidence.helpers import pdf
from tests.factories import make_person

pytestmark = pytest.mark.django_db

A = "/api/v1/assessments"
LINK = [{"title": "ประกาศเจตนารมณ์", "url": "https://example.org/declaration.pdf"}]


def _upload(client, token, assessment_id, file, title="ประกาศเจตนารมณ์ที่ลงนาม"):
    return client.post(
        f"{A}/{assessment_id}/documents", {"title": title, "file": file}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def _answer_all(client, token, body, evidence):
    for item in body["items"]:
        answer = {"note": "ทำครบ"}
        if item["rule"] == "threshold":
            answer |= {"numerator": 45, "denominator": 50}
        elif item["rule"] == "judgement":
            answer["self_score"] = 2
        if item["evidence_required"]:
            answer["evidence"] = evidence
        response = post(client, f"{A}/{body['public_id']}/items/{item['code']}", answer, token)
        assert response.status_code == 200, response.content


def test_the_whole_flow_through_the_api(client):
    organization = make_organization()
    admin = make_admin(organization)
    token = token_for(client, admin.phone)

    templates = get(client, f"{A}/templates", token).json()
    assert [t["code"] for t in templates] == ["moral_organization"]
    exported = get(client, f"{A}/templates/{templates[0]['public_id']}/export", token).json()
    assert exported["format"] == "kwamdee.assessment_template" and len(exported["activities"]) == 9

    started = post(client, f"{A}/organizations/{organization.public_id}/start", {}, token)
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["status"] == "draft" and len(body["items"]) == 11
    again = post(client, f"{A}/organizations/{organization.public_id}/start", {}, token)
    assert again.status_code == 409 and again.json()["code"] == "assessment_open"

    uploaded = _upload(client, token, body["public_id"], pdf())
    assert uploaded.status_code == 201, uploaded.content
    reference = uploaded.json()
    assert reference["document"] and reference["title"] == "ประกาศเจตนารมณ์ที่ลงนาม"
    _answer_all(client, token, body, [{"title": reference["title"], "document": reference["document"]}])
    one = get(client, f"{A}/{body['public_id']}", token).json()
    first = next(i for i in one["items"] if i["code"] == "1.1")
    assert first["evidence"] == [{"title": reference["title"], "document": reference["document"]}]
    assert first["self_score"] == 2

    submitted = post(client, f"{A}/{body['public_id']}/submit", {}, token)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"

    assessor = make_assessor()
    assessor_token = token_for(client, assessor.phone)
    waiting = get(client, f"{A}/to-score", assessor_token).json()
    assert [w["public_id"] for w in waiting] == [body["public_id"]]
    scores = {item["code"]: 2 for item in body["items"]}
    bad = post(client, f"{A}/{body['public_id']}/score", {"scores": {**scores, "1.1": 3}}, assessor_token)
    assert bad.status_code == 422
    partial = dict(scores)
    partial.pop("9.1")
    missing = post(client, f"{A}/{body['public_id']}/score", {"scores": partial}, assessor_token)
    assert missing.status_code == 400 and "9.1" in missing.json()["fields"]
    scored = post(
        client,
        f"{A}/{body['public_id']}/score",
        {"scores": scores, "comments": {"3.1": "แผนชัดเจน"}, "comment": "ดีมาก"},
        assessor_token,
    )
    assert scored.status_code == 200, scored.content
    assert scored.json()["level"] == "model"

    feedback = get(client, f"{A}/{body['public_id']}/feedback", token).json()
    assert next(f for f in feedback if f["code"] == "3.1")["assessor_comment"] == "แผนชัดเจน"
    certificate = get(client, f"{A}/organizations/{organization.public_id}/certificate", token).json()
    assert certificate["certificate"]["level"] == "model"
    assert certificate["certificate"]["valid_until"] > certificate["certificate"]["valid_from"]


def test_a_member_is_refused_at_scoring_with_the_conflict_of_interest(client):
    organization = make_organization()
    admin = make_admin(organization)
    token = token_for(client, admin.phone)
    body = post(client, f"{A}/organizations/{organization.public_id}/start", {}, token).json()
    _answer_all(client, token, body, LINK)
    assert post(client, f"{A}/{body['public_id']}/submit", {}, token).status_code == 200
    member = make_assessor(name="ผู้ประเมิน ในองค์กร")
    membership_grant(actor=SYSTEM, organization=organization, person=member, role=MembershipRole.VERIFIER)
    scores = {item["code"]: 2 for item in body["items"]}
    refused = post(
        client, f"{A}/{body['public_id']}/score", {"scores": scores}, token_for(client, member.phone)
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "assessment_conflict_of_interest"
    citizen = make_person(name="ประชาชน ทั่วไป")
    not_assessor = post(
        client, f"{A}/{body['public_id']}/score", {"scores": scores}, token_for(client, citizen.phone)
    )
    assert not_assessor.status_code == 403 and not_assessor.json()["code"] == "assessment_not_assessor"
    assert Assessment.objects.get(public_id=body["public_id"]).status == "submitted"


def test_another_organizations_document_and_person_are_refused(client):
    organization = make_organization()
    admin = make_admin(organization)
    token = token_for(client, admin.phone)
    body = post(client, f"{A}/organizations/{organization.public_id}/start", {}, token).json()

    other = make_organization(name="องค์กรอื่น")
    stranger = make_admin(other, name="ผู้บริหาร องค์กรอื่น")
    foreign = organization_document_attach(actor=stranger, organization=other, upload=pdf(), title="ของคนอื่น")
    answer = {
        "numerator": 45,
        "denominator": 50,
        "evidence": [{"title": "x", "document": str(foreign.public_id)}],
    }
    refused = post(client, f"{A}/{body['public_id']}/items/1.1", answer, token)
    assert refused.status_code == 400 and "evidence" in refused.json()["fields"]

    stranger_token = token_for(client, stranger.phone)
    assert get(client, f"{A}/{body['public_id']}", stranger_token).status_code == 404
    assert post(client, f"{A}/{body['public_id']}/items/1.1", LINK[0], stranger_token).status_code == 404
    assert _upload(client, stranger_token, body["public_id"], pdf()).status_code == 404
    assert post(client, f"{A}/{body['public_id']}/submit", {}, stranger_token).status_code == 404
    assert get(client, f"{A}/{body['public_id']}/feedback", stranger_token).status_code == 404
    start = post(client, f"{A}/organizations/{organization.public_id}/start", {}, stranger_token)
    assert start.status_code == 404


def test_a_bad_file_is_refused_and_nothing_is_stored(client):
    organization = make_organization()
    admin = make_admin(organization)
    token = token_for(client, admin.phone)
    body = post(client, f"{A}/organizations/{organization.public_id}/start", {}, token).json()
    fake = SimpleUploadedFile("x.pdf", b"<?php system($_GET['c']); ?>\n", content_type="application/pdf")
    refused = _upload(client, token, body["public_id"], fake)
    assert refused.status_code == 400 and refused.json()["code"] == "document_refused"
    assert not OrganizationDocument.objects.exists()
