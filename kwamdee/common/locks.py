"""Row locks, always in one order, so that two services never wait on each other in a circle.

The order across tables (each service takes what it needs, in this order, as Saleor's
`lock_objects.py` does):

1. the person who submits (`people.services.person_lock`): their submissions queue;
2. the domain row being decided (`deeds.services` locks the deed, "of self" only);
3. the ledger's chain head (`ledger.services`), then
4. the ledger's accounts, by primary key.

Within one table, rows are locked by primary key."""

from typing import TypeVar

from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


def rows_lock(queryset: "models.QuerySet[M]", *, of: tuple[str, ...] = ()) -> list[M]:
    """Locks the rows of `queryset` (SELECT … FOR UPDATE) in primary-key order and returns them."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("rows_lock must run inside a transaction")
    return list(queryset.select_for_update(of=of).order_by("pk"))
