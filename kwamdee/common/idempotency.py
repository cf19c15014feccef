"""Idempotency keys that mean it: a key names one request body, forever.

A client retries a write with the same key and gets the first result; a client that reuses a key
with a different body is refused (422 `idempotency_conflict`) and nothing changes, so no client
ever believes a new write took effect when it did not. The key is stored with a fingerprint of the
request it was first used for."""

import hashlib
import json
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ServiceError
from kwamdee.common.locks import rows_lock
from kwamdee.common.models import IdempotencyRecord

# The HTTP header clients send. Hyphens, not underscores: servers drop header names with
# underscores (Django's development server and gunicorn both do).
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 80
# How long a stored answer is kept: long past any client's retries, short enough to hold little.
RETENTION_DAYS = 7


class IdempotencyConflict(ServiceError):
    code = "idempotency_conflict"
    status = 422
    message = _(
        "This idempotency key was already used for a different request. "
        "Nothing was changed: send a new key for a new request."
    )


def request_fingerprint(body: Any) -> str:
    """A SHA-256 of the request's meaningful fields, in a canonical JSON form."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def idempotent_replay_check(*, stored_fingerprint: str, fingerprint: str) -> None:
    """Refuses a replay whose body differs from the first. Rows written before fingerprints
    existed have none stored, and are accepted as they always were."""
    if stored_fingerprint and stored_fingerprint != fingerprint:
        raise IdempotencyConflict()


def idempotent_response_get(*, scope: str, key: str, fingerprint: str) -> Any | None:
    """Claims `key` in `scope` for this request; returns the answer first given for it, or None
    when this request is the first (then call `idempotent_response_store` before committing).
    Raises `IdempotencyConflict` when the key was used for another request.

    Call inside the write's transaction, before the write. A concurrent first use of the same key
    waits on the unique index until the other commits, then reads its answer."""
    IdempotencyRecord.objects.bulk_create(
        [IdempotencyRecord(scope=scope, key=key, fingerprint=fingerprint, response=None)],
        ignore_conflicts=True,
    )
    [record] = rows_lock(IdempotencyRecord.objects.filter(scope=scope, key=key))
    idempotent_replay_check(stored_fingerprint=record.fingerprint, fingerprint=fingerprint)
    return record.response  # None: the claim is this request's own


def idempotent_response_store(*, scope: str, key: str, fingerprint: str, response: Any) -> None:
    """Keeps the answer with the claim, in the write's transaction."""
    IdempotencyRecord.objects.filter(scope=scope, key=key, fingerprint=fingerprint).update(response=response)


def idempotency_records_prune(*, days: int = RETENTION_DAYS) -> int:
    """Deletes stored answers older than `days` (docs/privacy.md); returns how many."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
