"""`make bench`: Kwamdee's write and read paths against raw PostgreSQL, in one run, on this machine.

Everything runs in one process tree: this process sets up, forks the workers of each case, starts
the production server (gunicorn) and drives it. The write cases run in rounds, the order reversed
every other round, so that drift (autovacuum, caches, a noisy neighbour) falls on every case alike:

1. raw PostgreSQL: a psycopg loop per client (BEGIN; INSERT a posting; UPDATE a balance; COMMIT),
   in the database `kwamdee_bench_raw`;
2. `deed_verify` in-process, 1 and 8 workers, deeds of one province or spread over eight;
3. batch credit at the ledger level (`ledger_transactions_post`, 50 and 500 deeds a transaction,
   8 clients, one province each) and `deeds_verify_bulk` (100 deeds a call, 8 workers);
4. the HTTP API through gunicorn with production settings: single and bulk verify, 8 clients;
5. a synthetic country (`bench_generate`, COPY): passbook reads and a province's credit by virtue;
6. `ledger_verify`: in full, and from a signed checkpoint after a day of entries.

It writes bench/results/ledger_bench.json and the table between the markers in docs/scaling.md.
A rate is the median of the rounds; each round's result keeps the machine's 1-minute load average
before it (the bench's own previous case included). Streaming replicas, if any, are let catch up
before the cases: one on the same machine replays a bulk load for minutes, on the same cores.
Sizes: BENCH_PEOPLE (100000), BENCH_DEEDS (3 per person), BENCH_ROUNDS (3), BENCH_SECONDS (8,
per case and round). It drops and re-creates the databases `kwamdee_bench` and `kwamdee_bench_raw`
on 127.0.0.1:5432 (PGHOST/PGPORT/PGUSER change that).

    make bench
    BENCH_PEOPLE=20000 BENCH_SECONDS=4 make bench   # a quicker run
"""

import gc
import http.client
import json
import multiprocessing
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench_env import bench_environment  # noqa: E402  (bench/, beside this script)

RESULTS = ROOT / "bench" / "results" / "ledger_bench.json"
DOCS = ROOT / "docs" / "scaling.md"
MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"
GENERATED_TABLES = (
    "people_user", "people_consent", "people_user_groups", "deeds_deed", "ledger_account",
    "ledger_ledgertransaction", "ledger_posting", "ledger_chainhead",
)  # fmt: skip

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
DEEDS = int(os.environ.get("BENCH_DEEDS") or 3 * PEOPLE)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
PG = (
    f"postgres://{os.environ.get('PGUSER', 'postgres')}@{os.environ.get('PGHOST', '127.0.0.1')}:"
    f"{os.environ.get('PGPORT', '5432')}"
)
DB, RAW_DB = "kwamdee_bench", "kwamdee_bench_raw"
VERIFIER_PASSWORD = "bench-verifier-2569"
BENCH_CATALOG = {
    "categories": [{"code": "bench", "name_th": "ทดสอบ", "name_en": "Bench"}],
    "deed_types": [{
        "code": "bench-deed", "category": "bench", "name_th": "ความดีทดสอบ", "name_en": "Bench deed",
        "pricing": "per_deed", "credit_per_unit": 10, "points_per_unit": 10,
        "virtues": {"honesty": 0.5, "volunteerism": 0.5}, "sdgs": ["16"],
    }],
}  # fmt: skip


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


# --- the environment: one set of keys for every process, so every entry is sealed alike ------------


def environment() -> Path:
    return bench_environment(f"{PG}/{DB}", prefix="kwamdee-bench-")


def databases_create() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        for name in (DB, RAW_DB):
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
    with psycopg.connect(f"{PG}/{RAW_DB}", autocommit=True) as raw:
        raw.execute(
            "CREATE TABLE bench_posting (id bigserial PRIMARY KEY, account_id bigint NOT NULL, "
            "amount bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
        raw.execute("CREATE TABLE bench_balance (id int PRIMARY KEY, balance bigint NOT NULL)")
        raw.execute("INSERT INTO bench_balance SELECT g, 0 FROM generate_series(0, 63) g")


def machine_facts() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        settings = {}
        for name in ("server_version", "shared_buffers", "synchronous_commit", "max_connections", "fsync"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        # A streaming replica on the same machine replays every write of the run on the same cores.
        cursor.execute("SELECT count(*) FROM pg_stat_replication")
        settings["streaming_replicas"] = cursor.fetchone()[0]

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():  # "MemTotal:  24684092 kB"
        memory = f"{int(meminfo.read_text().split()[1]) / 1024**2:.0f} GiB of memory"
    return {
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory": memory,
        "postgresql": version,
        "postgresql_settings": settings,
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain")),
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


# --- running a case: N forked workers, started together, each for SECONDS -------------------------


@dataclass
class Work:
    """One case: `setup(worker)` runs before the start (connections, the actor, a warm-up) and
    returns a step; each step does one unit of work and returns how many deeds or transactions it
    did (0: nothing left)."""

    name: str
    workers: int
    setup: Callable[[int], Callable[[], int]]
    unit: str = "tx"


def _worker(work: Work, index: int, barrier: Any, queue: Any) -> None:
    from django.db import connections

    # Out of the collector: what the worker inherits from this process (the country's lists). A
    # gunicorn worker forks from a small master; without this, every full collection here would
    # walk the parent's heap, a cost the server does not pay.
    gc.freeze()
    try:
        step = work.setup(index)
        barrier.wait(timeout=600)
        latencies, units, exhausted = [], 0, False
        started = time.perf_counter()
        while time.perf_counter() - started < SECONDS:
            t0 = time.perf_counter()
            done = step()
            if not done:
                exhausted = True
                break
            latencies.append((time.perf_counter() - t0) * 1000)
            units += done
        ended = time.perf_counter() if not exhausted else t0
        queue.put({"worker": index, "start": started, "end": ended, "units": units,
                   "latencies": latencies, "exhausted": exhausted, "error": None,
                   "notes": getattr(step, "notes", {})})  # fmt: skip
    except Exception:
        barrier.abort()
        queue.put({"worker": index, "error": traceback.format_exc(limit=8)})
    finally:
        connections.close_all()


def run(work: Work) -> dict[str, Any]:
    from django.db import connections

    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(work.workers + 1)
    queue = context.Queue()
    connections.close_all()  # every worker opens its own
    processes = [context.Process(target=_worker, args=(work, n, barrier, queue)) for n in range(work.workers)]
    for process in processes:
        process.start()
    try:
        barrier.wait(timeout=600)
    except threading.BrokenBarrierError:
        pass
    reports = [queue.get(timeout=SECONDS + 600) for _ in processes]
    for process in processes:
        process.join()
    errors = [r["error"] for r in reports if r["error"]]
    if errors:
        raise RuntimeError(f"{work.name}: a worker failed:\n{errors[0]}")
    elapsed = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    units = sum(r["units"] for r in reports)
    latencies = [ms for r in reports for ms in r["latencies"]]
    return {
        "units": units, "seconds": round(elapsed, 3), "rate": round(units / elapsed, 1),
        "steps": len(latencies), "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "exhausted_workers": sum(1 for r in reports if r["exhausted"]), "latencies": latencies,
        "notes": [r["notes"] for r in reports],
    }  # fmt: skip


# --- 1. raw PostgreSQL ------------------------------------------------------------------------------


def raw_work(clients: int) -> Work:
    def setup(index: int) -> Callable[[], int]:
        import psycopg

        conn = psycopg.connect(f"{PG}/{RAW_DB}")

        def step() -> int:
            conn.execute("INSERT INTO bench_posting (account_id, amount) VALUES (%s, %s)", (index, 1))
            conn.execute("UPDATE bench_balance SET balance = balance + %s WHERE id = %s", (1, index))
            conn.commit()
            return 1

        step()
        return step

    return Work(f"raw PostgreSQL credit, {clients} clients", clients, setup, "tx")


# --- 2-3. Kwamdee in-process -----------------------------------------------------------------------


@dataclass
class World:
    """What the write cases share: the verifiers, their provinces, the bench deed type, and
    the generated people of each province."""

    provinces: list[str]
    verifiers: list[int]
    deed_type_id: int
    people: dict[str, list[tuple[int, uuid.UUID, str]]]  # province: [(pk, ledger_ref, subdistrict)]


def world_build(country: Any) -> World:
    from kwamdee.catalog.services import catalog_load
    from kwamdee.common.actors import SystemActor
    from kwamdee.organizations.services import membership_grant, organization_create
    from kwamdee.people.models import User
    from kwamdee.people.services import person_signup

    system = SystemActor("ledger_bench")
    catalog_load(actor=system, data=BENCH_CATALOG)
    from kwamdee.catalog.models import DeedType

    deed_type = DeedType.objects.get(code="bench-deed")
    provinces = [
        code for code, _n in sorted(country.people_by_province.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    provinces = provinces[:8]
    organizations = [
        organization_create(
            actor=system, name_th=f"หน่วยรับรอง {code}", kind="local_government", scope_area_code=code
        )
        for code in provinces
    ]
    verifiers = []
    for index in range(8):
        person = person_signup(
            full_name=f"ผู้รับรอง {index}", password=VERIFIER_PASSWORD, subdistrict_code="710911",
            consent_given=True, phone=f"0899{index:06d}",
        )  # fmt: skip
        for organization in organizations:
            membership_grant(actor=system, organization=organization, person=person, role="verifier")
        verifiers.append(person.pk)
    people: dict[str, list[tuple[int, uuid.UUID, str]]] = {}
    for code in provinces:
        people[code] = list(
            User.objects.filter(province_code=code, password="!bench-generated").values_list(
                "pk", "ledger_ref", "subdistrict_code"
            )
        )
    return World(provinces, verifiers, deed_type.pk, people)


def pending_deeds(world: World, count: int, provinces: list[str], rng: random.Random) -> list[str]:
    """`count` pending deeds of generated people, round-robin over `provinces`, written with COPY."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    rows, ids = [], []
    for n in range(count):
        pk, _ref, subdistrict = rng.choice(world.people[provinces[n % len(provinces)]])
        public_id = uuid.uuid4()
        ids.append(str(public_id))
        rows.append((now, now, public_id, pk, world.deed_type_id, now.date(), "ทดสอบ", 1, "pending",
                     subdistrict, subdistrict[:2], "", 0, 0, ""))  # fmt: skip
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY deeds_deed (created_at, updated_at, public_id, person_id, deed_type_id, performed_on, "
            "description, quantity, status, subdistrict_code, province_code, submission_fingerprint, "
            "credit_awarded, points_awarded, rejection_reason) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
    return ids


def verify_work(world: World, workers: int, pools: list[list[str]], label: str) -> Work:
    def setup(index: int) -> Callable[[], int]:
        from kwamdee.deeds.services import deed_verify
        from kwamdee.people.models import User

        actor = User.objects.get(pk=world.verifiers[index])  # loaded once, as a request would
        pool = iter(pools[index])
        deed_verify(actor=actor, deed_public_id=next(pool))  # warm-up: permissions, rules cache

        def step() -> int:
            deed = next(pool, None)
            if deed is None:
                return 0
            deed_verify(actor=actor, deed_public_id=deed)
            return 1

        return step

    return Work(f"deed_verify, {workers} workers, {label}", workers, setup, "deeds")


def bulk_work(world: World, workers: int, pools: list[list[str]], per_call: int) -> Work:
    def setup(index: int) -> Callable[[], int]:
        from kwamdee.deeds.services import deeds_verify_bulk
        from kwamdee.people.models import User

        actor = User.objects.get(pk=world.verifiers[index])
        pool = pools[index]
        calls = iter(range(0, len(pool), per_call))

        def step() -> int:
            start = next(calls, None)
            if start is None:
                return 0
            outcomes = deeds_verify_bulk(actor=actor, deed_public_ids=pool[start : start + per_call])
            verified = sum(1 for o in outcomes if o.verified)
            if verified != len(outcomes):
                raise RuntimeError(f"bulk verify refused {len(outcomes) - verified}: {outcomes[0]}")
            return verified

        step()  # warm-up
        return step

    return Work(f"deeds_verify_bulk, {per_call} a call, {workers} workers", workers, setup, "deeds")


def credit_planner(world: World) -> Callable[[list[tuple[int, uuid.UUID, str]]], tuple[list[Any], float]]:
    """Builds the ledger entries of verified bench deeds as deeds.services._credits_plan does:
    the person's and the shard's issuance accounts, the legs split by the rule's weights."""
    from types import SimpleNamespace

    from kwamdee.catalog.models import DeedType
    from kwamdee.catalog.selectors import national_rule_in_force
    from kwamdee.deeds.ledger import (
        DEED_CREDIT,
        ISSUANCE,
        deed_chain_key,
        deed_credit_account_keys,
        deed_credit_legs,
        deed_shard,
        deed_source,
    )
    from kwamdee.deeds.models import Deed
    from kwamdee.deeds.pricing import amount_for
    from kwamdee.deeds.selectors import deed_virtue_weights
    from kwamdee.ledger.services import EntryIn, accounts_get_or_create

    deed_type = DeedType.objects.get(pk=world.deed_type_id)
    rule = national_rule_in_force(deed_type, datetime.now(UTC).date())
    assert rule is not None
    weights = deed_virtue_weights(Deed(deed_type=deed_type), rule)
    memo = {"deed_type": deed_type.code, "rule_version": rule.version,
            "rule_effective_from": rule.effective_from.isoformat()}  # fmt: skip
    credit, points = amount_for(rule.credit_per_unit, 1), amount_for(rule.points_per_unit, 1)

    def plan(picks: list[tuple[int, uuid.UUID, str]]) -> tuple[list[Any], float]:
        started = time.perf_counter()
        people = [(SimpleNamespace(ledger_ref=ref), deed_shard(sub[:2], ref)) for _pk, ref, sub in picks]
        keys = [key for person, shard in people for key in deed_credit_account_keys(shard, person, weights)]
        accounts = accounts_get_or_create(keys, negative_kinds=[ISSUANCE])
        lookup = time.perf_counter() - started
        entries = []
        for person, shard in people:
            legs = deed_credit_legs(
                shard, person, credit=credit, points=points, weights=weights, accounts=accounts
            )
            deed = uuid.uuid4()
            entries.append(
                EntryIn(chain_key=deed_chain_key(shard), kind=DEED_CREDIT,
                        idempotency_key=f"deed:{deed}:credit", legs=legs, source=deed_source(deed),
                        memo=memo)
            )  # fmt: skip
        return entries, lookup

    return plan


def batch_work(world: World, clients: int, per_tx: int) -> Work:
    """Client n credits people of the n-th province, `per_tx` deeds in each database transaction."""

    def setup(index: int) -> Callable[[], int]:
        from django.db import transaction

        from kwamdee.ledger.services import ledger_transactions_post

        plan = credit_planner(world)
        people = world.people[world.provinces[index % len(world.provinces)]]
        rng = random.Random(index)

        def step() -> int:
            started = time.perf_counter()
            with transaction.atomic():
                entries, lookup = plan([rng.choice(people) for _ in range(per_tx)])
                ledger_transactions_post(entries)
            # Where the time goes: finding the accounts (as _credits_plan does), or the rest.
            step.notes["lookup"] += lookup  # type: ignore[attr-defined]
            step.notes["total"] += time.perf_counter() - started  # type: ignore[attr-defined]
            return len(entries)

        step.notes = {"lookup": 0.0, "total": 0.0}  # type: ignore[attr-defined]
        return step

    return Work(
        f"ledger batch credit, {per_tx} deeds a transaction, {clients} clients", clients, setup, "deeds"
    )


# --- 4. HTTP through gunicorn ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(port: int, method: str, path: str, body: Any = None, token: str = "") -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json", "Host": "127.0.0.1"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    try:
        return response.status, json.loads(data) if data else None
    except ValueError:
        return response.status, data[:300]


class Server:
    """gunicorn as `make serve` runs it: production settings, gunicorn.conf.py (a worker per core)."""

    def __init__(self, scratch: Path) -> None:
        self.port = free_port()
        self.log = scratch / "gunicorn.log"
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="kwamdee.settings.production",
                   DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", KWAMDEE_SSL_REDIRECT="0")  # fmt: skip
        Path(env["KWAMDEE_STATIC_ROOT"]).mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{self.port}"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.time() + 60
        while True:
            try:
                request(self.port, "GET", "/healthz")  # 503 until a task worker runs: up is enough
                return
            except OSError:
                if self.process.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}") from None
                time.sleep(0.3)

    def token(self, phone: str) -> str:
        status, body = request(self.port, "POST", "/api/v1/auth/token",
                            {"login": phone, "password": VERIFIER_PASSWORD, "label": "bench"})  # fmt: skip
        if status != 201:
            raise RuntimeError(f"no token for {phone}: {status} {body}")
        return str(body["token"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def http_single_work(port: int, tokens: list[str], pools: list[list[str]]) -> Work:
    def setup(index: int) -> Callable[[], int]:
        pool = iter(pools[index])

        def step() -> int:
            deed = next(pool, None)
            if deed is None:
                return 0
            status, body = request(port, "POST", f"/api/v1/deeds/{deed}/verify", token=tokens[index])
            if status != 200 or body.get("status") != "verified":
                raise RuntimeError(f"single verify: {status} {body}")
            return 1

        step()
        return step

    return Work(f"HTTP single verify, {len(tokens)} clients", len(tokens), setup, "deeds")


def http_bulk_work(port: int, tokens: list[str], pools: list[list[str]], per_call: int) -> Work:
    def setup(index: int) -> Callable[[], int]:
        pool = pools[index]
        calls = iter(range(0, len(pool), per_call))

        def step() -> int:
            start = next(calls, None)
            if start is None:
                return 0
            status, body = request(port, "POST", "/api/v1/deeds/verify",
                                {"deeds": pool[start : start + per_call]}, token=tokens[index])  # fmt: skip
            if status != 200 or body.get("verified") != per_call:
                raise RuntimeError(f"bulk verify: {status} {str(body)[:300]}")
            return per_call

        step()
        return step

    return Work(f"HTTP bulk verify, {per_call} a request, {len(tokens)} clients", len(tokens), setup, "deeds")


# --- 5. the synthetic country and its reads --------------------------------------------------------


def country_reads(country: Any, rng: random.Random) -> dict[str, Any]:
    from django.db.models import Sum

    from kwamdee.deeds.ledger import ISSUANCE, issuance_holders
    from kwamdee.ledger.choices import Unit
    from kwamdee.ledger.models import Account, Posting
    from kwamdee.passbook.selectors import passbook_get
    from kwamdee.people.models import User

    ids = list(User.objects.filter(password="!bench-generated").values_list("pk", flat=True))
    sample = rng.sample(ids, min(400, len(ids)))
    timings, entries = [], []
    for pk in sample:
        person = User.objects.get(pk=pk)
        started = time.perf_counter()
        book = passbook_get(person=person)
        timings.append((time.perf_counter() - started) * 1000)
        entries.append(len(book.entries))

    def by_postings(province: str) -> dict[str, int]:
        rows = (
            Posting.objects.filter(account__holder_ref__in=issuance_holders(province), account__kind=ISSUANCE,
                                   unit=Unit.CREDIT)
            .values_list("account__virtue_code")
            .annotate(total=Sum("amount"))
        )  # fmt: skip
        return {code: -total for code, total in rows}

    def by_balances(province: str) -> dict[str, int]:
        rows = (
            Account.objects.filter(holder_ref__in=issuance_holders(province), kind=ISSUANCE, unit=Unit.CREDIT)
            .values_list("virtue_code")
            .annotate(total=Sum("balance"))
        )
        return {code: -total for code, total in rows}

    ranked = sorted(country.people_by_province.items(), key=lambda kv: -kv[1])
    provinces = {"largest": ranked[0][0], "median": ranked[len(ranked) // 2][0]}
    credit: dict[str, Any] = {}
    for label, province in provinces.items():
        for how, read in (("postings", by_postings), ("balances", by_balances)):
            times, answer = [], {}
            for _ in range(21):
                started = time.perf_counter()
                answer = read(province)
                times.append((time.perf_counter() - started) * 1000)
            credit[f"{label}_{how}"] = {
                "province": province, "people": country.people_by_province[province],
                "p50_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2),
                "first_ms": round(times[0], 2), "credit_by_virtue": answer,
            }  # fmt: skip
        postings_count = Posting.objects.filter(
            account__holder_ref__in=issuance_holders(province), account__kind=ISSUANCE, unit=Unit.CREDIT
        ).count()
        credit[f"{label}_postings"]["postings_summed"] = postings_count
        if credit[f"{label}_postings"]["credit_by_virtue"] != credit[f"{label}_balances"]["credit_by_virtue"]:
            raise RuntimeError(f"province {province}: postings and cached balances disagree")
    passbook = {
        "samples": len(timings), "p50_ms": round(percentile(timings, 50), 2),
        "p99_ms": round(percentile(timings, 99), 2), "mean_entries": round(statistics.mean(entries), 1),
    }  # fmt: skip
    return {"passbook": passbook, "province_credit": credit}


# --- 6. ledger_verify --------------------------------------------------------------------------------


def replicas_catch_up(limit: float = 300) -> float:
    """Waits (at most `limit` s) for streaming replicas to replay what was written so far. A replica
    on the same machine replays a bulk load for minutes, on the cores the next cases measure."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        while time.perf_counter() - started < limit:
            cursor.execute(
                "SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0) "
                "FROM pg_stat_replication"
            )
            if cursor.fetchone()[0] < 16 * 1024 * 1024:
                break
            time.sleep(1)
    waited = time.perf_counter() - started
    if waited > 1:
        log(f"waited {waited:.0f} s for a streaming replica to replay the writes")
    return round(waited, 1)


def verify_summary(report: Any) -> dict[str, Any]:
    return {
        "ok": report.ok, "problems": report.problems[:5], "chains": report.chains,
        "transactions": report.transactions, "postings": report.postings, "accounts": report.accounts,
        "seconds": round(report.seconds, 2), "postings_per_second": round(report.postings_per_second),
    }  # fmt: skip


def day_post(
    world: World, all_people: list[tuple[int, uuid.UUID, str]], deeds: int, rng: random.Random
) -> float:
    """A day of credits over the whole country, through the ledger's write path (500 a batch)."""
    from django.db import transaction

    from kwamdee.ledger.services import ledger_transactions_post

    plan = credit_planner(world)
    started = time.perf_counter()
    left = deeds
    while left > 0:
        size = min(500, left)
        with transaction.atomic():
            entries, _lookup = plan([rng.choice(all_people) for _ in range(size)])
            ledger_transactions_post(entries)
        left -= size
    return time.perf_counter() - started


def incremental(world: World, rng: random.Random) -> dict[str, Any]:
    from kwamdee.ledger.checkpoints import checkpoint_create, checkpoint_document
    from kwamdee.ledger.verification import ledger_verify
    from kwamdee.people.models import User

    everyone = list(
        User.objects.filter(password="!bench-generated").values_list("pk", "ledger_ref", "subdistrict_code")
    )
    day = max(500, PEOPLE * 10 // 365)  # ten deeds per person a year
    runs = {}
    for label, deeds in (("no entries", 0), ("one day", day), ("four days", 4 * day)):
        document = checkpoint_document(checkpoint_create())
        post_seconds = day_post(world, everyone, deeds, rng) if deeds else 0.0
        report = ledger_verify(checkpoint=document, since_checkpoint=True, workers=2)
        runs[label] = {"deeds": deeds, "post_seconds": round(post_seconds, 2), **verify_summary(report)}
        log(
            f"incremental ledger_verify after {label} ({deeds} deeds): {report.seconds:.2f} s, ok={report.ok}"
        )
    return runs


# --- the run -----------------------------------------------------------------------------------------


def main() -> None:
    scratch = environment()
    log(f"kwamdee bench: {PEOPLE} people, {DEEDS} deeds, {ROUNDS} rounds of {SECONDS:g} s a case")
    databases_create()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kwamdee.demo.management.commands.bench_generate import country_generate
    from kwamdee.ledger.verification import ledger_verify

    call_command("migrate", verbosity=0)
    sizes = {"people": PEOPLE, "deeds": DEEDS, "rounds": ROUNDS, "seconds": SECONDS}
    results: dict[str, Any] = {"machine": machine_facts(), "sizes": sizes}
    rng = random.Random(2569)

    # 5. The country, then its reads (the write cases below run on it too).
    started = time.perf_counter()
    country = country_generate(people=PEOPLE, deeds=DEEDS, log=log)
    generate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # What autovacuum would do after a bulk load, and the checkpoint it forces, done now rather
        # than during the first round.
        for table in GENERATED_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("CHECKPOINT")
    results["generate"] = {
        "people": country.people, "deeds": country.deeds, "postings": country.postings,
        "person_accounts": country.accounts, "chains": country.chains,
        "seconds": round(generate_seconds, 1), "vacuum_seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip
    log(f"generated in {generate_seconds:.1f} s: {results['generate']}")
    results["generate"]["replica_catch_up_seconds"] = replicas_catch_up()
    results["reads"] = country_reads(country, rng)
    log(f"reads: {json.dumps(results['reads']['passbook'])}")

    # 6a. ledger_verify in full over the generated ledger.
    report = ledger_verify(workers=2)
    results["verify_full_generated"] = verify_summary(report)
    log(f"ledger_verify (full, 2 workers): {results['verify_full_generated']}")

    # 1-4. The write cases, in rounds.
    world = world_build(country)
    one, spread = world.provinces[:1], world.provinces
    v1, v8, b8, h1, hb = 900, 400, 1600, 300, 1500  # deeds per worker and round: more than it can do
    pools: dict[tuple[int, str], list[list[str]]] = {}
    started = time.perf_counter()
    for r in range(ROUNDS):
        pools[(r, "v1-one")] = [pending_deeds(world, v1, one, rng)]
        pools[(r, "v1-spread")] = [pending_deeds(world, v1, spread, rng)]
        pools[(r, "v8-one")] = [pending_deeds(world, v8, one, rng) for _ in range(8)]
        pools[(r, "v8-spread")] = [pending_deeds(world, v8, spread, rng) for _ in range(8)]
        pools[(r, "bulk")] = [pending_deeds(world, b8, [world.provinces[w]], rng) for w in range(8)]
        pools[(r, "http-single")] = [pending_deeds(world, h1, spread, rng) for _ in range(8)]
        pools[(r, "http-bulk")] = [pending_deeds(world, hb, [world.provinces[w]], rng) for w in range(8)]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE deeds_deed")
        cursor.execute("CHECKPOINT")
    replicas_catch_up()
    log(f"pending deeds ready in {time.perf_counter() - started:.1f} s")

    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from kwamdee.deeds.services import deed_verify
    from kwamdee.people.models import User

    probe = pending_deeds(world, 1, one, rng)[0]
    with CaptureQueriesContext(db) as queries:
        deed_verify(actor=User.objects.get(pk=world.verifiers[0]), deed_public_id=probe)
    results["queries_per_verification"] = len(queries) - 1  # the actor's own load is the request's

    server = Server(scratch)
    try:
        tokens = [server.token(f"0899{n:06d}") for n in range(8)]
        cases: list[tuple[str, Callable[[int], Work]]] = [
            ("raw-1", lambda r: raw_work(1)),
            ("raw-8", lambda r: raw_work(8)),
            ("verify-1-one", lambda r: verify_work(world, 1, pools[(r, "v1-one")], "one province")),
            ("verify-1-spread", lambda r: verify_work(world, 1, pools[(r, "v1-spread")], "8 provinces")),
            ("verify-8-one", lambda r: verify_work(world, 8, pools[(r, "v8-one")], "one province")),
            ("verify-8-spread", lambda r: verify_work(world, 8, pools[(r, "v8-spread")], "8 provinces")),
            ("batch-50", lambda r: batch_work(world, 8, 50)),
            ("batch-500", lambda r: batch_work(world, 8, 500)),
            ("bulk-100", lambda r: bulk_work(world, 8, pools[(r, "bulk")], 100)),
            ("http-single", lambda r: http_single_work(server.port, tokens, pools[(r, "http-single")])),
            ("http-bulk", lambda r: http_bulk_work(server.port, tokens, pools[(r, "http-bulk")], 100)),
        ]
        rounds: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in cases}
        for r in range(ROUNDS):
            order = cases if r % 2 == 0 else list(reversed(cases))
            for name, make in order:
                work = make(r)
                load = os.getloadavg()[0]  # how busy the machine was before: other work skews a case
                result = run(work)
                result["round"], result["load_before"] = r + 1, round(load, 2)
                rounds[name].append(result)
                log(f"round {r + 1} {work.name}: {result['rate']} {work.unit}/s "
                    f"(p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms)")  # fmt: skip
    finally:
        server.stop()

    write: dict[str, Any] = {}
    for name, per_round in rounds.items():
        latencies = [ms for result in per_round for ms in result.pop("latencies")]
        # Medians of the rounds, as for the rate: one disturbed round does not make the p99.
        write[name] = {
            "rate": round(statistics.median(r["rate"] for r in per_round), 1),
            "p50_ms": round(statistics.median(r["p50_ms"] for r in per_round), 1),
            "p99_ms": round(statistics.median(r["p99_ms"] for r in per_round), 1),
            "pooled_p50_ms": round(percentile(latencies, 50), 1),
            "pooled_p99_ms": round(percentile(latencies, 99), 1),
            "rounds": per_round,
        }  # fmt: skip
    for name in ("batch-50", "batch-500"):
        notes = [n for result in rounds[name] for n in result["notes"]]
        write[name]["accounts_lookup_share"] = round(
            sum(n["lookup"] for n in notes) / max(1e-9, sum(n["total"] for n in notes)), 3
        )
    results["write"] = write

    # 6b. ledger_verify from a checkpoint after a day, then in full over everything written.
    results["verify_incremental"] = incremental(world, rng)
    report = ledger_verify(workers=2)
    results["verify_full_end"] = verify_summary(report)
    log(f"ledger_verify (full, end): {results['verify_full_end']}")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    docs_update(results)
    shutil.rmtree(scratch, ignore_errors=True)
    log(f"wrote {RESULTS.relative_to(ROOT)} and the table in {DOCS.relative_to(ROOT)}")


# --- the table in docs/scaling.md --------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def table(results: dict[str, Any]) -> str:
    m, w, g, reads = results["machine"], results["write"], results["generate"], results["reads"]
    raw = {1: w["raw-1"]["rate"], 8: w["raw-8"]["rate"]}
    rows: list[list[str]] = []

    def row(part: str, what: str, clients: int | str, result: str, name: str = "", ratio: str = "",
            target: str = "", met: bool | str | None = None) -> None:  # fmt: skip
        per_round = " / ".join(_n(r["rate"]) for r in w[name]["rounds"]) if name else ""
        shown = met if isinstance(met, str) else "" if met is None else "yes" if met else "**no**"
        rows.append([part, what, str(clients), result, per_round, ratio, target, shown])

    for clients in (1, 8):
        row(
            "1",
            "raw PostgreSQL credit transaction",
            clients,
            f"{_n(raw[clients])} tx/s",
            f"raw-{clients}",
            "1×",
        )
    for name, what, clients in (
        ("verify-1-one", "`deed_verify`, one province", 1),
        ("verify-1-spread", "`deed_verify`, 8 provinces", 1),
        ("verify-8-one", "`deed_verify`, one province", 8),
        ("verify-8-spread", "`deed_verify`, 8 provinces", 8),
    ):
        ratio = w[name]["rate"] / raw[clients]
        targeted = name == "verify-8-one"
        row("2", what, clients, f"{_n(w[name]['rate'])} deeds/s", name, f"{ratio:.3f}×",
            "≥ 0.10×" if targeted else "", ratio >= 0.10 if targeted else None)  # fmt: skip
    for name, what in (
        ("batch-50", "ledger batch credit, 50 deeds a transaction"),
        ("batch-500", "ledger batch credit, 500 deeds a transaction"),
    ):
        ratio = w[name]["rate"] / raw[8]
        lookup = f"; {w[name]['accounts_lookup_share']:.0%} of it finding the accounts"
        row("3", what, 8, f"{_n(w[name]['rate'])} deeds/s{lookup}", name, f"{ratio:.2f}×",
            "≥ 0.5×", ratio >= 0.5)  # fmt: skip
    row("3", "`deeds_verify_bulk`, 100 deeds a call", 8, f"{_n(w['bulk-100']['rate'])} deeds/s", "bulk-100",
        f"{w['bulk-100']['rate'] / raw[8]:.2f}×")  # fmt: skip
    single, bulk = w["http-single"], w["http-bulk"]
    row("4", "HTTP single verify (gunicorn, production settings)", 8,
        f"{_n(single['rate'])} deeds/s; p50 {single['p50_ms']:.0f} ms, p99 {single['p99_ms']:.0f} ms",
        "http-single", f"{single['rate'] / raw[8]:.3f}×", "p99 ≤ 100 ms",
        single["p99_ms"] <= 100)  # fmt: skip
    ratio = bulk["rate"] / raw[8]
    row("4", "HTTP bulk verify, 100 deeds a request", 8,
        f"{_n(bulk['rate'])} deeds/s; a request p50 {bulk['p50_ms']:.0f} ms, p99 {bulk['p99_ms']:.0f} ms",
        "http-bulk", f"{ratio:.2f}×", "≥ 0.25×", ratio >= 0.25)  # fmt: skip
    book = reads["passbook"]
    row("5", f"`passbook_get`, {book['samples']} random people", 1,
        f"p50 {book['p50_ms']:.1f} ms, p99 {book['p99_ms']:.1f} ms")  # fmt: skip
    for key, label in (("largest", "largest province"), ("median", "median province")):
        summed = reads["province_credit"][f"{key}_postings"]
        cached = reads["province_credit"][f"{key}_balances"]
        what = (f"credit by virtue, {label} ({summed['province']}: {summed['people']:,} people, "
                f"{summed['postings_summed']:,} postings)")  # fmt: skip
        result = (
            f"p50 {summed['p50_ms']:.1f} ms summed from postings; {cached['p50_ms']:.1f} ms from balances"
        )
        if key == "largest":
            row("5", what, 1, result, target="≤ 100 ms at 1 M people", met=f"{g['people']:,} people only")
        else:
            row("5", what, 1, result)
    for key, label in (("verify_full_generated", "the generated ledger"), ("verify_full_end", "everything")):
        full = results[key]
        row("6", f"`ledger_verify` in full, {label} ({full['postings']:,} postings)", "2 workers",
            f"{_n(full['postings_per_second'])} postings/s ({full['seconds']:.1f} s)", target="≥ 250,000/s",
            met=full["postings_per_second"] >= 250_000)  # fmt: skip
    for label, run_ in results["verify_incremental"].items():
        row("6", f"`ledger_verify` from a checkpoint, after {label} ({run_['deeds']:,} deeds, "
            f"{run_['postings']:,} postings)", "2 workers", f"{run_['seconds']:.2f} s")  # fmt: skip
    dirty = " (with uncommitted changes)" if m["git_dirty"] else ""
    settings = m["postgresql_settings"]
    replicas = settings.get("streaming_replicas", 0)
    replaying = (
        f", with {replicas} streaming replica(s) replaying its writes on the same cores" if replicas else ""
    )
    lines = [
        f"Run of {m['date']}, commit `{m['git_commit'][:10]}`{dirty}: {m['cores']} cores, {m['memory']}, "
        f"PostgreSQL {settings['server_version']} on the same machine (shared_buffers "
        f"{settings['shared_buffers']}{replaying}). A synthetic country of {g['people']:,} people and "
        f"{g['deeds']:,} verified deeds ({g['postings']:,} postings, written with COPY in "
        f"{g['seconds']:.0f} s). "
        f"{results['sizes']['rounds']} rounds of {results['sizes']['seconds']:g} s a case; a rate, a p50 "
        "or a p99 is the median of the rounds' (the rates listed). A cold `deed_verify` (a freshly "
        "loaded verifier, empty caches, the first deed of its person) makes "
        f"{results['queries_per_verification']} queries; the steady state is 8 "
        "(`test_verification_query_count_stays_bounded`). Raw numbers: `bench/results/ledger_bench.json`.",
        "",
        "| # | measurement | clients | result | rounds | ratio to raw PostgreSQL | target | met |",
        "|---|---|---|---|---|---|---|---|",
        *("| " + " | ".join(r) + " |" for r in rows),
    ]
    return "\n".join(lines)


def docs_update(results: dict[str, Any]) -> None:
    text = DOCS.read_text(encoding="utf-8")
    if MARK_START not in text or MARK_END not in text:
        raise RuntimeError(f"{DOCS} has no {MARK_START} … {MARK_END} markers")
    head, rest = text.split(MARK_START, 1)
    _old, tail = rest.split(MARK_END, 1)
    DOCS.write_text(f"{head}{MARK_START}\n{table(results)}\n{MARK_END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--docs":  # re-render the table from the last results
        docs_update(json.loads(RESULTS.read_text(encoding="utf-8")))
    else:
        main()
