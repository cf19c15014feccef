"""Reads of the ledger, by holder and account: what the read models above (the passbook,
dashboards) build on. Balances come from the accounts' cached `balance`, never from a sum of
postings; entries come newest first through the (account, transaction) index."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Sum

from kwamdee.ledger.models import Account, LedgerTransaction, Posting


@dataclass(frozen=True)
class Balance:
    kind: str
    unit: str
    subaccount: str
    amount: int


@dataclass
class Entry:
    """One transaction as seen from a set of accounts: what it moved in or out of them."""

    public_id: UUID
    created_at: datetime
    kind: str
    source_kind: str
    source_id: str
    memo: dict[str, Any]
    amounts: dict[str, int] = field(default_factory=dict)  # unit -> net amount on these accounts


def holder_balances(*, holder_ref: UUID, kinds: Iterable[str]) -> list[Balance]:
    """The cached balances of one holder's accounts of `kinds` (a handful of rows)."""
    rows = Account.objects.filter(holder_ref=holder_ref, kind__in=list(kinds)).values_list(
        "kind", "unit", "virtue_code", "balance"
    )
    return [Balance(kind=k, unit=u, subaccount=s, amount=b) for k, u, s, b in rows]


def holder_entry_count(*, holder_ref: UUID, kinds: Iterable[str]) -> int:
    """How many transactions touched the holder's accounts of `kinds` (for the passbook's pages)."""
    return (
        Posting.objects.filter(account__holder_ref=holder_ref, account__kind__in=list(kinds))
        .values("transaction_id")
        .distinct()
        .count()
    )


def holder_entries(
    *, holder_ref: UUID, kinds: Iterable[str], limit: int = 100, offset: int = 0
) -> list[Entry]:
    """The newest `limit` transactions (after skipping `offset` newer ones) that touched the
    holder's accounts of `kinds`, with what each moved on them. Reads only those transactions'
    postings, however long the history."""
    account_ids = list(
        Account.objects.filter(holder_ref=holder_ref, kind__in=list(kinds)).values_list("pk", flat=True)
    )
    # Each account's newest ids come from the (account, -transaction) index; one IN over all the
    # accounts would make the database read every posting they ever had, to sort them.
    newest_ids: set[int] = set()
    for account_id in account_ids:
        newest_ids.update(
            Posting.objects.filter(account_id=account_id)
            .order_by("-transaction_id")
            .values_list("transaction_id", flat=True)[: offset + limit]
        )
    newest = sorted(newest_ids, reverse=True)[offset : offset + limit]
    if not newest:
        return []
    amounts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = Posting.objects.filter(transaction_id__in=newest, account_id__in=account_ids).values_list(
        "transaction_id", "unit", "amount"
    )
    for tx_id, unit, amount in rows:
        amounts[tx_id][unit] += amount
    transactions = LedgerTransaction.objects.filter(pk__in=newest).order_by("-created_at", "-id")
    return [
        Entry(
            public_id=tx.public_id,
            created_at=tx.created_at,
            kind=tx.kind,
            source_kind=tx.source_kind,
            source_id=tx.source_id,
            memo=tx.memo,
            amounts=dict(amounts[tx.pk]),
        )
        for tx in transactions
    ]


def sums_by_subaccount(*, transaction_ids: Any, kinds: Iterable[str], unit: str) -> dict[str, int]:
    """What the transactions `transaction_ids` (ids or a subquery of them) moved into accounts of
    `kinds` in `unit`, by sub-account (a virtue): the sum of their postings, for read models
    that report a set of transactions (an organization's activities) rather than a holder."""
    rows = (
        Posting.objects.filter(transaction_id__in=transaction_ids, unit=unit, account__kind__in=list(kinds))
        .values("account__virtue_code")
        .annotate(total=Sum("amount"))
    )
    return {row["account__virtue_code"]: int(row["total"] or 0) for row in rows}
