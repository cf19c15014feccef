"""Writes to the ledger. The only code that inserts transactions and postings.

The ledger knows no domain: callers name their account kinds, transaction kinds and the
`source` of each transaction; the ledger guarantees balance per unit, no overdraft, one effect
per idempotency key, and the hash chain."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kwamdee.common.locks import rows_lock
from kwamdee.ledger.choices import REVERSAL
from kwamdee.ledger.errors import AlreadyReversed, InsufficientBalance, Unbalanced
from kwamdee.ledger.hashing import entry_hash
from kwamdee.ledger.models import Account, ChainHead, LedgerTransaction, Posting


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


def accounts_get_or_create(
    keys: Iterable[AccountKey], *, negative_kinds: Iterable[str] = ()
) -> dict[AccountKey, Account]:
    """The accounts for `keys`, creating the missing ones: one query when all exist.

    Accounts of `negative_kinds` are sources (issuance, a sponsor's pledges): their balance is
    what they have given out, below zero by design. Every other account may never go below zero."""
    wanted = {AccountKey(*k) for k in keys}
    sources = set(negative_kinds)

    def fetch() -> dict[AccountKey, Account]:
        match = Q()
        for holder_ref, kind, unit, subaccount in wanted:
            match |= Q(holder_ref=holder_ref, kind=kind, unit=unit, virtue_code=subaccount)
        return {
            AccountKey(a.holder_ref, a.kind, a.unit, a.virtue_code): a for a in Account.objects.filter(match)
        }

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


def _check_balanced(legs: list[Leg]) -> None:
    per_unit: dict[str, int] = defaultdict(int)
    for leg in legs:
        if leg.amount == 0 or not isinstance(leg.amount, int):
            raise Unbalanced()
        per_unit[leg.account.unit] += leg.amount
    if not legs or any(total != 0 for total in per_unit.values()):
        raise Unbalanced()


@transaction.atomic
def ledger_transaction_post(
    *,
    chain_key: str,
    kind: str,
    idempotency_key: str,
    legs: list[Leg],
    source: Source,
    memo: dict[str, Any] | None = None,
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """Appends one balanced transaction to `chain_key`'s hash chain.

    Retried with the same idempotency key, returns the first transaction and changes nothing.
    Locks (common/locks.py): the chain head, then the accounts by primary key."""
    memo = memo or {}
    if not source.kind or not source.id:
        raise ValueError("a ledger transaction names its source (kind and public id)")
    _check_balanced(legs)
    existing = LedgerTransaction.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing

    ChainHead.objects.get_or_create(chain_key=chain_key)
    [head] = rows_lock(ChainHead.objects.filter(chain_key=chain_key))
    # Checked again under the lock: a concurrent retry may have committed meanwhile.
    existing = LedgerTransaction.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing

    deltas: dict[int, int] = defaultdict(int)
    for leg in legs:
        deltas[leg.account.pk] += leg.amount
    locked = {a.pk: a for a in rows_lock(Account.objects.filter(pk__in=deltas))}
    for pk, delta in deltas.items():
        account = locked[pk]
        if not account.allow_negative and account.balance + delta < 0:
            raise InsufficientBalance(account_ids=[pk])

    created_at = timezone.now()
    seq = head.seq + 1
    digest = entry_hash(
        chain_key=chain_key, seq=seq, prev_hash=head.head_hash, created_at=created_at,
        kind=kind, idempotency_key=idempotency_key,
        reverses=str(reverses.public_id) if reverses else None, memo=memo, source=source,
        postings=[(str(leg.account.public_id), leg.account.unit, leg.amount) for leg in legs],
    )  # fmt: skip
    entry = LedgerTransaction.objects.create(
        created_at=created_at, chain_key=chain_key, seq=seq, prev_hash=head.head_hash,
        entry_hash=digest, kind=kind, idempotency_key=idempotency_key, reverses=reverses,
        memo=memo, source_kind=source.kind, source_id=source.id,
    )  # fmt: skip
    Posting.objects.bulk_create(
        Posting(transaction=entry, account=leg.account, unit=leg.account.unit, amount=leg.amount)
        for leg in legs
    )
    for pk, delta in deltas.items():
        locked[pk].balance += delta
    Account.objects.bulk_update(list(locked.values()), ["balance"])
    head.seq, head.head_hash = seq, digest
    head.save(update_fields=["seq", "head_hash"])
    return entry


# Why a credit may be reversed: a code, never free text, because the memo is hashed forever.
REVERSAL_REASONS = ("rejected_on_appeal", "fraudulent", "duplicate", "entered_in_error")


@transaction.atomic
def ledger_transaction_reverse(
    *, original: LedgerTransaction, reason: str, memo: dict[str, Any] | None = None
) -> LedgerTransaction:
    """Posts the exact opposite of `original`, naming it and its source. The only way credit
    goes away, and only for a credit that was wrongly given — never as a penalty."""
    if reason not in REVERSAL_REASONS:
        raise ValueError(f"reason must be one of {REVERSAL_REASONS}")
    if LedgerTransaction.objects.filter(reverses=original).exists():
        raise AlreadyReversed()
    legs = [Leg(p.account, -p.amount) for p in original.postings.select_related("account")]
    return ledger_transaction_post(
        chain_key=original.chain_key,
        kind=REVERSAL,
        idempotency_key=f"reverse:{original.public_id}",
        legs=legs,
        source=Source(original.source_kind or "transaction", original.source_id or str(original.public_id)),
        memo={**(memo or {}), "reason": reason},
        reverses=original,
    )
