"""The assessment flow end to end: self-assessment → submission → an independent assessor's
scores → result, level and certificate → reminder and expiry → re-assessment. And the refusals:
conflicts of interest, the organization scoring itself."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kwamdee.assessments.choices import AssessmentStatus, CertificateStatus, Figure
from kwamdee.assessments.errors import (
    AnswerInvalid,
    AssessmentIncomplete,
    AssessmentOpen,
    AssessmentRefused,
    ConflictOfInterest,
    NotAnAssessor,
)
from kwamdee.assessments.events import AssessmentsEvent
from kwamdee.assessments.figures import figure_compute
from kwamdee.assessments.models import Certificate
from kwamdee.assessments.selectors import (
    assessment_feedback,
    assessment_score_refusal,
    assessments_to_score,
    certificate_current,
    template_in_force,
)
from kwamdee.assessments.services import (
    assessment_answer,
    assessment_score,
    assessment_start,
    assessment_submit,
)
from kwamdee.assessments.tasks import certificates_daily
from kwamdee.common.errors import NotFound, PermissionDenied
from kwamdee.common.models import AuditEvent
from kwamdee.common.roles import Role, role_grant
from kwamdee.deeds.services import deed_record, deed_verify
from kwamdee.organizations.choices import LinkRelation, MembershipRole, OrganizationState
from kwamdee.organizations.models import Organization
from kwamdee.organizations.services import membership_grant, organization_link
from tests.assessments.helpers import SYSTEM, fresh, make_admin, make_assessor, make_organization
from tests.factories import make_person

pytestmark = pytest.mark.django_db

EVIDENCE = [{"title": "ประกาศเจตนารมณ์ที่ลงนาม", "url": "https://example.org/declaration.pdf"}]


def _answer_everything(admin, assessment, *, share=(45, 50), judgement=2):
    for activity in assessment.template.activities.all():
        for item in activity.items.all():
            kwargs = {"evidence": EVIDENCE if item.evidence_required else ()}
            if item.rule == "threshold":
                kwargs |= {"numerator": share[0], "denominator": share[1]}
            elif item.rule == "judgement":
                kwargs["self_score"] = judgement
            assessment_answer(actor=admin, assessment=assessment, item_code=item.code, **kwargs)


def _all_scores(assessment, score=2):
    return {item.code: score for a in assessment.template.activities.all() for item in a.items.all()}


def _assessed(organization, admin, assessor, *, score=2):
    assessment = assessment_start(actor=admin, organization=organization)
    _answer_everything(admin, assessment)
    assessment = assessment_submit(actor=admin, assessment=assessment)
    comments = {"3.1": "แผนชัดเจน มีผู้รับผิดชอบทุกกิจกรรม"}
    return assessment_score(
        actor=assessor, assessment=assessment, scores=_all_scores(assessment, score), comments=comments,
        comment="องค์กรทำได้ดีมาก",
    )  # fmt: skip


def test_the_whole_flow_gives_a_level_and_a_certificate():
    organization = make_organization()
    admin, assessor = make_admin(organization), make_assessor()

    # given a self-assessment answered in full and submitted
    assessment = assessment_start(actor=admin, organization=organization)
    assert assessment.template == template_in_force() and assessment.status == AssessmentStatus.DRAFT
    _answer_everything(admin, assessment)
    declaration = assessment.answers.get(item__code="1.1")
    assert (declaration.numerator, declaration.denominator, declaration.self_score) == (45, 50, 2)
    assessment = assessment_submit(actor=admin, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    # computed items carry their numbers
    activities = assessment.answers.get(item__code="4.2").computed
    assert activities["figure"] == Figure.ACTIVITIES_RUN and activities["numerator"] == 0
    assert activities["year"] == timezone.localdate().year
    assert assessments_to_score(assessor) == [assessment]

    # when an independent assessor scores every item
    assessment = assessment_score(
        actor=assessor, assessment=assessment, scores=_all_scores(assessment, 2),
        comments={"3.1": "แผนชัดเจน"}, comment="ดีมาก",
    )  # fmt: skip

    # then the result, the level and a certificate for three years
    assert (assessment.total_score, assessment.max_score, str(assessment.percent)) == (22, 22, "100.00")
    assert assessment.level.code == "model"
    certificate = certificate_current(organization)
    assert certificate.level.code == "model" and certificate.assessment == assessment
    assert certificate.valid_until.year - certificate.valid_from.year == 3
    # and the organization reads the assessor's comments
    rows = assessment_feedback(admin, assessment)
    assert [row.assessor_comment for row in rows if row.code == "3.1"] == ["แผนชัดเจน"]
    assert all(row.assessor_score == 2 for row in rows)
    # every step is audited, once each
    events = list(
        AuditEvent.objects.filter(subject_id__in=[str(assessment.public_id), str(certificate.public_id)])
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert events == [
        AssessmentsEvent.START, *[AssessmentsEvent.ANSWER] * 11, AssessmentsEvent.SUBMIT,
        AssessmentsEvent.SCORE, AssessmentsEvent.CERTIFICATE_ISSUE,
    ]  # fmt: skip


def test_a_low_score_reaches_a_lower_level_or_none():
    organization = make_organization()
    admin, assessor = make_admin(organization), make_assessor()
    assessment = _assessed(organization, admin, assessor, score=1)
    assert (
        assessment.level.code == "promoting" and certificate_current(organization).level.code == "promoting"
    )
    other = make_organization(name="บริษัท ทดลอง จำกัด")
    zero = _assessed(other, make_admin(other, name="ผู้จัดการ บริษัท"), assessor, score=0)
    assert zero.level is None and certificate_current(other) is None


def test_an_assessor_who_is_a_member_of_the_organization_is_refused():
    organization = make_organization()
    admin = make_admin(organization)
    assessor = make_assessor()
    membership_grant(actor=SYSTEM, organization=organization, person=assessor, role=MembershipRole.VERIFIER)
    assessment = assessment_start(actor=admin, organization=organization)
    _answer_everything(admin, assessment)
    assessment = assessment_submit(actor=admin, assessment=assessment)
    with pytest.raises(ConflictOfInterest):
        assessment_score(actor=fresh(assessor), assessment=assessment, scores=_all_scores(assessment))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED and assessments_to_score(fresh(assessor)) == []


def test_an_assessor_linked_to_the_organization_or_a_member_of_its_parent_is_refused():
    parent = make_organization(name="สำนักงานเขตพื้นที่การศึกษา")
    organization = make_organization()
    Organization.objects.filter(pk=organization.pk).update(parent=parent)
    organization.refresh_from_db()
    admin = make_admin(organization)
    of_parent, linked = make_assessor(name="คนของ เขตพื้นที่"), make_assessor(name="พนักงาน ที่เชื่อมโยง")
    membership_grant(actor=SYSTEM, organization=parent, person=of_parent, role=MembershipRole.ADMIN)
    organization_link(actor=linked, organization=organization, relation=LinkRelation.EMPLOYEE, consent=True)
    assessment = assessment_start(actor=admin, organization=organization)
    _answer_everything(admin, assessment)
    assessment = assessment_submit(actor=admin, assessment=assessment)
    for person in (of_parent, linked):
        assert isinstance(assessment_score_refusal(fresh(person), assessment), ConflictOfInterest)


def test_a_self_assessment_cannot_be_scored_by_its_own_organization():
    organization = make_organization()
    admin = make_admin(organization)
    assessment = assessment_start(actor=admin, organization=organization)
    _answer_everything(admin, assessment)
    assessment = assessment_submit(actor=admin, assessment=assessment)
    # its admin is no assessor
    with pytest.raises(NotAnAssessor):
        assessment_score(actor=admin, assessment=assessment, scores=_all_scores(assessment))
    # and an admin who is also an assessor (of other organizations) is still its own organization
    role_grant(actor=SYSTEM, person=admin, role=Role.MORAL_ASSESSOR)
    with pytest.raises(ConflictOfInterest):
        assessment_score(actor=fresh(admin), assessment=assessment, scores=_all_scores(assessment))
    # nor can the system score it: an assessor is a person
    assert isinstance(assessment_score_refusal(SYSTEM, assessment), NotAnAssessor)


def test_an_organization_not_approved_is_not_assessed():
    organization = make_organization()
    admin = make_admin(organization)
    Organization.objects.filter(pk=organization.pk).update(state=OrganizationState.PENDING)
    organization.refresh_from_db()
    with pytest.raises(AssessmentRefused):
        assessment_start(actor=admin, organization=organization)


def test_only_the_organization_writes_its_self_assessment_and_only_one_at_a_time():
    organization = make_organization()
    admin = make_admin(organization)
    stranger = make_person(name="คนนอก องค์กร")
    with pytest.raises(PermissionDenied):
        assessment_start(actor=stranger, organization=organization)
    assessment = assessment_start(actor=admin, organization=organization)
    with pytest.raises(AssessmentOpen):
        assessment_start(actor=admin, organization=organization)
    with pytest.raises(PermissionDenied):
        assessment_answer(actor=stranger, assessment=assessment, item_code="3.1", self_score=2)
    # the organization's own assessor officer may answer (an invited role)
    officer = make_person(name="เจ้าหน้าที่ ประเมินตนเอง")
    membership_grant(actor=SYSTEM, organization=organization, person=officer, role=MembershipRole.ASSESSOR)
    assessment_answer(actor=officer, assessment=assessment, item_code="3.1", self_score=1, evidence=EVIDENCE)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"item_code": "1.1", "numerator": 51, "denominator": 50}, "numerator"),
        ({"item_code": "1.1", "numerator": 1, "denominator": 0}, "numerator"),
        ({"item_code": "3.1", "self_score": 3}, "self_score"),
        ({"item_code": "3.1", "self_score": 1, "evidence": [{"title": ""}]}, "evidence"),
        (
            {"item_code": "3.1", "self_score": 1, "evidence": [{"title": "x", "url": "javascript:alert(1)"}]},
            "evidence",
        ),
        ({"item_code": "9.9", "self_score": 1}, "item"),
    ],
)
def test_a_wrong_answer_is_refused(kwargs, field):
    organization = make_organization()
    admin = make_admin(organization)
    assessment = assessment_start(actor=admin, organization=organization)
    with pytest.raises(AnswerInvalid) as refused:
        assessment_answer(actor=admin, assessment=assessment, **kwargs)
    assert field in refused.value.fields


def test_a_submission_needs_every_answer_and_the_evidence_asked_for():
    organization = make_organization()
    admin = make_admin(organization)
    assessment = assessment_start(actor=admin, organization=organization)
    assessment_answer(actor=admin, assessment=assessment, item_code="1.1", numerator=40, denominator=50)
    with pytest.raises(AssessmentIncomplete) as refused:
        assessment_submit(actor=admin, assessment=assessment)
    assert "1.1" in refused.value.fields and "3.1" in refused.value.fields
    assert "4.2" not in refused.value.fields  # computed: nothing to answer


def test_a_certificate_expires_and_the_reminder_task_fires():
    organization = make_organization()
    admin, assessor = make_admin(organization), make_assessor()
    _assessed(organization, admin, assessor)
    certificate = certificate_current(organization)
    today = timezone.localdate()

    # far from expiry: nothing
    assert certificates_daily.call() == {"reminded": 0, "expired": 0}
    # within the reminder days: reminded once
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=today + timedelta(days=30))
    assert certificates_daily.call() == {"reminded": 1, "expired": 0}
    assert certificates_daily.call() == {"reminded": 0, "expired": 0}
    remind = AuditEvent.objects.get(event_type=AssessmentsEvent.CERTIFICATE_REMIND)
    assert remind.system_actor == "certificates" and remind.data["days_left"] == 30
    # past its last day: expired
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_from=today - timedelta(days=3 * 365), valid_until=today - timedelta(days=1)
    )
    assert certificates_daily.call() == {"reminded": 0, "expired": 1}
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.EXPIRED and certificate_current(organization) is None
    assert AuditEvent.objects.filter(event_type=AssessmentsEvent.CERTIFICATE_EXPIRE).count() == 1


def test_a_re_assessment_replaces_the_certificate():
    organization = make_organization()
    admin, assessor = make_admin(organization), make_assessor()
    _assessed(organization, admin, assessor, score=1)
    first = certificate_current(organization)
    second_assessment = _assessed(organization, admin, assessor, score=2)
    second = certificate_current(organization)
    first.refresh_from_db()
    assert second.assessment == second_assessment and second.level.code == "model"
    assert first.status == CertificateStatus.REPLACED and first.replaced_by == second
    issue = AuditEvent.objects.filter(event_type=AssessmentsEvent.CERTIFICATE_ISSUE).latest("id")
    assert issue.data["replaces"] == str(first.public_id)


def test_a_stranger_cannot_read_the_feedback():
    organization = make_organization()
    admin, assessor = make_admin(organization), make_assessor()
    assessment = _assessed(organization, admin, assessor)
    with pytest.raises(NotFound):
        assessment_feedback(make_person(name="คนนอก องค์กร"), assessment)
    assert assessment_feedback(assessor, assessment)


def test_computed_figures_count_linked_consenting_people_and_the_verifiers_work(deed_types, verifier):
    # given the verifier's own organization, with five people linked to it
    organization = verifier.memberships.get().organization
    people = [make_person(name=f"พนักงาน คนที่{n}") for n in range(5)]
    for person in people:
        organization_link(
            actor=person, organization=organization, relation=LinkRelation.EMPLOYEE, consent=True
        )
    # four of whom have a verified deed this year, checked by the organization's verifier
    today = timezone.localdate()
    for person in people[:4]:
        deed = deed_record(
            actor=person, deed_type_public_id=deed_types["tree-planting"].public_id, performed_on=today,
            description="ปลูกต้นไม้หน้าสำนักงาน", quantity=2,
        )  # fmt: skip
        deed_verify(actor=verifier, deed_public_id=deed.public_id)

    share = figure_compute(Figure.MEMBERS_WITH_VERIFIED_DEED, organization, year=today.year)
    assert (share.numerator, share.denominator, share.value, share.hidden) == (4, 5, 80, False)
    assert share.as_dict()["value"] == "80.00"
    verified = figure_compute(Figure.DEEDS_VERIFIED, organization, year=today.year)
    assert (verified.numerator, verified.denominator) == (4, None)
    assert figure_compute(Figure.DEEDS_VERIFIED, organization, year=today.year - 1).numerator == 0


def test_a_share_of_too_few_people_is_hidden(deed_types, verifier):
    organization = verifier.memberships.get().organization
    person = make_person(name="คนเดียว ในองค์กร")
    organization_link(actor=person, organization=organization, relation=LinkRelation.MEMBER, consent=True)
    share = figure_compute(Figure.MEMBERS_WITH_VERIFIED_DEED, organization, year=timezone.localdate().year)
    assert share.hidden and share.value is None and share.as_dict()["value"] is None
