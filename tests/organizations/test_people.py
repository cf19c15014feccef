"""The people of an organization (issue 13): officers come by invitation, which only the invited
person answers; people link themselves with their consent and unlink at any time; their deeds
count in the organization's figures only as totals over enough people, and only while linked;
everything is in the person's data and goes with erasure."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.models import AuditEvent
from kwamdee.common.personal_data import personal_data_collect
from kwamdee.common.roles import Role, role_grant
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.models import Deed
from kwamdee.deeds.services import deed_record, deed_verify
from kwamdee.organizations.choices import InvitationState, MembershipRole, OrganizationState
from kwamdee.organizations.errors import (
    AlreadyLinked,
    InvitationNotFound,
    LinkConsentRequired,
    OrganizationNotApproved,
)
from kwamdee.organizations.models import Invitation, Membership, Organization, OrganizationLink
from kwamdee.organizations.selectors import (
    invitations_for,
    invitations_sent,
    link_current,
    linked_people_count,
    member_figures,
    organization_member_ids,
    organizations_organized_by,
    organizations_verified_by,
)
from kwamdee.organizations.services import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    membership_grant,
    organization_approve,
    organization_link,
    organization_register,
    organization_unlink,
)
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.models import User
from kwamdee.people.selectors import consent_active
from kwamdee.people.services import consent_withdraw
from kwamdee.privacy.services import person_erase
from tests.factories import PASSWORD, SYSTEM, days_ago, make_person, make_verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return make_person(name="ผู้บริหาร องค์กร", phone="0871111111")


@pytest.fixture
def organization(admin):
    staff = make_person(name="เจ้าหน้าที่", phone="0872222222")
    role_grant(actor=SYSTEM, person=staff, role=Role.STAFF)
    registered = organization_register(
        actor=admin, name_th="บริษัท ทำดี จำกัด", type_code="business", area_code="7109",
        phone="0871111111", email="admin@example.org", address="ถนนแสงชูโต",
    )  # fmt: skip
    return organization_approve(actor=User.objects.get(pk=staff.pk), organization=registered)


def fresh(person):
    return User.objects.get(pk=person.pk)


# Invitations


def test_an_invited_person_acts_only_after_accepting(admin, organization):
    invitee = make_person(name="สมปอง ตรวจดี", phone="0873333333")
    invitation = invitation_create(
        actor=fresh(admin), organization=organization, login="087-333-3333", role=MembershipRole.VERIFIER
    )
    assert invitation.login == "0873333333" and invitation.invitee is None
    assert not Membership.objects.filter(person=invitee).exists()
    assert organizations_verified_by(invitee) == []
    assert list(invitations_for(invitee)) == [invitation]
    membership = invitation_accept(actor=invitee, invitation_id=invitation.public_id)
    assert membership.role == MembershipRole.VERIFIER
    assert organizations_verified_by(fresh(invitee)) == [organization]
    assert fresh(invitee).has_perm("deeds.verify_deed")
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED and invitation.invitee == invitee
    with pytest.raises(InvitationNotFound):  # no longer waiting: not among theirs
        invitation_accept(actor=invitee, invitation_id=invitation.public_id)


def test_declining_adds_nobody(admin, organization):
    invitee = make_person(phone="0873333334")
    invitation = invitation_create(
        actor=fresh(admin), organization=organization, login="0873333334", role=MembershipRole.ASSESSOR
    )
    invitation_decline(actor=invitee, invitation_id=invitation.public_id)
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.DECLINED
    assert not Membership.objects.filter(person=invitee).exists()
    assert AuditEvent.objects.filter(event_type="organization_invitation:decline").count() == 1


def test_nobody_else_can_answer_an_invitation(admin, organization):
    invitation = invitation_create(
        actor=fresh(admin),
        organization=organization,
        login="someone@example.org",
        role=MembershipRole.VERIFIER,
    )
    for other in (make_person(phone="0873333335"), fresh(admin)):
        with pytest.raises(InvitationNotFound):
            invitation_accept(actor=other, invitation_id=invitation.public_id)
        with pytest.raises(InvitationNotFound):
            invitation_decline(actor=other, invitation_id=invitation.public_id)
    # Someone who typed the address at sign-up without proving it cannot take it either.
    claimant = make_person(phone="0873333336", email="someone@example.org", contact_proven=False)
    with pytest.raises(InvitationNotFound):
        invitation_accept(actor=claimant, invitation_id=invitation.public_id)
    assert Invitation.objects.get().state == InvitationState.PENDING


def test_an_invitation_reveals_no_name_and_waits_for_an_unregistered_phone(admin, organization):
    registered = make_person(name="ชื่อจริง ที่ไม่ควรรั่ว", phone="0874444444")
    known = invitation_create(
        actor=fresh(admin),
        organization=organization,
        login="0874444444",
        role=MembershipRole.ACTIVITY_ORGANIZER,
    )
    unknown = invitation_create(
        actor=fresh(admin),
        organization=organization,
        login="0875555555",
        role=MembershipRole.ACTIVITY_ORGANIZER,
    )
    # What the admin gets back and reads is the same for both: the address, the role, the state.
    for invitation in invitations_sent(organization):
        assert invitation.invitee_id is None and invitation.state == InvitationState.PENDING
    events = AuditEvent.objects.filter(event_type="organization_invitation:create")
    assert [set(e.data) for e in events] == [{"invitation", "role", "channel"}] * 2
    assert registered.full_name not in str([e.data for e in events])
    assert "0874444444" not in str([e.data for e in events])
    assert known.invitee_id is None and unknown.invitee_id is None
    # The same invitation again is the one waiting, not a second one.
    again = invitation_create(
        actor=fresh(admin),
        organization=organization,
        login="087-555-5555",
        role=MembershipRole.ACTIVITY_ORGANIZER,
    )
    assert again.pk == unknown.pk
    # Whoever signs up later with that phone finds it, and accepts it.
    newcomer = make_person(phone="0875555555")
    assert list(invitations_for(newcomer)) == [unknown]
    invitation_accept(actor=newcomer, invitation_id=unknown.public_id)
    assert organizations_organized_by(newcomer) == [organization]
    assert organizations_verified_by(newcomer) == []  # an organizer verifies nothing


def test_only_admins_of_an_approved_organization_invite(admin, organization):
    with pytest.raises(PermissionDenied):
        invitation_create(
            actor=make_person(phone="0876666666"), organization=organization, login="0877777777",
            role=MembershipRole.VERIFIER,
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        invitation_create(actor=fresh(admin), organization=organization, login="hello", role="verifier")
    assert "login" in exc.value.fields
    with pytest.raises(ValidationFailed):  # admins are not invited: staff grant that
        invitation_create(actor=fresh(admin), organization=organization, login="0877777777", role="admin")
    pending = organization_register(
        actor=admin, name_th="รออนุมัติ", type_code="media", area_code="71", phone="0871111111"
    )
    with pytest.raises(OrganizationNotApproved):
        invitation_create(actor=SYSTEM, organization=pending, login="0877777777", role="verifier")


def test_an_admin_cannot_add_an_officer_without_their_yes(admin, organization):
    someone = make_person(phone="0877777778")
    with pytest.raises(PermissionDenied):
        membership_grant(actor=fresh(admin), organization=organization, person=someone, role="verifier")
    assert not Membership.objects.filter(person=someone).exists()


# Links


def test_a_person_links_with_consent_and_unlinks(organization):
    person = make_person(phone="0878888888")
    with pytest.raises(LinkConsentRequired) as exc:
        organization_link(actor=person, organization=organization, relation="employee", consent=False)
    assert "consent" in exc.value.fields
    assert not OrganizationLink.objects.exists()
    link = organization_link(actor=person, organization=organization, relation="employee", consent=True)
    assert consent_active(person=person, purpose=ConsentPurpose.ORGANIZATION_FIGURES) is not None
    assert link_current(person, organization) == link
    assert person.pk in organization_member_ids(organization)
    with pytest.raises(AlreadyLinked):
        organization_link(actor=person, organization=organization, relation="member", consent=True)
    ended = organization_unlink(actor=person, organization=organization)
    assert ended.unlinked_at is not None and link_current(person, organization) is None
    with pytest.raises(NotFound):
        organization_unlink(actor=person, organization=organization)
    # Linking again is a new link.
    organization_link(actor=person, organization=organization, relation="member", consent=True)
    assert OrganizationLink.objects.filter(person=person).count() == 2
    events = AuditEvent.objects.filter(event_type__startswith="organization_link:").order_by("id")
    assert [e.event_type for e in events] == [
        "organization_link:create", "organization_link:end", "organization_link:create"
    ]  # fmt: skip
    assert events[0].data == {"relation": "employee", "consent_given": True}
    assert events[2].data["consent_given"] is False  # still in force


def test_nobody_links_to_an_organization_not_approved(admin):
    pending = organization_register(
        actor=admin, name_th="รออนุมัติ", type_code="media", area_code="71", phone="0871111111"
    )
    with pytest.raises(NotFound):
        organization_link(
            actor=make_person(phone="0879999999"), organization=pending, relation="member", consent=True
        )
    assert pending.state == OrganizationState.PENDING


# Figures: totals only, over enough people, and only while linked


@pytest.fixture
def deeds_of(deed_types):
    verifier = make_verifier(scope="71", name="ผู้ตรวจ อำเภอ")

    def make(person, days, units=2):
        deed = deed_record(
            actor=person, deed_type_public_id=deed_types["tree-planting"].public_id,
            performed_on=days_ago(days), quantity=units, description="ปลูกต้นไม้ริมถนน",
        )  # fmt: skip
        return deed_verify(actor=verifier, deed_public_id=deed.public_id)

    return make


def _link(organization, person, *, days_ago_linked):
    link = organization_link(actor=person, organization=organization, relation="employee", consent=True)
    OrganizationLink.objects.filter(pk=link.pk).update(
        linked_at=timezone.now() - timedelta(days=days_ago_linked)
    )
    return link


def figures(organization):
    verified = Deed.objects.filter(status=DeedStatus.VERIFIED)
    return member_figures(organization, verified, date_field="performed_on", sum_field="credit_awarded")


def test_figures_are_hidden_below_five_people_and_never_name_anyone(organization, deeds_of):
    people = [make_person(name=f"พนักงาน {n}", phone=f"08800000{n:02d}") for n in range(5)]
    for person in people[:4]:
        _link(organization, person, days_ago_linked=30)
        deeds_of(person, days=10)
    hidden = figures(organization)
    assert hidden.hidden and hidden.people is None and hidden.rows is None and hidden.total is None
    assert linked_people_count(organization) is None
    _link(organization, people[4], days_ago_linked=30)
    deeds_of(people[4], days=10)
    shown = figures(organization)
    assert not shown.hidden
    assert (shown.people, shown.rows) == (5, 5)
    assert shown.total == sum(Deed.objects.values_list("credit_awarded", flat=True))
    assert linked_people_count(organization) == 5
    # Only numbers: nothing of a person is in what the selector returns.
    assert set(vars(shown)) == {"people", "rows", "total", "hidden", "min_people"}


def test_deeds_outside_the_link_do_not_count_and_an_unlinked_members_later_deeds_drop(organization, deeds_of):
    people = [make_person(name=f"สมาชิก {n}", phone=f"08900000{n:02d}") for n in range(6)]
    for person in people:
        _link(organization, person, days_ago_linked=30)
        deeds_of(person, days=20)
    leaver = people[0]
    deeds_of(leaver, days=40, units=1)  # before linking: never counts
    assert (figures(organization).people, figures(organization).rows) == (6, 6)
    organization_unlink(actor=leaver, organization=organization)
    OrganizationLink.objects.filter(person=leaver).update(unlinked_at=timezone.now() - timedelta(days=5))
    deeds_of(leaver, days=3, units=3)  # after the unlink: does not count
    after = figures(organization)
    assert (after.people, after.rows) == (6, 6)  # the deed from while linked still counts
    # Withdrawing the consent takes all of the person's deeds out of the totals.
    consent_withdraw(person=people[1], purpose=ConsentPurpose.ORGANIZATION_FIGURES, actor=people[1])
    assert (figures(organization).people, figures(organization).rows) == (5, 5)
    # A member of another organization counts nowhere here.
    other = Organization.objects.exclude(pk=organization.pk).first()
    assert figures(other).hidden


# Personal data and erasure


def test_the_persons_data_shows_and_erasure_removes_what_organizations_hold(admin, organization):
    person = make_person(name="ลบ ทิ้งได้", phone="0861234567", email="erase.me@example.org")
    invitation_create(actor=fresh(admin), organization=organization, login="0861234567", role="verifier")
    organization_link(actor=person, organization=organization, relation="member", consent=True)
    waiting = organization_register(
        actor=person, name_th="กลุ่มออมทรัพย์", type_code="community", area_code="710911",
        phone="0861234567", email="erase.me@example.org", address="บ้านเลขที่ 9",
    )  # fmt: skip
    with translation.override("en"):
        section = next(s for s in personal_data_collect(person) if s.key == "memberships")
    text = str(section.rows)
    assert "0861234567" in text and "บ้านเลขที่ 9" in text and "กลุ่มออมทรัพย์" in text
    assert {row["what"] for row in section.rows} == {
        "Role",
        "Registered by you",
        "Invitation",
        "Linked by you",
    }
    assert {tuple(row) for row in section.rows} == {("organization", "what", "details", "from", "until")}

    person_erase(actor=person, person=person, password=PASSWORD)

    assert not OrganizationLink.objects.filter(person=person).exists()
    assert not Invitation.objects.filter(login="0861234567").exists()
    assert not Membership.objects.filter(person=person).exists()
    waiting.refresh_from_db()
    assert waiting.state == OrganizationState.DECLINED
    assert (waiting.phone, waiting.email, waiting.address) == ("", "", "")
    # The approved organization's contacts are its own (not the erased person's): they stay.
    organization.refresh_from_db()
    assert organization.phone == "0871111111"
