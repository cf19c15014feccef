"""Schedules against hand-computed tables (Nong Sarai: 0% up to 20,000 baht, 7% a year on the
part above, up to 50,000), the rounding rule, and the property that what is repaid is the
principal plus the interest, to the satang."""

import itertools
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kwamdee.loans.schedule import Band, add_months, baht, period_interest, schedule, to_satang

NONG_SARAI = [Band(2_000_000, Decimal("0")), Band(5_000_000, Decimal("0.07"))]


def rows(principal, n, periods=12, bands=NONG_SARAI):
    return [
        (r.balance_before, r.principal, r.interest)
        for r in schedule(principal=principal, bands=bands, instalments=n, periods_per_year=periods)
    ]


# (principal in satang, instalments, periods a year) → [(balance before, principal, interest)], by hand.
TABLES = {
    # At the 20,000 baht boundary nothing bears interest.
    "20,000 in 4 months": (2_000_000, 4, 12, [
        (2_000_000, 500_000, 0), (1_500_000, 500_000, 0), (1_000_000, 500_000, 0), (500_000, 500_000, 0),
    ]),
    # One satang above: 1 × 0.07 / 12 = 0.0058 satang, rounds to nothing.
    "20,000.01 in one month": (2_000_001, 1, 12, [(2_000_001, 2_000_001, 0)]),
    # 30,000: the first month's balance has 10,000 above the band: 1,000,000 × 0.07 / 12 = 5,833.33.
    "30,000 in 3 months": (3_000_000, 3, 12, [
        (3_000_000, 1_000_000, 5_833), (2_000_000, 1_000_000, 0), (1_000_000, 1_000_000, 0),
    ]),
    # 50,000 (the most): 5,000,000 / 6 = 833,333.33 → 833,333; the last takes 833,335.
    # Interest: 3,000,000 × 0.07/12 = 17,500; 2,166,667 × … = 12,638.89 → 12,639;
    # 1,333,334 × … = 7,777.78 → 7,778; 500,001 × … = 2,916.67 → 2,917; then nothing.
    "50,000 in 6 months": (5_000_000, 6, 12, [
        (5_000_000, 833_333, 17_500), (4_166_667, 833_333, 12_639), (3_333_334, 833_333, 7_778),
        (2_500_001, 833_333, 2_917), (1_666_668, 833_333, 0), (833_335, 833_335, 0),
    ]),
    # Quarterly: 3,000,000 × 0.07/4 = 52,500; 1,750,000 × 0.0175 = 30,625; 500,000 × 0.0175 = 8,750.
    "50,000 in 4 quarters": (5_000_000, 4, 4, [
        (5_000_000, 1_250_000, 52_500), (3_750_000, 1_250_000, 30_625), (2_500_000, 1_250_000, 8_750),
        (1_250_000, 1_250_000, 0),
    ]),
}  # fmt: skip


@pytest.mark.parametrize("name", list(TABLES))
def test_schedules_match_the_hand_computed_tables(name):
    principal, n, periods, expected = TABLES[name]

    assert rows(principal, n, periods) == expected


def test_above_the_highest_band_is_refused():
    with pytest.raises(ValueError):
        schedule(principal=5_000_001, bands=NONG_SARAI, instalments=12, periods_per_year=12)


def test_half_a_satang_rounds_up():
    # 50 satang above a 0% band at 12% a year: 50 × 0.01 = 0.5 satang a month → 1 (ROUND_HALF_UP).
    bands = [Band(100, Decimal("0")), Band(1_000, Decimal("0.12"))]

    assert rows(150, 1, 12, bands) == [(150, 150, 1)]


def test_the_interest_is_banded_on_the_balance_left():
    assert period_interest(2_000_000, NONG_SARAI, 12) == 0
    assert period_interest(3_200_000, NONG_SARAI, 12) == Decimal(1_200_000) * Decimal("0.07") / 12


def test_due_dates_step_by_month_and_keep_to_the_month_end():
    instalments = schedule(
        principal=300_000, bands=NONG_SARAI, instalments=3, periods_per_year=12, start=date(2027, 1, 31)
    )

    assert [r.due_on for r in instalments] == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)


def test_baht_and_satang():
    assert to_satang("20000.50") == 2_000_050 and baht(2_000_050) == Decimal("20000.50")
    with pytest.raises(ValueError):
        to_satang("1.005")


@given(
    principal=st.integers(min_value=1, max_value=5_000_000),
    instalments=st.integers(min_value=1, max_value=60),
    quarterly=st.booleans(),
)
def test_total_repaid_is_principal_plus_interest_to_the_satang(principal, instalments, quarterly):
    periods = 4 if quarterly else 12
    table = schedule(principal=principal, bands=NONG_SARAI, instalments=instalments, periods_per_year=periods)

    assert sum(r.principal for r in table) == principal
    assert sum(r.total for r in table) == principal + sum(r.interest for r in table)
    assert all(r.principal >= 0 and r.interest >= 0 for r in table)
    # Declining balance: each balance is the one before less what was repaid, ending at zero.
    for before, after in itertools.pairwise(table):
        assert after.balance_before == before.balance_before - before.principal
    assert table[-1].balance_before == table[-1].principal
    # Nothing above the 0% band, nothing owed as interest.
    if principal <= 2_000_000:
        assert all(r.interest == 0 for r in table)
