"""Reads of the ledger: the passbook (สมุดความดี)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Sum

from kwamdee.catalog.models import Virtue
from kwamdee.common.i18n import format_date
from kwamdee.ledger.choices import AccountKind, Unit
from kwamdee.ledger.models import Account, LedgerTransaction, Posting


@dataclass
class VirtueLine:
    virtue: Virtue | None
    code: str
    credit: int = 0
    points: int = 0


@dataclass
class PassbookEntry:
    transaction: LedgerTransaction
    created_at: datetime
    kind: str
    credit: int
    points: int
    deed: Any
    rule_label: str
    sponsor_bonus: int = 0


@dataclass
class Passbook:
    credit_total: int
    points_total: int
    by_virtue: list[VirtueLine]
    entries: list[PassbookEntry] = field(default_factory=list)


PERSON_KINDS = (AccountKind.PERSON_CREDIT, AccountKind.PERSON_POINTS)


def passbook_get(*, person, limit: int = 100) -> Passbook:
    """Lifetime credit and spendable points, each split by virtue, and the newest entries."""
    accounts = Account.objects.filter(holder_ref=person.ledger_ref, kind__in=PERSON_KINDS)
    virtues = {v.code: v for v in Virtue.objects.all()}
    lines: dict[str, VirtueLine] = {code: VirtueLine(virtue=v, code=code) for code, v in virtues.items()}
    credit_total = points_total = 0
    for account in accounts:
        line = lines.setdefault(account.virtue_code, VirtueLine(virtue=None, code=account.virtue_code))
        if account.unit == Unit.CREDIT:
            line.credit += account.balance
            credit_total += account.balance
        elif account.unit == Unit.POINTS:
            line.points += account.balance
            points_total += account.balance

    per_tx: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        Posting.objects.filter(account__in=accounts)
        .values("transaction_id", "unit")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        per_tx[row["transaction_id"]][row["unit"]] += row["total"]
    transactions = (
        LedgerTransaction.objects.filter(pk__in=list(per_tx))
        .select_related("deed__deed_type")
        .order_by("-created_at", "-id")[:limit]
    )
    entries = [
        PassbookEntry(
            transaction=tx,
            created_at=tx.created_at,
            kind=tx.kind,
            credit=per_tx[tx.pk].get(Unit.CREDIT, 0),
            points=per_tx[tx.pk].get(Unit.POINTS, 0),
            deed=_deed_of(tx),
            rule_label=rule_label(tx.memo),
            sponsor_bonus=int(tx.memo.get("sponsor_bonus", 0)),
        )
        for tx in transactions
    ]
    return Passbook(
        credit_total=credit_total,
        points_total=points_total,
        by_virtue=[line for line in lines.values() if line.virtue or line.credit or line.points],
        entries=entries,
    )


def _deed_of(tx: LedgerTransaction):
    try:
        return tx.deed
    except ObjectDoesNotExist:
        return None


def rule_label(memo: dict[str, Any]) -> str:
    """'blood-donation v2 (1 ม.ค. 2569)': the rule version that priced an entry."""
    if "rule_version" not in memo:
        return ""
    since = memo.get("rule_effective_from")
    when = f" ({format_date(date.fromisoformat(since))})" if since else ""
    return f"{memo.get('deed_type', '')} v{memo['rule_version']}{when}"
