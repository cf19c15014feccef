"""`make bench-activity`: closing an activity of 1,000 participants on PostgreSQL, against raw inserts.

Issue 10's performance case. In one run, on this machine:

1. set up a fresh database `kwamdee_bench_activity` (dropped and re-created on 127.0.0.1:5432;
   PGHOST/PGPORT/PGUSER change that): the default catalog and a bench deed type priced per hour
   with two virtues (so each credit is 2 units × 2 virtues = 4 postings beside the issuance's), an
   organization and its verifier (the organizer), and PARTICIPANTS people (1,000) who signed up
   (the deed type has a limit a day, as the default catalog's have);
2. each round: an activity; its participants checked in through `activity_check` (half) and the
   organizer's attendance file through `attendance_upload` (the other half; timed too); then the
   close through the real service, `activity_close` (timed: this is the measurement), which
   records, verifies and credits every attendance in one transaction and one ledger batch;
3. raw PostgreSQL, in the same round: every row the close inserted (read back by id from every
   table of the schema) inserted again, in one transaction with psycopg's `executemany`, into
   copies of those tables (`CREATE TABLE … (LIKE … INCLUDING ALL)`: the same columns, defaults,
   checks and indexes, without foreign keys and triggers) in the schema `bench_raw`. That is the
   rate of writing the same rows without Kwamdee: the checks, the locks, the hashing and the
   updates (balances, chain heads, the deeds' decision, the attendances) are the difference.

The rounds use the same participants (round 1 creates their ledger accounts; later rounds find
them). A rate is credits per second; the result is the median of the rounds. It writes
bench/results/activity_close.json and the table between the markers in docs/scaling.md
("Closing an activity"). With `--profile`, one more close runs under cProfile and the functions
that took the most time go to bench/results/activity_close_profile.txt.

    make bench-activity
    BENCH_PARTICIPANTS=300 BENCH_ROUNDS=1 .venv/bin/python bench/activity_close.py --profile
"""

import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench_env import bench_environment  # noqa: E402  (bench/, beside this script)

RESULTS = ROOT / "bench" / "results" / "activity_close.json"
PROFILE = ROOT / "bench" / "results" / "activity_close_profile.txt"
DOCS = ROOT / "docs" / "scaling.md"
MARK_START, MARK_END = "<!-- activity-bench:start -->", "<!-- activity-bench:end -->"

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "1000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGET = 0.5  # the target: at least half the raw insert rate
PG = (
    f"postgres://{os.environ.get('PGUSER', 'postgres')}@{os.environ.get('PGHOST', '127.0.0.1')}:"
    f"{os.environ.get('PGPORT', '5432')}"
)
DB = "kwamdee_bench_activity"
SUBDISTRICT = "710911"  # หนองสาหร่าย: the organization's scope and where the participants live
RAW_SCHEMA = "bench_raw"
BENCH_CATALOG = {
    "categories": [{"code": "bench", "name_th": "ทดสอบ", "name_en": "Bench"}],
    "deed_types": [{
        "code": "bench-hours", "category": "bench", "name_th": "จิตอาสาทดสอบ", "name_en": "Bench hours",
        "pricing": "per_hour", "credit_per_unit": 8, "points_per_unit": 8,
        "virtues": {"volunteerism": 0.5, "sufficiency": 0.5}, "sdgs": ["11"],
        # A limit a day, as every per-hour type of the default catalog has (volunteer-hours: 2):
        # rounds 2 and 3 then count the day's deeds of people who already have one.
        "limits": {"per_day": 10},
    }],
}  # fmt: skip


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def environment() -> None:
    bench_environment(f"{PG}/{DB}", prefix="kwamdee-bench-activity-")


def database_create() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DB}")


def machine_facts() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "synchronous_commit", "fsync"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_stat_replication")
        settings["streaming_replicas"] = cursor.fetchone()[0]

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {
        "cores": os.cpu_count(),
        "postgresql": version,
        "postgresql_settings": settings,
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain")),
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": platform.python_version(),
        "load_average_1m": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


# --- the world: an organizer and the participants -------------------------------------------------


def world_build(participants: int) -> tuple[Any, list[Any]]:
    from django.conf import settings

    from kwamdee.catalog.services import catalog_load, catalog_load_default
    from kwamdee.common.actors import SystemActor
    from kwamdee.organizations.services import membership_grant, organization_create
    from kwamdee.people.models import User
    from kwamdee.people.services import person_signup

    # Signing up hashes a password (argon2, on purpose slow); the set-up is not what is measured.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    system = SystemActor("activity_bench")
    catalog_load_default(actor=system)
    catalog_load(actor=system, data=BENCH_CATALOG)
    organization = organization_create(
        actor=system, name_th="อบต.ทดสอบ", kind="local_government", scope_area_code=SUBDISTRICT
    )
    organizer = person_signup(
        full_name="ผู้จัด ทดสอบ", password="bench-organizer-2569", subdistrict_code=SUBDISTRICT,
        consent_given=True, phone="0899000000", contact_proven=True,
    )  # fmt: skip
    membership_grant(actor=system, organization=organization, person=organizer, role="verifier")
    people = []
    for n in range(participants):
        person = person_signup(
            full_name=f"อาสา ทดสอบ{n}", password="bench-person-2569", subdistrict_code=SUBDISTRICT,
            consent_given=True, phone=f"08{n + 10_000_000:08d}", contact_proven=True,
        )  # fmt: skip
        people.append(person)
        if n % 200 == 199:
            log(f"  {n + 1} participants signed up")
    return User.objects.get(pk=organizer.pk), list(User.objects.filter(pk__in=[p.pk for p in people]))


def activity_ready(organizer: Any, people: list[Any], label: str) -> tuple[Any, float]:
    """An activity of `people`: the first half checked in with the rotating code, the second
    half in the organizer's attendance file. Returns it and the file's upload time."""
    from django.utils import timezone

    from kwamdee.activities.attendance_file import attendance_upload
    from kwamdee.activities.codes import code_make
    from kwamdee.activities.selectors import organizer_options
    from kwamdee.activities.services import activity_check, activity_create
    from kwamdee.catalog.models import DeedType

    now = timezone.now()
    activity = activity_create(
        actor=organizer, organizer=organizer_options(organizer)[0].value, title=f"ปลูกป่า {label}",
        deed_type_public_id=DeedType.objects.get(code="bench-hours").public_id,
        subdistrict_code=SUBDISTRICT, starts_at=now - timedelta(hours=3), ends_at=now + timedelta(hours=1),
        capacity=len(people),
    )  # fmt: skip
    half = len(people) // 2
    arrived = now - timedelta(hours=2, minutes=30)  # so that the close counts 2.5 hours
    code = code_make(activity.public_id, arrived)
    for person in people[:half]:
        activity_check(
            actor=person, activity_public_id=activity.public_id, code=code, action="check_in", now=arrived
        )
    rows = "".join(f"{p.phone},2.5,\r\n" for p in people[half:])
    content = f"phone_or_email,hours,note\r\n{rows}".encode()
    started = time.perf_counter()
    attendance_upload(actor=organizer, activity_public_id=activity.public_id, content=content)
    return activity, time.perf_counter() - started


# --- raw PostgreSQL: the rows the close inserted, inserted again --------------------------------------


def tables_with_id() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_name = 'id' AND data_type IN ('bigint', 'integer') ORDER BY table_name"
        )
        return [row[0] for row in cursor.fetchall()]


def id_marks(tables: list[str]) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        marks = {}
        for table in tables:
            cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')
            marks[table] = cursor.fetchone()[0]
        return marks


def rows_since(marks: dict[str, int]) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row inserted since `marks`, by table: (columns, rows), JSON columns ready to write."""
    from django.db import connection
    from psycopg.types.json import Jsonb

    found = {}
    with connection.cursor() as cursor:
        for table, mark in marks.items():
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                "AND table_name = %s AND data_type IN ('json', 'jsonb')",
                [table],
            )
            json_columns = {row[0] for row in cursor.fetchall()}
            cursor.execute(f'SELECT * FROM "{table}" WHERE id > %s ORDER BY id', [mark])
            rows = cursor.fetchall()
            if rows:
                columns = [c.name for c in cursor.description]
                wrap = [c in json_columns for c in columns]
                found[table] = (
                    columns,
                    [
                        tuple(Jsonb(v) if w and v is not None else v for v, w in zip(row, wrap, strict=True))
                        for row in rows
                    ],
                )
    return found


def raw_tables_make(tables: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
        for table in tables:
            cursor.execute(
                f'CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}."{table}" (LIKE public."{table}" INCLUDING ALL)'
            )


def raw_insert(inserted: dict[str, tuple[list[str], list[tuple]]]) -> float:
    """Inserts the rows again into the raw copies, in one transaction: the seconds it took."""
    import psycopg

    payload = inserted
    with psycopg.connect(f"{PG}/{DB}") as conn:
        with conn.cursor() as cursor:
            for table in payload:
                cursor.execute(f'TRUNCATE {RAW_SCHEMA}."{table}"')
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            for table, (columns, rows) in payload.items():
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f'INSERT INTO {RAW_SCHEMA}."{table}" ({names}) VALUES ({marks})', rows)
        conn.commit()
        return time.perf_counter() - started


# --- one round ----------------------------------------------------------------------------------------


def close_round(organizer: Any, people: list[Any], label: str) -> dict[str, Any]:
    from django.db import connection

    from kwamdee.activities.services import activity_close

    activity, upload_seconds = activity_ready(organizer, people, label)
    tables = tables_with_id()
    marks = id_marks(tables)
    queries = []

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(1)  # a count only: recording the SQL would slow what is measured
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        started = time.perf_counter()
        outcomes = activity_close(actor=organizer, activity_public_id=activity.public_id)
        close_seconds = time.perf_counter() - started
    credited = sum(1 for o in outcomes if o.credited)
    if credited != len(people):
        refused = [(o.code, o.message) for o in outcomes if not o.credited][:3]
        raise RuntimeError(f"the close credited {credited} of {len(people)}: {refused}")
    inserted = rows_since(marks)
    raw_tables_make(list(inserted))
    raw_seconds = raw_insert(inserted)
    rows = {table: len(found[1]) for table, found in inserted.items()}
    rate, raw_rate = credited / close_seconds, credited / raw_seconds
    result = {
        "credited": credited, "close_seconds": round(close_seconds, 3), "credits_per_second": round(rate, 1),
        "queries": len(queries), "rows_inserted": rows, "rows_inserted_total": sum(rows.values()),
        "raw_seconds": round(raw_seconds, 3), "raw_credits_per_second": round(raw_rate, 1),
        "ratio": round(rate / raw_rate, 3), "upload_seconds": round(upload_seconds, 3),
        "upload_rows": len(people) - len(people) // 2,
    }  # fmt: skip
    log(
        f"{label}: close {close_seconds:.2f} s ({rate:,.0f} credits/s, {len(queries)} queries, "
        f"{result['rows_inserted_total']:,} rows); raw insert {raw_seconds:.2f} s ({raw_rate:,.0f}/s); "
        f"ratio {result['ratio']}; upload of {result['upload_rows']} rows {upload_seconds:.2f} s"
    )
    return result


def profile_round(organizer: Any, people: list[Any]) -> str:
    from kwamdee.activities.services import activity_close

    activity, _upload = activity_ready(organizer, people, "profile")
    profiler = cProfile.Profile()
    profiler.enable()
    activity_close(actor=organizer, activity_public_id=activity.public_id)
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    PROFILE.write_text(text.getvalue(), encoding="utf-8")
    return text.getvalue()


# --- the table in docs/scaling.md ----------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def table(results: dict[str, Any]) -> str:
    machine, rounds = results["machine"], results["rounds"]
    replicas = machine["postgresql_settings"].get("streaming_replicas", 0)
    lines = [
        f"Run of {machine['date']}, commit `{machine['git_commit'][:10]}`"
        f"{' (with uncommitted changes)' if machine['git_dirty'] else ''}: {machine['cores']} cores, "
        f"{machine['postgresql'].split(' on ')[0]} on the same machine"
        f"{f', with {replicas} streaming replica(s)' if replicas else ''}"
        f"{f'; load average {load:.1f} at the start' if (load := machine.get('load_average_1m')) else ''}. "
        f"{results['participants']:,} participants, {len(rounds)} round(s); the first finds no ledger "
        f"accounts for them and creates them. Raw numbers: `bench/results/activity_close.json`.",
        "",
        "| round | close | credits/s | queries | rows inserted | raw insert of the same rows "
        "| raw credits/s | ratio | target | met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    for number, r in enumerate(rounds, start=1):
        met = "yes" if r["ratio"] >= TARGET else "**no**"
        lines.append(
            f"| {number} | {r['close_seconds']:.2f} s | {_n(r['credits_per_second'])} | {r['queries']:,} "
            f"| {r['rows_inserted_total']:,} | {r['raw_seconds']:.2f} s | {_n(r['raw_credits_per_second'])} "
            f"| {r['ratio']:.2f}× | ≥ {TARGET}× | {met} |"
        )
    median = results["median"]
    met = "yes" if median["ratio"] >= TARGET else "**no**"
    lines.append(
        f"| median | {median['close_seconds']:.2f} s | {_n(median['credits_per_second'])} | | | "
        f"{median['raw_seconds']:.2f} s | {_n(median['raw_credits_per_second'])} | {median['ratio']:.2f}× "
        f"| ≥ {TARGET}× | {met} |"
    )
    first = rounds[0]
    tables = ", ".join(f"{t} {n:,}" for t, n in sorted(first["rows_inserted"].items(), key=lambda kv: -kv[1]))
    lines += [
        "",
        f"Rows one close inserted (round 1): {tables}. The attendance file of "
        f"{first['upload_rows']:,} rows took {median['upload_seconds']:.2f} s to check and save (median).",
    ]
    return "\n".join(lines)


def docs_update(results: dict[str, Any]) -> None:
    text = DOCS.read_text(encoding="utf-8")
    if MARK_START not in text or MARK_END not in text:
        raise RuntimeError(f"{DOCS} has no {MARK_START} … {MARK_END} markers")
    head, rest = text.split(MARK_START, 1)
    _old, tail = rest.split(MARK_END, 1)
    DOCS.write_text(f"{head}{MARK_START}\n{table(results)}\n{MARK_END}{tail}", encoding="utf-8")


def main() -> None:
    if "--docs" in sys.argv:  # re-render the table from the last results
        docs_update(json.loads(RESULTS.read_text(encoding="utf-8")))
        return
    environment()
    log(f"activity close bench: {PARTICIPANTS} participants, {ROUNDS} round(s)")
    database_create()
    import django

    django.setup()
    from django.core.management import call_command

    from kwamdee.ledger.verification import ledger_verify

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    organizer, people = world_build(PARTICIPANTS)
    log(f"world ready in {time.perf_counter() - started:.1f} s")
    results: dict[str, Any] = {"machine": machine_facts(), "participants": PARTICIPANTS, "rounds": []}
    for number in range(1, ROUNDS + 1):
        results["rounds"].append(close_round(organizer, people, f"round {number}"))
    keys = (
        "close_seconds",
        "credits_per_second",
        "raw_seconds",
        "raw_credits_per_second",
        "ratio",
        "upload_seconds",
    )
    results["median"] = {k: statistics.median(r[k] for r in results["rounds"]) for k in keys}
    report = ledger_verify()
    results["ledger_verify_ok"] = report.ok
    if not report.ok:
        raise RuntimeError("ledger_verify failed after the closes")
    if "--profile" in sys.argv:
        profile_round(organizer, people)
        log(f"profile written to {PROFILE.relative_to(ROOT)}")
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    docs_update(results)
    log(
        f"median ratio {results['median']['ratio']} (target ≥ {TARGET}); "
        f"results in {RESULTS.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
