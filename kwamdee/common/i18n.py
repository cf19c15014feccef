"""Helpers for bilingual data (Thai and English columns) and Thai dates."""

from datetime import date, datetime

from django.utils import timezone, translation
from django.utils.translation import ngettext

THAI_MONTHS = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]  # fmt: skip
ENGLISH_MONTHS = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
]  # fmt: skip


def pick(thai: str, english: str) -> str:
    """The English text when the active language is English and it exists, else the Thai."""
    if translation.get_language() == "en" and english:
        return english
    return thai


def format_date(value: date | datetime | None, *, with_time: bool = False) -> str:
    """A date as people read it: Buddhist Era (พ.ศ.) in Thai, Common Era in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    thai = translation.get_language() != "en"
    month = (THAI_MONTHS if thai else ENGLISH_MONTHS)[value.month - 1]
    year = value.year + 543 if thai else value.year
    text = f"{value.day} {month} {year}"
    if with_time and isinstance(value, datetime):
        text += f" {value:%H:%M}"
    return text


def format_year(year: int) -> str:
    """A year as people read it: พ.ศ. in Thai (2026 → 2569), the Common Era in English."""
    return str(year + 543 if translation.get_language() != "en" else year)


def hours_and_minutes(minutes: int) -> str:
    """Minutes as people say them, in the active language: "3 hours 30 minutes", "45 minutes",
    "0 hours" (never negative: the caller says whether it is owed). The time bank's pages and its
    notifications alike."""
    hours, rest = divmod(abs(int(minutes)), 60)
    parts = []
    if hours or not rest:
        parts.append(ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours})
    if rest:
        parts.append(ngettext("%(n)s minute", "%(n)s minutes", rest) % {"n": rest})
    return " ".join(parts)
