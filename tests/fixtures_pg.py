"""Fixtures for the store on a real PostgreSQL server (loaded by conftest.py as a pytest plugin).

Where the server comes from:

* ``REPRINTWATCH_PG_URL`` set: that server (the password from ``PGPASSWORD`` / ``PGPASSFILE`` / a service
  file, as libpq reads it; the URL carries none);
* otherwise ``scripts/postgresql.sh start`` (installs Debian's package if missing, runs the server as an
  unprivileged user) for the session, stopped afterwards unless it was already running; ``PGPASSFILE`` is
  pointed at the script's pgpass file;
* otherwise the PostgreSQL tests skip, saying how to run them — except with ``CI=true``, where a skip is a
  failure: a green CI must mean a real server was tested.

Each test gets its own schema (``rw_test_<uuid>``, dropped afterwards), named in the URL's ``search_path``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "postgresql.sh"
HOW_TO_RUN = ("start a server with `scripts/postgresql.sh start`, then run "
              "`REPRINTWATCH_PG_URL=$(scripts/postgresql.sh url) PGPASSFILE=$(scripts/postgresql.sh passfile) pytest`")


def pg_unavailable(reason: str):
    """Skip (or, in CI, fail) a test that needs PostgreSQL."""
    message = f"PostgreSQL tests need a real server: {reason}. To run them: {HOW_TO_RUN}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: a skip would hide an untested engine)", pytrace=False)
    pytest.skip(message)


def run_script(command: str, timeout: float = 600) -> tuple[int, str]:
    proc = subprocess.run(["bash", str(SCRIPT), command], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0 and command != "status":
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"scripts/postgresql.sh {command} failed:\n{tail}")
    return proc.returncode, proc.stdout.strip()


def schema_url(url: str, schema: str) -> str:
    """``url`` with ``schema`` first in ``search_path`` (libpq's ``options``)."""
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def pg_url():
    """URL of a PostgreSQL server for this session (no password in it)."""
    try:
        import psycopg
    except ImportError:
        pg_unavailable("psycopg is not installed (pip install -e '.[test]')")
    url = os.environ.get("REPRINTWATCH_PG_URL")
    started = False
    if not url:
        if not (shutil.which("bash") and (shutil.which("apt-get") or shutil.which("initdb"))):
            pg_unavailable("REPRINTWATCH_PG_URL is not set and neither PostgreSQL nor apt-get is available")
        try:
            already = run_script("status")[0] == 0
            url = run_script("start")[1].splitlines()[-1]
            os.environ.setdefault("PGPASSFILE", run_script("passfile")[1])
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            pg_unavailable(str(exc))
        started = not already
    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.Error as exc:
        pg_unavailable(f"{url} is not usable ({str(exc).strip().splitlines()[0]})")
    yield url
    if started:
        run_script("stop")


@pytest.fixture
def pg_schema(pg_url):
    """A fresh schema on the test server: ``(url naming it, schema name)``; dropped afterwards."""
    import psycopg

    name = f"rw_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield schema_url(pg_url, name), name
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@pytest.fixture
def pg_store_url(pg_schema):
    """The URL of a store in a fresh schema on the test server."""
    return pg_schema[0]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def store_location(request, tmp_path):
    """Where a store lives, once per engine: an SQLite file, then a PostgreSQL schema (the contract tests)."""
    if request.param == "sqlite":
        return tmp_path / "store" / "store.db"
    return request.getfixturevalue("pg_store_url")
