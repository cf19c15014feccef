"""Signs every chain head now and publishes the checkpoint (run it nightly, or hourly)."""

from typing import Any

from django.core.management.base import BaseCommand

from kwamdee.ledger.checkpoints import checkpoint_create, checkpoint_document, checkpoint_path


class Command(BaseCommand):
    help = "Sign every ledger chain head (Ed25519) and publish the checkpoint to LEDGER_CHECKPOINT_DIR."

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = checkpoint_create()  # its own transaction: committed, so the file is written
        path = checkpoint_path(checkpoint_document(checkpoint))
        self.stdout.write(f"checkpoint over {len(checkpoint.heads)} chains, digest {checkpoint.digest}")
        self.stdout.write(f"published to {path}: copy it somewhere the database's users cannot write")
