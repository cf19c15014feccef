"""API: the caller's passbook."""

from datetime import datetime
from typing import Any

from ninja import Router, Schema

from kwamdee.deeds.ledger import DEED_SOURCE
from kwamdee.passbook.selectors import passbook_get

router = Router(tags=["passbook"])


class VirtueLineOut(Schema):
    virtue: str
    name: str
    credit: int
    points: int


class EntryOut(Schema):
    transaction: str
    created_at: datetime
    kind: str
    credit: int
    points: int
    source_kind: str
    source: str
    title: str
    deed: str | None
    rule: str
    sponsor_bonus: int


class PassbookOut(Schema):
    credit: int
    points: int
    by_virtue: list[VirtueLineOut]
    entries: list[EntryOut]


@router.get("", response=PassbookOut)
def passbook(request: Any) -> PassbookOut:
    """Lifetime credit and spendable points, by virtue, and the entries, newest first. Each entry
    names its source (`deed` and the deed's id, for instance) and what it was for."""
    book = passbook_get(person=request.auth)
    return PassbookOut(
        credit=book.credit_total,
        points=book.points_total,
        by_virtue=[
            VirtueLineOut(
                virtue=line.code,
                name=line.virtue.name if line.virtue else line.code,
                credit=line.credit,
                points=line.points,
            )
            for line in book.by_virtue
        ],
        entries=[
            EntryOut(
                transaction=str(e.transaction),
                created_at=e.created_at,
                kind=e.kind,
                credit=e.credit,
                points=e.points,
                source_kind=e.source_kind,
                source=e.source_id,
                title=e.description.title,
                deed=e.source_id if e.source_kind == DEED_SOURCE else None,
                rule=e.description.rule,
                sponsor_bonus=e.sponsor_bonus,
            )
            for e in book.entries
        ],
    )
