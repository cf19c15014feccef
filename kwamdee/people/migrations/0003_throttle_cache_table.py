"""Makes the table of the database cache when the settings use one (production.py: the request
throttles count there, shared by every server process). With another cache (development, tests'
memory cache) there is nothing to make. Undoing leaves the table: `createcachetable` owns it."""

from django.core.management import call_command
from django.db import migrations


def cache_table_create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_password_reset_code")]

    operations = [migrations.RunPython(cache_table_create, migrations.RunPython.noop)]
