"""Side effects run only once the change that caused them is committed (Zulip's rule).

A notification for a deed that was rolled back would tell a person something untrue; so a
service never sends mail or enqueues a task directly, it asks for it after commit."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction


def after_commit(effect: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Runs `effect(*args, **kwargs)` when the current transaction commits (at once outside one).
    Nothing runs if it rolls back."""
    transaction.on_commit(partial(effect, *args, **kwargs), robust=True)


def enqueue_after_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueues a background task (django-tasks) once the current transaction commits, so that a
    worker never picks up work whose data it cannot see yet."""
    after_commit(task.enqueue, *args, **kwargs)
