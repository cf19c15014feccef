"""How long the notifications app keeps a notification once it is read (common/retention.py)."""

from datetime import datetime, timedelta

from django.conf import settings

from kwamdee.common.retention import retention_rule
from kwamdee.notifications.models import Notification

DEFAULT_DAYS = 180


@retention_rule("read_notifications")
def read_notifications(now: datetime) -> int:
    """A read notification has done its work; the deed itself keeps the decision. Unread ones
    stay until read (or until the person is erased)."""
    days = settings.RETENTION_DAYS.get("read_notifications", DEFAULT_DAYS)
    deleted, _by_model = Notification.objects.filter(read_at__lt=now - timedelta(days=days)).delete()
    return deleted
