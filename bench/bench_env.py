"""The environment a benchmark's processes share: production-like settings (no DEBUG), its own
database, and one set of fresh keys, so that every ledger entry is sealed alike."""

import os
import secrets
import tempfile
from pathlib import Path


def bench_environment(database_url: str, *, prefix: str) -> Path:
    """Sets the variables for `database_url` in a scratch folder; returns the folder."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kwamdee.settings.base",
        DJANGO_DEBUG="0",
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        KWAMDEE_NATIONAL_ID_KEY=secrets.token_urlsafe(64),
        KWAMDEE_LEDGER_KEY=secrets.token_urlsafe(64),
        KWAMDEE_LEDGER_SIGNING_KEY=secrets.token_hex(32),
        KWAMDEE_CHECKPOINT_DIR=str(scratch / "checkpoints"),
        KWAMDEE_VAR_DIR=str(scratch / "var"),
        KWAMDEE_STATIC_ROOT=str(scratch / "static"),
    )
    os.environ.pop("DATABASE_REPLICA_URLS", None)
    return scratch
