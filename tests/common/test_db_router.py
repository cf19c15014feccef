"""The router's decisions: the primary unless a read is marked replica-safe, and even then the
primary for a person's own pages, for whoever just wrote, inside a write and for sign-in state.
(tests/common/test_replica.py proves the same against a real streaming replica.)"""

import pytest
from django.contrib.sessions.models import Session
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from kwamdee.catalog.models import DeedType
from kwamdee.common.db_router import (
    PIN_COOKIE,
    ReadYourWritesMiddleware,
    ReplicaRouter,
    primary_reads,
    replica_reads,
)
from kwamdee.ledger.models import Account
from kwamdee.people.models import User
from kwamdee.settings.base import replica_databases

router = ReplicaRouter()
REPLICAS = ["replica_1", "replica_2"]


@pytest.fixture
def replicas(settings):
    settings.DATABASE_REPLICAS = REPLICAS
    settings.REPLICA_PIN_SECONDS = 15
    return REPLICAS


def test_reads_go_to_the_primary_unless_marked_replica_safe(replicas):
    assert router.db_for_read(DeedType) == "default"
    with replica_reads():
        chosen = router.db_for_read(DeedType)
        assert chosen in replicas
        # one page, one replica: later reads (and nested blocks) do not hop between replicas
        with replica_reads():
            assert {router.db_for_read(Account) for _ in range(20)} == {chosen}
    assert router.db_for_read(DeedType) == "default"


def test_without_replicas_everything_reads_from_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    with replica_reads():
        assert router.db_for_read(DeedType) == "default"


def test_a_persons_own_reads_stay_on_the_primary_inside_a_replica_safe_page(replicas):
    with replica_reads():
        with primary_reads():
            assert router.db_for_read(Account) == "default"
        assert router.db_for_read(Account) in replicas


def test_primary_reads_works_as_a_decorator(replicas):
    @primary_reads()
    def own_balance():
        return router.db_for_read(Account)

    with replica_reads():
        assert own_balance() == "default"


def test_sign_in_state_and_people_are_read_from_the_primary(replicas):
    with replica_reads():
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(User) == "default"


def test_a_related_row_is_read_from_where_its_parent_came(replicas):
    parent = DeedType(code="x")
    parent._state.db = "default"
    with replica_reads():
        assert router.db_for_read(DeedType, instance=parent) == "default"
        parent._state.db = "replica_2"
        assert router.db_for_read(DeedType, instance=parent) == "replica_2"


@pytest.mark.django_db
def test_a_read_inside_a_write_reads_from_the_primary(replicas):
    # the test runs inside a transaction on the primary, as a service's reads do
    assert connections["default"].in_atomic_block
    with replica_reads():
        assert router.db_for_read(DeedType) == "default"


def test_writes_and_migrations_only_on_the_primary(replicas):
    with replica_reads():
        assert router.db_for_write(DeedType) == "default"
    assert router.allow_migrate("default", "catalog")
    assert not router.allow_migrate("replica_1", "catalog")


def test_rows_of_the_primary_and_of_a_replica_may_relate(replicas):
    a, b, other = DeedType(), DeedType(), DeedType()
    a._state.db, b._state.db, other._state.db = "default", "replica_1", "elsewhere"
    assert router.allow_relation(a, b) is True
    assert router.allow_relation(a, other) is None


def _middleware_run(request, *, write=False):
    seen = {}

    def view(request):
        if write:
            router.db_for_write(DeedType)
        with replica_reads():
            seen["read"] = router.db_for_read(DeedType)
        return HttpResponse("ok")

    response = ReadYourWritesMiddleware(view)(request)
    return seen["read"], response


def test_a_get_from_a_browser_that_did_not_write_may_read_a_replica(replicas, rf: RequestFactory):
    read, response = _middleware_run(rf.get("/catalog/"))
    assert read in replicas
    assert PIN_COOKIE not in response.cookies


def test_a_post_reads_from_the_primary_and_pins_the_browser(replicas, rf: RequestFactory):
    read, response = _middleware_run(rf.post("/catalog/manage/x/"))
    assert read == "default"
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 15 and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_pinned_browser_reads_from_the_primary(replicas, rf: RequestFactory):
    request = rf.get("/catalog/")
    request.COOKIES[PIN_COOKIE] = "1"
    read, _ = _middleware_run(request)
    assert read == "default"


def test_a_get_that_wrote_pins_the_browser(replicas, rf: RequestFactory):
    _, response = _middleware_run(rf.get("/somewhere/"), write=True)
    assert PIN_COOKIE in response.cookies


def test_no_pin_cookie_without_replicas(settings, rf: RequestFactory):
    settings.DATABASE_REPLICAS = []
    _, response = _middleware_run(rf.post("/catalog/manage/x/"))
    assert PIN_COOKIE not in response.cookies


def test_replica_urls_become_mirrored_aliases():
    databases = replica_databases(
        " postgres://app@replica-a:5432/kwamdee, postgres://app@replica-b:5432/kwamdee ,"
    )
    assert list(databases) == ["replica_1", "replica_2"]
    assert databases["replica_2"]["HOST"] == "replica-b"
    assert databases["replica_1"]["NAME"] == "kwamdee"
    assert databases["replica_1"]["TEST"] == {"MIRROR": "default"}
    assert replica_databases("") == {}
