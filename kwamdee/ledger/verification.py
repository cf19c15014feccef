"""Recomputes every hash chain and every balance. Used by `manage.py ledger_verify`."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kwamdee.ledger.hashing import entry_hash
from kwamdee.ledger.models import GENESIS_HASH, Account, ChainHead, LedgerTransaction, Posting


@dataclass
class VerifyReport:
    chains: int = 0
    transactions: int = 0
    postings: int = 0
    accounts: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def ledger_verify(*, batch_size: int = 2000) -> VerifyReport:
    """Recomputes every chain's hashes and every account's balance from the postings."""
    report = VerifyReport()
    recomputed: dict[int, int] = defaultdict(int)
    account_ids = dict(Account.objects.values_list("pk", "public_id"))
    heads = {h.chain_key: h for h in ChainHead.objects.all()}
    chain_keys = set(heads) | set(LedgerTransaction.objects.values_list("chain_key", flat=True).distinct())
    for chain_key in sorted(chain_keys):
        report.chains += 1
        prev_hash, expected_seq = GENESIS_HASH, 1
        for batch, postings_of in _chain_batches(chain_key, batch_size):
            for tx in batch:
                postings = postings_of[tx.pk]
                report.transactions += 1
                report.postings += len(postings)
                for _pk, account_id, _unit, amount in postings:
                    recomputed[account_id] += amount
                report.problems += _entry_problems(tx, postings, prev_hash, expected_seq, account_ids)
                prev_hash, expected_seq = tx.entry_hash, tx.seq + 1
        head = heads.get(chain_key)
        if head is None or head.seq != expected_seq - 1 or head.head_hash != prev_hash:
            report.problems.append(f"chain {chain_key}: head does not match its last entry")

    for account in Account.objects.all().iterator(chunk_size=batch_size):
        report.accounts += 1
        expected = recomputed.get(account.pk, 0)
        if account.balance != expected:
            report.problems.append(
                f"account id={account.pk}: balance {account.balance} but postings sum to {expected}"
            )
        if not account.allow_negative and expected < 0:
            report.problems.append(f"account id={account.pk}: below zero ({expected})")
    return report


Row = tuple[int, int, str, int]  # posting id, account id, unit, amount


def _chain_batches(
    chain_key: str, batch_size: int
) -> Iterator[tuple[list[LedgerTransaction], dict[int, list[Row]]]]:
    """The chain's entries in seq order, a batch at a time, with their postings (2 queries a batch)."""
    last_seq = 0
    while True:
        batch = list(
            LedgerTransaction.objects.filter(chain_key=chain_key, seq__gt=last_seq)
            .select_related("reverses")
            .order_by("seq")[:batch_size]
        )
        if not batch:
            return
        postings_of: dict[int, list[Row]] = defaultdict(list)
        rows = (
            Posting.objects.filter(transaction_id__in=[tx.pk for tx in batch])
            .order_by("id")
            .values_list("id", "transaction_id", "account_id", "unit", "amount")
        )
        for posting_id, tx_id, account_id, unit, amount in rows:
            postings_of[tx_id].append((posting_id, account_id, unit, amount))
        yield batch, postings_of
        last_seq = batch[-1].seq


def _entry_problems(
    tx: LedgerTransaction, postings: list[Row], prev_hash: str, expected_seq: int, account_ids: dict[int, Any]
) -> list[str]:
    problems = []
    where = f"ledger_transaction id={tx.pk} chain={tx.chain_key} seq={tx.seq}"
    if tx.seq != expected_seq:
        problems.append(f"{where}: expected seq {expected_seq} (a gap or a copy)")
    if tx.prev_hash != prev_hash:
        problems.append(f"{where}: prev_hash does not match the entry before it")
    per_unit: dict[str, int] = defaultdict(int)
    for _pk, _account_id, unit, amount in postings:
        per_unit[unit] += amount
    if any(per_unit.values()):
        problems.append(f"{where}: postings do not balance {dict(per_unit)}")
    digest = entry_hash(
        chain_key=tx.chain_key, seq=tx.seq, prev_hash=tx.prev_hash, created_at=tx.created_at,
        kind=tx.kind, idempotency_key=tx.idempotency_key,
        reverses=str(tx.reverses.public_id) if tx.reverses else None, memo=tx.memo,
        source=(tx.source_kind, tx.source_id),
        postings=[(str(account_ids.get(a)), unit, amount) for _pk, a, unit, amount in postings],
    )  # fmt: skip
    if digest != tx.entry_hash:
        ids = ",".join(str(pk) for pk, *_rest in postings)
        problems.append(f"{where}: hash mismatch (the entry or one of its postings [{ids}] changed)")
    return problems
