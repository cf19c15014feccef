"""Background work of the ledger (django-tasks; `manage.py db_worker` runs it)."""

from typing import Any

from django_tasks import task

from kwamdee.ledger.verification import ledger_verify


@task()
def ledger_verify_task() -> dict[str, Any]:
    """Recomputes every chain and balance off the request path (a nightly check, say); the
    result, with any problem found, is kept with the task's result."""
    report = ledger_verify()
    return {
        "ok": report.ok,
        "chains": report.chains,
        "transactions": report.transactions,
        "accounts": report.accounts,
        "problems": report.problems[:100],
    }
