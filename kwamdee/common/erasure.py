"""Erasure (PDPA §33): each domain says in its own `erasure.py` how to remove, or irreversibly
pseudonymize, what it holds about one person, the way `personal_data.py` says what it holds. The
privacy app finds every `erasure.py` when the apps load and runs all of them in one transaction
(`person_erase`), so a new domain that keeps personal data adds its eraser and erasure follows.

Erasure is pseudonymization, not deletion: the person's row stays as a tombstone with no personal
data, because deeds, ledger accounts (through the pseudonymous `ledger_ref`) and the append-only
audit log point at it. What an eraser keeps must say nothing about who the person was."""

from collections.abc import Callable
from typing import Any

from django.db import transaction

# What stands where personal data was: fixed words, the same for everyone, so that nothing of
# the person (not even the length of what they wrote) is left.
ERASED_NAME = "ผู้ใช้ที่ลบบัญชีแล้ว"  # "a person who deleted their account"
ERASED_TEXT = "[ลบแล้ว]"  # "[erased]": free text a person wrote or that was written about them

_ERASERS: dict[str, tuple[int, Callable[[Any], int]]] = {}


def personal_data_eraser(
    key: str, *, order: int = 50
) -> Callable[[Callable[[Any], int]], Callable[[Any], int]]:
    """Registers `function(person) -> int` (how many rows it changed or removed) under `key`
    (once: a second is a programming error). Erasers run by `order`; the people app's, which
    overwrites the person's own row, runs last, so the others still see who the person was."""

    def register(function: Callable[[Any], int]) -> Callable[[Any], int]:
        if key in _ERASERS and _ERASERS[key][1] is not function:
            raise ValueError(f"two personal-data erasers named {key!r}")
        _ERASERS[key] = (order, function)
        return function

    return register


def personal_data_erase(person: Any) -> dict[str, int]:
    """Runs every registered eraser on `person`; returns {key: rows changed}. Only inside the
    transaction of the erasure, so that it is all or nothing."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("personal_data_erase must run inside the erasure's transaction")
    return {key: erase(person) for key, (_order, erase) in _sorted()}


def personal_data_eraser_keys() -> list[str]:
    return [key for key, _entry in _sorted()]


def _sorted() -> list[tuple[str, tuple[int, Callable[[Any], int]]]]:
    return sorted(_ERASERS.items(), key=lambda item: (item[1][0], item[0]))
