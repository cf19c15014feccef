"""What `/healthz` reports: the database answers, every migration is applied, a task worker runs.

No check raises: a failure is reported as False, so the probe always gets its JSON."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kwamdee.site.tasks import worker_heartbeat

logger = logging.getLogger(__name__)

# A worker counts as alive when it started a task this recently; a canary is queued once none has
# for CANARY_AFTER, so that a probe every minute or so never sees an idle, healthy worker as gone.
WORKER_SEEN_WITHIN = timedelta(minutes=5)
CANARY_AFTER = timedelta(minutes=2)


def database_ok() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health: the database does not answer")
        return False


def migrations_ok() -> bool:
    """No migration is left to apply: the plan from the applied ones to every app's leaf is empty
    (what `migrate` would run, found the way it finds it)."""
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        logger.exception("health: the migrations could not be read")
        return False


def task_worker_ok() -> bool:
    """A `db_worker` has claimed a task within WORKER_SEEN_WITHIN.

    django-tasks-db keeps no worker registry or heartbeat: a worker leaves a trace only on the
    task rows it claims (`started_at`, `worker_ids`), so an idle worker would look the same as a
    dead one. This probe therefore queues a canary task (`site.tasks.worker_heartbeat`, no data)
    when no task has been started for CANARY_AFTER and no canary is already waiting; a live worker
    claims it within its polling interval (1 s), a dead one leaves it waiting. The answer is
    end to end: some worker, on this database and this backend, is taking tasks. At most one
    canary waits at a time, so probes cannot flood the queue; `prune_db_task_results` clears the
    finished ones with the other results.

    With KWAMDEE_TASKS_IMMEDIATE=1, tasks run in the process that queues them and no worker is
    needed: always True."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return True
    try:
        now = timezone.now()
        results = DBTaskResult.objects.filter(backend_name="default")
        seen = results.filter(started_at__gte=now - WORKER_SEEN_WITHIN).exists()
        if not results.filter(started_at__gte=now - CANARY_AFTER).exists():
            if not results.ready().filter(task_path=worker_heartbeat.module_path).exists():
                worker_heartbeat.enqueue()
        return seen
    except Exception:
        logger.exception("health: the task results could not be read")
        return False


def health_report() -> dict[str, bool]:
    database = database_ok()
    return {
        "database": database,
        # Without a database neither can be known; not asking spares the probe two timeouts.
        "migrations": database and migrations_ok(),
        "task_worker": database and task_worker_ok(),
    }
