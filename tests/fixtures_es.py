"""Fixtures for tests against a real Elasticsearch node (loaded by conftest.py as a pytest plugin).

Where the node comes from:

* ``REPRINTWATCH_ES_URL`` set: that node (credentials from ``REPRINTWATCH_ES_API_KEY`` /
  ``REPRINTWATCH_ES_USERNAME`` / ``REPRINTWATCH_ES_PASSWORD`` / ``REPRINTWATCH_ES_CA_CERTS``);
* otherwise, with Java and Maven: ``scripts/elasticsearch.sh start`` for the session (stopped afterwards
  unless it was already running);
* otherwise the Elasticsearch tests skip, saying how to run them — except with ``CI=true``, where a
  skip is a failure: a green CI must mean a real node was tested.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path

import pytest

from reprintwatch.config import Settings

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "elasticsearch.sh"
HOW_TO_RUN = (
    "start a node with `scripts/elasticsearch.sh start`, then run "
    "`REPRINTWATCH_ES_URL=http://127.0.0.1:9200 pytest`"
)


def es_unavailable(reason: str):
    """Skip (or, in CI, fail) a test that needs Elasticsearch."""
    message = f"Elasticsearch tests need a real node: {reason}. To run them: {HOW_TO_RUN}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: a skip would hide an untested backend)", pytrace=False)
    pytest.skip(message)


def can_start_node() -> bool:
    return all(shutil.which(tool) for tool in ("java", "mvn", "unzip", "curl", "bash"))


def run_script(command: str, port: int | str, timeout: float = 400, **env: str) -> str:
    """Run ``scripts/elasticsearch.sh COMMAND`` for the node on ``port``; its stdout, or RuntimeError."""
    full_env = {**os.environ, "REPRINTWATCH_ES_PORT": str(port), **env}
    proc = subprocess.run(
        ["bash", str(SCRIPT), command], env=full_env, capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0 and command != "status":
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"scripts/elasticsearch.sh {command} (port {port}) failed:\n{tail}")
    return proc.stdout if command != "status" else str(proc.returncode)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_settings(url: str, **overrides) -> Settings:
    """Settings for the test node: the URL given, credentials from the environment (if any)."""
    return Settings.load(backend="elasticsearch", es_url=url, **overrides)


def health_problem(settings: Settings) -> str | None:
    from reprintwatch.index.elasticsearch import make_client

    client = make_client(settings.es_url, settings.es_api_key, settings.es_username, settings.es_password,
                         settings.es_ca_certs, request_timeout=10)
    try:
        client.cluster.health(wait_for_status="yellow", timeout="30s")
        return None
    except Exception as exc:  # any failure means "not usable"; the message says which
        return f"{type(exc).__name__}: {exc}"
    finally:
        client.close()


@pytest.fixture(scope="session")
def es_url():
    """URL of a healthy Elasticsearch node for this test session."""
    url = os.environ.get("REPRINTWATCH_ES_URL")
    if url:
        problem = health_problem(base_settings(url))
        if problem:
            es_unavailable(f"REPRINTWATCH_ES_URL={url} is not usable ({problem})")
        yield url
        return
    if not can_start_node():
        es_unavailable("REPRINTWATCH_ES_URL is not set and Java + Maven are not available to start a local node")
    port = os.environ.get("REPRINTWATCH_ES_PORT", "9200")
    already_running = run_script("status", port) == "0"
    try:
        url = run_script("start", port).strip().splitlines()[-1]
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        es_unavailable(str(exc))
    yield url
    if not already_running:
        run_script("stop", port)


@pytest.fixture(scope="session")
def es_client(es_url):
    from reprintwatch.index.elasticsearch import make_client

    s = base_settings(es_url)
    client = make_client(s.es_url, s.es_api_key, s.es_username, s.es_password, s.es_ca_certs)
    yield client
    client.close()


def drop_index(client, name: str) -> None:
    """Delete the alias ``name`` and every concrete index made for it (explicit names only, so clusters
    with ``action.destructive_requires_name`` accept it)."""
    found = client.indices.get(index=f"{name},{name}-*", ignore_unavailable=True, allow_no_indices=True,
                               expand_wildcards="all")
    for concrete in found:
        client.indices.delete(index=concrete, ignore_unavailable=True)


@pytest.fixture
def es_settings(es_url, es_client):
    """Settings naming a fresh, unique index on the test node; the index is deleted afterwards."""
    name = f"rw-test-{uuid.uuid4().hex[:12]}"
    yield base_settings(es_url, es_index=name)
    drop_index(es_client, name)


class ThrowawayNode:
    """A second node, started by the project script on its own port, with security on (file-realm user) and
    HTTPS (a throwaway CA made by the script)."""

    username = "rw-tester"
    password = "rw-test-secret"

    def __init__(self, port: int):
        self.port = port
        self.url = f"https://127.0.0.1:{port}"
        self.env = {
            "REPRINTWATCH_ES_SECURITY": "1",
            "REPRINTWATCH_ES_TLS": "1",
            "REPRINTWATCH_ES_USERNAME": self.username,
            "REPRINTWATCH_ES_PASSWORD": self.password,
        }

    def start(self) -> str:
        return run_script("start", self.port, **self.env).strip().splitlines()[-1]

    @property
    def ca_certs(self) -> str:
        return run_script("ca-cert", self.port, **self.env).strip()

    def stop(self) -> None:
        run_script("stop", self.port, **self.env)

    def wipe(self) -> None:
        run_script("wipe", self.port, **self.env)

    def settings(self, index: str, username: str | None = None, password: str | None = None,
                 ca_certs: str | None = "node's CA", api_key: str | None = None) -> Settings:
        # environ={} : only the credentials given here, whatever the environment holds
        return Settings.load(environ={}, backend="elasticsearch", es_url=self.url, es_index=index,
                             es_username=username, es_password=password, es_api_key=api_key,
                             es_ca_certs=self.ca_certs if ca_certs == "node's CA" else ca_certs)


@pytest.fixture(scope="module")
def secured_node(es_url):
    """A throwaway secured HTTPS node (started and wiped by the test module). Needs Java, Maven, openssl.

    A port from :func:`free_port` is free when asked, not when the node binds it a few seconds later (any
    process may take it between), so a start that finds the port taken tries another one; and a failed
    start is reported with its own message, never hidden by an error from wiping what it left."""
    if not (can_start_node() and shutil.which("openssl")):
        es_unavailable("the fault tests start a second, secured node and need Java, Maven and openssl for it")
    fixed = os.environ.get("REPRINTWATCH_ES_FAULT_PORT")
    attempts = 1 if fixed else 3
    for attempt in range(1, attempts + 1):
        node = ThrowawayNode(int(fixed or free_port()))
        try:
            node.start()
            break
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                node.wipe()
            taken = ("already answers", "Address already in use", "BindException")
            if any(t in str(exc) for t in taken) and attempt < attempts:
                continue  # another process took the port in between: another port
            es_unavailable(str(exc))
    yield node
    node.wipe()
