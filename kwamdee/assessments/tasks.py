"""The certificates' daily run (renewal reminders, then expiry), as a background task that books
its own next run the way privacy's retention does (django-tasks has no scheduler: LIBRARIES.md),
plus the first booking after `migrate`."""

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from kwamdee.assessments.certificates import certificates_expire_due, certificates_remind_due
from kwamdee.common.actors import SystemActor

SYSTEM = SystemActor("certificates")
RUN_AT = time(3, 30)  # local time, after the retention run


def next_run(after: datetime) -> datetime:
    local = timezone.localtime(after)
    day = local.date() + timedelta(days=1) if local.time() >= RUN_AT else local.date()
    return timezone.make_aware(datetime.combine(day, RUN_AT))


@task()
def certificates_daily() -> dict[str, Any]:
    counts = {
        "reminded": certificates_remind_due(actor=SYSTEM),
        "expired": certificates_expire_due(actor=SYSTEM),
    }
    if default_task_backend.supports_defer:  # the immediate backend (tests) would loop
        certificates_daily.using(run_after=next_run(timezone.now())).enqueue()
    return counts


def certificates_booked() -> bool:
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=certificates_daily.module_path, status="READY")
    return waiting.exists()


def certificates_book(**kwargs: Any) -> None:
    """post_migrate: books the first daily run if none waits (the task books the next ones), under
    the same switch as the retention run (off in tests)."""
    if not settings.RETENTION_AUTOBOOK:
        return
    if default_task_backend.supports_defer and not certificates_booked():
        certificates_daily.using(run_after=next_run(timezone.now())).enqueue()
