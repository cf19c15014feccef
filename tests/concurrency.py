"""Runs calls at the same moment in threads, each with its own database connection."""

import threading
from collections.abc import Callable, Iterable

from django.db import connection


def run_at_once(
    calls: Iterable[Callable[[], object]], *, expected: dict[type, str] | None = None
) -> list[str]:
    """Starts every call behind one barrier; returns "ok", the name given in `expected` for an
    exception type, or the repr of any other exception, for each call (in no order)."""
    calls = list(calls)
    expected = expected or {}
    barrier, lock, outcomes = threading.Barrier(len(calls)), threading.Lock(), []

    def attempt(call):
        try:
            barrier.wait()
            call()
            result = "ok"
        except tuple(expected) as exc:
            result = expected[type(exc)]
        except Exception as exc:
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
