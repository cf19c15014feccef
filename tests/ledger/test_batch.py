"""The batch write path: all or nothing, idempotent per transaction, safe under concurrency and
when the process dies mid-write."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction

from kwamdee.common.idempotency import IdempotencyConflict
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.errors import InsufficientBalance, Unbalanced
from kwamdee.ledger.models import Account, ChainHead, LedgerTransaction, Posting
from kwamdee.ledger.services import (
    AccountKey,
    EntryIn,
    Leg,
    Source,
    accounts_get_or_create,
    ledger_transactions_post,
)
from kwamdee.ledger.verification import ledger_verify
from tests.concurrency import run_at_once

ROOT = Path(__file__).resolve().parents[2]
ISSUER = uuid.UUID("00000000-0000-4000-8000-000000000001")


def accounts(n):
    """An issuing account and `n` holders' points accounts."""
    keys = [AccountKey(ISSUER, "issuance", Unit.POINTS)] + [
        AccountKey(uuid.uuid5(ISSUER, str(i)), "person_points", Unit.POINTS) for i in range(n)
    ]
    found = accounts_get_or_create(keys, negative_kinds=["issuance"])
    return found[keys[0]], [found[k] for k in keys[1:]]


def credit(key, source, target, amount, chain="batch:0"):
    return EntryIn(
        chain, "test_credit", key, [Leg(source, -amount), Leg(target, amount)], Source("test", key)
    )


def snapshot():
    return (
        LedgerTransaction.objects.count(),
        Posting.objects.count(),
        sorted(Account.objects.values_list("pk", "balance")),
        sorted(ChainHead.objects.values_list("chain_key", "seq", "head_hash")),
    )


@pytest.mark.django_db
def test_a_batch_posts_every_entry_on_its_chain_in_order():
    issuer, people = accounts(3)
    entries = [credit(f"k{i}", issuer, people[i % 3], 10 + i, chain=f"batch:{i % 2}") for i in range(6)]
    posted = ledger_transactions_post(entries)
    assert [p.idempotency_key for p in posted] == [f"k{i}" for i in range(6)]
    assert all(p.created for p in posted)
    assert [p.seq for p in posted] == [1, 1, 2, 2, 3, 3]
    assert sorted(Account.objects.filter(kind="person_points").values_list("balance", flat=True)) == [
        10 + 13,
        11 + 14,
        12 + 15,
    ]
    assert ledger_verify().ok


@pytest.mark.django_db
def test_one_overdrawing_entry_fails_the_whole_batch_and_writes_nothing():
    issuer, (alice, bob) = accounts(2)
    ledger_transactions_post([credit("in", issuer, alice, 10)])
    before = snapshot()
    entries = [
        credit("a", issuer, bob, 5),
        EntryIn("batch:0", "spend", "b", [Leg(alice, -8), Leg(issuer, 8)], Source("test", "b")),
        EntryIn("batch:1", "spend", "c", [Leg(alice, -8), Leg(issuer, 8)], Source("test", "c")),  # 16 > 10
    ]
    with pytest.raises(InsufficientBalance) as refused, transaction.atomic():
        ledger_transactions_post(entries)
    assert refused.value.account_ids == [alice.pk]
    assert snapshot() == before


@pytest.mark.django_db
def test_one_unbalanced_entry_fails_the_whole_batch_before_any_write():
    issuer, (alice,) = accounts(1)
    before = snapshot()
    bad = EntryIn("batch:0", "test_credit", "bad", [Leg(issuer, -5), Leg(alice, 4)], Source("test", "bad"))
    with pytest.raises(Unbalanced):
        ledger_transactions_post([credit("good", issuer, alice, 5), bad])
    assert snapshot() == before


@pytest.mark.django_db
def test_each_entry_is_idempotent_and_a_key_reused_for_other_legs_is_refused():
    issuer, (alice, bob) = accounts(2)
    first = ledger_transactions_post([credit("x", issuer, alice, 5), credit("y", issuer, bob, 7)])
    again = ledger_transactions_post([credit("y", issuer, bob, 7), credit("z", issuer, alice, 1)])
    assert [(p.idempotency_key, p.created) for p in again] == [("y", False), ("z", True)]
    assert again[0].pk == first[1].pk
    before = snapshot()
    with pytest.raises(IdempotencyConflict), transaction.atomic():
        ledger_transactions_post([credit("x", issuer, alice, 6)])  # the same key, another amount
    assert snapshot() == before
    alice.refresh_from_db()
    assert alice.balance == 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_batches_keep_balances_and_chains(postgres_only):
    issuer, people = accounts(20)

    def batch(n):
        def post():
            rng = random.Random(n)
            entries = [
                credit(
                    f"c{n}:{i}",
                    issuer,
                    rng.choice(people),
                    rng.randint(1, 50),
                    chain=f"batch:{rng.randint(0, 2)}",
                )
                for i in range(30)
            ]
            ledger_transactions_post(entries)

        return post

    assert run_at_once([batch(n) for n in range(10)]) == ["ok"] * 10
    assert LedgerTransaction.objects.count() == 300
    report = ledger_verify(workers=2)
    assert report.ok, report.problems
    total = sum(Account.objects.filter(kind="person_points").values_list("balance", flat=True))
    issuer.refresh_from_db()
    assert total == -issuer.balance > 0


CHILD = textwrap.dedent(
    """
    import os, sys, uuid
    import django
    django.setup()
    from kwamdee.ledger.choices import Unit
    from kwamdee.ledger.services import AccountKey, EntryIn, Leg, Source, accounts_get_or_create, ledger_transactions_post

    run, attempt_file, ack_file = sys.argv[1], sys.argv[2], sys.argv[3]
    issuer_ref = uuid.UUID("00000000-0000-4000-8000-000000000001")
    keys = [AccountKey(issuer_ref, "issuance", Unit.POINTS)] + [
        AccountKey(uuid.uuid5(issuer_ref, str(i)), "person_points", Unit.POINTS) for i in range(5)
    ]
    found = accounts_get_or_create(keys, negative_kinds=["issuance"])
    issuer, people = found[keys[0]], [found[k] for k in keys[1:]]

    def post(batch_id):
        entries = [
            EntryIn(f"crash:{j % 3}", "test_credit", f"{batch_id}:{j}",
                    [Leg(issuer, -(j + 1)), Leg(people[j % 5], j + 1)], Source("test", f"{batch_id}:{j}"))
            for j in range(20)
        ]
        with open(attempt_file, "w") as f:
            f.write(batch_id)
        ledger_transactions_post(entries)
        with open(ack_file, "a") as f:  # acknowledged only once committed
            f.write(batch_id + "\\n")
            f.flush()
            os.fsync(f.fileno())

    # A retry of the batch the last process may have died in: it takes effect once.
    if os.path.exists(attempt_file):
        post(open(attempt_file).read().strip())
    for i in range(100000):
        post(f"{run}-{i}")
    """
)


def _started(attempt, prefix: str) -> bool:
    try:
        return attempt.read_text().startswith(prefix)
    except FileNotFoundError:
        return False


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_twenty_times_leaves_every_acknowledged_batch_once(postgres_only, tmp_path):
    settings_dict = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kwamdee.settings.test",
        "DATABASE_URL": f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}",
    }
    attempt, ack = tmp_path / "attempt", tmp_path / "ack"
    rng = random.Random(7)
    for run in range(20):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, f"r{run}", str(attempt), str(ack)], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        # Killed once it is posting its own batches (its start-up takes longer on a busy machine),
        # at a random moment among them.
        deadline = time.monotonic() + 60
        while not _started(attempt, f"r{run}-") and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.1, 0.8))
        child.send_signal(signal.SIGKILL)
        child.wait()
    acknowledged = [line for line in ack.read_text().splitlines() if line]
    assert len(acknowledged) >= 20, "the workers should have committed batches between kills"
    keys = set(LedgerTransaction.objects.filter(kind="test_credit").values_list("idempotency_key", flat=True))
    for batch_id in acknowledged:
        assert {f"{batch_id}:{j}" for j in range(20)} <= keys
    batches = {k.rsplit(":", 1)[0] for k in keys}
    assert all(len([k for k in keys if k.startswith(b + ":")]) == 20 for b in batches)  # whole batches only
    report = ledger_verify()
    assert report.ok, report.problems
