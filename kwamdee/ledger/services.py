"""Writes to the ledger. The only code that inserts transactions and postings.

The ledger knows no domain: callers name their account kinds, transaction kinds and the
`source` of each transaction; the ledger guarantees balance per unit, no overdraft, one effect
per idempotency key (a key reused for a different transaction is refused), and the hash chain.

Every write goes through `ledger_transactions_post`, which appends a whole batch in one
database transaction: one lock per chain head, rows built as plain tuples and written with
set-based SQL (on PostgreSQL, the whole write is one statement). A single post is a batch of one."""

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone

from kwamdee.common.idempotency import IdempotencyConflict
from kwamdee.common.locks import rows_lock
from kwamdee.ledger.choices import REVERSAL
from kwamdee.ledger.errors import AlreadyReversed, InsufficientBalance, Unbalanced
from kwamdee.ledger.hashing import CURRENT_FORMAT, entry_hash, entry_mac
from kwamdee.ledger.models import GENESIS_HASH, Account, LedgerTransaction, Posting


class AccountKey(NamedTuple):
    """What identifies an account: its holder, kind, unit and sub-account."""

    holder_ref: UUID
    kind: str
    unit: str
    subaccount: str = ""


class Source(NamedTuple):
    """What a transaction is for, as the posting domain names it: (`deed`, its public id)."""

    kind: str
    id: str


@dataclass(frozen=True)
class Leg:
    account: Account
    amount: int


@dataclass(frozen=True)
class EntryIn:
    """One balanced transaction to append to `chain_key`'s hash chain."""

    chain_key: str
    kind: str
    idempotency_key: str
    legs: Sequence[Leg]
    source: Source
    memo: dict[str, Any] = field(default_factory=dict)
    reverses: LedgerTransaction | None = None


class Posted(NamedTuple):
    """What the ledger appended (or, for a key already used with the same body, had appended)."""

    pk: int
    public_id: UUID
    chain_key: str
    seq: int
    idempotency_key: str
    created: bool
    # A reversal that left what was already spent (ledger_transaction_reverse): per unit.
    not_reversed: dict[str, int] | None = None


def accounts_get_or_create(
    keys: Iterable[AccountKey], *, negative_kinds: Iterable[str] = ()
) -> dict[AccountKey, Account]:
    """The accounts for `keys`, creating the missing ones: one query when all exist.

    Accounts of `negative_kinds` are sources (issuance, a sponsor's pledges): their balance is
    what they have given out, below zero by design. Every other account may never go below zero."""
    wanted = {AccountKey(*k) for k in keys}
    sources = set(negative_kinds)

    def fetch() -> dict[AccountKey, Account]:
        # By holder, then picked here: a holder has a dozen accounts at most, and one IN over the
        # holders compiles in a fraction of the time an OR of every key takes (make bench).
        holders = sorted({k.holder_ref for k in wanted})
        kinds = sorted({k.kind for k in wanted})
        found = {}
        for account in Account.objects.filter(holder_ref__in=holders, kind__in=kinds):
            key = AccountKey(account.holder_ref, account.kind, account.unit, account.virtue_code)
            if key in wanted:
                found[key] = account
        return found

    found = fetch() if wanted else {}
    missing = wanted - set(found)
    if missing:
        Account.objects.bulk_create(
            [
                Account(holder_ref=h, kind=k, unit=u, virtue_code=s, allow_negative=k in sources)
                # A fixed order, so two processes creating the same accounts never deadlock.
                for h, k, u, s in sorted(missing, key=str)
            ],
            ignore_conflicts=True,  # a concurrent first posting may have created it meanwhile
        )
        found = fetch()
    return found


def account_get_or_create(
    *, holder_ref: UUID, kind: str, unit: str, subaccount: str = "", may_go_negative: bool = False
) -> Account:
    key = AccountKey(holder_ref, kind, unit, subaccount)
    return accounts_get_or_create([key], negative_kinds=[kind] if may_go_negative else [])[key]


def accounts_lock(account_ids: Iterable[int]) -> dict[int, int]:
    """Locks accounts by primary key (after any chain head the caller holds, common/locks.py) and
    returns their balances: for a caller that must decide, under the lock, what it can pay."""
    locked = rows_lock(Account.objects.filter(pk__in=set(account_ids)).only("pk", "balance"))
    return {account.pk: account.balance for account in locked}


def _check_balanced(legs: Sequence[Leg]) -> None:
    per_unit: dict[str, int] = defaultdict(int)
    for leg in legs:
        if leg.amount == 0 or not isinstance(leg.amount, int):
            raise Unbalanced()
        per_unit[leg.account.unit] += leg.amount
    if not legs or any(total != 0 for total in per_unit.values()):
        raise Unbalanced()


def ledger_transaction_post(
    *,
    chain_key: str,
    kind: str,
    idempotency_key: str,
    legs: list[Leg],
    source: Source,
    memo: dict[str, Any] | None = None,
    reverses: LedgerTransaction | None = None,
) -> Posted:
    """Appends one balanced transaction to `chain_key`'s hash chain (a batch of one).

    Retried with the same idempotency key and legs, returns the first transaction and changes
    nothing; the same key with other legs is refused (`IdempotencyConflict`)."""
    entry = EntryIn(chain_key, kind, idempotency_key, legs, source, memo or {}, reverses)
    return ledger_transactions_post([entry])[0]


def ledger_transactions_post(entries: Sequence[EntryIn]) -> list[Posted]:
    """Appends every entry, or none: one lock per chain head, one check of the keys, the rows
    written set-based. Returns what was posted for each entry, in the order given.

    Locks (common/locks.py): the chain heads in key order, then the accounts that a debit could
    overdraw, by primary key. Accounts that only receive are not locked: their balance moves by
    an atomic `balance + delta`, and the database's check keeps every balance ≥ 0 regardless."""
    if not entries:
        return []
    keys = [e.idempotency_key for e in entries]
    if len(set(keys)) != len(keys):
        raise ValueError("an idempotency key appears twice in one batch")
    for e in entries:
        if not e.source.kind or not e.source.id:
            raise ValueError("a ledger transaction names its source (kind and public id)")
        _check_balanced(e.legs)
    return _entries_append(entries)


# No savepoint of its own: a refusal under the locks (overdraft, a key reused for other legs)
# fails the caller's whole transaction, which is what every caller wants; one that wants to go
# on (a sponsor's bonus) opens its own savepoint.
@transaction.atomic(savepoint=False)
def _entries_append(entries: Sequence[EntryIn]) -> list[Posted]:
    heads = _heads_lock(sorted({e.chain_key for e in entries}))
    # Checked under the chain locks: a concurrent retry of the same key has committed or waits.
    earlier = _posted_earlier(entries)
    fresh = [e for e in entries if e.idempotency_key not in earlier]
    written = _write(fresh, heads) if fresh else {}
    return [earlier.get(e.idempotency_key) or written[e.idempotency_key] for e in entries]


def _heads_lock(chain_keys: list[str]) -> dict[str, list[Any]]:
    """Locks the chain heads (creating missing ones) in key order: {chain_key: [seq, head_hash]}."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    marks = ",".join(["%s"] * len(chain_keys))
    select = (
        f"SELECT chain_key, seq, head_hash FROM ledger_chainhead WHERE chain_key IN ({marks}) "
        f"ORDER BY chain_key{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(select, chain_keys)
        heads = {key: [seq, digest] for key, seq, digest in cursor.fetchall()}
        missing = [k for k in chain_keys if k not in heads]
        if missing:
            cursor.execute(
                "INSERT INTO ledger_chainhead (chain_key, seq, head_hash) VALUES "
                + ",".join(["(%s, 0, %s)"] * len(missing))
                + " ON CONFLICT DO NOTHING",
                [v for key in missing for v in (key, GENESIS_HASH)],
            )
            cursor.execute(select, chain_keys)
            heads = {key: [seq, digest] for key, seq, digest in cursor.fetchall()}
    return heads


def _legs_fingerprint(kind: str, source: tuple[str, ...], legs: Iterable[tuple[int, int]]) -> tuple[Any, ...]:
    return (kind, tuple(source), tuple(sorted(legs)))


def _posted_earlier(entries: Sequence[EntryIn]) -> dict[str, Posted]:
    """The entries whose key was used before. The same key with other legs is refused."""
    by_key = {e.idempotency_key: e for e in entries}
    rows = list(
        LedgerTransaction.objects.filter(idempotency_key__in=list(by_key)).values_list(
            "pk", "public_id", "chain_key", "seq", "idempotency_key", "kind", "source_kind", "source_id"
        )
    )
    if not rows:
        return {}
    legs_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for tx_id, account_id, amount in Posting.objects.filter(
        transaction_id__in=[r[0] for r in rows]
    ).values_list("transaction_id", "account_id", "amount"):
        legs_of[tx_id].append((account_id, amount))
    earlier = {}
    for pk, public_id, chain_key, seq, key, kind, source_kind, source_id in rows:
        asked = by_key[key]
        stored = _legs_fingerprint(kind, (source_kind, source_id), legs_of[pk])
        wanted = _legs_fingerprint(
            asked.kind, tuple(asked.source), [(leg.account.pk, leg.amount) for leg in asked.legs]
        )
        if stored != wanted:
            raise IdempotencyConflict()
        earlier[key] = Posted(pk, public_id, chain_key, seq, key, created=False)
    return earlier


def _overdraft_check(entries: Sequence[EntryIn]) -> None:
    """Locks the accounts a debit could take below zero and replays the batch on their balances."""
    debited = sorted(
        {
            leg.account.pk
            for e in entries
            for leg in e.legs
            if leg.amount < 0 and not leg.account.allow_negative
        }
    )
    if not debited:
        return
    balances = accounts_lock(debited)
    for e in entries:
        for leg in e.legs:
            if leg.account.pk in balances:
                balances[leg.account.pk] += leg.amount
        short = [pk for pk, balance in balances.items() if balance < 0]
        if short:
            raise InsufficientBalance(account_ids=short)


def _write(entries: Sequence[EntryIn], heads: dict[str, list[Any]]) -> dict[str, Posted]:
    """Hashes, seals and writes `entries` after their chains' heads; moves balances and heads."""
    _overdraft_check(entries)
    created_at = timezone.now()
    tx_rows: list[tuple[Any, ...]] = []
    posting_rows: list[tuple[Any, ...]] = []
    deltas: dict[int, int] = defaultdict(int)
    posted: dict[str, Posted] = {}
    for e in entries:
        head = heads[e.chain_key]
        seq, prev_hash = head[0] + 1, head[1]
        digest = entry_hash(
            chain_key=e.chain_key, seq=seq, prev_hash=prev_hash, created_at=created_at,
            kind=e.kind, idempotency_key=e.idempotency_key,
            reverses=str(e.reverses.public_id) if e.reverses else None, memo=e.memo,
            source=e.source, postings=[_posting_facts(leg) for leg in e.legs],
        )  # fmt: skip
        public_id = uuid.uuid4()
        tx_rows.append(
            (public_id, created_at, e.chain_key, seq, prev_hash, digest, e.kind, e.source.kind,
             e.source.id, e.idempotency_key, e.reverses.pk if e.reverses else None, e.memo,
             CURRENT_FORMAT, entry_mac(digest))
        )  # fmt: skip
        for leg in e.legs:
            posting_rows.append((e.idempotency_key, leg.account.pk, leg.account.unit, leg.amount))
            deltas[leg.account.pk] += leg.amount
        head[0], head[1] = seq, digest
        posted[e.idempotency_key] = Posted(0, public_id, e.chain_key, seq, e.idempotency_key, created=True)
    ids = _rows_insert(tx_rows, posting_rows, deltas, heads)
    return {key: p._replace(pk=ids[key]) for key, p in posted.items()}


def _posting_facts(leg: Leg) -> tuple[Any, ...]:
    a = leg.account
    return (a.public_id, a.holder_ref, a.kind, a.unit, a.virtue_code, leg.amount)


TX_COLUMNS = (
    "public_id", "created_at", "chain_key", "seq", "prev_hash", "entry_hash", "kind", "source_kind",
    "source_id", "idempotency_key", "reverses_id", "memo", "format", "mac",
)  # fmt: skip


def _db_values(row: tuple[Any, ...]) -> list[Any]:
    """A transaction row as the database driver takes it (UUIDs, datetimes and JSON differ)."""
    public_id, created_at, *middle, memo, fmt, mac = row
    ops = connection.ops
    return [
        public_id if connection.vendor == "postgresql" else public_id.hex,
        ops.adapt_datetimefield_value(created_at),
        *middle,
        json.dumps(memo, ensure_ascii=False, sort_keys=True),
        fmt,
        mac,
    ]


def _rows_insert(
    tx_rows: list[tuple[Any, ...]],
    posting_rows: list[tuple[Any, ...]],
    deltas: dict[int, int],
    heads: dict[str, list[Any]],
) -> dict[str, int]:
    """Writes the rows: one statement on PostgreSQL (data-modifying CTEs), four on SQLite.
    Returns {idempotency key: transaction id}."""
    tx_values = [v for row in tx_rows for v in _db_values(row)]
    marks = ["%s::jsonb" if c == "memo" and connection.vendor == "postgresql" else "%s" for c in TX_COLUMNS]
    tx_marks = ",".join(["(" + ",".join(marks) + ")"] * len(tx_rows))
    insert_tx = f"INSERT INTO ledger_ledgertransaction ({','.join(TX_COLUMNS)}) VALUES {tx_marks}"
    head_rows = [(key, seq, digest) for key, (seq, digest) in heads.items()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH tx AS ({insert_tx} RETURNING id, idempotency_key), "
                "p AS (INSERT INTO ledger_posting (transaction_id, account_id, unit, amount) "
                "SELECT tx.id, v.account_id, v.unit, v.amount FROM (VALUES "
                + ",".join(["(%s, %s::bigint, %s, %s::bigint)"] * len(posting_rows))
                + ") AS v(key, account_id, unit, amount) JOIN tx ON tx.idempotency_key = v.key), "
                "b AS (UPDATE ledger_account AS a SET balance = a.balance + v.delta FROM (VALUES "
                + ",".join(["(%s::bigint, %s::bigint)"] * len(deltas))
                + ") AS v(id, delta) WHERE a.id = v.id), "
                "h AS (UPDATE ledger_chainhead AS c SET seq = v.seq, head_hash = v.head_hash FROM (VALUES "
                + ",".join(["(%s, %s::bigint, %s)"] * len(head_rows))
                + ") AS v(chain_key, seq, head_hash) WHERE c.chain_key = v.chain_key) "
                "SELECT id, idempotency_key FROM tx",
                [
                    *tx_values,
                    *(v for row in posting_rows for v in row),
                    *(v for item in deltas.items() for v in item),
                    *(v for row in head_rows for v in row),
                ],
            )
            return {key: pk for pk, key in cursor.fetchall()}
        cursor.execute(insert_tx + " RETURNING id, idempotency_key", tx_values)
        ids = {key: pk for pk, key in cursor.fetchall()}
        cursor.execute(
            "INSERT INTO ledger_posting (transaction_id, account_id, unit, amount) VALUES "
            + ",".join(["(%s, %s, %s, %s)"] * len(posting_rows)),
            [v for key, account, unit, amount in posting_rows for v in (ids[key], account, unit, amount)],
        )
        cursor.execute(
            "UPDATE ledger_account SET balance = balance + v.column2 FROM (VALUES "
            + ",".join(["(%s, %s)"] * len(deltas))
            + ") AS v WHERE ledger_account.id = v.column1",
            [v for item in deltas.items() for v in item],
        )
        cursor.execute(
            "UPDATE ledger_chainhead SET seq = v.column2, head_hash = v.column3 FROM (VALUES "
            + ",".join(["(%s, %s, %s)"] * len(head_rows))
            + ") AS v WHERE ledger_chainhead.chain_key = v.column1",
            [v for row in head_rows for v in row],
        )
        return ids


# Why a credit may be reversed: a code, never free text, because the memo is hashed forever.
REVERSAL_REASONS = ("rejected_on_appeal", "fraudulent", "duplicate", "entered_in_error")


@transaction.atomic
def ledger_transaction_reverse(
    *, original: LedgerTransaction, reason: str, memo: dict[str, Any] | None = None, spent_stays: bool = False
) -> Posted:
    """Posts the exact opposite of `original`, naming it and its source. The only way credit
    goes away, and only for a credit that was wrongly given — never as a penalty.

    A holder who has spent part of what `original` gave them cannot give it back: the exact
    opposite is then refused (`InsufficientBalance`), as any overdraft is. With `spent_stays`,
    what was spent stays spent instead: each debit takes at most the account's balance (never
    below zero), the other side of the same unit gets back that much less, and the memo says per
    unit what stayed (`not_reversed`). Nothing at all left to take back is still refused."""
    if reason not in REVERSAL_REASONS:
        raise ValueError(f"reason must be one of {REVERSAL_REASONS}")
    if LedgerTransaction.objects.filter(reverses=original).exists():
        raise AlreadyReversed()
    legs = [Leg(p.account, -p.amount) for p in original.postings.select_related("account")]
    memo = {**(memo or {}), "reason": reason}
    if spent_stays:
        legs, not_reversed = _legs_within_balances(original.chain_key, legs)
        if not legs:
            raise InsufficientBalance()
        if not_reversed:
            memo["not_reversed"] = not_reversed
    posted = ledger_transaction_post(
        chain_key=original.chain_key,
        kind=REVERSAL,
        idempotency_key=f"reverse:{original.public_id}",
        legs=legs,
        source=Source(original.source_kind or "transaction", original.source_id or str(original.public_id)),
        memo=memo,
        reverses=original,
    )
    return posted._replace(not_reversed=memo.get("not_reversed") or {})


def _legs_within_balances(chain_key: str, legs: list[Leg]) -> tuple[list[Leg], dict[str, int]]:
    """`legs` with each debit of a non-negative account cut to its balance, and the credits of
    the same unit cut by as much (first those of the same sub-account), so that they still
    balance; with what stayed, per unit. Locks as a post does: the chain head, then the accounts."""
    _heads_lock([chain_key])
    debited = sorted({leg.account.pk for leg in legs if leg.amount < 0 and not leg.account.allow_negative})
    balances = accounts_lock(debited)
    amounts = [leg.amount for leg in legs]
    short: dict[tuple[str, str], int] = defaultdict(int)
    for i, leg in enumerate(legs):
        if leg.account.pk in balances and amounts[i] < 0:
            taken = min(-amounts[i], max(balances[leg.account.pk], 0))
            balances[leg.account.pk] -= taken
            short[(leg.account.unit, leg.account.virtue_code)] += -amounts[i] - taken
            amounts[i] = -taken
    not_reversed: dict[str, int] = defaultdict(int)
    for (unit, virtue_code), missing in short.items():
        not_reversed[unit] += missing
        # The same sub-account first (a deed's issuance and person per virtue), then any of the unit.
        order = sorted(
            (i for i, leg in enumerate(legs) if leg.account.unit == unit and amounts[i] > 0),
            key=lambda i: legs[i].account.virtue_code != virtue_code,
        )
        for i in order:
            cut = min(missing, amounts[i])
            amounts[i] -= cut
            missing -= cut
    kept = [Leg(leg.account, amount) for leg, amount in zip(legs, amounts, strict=True) if amount]
    return kept, {unit: n for unit, n in not_reversed.items() if n}
