"""The daily retention run, as a background task that books its own next run (django-tasks has
no scheduler: LIBRARIES.md), plus the first booking after `migrate`."""

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from kwamdee.privacy.retention import retention_apply

RUN_AT = time(3, 0)  # 03:00 local time, when nobody is recording deeds


def next_run(after: datetime) -> datetime:
    local = timezone.localtime(after)
    day = local.date() + timedelta(days=1) if local.time() >= RUN_AT else local.date()
    return timezone.make_aware(datetime.combine(day, RUN_AT))


@task()
def retention_daily() -> dict[str, Any]:
    counts = retention_apply()
    if default_task_backend.supports_defer:  # the immediate backend (tests) would loop
        retention_daily.using(run_after=next_run(timezone.now())).enqueue()
    return counts


def retention_booked() -> bool:
    """Whether a retention run waits in the queue (so that `migrate` books only one)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=retention_daily.module_path, status="READY")
    return waiting.exists()


def retention_book(**kwargs: Any) -> None:
    """post_migrate: books the first daily run if none waits (the task books the next ones).
    Only with a queue that can hold a task for later (the database backend)."""
    if not settings.RETENTION_AUTOBOOK:
        return
    if default_task_backend.supports_defer and not retention_booked():
        retention_daily.using(run_after=next_run(timezone.now())).enqueue()
