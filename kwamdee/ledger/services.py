"""Writes to the ledger. The only code that inserts transactions and postings."""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kwamdee.ledger.choices import AccountKind, TransactionKind, Unit
from kwamdee.ledger.errors import AlreadyReversed, InsufficientBalance, Unbalanced
from kwamdee.ledger.hashing import entry_hash
from kwamdee.ledger.models import Account, ChainHead, LedgerTransaction, Posting

# Issuance accounts are per province, so that provinces do not queue behind one hot row.
ISSUANCE_NAMESPACE = uuid.UUID("6b7c1d52-4f0e-4f36-9a8e-1f7a3c0d2b11")
# Sources: the accounts whose balance is what they have issued, so below zero by design.
NEGATIVE_ALLOWED = (AccountKind.ISSUANCE, AccountKind.SPONSOR_FUNDING)


@dataclass(frozen=True)
class Leg:
    account: Account
    amount: int


def issuance_ref(province_code: str) -> uuid.UUID:
    return uuid.uuid5(ISSUANCE_NAMESPACE, f"issuance:{province_code}")


# (holder_ref, kind, unit, virtue_code): what identifies an account.
AccountKey = tuple[uuid.UUID, str, str, str]


def person_account_key(person, unit: str, virtue_code: str) -> AccountKey:
    kind = AccountKind.PERSON_CREDIT if unit == Unit.CREDIT else AccountKind.PERSON_POINTS
    return (person.ledger_ref, kind, unit, virtue_code)


def issuance_account_key(province_code: str, unit: str, virtue_code: str) -> AccountKey:
    return (issuance_ref(province_code), AccountKind.ISSUANCE, unit, virtue_code)


def accounts_get_or_create(keys: Iterable[AccountKey]) -> dict[AccountKey, Account]:
    """The accounts for `keys`, creating the missing ones: one query when all exist."""
    wanted = set(keys)

    def fetch() -> dict[AccountKey, Account]:
        match = Q()
        for holder_ref, kind, unit, virtue_code in wanted:
            match |= Q(holder_ref=holder_ref, kind=kind, unit=unit, virtue_code=virtue_code)
        return {(a.holder_ref, a.kind, a.unit, a.virtue_code): a for a in Account.objects.filter(match)}

    found = fetch() if wanted else {}
    missing = wanted - set(found)
    if missing:
        Account.objects.bulk_create(
            [
                Account(holder_ref=h, kind=k, unit=u, virtue_code=v, allow_negative=k in NEGATIVE_ALLOWED)
                # A fixed order, so two processes creating the same accounts never deadlock.
                for h, k, u, v in sorted(missing, key=str)
            ],
            ignore_conflicts=True,  # a concurrent first posting may have created it meanwhile
        )
        found = fetch()
    return found


def account_get_or_create(*, holder_ref: uuid.UUID, kind: str, unit: str, virtue_code: str = "") -> Account:
    key = (holder_ref, kind, unit, virtue_code)
    return accounts_get_or_create([key])[key]


def person_account(*, person, unit: str, virtue_code: str) -> Account:
    key = person_account_key(person, unit, virtue_code)
    return accounts_get_or_create([key])[key]


def issuance_account(*, province_code: str, unit: str, virtue_code: str) -> Account:
    key = issuance_account_key(province_code, unit, virtue_code)
    return accounts_get_or_create([key])[key]


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
    memo: dict | None = None,
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """Appends one balanced transaction to `chain_key`'s hash chain.

    Retried with the same idempotency key, returns the first transaction and changes nothing.
    Locks: the chain head, then the accounts by primary key (one order everywhere)."""
    memo = memo or {}
    _check_balanced(legs)
    existing = LedgerTransaction.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing

    ChainHead.objects.get_or_create(chain_key=chain_key)
    head = ChainHead.objects.select_for_update().get(chain_key=chain_key)
    # Checked again under the lock: a concurrent retry may have committed meanwhile.
    existing = LedgerTransaction.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing

    deltas: dict[int, int] = defaultdict(int)
    for leg in legs:
        deltas[leg.account.pk] += leg.amount
    locked = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=deltas).order_by("pk")}
    for pk, delta in deltas.items():
        account = locked[pk]
        if not account.allow_negative and account.balance + delta < 0:
            raise InsufficientBalance(account_ids=[pk])

    created_at = timezone.now()
    seq = head.seq + 1
    digest = entry_hash(
        chain_key=chain_key, seq=seq, prev_hash=head.head_hash, created_at=created_at,
        kind=kind, idempotency_key=idempotency_key,
        reverses=str(reverses.public_id) if reverses else None, memo=memo,
        postings=[(str(leg.account.public_id), leg.account.unit, leg.amount) for leg in legs],
    )  # fmt: skip
    entry = LedgerTransaction.objects.create(
        created_at=created_at, chain_key=chain_key, seq=seq, prev_hash=head.head_hash,
        entry_hash=digest, kind=kind, idempotency_key=idempotency_key, reverses=reverses,
        memo=memo,
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
    *, original: LedgerTransaction, reason: str, memo: dict | None = None
) -> LedgerTransaction:
    """Posts the exact opposite of `original`, naming it. The only way credit goes away,
    and only for a credit that was wrongly given — never as a penalty."""
    if reason not in REVERSAL_REASONS:
        raise ValueError(f"reason must be one of {REVERSAL_REASONS}")
    if LedgerTransaction.objects.filter(reverses=original).exists():
        raise AlreadyReversed()
    legs = [Leg(p.account, -p.amount) for p in original.postings.select_related("account")]
    return ledger_transaction_post(
        chain_key=original.chain_key,
        kind=TransactionKind.REVERSAL,
        idempotency_key=f"reverse:{original.public_id}",
        legs=legs,
        memo={**(memo or {}), "reason": reason},
        reverses=original,
    )
