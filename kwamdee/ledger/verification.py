"""Recomputes every hash chain and every balance. Used by `manage.py ledger_verify`."""

from collections import defaultdict
from dataclasses import dataclass, field

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
    report = VerifyReport()
    recomputed: dict[int, int] = defaultdict(int)
    account_ids = dict(Account.objects.values_list("pk", "public_id"))
    heads = {h.chain_key: h for h in ChainHead.objects.all()}
    chain_keys = set(heads) | set(LedgerTransaction.objects.values_list("chain_key", flat=True).distinct())
    for chain_key in sorted(chain_keys):
        report.chains += 1
        prev_hash, expected_seq = GENESIS_HASH, 1
        last_seq = 0
        txs = LedgerTransaction.objects.filter(chain_key=chain_key).order_by("seq")
        for tx in txs.select_related("reverses").iterator(chunk_size=batch_size):
            report.transactions += 1
            postings = list(Posting.objects.filter(transaction_id=tx.pk).order_by("id"))
            report.postings += len(postings)
            where = f"ledger_transaction id={tx.pk} chain={chain_key} seq={tx.seq}"
            if tx.seq != expected_seq:
                report.problems.append(f"{where}: expected seq {expected_seq} (a gap or a copy)")
            if tx.prev_hash != prev_hash:
                report.problems.append(f"{where}: prev_hash does not match the entry before it")
            per_unit: dict[str, int] = defaultdict(int)
            for p in postings:
                per_unit[p.unit] += p.amount
                recomputed[p.account_id] += p.amount
            if any(per_unit.values()):
                report.problems.append(f"{where}: postings do not balance {dict(per_unit)}")
            digest = entry_hash(
                chain_key=tx.chain_key, seq=tx.seq, prev_hash=tx.prev_hash,
                created_at=tx.created_at, kind=tx.kind, idempotency_key=tx.idempotency_key,
                reverses=str(tx.reverses.public_id) if tx.reverses else None, memo=tx.memo,
                postings=[(str(account_ids.get(p.account_id)), p.unit, p.amount)
                          for p in postings],
            )  # fmt: skip
            if digest != tx.entry_hash:
                ids = ",".join(str(p.pk) for p in postings)
                report.problems.append(
                    f"{where}: hash mismatch (the entry or one of its postings [{ids}] changed)"
                )
            prev_hash, expected_seq, last_seq = tx.entry_hash, tx.seq + 1, tx.seq
        head = heads.get(chain_key)
        if head is None or head.seq != last_seq or head.head_hash != prev_hash:
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
