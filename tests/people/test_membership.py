"""Membership of a community, approved by its committee (kwamdee/people/membership.py): signing up
asks; the community's admins approve or decline, once, with a note; only approval makes a person a
member; who may decide is one rule; the person is told; `member_since` says from when."""

from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone, translation

from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.models import AuditEvent
from kwamdee.notifications.models import Notification
from kwamdee.notifications.texts import notification_text
from kwamdee.people.errors import MembershipNotWaiting, OwnMembershipRequest
from kwamdee.people.events import PeopleEvent
from kwamdee.people.membership import membership_approve, membership_decline
from kwamdee.people.models import CommunityMembership, User
from kwamdee.people.selectors import (
    member_since,
    membership_current,
    membership_decision_refusal,
    membership_requests_waiting,
)
from kwamdee.people.services import person_signup, profile_update
from tests.audit import assert_one_audit
from tests.concurrency import run_at_once
from tests.factories import BANGKOK_SUBDISTRICT, PASSWORD, PHANOM_THUAN, SYSTEM, make_community, make_person
from tests.people.membership_helpers import committee_member, newcomer, waiting_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return make_community()


@pytest.fixture
def admin(community):
    return committee_member(community)


def _unchanged(person, membership):
    """Nothing happened: the request still waits and the person is no member."""
    membership.refresh_from_db()
    person.refresh_from_db()
    assert (membership.state, membership.decided_by, membership.decided_at) == ("pending", None, None)
    assert person.community is None
    assert not AuditEvent.objects.filter(subject_id=str(membership.public_id)).exists()


# --- asking ------------------------------------------------------------------------------------


def test_signing_up_in_a_communitys_subdistrict_asks_to_join_it(community):
    person = person_signup(
        full_name="บุญเรือน แก้วประเสริฐ", password=PASSWORD, subdistrict_code=community.subdistrict_code,
        consent_given=True, phone="0891112222", contact_proven=True,
    )  # fmt: skip
    membership = waiting_request(person)
    assert membership.community == community and membership.ended_at is None
    # asking is not belonging
    assert person.community is None and member_since(person) is None
    event = assert_one_audit(PeopleEvent.SIGNUP, subject_id=str(person.public_id))
    assert event.data["community_requested"] == str(community.public_id)


def test_signing_up_where_there_is_no_community_asks_nothing(community):
    person = make_person(subdistrict=BANGKOK_SUBDISTRICT, community_member=False)
    assert membership_current(person) is None and person.community is None
    assert assert_one_audit(PeopleEvent.SIGNUP).data["community_requested"] is None


def test_moving_ends_the_membership_and_asks_the_new_community(community):
    other = make_community(PHANOM_THUAN)
    person = make_person()
    assert person.community == community
    profile_update(
        person=person, full_name=person.full_name, phone=person.phone, email="",
        subdistrict_code=PHANOM_THUAN,
    )  # fmt: skip
    person.refresh_from_db()
    assert person.community is None and member_since(person) is None
    assert waiting_request(person).community == other
    assert CommunityMembership.objects.get(person=person, community=community).ended_at is not None
    # moving where there is no community ends the request and asks nothing
    profile_update(
        person=person, full_name=person.full_name, phone=person.phone, email="",
        subdistrict_code=BANGKOK_SUBDISTRICT,
    )  # fmt: skip
    assert membership_current(person) is None
    assert not CommunityMembership.objects.filter(person=person, ended_at__isnull=True).exists()


# --- deciding ----------------------------------------------------------------------------------


def test_the_committee_approves_and_the_person_becomes_a_member(community, admin):
    person = newcomer()
    membership = waiting_request(person)
    assert list(membership_requests_waiting(admin)) == [membership]

    note = "ยินดีต้อนรับ"
    decided = membership_approve(actor=admin, membership_public_id=membership.public_id, note=note)

    person.refresh_from_db()
    assert person.community == community
    assert (decided.state, decided.decided_by, decided.note) == ("approved", admin, "ยินดีต้อนรับ")
    assert member_since(person) == decided.decided_at
    assert not membership_requests_waiting(admin).exists()
    event = assert_one_audit(PeopleEvent.COMMUNITY_MEMBERSHIP_APPROVE, subject_id=str(membership.public_id))
    assert event.actor == admin
    # the note is the person's to read, not the append-only log's
    assert event.data == {
        "person": str(person.public_id),
        "community": str(community.public_id),
        "note_length": len(note),
    }
    # the person is told, with the note, in their language
    [notification] = Notification.objects.filter(person=person)
    assert notification.kind == "membership_approved" and notification.link.endswith("#community")
    with translation.override("en"):
        text = notification_text(notification.kind, notification.params)
    assert text.title == "You are now a member of Nong Sarai Goodness Bank"
    assert "ยินดีต้อนรับ" in text.body


def test_the_committee_declines_with_a_note_and_nothing_else_changes(community, admin):
    person = newcomer()
    membership = waiting_request(person)
    decided = membership_decline(actor=admin, membership_public_id=membership.public_id, note="ยังไม่รู้จักกัน")
    person.refresh_from_db()
    assert person.community is None and member_since(person) is None
    assert (decided.state, decided.note) == ("declined", "ยังไม่รู้จักกัน")
    assert_one_audit(PeopleEvent.COMMUNITY_MEMBERSHIP_DECLINE, subject_id=str(membership.public_id))
    [notification] = Notification.objects.filter(person=person)
    with translation.override("th"):
        text = notification_text(notification.kind, notification.params)
    assert "ธนาคารความดีหนองสาหร่าย" in text.title and "ยังไม่รู้จักกัน" in text.body


def test_an_admin_of_another_community_cannot_decide(community):
    other_admin = committee_member(
        make_community(PHANOM_THUAN), name="กรรมการ ตำบลอื่น", subdistrict=PHANOM_THUAN
    )
    person = newcomer()
    membership = waiting_request(person)
    assert isinstance(membership_decision_refusal(other_admin, membership), NotFound)
    assert not membership_requests_waiting(other_admin).exists()
    for decide in (membership_approve, membership_decline):
        with pytest.raises(NotFound):
            decide(actor=other_admin, membership_public_id=membership.public_id)
    _unchanged(person, membership)


def test_a_citizen_cannot_decide(community, citizen):
    person = newcomer()
    membership = waiting_request(person)
    assert citizen.community == community  # even a member of the same community
    with pytest.raises(PermissionDenied):
        membership_approve(actor=citizen, membership_public_id=membership.public_id)
    _unchanged(person, membership)


def test_nobody_decides_their_own_request(community, admin):
    second = committee_member(community, name="ชไมพร ร่วมใจ")
    # the admin moves away and back: their own new request waits for another committee member
    for code in (PHANOM_THUAN, community.subdistrict_code):
        profile_update(
            person=admin, full_name=admin.full_name, phone=admin.phone, email="", subdistrict_code=code
        )
    admin = User.objects.get(pk=admin.pk)
    own = waiting_request(admin)
    with pytest.raises(OwnMembershipRequest):
        membership_approve(actor=admin, membership_public_id=own.public_id)
    _unchanged(admin, own)
    membership_approve(actor=second, membership_public_id=own.public_id)
    admin.refresh_from_db()
    assert admin.community == community


def test_a_request_is_decided_once(community, admin):
    membership = waiting_request(newcomer())
    membership_decline(actor=admin, membership_public_id=membership.public_id)
    with pytest.raises(MembershipNotWaiting):
        membership_approve(actor=admin, membership_public_id=membership.public_id)
    membership.refresh_from_db()
    assert membership.state == "declined"
    assert AuditEvent.objects.filter(subject_id=str(membership.public_id)).count() == 1


def test_a_request_left_behind_by_a_move_cannot_be_approved(community, admin):
    person = newcomer()
    membership = waiting_request(person)
    profile_update(
        person=person, full_name=person.full_name, phone=person.phone, email="", subdistrict_code=PHANOM_THUAN
    )
    with pytest.raises(MembershipNotWaiting):
        membership_approve(actor=admin, membership_public_id=membership.public_id)
    person.refresh_from_db()
    assert person.community is None


def test_a_note_is_checked_like_any_text_people_write(community, admin):
    person = newcomer()
    membership = waiting_request(person)
    for note in ("x" * 501, "ผิด\u202eปกติ"):
        with pytest.raises(ValidationFailed) as exc:
            membership_decline(actor=admin, membership_public_id=membership.public_id, note=note)
        assert "note" in exc.value.fields
    _unchanged(person, membership)


def test_a_request_of_another_community_named_with_the_wrong_community_is_not_found(community, admin):
    membership = waiting_request(newcomer())
    other = make_community(PHANOM_THUAN)
    with pytest.raises(NotFound):
        membership_approve(actor=admin, membership_public_id=membership.public_id, community=other)
    with pytest.raises(NotFound):
        membership_approve(actor=admin, membership_public_id="not-a-uuid")


def test_the_system_decides_without_telling_anyone(community):
    person = newcomer()
    membership_approve(actor=SYSTEM, membership_public_id=waiting_request(person).public_id)
    person.refresh_from_db()
    assert person.community == community
    assert not Notification.objects.filter(person=person).exists()


# --- member_since ------------------------------------------------------------------------------


def test_member_since_is_when_the_committee_approved(community, admin):
    person = newcomer()
    assert member_since(person) is None  # waiting
    before = timezone.now()
    membership_approve(actor=admin, membership_public_id=waiting_request(person).public_id)
    person.refresh_from_db()
    since = member_since(person)
    assert since is not None and before <= since <= timezone.now()
    assert member_since(make_person(subdistrict=BANGKOK_SUBDISTRICT)) is None  # no community
    assert member_since(None) is None


def test_people_who_were_members_before_count_from_the_day_they_joined(community):
    # given a person placed in the community at sign-up before committees decided (no row)
    person = make_person(community_member=False)
    CommunityMembership.objects.filter(person=person).delete()
    joined = timezone.now() - timedelta(days=400)
    User.objects.filter(pk=person.pk).update(community=community, date_joined=joined)
    # when the migration's data step runs
    migration = __import__("kwamdee.people.migrations.0007_community_membership", fromlist=["_"])
    migration.existing_members_approved(django_apps, None)
    # then they are an approved member since the day they joined, decided by nobody
    person.refresh_from_db()
    membership = membership_current(person)
    assert (membership.state, membership.decided_by, membership.community) == ("approved", None, community)
    assert member_since(person) == joined == membership.created_at


# --- at the same moment (PostgreSQL) -----------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_committee_members_deciding_at_once_decide_once(postgres_only):
    community = make_community()
    first, second = committee_member(community), committee_member(community, name="ชไมพร ร่วมใจ")
    person = newcomer()
    membership = waiting_request(person)

    def approve():
        membership_approve(actor=User.objects.get(pk=first.pk), membership_public_id=membership.public_id)

    def decline():
        membership_decline(actor=User.objects.get(pk=second.pk), membership_public_id=membership.public_id)

    outcomes = run_at_once([approve, decline], expected={MembershipNotWaiting: "not waiting"})
    assert sorted(outcomes) == ["not waiting", "ok"]
    membership.refresh_from_db()
    person.refresh_from_db()
    assert (person.community == community) == (membership.state == "approved")
    assert AuditEvent.objects.filter(subject_id=str(membership.public_id)).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_approval_and_a_move_at_once_never_leave_a_member_of_the_old_community(postgres_only):
    community = make_community()
    make_community(PHANOM_THUAN)
    admin = committee_member(community)
    person = newcomer()
    membership = waiting_request(person)

    def approve():
        membership_approve(actor=User.objects.get(pk=admin.pk), membership_public_id=membership.public_id)

    def move():
        mover = User.objects.get(pk=person.pk)
        profile_update(
            person=mover,
            full_name=mover.full_name,
            phone=mover.phone,
            email="",
            subdistrict_code=PHANOM_THUAN,
        )

    outcomes = run_at_once([approve, move], expected={MembershipNotWaiting: "not waiting"})
    person.refresh_from_db()
    # whichever came first, the person ends in Phanom Thuan with no community, asking to join its own
    assert person.subdistrict_code == PHANOM_THUAN and person.community is None
    assert waiting_request(person).community.subdistrict_code == PHANOM_THUAN
    assert sorted(outcomes) in (["ok", "ok"], ["not waiting", "ok"])
