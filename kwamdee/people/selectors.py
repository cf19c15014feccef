"""Reads about people: who someone is, and whether they consent."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q

from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.models import Consent, User


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


def person_with_username(username: str) -> User | None:
    return User.objects.filter(username=username).first()
