"""The demo's time bank (seed_demo), made through the real services (kwamdee/timebank/): offers
and requests of Nong Sarai's members, exchanges confirmed and waiting, the community pool.
Idempotent."""

from typing import Any


def timebank_seed(*, subdistrict: str, committee: list[Any], citizens: list[Any], elder: Any) -> None:
    """`committee`: the community's two committee members; `citizens`: the demo's citizens (the
    citizen role first); `elder`: the elderly villager."""
