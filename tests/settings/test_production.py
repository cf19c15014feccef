"""Production refuses to start with a weak or missing key, or without PostgreSQL.

The settings module is imported in a fresh interpreter with exactly the environment given, as a
server would import it; the checks themselves are also tried in-process."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kwamdee.settings.checks import distinct_keys, postgres_url, strong_key

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "KWAMDEE_NATIONAL_ID_KEY": secrets.token_urlsafe(64),
    "KWAMDEE_LEDGER_KEY": secrets.token_urlsafe(32),
    "KWAMDEE_LEDGER_SIGNING_KEY": secrets.token_hex(32),
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/kwamdee",
}


def _import_production(tmp_path, **changes):
    """Imports kwamdee.settings.production with GOOD changed by `changes` (None removes one)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KWAMDEE_", "DATABASE_"))}
    env |= {"KWAMDEE_VAR_DIR": str(tmp_path)} | GOOD
    for name, value in changes.items():
        if value is None:
            env.pop(name)
        else:
            env[name] = value
    code = "import kwamdee.settings.production as s; print(s.DEBUG, s.LEDGER_MAC_KEY, s.DATABASES['default']['ENGINE'])"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_strong_keys_and_postgresql_are_accepted(tmp_path):
    done = _import_production(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", GOOD["KWAMDEE_LEDGER_KEY"], "django.db.backends.postgresql"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY is not set"),
        ({"DJANGO_SECRET_KEY": "x" * 20 + "abcde"}, "DJANGO_SECRET_KEY is too short"),
        (
            {"DJANGO_SECRET_KEY": "django-insecure-" + secrets.token_urlsafe(48)},
            "DJANGO_SECRET_KEY is a development key",
        ),
        ({"KWAMDEE_NATIONAL_ID_KEY": "abab" * 20}, "KWAMDEE_NATIONAL_ID_KEY has fewer than 5 distinct"),
        ({"KWAMDEE_LEDGER_KEY": None}, "KWAMDEE_LEDGER_KEY is not set"),
        ({"KWAMDEE_LEDGER_SIGNING_KEY": None}, "KWAMDEE_LEDGER_SIGNING_KEY must be 64 hexadecimal"),
        (
            {
                "KWAMDEE_LEDGER_SIGNING_KEY": "9d1f5c0e3b7a4d2e8f6a1c3b5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d0e"
            },
            "KWAMDEE_LEDGER_SIGNING_KEY is the development key",
        ),
        ({"KWAMDEE_LEDGER_KEY": secrets.token_hex(32)[:31]}, "KWAMDEE_LEDGER_KEY is too short (31 < 32"),
        (
            {"KWAMDEE_NATIONAL_ID_KEY": GOOD["DJANGO_SECRET_KEY"]},
            "DJANGO_SECRET_KEY and KWAMDEE_NATIONAL_ID_KEY must be different",
        ),
        ({"DATABASE_URL": None}, "Production needs DATABASE_URL pointing at PostgreSQL"),
        (
            {"DATABASE_URL": "sqlite:////tmp/kwamdee.sqlite3"},
            "Production needs DATABASE_URL pointing at PostgreSQL",
        ),
    ],
)
def test_refused(tmp_path, changes, message):
    done = _import_production(tmp_path, **changes)
    assert done.returncode != 0
    assert f"ImproperlyConfigured: {message}" in done.stderr
    for key in GOOD.values():
        assert key not in done.stderr  # a refusal never prints a secret


def test_a_32_character_ledger_key_is_enough():
    assert strong_key("K", {"K": "0123456789abcdef" * 2}, min_length=32) == "0123456789abcdef" * 2


@pytest.mark.parametrize(
    "value", ["", "a" * 49 + "b", "aaaabbbbccccdddd" * 4, "django-insecure-" + "0123456789" * 4]
)
def test_weak_secret_keys(value):
    with pytest.raises(ImproperlyConfigured, match="SECRET"):
        strong_key("SECRET", {"SECRET": value})


def test_distinct_keys():
    distinct_keys(A="one", B="two", C="three")
    with pytest.raises(ImproperlyConfigured, match="A and C must be different keys"):
        distinct_keys(A="one", B="two", C="one")


@pytest.mark.parametrize("url", ["postgres://u@h/db", "postgresql://u:p@h:5432/db"])
def test_postgres_urls(url):
    assert postgres_url({"DATABASE_URL": url}) == url


@pytest.mark.parametrize("url", ["", "sqlite:///x.sqlite3", "mysql://u@h/db", "postgis://u@h/db"])
def test_other_databases_refused(url):
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        postgres_url({"DATABASE_URL": url})


def test_the_deploy_check_finds_nothing_to_warn_about(tmp_path):
    """`manage.py check --deploy` with the production settings: no warning (issue 9)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KWAMDEE_", "DATABASE_"))}
    env |= GOOD | {"KWAMDEE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kwamdee.settings.production"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
