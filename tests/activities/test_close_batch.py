"""Closing costs a number of statements that does not grow with the participants (bench/activity_close.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kwamdee.activities.codes import code_make
from kwamdee.activities.services import activity_check, activity_close
from kwamdee.deeds.services import deed_record
from tests.activities.helpers import make_activity
from tests.factories import days_ago, load_small_catalog, make_person, make_verifier

pytestmark = pytest.mark.django_db


def close_statements(organizer, people) -> tuple[int, list]:
    start = timezone.now() - timedelta(hours=1)
    activity = make_activity(organizer, start=start)
    for person in people:
        activity_check(actor=person, activity_public_id=activity.public_id,
                       code=code_make(activity.public_id), action="check_in")  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        outcomes = activity_close(actor=organizer, activity_public_id=activity.public_id,
                                  now=timezone.now() + timedelta(minutes=30))  # fmt: skip
    return len(queries), outcomes


def test_the_close_of_twelve_costs_the_statements_of_three():
    load_small_catalog()
    organizer = make_verifier()
    few, many = [make_person(name=f"ก{n}") for n in range(3)], [make_person(name=f"ข{n}") for n in range(12)]
    for person in many[:4]:  # a deed of the type today: below the limit of 2, so not counted one by one
        deed_record(actor=person, deed_type_public_id=organizer_type(), performed_on=days_ago(0),
                    description="ช่วยงานวัด", quantity=1)  # fmt: skip
    few_count, few_outcomes = close_statements(organizer, few)
    many_count, many_outcomes = close_statements(organizer, many)
    assert all(o.credited for o in few_outcomes + many_outcomes)
    assert many_count == few_count


def test_people_at_their_limit_are_still_refused_in_a_batch():
    load_small_catalog()
    organizer = make_verifier()
    people = [make_person(name=f"ค{n}") for n in range(3)]
    for _n in range(2):  # volunteer-hours: at most 2 a day; the first person has both today
        deed_record(actor=people[0], deed_type_public_id=organizer_type(), performed_on=days_ago(0),
                    description="ช่วยงานวัด", quantity=1)  # fmt: skip
    _count, outcomes = close_statements(organizer, people)
    assert [(o.person.pk, o.credited, o.code) for o in outcomes] == [
        (people[0].pk, False, "limit_reached"), (people[1].pk, True, "verified"), (people[2].pk, True, "verified")
    ]  # fmt: skip


def organizer_type():
    from kwamdee.catalog.models import DeedType

    return DeedType.objects.get(code="volunteer-hours").public_id
