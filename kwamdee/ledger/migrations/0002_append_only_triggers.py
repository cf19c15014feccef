from django.db import migrations

from kwamdee.common.append_only import append_only_operations


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = append_only_operations("ledger_ledgertransaction", "ledger_posting")
