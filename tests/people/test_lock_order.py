"""People's services lock in the documented order (kwamdee/common/locks.py): the person's row
first, FOR NO KEY UPDATE, then the rows that depend on it. Read from the SQL PostgreSQL is sent."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kwamdee.people.identity import national_id_confirm
from kwamdee.people.models import OneTimeCode, User
from tests.factories import make_person, make_verifier
from tests.people.test_password_reset import ask, enter, last_email_code, set_new

pytestmark = pytest.mark.django_db

CARD = "1101700230708"


def locks_taken(queries) -> list[tuple[str, str]]:
    """(table, lock strength) of each locking statement, in the order they were sent."""
    taken = []
    for query in queries:
        sql = query["sql"]
        strength = re.search(r"FOR (NO KEY UPDATE|UPDATE)", sql)
        if strength:
            table = re.search(r'FROM "([a-z_]+)"', sql).group(1)
            taken.append((table, strength.group(1)))
    return taken


def test_a_password_reset_locks_the_person_before_the_code(postgres_only):
    person = make_person(email="a@example.org")
    client = Client()
    ask(client, "a@example.org")
    enter(client, last_email_code())
    with CaptureQueriesContext(connection) as queries:
        assert set_new(client)["Location"] == "/people/login/"
    assert locks_taken(queries)[:2] == [
        (User._meta.db_table, "NO KEY UPDATE"),
        (OneTimeCode._meta.db_table, "UPDATE"),
    ]
    assert OneTimeCode.objects.get(person=person).used_at is not None


def test_confirming_an_id_card_takes_the_persons_lock_without_blocking_rows_that_refer_to_them(postgres_only):
    verifier = make_verifier()
    person = make_person()
    with CaptureQueriesContext(connection) as queries:
        national_id_confirm(actor=verifier, person=person, national_id=CARD)
    assert locks_taken(queries) == [(User._meta.db_table, "NO KEY UPDATE")]
