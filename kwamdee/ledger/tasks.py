"""Background work of the ledger (django-tasks; `manage.py db_worker` runs it)."""

from typing import Any

from django_tasks import task

from kwamdee.ledger.checkpoints import checkpoint_create, checkpoint_latest_published
from kwamdee.ledger.verification import ledger_verify


@task()
def ledger_verify_task(since_checkpoint: bool = True) -> dict[str, Any]:
    """Checks the ledger off the request path — by default only what came after the newest
    published checkpoint — then signs a new checkpoint if all is well. The result, with any
    problem found, is kept with the task's result."""
    checkpoint = checkpoint_latest_published()
    report = ledger_verify(
        checkpoint=checkpoint, since_checkpoint=since_checkpoint and checkpoint is not None
    )
    if report.ok:
        checkpoint_create()
    return {
        "ok": report.ok,
        "since_checkpoint": report.since_checkpoint,
        "chains": report.chains,
        "transactions": report.transactions,
        "postings": report.postings,
        "accounts": report.accounts,
        "problems": report.problems[:100],
    }
