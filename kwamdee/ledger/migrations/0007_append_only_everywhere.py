"""Append-only triggers on SQLite too, TRUNCATE refused on PostgreSQL, checkpoints append-only,
and accounts guarded: only an account's cached balance may ever change (its holder, kind and
sub-account are what the entries' hashes name)."""

from django.db import migrations

from kwamdee.common.append_only import append_only_operations

ACCOUNT_FIXED = ["id", "public_id", "created_at", "holder_ref", "kind", "unit", "virtue_code", "allow_negative"]


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_sealed_entries_checkpoints_covering_index")]
    operations = append_only_operations(
        "ledger_ledgertransaction", "ledger_posting", "ledger_checkpoint",
        guarded={"ledger_account": ("balance", ACCOUNT_FIXED)}, sqlite=True,
    )  # fmt: skip
