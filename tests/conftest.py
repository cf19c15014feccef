import pytest
from django.db import connection

from tests.factories import load_small_catalog, make_person, make_verifier


@pytest.fixture
def deed_types(db):
    return load_small_catalog()


@pytest.fixture
def citizen(db):
    return make_person()


@pytest.fixture
def verifier(db):
    return make_verifier()


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); .ci/run runs this suite there")


@pytest.fixture(autouse=True)
def _rules_cache_empty():
    """Each test starts with an empty per-process rule cache (ids are reused between tests)."""
    from kwamdee.catalog.selectors import rules_cache_clear

    rules_cache_clear()


def pytest_configure(config):
    """Transactional tests empty every table between cases, append-only ones included: what only
    the database's owner can do, so the triggers are stepped around for that (and only that)."""
    from django.db import connections
    from django.test import TransactionTestCase

    from kwamdee.common.append_only import append_only_suspended

    original = TransactionTestCase._fixture_teardown

    def teardown(self):
        with append_only_suspended(connections["default"]):
            original(self)

    TransactionTestCase._fixture_teardown = teardown


@pytest.fixture(autouse=True)
def _checkpoints_in_a_temporary_directory(settings, tmp_path):
    """Published checkpoints go to each test's own directory, never to var/."""
    settings.LEDGER_CHECKPOINT_DIR = tmp_path / "checkpoints"
