"""`{{ satang|baht }}`: an amount of satang as baht for reading ("20,000.00")."""

from decimal import Decimal

from django import template

from kwamdee.loans.schedule import baht as to_baht

register = template.Library()


@register.filter
def baht(satang: int | None) -> str:
    return f"{to_baht(int(satang or 0)):,.2f}"


@register.filter
def percent(rate: Decimal | None) -> str:
    """A yearly rate as a percentage: Decimal("0.07") → "7%"."""
    value = (Decimal(rate or 0) * 100).normalize()
    return f"{value:f}%"
