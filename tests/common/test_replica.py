"""Against a real PostgreSQL streaming replica (.ci/replica starts one on 127.0.0.1:5433): reads
marked replica-safe are served by the replica server, and the replica's lag never shows a person
a stale balance, nor a stale page, after their own write.

The test database the runner creates on the primary streams to the replica by itself (physical
replication copies the whole cluster), so `replica_1` mirrors `default` by name only: it is a
second server. The tests commit (transaction=True), so that their rows stream over; the lag is
made real by pausing the replica's replay (`pg_wal_replay_pause()`).

Run: .ci/replica, then DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:5433/postgres pytest -m replica.
.ci/run sets KWAMDEE_REQUIRE_REPLICA=1 there, which turns a missing replica into a failure."""

import os
import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kwamdee.catalog.models import DeedType
from kwamdee.common.db_router import PIN_COOKIE, ReplicaRouter, replica_reads
from kwamdee.common.roles import role_grant
from kwamdee.deeds.services import deed_record, deed_verify
from kwamdee.ledger.choices import Unit
from kwamdee.ledger.selectors import holder_balances
from kwamdee.passbook.selectors import passbook_get
from kwamdee.people.accounts import PERSON_KINDS
from tests.factories import SYSTEM, days_ago, load_small_catalog, make_person, make_verifier

REPLICA = "replica_1"
REQUIRED = os.environ.get("KWAMDEE_REQUIRE_REPLICA") == "1"
CONFIGURED = REPLICA in settings.DATABASES and connections["default"].vendor == "postgresql"
HOW = (
    "needs PostgreSQL and a real streaming replica: run .ci/replica, then set DATABASE_URL=postgres://"
    "postgres@127.0.0.1:5432/<db> and DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:5433/<db>"
)

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(not CONFIGURED and not REQUIRED, reason=HOW),
    # replica_1 is a TEST MIRROR: the runner neither creates nor flushes it, it streams.
    pytest.mark.django_db(transaction=True, databases="__all__"),
]

router = ReplicaRouter()


def _one(alias, sql, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _wait(condition, what, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except OperationalError:  # the test database may not have reached the replica yet
            connections[REPLICA].close()
        if time.monotonic() > deadline:
            pytest.fail(f"the replica did not {what} within {timeout:.0f} s")
        time.sleep(0.05)


def _caught_up():
    """Waits until the replica has replayed everything the primary has written so far."""
    [lsn] = _one("default", "SELECT pg_current_wal_lsn()::text")
    _wait(lambda: _one(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])[0], "catch up")


@contextmanager
def _replay_paused():
    """Real lag: the replica still receives the primary's WAL but applies none of it."""
    _one(REPLICA, "SELECT pg_wal_replay_pause()")
    _wait(lambda: _one(REPLICA, "SELECT pg_get_wal_replay_pause_state()")[0] == "paused", "pause")
    try:
        yield
    finally:
        _one(REPLICA, "SELECT pg_wal_replay_resume()")


@pytest.fixture
def replica(settings):
    if not CONFIGURED:
        pytest.fail(f"KWAMDEE_REQUIRE_REPLICA=1, but there is no replica: {HOW}")
    settings.DATABASE_REPLICAS = [REPLICA]  # the test settings keep every other test on the primary
    settings.REPLICA_PIN_SECONDS = 120
    _wait(lambda: _one(REPLICA, "SELECT pg_is_in_recovery()")[0], "accept connections")
    _one(REPLICA, "SELECT pg_wal_replay_resume()")  # in case an interrupted run left it paused
    yield REPLICA
    _one(REPLICA, "SELECT pg_wal_replay_resume()")


def _credit(person):
    balances = holder_balances(holder_ref=person.ledger_ref, kinds=PERSON_KINDS)
    return sum(b.amount for b in balances if b.unit == Unit.CREDIT)


def _verified(person, verifier, deed_type, quantity=None):
    deed = deed_record(
        actor=person, deed_type_public_id=deed_type.public_id, performed_on=days_ago(1),
        description="ดี", quantity=quantity,
    )  # fmt: skip
    return deed_verify(actor=verifier, deed_public_id=deed.public_id)


def test_a_replica_safe_read_is_served_by_the_replica_server(replica, client):
    load_small_catalog()
    _caught_up()

    with replica_reads():
        alias = router.db_for_read(DeedType)
        assert alias == replica
        in_recovery, port = _one(alias, "SELECT pg_is_in_recovery(), inet_server_port()")
    assert in_recovery is True and port == int(connections[replica].settings_dict["PORT"])
    assert _one("default", "SELECT pg_is_in_recovery(), inet_server_port()") != (True, port)

    # The public pages and the export, for a visitor: every query goes to the replica server.
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[replica]) as on_replica,
    ):
        assert client.get("/catalog/").status_code == 200
        assert client.get("/catalog/tree-planting/").status_code == 200
        assert client.get("/catalog/export/json/").status_code == 200
    assert len(on_replica) > 0
    assert [q["sql"] for q in on_primary] == []
    # A person's own page is not replica-safe: it never touches the replica.
    client.force_login(make_person(name="ผู้อ่าน"))
    with CaptureQueriesContext(connections[replica]) as on_replica:
        assert client.get("/passbook/").status_code == 200
    assert len(on_replica) == 0


def test_replica_lag_never_shows_a_person_a_stale_balance_after_their_own_write(replica, client):
    deed_types = load_small_catalog()
    person, verifier = make_person(), make_verifier()
    _verified(person, verifier, deed_types["returning-lost-property"])
    before = _credit(person)
    _caught_up()
    client.force_login(person)

    with _replay_paused():
        # The person's deed is verified: their credit grows on the primary only.
        _verified(person, verifier, deed_types["tree-planting"], quantity="3")
        after = _credit(person)
        assert after > before

        with replica_reads():
            # The lag is real: a replica-safe read of the same balance (a dashboard's) is stale...
            assert router.db_for_read(DeedType) == replica
            assert _credit(person) == before
            # ...but the person's own balance comes from the primary, even inside replica_reads(),
            assert passbook_get(person=person).credit_total == after
            # and so does their passbook page, even were the whole site marked replica-safe.
            with CaptureQueriesContext(connections[replica]) as on_replica:
                response = client.get("/passbook/")
            assert response.context["book"].credit_total == after
            assert len(on_replica) == 0

    _caught_up()
    with replica_reads():
        assert _credit(person) == after  # once replayed, the replica agrees


FORM = {
    "code": "canal-cleanup", "category": "volunteering", "name_th": "ลอกคลอง",
    "name_en": "Canal clean-up", "pricing": "per_hour", "credit_per_unit": "6",
    "points_per_unit": "6", "evidence": "none", "verifier": "organization",
    "weight_volunteerism": "1", "sdgs": "11", "adjust_bound_pct": "50", "is_active": "on",
}  # fmt: skip


def test_who_just_saved_a_page_sees_it_there_however_far_the_replica_lags(replica, client):
    load_small_catalog()
    staff = make_person(name="เจ้าหน้าที่")
    with transaction.atomic():
        role_grant(actor=SYSTEM, person=staff, role="staff")
    client.force_login(staff)
    assert client.post("/catalog/manage/new/", FORM).status_code == 302
    _caught_up()
    visitor = Client()
    assert "ลอกคลอง" in visitor.get("/catalog/canal-cleanup/").content.decode()

    with _replay_paused():
        # Staff rename the deed type: the POST pins their browser to the primary.
        response = client.post("/catalog/manage/canal-cleanup/", FORM | {"name_th": "ลอกคูคลอง"})
        assert response.status_code == 302 and PIN_COOKIE in response.cookies

        with CaptureQueriesContext(connections[replica]) as on_replica:
            own = client.get("/catalog/canal-cleanup/").content.decode()
        assert "ลอกคูคลอง" in own and len(on_replica) == 0
        # A visitor's view of the same public page comes from the lagging replica: the old name.
        seen = visitor.get("/catalog/canal-cleanup/").content.decode()
        assert "ลอกคลอง" in seen and "ลอกคูคลอง" not in seen

    _caught_up()
    assert "ลอกคูคลอง" in visitor.get("/catalog/canal-cleanup/").content.decode()
