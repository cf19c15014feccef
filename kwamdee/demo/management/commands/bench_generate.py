"""Generates a synthetic country for benchmarks: people, their verified deeds, and the ledger
behind them, written with PostgreSQL's COPY (`make bench`, docs/scaling.md "Benchmark").

What it writes is what the services would have written, so every check still holds:

- people (`people_user`) with a membership consent and the citizen role; no password (unusable);
- one verified deed per credited transaction, of a national deed type, priced by the rule in
  force and split by its virtue weights as `deeds.services._credits_plan` splits them;
- the ledger: each deed's entry on its person's province shard chain (`deeds.ledger`), hashed and
  sealed as `ledger.services` hashes them (format 2: the accounts' holder, kind and sub-account),
  following the chain's head, so `ledger_verify` passes; person accounts with their balances,
  issuance balances and chain heads moved by the same amounts.

No audit events: this is a history nobody lived. For a bench or test database only: it refuses a
database whose name neither starts with `test_` nor holds `bench`, unless `--any-database`.

    python manage.py bench_generate --people 100000 --deeds 300000
"""

import json
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

import geothai
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from kwamdee.catalog.choices import Pricing
from kwamdee.catalog.selectors import deed_types_national, national_rule_in_force
from kwamdee.catalog.services import catalog_load_default
from kwamdee.common.actors import SystemActor
from kwamdee.common.roles import Role
from kwamdee.deeds.choices import DeedStatus
from kwamdee.deeds.ledger import (
    DEED_CREDIT,
    DEED_SOURCE,
    ISSUANCE,
    deed_chain_key,
    deed_shard,
    issuance_account_key,
)
from kwamdee.deeds.pricing import amount_for, split_by_weight
from kwamdee.deeds.selectors import deed_virtue_weights
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.hashing import CURRENT_FORMAT, entry_hash, entry_mac

# The services' own name for the genesis hash (the ledger's models are its own to import).
from kwamdee.ledger.services import GENESIS_HASH, AccountKey
from kwamdee.people.accounts import PERSON_CREDIT, PERSON_POINTS
from kwamdee.people.choices import ConsentPurpose

GENERATOR = SystemActor("bench_generate")
BANGKOK = "10"
UNITS = ((Unit.CREDIT, PERSON_CREDIT), (Unit.POINTS, PERSON_POINTS))
FIRST_NAMES = ["สมชาย", "สมหญิง", "ประเสริฐ", "บุญมา", "มาลี", "สุดา", "วิชัย", "อำไพ", "ทองดี", "จันทร์เพ็ญ"]
LAST_NAMES = ["ใจดี", "รักดี", "มีสุข", "ศรีสุข", "บุญเรือง", "แก้วมณี", "สุขสันต์", "ทองคำ", "พรหมมา", "วงศ์ไทย"]
DESCRIPTIONS = ["ช่วยงานชุมชน", "ช่วยเหลือเพื่อนบ้าน", "ทำความดีตามรายการ", "ร่วมกิจกรรมของตำบล"]
# Entries hashed and written per round of chains (bounds the memory, whatever the country's size).
CHUNK_DEEDS = 20000


@dataclass
class Generated:
    people: int = 0
    deeds: int = 0
    transactions: int = 0
    postings: int = 0
    accounts: int = 0
    chains: int = 0
    seconds: float = 0.0
    people_by_province: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Kind:
    """A deed type as priced today: its rule, weights, memo and how a quantity is drawn."""

    deed_type_id: int
    rule_id: int
    pricing: str
    credit_per_unit: int
    points_per_unit: int
    weights: dict[str, Decimal]
    memo: dict[str, Any]


def _ids_reserve(cursor: Any, table: str, count: int) -> int:
    """Takes `count` consecutive ids of `table`'s identity column; returns the first. The table is
    locked against inserts until the transaction ends, so nobody else draws from it meanwhile."""
    cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608 (a catalog name)
    last, called = cursor.fetchone()
    first = last + 1 if called else last
    cursor.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
    return int(first)


def _subdistricts() -> list[str]:
    return [
        s.code
        for p in geothai.provinces()
        for d in geothai.districts(p.code)
        for s in geothai.subdistricts(d.code)
    ]


def _kinds(today: Any) -> list[_Kind]:
    if not deed_types_national().exists():
        catalog_load_default(actor=GENERATOR)
    kinds = []
    for deed_type in deed_types_national():
        rule = national_rule_in_force(deed_type, today)
        if rule is None:
            continue
        # What a deed of this type weighs under the rule (the deed itself is not needed).
        weights = deed_virtue_weights(cast(Any, SimpleNamespace(deed_type=deed_type)), rule)
        memo = {"deed_type": deed_type.code, "rule_version": rule.version,
                "rule_effective_from": rule.effective_from.isoformat()}  # fmt: skip
        kinds.append(
            _Kind(deed_type.pk, rule.pk, deed_type.pricing, rule.credit_per_unit, rule.points_per_unit,
                  weights, memo)
        )  # fmt: skip
    if not kinds:
        raise CommandError("no national deed type has a rule in force today")
    return kinds


def _priced(kind: _Kind, quantity: Decimal, cache: dict[tuple[str, Decimal], Any]) -> Any:
    """Credit, points and the legs' shares (unit, person account kind, virtue, share), as
    `deeds.services._credits_plan` prices a deed; cached, since only the quantity varies."""
    key = (kind.memo["deed_type"], quantity)
    if key not in cache:
        credit = amount_for(kind.credit_per_unit, quantity)
        points = amount_for(kind.points_per_unit, quantity)
        shares = [
            (unit, person_kind, code, share)
            for unit, person_kind in UNITS
            for code, share in split_by_weight(
                credit if unit == Unit.CREDIT else points, kind.weights
            ).items()
        ]
        cache[key] = (credit, points, shares)
    return cache[key]


def _quantity(kind: _Kind, rng: random.Random) -> Decimal:
    if kind.pricing == Pricing.PER_HOUR:
        return Decimal(rng.choice(["1.00", "1.50", "2.00", "3.00", "4.00"]))
    if kind.pricing == Pricing.PER_UNIT:
        return Decimal(rng.randint(1, 20))
    return Decimal(1)


def database_is_for_benchmarks() -> bool:
    name = str(connection.settings_dict.get("NAME") or "")
    return name.startswith("test_") or "bench" in name


@transaction.atomic
def country_generate(
    *, people: int, deeds: int, seed: int = 2569, bangkok_share: float = 0.15, days: int = 365,
    log: Any = None,
) -> Generated:  # fmt: skip
    """Writes `people` people and `deeds` verified deeds with their ledger entries (see the module)."""
    if connection.vendor != "postgresql":
        raise CommandError("bench_generate writes with COPY: it needs PostgreSQL (DATABASE_URL)")
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (a synthetic country, reproducible from its seed)
    now = timezone.now().astimezone(UTC).replace(microsecond=0)
    kinds = _kinds(now.date())
    virtues = sorted({code for kind in kinds for code in kind.weights})
    per_person = len(UNITS) * len(virtues)  # account ids reserved per person
    subdistricts = _subdistricts()
    bangkok = [code for code in subdistricts if code.startswith(BANGKOK)]
    citizen = Group.objects.get_or_create(name=Role.CITIZEN)[0].pk
    report = Generated(people=people, deeds=deeds)

    def say(message: str) -> None:
        if log:
            log(f"bench_generate: {message} ({time.perf_counter() - started:.1f} s)")

    # psycopg's own cursor: Django's wrapper has no COPY.
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        # The ledger's lock order: chain heads first (locked below), then accounts; no writer
        # runs beside a generator, but a chain head is always taken before anything else.
        first_user = _ids_reserve(cursor, "people_user", people)

        # People: where they live (Bangkok gets its share, the rest is spread by subdistrict).
        homes = [
            rng.choice(bangkok) if rng.random() < bangkok_share else rng.choice(subdistricts)
            for _ in range(people)
        ]
        refs = [uuid.uuid4() for _ in range(people)]
        joined = [now - timedelta(days=days, seconds=rng.randint(0, 86400 * 30)) for _ in range(people)]
        with cursor.copy(
            "COPY people_user (id, password, is_superuser, username, first_name, last_name, is_staff, "
            "is_active, date_joined, public_id, ledger_ref, full_name, phone, subdistrict_code, "
            "district_code, province_code) FROM STDIN"
        ) as copy:
            for n in range(people):
                pk, home = first_user + n, homes[n]
                phone = f"06{pk % 100_000_000:08d}"
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                copy.write_row(
                    (pk, "!bench-generated", False, phone, "", "", False, True, joined[n],
                     uuid.uuid4(), refs[n], name, phone, home,
                     home[:4], home[:2])
                )  # fmt: skip
        with cursor.copy(
            "COPY people_consent (created_at, updated_at, person_id, purpose, notice_version, given_at) "
            "FROM STDIN"
        ) as copy:
            for n in range(people):
                copy.write_row(
                    (joined[n], joined[n], first_user + n, ConsentPurpose.MEMBERSHIP,
                     settings.CONSENT_NOTICE_VERSION, joined[n])
                )  # fmt: skip
        with cursor.copy("COPY people_user_groups (user_id, group_id) FROM STDIN") as copy:
            for n in range(people):
                copy.write_row((first_user + n, citizen))
        report.people_by_province = dict(Counter(home[:2] for home in homes))
        say(f"{people} people")

        # Deeds: each to a person drawn at random; a person's deeds go on their shard's chain.
        counts = Counter(rng.randrange(people) for _ in range(deeds)) if people else Counter()
        shards = {n: deed_shard(homes[n][:2], refs[n]) for n in counts}
        by_chain: dict[str, list[int]] = defaultdict(list)
        for n in sorted(counts):
            by_chain[deed_chain_key(shards[n])].append(n)
        chain_keys = sorted(by_chain)
        heads = _heads_lock(cursor, chain_keys)
        report.chains = len(chain_keys)

        issuance_keys = {
            issuance_account_key(shard, unit, code)
            for shard in set(shards.values())
            for unit, _kind in UNITS
            for code in virtues
        }
        issuance_facts = _issuance_accounts(cursor, issuance_keys)
        issued: dict[int, int] = defaultdict(int)

        next_account = _ids_reserve(cursor, "ledger_account", people * per_person)
        priced: dict[tuple[str, Decimal], Any] = {}
        first_tx = _ids_reserve(cursor, "ledger_ledgertransaction", deeds)
        first_deed = _ids_reserve(cursor, "deeds_deed", deeds)
        say("ids reserved, issuance accounts ready")

        next_id = 0  # the n-th deed: its transaction is first_tx + n, the deed first_deed + n
        span = max(1, days * 86400 - 3600)
        for chunk in _chunks(chain_keys, by_chain, counts):
            tx_rows, posting_rows, deed_rows = [], [], []
            balances: dict[int, int] = defaultdict(int)
            account_rows: dict[int, tuple[Any, ...]] = {}
            # A person's deeds are all on one chain, so their accounts are all made in one round.
            person_accounts: dict[tuple[int, str, str], tuple[int, tuple[Any, ...]]] = {}
            for chain_key in chunk:
                planned = []
                for n in by_chain[chain_key]:
                    for _ in range(counts[n]):
                        planned.append((now - timedelta(seconds=rng.randint(60, span)), n))
                planned.sort()
                seq, prev_hash = heads[chain_key]
                for created_at, n in planned:
                    kind = rng.choice(kinds)
                    quantity = _quantity(kind, rng)
                    credit, points, shares = _priced(kind, quantity, priced)
                    legs: list[tuple[int, tuple[Any, ...], int]] = []  # account id, facts, amount
                    for unit, person_kind, code, share in shares:
                        source_id, source_facts = issuance_facts[issuance_account_key(shards[n], unit, code)]
                        target = person_accounts.get((n, unit, code))
                        if target is None:
                            # Ids in the order of first use: each round's accounts follow the last.
                            public_id = uuid.uuid4()
                            target = (next_account, (public_id, refs[n], person_kind, unit, code))
                            person_accounts[(n, unit, code)] = target
                            account_rows[next_account] = (
                                next_account,
                                public_id,
                                joined[n],
                                refs[n],
                                person_kind,
                                unit,
                                code,
                            )
                            next_account += 1
                        legs += [(source_id, source_facts, -share), (target[0], target[1], share)]
                    if not legs:
                        continue
                    seq += 1
                    tx_id, deed_id = first_tx + next_id, first_deed + next_id
                    next_id += 1
                    deed_public_id = uuid.uuid4()
                    key = f"deed:{deed_public_id}:credit"
                    digest = entry_hash(
                        chain_key=chain_key, seq=seq, prev_hash=prev_hash, created_at=created_at,
                        kind=DEED_CREDIT, idempotency_key=key, reverses=None, memo=kind.memo,
                        source=(DEED_SOURCE, str(deed_public_id)),
                        postings=[(*facts, amount) for _id, facts, amount in legs],
                    )  # fmt: skip
                    tx_rows.append(
                        (tx_id, uuid.uuid4(), created_at, chain_key,
                         seq, prev_hash, digest, DEED_CREDIT, DEED_SOURCE, str(deed_public_id), key,
                         kind.memo, CURRENT_FORMAT, entry_mac(digest))
                    )  # fmt: skip
                    for account_id, facts, amount in legs:
                        posting_rows.append((tx_id, account_id, facts[3], amount))
                        if account_id in account_rows:
                            balances[account_id] += amount
                        else:
                            issued[account_id] += amount
                    recorded = created_at - timedelta(hours=rng.randint(1, 72))
                    deed_rows.append(
                        (deed_id, recorded, created_at, deed_public_id,
                         (recorded - timedelta(days=rng.randint(0, 3))).date(),
                         rng.choice(DESCRIPTIONS), quantity, DeedStatus.VERIFIED, homes[n], homes[n][:2],
                         "", credit, points, created_at, "", "", kind.deed_type_id, tx_id,
                         first_user + n, kind.rule_id)
                    )  # fmt: skip
                    prev_hash = digest
                heads[chain_key] = (seq, prev_hash)
            _copy_chunk(cursor, account_rows, balances, tx_rows, posting_rows, deed_rows)
            report.transactions += len(tx_rows)
            report.postings += len(posting_rows)
            report.accounts += len(account_rows)
            say(f"{report.transactions} entries, {report.postings} postings")

        # The sources' balances and the chains' heads moved by what was written.
        if issued:
            ids, deltas = zip(*sorted(issued.items()), strict=True)
            cursor.execute(
                "UPDATE ledger_account AS a SET balance = a.balance + v.delta "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, delta) WHERE a.id = v.id",
                [list(ids), list(deltas)],
            )
        if heads:
            keys = sorted(heads)
            cursor.execute(
                "UPDATE ledger_chainhead AS c SET seq = v.seq, head_hash = v.head_hash "
                "FROM unnest(%s::text[], %s::bigint[], %s::text[]) AS v(chain_key, seq, head_hash) "
                "WHERE c.chain_key = v.chain_key",
                [keys, [heads[k][0] for k in keys], [heads[k][1] for k in keys]],
            )
        for table in ("people_user", "people_consent", "deeds_deed", "ledger_account",
                      "ledger_ledgertransaction", "ledger_posting"):  # fmt: skip
            cursor.execute(f"ANALYZE {table}")
    report.deeds = report.transactions
    report.seconds = time.perf_counter() - started
    say("done")
    return report


def _issuance_accounts(cursor: Any, keys: set[AccountKey]) -> dict[AccountKey, tuple[int, tuple[Any, ...]]]:
    """The issuance accounts of `keys` as {key: (id, the facts an entry's hash names)}, created
    where missing. Read by holder: thousands of keys in one OR (`accounts_get_or_create`) plan slowly."""
    holders = sorted({k.holder_ref for k in keys})

    def fetch() -> dict[AccountKey, tuple[int, tuple[Any, ...]]]:
        cursor.execute(
            "SELECT id, public_id, holder_ref, kind, unit, virtue_code FROM ledger_account "
            "WHERE kind = %s AND holder_ref = ANY(%s)",
            [ISSUANCE, holders],
        )
        return {AccountKey(*row[2:]): (row[0], tuple(row[1:])) for row in cursor.fetchall()}

    found = fetch()
    missing = sorted(keys - set(found), key=str)  # a fixed order, as the ledger creates them
    if missing:
        cursor.execute(
            "INSERT INTO ledger_account (public_id, created_at, holder_ref, kind, unit, virtue_code, "
            "allow_negative, balance) SELECT gen_random_uuid(), now(), h, k, u, v, true, 0 "
            "FROM unnest(%s::uuid[], %s::text[], %s::text[], %s::text[]) AS m(h, k, u, v) "
            "ON CONFLICT DO NOTHING",
            [list(column) for column in zip(*missing, strict=True)],
        )
        found = fetch()
    return {key: found[key] for key in keys}


def _heads_lock(cursor: Any, chain_keys: list[str]) -> dict[str, tuple[int, str]]:
    """The chains' heads, locked in key order as the ledger locks them (created when missing)."""
    if not chain_keys:
        return {}
    cursor.execute(
        "INSERT INTO ledger_chainhead (chain_key, seq, head_hash) SELECT k, 0, %s FROM unnest(%s::text[]) k "
        "ON CONFLICT DO NOTHING",
        [GENESIS_HASH, chain_keys],
    )
    cursor.execute(
        "SELECT chain_key, seq, head_hash FROM ledger_chainhead WHERE chain_key = ANY(%s) "
        "ORDER BY chain_key FOR UPDATE",
        [chain_keys],
    )
    return {key: (int(seq), digest) for key, seq, digest in cursor.fetchall()}


def _chunks(chain_keys: list[str], by_chain: dict[str, list[int]], counts: Counter) -> Iterator[list[str]]:
    chunk: list[str] = []
    size = 0
    for key in chain_keys:
        chunk.append(key)
        size += sum(counts[n] for n in by_chain[key])
        if size >= CHUNK_DEEDS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _copy_chunk(
    cursor: Any,
    account_rows: dict[int, tuple[Any, ...]],
    balances: dict[int, int],
    tx_rows: list[tuple[Any, ...]],
    posting_rows: list[tuple[Any, ...]],
    deed_rows: list[tuple[Any, ...]],
) -> None:
    with cursor.copy(
        "COPY ledger_account (id, public_id, created_at, holder_ref, kind, unit, virtue_code, "
        "allow_negative, balance) FROM STDIN"
    ) as copy:
        for account_id, row in sorted(account_rows.items()):
            copy.write_row((*row, False, balances[account_id]))
    with cursor.copy(
        "COPY ledger_ledgertransaction (id, public_id, created_at, chain_key, seq, prev_hash, entry_hash, "
        "kind, source_kind, source_id, idempotency_key, memo, format, mac) FROM STDIN"
    ) as copy:
        for row in tx_rows:
            copy.write_row((*row[:11], json.dumps(row[11], ensure_ascii=False, sort_keys=True), *row[12:]))
    with cursor.copy("COPY ledger_posting (transaction_id, account_id, unit, amount) FROM STDIN") as copy:
        # In the covering index's order: each round's inserts land together, not all over it.
        for row in sorted(posting_rows, key=lambda r: (r[1], r[0])):
            copy.write_row(row)
    with cursor.copy(
        "COPY deeds_deed (id, created_at, updated_at, public_id, performed_on, description, quantity, "
        "status, subdistrict_code, province_code, submission_fingerprint, credit_awarded, points_awarded, "
        "decided_at, rejection_reason, rejection_code, deed_type_id, ledger_transaction_id, person_id, "
        "rule_version_id) "
        "FROM STDIN"
    ) as copy:
        for row in deed_rows:
            copy.write_row(row)


class Command(BaseCommand):
    help = "Write a synthetic country (people, verified deeds, a valid ledger) with COPY, for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True)
        parser.add_argument("--deeds", type=int, help="verified deeds in all (default: 3 per person)")
        parser.add_argument("--seed", type=int, default=2569)
        parser.add_argument("--bangkok-share", type=float, default=0.15)
        parser.add_argument("--days", type=int, default=365, help="the deeds' time span, ending now")
        parser.add_argument("--any-database", action="store_true", help="write to any database name")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["any_database"] and not database_is_for_benchmarks():
            raise CommandError(
                "bench_generate writes a fake country: it runs only on a database named test_… or "
                "holding 'bench' (or pass --any-database)"
            )
        people = options["people"]
        report = country_generate(
            people=people, deeds=3 * people if options["deeds"] is None else options["deeds"],
            seed=options["seed"], bangkok_share=options["bangkok_share"], days=options["days"],
            log=self.stdout.write if options["verbosity"] > 1 else None,
        )  # fmt: skip
        self.stdout.write(
            f"{report.people} people, {report.deeds} deeds, {report.transactions} ledger entries, "
            f"{report.postings} postings, {report.accounts} person accounts, {report.chains} chains "
            f"in {report.seconds:.1f} s"
        )
