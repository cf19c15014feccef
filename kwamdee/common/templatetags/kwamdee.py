"""Template helpers: Thai (พ.ศ.) dates and bilingual names."""

from datetime import date, datetime

from django import template
from django.utils.translation import gettext as _

from kwamdee.common.i18n import format_date, format_year, pick

register = template.Library()


@register.filter
def thai_date(value):
    """A date in the Buddhist Era in Thai, the Common Era in English."""
    return format_date(value)


@register.filter
def thai_year(value: int) -> str:
    """A year in the Buddhist Era in Thai (2026 → 2569), the Common Era in English."""
    return format_year(value)


@register.filter
def notice_date(value: str) -> str:
    """A notice version, which is the date it was published ("2026-11-01"), as a date people read
    (1 พ.ย. 2569); any other version text as it is."""
    try:
        return format_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return value


@register.filter
def plain_value(value):
    """A value of a personal-data table as a person reads it: dates in พ.ศ., nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return format_date(value, with_time=True)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


@register.filter
def thai_datetime(value):
    return format_date(value, with_time=True)


@register.simple_tag
def bilingual(thai: str, english: str) -> str:
    return pick(thai, english)


@register.filter
def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)
