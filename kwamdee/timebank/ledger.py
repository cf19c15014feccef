"""The ledger names the time bank uses: members' time balances, each community's pool, and the
transactions between them (unit `minutes`, which never mixes with credit, points or satang).

A member's `time_balance` may go below zero (mutual credit, as TimeOverflow does), down to their
community's limit: the ledger's overdraft check is all-or-nothing (an account may go negative or
may not), so the limit is kept by the services, under the member's lock. A community's pool may
never go below zero: the ledger's own check keeps it."""

import uuid
from typing import TYPE_CHECKING, Any

from kwamdee.ledger.choices import Unit
from kwamdee.ledger.selectors import holder_balances
from kwamdee.ledger.services import AccountKey, Source, accounts_get_or_create

if TYPE_CHECKING:
    from kwamdee.ledger.models import Account

TIME_BALANCE = "time_balance"  # per member (their ledger_ref): may go below zero, to the limit
TIMEBANK_POOL = "timebank_pool"  # per community: what members donated, never below zero
TIME_EXCHANGE = "time_exchange"  # receiver (or pool) → giver
TIME_DONATION = "time_donation"  # member → pool
EXCHANGE_SOURCE = "time_exchange"
DONATION_SOURCE = "time_donation"
POOL_NAMESPACE = uuid.UUID("3f1c6a0e-9b2d-4c57-8e61-2d4b7a9c0e53")


def pool_holder(community: Any) -> uuid.UUID:
    """The pseudonymous holder of a community's pool (no row of its own: derived, like issuance)."""
    return uuid.uuid5(POOL_NAMESPACE, f"timebank-pool:{community.public_id}")


def time_key(person: Any) -> AccountKey:
    return AccountKey(person.ledger_ref, TIME_BALANCE, Unit.MINUTES, "")


def pool_key(community: Any) -> AccountKey:
    return AccountKey(pool_holder(community), TIMEBANK_POOL, Unit.MINUTES, "")


def time_accounts(keys: list[AccountKey]) -> dict[AccountKey, "Account"]:
    """The accounts for `keys`, created where missing: every creation goes through here, so that a
    member's time balance is always created as one that may go below zero."""
    return accounts_get_or_create(keys, negative_kinds=[TIME_BALANCE])


def time_chain(community: Any) -> str:
    """One chain per community: its exchanges and donations stay in order, and communities never
    queue behind each other's chain head."""
    return f"timebank:{community.public_id}"


def exchange_source(public_id: object) -> Source:
    return Source(EXCHANGE_SOURCE, str(public_id))


def donation_source(public_id: object) -> Source:
    return Source(DONATION_SOURCE, str(public_id))


def minutes_of(holder_ref: uuid.UUID, kind: str) -> int:
    return sum(
        b.amount for b in holder_balances(holder_ref=holder_ref, kinds=[kind]) if b.unit == Unit.MINUTES
    )


def time_balance(person: Any) -> int:
    """A member's time balance in minutes (a cached balance; below zero when they owe time)."""
    return minutes_of(person.ledger_ref, TIME_BALANCE)


def pool_balance(community: Any) -> int:
    return minutes_of(pool_holder(community), TIMEBANK_POOL)
