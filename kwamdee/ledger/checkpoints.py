"""Signed checkpoints: every chain's head at one moment, signed with Ed25519.

A checkpoint is stored in the database (served to anyone by the API) and written as a file to
LEDGER_CHECKPOINT_DIR, which the operator ships somewhere the database's users cannot reach.
`ledger_verify` checks the ledger against the newest published file: an entry deleted with its
chain head rolled back, or a tail rewritten after the checkpoint, no longer matches what was
signed. Any outsider can do the same with the public key and the API."""

import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kwamdee.common.locks import rows_lock
from kwamdee.ledger.models import ChainHead, Checkpoint


def _private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(str(settings.LEDGER_SIGNING_KEY)))


def ledger_public_key_hex() -> str:
    return _private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def statement(*, created_at: str, heads: dict[str, list[Any]]) -> bytes:
    """The exact bytes that are hashed and signed (canonical JSON)."""
    body = {"created_at": created_at, "heads": heads}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def checkpoint_document(checkpoint: Checkpoint) -> dict[str, Any]:
    """The published form: what the file holds and the API serves."""
    return {
        "created_at": checkpoint.created_at.isoformat(),
        "heads": checkpoint.heads,
        "digest": checkpoint.digest,
        "signature": checkpoint.signature,
        "public_key": checkpoint.public_key,
        "algorithm": "Ed25519 over SHA-256 of the canonical JSON of {created_at, heads}",
    }


def checkpoint_signature_valid(document: dict[str, Any], *, public_key_hex: str | None = None) -> bool:
    """Whether `document` is signed by the ledger key (ours, unless another is given) and its
    digest matches its heads. A forged or edited checkpoint is refused here."""
    body = statement(created_at=document["created_at"], heads=document["heads"])
    if hashlib.sha256(body).hexdigest() != document.get("digest"):
        return False
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex or ledger_public_key_hex()))
    try:
        key.verify(bytes.fromhex(document["signature"]), bytes.fromhex(document["digest"]))
    except (InvalidSignature, ValueError):
        return False
    return True


@transaction.atomic
def checkpoint_create() -> Checkpoint:
    """Signs every chain's head now, stores the checkpoint and publishes it as a file.

    Heads are read under a share lock, so no chain moves while the statement is made."""
    # By primary key, the chain key: the same order as every writer takes them.
    heads = {h.chain_key: [h.seq, h.head_hash] for h in rows_lock(ChainHead.objects.all()) if h.seq > 0}
    now = timezone.now()
    body = statement(created_at=now.isoformat(), heads=heads)
    digest = hashlib.sha256(body).hexdigest()
    signature = _private_key().sign(bytes.fromhex(digest)).hex()
    checkpoint = Checkpoint.objects.create(
        created_at=now, heads=heads, digest=digest, signature=signature, public_key=ledger_public_key_hex()
    )
    document = checkpoint_document(checkpoint)
    transaction.on_commit(lambda: checkpoint_publish(document))
    return checkpoint


def checkpoint_path(document: dict[str, Any]) -> Path:
    """Where a checkpoint is published: named by time (so names sort in order) and digest."""
    stamp = document["created_at"].replace(":", "").replace("-", "").replace("+", "Z")[:20]
    return Path(settings.LEDGER_CHECKPOINT_DIR) / f"checkpoint-{stamp}-{document['digest'][:12]}.json"


def checkpoint_publish(document: dict[str, Any]) -> Path:
    """Writes the checkpoint file (after commit, so no file names an uncommitted state)."""
    path = checkpoint_path(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    return path


def checkpoint_latest_published() -> dict[str, Any] | None:
    """The newest checkpoint file in LEDGER_CHECKPOINT_DIR, or None."""
    directory = Path(settings.LEDGER_CHECKPOINT_DIR)
    files = sorted(directory.glob("checkpoint-*.json")) if directory.is_dir() else []
    if not files:
        return None
    return json.loads(files[-1].read_text(encoding="utf-8"))


def checkpoint_latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-created_at", "-id").first()
