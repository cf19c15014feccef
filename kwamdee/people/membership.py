"""Membership of a community, approved by its committee (docs/architecture.md, "Fairness").

Anyone can make an account and pick a subdistrict: so picking the subdistrict of a community that
runs a goodness bank only *asks* to join it (`membership_request_open`, at sign-up and when the
person moves; the caller's own audit event names the request). The community's admins, its
committee, approve or decline the request (`membership_approve`, `membership_decline`: one audit
event each, which the notifications app turns into a message to the person).

The one rule: a person is a member of `User.community`, and only approval sets it (here, and
nowhere else; a move or an erasure empties it). Everything that membership gives reads that field:
the community's local deed types offered and accepted (catalog.selectors.deed_types_for_person),
the community a deed carries, and its committee verifying the committee's deed types
(deeds.selectors). Until then the person uses the national catalog, like anyone in a subdistrict
without a community: nothing else changes for them, and nothing is held against them."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from kwamdee.common.actors import Actor, person_or_none
from kwamdee.common.audit import audit_record
from kwamdee.common.errors import NotFound, ValidationFailed
from kwamdee.common.locks import rows_lock
from kwamdee.common.text_validation import text_problems
from kwamdee.people.choices import MembershipState
from kwamdee.people.events import PeopleEvent
from kwamdee.people.models import CommunityMembership, User
from kwamdee.people.selectors import membership_decision_refusal, membership_get

NOTE_MAX_CHARS = 500  # CommunityMembership.note


def membership_request_open(*, person: User, community: Any) -> CommunityMembership | None:
    """Ends the person's open request or membership and, when `community` is one, asks to join
    it (pending). Runs inside the caller's transaction, which holds the person's row lock and
    writes the audit event that names the request (sign-up, profile change)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("membership_request_open runs inside the caller's transaction")
    now = timezone.now()
    CommunityMembership.objects.filter(person=person, ended_at__isnull=True).update(
        ended_at=now, updated_at=now
    )
    if community is None:
        return None
    return CommunityMembership.objects.create(person=person, community=community)


def _note_clean(note: str) -> str:
    note = (note or "").strip()
    problems = text_problems(note, multiline=True, max_chars=NOTE_MAX_CHARS) if note else []
    if problems:
        raise ValidationFailed(fields={"note": problems})
    return note


def _membership_decide(
    *, actor: Actor, membership_public_id: Any, state: str, note: str, community: Any = None
) -> CommunityMembership:
    found = membership_get(membership_public_id, community=community)
    if found is None:
        raise NotFound()
    refusal = membership_decision_refusal(actor, found)  # before anything is locked or checked
    if refusal is not None:
        raise refusal
    note = _note_clean(note)
    from kwamdee.people.services import person_locked  # not at the top: services imports this module

    # The person first (common/locks.py): their move (profile_update) and this decision queue.
    person_locked(found.person_id)
    locked = rows_lock(
        CommunityMembership.objects.select_related("person", "community").filter(pk=found.pk), of=("self",)
    )
    if not locked:  # erased while this decision waited for the person's lock
        raise NotFound()
    membership = locked[0]
    refusal = membership_decision_refusal(actor, membership)  # decided or ended meanwhile
    if refusal is not None:
        raise refusal
    membership.state = state
    membership.decided_by = person_or_none(actor)
    membership.decided_at = timezone.now()
    membership.note = note
    membership.save(update_fields=["state", "decided_by", "decided_at", "note", "updated_at"])
    person = membership.person
    if state == MembershipState.APPROVED:  # the one place that makes a person a member
        person.community = membership.community
        person.save(update_fields=["community"])
    event = (
        PeopleEvent.COMMUNITY_MEMBERSHIP_APPROVE
        if state == MembershipState.APPROVED
        else PeopleEvent.COMMUNITY_MEMBERSHIP_DECLINE
    )
    audit_record(
        actor=actor, event=event, subject_id=membership.public_id,
        data={"person": str(person.public_id), "community": str(membership.community.public_id),
              "note_length": len(note)},
    )  # fmt: skip
    return membership


@transaction.atomic
def membership_approve(
    *, actor: Actor, membership_public_id: Any, note: str = "", community: Any = None
) -> CommunityMembership:
    """The committee accepts the person as a member of the community (`community`, when given,
    must be the request's: else 404): its local deed types are offered to them from now on, their
    deeds carry it, and its committee verifies the committee's deed types."""
    return _membership_decide(
        actor=actor, membership_public_id=membership_public_id, state=MembershipState.APPROVED,
        note=note, community=community,
    )  # fmt: skip


@transaction.atomic
def membership_decline(
    *, actor: Actor, membership_public_id: Any, note: str = "", community: Any = None
) -> CommunityMembership:
    """The committee does not accept the person as a member. Nothing else changes for them: they
    record deeds of the national catalog as before; the note tells them why, if the committee
    writes one."""
    return _membership_decide(
        actor=actor, membership_public_id=membership_public_id, state=MembershipState.DECLINED,
        note=note, community=community,
    )  # fmt: skip
