"""Members, exchanges and donations for time-bank tests, made through the real services."""

import importlib

from kwamdee.people.models import User
from kwamdee.timebank.services import exchange_confirm, exchange_propose
from tests.factories import make_community, make_person
from tests.rewards.factories import make_committee  # noqa: F401  (tests import it from here)


def categories_seeded() -> None:
    """The categories the data migration seeds, again: a transactional test empties every table."""
    from kwamdee.timebank.selectors import categories_active

    if not categories_active().exists():
        migration = importlib.import_module("kwamdee.timebank.migrations.0002_service_categories")
        from django.apps import apps

        migration.add(apps, None)


def time_community():
    categories_seeded()
    return make_community()


def member(name="สมหญิง รักดี", **kwargs) -> User:
    """A member of the community of their subdistrict (made first): approved, consenting."""
    person = make_person(name=name, **kwargs)
    return User.objects.get(pk=person.pk)


def exchanged(giver, receiver, minutes, *, category="elder-care"):
    """Time `giver` gave `receiver`, proposed by the giver and confirmed by the receiver."""
    exchange = exchange_propose(
        actor=giver, giver=giver, receiver=receiver, minutes=minutes, category_code=category
    )
    return exchange_confirm(actor=receiver, exchange=exchange)
