"""A loan's repayment schedule: declining balance, in satang, with `Decimal` (docs/loans.md).

- The principal is repaid in equal parts: `principal / n` rounded to the satang (ROUND_HALF_UP);
  the last instalment takes what is left, so the parts add up to the principal exactly (a part
  never takes more than is left, for tiny amounts over many instalments).
- Each instalment's interest is computed on the balance still owed before it, band by band: the
  part of the balance inside each band bears that band's yearly rate divided by the instalments
  in a year. So with the Nong Sarai bands (0% up to 20,000 baht, 7% on the part above) the
  interest-bearing part above 20,000 is the first to go, and a balance of 20,000 or less costs
  nothing.
- The interest of each instalment is rounded to the satang once (ROUND_HALF_UP), and that rounded
  figure is what is owed: the total repaid is the principal plus the sum of the instalments'
  interest, to the satang.

Pure functions, no database: the product's bands come in as `Band`s."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Band:
    """The part of a balance up to `up_to` satang (above the band below) bears `rate` a year."""

    up_to: int
    rate: Decimal


@dataclass(frozen=True)
class Instalment:
    number: int
    due_on: date | None
    balance_before: int
    principal: int
    interest: int

    @property
    def total(self) -> int:
        return self.principal + self.interest


def satang(amount: Decimal) -> int:
    """A Decimal amount of satang rounded to a whole satang: half a satang up (ROUND_HALF_UP)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def baht(amount_satang: int) -> Decimal:
    """Satang as baht with two decimals (for reading, never for computing)."""
    return (Decimal(amount_satang) / 100).quantize(Decimal("0.01"))


def to_satang(amount_baht: Decimal | str | int) -> int:
    """Baht (e.g. "20000.50") to satang; more than two decimals is refused."""
    value = Decimal(str(amount_baht)) * 100
    if value != value.to_integral_value():
        raise ValueError("an amount of baht has at most two decimals")
    return int(value)


def max_amount(bands: list[Band]) -> int:
    return max((b.up_to for b in bands), default=0)


def period_interest(balance: int, bands: list[Band], periods_per_year: int) -> Decimal:
    """The interest on `balance` for one period, before rounding: band by band."""
    interest = Decimal(0)
    lower = 0
    for band in sorted(bands, key=lambda b: b.up_to):
        inside = min(balance, band.up_to) - lower
        if inside > 0:
            interest += Decimal(inside) * band.rate / periods_per_year
        lower = band.up_to
    return interest


def add_months(start: date, months: int) -> date:
    """`start` moved by whole months; a day past the month's end is its last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def schedule(
    *,
    principal: int,
    bands: list[Band],
    instalments: int,
    periods_per_year: int,
    start: date | None = None,
    months_between: int = 1,
) -> list[Instalment]:
    """The instalments of a loan of `principal` satang (due dates from `start`, if given)."""
    if principal <= 0 or instalments <= 0:
        raise ValueError("a loan has a positive principal and at least one instalment")
    if principal > max_amount(bands):
        raise ValueError("the principal is above the product's highest band")
    part = satang(Decimal(principal) / instalments)
    rows = []
    balance = principal
    for number in range(1, instalments + 1):
        principal_part = min(part, balance) if number < instalments else balance
        interest = satang(period_interest(balance, bands, periods_per_year))
        due_on = add_months(start, number * months_between) if start else None
        rows.append(Instalment(number, due_on, balance, principal_part, interest))
        balance -= principal_part
    return rows
