"""The demo's organizations and their assessment (seed_demo), made through the real services
(kwamdee/organizations, kwamdee/assessments, kwamdee/activities). Idempotent: each step looks for
what it would make first.

What it leaves:
- the อบต. หนองสาหร่าย (listed) ran a canal clean-up last week with eight volunteers, closed and
  credited; six citizens linked themselves to it (their deeds count in its totals); it was
  assessed by the independent assessor ประภาพร (0810000017) and holds a certificate, so its page
  (/organizations/directory/) shows a level, figures, and the report as PDF and XLSX;
- the demo sponsor บริษัท ใจดีเพื่อชุมชน is a registered business too, kept by its CSR manager
  ปิยนุช (0810000018): its sponsorship shows as CSR on its page, and the self-assessment she wrote
  waits on the assessor's desk;
- โรงเรียนบ้านหนองสาหร่าย, registered by the อบต.'s admin with one document, waits in staff's
  queue (/organizations/registrations/);
- the อบต.'s admin invited the citizen role (0810000002) as an activity organizer: the
  invitation waits for her answer."""

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kwamdee.activities.codes import code_make
from kwamdee.activities.selectors import activities_managed_by
from kwamdee.activities.services import activity_check, activity_close, activity_create
from kwamdee.assessments.selectors import assessments_of, certificate_current
from kwamdee.assessments.services import (
    assessment_answer,
    assessment_score,
    assessment_start,
    assessment_submit,
    template_default_load,
)
from kwamdee.catalog.selectors import deed_type_by_code
from kwamdee.common.actors import SystemActor
from kwamdee.organizations.choices import LinkRelation, MembershipRole, OrganizationKind
from kwamdee.organizations.selectors import (
    invitations_sent,
    link_current,
    organizations_directory,
    organizations_registered_by,
)
from kwamdee.organizations.services import (
    invitation_create,
    membership_grant,
    organization_create,
    organization_document_attach,
    organization_link,
    organization_register,
)

SEED = SystemActor("seed_demo")
CLEANUP_ACTIVITY = "ลอกคลองหนองสาหร่าย เก็บผักตบชวา"
SCHOOL = "โรงเรียนบ้านหนองสาหร่าย"
EVIDENCE = [
    {"title": "ประกาศเจตนารมณ์องค์กรคุณธรรม ลงนามแล้ว", "url": "https://example.org/nong-sarai/declaration.pdf"}
]
# A one-page PDF: the school's registration letter in the demo (a real file, checked like any upload).
SCHOOL_LETTER = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
    b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _cleanup_activity(organization: Any, organizer: Any, volunteers: list[Any]) -> None:
    """A canal clean-up of the อบต., closed and credited: eight volunteers, two and a half hours."""
    if activities_managed_by(organizer).filter(title=CLEANUP_ACTIVITY).exists():
        return
    start = timezone.now() - timedelta(minutes=5)  # an activity may not end in the past: `now` moves
    end = start + timedelta(hours=2, minutes=30)
    activity = activity_create(
        actor=organizer, organizer=f"organization:{organization.public_id}", title=CLEANUP_ACTIVITY,
        deed_type_public_id=deed_type_by_code("volunteer-hours", national=True).public_id,  # type: ignore[union-attr]
        subdistrict_code=organization.scope_area_code, starts_at=start, ends_at=end, capacity=30,
    )  # fmt: skip
    for person in volunteers:
        for action, at in (("check_in", start), ("check_out", end)):
            activity_check(
                actor=person, activity_public_id=activity.public_id, action=action, now=at,
                code=code_make(activity.public_id, at),
            )  # fmt: skip
    activity_close(actor=organizer, activity_public_id=activity.public_id, now=end + timedelta(minutes=10))


def _assessed(organization: Any, admin: Any, assessor: Any, *, score: bool) -> None:
    """The organization's self-assessment, submitted; scored by the assessor when `score`."""
    if certificate_current(organization) is not None or assessments_of(organization).exists():
        return
    assessment = assessment_start(actor=admin, organization=organization)
    for activity in assessment.template.activities.all():
        for item in activity.items.all():
            kwargs: dict[str, Any] = {"evidence": EVIDENCE if item.evidence_required else ()}
            if item.rule == "threshold":
                kwargs |= {"numerator": 41, "denominator": 48}
            elif item.rule == "judgement":
                kwargs["self_score"] = 2
            assessment_answer(actor=admin, assessment=assessment, item_code=item.code, **kwargs)
    assessment = assessment_submit(actor=admin, assessment=assessment)
    if not score:
        return
    scores = {item.code: 2 for a in assessment.template.activities.all() for item in a.items.all()}
    first_item = next(iter(scores))
    scores[first_item] = 1
    assessment_score(
        actor=assessor, assessment=assessment, scores=scores,
        comments={first_item: "ผู้บริหารลงนามครบ แต่สมาชิกยังลงนามไม่ถึงร้อยละ 80 ควรเชิญชวนเพิ่ม"},
        comment="องค์กรมีแผนและกิจกรรมส่งเสริมคุณธรรมต่อเนื่อง ชุมชนมีส่วนร่วมดีมาก",
    )  # fmt: skip


def organizations_seed(
    *, organization: Any, org_admin: Any, csr_manager: Any, assessor: Any, citizen: Any,
    volunteers: list[Any], linked: list[Any],
) -> Any:  # fmt: skip
    """Everything of the organization level in the demo (see the module's text). Returns the
    business that the demo sponsor is, so that the sponsor can name it."""
    template_default_load(actor=SEED)  # gone from a database flushed after migrating
    _cleanup_activity(organization, org_admin, volunteers)
    for person in linked:
        if link_current(person, organization) is None:
            organization_link(
                actor=person, organization=organization, relation=LinkRelation.MEMBER, consent=True
            )
    business = _business(csr_manager)
    csr_manager = get_user_model().objects.get(pk=csr_manager.pk)  # her new role's permissions
    _assessed(organization, org_admin, assessor, score=True)
    _assessed(business, csr_manager, assessor, score=False)
    if not organizations_registered_by(org_admin):
        school = organization_register(
            actor=org_admin, name_th=SCHOOL, name_en="Ban Nong Sarai School",
            type_code=OrganizationKind.SCHOOL, area_code=organization.scope_area_code,
            registration_number="1071090123",
            phone="034599123", email="school@nongsarai.example", address="หมู่ 3 ตำบลหนองสาหร่าย อำเภอพนมทวน",
            listed=True,
        )  # fmt: skip
        organization_document_attach(
            actor=org_admin, organization=school, title="หนังสือจัดตั้งโรงเรียน",
            upload=SimpleUploadedFile("letter.pdf", SCHOOL_LETTER, content_type="application/pdf"),
        )  # fmt: skip
    if not invitations_sent(organization):
        invitation_create(
            actor=org_admin, organization=organization, login=citizen.phone,
            role=MembershipRole.ACTIVITY_ORGANIZER,
        )  # fmt: skip
    return business


def _business(csr_manager: Any) -> Any:
    found = organizations_directory().filter(name_th="บริษัท ใจดีเพื่อชุมชน จำกัด").first()
    if found is not None:
        return found
    business = organization_create(
        actor=SEED, name_th="บริษัท ใจดีเพื่อชุมชน จำกัด", name_en="Jaidee for Communities Co., Ltd.",
        kind=OrganizationKind.BUSINESS, scope_area_code="7109", listed=True,
    )  # fmt: skip
    membership_grant(actor=SEED, organization=business, person=csr_manager, role=MembershipRole.ADMIN)
    return business
