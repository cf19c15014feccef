from django.db import migrations

from kwamdee.common.append_only import append_only_operations


class Migration(migrations.Migration):
    dependencies = [("common", "0002_initial")]
    operations = append_only_operations("common_auditevent")
