"""Grants a PostgreSQL role what the application needs and nothing more (docs/scaling.md).

The application should run under a role that owns no table: the owner can drop or disable the
append-only triggers, the application's role cannot. Run migrations as the owner, then this
command (as the owner), then serve with DATABASE_URL naming the application's role.

Tables that carry the append-only trigger get SELECT and INSERT only; a guarded table (a ledger
account) gets UPDATE on its one mutable column only; every other table gets SELECT, INSERT,
UPDATE and DELETE. No role but the owner may TRUNCATE, ALTER, or DROP anything."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from psycopg import sql


def _triggered_tables(cursor: Any, suffix: str) -> dict[str, list[str]]:
    """Tables with a trigger named `<table><suffix>`, with the trigger's arguments."""
    cursor.execute(
        "SELECT c.relname, t.tgargs FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND t.tgname = c.relname || %s",
        [suffix],
    )
    found = {}
    for table, args in cursor.fetchall():
        raw = bytes(args) if args else b""
        found[table] = [a.decode() for a in raw.split(b"\x00") if a]
    return found


class Command(BaseCommand):
    help = "Grant a role (created NOLOGIN if missing) the least the application needs (PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the application's role, e.g. kwamdee_app")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("roles are a PostgreSQL matter; SQLite has none")
        role = sql.Identifier(options["role"])
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [options["role"]])
            if not cursor.fetchone():
                cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(role).as_string(cursor.connection))
            append_only = _triggered_tables(cursor, "_append_only")
            guarded = _triggered_tables(cursor, "_guard")
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
            tables = [t for (t,) in cursor.fetchall()]
            statements = [
                sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier("public"), role),
                sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
            ]
            for table in tables:
                name = sql.Identifier(table)
                statements.append(sql.SQL("REVOKE ALL ON {} FROM {}").format(name, role))
                if table in append_only:
                    statements.append(sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(name, role))
                elif table in guarded:
                    statements.append(sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(name, role))
                    for column in guarded[table]:
                        statements.append(
                            sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
                                sql.Identifier(column), name, role
                            )
                        )
                else:
                    statements.append(
                        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(name, role)
                    )
            for statement in statements:
                cursor.execute(statement.as_string(cursor.connection))
        self.stdout.write(
            f"{options['role']}: {len(tables)} tables, {len(append_only)} append-only "
            f"(SELECT, INSERT), {len(guarded)} guarded (UPDATE of one column); owns nothing"
        )
