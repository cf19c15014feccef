"""The audit trail's append-only triggers on SQLite too, and TRUNCATE refused on PostgreSQL."""

from django.db import migrations

from kwamdee.common.append_only import append_only_operations


class Migration(migrations.Migration):
    dependencies = [("common", "0006_idempotency_records")]
    operations = append_only_operations("common_auditevent", sqlite=True)
