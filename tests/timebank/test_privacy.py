"""The time bank and the person's rights (PDPA §30–33): My data holds their listings, the
exchanges they gave or received and their donations to the pool; erasure closes their listings
and blanks their text, ends the exchanges still proposed, keeps the rest for the ledger with the
notes blanked, never hits a PROTECT (500), and leaves the ledger verifiable and the balances
whole."""

import json

import pytest
from django.utils import translation

from kwamdee.common.erasure import ERASED_NAME, ERASED_TEXT
from kwamdee.common.models import AuditEvent
from kwamdee.common.personal_data import personal_data_collect
from kwamdee.ledger.verification import ledger_verify
from kwamdee.people.models import User
from kwamdee.privacy.services import person_erase
from kwamdee.timebank.ledger import pool_balance, time_balance
from kwamdee.timebank.models import Exchange, Listing
from kwamdee.timebank.services import (
    exchange_confirm,
    exchange_propose,
    listing_close,
    listing_post,
    pool_donate,
)
from tests.factories import PASSWORD
from tests.privacy.test_erasure import _rows_holding
from tests.timebank.factories import exchanged, member, time_community

NAME = "สายสุนีย์ ให้เวลา"


@pytest.fixture(autouse=True)
def english():
    """These tests read the words of the export and the refusal in English (the site's default
    is Thai; tests/privacy checks the Thai pages)."""
    with translation.override("en"):
        yield


def _sections(person):
    return {section.key: section for section in personal_data_collect(person)}


def _fresh(person):
    return User.objects.get(pk=person.pk)


@pytest.fixture
def community(db):
    return time_community()


@pytest.fixture
def saisunee(community):
    return member(name=NAME)


@pytest.fixture
def neighbour(community):
    return member(name="ลุงแดง ข้างบ้าน")


def _history(saisunee, neighbour):
    """Two listings (one closed), an exchange given with a note, one received, one each side
    proposed and still waiting, and a donation to the pool."""
    offer = listing_post(actor=saisunee, kind="offer", category_code="rides",
                         title=f"{NAME} รับส่งไปตลาด", description=f"โทร {saisunee.phone}")  # fmt: skip
    old = listing_post(actor=saisunee, kind="request", category_code="elder-care", title="ต้องการคนช่วยดูแลยาย")
    listing_close(actor=saisunee, listing=old)
    given = exchange_propose(actor=saisunee, giver=saisunee, receiver=neighbour, minutes=90,
                             category_code="rides", listing=offer, note=f"{NAME} ขับรถไปส่ง")  # fmt: skip
    given = exchange_confirm(actor=neighbour, exchange=given)
    received = exchanged(neighbour, saisunee, 30)
    pool_donate(actor=saisunee, minutes=20)
    mine = exchange_propose(actor=saisunee, giver=saisunee, receiver=neighbour, minutes=15,
                            category_code="elder-care", note="รอคุณลุงยืนยัน")  # fmt: skip
    theirs = exchange_propose(actor=neighbour, giver=neighbour, receiver=saisunee, minutes=45,
                              category_code="elder-care", note=f"ช่วยคุณ{NAME}ทำสวน")  # fmt: skip
    return {"offer": offer, "old": old, "given": given, "received": received, "mine": mine, "theirs": theirs}


def test_my_data_holds_the_listings_exchanges_and_donations(client, saisunee, neighbour):
    rows = _history(saisunee, neighbour)

    mine = _sections(saisunee)

    listings = mine["time_listings"].rows
    assert [(r["title"], r["state"]) for r in listings] == [
        (f"{NAME} รับส่งไปตลาด", "Open"), ("ต้องการคนช่วยดูแลยาย", "Closed"),
    ]  # fmt: skip
    assert listings[0]["description"] == f"โทร {saisunee.phone}" and listings[1]["closed_at"]
    exchanges = mine["time_exchanges"].rows
    assert [(r["role"], r["with"], r["minutes"], r["state"]) for r in exchanges] == [
        ("you gave the time", "ลุงแดง ข้างบ้าน", 90, "Confirmed"),
        ("you received the time", "ลุงแดง ข้างบ้าน", 30, "Confirmed"),
        ("you gave the time", "ลุงแดง ข้างบ้าน", 15, "Waiting for the other side"),
        ("you received the time", "ลุงแดง ข้างบ้าน", 45, "Waiting for the other side"),
    ]  # fmt: skip
    assert exchanges[0]["note"] == f"{NAME} ขับรถไปส่ง" and exchanges[0]["listing"] == rows["offer"].title
    assert exchanges[0]["proposed_by_you"] and not exchanges[3]["proposed_by_you"]
    [donation] = mine["time_donations"].rows
    assert donation["minutes"] == 20
    assert (
        _sections(neighbour)["time_listings"].rows == [] and _sections(neighbour)["time_donations"].rows == []
    )

    client.login(username=saisunee.phone, password=PASSWORD)
    document = json.loads(client.post("/privacy/my-data/download/json/").content)
    assert [r["minutes"] for r in document["sections"]["time_exchanges"]["rows"]] == [90, 30, 15, 45]


def _erasure_keeps_the_ledger(saisunee, neighbour):
    # Given: the history above; balances before
    rows = _history(saisunee, neighbour)
    community = saisunee.community
    before = (time_balance(saisunee), time_balance(neighbour), pool_balance(community))
    needles = {"name": NAME, "phone": saisunee.phone}
    assert "timebank_listing.title holds the name" in _rows_holding(needles)
    assert "timebank_exchange.note holds the name" in _rows_holding(needles)

    # When: she erases her account
    person_erase(actor=saisunee, person=_fresh(saisunee), password=PASSWORD)

    # Then: her listings are closed and hold no text of hers
    tombstone = _fresh(saisunee)
    assert tombstone.full_name == ERASED_NAME
    offer = Listing.objects.get(pk=rows["offer"].pk)
    assert (offer.state, offer.title, offer.description) == ("closed", ERASED_TEXT, ERASED_TEXT)
    assert offer.closed_at and Listing.objects.get(pk=rows["old"].pk).title == ERASED_TEXT
    # the exchanges still proposed are ended: hers withdrawn, the neighbour's declined
    assert Exchange.objects.get(pk=rows["mine"].pk).state == "withdrawn"
    assert Exchange.objects.get(pk=rows["theirs"].pk).state == "declined"
    assert AuditEvent.objects.filter(event_type="time_exchange:withdraw").count() == 1
    assert AuditEvent.objects.filter(event_type="time_exchange:decline").count() == 1
    # the confirmed ones stay for the ledger, linked to the tombstone, their notes blanked
    given = Exchange.objects.get(pk=rows["given"].pk)
    assert (given.state, given.giver_id, given.minutes, given.note) == (
        "confirmed",
        tombstone.pk,
        90,
        ERASED_TEXT,
    )
    assert Exchange.objects.get(pk=rows["received"].pk).receiver_id == tombstone.pk
    # nothing moved: balances and the pool are what they were, and the ledger verifies
    assert (time_balance(tombstone), time_balance(neighbour), pool_balance(community)) == before
    assert _rows_holding(needles) == []
    report = ledger_verify()
    assert report.ok, report.problems


def test_erasure_closes_listings_ends_proposals_and_keeps_the_ledger(saisunee, neighbour):
    _erasure_keeps_the_ledger(saisunee, neighbour)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)  # committed for real: deferred foreign keys are checked
def test_erasure_on_postgresql_keeps_the_ledger(postgres_only):
    time_community()
    _erasure_keeps_the_ledger(member(name=NAME), member(name="ลุงแดง ข้างบ้าน"))


def test_the_other_side_of_an_erased_member_still_reads_their_history(saisunee, neighbour):
    exchanged(saisunee, neighbour, 60)

    person_erase(actor=saisunee, person=_fresh(saisunee), password=PASSWORD)

    [row] = _sections(neighbour)["time_exchanges"].rows
    assert (row["with"], row["minutes"], row["role"]) == (ERASED_NAME, 60, "you received the time")
