"""/healthz: 200 when the database answers, every migration is applied and a task worker runs;
503 naming what failed otherwise. Open to all, never cached, no personal data."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kwamdee.site import health
from kwamdee.site.tasks import worker_heartbeat


def _canaries():
    return DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path)


@pytest.mark.django_db
def test_without_a_worker_it_answers_503_naming_the_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": True, "migrations": True, "task_worker": False}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_probes_queue_one_canary_at_a_time(client):
    for _ in range(3):
        client.get("/healthz")
    [canary] = _canaries()
    assert canary.status == "READY" and canary.args_kwargs == {"args": [], "kwargs": {}}


@pytest.mark.django_db(transaction=True)
def test_once_a_worker_has_taken_the_canary_it_answers_200(client):
    assert client.get("/healthz").status_code == 503  # queues the canary
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert _canaries().get().status == "SUCCESSFUL"

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": True, "migrations": True, "task_worker": True}
    assert _canaries().count() == 1  # a worker seen just now: no new canary


@pytest.mark.django_db
def test_a_worker_seen_long_ago_is_not_alive(client):
    worker_heartbeat.enqueue()
    _canaries().update(status="SUCCESSFUL", started_at=timezone.now() - timedelta(minutes=6))
    assert client.get("/healthz").json()["task_worker"] is False
    assert _canaries().filter(status="READY").count() == 1  # a new canary waits for a worker


@pytest.mark.django_db
def test_an_unapplied_migration_answers_503(client):
    # Forget that one migration ran: the real MigrationExecutor plans it again.
    MigrationRecorder(connection).migration_qs.filter(app="sessions", name="0001_initial").delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] is False and response.json()["database"] is True


@pytest.mark.django_db
def test_no_database_answers_503_and_asks_nothing_more(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": False, "migrations": False, "task_worker": False}


@pytest.mark.django_db
def test_tasks_run_in_process_need_no_worker(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert client.get("/healthz").json()["task_worker"] is True


@pytest.mark.django_db
def test_a_check_that_fails_to_run_counts_as_failed(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a migration file does not import, a table is missing")

    monkeypatch.setattr(health, "MigrationExecutor", broken)
    monkeypatch.setattr(health, "DBTaskResult", SimpleNamespace(objects=SimpleNamespace(filter=broken)))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": True, "migrations": False, "task_worker": False}
