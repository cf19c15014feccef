"""The demo's goodness bank (seed_demo), made through the real services (kwamdee/loans/):
Nong Sarai's loan fund, its product with the seeds' terms, and loans at each step. Idempotent."""

from typing import Any


def loans_seed(*, subdistrict: str, committee: list[Any], citizens: list[Any], elder: Any) -> None:
    """`committee`: the community's two committee members; `citizens`: the demo's citizens (the
    citizen role first); `elder`: the elderly villager."""
