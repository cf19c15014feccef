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
