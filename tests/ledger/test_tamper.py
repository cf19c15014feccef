"""Tamper evidence that holds against the database's own users (docs/ledger.md).

Each case plays a database owner who steps around the append-only triggers and changes the
ledger with raw SQL; `ledger_verify`, checked against the last published signed checkpoint, must
name what was done. Runs on SQLite and on PostgreSQL."""

import secrets
import uuid
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kwamdee.common.append_only import append_only_suspended
from kwamdee.deeds.ledger import deed_chain_key, deed_shard
from kwamdee.deeds.services import deed_record, deed_verify
from kwamdee.ledger.checkpoints import checkpoint_create, checkpoint_document, checkpoint_signature_valid
from kwamdee.ledger.hashing import entry_hash, entry_mac
from kwamdee.ledger.models import Account, ChainHead, LedgerTransaction, Posting
from kwamdee.ledger.verification import ledger_verify
from tests.factories import days_ago

pytestmark = pytest.mark.django_db


def owner_sql(*statements):
    """Runs raw SQL as the tables' owner would: the append-only triggers stepped around."""
    with append_only_suspended(connection), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


@pytest.fixture
def chain(deed_types, citizen, verifier):
    """Three verified deeds of one person (one chain), and a checkpoint signed after them."""
    for n, code in enumerate(("returning-lost-property", "tree-planting", "returning-lost-property")):
        deed = deed_record(
            actor=citizen, deed_type_public_id=deed_types[code].public_id,
            performed_on=days_ago(1 + n * 3), description="ดี", quantity="2",
        )  # fmt: skip
        deed_verify(actor=verifier, deed_public_id=deed.public_id)
    key = deed_chain_key(deed_shard(citizen.province_code, citizen.ledger_ref))
    entries = list(LedgerTransaction.objects.filter(chain_key=key).order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    document = checkpoint_document(checkpoint_create())
    assert ledger_verify(checkpoint=document).ok
    return {"key": key, "entries": entries, "checkpoint": document, "person": citizen}


def problems(chain, **kwargs):
    report = ledger_verify(checkpoint=chain["checkpoint"], **kwargs)
    assert not report.ok, "the tampering went unnoticed"
    return "\n".join(report.problems)


def test_a_changed_posting_is_named(chain):
    posting = Posting.objects.filter(transaction=chain["entries"][1], amount__gt=0).first()
    owner_sql(("UPDATE ledger_posting SET amount = amount + 100 WHERE id = %s", [posting.pk]))
    assert f"ledger_transaction id={chain['entries'][1].pk}" in problems(chain)


def test_a_deleted_posting_is_named(chain):
    posting = Posting.objects.filter(transaction=chain["entries"][1]).first()
    owner_sql(("DELETE FROM ledger_posting WHERE id = %s", [posting.pk]))
    found = problems(chain)
    assert "hash mismatch" in found and "do not balance" in found


def test_a_deleted_middle_entry_is_named(chain):
    middle = chain["entries"][1]
    owner_sql(
        ("UPDATE deeds_deed SET ledger_transaction_id = NULL WHERE ledger_transaction_id = %s", [middle.pk]),
        ("DELETE FROM ledger_posting WHERE transaction_id = %s", [middle.pk]),
        ("DELETE FROM ledger_ledgertransaction WHERE id = %s", [middle.pk]),
    )
    assert "expected seq 2" in problems(chain)


def test_made_up_hashes_are_named(chain):
    owner_sql(
        (
            "UPDATE ledger_ledgertransaction SET entry_hash = %s WHERE id = %s",
            ["ab" * 32, chain["entries"][0].pk],
        )
    )
    found = problems(chain)
    assert "hash mismatch" in found and "prev_hash" in found


def test_swapped_sequence_numbers_are_named(chain):
    first, second = chain["entries"][0], chain["entries"][1]
    owner_sql(
        ("UPDATE ledger_ledgertransaction SET seq = -1 WHERE id = %s", [first.pk]),
        ("UPDATE ledger_ledgertransaction SET seq = 1 WHERE id = %s", [second.pk]),
        ("UPDATE ledger_ledgertransaction SET seq = 2 WHERE id = %s", [first.pk]),
    )
    assert "prev_hash does not match" in problems(chain)


def test_an_edited_cached_balance_is_named(chain):
    account = Account.objects.filter(kind="person_points").first()
    Account.objects.filter(pk=account.pk).update(balance=account.balance + 5000)  # allowed: the cache
    assert f"account id={account.pk}: balance" in problems(chain)


def test_the_newest_entry_deleted_with_its_head_rolled_back_is_named(chain):
    newest, before = chain["entries"][2], chain["entries"][1]
    owner_sql(
        ("UPDATE deeds_deed SET ledger_transaction_id = NULL WHERE ledger_transaction_id = %s", [newest.pk]),
        # A careful tamperer takes the entry's amounts back out of the cached balances too.
        (
            "UPDATE ledger_account SET balance = balance - (SELECT SUM(amount) FROM ledger_posting "
            "WHERE transaction_id = %s AND account_id = ledger_account.id) "
            "WHERE id IN (SELECT account_id FROM ledger_posting WHERE transaction_id = %s)",
            [newest.pk, newest.pk],
        ),
        ("DELETE FROM ledger_posting WHERE transaction_id = %s", [newest.pk]),
        ("DELETE FROM ledger_ledgertransaction WHERE id = %s", [newest.pk]),
        (
            "UPDATE ledger_chainhead SET seq = 2, head_hash = %s WHERE chain_key = %s",
            [before.entry_hash, chain["key"]],
        ),
    )
    # Without the published checkpoint, the ledger is consistent with itself...
    assert ledger_verify(checkpoint=None).ok
    # ...the signed checkpoint names the rollback.
    assert "rolled back" in problems(chain)


def _forged_append(chain, *, key):
    """Appends a +5,000-point entry with a correctly recomputed SHA-256, sealed under `key`."""
    newest = chain["entries"][2]
    person = Account.objects.get(
        kind="person_points", holder_ref=chain["person"].ledger_ref, virtue_code="honesty"
    )
    source = Account.objects.filter(kind="issuance", unit="points").first()
    at = datetime.now(UTC)
    public_id = uuid.uuid4()
    legs = [(source, -5000), (person, 5000)]
    source_id = str(uuid.uuid4())
    facts = [(a.public_id, a.holder_ref, a.kind, a.unit, a.virtue_code, amount) for a, amount in legs]
    digest = entry_hash(
        chain_key=chain["key"], seq=4, prev_hash=newest.entry_hash, created_at=at, kind="deed_credit",
        idempotency_key="forged", reverses=None, memo={}, source=("deed", source_id), postings=facts,
    )  # fmt: skip
    mac = entry_mac(digest, key=key)
    tx = LedgerTransaction.objects.create(
        public_id=public_id, created_at=at, chain_key=chain["key"], seq=4, prev_hash=newest.entry_hash,
        entry_hash=digest, kind="deed_credit", idempotency_key="forged", memo={}, source_kind="deed",
        source_id=source_id, format=2, mac=mac,
    )  # fmt: skip
    for account, amount in legs:
        Posting.objects.create(transaction=tx, account=account, unit=account.unit, amount=amount)
        Account.objects.filter(pk=account.pk).update(balance=account.balance + amount)
    ChainHead.objects.filter(chain_key=chain["key"]).update(seq=4, head_hash=digest)
    return tx


def test_a_forged_append_with_a_correct_sha256_is_named(chain):
    # Inserting is what the application's role may do; only the MAC key is out of reach.
    forged = _forged_append(chain, key=secrets.token_bytes(32))
    found = problems(chain)
    assert f"ledger_transaction id={forged.pk}" in found and "seal (MAC)" in found
    assert "hash mismatch" not in found  # the SHA-256 alone would have passed


def test_a_middle_posting_changed_with_every_later_hash_rewritten_is_named(chain):
    entries = chain["entries"]
    posting = Posting.objects.filter(transaction=entries[1], amount__gt=0).first()
    owner_sql(("UPDATE ledger_posting SET amount = amount + 1 WHERE id = %s", [posting.pk]))
    balancing = Posting.objects.filter(
        transaction=entries[1], amount=-posting.amount, unit=posting.unit
    ).first()
    owner_sql(("UPDATE ledger_posting SET amount = amount - 1 WHERE id = %s", [balancing.pk]))
    prev = entries[0].entry_hash
    for entry in entries[1:]:
        entry.refresh_from_db()
        facts = [
            (
                p.account.public_id,
                p.account.holder_ref,
                p.account.kind,
                p.unit,
                p.account.virtue_code,
                p.amount,
            )
            for p in entry.postings.select_related("account")
        ]
        digest = entry_hash(
            chain_key=entry.chain_key, seq=entry.seq, prev_hash=prev, created_at=entry.created_at, kind=entry.kind,
            idempotency_key=entry.idempotency_key, reverses=None, memo=entry.memo,
            source=(entry.source_kind, entry.source_id), postings=facts, format=2,
        )  # fmt: skip
        owner_sql(
            (
                "UPDATE ledger_ledgertransaction SET prev_hash = %s, entry_hash = %s WHERE id = %s",
                [prev, digest, entry.pk],
            )
        )
        prev = digest
    owner_sql(("UPDATE ledger_chainhead SET head_hash = %s WHERE chain_key = %s", [prev, chain["key"]]))
    found = problems(chain)
    assert "hash mismatch" not in found  # every SHA-256 was recomputed...
    assert "seal (MAC)" in found  # ...but the seals were not
    assert "differs from the signed checkpoint" in found


def test_an_account_moved_to_another_person_is_named(deed_types, chain):
    from tests.factories import make_person

    other = make_person(name="คนอื่น")
    account = Account.objects.filter(kind="person_credit", holder_ref=chain["person"].ledger_ref).first()
    owner_sql(
        (
            "UPDATE ledger_account SET holder_ref = %s WHERE id = %s",
            [_uuid_param(other.ledger_ref), account.pk],
        )
    )
    assert "hash mismatch" in problems(chain)


def _uuid_param(value):
    return value if connection.vendor == "postgresql" else value.hex


def test_a_forged_checkpoint_is_refused(chain):
    forged = {**chain["checkpoint"], "heads": {chain["key"]: [1, chain["entries"][0].entry_hash]}}
    assert not checkpoint_signature_valid(forged)
    assert "checkpoint: the signature or digest is not valid" in problems({**chain, "checkpoint": forged})
    resigned = {**forged, "digest": "00" * 32}
    assert not checkpoint_signature_valid(resigned)


def test_an_incremental_check_reads_only_what_came_after_the_checkpoint(deed_types, chain, verifier):
    deed = deed_record(
        actor=chain["person"], deed_type_public_id=deed_types["tree-planting"].public_id,
        performed_on=days_ago(20), description="ดี", quantity="1",
    )  # fmt: skip
    deed_verify(actor=verifier, deed_public_id=deed.public_id)
    with CaptureQueriesContext(connection):
        report = ledger_verify(checkpoint=chain["checkpoint"], since_checkpoint=True)
    assert report.ok, report.problems
    assert report.since_checkpoint and report.transactions == 1
    full = ledger_verify(checkpoint=chain["checkpoint"])
    assert full.ok and full.transactions == 4
    # A rewritten entry before the checkpoint is still named by the incremental check.
    owner_sql(
        (
            "UPDATE ledger_ledgertransaction SET entry_hash = %s WHERE id = %s",
            ["cd" * 32, chain["entries"][2].pk],
        )
    )
    incremental = ledger_verify(checkpoint=chain["checkpoint"], since_checkpoint=True)
    assert any("is not the one signed" in p for p in incremental.problems)


def test_the_checkpoint_command_publishes_a_file_ledger_verify_then_checks_against(
    chain, settings, django_capture_on_commit_callbacks
):
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("ledger_checkpoint", stdout=out)
    [published] = sorted(Path(settings.LEDGER_CHECKPOINT_DIR).glob("checkpoint-*.json"))
    assert str(published) in out.getvalue()
    report = StringIO()
    call_command("ledger_verify", "--workers", "1", stdout=report)
    assert "against a signed checkpoint" in report.getvalue() and "ledger OK" in report.getvalue()
