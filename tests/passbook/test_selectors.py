"""The passbook reads cached balances and the newest entries, each described by its domain."""

import pytest
from django.db import connection

from kwamdee.common.append_only import append_only_suspended
from kwamdee.deeds.services import deed_record, deed_verify
from kwamdee.ledger.models import LedgerTransaction
from kwamdee.passbook.selectors import passbook_get
from tests.factories import days_ago

pytestmark = pytest.mark.django_db


def verified(person, verifier, deed_type, quantity=None):
    deed = deed_record(
        actor=person, deed_type_public_id=deed_type.public_id, performed_on=days_ago(1),
        description="ดี", quantity=quantity,
    )  # fmt: skip
    return deed_verify(actor=verifier, deed_public_id=deed.public_id)


def test_entries_are_newest_first_limited_and_described(deed_types, citizen, verifier):
    first = verified(citizen, verifier, deed_types["returning-lost-property"])
    second = verified(citizen, verifier, deed_types["tree-planting"], quantity="3")

    book = passbook_get(person=citizen, limit=1)

    assert (book.credit_total, book.points_total) == (23, 23)  # totals from every account
    [entry] = book.entries  # only the newest
    assert (entry.source_kind, entry.source_id) == ("deed", str(second.public_id))
    assert entry.description.title == second.deed_type.name
    assert entry.description.url == f"/deeds/{second.public_id}/"
    # the rule in words a person reads (the slug before): name, version, from when
    assert entry.description.rule.startswith(("Tree planting, version 1, in force from ",
                                              "ความดี tree-planting ฉบับที่ 1 ใช้ตั้งแต่"))  # fmt: skip
    assert entry.description.done_on is not None
    assert (entry.credit, entry.points) == (3, 3)
    assert [e.source_id for e in passbook_get(person=citizen).entries] == [
        str(second.public_id), str(first.public_id),
    ]  # fmt: skip


def test_a_person_with_no_entries_has_an_empty_passbook(citizen, deed_types):
    book = passbook_get(person=citizen)
    assert (book.credit_total, book.points_total, book.entries) == (0, 0, [])
    assert {line.code for line in book.by_virtue} == {"sufficiency", "discipline", "honesty",
                                                      "volunteerism", "gratitude"}  # fmt: skip


def test_an_entry_written_before_sources_reads_as_its_deed(deed_types, citizen, verifier):
    deed = verified(citizen, verifier, deed_types["returning-lost-property"])
    # Fakes an old entry: the append-only triggers refuse it, except to the tables' owner.
    with append_only_suspended(connection):
        LedgerTransaction.objects.filter(pk=deed.ledger_transaction_id).update(
            source_kind="", source_id="", memo={"deed": str(deed.public_id)}
        )
    [entry] = passbook_get(person=citizen).entries
    assert entry.description.url == f"/deeds/{deed.public_id}/"
