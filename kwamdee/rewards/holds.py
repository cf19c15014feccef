"""Holds of a person's spendable points: set aside in a held account of the holding domain's
kind (a redemption's code: `person_points_held`; a loan's pledge: `person_points_pledged`), per
virtue sub-account, and given back or paid on from there. One place for the split and the legs,
so that every domain that holds points holds them the same way (docs/ledger.md).

The person's `person_points` accounts are debited with the ledger's overdraft check (locked after
the chain head): a hold for more than the person has is refused. Lifetime credit is never touched."""

from typing import Any
from uuid import UUID

from kwamdee.deeds.ledger import deed_chain_key, deed_shard
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.selectors import holder_balances
from kwamdee.ledger.services import AccountKey, Leg, accounts_get_or_create
from kwamdee.people.accounts import PERSON_POINTS


def person_chain_key(person: Any) -> str:
    """The person's chain: the province shard their deeds credit. A hold and whatever follows it
    (kept on the holding row) land there, so they queue with the person's other entries."""
    return deed_chain_key(deed_shard(person.province_code or "00", person.ledger_ref))


def person_points(person: Any) -> dict[str, int]:
    """The person's spendable points, per virtue sub-account (cached balances)."""
    return {
        b.subaccount: b.amount
        for b in holder_balances(holder_ref=person.ledger_ref, kinds=[PERSON_POINTS])
        if b.unit == Unit.POINTS and b.amount > 0
    }


def points_held_in(person: Any, held_kind: str) -> int:
    """What the person has set aside in accounts of `held_kind` (all virtues)."""
    return sum(b.amount for b in holder_balances(holder_ref=person.ledger_ref, kinds=[held_kind]))


def points_split(balances: dict[str, int], cost: int) -> dict[str, int]:
    """Which virtue sub-accounts pay `cost`: the largest first (then by code), so a person's
    points are used where they have most. Assumes the total covers the cost."""
    split: dict[str, int] = {}
    left = cost
    for code, balance in sorted(balances.items(), key=lambda item: (-item[1], item[0])):
        if left <= 0:
            break
        take = min(balance, left)
        split[code] = take
        left -= take
    return split


def _keys(
    holder_ref: UUID, split: dict[str, Any], held_kind: str
) -> tuple[list[AccountKey], list[AccountKey]]:
    spendable = [AccountKey(holder_ref, PERSON_POINTS, Unit.POINTS, code) for code in split]
    held = [AccountKey(holder_ref, held_kind, Unit.POINTS, code) for code in split]
    return spendable, held


def points_hold_legs(holder_ref: UUID, split: dict[str, Any], *, held_kind: str) -> list[Leg]:
    """For each virtue of `split`: `person_points` −n, the held account +n."""
    spendable, held = _keys(holder_ref, split, held_kind)
    accounts = accounts_get_or_create([*spendable, *held])
    legs = []
    for n, own, aside in zip(split.values(), spendable, held, strict=True):
        legs += [Leg(accounts[own], -int(n)), Leg(accounts[aside], int(n))]
    return legs


def points_release_legs(holder_ref: UUID, split: dict[str, Any], *, held_kind: str) -> list[Leg]:
    """The exact opposite of `points_hold_legs`: the held points go back to `person_points`."""
    return [Leg(leg.account, -leg.amount) for leg in points_hold_legs(holder_ref, split, held_kind=held_kind)]


def points_pay_legs(
    holder_ref: UUID, split: dict[str, Any], *, held_kind: str, to: AccountKey, to_negative: bool = False
) -> list[Leg]:
    """For each virtue of `split`: the held account −n; the receiving account `to` +total."""
    _spendable, held = _keys(holder_ref, split, held_kind)
    accounts = accounts_get_or_create([*held, to], negative_kinds=[to.kind] if to_negative else [])
    legs = [Leg(accounts[aside], -int(n)) for aside, n in zip(held, split.values(), strict=True)]
    legs.append(Leg(accounts[to], sum(int(n) for n in split.values())))
    return legs
