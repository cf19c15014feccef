"""API: the ledger's newest signed checkpoint, for anyone to fetch and compare."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from kwamdee.common.api_errors import errors
from kwamdee.common.errors import NotFound
from kwamdee.ledger.checkpoints import checkpoint_document, checkpoint_latest, ledger_public_key_hex

router = Router(tags=["ledger"])


class CheckpointOut(Schema):
    created_at: str
    heads: dict[str, list[Any]]
    digest: str
    signature: str
    public_key: str
    algorithm: str


class PublicKeyOut(Schema):
    public_key: str
    algorithm: str


@router.get("/checkpoint", response={200: CheckpointOut, **errors(404)}, auth=None)
def checkpoint(request: HttpRequest) -> dict[str, Any]:
    """The newest signed checkpoint of every chain head. Compare it with the copies the operator
    publishes elsewhere; verify its signature with the ledger's public key (Ed25519 over the
    SHA-256 digest of the canonical JSON of `created_at` and `heads`)."""
    latest = checkpoint_latest()
    if latest is None:
        raise NotFound()
    return checkpoint_document(latest)


@router.get("/public-key", response=PublicKeyOut, auth=None)
def public_key(request: HttpRequest) -> dict[str, str]:
    """The ledger's Ed25519 public key (raw, hex), which signs every checkpoint."""
    return {"public_key": ledger_public_key_hex(), "algorithm": "Ed25519"}
