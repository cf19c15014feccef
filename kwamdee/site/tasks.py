"""The site's one background task: a canary that shows a task worker is alive (see health.py)."""

from django_tasks import task


@task()
def worker_heartbeat() -> None:
    """Does nothing: that a worker claimed it is the news (its row's `started_at`)."""
