"""PostgreSQL triggers that refuse UPDATE and DELETE on append-only tables (ledger, audit)."""

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION kwamdee_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'kwamdee: % on % is refused: the table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def append_only_operations(*tables: str):
    """Migration operations that add (and on reverse, drop) the triggers on `tables`."""
    from django.db import migrations

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite has no such trigger here: the services are the only writers.
        schema_editor.execute(FUNCTION_SQL, params=None)
        for table in tables:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION kwamdee_refuse_change();"
            )

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")

    return [migrations.RunPython(forward, backward)]
