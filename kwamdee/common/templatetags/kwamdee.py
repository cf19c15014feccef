"""Template helpers: Thai (พ.ศ.) dates and bilingual names."""

from django import template

from kwamdee.common.i18n import format_date, pick

register = template.Library()


@register.filter
def thai_date(value):
    """A date in the Buddhist Era in Thai, the Common Era in English."""
    return format_date(value)


@register.filter
def thai_datetime(value):
    return format_date(value, with_time=True)


@register.simple_tag
def bilingual(thai: str, english: str) -> str:
    return pick(thai, english)


@register.filter
def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)
