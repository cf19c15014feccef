"""Read replicas, opt-in: every read goes to the primary unless the code says it may be stale.

A replica runs seconds (or, under load, minutes) behind the primary. So a read goes to one only
inside `replica_reads()`, which public pages, exports and dashboards put on themselves, and even
there it stays on the primary when:

- it runs inside `primary_reads()`: a person's own pages and balance (the passbook) wear it, so a
  person who has just recorded or verified a deed always sees their new balance;
- the request comes from someone who wrote a moment ago (`ReadYourWritesMiddleware`: any POST, or
  any request that wrote, pins that browser to the primary for `REPLICA_PIN_SECONDS`);
- it runs inside a transaction on the primary (a read inside a write must see the write);
- it reads sign-in state or people (sessions, auth, people, axes, two-step devices): a session
  that was just ended must not live on in a replica.

Writes and migrations always go to the primary. The replicas are the `DATABASE_REPLICAS`
aliases, which `DATABASE_REPLICA_URLS` fills (settings/base.py); without any, this router sends
everything to the primary. docs/scaling.md, "Read replicas", says what each page does.
"""

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

# Identity and sign-in state: read from the primary only, whatever the page.
# Two-step sign-in's devices (django-otp) are sign-in state too: the middleware reads them on
# every page.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "people", "axes", "otp_totp", "otp_static"})
# The cookie that pins a browser that wrote to the primary for a while.
PIN_COOKIE = "kwamdee_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class _ReplicaScope:
    alias: str | None = None  # chosen at the first read, then kept: one page, one replica


@dataclass
class _RequestWrites:
    wrote: bool = False


_scope: ContextVar[_ReplicaScope | None] = ContextVar("kwamdee_replica_scope", default=None)
_pinned: ContextVar[bool] = ContextVar("kwamdee_primary_pinned", default=False)
_request_writes: ContextVar[_RequestWrites | None] = ContextVar("kwamdee_request_writes", default=None)


def replica_aliases() -> list[str]:
    """The database aliases that replica-safe reads may use (none: everything on the primary)."""
    return list(getattr(settings, "DATABASE_REPLICAS", []))


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside may be served by a read replica, so may be a little stale: for public pages,
    exports and dashboards, never for a person's own data nor to decide a write. Also a view
    decorator: `@replica_reads()`."""
    if _scope.get() is not None:  # nested: keep the outer block's replica
        yield
        return
    token = _scope.set(_ReplicaScope())
    try:
        yield
    finally:
        _scope.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside come from the primary, even within `replica_reads()`: a person's own pages.
    Also a decorator: `@primary_reads()`."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def read_alias(app_label: str, instance: Any = None) -> str:
    """Where a read goes now (the router's decision, for a model of `app_label`)."""
    scope = _scope.get()
    if scope is None or _pinned.get() or app_label in PRIMARY_ONLY_APPS:
        return DEFAULT_DB_ALIAS
    if instance is not None and instance._state.db:  # a related row: from where its parent came
        return str(instance._state.db)
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:  # a read inside a write
        return DEFAULT_DB_ALIAS
    if scope.alias is None:
        replicas = replica_aliases()
        if not replicas:
            return DEFAULT_DB_ALIAS
        scope.alias = random.choice(replicas)  # noqa: S311 (spreads load; not a secret)
    return scope.alias


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: replica-safe reads to a replica; everything else to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        return read_alias(model._meta.app_label, hints.get("instance"))

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        writes = _request_writes.get()
        if writes is not None:
            writes.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # A replica holds the same rows as the primary.
        ours = {DEFAULT_DB_ALIAS, *replica_aliases()}
        return True if {obj1._state.db, obj2._state.db} <= ours else None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # replicas follow the primary's schema by streaming it


class ReadYourWritesMiddleware:
    """A browser that wrote reads from the primary for `REPLICA_PIN_SECONDS`, on every page: who
    just saved a deed type sees it on its public page, whatever the replicas' lag. A POST (or any
    request that wrote) sets the pin; the request that writes is itself on the primary throughout."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        unsafe = request.method not in SAFE_METHODS
        writes = _RequestWrites()
        writes_token = _request_writes.set(writes)
        pin_token = _pinned.set(True) if unsafe or PIN_COOKIE in request.COOKIES else None
        try:
            response = self.get_response(request)
        finally:
            if pin_token is not None:
                _pinned.reset(pin_token)
            _request_writes.reset(writes_token)
        seconds = int(getattr(settings, "REPLICA_PIN_SECONDS", 15))
        if (unsafe or writes.wrote) and seconds > 0 and replica_aliases():
            response.set_cookie(
                PIN_COOKIE, "1", max_age=seconds, secure=request.is_secure(), httponly=True, samesite="Lax"
            )
        return response
