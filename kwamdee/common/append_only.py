"""Database triggers that refuse changes to append-only tables (ledger, audit), on PostgreSQL and
SQLite alike: UPDATE, DELETE and (PostgreSQL) TRUNCATE are refused; a guarded table may change
only its named columns (a ledger account, only its cached balance).

Triggers stop the application and anyone using its database role. They do not stop the tables'
owner, who can drop them: that is what the ledger's MAC and signed checkpoints are for
(docs/ledger.md), and why the application runs under a role that owns nothing (docs/scaling.md)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

PG_REFUSE_SQL = """
CREATE OR REPLACE FUNCTION kwamdee_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'kwamdee: % on % is refused: the table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# Refuses an UPDATE that changes any column but the one named in the trigger's argument.
PG_GUARD_SQL = """
CREATE OR REPLACE FUNCTION kwamdee_guard_columns() RETURNS trigger AS $$
BEGIN
  IF (to_jsonb(NEW) - TG_ARGV[0]) IS DISTINCT FROM (to_jsonb(OLD) - TG_ARGV[0]) THEN
    RAISE EXCEPTION 'kwamdee: UPDATE on % may change only %', TG_TABLE_NAME, TG_ARGV[0]
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def _sqlite_refuse(table: str, op: str) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} BEGIN "
        f"SELECT RAISE(ABORT, 'kwamdee: {op} on {table} is refused: the table is append-only'); END;"
    )


def trigger_statements(
    vendor: str, *, tables: tuple[str, ...], guarded: dict[str, tuple[str, list[str]]]
) -> list[str]:
    """The statements that create the triggers. `guarded`: {table: (the mutable column, every
    other column)} — SQLite names the columns, PostgreSQL compares whole rows."""
    statements: list[str] = []
    if vendor == "postgresql":
        statements += [PG_REFUSE_SQL, PG_GUARD_SQL]
        for table in tables:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION kwamdee_refuse_change();",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION kwamdee_refuse_change();",
            ]
        for table, (mutable, _others) in guarded.items():
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_guard ON {table};",
                f"CREATE TRIGGER {table}_guard BEFORE UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION kwamdee_guard_columns('{mutable}');",
                f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table};",
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION kwamdee_refuse_change();",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION kwamdee_refuse_change();",
            ]
    elif vendor == "sqlite":  # SQLite has no TRUNCATE: a DELETE without WHERE fires the trigger
        for table in tables:
            statements += [_sqlite_refuse(table, "UPDATE"), _sqlite_refuse(table, "DELETE")]
        for table, (mutable, others) in guarded.items():
            changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in others)
            statements += [
                f"CREATE TRIGGER IF NOT EXISTS {table}_guard BEFORE UPDATE ON {table} WHEN {changed} "
                f"BEGIN SELECT RAISE(ABORT, 'kwamdee: UPDATE on {table} may change only {mutable}'); END;",
                _sqlite_refuse(table, "DELETE"),
            ]
    return statements


def _sqlite_triggers(cursor: Any) -> list[tuple[str, str]]:
    # Every trigger in a Kwamdee SQLite database is one of these (Django makes none).
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    return list(cursor.fetchall())


@contextmanager
def append_only_suspended(connection: Any) -> Iterator[None]:
    """Lets the block change append-only tables: what a database owner can always do (tests use
    it to empty tables between cases and to play the part of a tampering owner).

    PostgreSQL: `session_replication_role = replica` (superuser only). SQLite: the triggers are
    dropped and put back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            try:
                yield
            finally:
                with connection.cursor() as again:
                    again.execute("SET session_replication_role = DEFAULT")
            return
        if connection.vendor != "sqlite":
            yield
            return
        triggers = _sqlite_triggers(cursor)
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {name}")
        try:
            yield
        finally:
            with connection.cursor() as again:
                for _name, sql in triggers:
                    again.execute(sql)


def append_only_operations(
    *tables: str, guarded: dict[str, tuple[str, list[str]]] | None = None, sqlite: bool = False
) -> list[Any]:
    """Migration operations that add (and on reverse, drop) the triggers. The first migrations
    added them on PostgreSQL only (`sqlite=False`); SQLite rebuilds a table on most schema
    changes, dropping its triggers, so SQLite's are added by the newest migration of each app
    that owns such a table — and a later migration that rebuilds one must add them again."""
    from django.db import migrations

    def forward(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite" and not sqlite:
            return
        for statement in trigger_statements(vendor, tables=tables, guarded=guarded or {}):
            schema_editor.execute(statement, params=None)

    def backward(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        names = [f"{t}_{s}" for t in tables for s in ("append_only", "no_truncate", "no_update", "no_delete")]
        names += [f"{t}_{s}" for t in guarded or {} for s in ("guard", "no_delete", "no_truncate")]
        for table_trigger in names:
            table = next(t for t in (*tables, *(guarded or {})) if table_trigger.startswith(t + "_"))
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table_trigger} ON {table};", params=None)
            elif vendor == "sqlite":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table_trigger};", params=None)

    return [migrations.RunPython(forward, backward)]
