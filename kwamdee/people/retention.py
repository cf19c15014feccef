"""Retention rules of the people app (common/retention.py): sign-in failures and reset codes."""

from datetime import datetime

from kwamdee.common.retention import retention_rule
from kwamdee.people.throttle import signin_records_prune


@retention_rule("signin_records")
def signin_records(now: datetime) -> int:
    """Failed sign-ins once they no longer count toward a lockout (people/throttle.py)."""
    return sum(signin_records_prune().values())


@retention_rule("password_reset_codes")
def password_reset_codes(now: datetime) -> int:
    """Reset codes a day after they expired (each new request also clears them)."""
    from kwamdee.people.models import PasswordResetCode
    from kwamdee.people.password_reset import KEPT_AFTER_EXPIRY

    deleted, _ = PasswordResetCode.objects.filter(expires_at__lt=now - KEPT_AFTER_EXPIRY).delete()
    return deleted
