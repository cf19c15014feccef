"""Retention rules of the people app (common/retention.py): sign-in failures and one-time codes."""

from datetime import datetime

from kwamdee.common.retention import retention_rule
from kwamdee.people.throttle import signin_records_prune


@retention_rule("signin_records")
def signin_records(now: datetime) -> int:
    """Failed sign-ins once they no longer count toward a lockout (people/throttle.py)."""
    return sum(signin_records_prune().values())


@retention_rule("one_time_codes")
def one_time_codes(now: datetime) -> int:
    """One-time codes (password reset, contact confirmation) a day after they expired (each new
    code also clears them)."""
    from kwamdee.people.codes import codes_prune

    return codes_prune(now)
