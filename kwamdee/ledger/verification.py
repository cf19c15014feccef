"""Recomputes the ledger's hash chains, seals and balances. Used by `manage.py ledger_verify`.

Reads plain values (no model objects), checks chains in parallel processes on PostgreSQL, and
can start from a signed checkpoint so that a nightly check costs what the day added."""

import multiprocessing
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections
from django.db.models import Sum

from kwamdee.ledger.checkpoints import checkpoint_signature_valid
from kwamdee.ledger.hashing import entry_hash, entry_mac_valid
from kwamdee.ledger.models import GENESIS_HASH, Account, ChainHead, LedgerTransaction, Posting

TX_FIELDS = (
    "pk", "seq", "prev_hash", "entry_hash", "created_at", "kind", "idempotency_key",
    "reverses__public_id", "memo", "source_kind", "source_id", "format", "mac",
)  # fmt: skip


@dataclass
class VerifyReport:
    chains: int = 0
    transactions: int = 0
    postings: int = 0
    accounts: int = 0
    seconds: float = 0.0
    since_checkpoint: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def postings_per_second(self) -> float:
        return self.postings / self.seconds if self.seconds else 0.0


@dataclass
class _ChainResult:
    transactions: int = 0
    postings: int = 0
    problems: list[str] = field(default_factory=list)
    sums: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    touched: set[int] = field(default_factory=set)
    last: tuple[int, str] = (0, GENESIS_HASH)  # the chain's newest entry as recomputed


# Set in the parent before worker processes fork, so they inherit it without pickling.
_ACCOUNTS: dict[int, tuple[Any, ...]] = {}


def ledger_verify(
    *, checkpoint: dict[str, Any] | None = None, since_checkpoint: bool = False, workers: int = 1,
    batch_size: int = 5000,
) -> VerifyReport:  # fmt: skip
    """Recomputes every chain (from genesis, or from `checkpoint` when `since_checkpoint`), each
    entry's hash and MAC, and the balances, and checks the ledger still holds what `checkpoint`
    (a published, signed document) says it held."""
    started = time.perf_counter()
    report = VerifyReport(since_checkpoint=since_checkpoint and checkpoint is not None)
    signed: dict[str, list[Any]] = {}
    if checkpoint is not None:
        if checkpoint_signature_valid(checkpoint):
            signed = checkpoint["heads"]
        else:
            report.problems.append("checkpoint: the signature or digest is not valid (a forged checkpoint)")
            report.since_checkpoint = False
    starts = {k: (int(v[0]), v[1]) for k, v in signed.items()} if report.since_checkpoint else {}

    heads = {k: (s, h) for k, s, h in ChainHead.objects.values_list("chain_key", "seq", "head_hash")}
    chain_keys = sorted(
        set(heads) | set(LedgerTransaction.objects.values_list("chain_key", flat=True).distinct())
    )
    global _ACCOUNTS
    _ACCOUNTS = {
        row[0]: row[1:]
        for row in Account.objects.values_list("pk", "public_id", "holder_ref", "kind", "unit", "virtue_code")
    }
    jobs = [(key, starts.get(key, (0, GENESIS_HASH)), signed.get(key), batch_size) for key in chain_keys]
    results = _run(jobs, workers)

    total = _ChainResult()
    for key, result in zip(chain_keys, results, strict=True):
        report.chains += 1
        report.transactions += result.transactions
        report.postings += result.postings
        report.problems += result.problems
        for account_id, amount in result.sums.items():
            total.sums[account_id] += amount
        total.touched |= result.touched
        head = heads.get(key)
        if head is None or head != result.last:
            report.problems.append(f"chain {key}: head does not match its last entry")
    for key, (seq, _digest) in signed.items():
        if key not in chain_keys:
            report.problems.append(
                f"chain {key}: in the signed checkpoint (seq {seq}) but gone from the ledger"
            )
    report.problems += _balances_check(report, total, incremental=report.since_checkpoint)
    report.seconds = time.perf_counter() - started
    return report


def _run(jobs: list[tuple[Any, ...]], workers: int) -> list[_ChainResult]:
    # Other processes see only committed rows, and closing this connection inside a transaction
    # would end it: inside one (a test, a caller's transaction), check in place.
    if workers <= 1 or len(jobs) < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return [_chain_verify(*job) for job in jobs]
    connections.close_all()  # each process opens its own connection
    with multiprocessing.get_context("fork").Pool(workers, initializer=connections.close_all) as pool:
        return pool.starmap(_chain_verify, jobs, chunksize=max(1, len(jobs) // (workers * 4)))


def _chain_batches(
    chain_key: str, after_seq: int, batch_size: int
) -> Iterator[tuple[list[tuple[Any, ...]], dict[int, list[tuple[int, str, int]]]]]:
    """The chain's entries after `after_seq`, in order, a batch at a time with their postings."""
    last_seq = after_seq
    while True:
        batch = list(
            LedgerTransaction.objects.filter(chain_key=chain_key, seq__gt=last_seq)
            .order_by("seq")
            .values_list(*TX_FIELDS)[:batch_size]
        )
        if not batch:
            return
        postings_of: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
        rows = Posting.objects.filter(transaction_id__in=[tx[0] for tx in batch]).values_list(
            "transaction_id", "account_id", "unit", "amount"
        )
        for tx_id, account_id, unit, amount in rows:
            postings_of[tx_id].append((account_id, unit, amount))
        yield batch, postings_of
        last_seq = batch[-1][1]


def _chain_verify(
    chain_key: str, start: tuple[int, str], signed: list[Any] | None, batch_size: int
) -> _ChainResult:
    """Checks one chain from `start` (seq, hash). Runs in a worker process or in place."""
    result = _ChainResult()
    prev_hash, expected_seq = start[1], start[0] + 1
    newest_format = 1
    signed_seq = int(signed[0]) if signed else None
    for batch, postings_of in _chain_batches(chain_key, start[0], batch_size):
        for tx in batch:
            (
                pk,
                seq,
                tx_prev,
                digest,
                created_at,
                kind,
                key,
                reverses,
                memo,
                source_kind,
                source_id,
                fmt,
                mac,
            ) = tx
            postings = postings_of[pk]
            result.transactions += 1
            result.postings += len(postings)
            where = f"ledger_transaction id={pk} chain={chain_key} seq={seq}"
            if seq != expected_seq:
                result.problems.append(f"{where}: expected seq {expected_seq} (a gap or a copy)")
            if tx_prev != prev_hash:
                result.problems.append(f"{where}: prev_hash does not match the entry before it")
            per_unit: dict[str, int] = defaultdict(int)
            facts: list[tuple[Any, ...]] = []
            for account_id, unit, amount in postings:
                per_unit[unit] += amount
                result.sums[account_id] += amount
                result.touched.add(account_id)
                public_id, holder, account_kind, account_unit, sub = _ACCOUNTS.get(account_id, ("?",) * 5)
                if fmt >= 2:
                    facts.append((public_id, holder, account_kind, unit, sub, amount))
                else:
                    facts.append((public_id, unit, amount))
                if account_unit != unit:
                    result.problems.append(f"{where}: a posting's unit is not its account's")
            if any(per_unit.values()):
                result.problems.append(f"{where}: postings do not balance {dict(per_unit)}")
            recomputed = entry_hash(
                chain_key=chain_key, seq=seq, prev_hash=tx_prev, created_at=created_at, kind=kind,
                idempotency_key=key, reverses=str(reverses) if reverses else None, memo=memo,
                source=(source_kind, source_id), postings=facts, format=fmt,
            )  # fmt: skip
            if recomputed != digest:
                result.problems.append(
                    f"{where}: hash mismatch (the entry, one of its postings or an account it names changed)"
                )
            if fmt >= 2 and not entry_mac_valid(digest, mac):
                result.problems.append(f"{where}: the seal (MAC) does not match: not written by the ledger")
            if fmt < newest_format:
                result.problems.append(f"{where}: an unsealed entry after sealed ones")
            newest_format = max(newest_format, fmt)
            if signed_seq is not None and seq == signed_seq and digest != signed[1]:  # type: ignore[index]
                result.problems.append(
                    f"{where}: differs from the signed checkpoint (the chain was rewritten)"
                )
            prev_hash, expected_seq = digest, seq + 1
    if signed_seq is not None and expected_seq - 1 < signed_seq:
        result.problems.append(
            f"chain {chain_key}: ends at seq {expected_seq - 1} but the signed checkpoint has seq "
            f"{signed_seq} (entries were deleted and the chain rolled back)"
        )
    if signed_seq is not None and start[0] == signed_seq and start[0] > 0:
        # An incremental check starts from the checkpoint: the entry there must still be the one signed.
        there = (
            LedgerTransaction.objects.filter(chain_key=chain_key, seq=signed_seq)
            .values_list("entry_hash", flat=True)
            .first()
        )
        if there != signed[1]:  # type: ignore[index]
            result.problems.append(f"chain {chain_key}: the entry at seq {signed_seq} is not the one signed")
    result.last = (expected_seq - 1, prev_hash)
    return result


def _balances_check(report: VerifyReport, total: _ChainResult, *, incremental: bool) -> list[str]:
    """Cached balances against the postings: all accounts, or (incremental) those touched since
    the checkpoint, summed in full from the covering index."""
    problems = []
    if incremental:
        ids = sorted(total.touched)
        sums: dict[int, int] = {}
        for i in range(0, len(ids), 5000):
            chunk = ids[i : i + 5000]
            sums.update(
                Posting.objects.filter(account_id__in=chunk)
                .values("account_id")
                .annotate(s=Sum("amount"))
                .values_list("account_id", "s")
            )
        accounts = Account.objects.filter(pk__in=ids)
    else:
        sums = total.sums
        accounts = Account.objects.all()
    for pk, balance, allow_negative in accounts.values_list("pk", "balance", "allow_negative").iterator(
        chunk_size=5000
    ):
        report.accounts += 1
        expected = sums.get(pk, 0)
        if balance != expected:
            problems.append(f"account id={pk}: balance {balance} but postings sum to {expected}")
        if not allow_negative and expected < 0:
            problems.append(f"account id={pk}: below zero ({expected})")
    return problems
