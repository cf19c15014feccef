"""The application's database role owns nothing: it cannot step around the append-only
triggers, truncate, alter or drop, nor move an account (PostgreSQL)."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from kwamdee.ledger.models import Account, LedgerTransaction

ROLE = "kwamdee_app_test"


@pytest.mark.postgres_only
def test_the_application_role_can_write_but_not_tamper(postgres_only, credited_ledger):
    call_command("db_app_role", ROLE, stdout=open("/dev/null", "w"))
    account = Account.objects.filter(kind="person_credit").first()
    tx = LedgerTransaction.objects.first()

    def as_app(sql, params=()):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {ROLE}")
            cursor.execute(sql, params)

    as_app("SELECT count(*) FROM ledger_posting")  # reads
    as_app(
        "UPDATE ledger_account SET balance = balance WHERE id = %s", [account.pk]
    )  # the one mutable column
    as_app("UPDATE deeds_deed SET description = description")  # ordinary tables: ordinary rights
    for statement, params in [
        ("ALTER TABLE ledger_posting DISABLE TRIGGER ledger_posting_append_only", []),
        ("DROP TRIGGER ledger_ledgertransaction_append_only ON ledger_ledgertransaction", []),
        ("TRUNCATE common_auditevent", []),
        ("UPDATE ledger_account SET holder_ref = gen_random_uuid() WHERE id = %s", [account.pk]),
        ("UPDATE ledger_ledgertransaction SET memo = '{}' WHERE id = %s", [tx.pk]),
        ("DELETE FROM ledger_posting", []),
        ("SET session_replication_role = replica", []),
    ]:
        with pytest.raises(DatabaseError, match=r"permission denied|must be owner"):
            as_app(statement, params)


@pytest.fixture
def credited_ledger(deed_types, citizen, verifier):
    from kwamdee.deeds.services import deed_record, deed_verify
    from tests.factories import days_ago

    deed = deed_record(
        actor=citizen, deed_type_public_id=deed_types["tree-planting"].public_id,
        performed_on=days_ago(1), description="ปลูกต้นไม้", quantity="1",
    )  # fmt: skip
    deed_verify(actor=verifier, deed_public_id=deed.public_id)


def test_stored_idempotent_answers_are_pruned_after_their_retention(db):
    from datetime import timedelta

    from django.utils import timezone

    from kwamdee.common.idempotency import idempotency_records_prune
    from kwamdee.common.models import IdempotencyRecord

    old = IdempotencyRecord.objects.create(scope="s:1", key="old", fingerprint="f", response=[])
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    IdempotencyRecord.objects.create(scope="s:1", key="new", fingerprint="f", response=[])
    assert idempotency_records_prune() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
