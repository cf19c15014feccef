"""Background work of notifications (django-tasks; `manage.py db_worker` runs it)."""

from typing import Any

from django_tasks import task

from kwamdee.notifications.services import notifications_deliver


@task()
def notifications_deliver_task(notification_ids: list[int]) -> dict[str, Any]:
    """Sends new notifications by e-mail or SMS: queued after the decision commits
    (services.notifications_from_events), one task per decision or bulk decision."""
    return notifications_deliver(notification_ids)
