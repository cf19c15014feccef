"""Row locks, always in one order, so that two services never wait on each other in a circle.

The order across tables (each service takes what it needs, in this order, as Saleor's
`lock_objects.py` does):

1. the person who submits (`people.services.person_lock`): their submissions queue. It is taken
   FOR NO KEY UPDATE: it queues the person's own submissions as strongly as FOR UPDATE, but lets
   another transaction insert a row that refers to the person (a notification, an audit event),
   whose foreign key PostgreSQL checks at commit with FOR KEY SHARE. With FOR UPDATE, a
   transaction holding a later lock (a redemption, a chain head) and inserting such a row would
   wait at its commit for the person's holder, which could be waiting for that later lock: a
   circle (tests/rewards/test_privacy.py, an erasure against a counter's confirmation);
2. the domain row being decided (`deeds.services` locks the deed, "of self" only);
3. the ledger's chain head (`ledger.services`), then
4. the ledger's accounts, by primary key.

Within one table, rows are locked by primary key."""

from typing import TypeVar

from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


def rows_lock(queryset: "models.QuerySet[M]", *, of: tuple[str, ...] = (), no_key: bool = False) -> list[M]:
    """Locks the rows of `queryset` (SELECT … FOR UPDATE, or FOR NO KEY UPDATE with `no_key`:
    rows that others' foreign keys may point at while locked) in primary-key order and returns
    them."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("rows_lock must run inside a transaction")
    return list(queryset.select_for_update(of=of, no_key=no_key).order_by("pk"))
