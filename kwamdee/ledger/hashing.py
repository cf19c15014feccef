"""The canonical serialization of a ledger entry and its SHA-256 (shared by writes and verify)."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any


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
    postings: list[tuple[str, str, int]],
) -> str:
    """postings: (account public id, unit, amount). Order-independent, whitespace-free JSON."""
    document = {
        "chain": chain_key,
        "seq": seq,
        "prev": prev_hash,
        "at": created_at.astimezone(UTC).isoformat(),
        "kind": kind,
        "key": idempotency_key,
        "reverses": reverses,
        "memo": memo,
        "postings": sorted([str(a), u, int(n)] for a, u, n in postings),
    }
    if source and source[0]:
        # Entries written before sources existed are hashed without the key, as they were.
        document["source"] = [source[0], source[1]]
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
