"""Test helpers for membership of a community (kwamdee/people/membership.py): a committee member,
a newcomer whose request waits, and a local deed type the committee verifies."""

from kwamdee.areas.services import community_admin_grant
from kwamdee.catalog.selectors import rule_proposals_waiting
from kwamdee.catalog.services import deed_type_create, rule_proposal_approve
from kwamdee.people.models import User
from kwamdee.people.selectors import membership_current
from tests.factories import NONG_SARAI, SYSTEM, make_person

LOCAL_ROW = {
    "code": "nong-sarai-canal", "category": "", "name_th": "ลอกคลองหนองสาหร่าย",
    "name_en": "Nong Sarai canal clean-up", "description_th": "", "description_en": "",
    "pricing": "per_deed", "credit_per_unit": "5", "points_per_unit": "5", "per_day": "1",
    "per_week": "", "per_month": "", "per_year": "50", "cooldown_days": "", "evidence": "none",
    "witnesses_required": "", "verifier": "committee", "virtues": "volunteerism=1", "sdgs": "6",
    "indicators": "", "adjust_bound_pct": "", "is_active": "", "effective_from": "",
}  # fmt: skip


def committee_member(community, *, name="ประยูร ดูแลชุมชน", subdistrict=NONG_SARAI, phone=None) -> User:
    """An admin of `community` (one of its committee), fresh from the database."""
    person = make_person(name=name, subdistrict=subdistrict, phone=phone)
    community_admin_grant(actor=SYSTEM, community=community, person=person)
    return User.objects.get(pk=person.pk)


def newcomer(*, name="บุญเรือน แก้วประเสริฐ", subdistrict=NONG_SARAI, phone=None) -> User:
    """A person who just signed up in a community's subdistrict: their request waits."""
    return make_person(name=name, subdistrict=subdistrict, phone=phone, community_member=False)


def waiting_request(person):
    membership = membership_current(person)
    assert membership is not None and membership.state == "pending"
    return membership


def local_deed_type(community, **row):
    """A local deed type of `community`, verified by its committee, approved and in force."""
    deed_type = deed_type_create(actor=SYSTEM, row={**LOCAL_ROW, **row}, community=community)
    for proposal in rule_proposals_waiting(community):
        if proposal.deed_type_id == deed_type.pk:
            rule_proposal_approve(actor=SYSTEM, proposal=proposal)
    deed_type.refresh_from_db()
    return deed_type
