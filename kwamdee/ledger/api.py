"""API: the caller's passbook."""

from datetime import datetime

from ninja import Router, Schema

from kwamdee.ledger.selectors import passbook_get

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
    deed: str | None
    rule: str
    sponsor_bonus: int


class PassbookOut(Schema):
    credit: int
    points: int
    by_virtue: list[VirtueLineOut]
    entries: list[EntryOut]


@router.get("", response=PassbookOut)
def passbook(request):
    """Lifetime credit and spendable points, by virtue, and the entries, newest first."""
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
                transaction=str(e.transaction.public_id),
                created_at=e.created_at,
                kind=e.kind,
                credit=e.credit,
                points=e.points,
                deed=str(e.deed.public_id) if e.deed else None,
                rule=e.rule_label,
                sponsor_bonus=e.sponsor_bonus,
            )
            for e in book.entries
        ],
    )
