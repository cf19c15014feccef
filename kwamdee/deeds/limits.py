"""The periods a deed type's limits count in: one definition for recording (services), the
verifier's desk (desk.py) and the flags (flags.py)."""

from datetime import date, timedelta


def limit_windows(on: date) -> dict[str, tuple[date, date]]:
    """The day, week (Monday to Sunday), month and year of `on`, as first and last day, keyed as
    the rule's limits are named (`per_day` … `per_year` without the prefix)."""
    week_start = on - timedelta(days=on.weekday())
    month_end = (on.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return {
        "day": (on, on),
        "week": (week_start, week_start + timedelta(days=6)),
        "month": (on.replace(day=1), month_end),
        "year": (on.replace(month=1, day=1), on.replace(month=12, day=31)),
    }
