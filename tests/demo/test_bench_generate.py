"""`bench_generate` (make bench's synthetic country) writes what the services would have: chains
that verify with their seals, cached balances that match the postings, deeds the passbook reads."""

import pytest
from django.core.management import call_command

from kwamdee.deeds.models import Deed
from kwamdee.ledger.models import LedgerTransaction
from kwamdee.ledger.verification import ledger_verify
from kwamdee.passbook.selectors import passbook_get
from kwamdee.people.models import User


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_bench_generate_writes_a_ledger_that_verifies(postgres_only):
    call_command("bench_generate", people=50, deeds=200, verbosity=0)
    call_command("bench_generate", people=20, deeds=60, verbosity=0)  # goes on from the chains' heads

    assert User.objects.filter(password="!bench-generated").count() == 70
    assert Deed.objects.filter(status="verified", ledger_transaction__isnull=False).count() == 260
    assert LedgerTransaction.objects.count() == 260
    report = ledger_verify()
    assert report.ok, report.problems[:5]
    assert report.transactions == 260
    person = User.objects.filter(deeds__isnull=False).first()
    book = passbook_get(person=person)
    assert book.credit_total > 0
    assert all(entry.description.title for entry in book.entries)  # each entry names its deed
