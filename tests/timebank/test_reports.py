"""Time bank reports (issue 12, item 8): hours exchanged by category and area, active members and
the pool's balance; a committee sees its own communities, national staff every province; counts
under 10 read "<10", and so do the hours fewer than 10 exchanges make up."""

import pytest

from kwamdee.common.errors import PermissionDenied
from kwamdee.timebank.reports import timebank_report, timebank_reports_visible_to
from kwamdee.timebank.services import exchange_propose, pool_donate
from tests.factories import SYSTEM, make_person
from tests.rewards.factories import make_staff
from tests.timebank.factories import exchanged, make_committee, member, time_community

pytestmark = pytest.mark.django_db


def test_a_committee_sees_its_community_with_small_counts_hidden():
    community = time_community()
    committee = make_committee(community)
    people = [member(name=f"สมาชิก {i}") for i in range(12)]
    for i in range(11):  # 11 exchanges of an hour of elder care, by 12 people
        exchanged(people[i], people[i + 1], 60)
    exchanged(people[0], people[5], 30, category="rides")
    exchange_propose(actor=people[2], giver=people[2], receiver=people[3], minutes=600, category_code="rides")
    pool_donate(actor=people[0], minutes=45)

    [row] = timebank_report(committee)

    assert (row.key, row.label) == (str(community.public_id), community.name)
    assert (row.exchanges, row.hours, row.active_members, row.pool_hours) == ("12", "11.5", "12", "0.8")
    by_category = {c.category: (c.exchanges, c.hours) for c in row.by_category}
    assert by_category == {"ดูแลผู้สูงอายุ": ("11", "11.0"), "รับส่ง": ("<10", "<10")}


def test_national_staff_see_provinces_and_citizens_nothing():
    time_community()
    a, b = member(name="หนึ่ง"), member(name="สอง")
    exchanged(a, b, 90)

    [row] = timebank_report(make_staff())

    assert (row.key, row.exchanges, row.hours, row.active_members, row.pool_hours) == (
        "71",
        "<10",
        "<10",
        "<10",
        "",
    )
    assert timebank_reports_visible_to(SYSTEM) == "national"
    with pytest.raises(PermissionDenied):
        timebank_report(make_person(name="ประชาชน ทั่วไป"))
