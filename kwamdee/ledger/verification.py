"""Recomputes the ledger's hash chains, seals and balances. Used by `manage.py ledger_verify`.

Reads plain values with plain SQL (no model objects, UUIDs read as text), checks chains in
parallel processes on PostgreSQL, and can start from a signed checkpoint so that a nightly check
costs what the day added: only chains that moved are read, and only accounts they touched."""

import json
import multiprocessing
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, connections
from django.utils.dateparse import parse_datetime

from kwamdee.ledger.checkpoints import checkpoint_signature_valid
from kwamdee.ledger.hashing import entry_hash, entry_mac_valid
from kwamdee.ledger.models import GENESIS_HASH

CHUNK = 5000

TX_SQL = """
SELECT t.id, t.seq, t.prev_hash, t.entry_hash, t.created_at, t.kind, t.idempotency_key,
       CAST(r.public_id AS text), t.memo, t.source_kind, t.source_id, t.format, t.mac
FROM ledger_ledgertransaction t LEFT JOIN ledger_ledgertransaction r ON r.id = t.reverses_id
WHERE t.chain_key = %s AND t.seq > %s ORDER BY t.seq LIMIT %s
"""
POSTINGS_SQL = """
SELECT p.transaction_id, p.account_id, p.unit, p.amount
FROM ledger_posting p JOIN ledger_ledgertransaction t ON t.id = p.transaction_id
WHERE t.chain_key = %s AND t.seq > %s AND t.seq <= %s
"""


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
    sums: dict[int, int] = field(default_factory=dict)
    last: tuple[int, str] = (0, GENESIS_HASH)  # the chain's newest entry as recomputed


def ledger_verify(
    *, checkpoint: dict[str, Any] | None = None, since_checkpoint: bool = False, workers: int = 1,
    batch_size: int = CHUNK,
) -> VerifyReport:  # fmt: skip
    """Recomputes every chain (from genesis, or from `checkpoint` when `since_checkpoint`), each
    entry's hash and MAC, and the balances, and checks the ledger still holds what `checkpoint`
    (a published, signed document) says it held."""
    started = time.perf_counter()
    _ACCOUNT_FACTS.clear()  # read afresh by every check: a moved account must not hide in a cache
    report = VerifyReport(since_checkpoint=since_checkpoint and checkpoint is not None)
    signed: dict[str, tuple[int, str]] = {}
    if checkpoint is not None:
        if checkpoint_signature_valid(checkpoint):
            signed = {k: (int(v[0]), str(v[1])) for k, v in checkpoint["heads"].items()}
        else:
            report.problems.append("checkpoint: the signature or digest is not valid (a forged checkpoint)")
            report.since_checkpoint = False

    heads = dict(
        _rows("SELECT chain_key, seq, head_hash FROM ledger_chainhead", [], lambda r: (r[0], (r[1], r[2])))
    )
    chain_keys = sorted(
        set(heads) | {k for (k,) in _rows("SELECT DISTINCT chain_key FROM ledger_ledgertransaction")}
    )
    for key, (seq, _digest) in signed.items():
        if key not in chain_keys:
            report.problems.append(
                f"chain {key}: in the signed checkpoint (seq {seq}) but gone from the ledger"
            )

    jobs: list[tuple[str, tuple[int, str], tuple[int, str] | None, int]]
    if report.since_checkpoint:
        report.problems += _signed_entries_check(signed)
        # A chain whose head is still the signed one has nothing new to read.
        jobs = [
            (key, signed.get(key, (0, GENESIS_HASH)), None, batch_size)
            for key in chain_keys
            if heads.get(key) != signed.get(key)
        ]
    else:
        jobs = [(key, (0, GENESIS_HASH), signed.get(key), batch_size) for key in chain_keys]
    report.chains = len(chain_keys)
    results = _run(jobs, workers)

    sums: dict[int, int] = defaultdict(int)
    for (key, *_rest), result in zip(jobs, results, strict=True):
        report.transactions += result.transactions
        report.postings += result.postings
        report.problems += result.problems
        for account_id, amount in result.sums.items():
            sums[account_id] += amount
        if heads.get(key) != result.last:
            report.problems.append(f"chain {key}: head does not match its last entry")
    report.problems += _balances_check(report, sums, incremental=report.since_checkpoint)
    report.seconds = time.perf_counter() - started
    return report


def _in(column: str, ids: list[int]) -> tuple[str, list[Any]]:
    """`column IN (…)`: on PostgreSQL one array parameter, which the driver need not parse."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN ({','.join(['%s'] * len(ids))})", list(ids)


def _rows(sql: str, params: Iterable[Any] = (), convert: Any = None) -> Iterator[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        for row in cursor.fetchall():
            yield convert(row) if convert else row


def _run(jobs: list[tuple[Any, ...]], workers: int) -> list[_ChainResult]:
    # Other processes see only committed rows, and closing this connection inside a transaction
    # would end it: inside one (a test, a caller's transaction), check in place.
    if workers <= 1 or len(jobs) < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return [_chain_verify(*job) for job in jobs]
    connections.close_all()  # each process opens its own connection
    with multiprocessing.get_context("fork").Pool(workers, initializer=connections.close_all) as pool:
        return pool.starmap(_chain_verify, jobs, chunksize=max(1, len(jobs) // (workers * 8)))


def _signed_entries_check(signed: dict[str, tuple[int, str]]) -> list[str]:
    """The entries a checkpoint signed are still there, unchanged (one query per chunk)."""
    problems = []
    items = [(k, s) for k, (s, _h) in signed.items() if s > 0]
    for i in range(0, len(items), 1000):
        chunk = items[i : i + 1000]
        marks = ",".join(["(%s, %s)"] * len(chunk))
        found = {
            (k, s): h
            for k, s, h in _rows(
                "SELECT chain_key, seq, entry_hash FROM ledger_ledgertransaction "
                f"WHERE (chain_key, seq) IN (VALUES {marks})",
                [v for pair in chunk for v in pair],
            )
        }
        for key, seq in chunk:
            if found.get((key, seq)) != signed[key][1]:
                problems.append(
                    f"chain {key}: the entry at seq {seq} is not the one signed (rewritten or deleted)"
                )
    return problems


# Account facts as hashed: id -> (public id, holder, kind, unit, sub-account), read as needed.
_ACCOUNT_FACTS: dict[int, tuple[str, str, str, str, str]] = {}


def _uuid_text(value: Any) -> str:
    """A UUID as its canonical text (PostgreSQL gives it so; SQLite stores 32 hex digits)."""
    text = str(value)
    return str(uuid.UUID(text)) if len(text) == 32 else text


def _accounts_facts(ids: set[int]) -> None:
    missing = sorted(ids - _ACCOUNT_FACTS.keys())
    for i in range(0, len(missing), CHUNK):
        where, params = _in("id", missing[i : i + CHUNK])
        for pk, public_id, holder, kind, unit, sub in _rows(
            "SELECT id, CAST(public_id AS text), CAST(holder_ref AS text), kind, unit, virtue_code "
            f"FROM ledger_account WHERE {where}",
            params,
        ):
            _ACCOUNT_FACTS[pk] = (_uuid_text(public_id), _uuid_text(holder), kind, unit, sub)


def _chain_batches(
    chain_key: str, after_seq: int, batch_size: int
) -> Iterator[tuple[list[tuple[Any, ...]], dict[int, list[tuple[int, str, int]]]]]:
    """The chain's entries after `after_seq`, in order, a batch at a time with their postings."""
    last_seq = after_seq
    while True:
        batch = list(_rows(TX_SQL, [chain_key, last_seq, batch_size]))
        if not batch:
            return
        postings_of: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
        for tx_id, account_id, unit, amount in _rows(POSTINGS_SQL, [chain_key, last_seq, batch[-1][1]]):
            postings_of[tx_id].append((account_id, unit, amount))
        _accounts_facts({a for postings in postings_of.values() for a, _u, _n in postings})
        yield batch, postings_of
        if len(batch) < batch_size:  # the chain's end: no query for an empty batch (a chain a day moved
            return  # by a few entries costs two queries, which is most of an incremental check)
        last_seq = batch[-1][1]


def _instant(value: Any) -> datetime:
    """A stored time as an aware datetime (SQLite gives naive UTC, as a datetime or as text)."""
    parsed = value if isinstance(value, datetime) else parse_datetime(str(value))
    if parsed is None:
        raise ValueError(f"not a time: {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _chain_verify(
    chain_key: str, start: tuple[int, str], signed: tuple[int, str] | None, batch_size: int
) -> _ChainResult:
    """Checks one chain from `start` (seq, hash). Runs in a worker process or in place."""
    result = _ChainResult()
    sums: dict[int, int] = defaultdict(int)
    prev_hash, expected_seq = start[1], start[0] + 1
    newest_format = 1
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
                sums[account_id] += amount
                public_id, holder, account_kind, account_unit, sub = _ACCOUNT_FACTS.get(
                    account_id, ("?",) * 5
                )
                facts.append(
                    (public_id, holder, account_kind, unit, sub, amount)
                    if fmt >= 2
                    else (public_id, unit, amount)
                )
                if account_unit != unit:
                    result.problems.append(f"{where}: a posting's unit is not its account's")
            if any(per_unit.values()):
                result.problems.append(f"{where}: postings do not balance {dict(per_unit)}")
            recomputed = entry_hash(
                chain_key=chain_key, seq=seq, prev_hash=tx_prev, created_at=_instant(created_at), kind=kind,
                idempotency_key=key, reverses=_uuid_text(reverses) if reverses else None,
                memo=json.loads(memo) if isinstance(memo, str) else memo,
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
            if signed is not None and seq == signed[0] and digest != signed[1]:
                result.problems.append(
                    f"{where}: differs from the signed checkpoint (the chain was rewritten)"
                )
            prev_hash, expected_seq = digest, seq + 1
    if signed is not None and expected_seq - 1 < signed[0]:
        result.problems.append(
            f"chain {chain_key}: ends at seq {expected_seq - 1} but the signed checkpoint has seq "
            f"{signed[0]} (entries were deleted and the chain rolled back)"
        )
    result.last = (expected_seq - 1, prev_hash)
    result.sums = dict(sums)
    return result


def _balances_check(report: VerifyReport, sums: dict[int, int], *, incremental: bool) -> list[str]:
    """Cached balances against the postings: all accounts, or (incremental) those touched since
    the checkpoint, summed in full from the covering index."""
    problems = []
    if incremental:
        ids = sorted(sums)
        expected: dict[int, int] = {}
        rows: list[tuple[int, int, bool]] = []
        for i in range(0, len(ids), CHUNK):
            where, params = _in("account_id", ids[i : i + CHUNK])
            expected.update(
                _rows(
                    f"SELECT account_id, SUM(amount) FROM ledger_posting WHERE {where} GROUP BY account_id",
                    params,
                )
            )
            where, params = _in("id", ids[i : i + CHUNK])
            rows += _rows(f"SELECT id, balance, allow_negative FROM ledger_account WHERE {where}", params)
    else:
        expected = sums
        rows = list(_rows("SELECT id, balance, allow_negative FROM ledger_account"))
    for pk, balance, allow_negative in rows:
        report.accounts += 1
        should = int(expected.get(pk, 0))
        if balance != should:
            problems.append(f"account id={pk}: balance {balance} but postings sum to {should}")
        if not allow_negative and should < 0:
            problems.append(f"account id={pk}: below zero ({should})")
    return problems
