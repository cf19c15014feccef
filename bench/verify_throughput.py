"""Benchmark: deed verifications per second through the real service (deed_verify → ledger).

Each case runs in its own process on a fresh database: SQLite (file, WAL) or PostgreSQL
(a `kwamdee_bench` database on 127.0.0.1:5432, dropped and re-created). It records DEEDS pending
deeds spread over PROVINCES provinces, then verifies them all with WORKERS processes, each on
its own provinces where there are enough, and times that. It then times `ledger_verify` over the result.

    .venv/bin/python bench/verify_throughput.py            # all cases, writes bench/results/
    .venv/bin/python bench/verify_throughput.py --deeds 400 # a quicker run
"""

import argparse
import json
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/kwamdee_bench"
# One subdistrict in each of eight provinces (DOPA codes).
SUBDISTRICTS = ["710911", "100101", "500101", "400101", "900101", "200101", "300101", "800101"]
CASES = [
    # engine, worker processes, provinces
    ("sqlite", 1, 1),
    ("sqlite", 2, 2),
    ("postgresql", 1, 1),
    ("postgresql", 2, 1),
    ("postgresql", 2, 2),
    ("postgresql", 4, 4),
]
BENCH_CATALOG = {
    "categories": [{"code": "bench", "name_th": "ทดสอบ", "name_en": "Bench"}],
    "deed_types": [{
        "code": "bench-deed", "category": "bench", "name_th": "ความดีทดสอบ", "name_en": "Bench deed",
        "pricing": "per_deed", "credit_per_unit": 10, "points_per_unit": 10,
        "virtues": {"honesty": 0.5, "volunteerism": 0.5}, "sdgs": ["16"],
    }],
}  # fmt: skip


def run_case(engine: str, workers: int, provinces: int, deeds: int) -> dict:
    """Runs in the child process: set up, record, verify, measure."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "kwamdee.settings.base"
    os.environ["DJANGO_DEBUG"] = "0"
    if engine == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ["KWAMDEE_VAR_DIR"] = tempfile.mkdtemp(prefix="kwamdee-bench-")
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS kwamdee_bench")
            admin.execute("CREATE DATABASE kwamdee_bench")
        os.environ["DATABASE_URL"] = PG_BENCH
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kwamdee.catalog.models import DeedType
    from kwamdee.catalog.services import catalog_load, catalog_load_default
    from kwamdee.deeds.services import deed_record, deed_verify
    from kwamdee.ledger.verification import ledger_verify
    from kwamdee.organizations.services import membership_grant, organization_create
    from kwamdee.people.models import User
    from kwamdee.people.services import person_signup

    call_command("migrate", verbosity=0)
    catalog_load_default(actor=None)
    catalog_load(actor=None, data=BENCH_CATALOG)
    deed_type = DeedType.objects.get(code="bench-deed")

    verifiers, work = [], {}
    for index, subdistrict in enumerate(SUBDISTRICTS[:provinces]):
        org = organization_create(actor=None, name_th=f"อบต.{index}", kind="local_government",
                                  scope_area_code=subdistrict)  # fmt: skip
        verifier = person_signup(full_name=f"ผู้รับรอง {index}", password="bench-pass-2569",
                                 subdistrict_code=SUBDISTRICTS[(index + 1) % len(SUBDISTRICTS)],
                                 consent_given=True, phone=f"0899{index:06d}")  # fmt: skip
        membership_grant(actor=None, organization=org, person=verifier, role="verifier")
        verifiers.append(User.objects.get(pk=verifier.pk))
        work[index] = []
    today = datetime.now(UTC).date()
    per_person = 20
    for n in range(deeds):
        index = n % provinces
        person_no = n // (per_person * provinces) * provinces + index
        phone = f"08{person_no + 10:08d}"
        person = User.objects.filter(phone=phone).first() or person_signup(
            full_name=f"คนดี {person_no}", password="bench-pass-2569", consent_given=True,
            subdistrict_code=SUBDISTRICTS[index], phone=phone,
        )  # fmt: skip
        deed = deed_record(actor=person, deed_type_public_id=deed_type.public_id,
                           performed_on=today, description="ทดสอบ")  # fmt: skip
        work[index].append(deed.public_id)
    connection.close()

    # Each worker is a process (not a thread: the GIL would serialize the Python side) with its
    # own connection; workers sharing a province split its deeds.
    per_worker: dict[int, list] = {w: [] for w in range(workers)}
    for province, ids in work.items():
        owners = [w for w in range(workers) if w % provinces == province] or [province % workers]
        for k, public_id in enumerate(ids):
            per_worker[owners[k % len(owners)]].append((province, public_id))
    errors = multiprocessing.get_context("fork").Queue()

    def verify(worker: int) -> None:
        try:
            for province, public_id in per_worker[worker]:
                deed_verify(actor=User.objects.get(pk=verifiers[province].pk), deed_public_id=public_id)
        except Exception as exc:  # a failure must show in the results, not vanish with the worker
            errors.put(repr(exc))
        finally:
            connection.close()

    pool = [multiprocessing.get_context("fork").Process(target=verify, args=(w,)) for w in range(workers)]
    started = time.perf_counter()
    for process in pool:
        process.start()
    for process in pool:
        process.join()
    elapsed = time.perf_counter() - started
    failures = []
    while not errors.empty():
        failures.append(errors.get())

    from kwamdee.deeds.models import Deed
    from kwamdee.ledger.models import LedgerTransaction

    verified = Deed.objects.filter(status="verified").count()
    started = time.perf_counter()
    report = ledger_verify()
    verify_seconds = time.perf_counter() - started
    return {
        "engine": engine, "workers": workers, "provinces": provinces, "deeds": deeds,
        "verified": verified, "transactions": LedgerTransaction.objects.count(),
        "seconds": round(elapsed, 3), "verifications_per_second": round(verified / elapsed, 1),
        "ledger_verify_seconds": round(verify_seconds, 3), "ledger_ok": report.ok,
        "postings": report.postings, "errors": failures[:3],
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deeds", type=int, default=1200)
    parser.add_argument("--case", help="engine,threads,provinces (internal: one case)")
    args = parser.parse_args()
    if args.case:
        engine, workers, provinces = args.case.split(",")
        print(json.dumps(run_case(engine, int(workers), int(provinces), args.deeds)))
        return
    results = []
    for engine, workers, provinces in CASES:
        case = f"{engine},{workers},{provinces}"
        command = [sys.executable, __file__, "--case", case, "--deeds", str(args.deeds)]
        out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(result)
        print(
            f"{engine:10} workers={workers} provinces={provinces}: {result['verifications_per_second']:7.1f} "
            f"verifications/s ({result['verified']}/{result['deeds']} in {result['seconds']} s); "
            f"ledger_verify {result['ledger_verify_seconds']} s for {result['postings']} postings"
        )
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    (ROOT / "bench" / "results" / "verify_throughput.json").write_text(
        json.dumps({"run_at": stamp, "machine": machine, "results": results}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
