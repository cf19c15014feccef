"""The production command, for real: gunicorn from this repository with production settings, on a
fresh PostgreSQL database, after migrate and collectstatic, as `make serve` runs them.

Skipped only when no PostgreSQL answers on 127.0.0.1:5432 (production refuses anything else)."""

import os
import re
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture
def database():
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432: {error}")
    name = f"kwamdee_serve_{uuid.uuid4().hex[:12]}"  # never the name of a concurrent run's
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{SERVER}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, headers: dict[str, str] | None = None):
    """(status, headers, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_gunicorn_serves_the_site_its_static_files_and_healthz(database, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KWAMDEE_", "DATABASE_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "kwamdee.settings.production",
        "DATABASE_URL": database,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "KWAMDEE_NATIONAL_ID_KEY": secrets.token_urlsafe(64),
        "KWAMDEE_LEDGER_KEY": secrets.token_urlsafe(32),
        "KWAMDEE_LEDGER_SIGNING_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "KWAMDEE_STATIC_ROOT": str(tmp_path / "static"),
        "KWAMDEE_VAR_DIR": str(tmp_path / "var"),
        "WEB_CONCURRENCY": "2",
    }
    bin_dir = Path(sys.executable).parent

    def manage(*args):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr

    manage("migrate", "--noinput", "--verbosity", "0")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    assert (tmp_path / "static" / "staticfiles.json").exists()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen([bin_dir / "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.1)

        # No task worker yet: 503 naming it (and over plain HTTP: the probe is not redirected).
        status, headers, body = _get(f"{base}/healthz")
        assert status == 503, body
        assert body == b'{"database": true, "migrations": true, "task_worker": false}'
        assert "no-store" in headers["Cache-Control"]
        # A worker takes the canary the probe queued; then all is well.
        manage("db_worker", "--batch", "--no-startup-delay", "--verbosity", "0")
        status, _, body = _get(f"{base}/healthz")
        assert (status, body) == (200, b'{"database": true, "migrations": true, "task_worker": true}')

        # Pages over plain HTTP go to HTTPS; behind the TLS proxy (trusted from 127.0.0.1) they render.
        status, headers, _ = _get(f"{base}/")
        assert status == 301 and headers["Location"] == f"https://127.0.0.1:{port}/"
        status, headers, page = _get(f"{base}/", {"X-Forwarded-Proto": "https"})
        assert status == 200, page
        assert "Strict-Transport-Security" in headers
        [css] = re.findall(rb'href="(/static/css/kwamdee\.[0-9a-f]{12}\.css)"', page)  # the hashed name

        # WhiteNoise serves the collected file: compressed, cached for good (its name changes with it).
        status, headers, body = _get(
            f"{base}{css.decode()}", {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
        )
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
        assert "Accept-Encoding" in headers["Vary"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    assert (tmp_path / "gunicorn.log").read_text().count("Booting worker") == 2  # WEB_CONCURRENCY


def test_gunicorn_runs_one_worker_per_core_unless_told(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"] == len(os.sched_getaffinity(0))
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"] == 3
