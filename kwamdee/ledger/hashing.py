"""The canonical serialization of a ledger entry, its SHA-256, and the MAC that seals it.

Shared by the write path and `ledger_verify`, so both compute exactly the same bytes."""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

# Format 2 (every entry written since 2026-11): each posting names its account's holder, kind and
# sub-account, so moving an account to another holder breaks the hash; `mac` seals the hash.
CURRENT_FORMAT = 2

# One posting as hashed. Format 1: (account public id, unit, amount).
# Format 2: (account public id, holder_ref, account kind, unit, sub-account, amount).
PostingFacts = tuple[Any, ...]


def entry_hash(
    *,
    chain_key: str,
    seq: int,
    prev_hash: str,
    created_at: datetime,
    kind: str,
    idempotency_key: str,
    reverses: str | None,
    memo: dict[str, Any],
    source: tuple[str, str] | None = None,
    postings: list[PostingFacts],
    format: int = CURRENT_FORMAT,
) -> str:
    """Order-independent over postings; whitespace-free, key-sorted JSON."""
    document: dict[str, Any] = {
        "chain": chain_key,
        "seq": seq,
        "prev": prev_hash,
        "at": created_at.astimezone(UTC).isoformat(),
        "kind": kind,
        "key": idempotency_key,
        "reverses": reverses,
        "memo": memo,
        "postings": _postings_canonical(postings, format),
    }
    if source and source[0]:
        # Entries written before sources existed are hashed without the key, as they were.
        document["source"] = [source[0], source[1]]
    if format >= 2:
        document["v"] = format
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _postings_canonical(postings: list[PostingFacts], format: int) -> list[list[Any]]:
    """Sorted, every fact as text but the amount (unpacked by shape: this runs per entry)."""
    if format >= 2:
        return sorted([str(a), str(h), str(k), str(u), str(s), int(n)] for a, h, k, u, s, n in postings)
    return sorted([str(a), str(u), int(n)] for a, u, n in postings)


def _mac_key() -> bytes:
    return str(settings.LEDGER_MAC_KEY).encode("utf-8")


def entry_mac(digest: str, *, key: bytes | None = None) -> str:
    """HMAC-SHA256 of an entry's hash under the ledger key (never stored in the database)."""
    return hmac.new(key or _mac_key(), digest.encode("ascii"), hashlib.sha256).hexdigest()


def entry_mac_valid(digest: str, mac: str, *, key: bytes | None = None) -> bool:
    return hmac.compare_digest(entry_mac(digest, key=key), mac or "")
