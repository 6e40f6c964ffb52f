"""The two SQLite files (licensed index, store): one opening path that refuses a file of the other kind,
a corrupt file or damaged metadata before writing anything, and that survives concurrent processes."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from reprintwatch import SQLiteIndex
from reprintwatch.cli import cli
from reprintwatch.errors import LicensedIndexError
from reprintwatch.store import Store, StoreError

from ingest_site import FIXTURES, REPO, build_licensed_index


def tables(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


@pytest.fixture
def files(tmp_path):
    index = build_licensed_index(tmp_path / "licensed.db")
    with Store(tmp_path / "store.db") as store:
        store.record_suspect(url="https://a.example/1", platform="web", content_hash="h")
    return index, tmp_path / "store.db"


def test_store_given_as_index_is_refused_and_left_alone(files):
    index, store = files
    before = tables(store)
    with pytest.raises(LicensedIndexError, match="is a reprintwatch store, not a licensed index"):
        SQLiteIndex(store)
    assert tables(store) == before and "bands" not in before


def test_index_given_as_store_is_refused_and_left_alone(files):
    index, store = files
    before = tables(index)
    with pytest.raises(StoreError, match="is a reprintwatch licensed index, not a store"):
        Store(index)
    assert tables(index) == before and "suspects" not in before


def test_files_made_before_meta_kind_are_recognised_by_their_tables(files):
    index, store = files
    for path in files:
        conn = sqlite3.connect(path)
        conn.execute("DELETE FROM meta WHERE key='kind'")
        conn.commit()
        conn.close()
    with pytest.raises(LicensedIndexError, match="store"):
        SQLiteIndex(store)
    with pytest.raises(StoreError, match="licensed index"):
        Store(index)
    SQLiteIndex(index, create=False).close()  # its own kind opens (and gets its kind back)
    assert dict(sqlite3.connect(index).execute("SELECT key, value FROM meta"))["kind"] == "licensed index"


def test_foreign_and_corrupt_files_are_refused(tmp_path):
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(LicensedIndexError, match="another program"):
        SQLiteIndex(foreign)
    with pytest.raises(StoreError, match="another program"):
        Store(foreign)
    assert tables(foreign) == {"customers"}
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    with pytest.raises(LicensedIndexError, match="not a usable licensed index"):
        SQLiteIndex(corrupt)
    text = tmp_path / "notes.db"
    text.write_text("just some text, not a database\n" * 20)
    with pytest.raises(StoreError, match="not a usable store"):
        Store(text)
    assert text.read_text().startswith("just some text")


@pytest.mark.parametrize("value", ["{", "[]", "{}", json.dumps({"num_perm": 128})])
def test_damaged_fingerprint_metadata_is_an_error(files, value):
    index, _ = files
    conn = sqlite3.connect(index)
    conn.execute("UPDATE meta SET value=? WHERE key='fingerprint'", (value,))
    conn.commit()
    conn.close()
    with pytest.raises(LicensedIndexError, match="fingerprint parameters are damaged"):
        SQLiteIndex(index, create=False)


def test_cli_refuses_the_wrong_file_with_exit_3(files, tmp_path, monkeypatch):
    index, store = files
    monkeypatch.delenv("REPRINTWATCH_DB", raising=False)
    monkeypatch.delenv("REPRINTWATCH_STORE", raising=False)
    runner = CliRunner()
    for args in (["--db", str(store), "index", "stats"],
                 ["--db", str(store), "index", "add", str(FIXTURES / "licensed.jsonl")],
                 ["--store", str(index), "findings", "list"],
                 ["--store", str(index), "licence", "add", "--site", "a.example", "--outlet", "*"]):
        r = runner.invoke(cli, args)
        assert r.exit_code == 3, (args, r.output)
        lines = r.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and "refusing" in lines[0]
    assert "bands" not in tables(store) and "suspects" not in tables(index) and "licences" not in tables(index)


def test_store_versions_are_allocated_in_the_transaction(tmp_path):
    with Store(tmp_path / "s.db") as store:
        ids = [store.record_suspect(url="https://a.example/p", platform="web", content_hash=f"h{i}") for i in range(3)]
        versions = [store.conn.execute("SELECT version FROM suspects WHERE id=?", (i,)).fetchone()[0] for i in ids]
    assert versions == [1, 2, 3]


_WRITER = """
import sys
from reprintwatch.store import Store
with Store(sys.argv[1]) as store:
    for i in range(40):
        with store.transaction():
            v = store.next_version("https://a.example/same")
            store.record_suspect(url="https://a.example/same", platform="web", content_hash=sys.argv[2] + str(i),
                                 version=v)
"""


def test_concurrent_processes_number_versions_without_collisions(tmp_path):
    path = tmp_path / "s.db"
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), name], cwd=REPO, stderr=subprocess.PIPE)
             for name in ("a", "b", "c")]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    conn = sqlite3.connect(path)
    versions = [v for (v,) in conn.execute("SELECT version FROM suspects ORDER BY version")]
    assert versions == list(range(1, 121))


_OPENER = """
import os, sys, time
from pathlib import Path
from reprintwatch import SQLiteIndex
from reprintwatch.dedupe.fingerprint import FingerprintParams
directory, n = Path(sys.argv[1]), int(sys.argv[2])
FingerprintParams()  # warm up, then wait for the others: a barrier made of files
(directory / f"ready-{os.getpid()}").touch()
while len(list(directory.glob("ready-*"))) < n:
    time.sleep(0.01)
start = max(p.stat().st_mtime for p in directory.glob("ready-*")) + 0.3
for i in range(40):
    moment = start + i * 0.05  # every process opens file i at the same moment
    time.sleep(max(0.0, moment - time.time() - 0.005))
    while time.time() < moment:
        pass
    with SQLiteIndex(directory / f"licensed-{i}.db") as index:
        index.delete(["no-such-article"])  # a write transaction right after creating the file
"""


@pytest.mark.slow
def test_concurrent_index_adds_on_a_new_database(tmp_path):
    """Processes creating and writing the same new index at the same moment (as two `index add`s do):
    no 'database is locked', no IntegrityError on meta, every article there."""
    procs = [subprocess.Popen([sys.executable, "-c", _OPENER, str(tmp_path), "3"], cwd=REPO,
                              stderr=subprocess.PIPE) for _ in range(3)]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    for i in range(40):
        conn = sqlite3.connect(tmp_path / f"licensed-{i}.db")
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        conn.close()
        assert meta["kind"] == "licensed index" and json.loads(meta["fingerprint"])
