"""Reads about people: who someone is, and whether they consent."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from kwamdee.people.choices import CodePurpose, ConsentPurpose
from kwamdee.people.models import Consent, OneTimeCode, User
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
