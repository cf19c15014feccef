from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kwamdee.deeds.pricing import amount_for, split_by_weight


def test_amount_rounds_half_up():
    assert amount_for(8, Decimal("2.5")) == 20
    assert amount_for(5, Decimal("0.5")) == 3
    assert amount_for(1, Decimal("0.49")) == 0


@given(
    total=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=5),
)
def test_split_always_sums_to_total_and_never_negative(total, weights):
    named = {f"v{i}": Decimal(w) / 1000 for i, w in enumerate(weights)}
    parts = split_by_weight(total, named)
    assert sum(parts.values()) == total
    assert all(n > 0 for n in parts.values())
