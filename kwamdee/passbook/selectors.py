"""The passbook (สมุดความดี): a person's read model, above every domain that credits them.

Totals come from the ledger's cached balances (a handful of account rows); entries are the
person's newest transactions, read through the (account, transaction) index, and each is
described by the domain that posted it (describers.py)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from kwamdee.catalog.selectors import virtue_list
from kwamdee.common.db_router import primary_reads
from kwamdee.common.describe import EntryDescription
from kwamdee.deeds.ledger import DEED_SOURCE
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.selectors import holder_balances, holder_entries, holder_entry_count
from kwamdee.passbook.describers import DESCRIBERS
from kwamdee.people.accounts import PERSON_KINDS
from kwamdee.rewards.ledger import SPONSOR_BONUS


@dataclass
class VirtueLine:
    virtue: Any
    code: str
    credit: int = 0
    points: int = 0


@dataclass
class PassbookEntry:
    transaction: UUID
    created_at: datetime
    kind: str
    credit: int
    points: int
    source_kind: str
    source_id: str
    description: EntryDescription
    sponsor_bonus: int = 0


@dataclass
class Passbook:
    credit_total: int
    points_total: int
    by_virtue: list[VirtueLine]
    entries: list[PassbookEntry] = field(default_factory=list)


def _legacy_source(entry: Any) -> None:
    """Entries written before transactions named their source kept the deed's id in their memo
    (their hash covers it as it was): read them as the deed's entries they are."""
    if not entry.source_kind and entry.memo.get("deed"):
        entry.source_kind, entry.source_id = DEED_SOURCE, str(entry.memo["deed"])


@primary_reads()
def passbook_get(*, person: Any, limit: int = 100, offset: int = 0) -> Passbook:
    """Lifetime credit and spendable points, each split by virtue, and the newest entries.
    Always from the primary, even inside replica_reads(): a person sees their own new balance
    the moment a deed is verified, whatever the replicas' lag."""
    lines: dict[str, VirtueLine] = {v.code: VirtueLine(virtue=v, code=v.code) for v in virtue_list()}
    credit_total = points_total = 0
    for balance in holder_balances(holder_ref=person.ledger_ref, kinds=PERSON_KINDS):
        line = lines.setdefault(balance.subaccount, VirtueLine(virtue=None, code=balance.subaccount))
        if balance.unit == Unit.CREDIT:
            line.credit += balance.amount
            credit_total += balance.amount
        elif balance.unit == Unit.POINTS:
            line.points += balance.amount
            points_total += balance.amount

    raw = holder_entries(holder_ref=person.ledger_ref, kinds=PERSON_KINDS, limit=limit, offset=offset)
    for entry in raw:
        _legacy_source(entry)
    ids_by_kind: dict[str, list[str]] = defaultdict(list)
    for entry in raw:
        ids_by_kind[entry.source_kind].append(entry.source_id)
    described: dict[tuple[str, str], EntryDescription] = {}
    for kind, ids in ids_by_kind.items():
        describer = DESCRIBERS.get(kind)
        for source_id, description in (describer(ids) if describer else {}).items():
            described[(kind, source_id)] = description
    entries = []
    for entry in raw:
        points = entry.amounts.get(Unit.POINTS, 0)
        entries.append(
            PassbookEntry(
                transaction=entry.public_id,
                created_at=entry.created_at,
                kind=entry.kind,
                credit=entry.amounts.get(Unit.CREDIT, 0),
                points=points,
                source_kind=entry.source_kind,
                source_id=entry.source_id,
                description=described.get((entry.source_kind, entry.source_id), EntryDescription(title="")),
                sponsor_bonus=points if entry.kind == SPONSOR_BONUS else 0,
            )
        )
    return Passbook(
        credit_total=credit_total,
        points_total=points_total,
        by_virtue=[line for line in lines.values() if line.virtue or line.credit or line.points],
        entries=entries,
    )


@primary_reads()
def passbook_entry_count(*, person: Any) -> int:
    """How many entries the person's passbook holds, for its pages."""
    return holder_entry_count(holder_ref=person.ledger_ref, kinds=PERSON_KINDS)
