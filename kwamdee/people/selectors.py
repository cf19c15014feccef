"""Reads about people: who someone is, whether they consent, and which community they belong to."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kwamdee.areas.selectors import community_administered_by, community_ids_administered_by
from kwamdee.common.actors import is_system
from kwamdee.common.errors import NotFound, PermissionDenied, ServiceError
from kwamdee.people.choices import CodePurpose, ConsentPurpose, MembershipState
from kwamdee.people.errors import MembershipNotWaiting, OwnMembershipRequest
from kwamdee.people.models import CommunityMembership, Consent, OneTimeCode, User
from kwamdee.people.notices import Notice, notices


def consent_active(*, person: User, purpose: str = ConsentPurpose.MEMBERSHIP) -> Consent | None:
    """The person's consent in force for `purpose`, or None: the one question "does this person
    take part?" that every service asks here."""
    return person.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()


def consenting_filter(*, person_field: str = "person", purpose: str = ConsentPurpose.MEMBERSHIP) -> Exists:
    """The same question as a filter over rows that name a person in `person_field`."""
    return Exists(
        Consent.objects.filter(person=OuterRef(person_field), purpose=purpose, withdrawn_at__isnull=True)
    )


def consent_history(*, person: User) -> list[Consent]:
    return list(Consent.objects.filter(person=person))


def person_by_public_id(public_id: Any) -> User | None:
    try:
        return User.objects.filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        return None


def people_by_pk(pks: list[int]) -> list[User]:
    """The active people among `pks` (a notification's recipients, named by id in an event)."""
    return list(User.objects.filter(pk__in=[int(pk) for pk in pks], is_active=True)) if pks else []


def person_by_login(login: str) -> User | None:
    """The person who signs in with this phone number or e-mail address, however it is typed."""
    from kwamdee.people.services import login_normalize

    normalized = login_normalize(login or "")
    if not normalized:
        return None
    return User.objects.filter(Q(phone=normalized) | Q(email=normalized)).first()


def contact_confirmed(person: Any) -> bool:
    """Whether the person proved, by a one-time code, that their phone or e-mail is theirs: the
    one question "may this person record deeds yet?" asks besides consent (deeds.services.deed_record
    refuses, the deed page and the passbook say so first). People who joined before the rule were
    marked confirmed (migration people.0005)."""
    return getattr(person, "contact_confirmed_at", None) is not None


def person_with_username(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def password_reset_person(code_id: Any) -> User | None:
    """The person whose reset code `code_id` was entered within ONE_TIME_CODE_MINUTES and not
    yet used: who may set a new password now (people/password_reset.py)."""
    if not isinstance(code_id, int):
        return None
    since = timezone.now() - timedelta(minutes=settings.ONE_TIME_CODE_MINUTES)
    row = (
        OneTimeCode.objects.select_related("person")
        .filter(pk=code_id, purpose=CodePurpose.PASSWORD_RESET, used_at__isnull=True, verified_at__gte=since)
        .first()
    )
    return row.person if row is not None else None


@dataclass(frozen=True)
class ConsentStatus:
    """One purpose on the person's consent page: its notice, the consent in force (or None), and
    whether that consent was given under an older notice than the one in force now."""

    notice: Notice
    active: Consent | None

    @property
    def outdated(self) -> bool:
        return self.active is not None and self.active.notice_version != self.notice.version

    @property
    def label(self) -> str:
        return str(ConsentPurpose(self.notice.purpose).label)


def consents_overview(*, person: User) -> list[ConsentStatus]:
    active = {c.purpose: c for c in person.consents.filter(withdrawn_at__isnull=True)}
    return [ConsentStatus(notice, active.get(notice.purpose)) for notice in notices()]


def consents_outdated(*, person: User) -> list[ConsentStatus]:
    """The consents in force under a notice that has changed since: the person is asked again."""
    return [status for status in consents_overview(person=person) if status.outdated]


# Membership of a community (people/membership.py). A person is a member of `User.community`,
# which only its committee's approval sets; these read the requests and decisions behind it.


def member_since(person: Any) -> datetime | None:
    """When the committee approved the person's membership of the community they belong to now,
    or None when they belong to none (no community in their subdistrict, a request waiting or
    declined). People who were members before approval existed count from the day they joined
    (migration people.0007). What a new member's first deeds are measured from."""
    community_id = getattr(person, "community_id", None)
    if not community_id or not getattr(person, "pk", None):
        return None
    return (
        CommunityMembership.objects.filter(
            person_id=person.pk,
            community_id=community_id,
            state=MembershipState.APPROVED,
            ended_at__isnull=True,
        )
        .values_list("decided_at", flat=True)
        .first()
    )


def members_since(people: Any) -> dict[int, datetime]:
    """`member_since` of many people in one query ({person id: approved at}); people who are no
    community's member are left out. For the flags of a batch of deeds (deeds/flags.py)."""
    wanted = {p.pk: p.community_id for p in people if getattr(p, "community_id", None)}
    if not wanted:
        return {}
    rows = CommunityMembership.objects.filter(
        person_id__in=list(wanted), state=MembershipState.APPROVED, ended_at__isnull=True
    ).values_list("person_id", "community_id", "decided_at")
    return {pid: at for pid, cid, at in rows if wanted.get(pid) == cid and at is not None}


def membership_current(person: Any) -> CommunityMembership | None:
    """The person's open request or membership (the one not ended by a move), or None."""
    if not getattr(person, "pk", None):
        return None
    return (
        CommunityMembership.objects.select_related("community")
        .filter(person_id=person.pk, ended_at__isnull=True)
        .first()
    )


def membership_history(person: Any) -> list[CommunityMembership]:
    """Every request the person made to join a community and what became of it, oldest first."""
    return list(
        CommunityMembership.objects.select_related("community")
        .filter(person_id=person.pk)
        .order_by("created_at", "id")
    )


def membership_get(public_id: Any, *, community: Any = None) -> CommunityMembership | None:
    """A request by its public id (of `community` only, when given), with its person and community."""
    qs = CommunityMembership.objects.select_related("person", "community", "decided_by")
    if community is not None:
        qs = qs.filter(community=community)
    try:
        return qs.filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        return None


def membership_decision_refusal(actor: Any, membership: CommunityMembership) -> ServiceError | None:
    """Why `actor` may not approve or decline `membership` now, or None when they may: the one rule
    that the page, the API and the service (under the row locks) ask. Its community's committee
    (its admins) decide, or the system; never the person about themself. A request of another
    community is answered as if there were none (404); a role that decides none, 403."""
    if not is_system(actor) and not actor.has_perm("catalog.adapt_catalog"):
        return PermissionDenied()
    if not community_administered_by(actor, membership.community):
        return NotFound()
    if membership.person_id == getattr(actor, "pk", None):
        return OwnMembershipRequest()
    if membership.state != MembershipState.PENDING or membership.ended_at is not None:
        return MembershipNotWaiting()
    return None


def membership_requests_waiting(actor: Any, *, community: Any = None) -> QuerySet[CommunityMembership]:
    """The requests waiting for a decision in the communities `actor` administers (or in
    `community`, when it is one of them), oldest first."""
    communities = community_ids_administered_by(actor)
    if community is not None:
        communities = [pk for pk in communities if pk == community.pk]
    return (
        CommunityMembership.objects.select_related("person", "community")
        .filter(community_id__in=communities, state=MembershipState.PENDING, ended_at__isnull=True)
        .order_by("created_at", "id")
    )


def memberships_decided_recently(actor: Any, *, limit: int = 10) -> list[CommunityMembership]:
    """The last decisions on requests to join the communities `actor` administers, newest first."""
    return list(
        CommunityMembership.objects.select_related("person", "community", "decided_by")
        .filter(community_id__in=community_ids_administered_by(actor), decided_at__isnull=False)
        .exclude(state=MembershipState.PENDING)
        .order_by("-decided_at", "-id")[:limit]
    )
