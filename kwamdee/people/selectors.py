"""Reads about people."""

from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.models import Consent, User


def consent_active(*, person: User, purpose: str = ConsentPurpose.MEMBERSHIP) -> Consent | None:
    return person.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()


def consent_history(*, person: User) -> list[Consent]:
    return list(Consent.objects.filter(person=person))
