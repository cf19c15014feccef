"""Effects run after commit, and background tasks reach a real worker (django-tasks-db)."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from kwamdee.common.effects import after_commit, enqueue_after_commit
from kwamdee.ledger.tasks import ledger_verify_task


@pytest.mark.django_db(transaction=True)
def test_effect_runs_only_once_the_transaction_commits():
    ran = []
    with transaction.atomic():
        after_commit(ran.append, "sent")
        assert ran == []  # not while the change may still roll back
    assert ran == ["sent"]


@pytest.mark.django_db(transaction=True)
def test_effect_of_a_rolled_back_change_never_runs():
    ran = []
    with pytest.raises(RuntimeError), transaction.atomic():
        after_commit(ran.append, "sent")
        raise RuntimeError("the change failed")
    assert ran == []


@pytest.mark.django_db(transaction=True)
def test_task_is_enqueued_after_commit_and_a_worker_runs_it():
    with transaction.atomic():
        enqueue_after_commit(ledger_verify_task)
        assert not DBTaskResult.objects.exists()  # a worker must not see it before the commit
    [queued] = DBTaskResult.objects.all()
    assert queued.status == "READY"

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL", queued.exception_class_path
    assert queued.return_value["ok"] is True
