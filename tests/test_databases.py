"""The two SQLite files (licensed index, store): one opening path that refuses a file of the other kind,
a corrupt file or damaged metadata before writing anything, and that survives concurrent processes."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from pathlib import Path

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
    for path in files:  # before meta.kind (and before application ids)
        conn = sqlite3.connect(path)
        conn.execute("DELETE FROM meta WHERE key='kind'")
        conn.execute("PRAGMA application_id=0")
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
    with pytest.raises(LicensedIndexError, match="is damaged .*PRAGMA integrity_check.*.recover"):
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


# --- issue 21: damaged files, and other programs' files with a `meta` table ----------------------------------

def damage(path, offset: int, size: int, seed: int = 21) -> str:
    """Overwrite ``size`` bytes at ``offset`` with random bytes (the header stays intact); the file's sha256."""
    import hashlib
    import random
    noise = random.Random(seed).randbytes(size)
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(noise)
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def sha(path) -> str:
    import hashlib
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.fixture
def damaged_sample(tmp_path, monkeypatch):
    from report_sample import build_sample
    sample = build_sample(tmp_path / "sample")
    store, index = sample.settings.store, sample.settings.db
    assert store.stat().st_size > 70_000 and index.stat().st_size > 20_000
    monkeypatch.setenv("REPRINTWATCH_STORE", str(store))
    monkeypatch.setenv("REPRINTWATCH_DB", str(index))
    (tmp_path / "sources.toml").write_text("[[source]]\nname = 'crawl'\ntype = 'local'\npath = 'crawl'\n",
                                           encoding="utf-8")
    (tmp_path / "crawl").mkdir()
    (tmp_path / "crawl" / "a.html").write_bytes((FIXTURES / "wechat_infringing.html").read_bytes())
    monkeypatch.chdir(tmp_path)
    return sample


def assert_damage_error(result, path):
    lines = result.output.strip().splitlines()
    assert result.exit_code == 3 and len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {path} is damaged (") and "Traceback" not in result.output
    for way_out in ("PRAGMA integrity_check", "restore it from a backup", ".recover"):
        assert way_out in lines[0]


def test_a_damaged_store_is_refused_by_every_command_and_not_written(damaged_sample, tmp_path):
    store = damaged_sample.settings.store
    before = damage(store, 60_000, 10_240)  # 10 KB inside, the header intact (the reproduction)
    finding = str(next(iter(damaged_sample.finding_ids.values())))
    runner = CliRunner()
    for args in (["findings", "list"], ["report", "daily"], ["complaint", "build", "-o", "dossiers"],
                 ["complaint", "record", finding, "--filed-at", "2026-11-28", "--channel", "web"],
                 ["recheck"], ["evidence", "export", finding, "-o", "e.zip"],
                 ["licence", "add", "--site", "a.example", "--outlet", "x"],
                 ["holder", "add", "--outlet", "江南日报", "--name", "江南日报社", "--address", "江南市人民路1号",
                  "--contact", "法务部 020-0000"],
                 ["ingest", "run", "--sources", "sources.toml", "--once"],
                 ["serve", "--port", "0"]):
        assert_damage_error(runner.invoke(cli, args), store)
        assert sha(store) == before, args  # nothing written
    assert not (tmp_path / "dossiers").exists() and not (tmp_path / "e.zip").exists()


def test_a_damaged_index_is_refused_with_the_way_out(damaged_sample):
    index = damaged_sample.settings.db
    before = damage(index, 4096, 16_384)
    runner = CliRunner()
    (Path("suspects.jsonl")).write_text((FIXTURES / "licensed.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    for args in (["index", "stats"], ["index", "add", str(FIXTURES / "licensed.jsonl")],
                 ["check", str(FIXTURES / "news_gbk.html")], ["scan", "suspects.jsonl"],
                 ["scan", "suspects.jsonl", "--jobs", "2"], ["ingest", "run", "--sources", "sources.toml", "--once"]):
        assert_damage_error(runner.invoke(cli, args), index)
        assert sha(index) == before, args


def test_damage_found_in_a_worker_process_is_the_same_one_line_error(files):
    """A worker of ``scan --jobs`` raises the error in its own process: it must cross back as itself."""
    import pickle
    index, _ = files
    damage(index, 2048, index.stat().st_size - 4096)
    from reprintwatch.sqlitedb import Database
    with pytest.raises(LicensedIndexError) as caught:
        Database(index, "licensed index", "", 2, LicensedIndexError, create=False).conn.execute(
            "SELECT count(*) FROM articles").fetchall()
    again = pickle.loads(pickle.dumps(caught.value))
    assert type(again) is LicensedIndexError and "is damaged" in str(again) and ".recover" in str(again)


def write_foreign(path, sql: str) -> str:
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return sha(path)


@pytest.mark.parametrize("sql", [
    "create table meta(key text primary key, value text); insert into meta values('x','y')",
    "create table meta(key text primary key, value text); insert into meta values('schema_version','2')",
    "create table meta(key text primary key, value text); insert into meta values('kind','ledger')",
    "create table meta(k, v); create table suspects(id)",
    "pragma application_id=1234",  # no tables, but another program's id
    "pragma application_id=1234; create table meta(key text primary key, value text);"
    "insert into meta values('kind','store')",
])
def test_another_programs_file_is_refused_even_with_a_meta_table(tmp_path, monkeypatch, sql):
    other = tmp_path / "o.db"
    before = write_foreign(other, sql)
    with pytest.raises(LicensedIndexError, match="another program"):
        SQLiteIndex(other)
    with pytest.raises(StoreError, match="another program"):
        Store(other)
    monkeypatch.delenv("REPRINTWATCH_DB", raising=False)
    monkeypatch.delenv("REPRINTWATCH_STORE", raising=False)
    (tmp_path / "s.jsonl").write_text((FIXTURES / "licensed.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    runner = CliRunner()
    for args in (["--db", str(other), "index", "stats"], ["--store", str(other), "findings", "list"],
                 ["--db", str(other), "scan", str(tmp_path / "s.jsonl")],
                 ["--db", str(other), "check", str(FIXTURES / "news_gbk.html")],
                 ["--store", str(other), "serve", "--port", "0"]):
        r = runner.invoke(cli, args)
        lines = r.output.strip().splitlines()
        assert r.exit_code == 3 and len(lines) == 1 and "another program" in lines[0], (args, r.output)
    assert sha(other) == before


def test_new_files_only_where_there_is_none_or_it_is_empty(tmp_path):
    from reprintwatch.sqlitedb import APPLICATION_IDS
    empty = tmp_path / "empty.db"
    empty.touch()
    with Store(empty):
        pass
    blank = tmp_path / "blank.db"  # an SQLite file without a single table (e.g. `sqlite3 blank.db vacuum`)
    write_foreign(blank, "create table t(x); drop table t")
    SQLiteIndex(blank).close()
    for path, kind in ((empty, "store"), (blank, "licensed index")):
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_IDS[kind]
        conn.close()


def test_files_of_earlier_versions_are_adopted_by_their_meta_rows(files):
    from reprintwatch.sqlitedb import APPLICATION_IDS
    index, store = files
    for path in files:  # as an earlier reprintwatch left them: no application id
        write_foreign(path, "PRAGMA application_id=0")
    with pytest.raises(StoreError, match="is a reprintwatch licensed index"):
        Store(index)
    SQLiteIndex(index, create=False).close()
    Store(store, create=False).close()
    for path, kind in ((index, "licensed index"), (store, "store")):
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_IDS[kind]
        conn.close()


def test_a_pipe_or_device_is_refused_without_blocking(tmp_path):
    """Found while probing: ``--store`` / ``--db`` naming a FIFO blocked the read-only open until a writer
    came (forever); a device gave SQLite's "disk I/O error". Neither is a file of ours."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, "/dev/null"):
        with pytest.raises(LicensedIndexError, match="is not a regular file"):
            SQLiteIndex(path)
        with pytest.raises(StoreError, match="is not a regular file"):
            Store(path)


@pytest.mark.parametrize("sql", [
    "create table meta(key text primary key, value text); insert into meta values('x','y')",
    "create table meta(key text primary key, value text); insert into meta values('schema_version','1')",
])
def test_index_migrate_refuses_another_programs_file(tmp_path, sql):
    """Found while probing: `index migrate` opened the file itself and ended in a TypeError traceback."""
    other = tmp_path / "o.db"
    before = write_foreign(other, sql)
    r = CliRunner().invoke(cli, ["--db", str(other), "index", "migrate"])
    lines = r.output.strip().splitlines()
    assert r.exit_code == 3 and len(lines) == 1 and "another program" in lines[0], r.output
    assert sha(other) == before


def test_index_migrate_refuses_a_damaged_index(files):
    index, _ = files
    before = damage(index, 2048, index.stat().st_size - 4096)
    r = CliRunner().invoke(cli, ["--db", str(index), "index", "migrate"])
    assert_damage_error(r, index)
    assert sha(index) == before


def test_damage_read_only_by_scan_workers_is_the_one_line_error(damaged_sample):
    """Only the articles' pages damaged (what a worker of ``scan --jobs`` reads for the candidates' texts; the
    key table the parent loads before forking is intact): the worker's error crosses back as the one line."""
    index = damaged_sample.settings.db
    conn = sqlite3.connect(index)
    pages = [p for (p,) in conn.execute("SELECT pageno FROM dbstat WHERE name='articles' AND pagetype='leaf'")]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert pages
    for page in pages:
        before = damage(index, (page - 1) * size + 8, size - 16, seed=page)
    Path("suspects.jsonl").write_text((FIXTURES / "licensed.jsonl").read_text(encoding="utf-8") * 3, encoding="utf-8")
    r = CliRunner().invoke(cli, ["scan", "suspects.jsonl", "--jobs", "2"])
    assert_damage_error(r, index)
    assert "_RemoteTraceback" not in r.output and sha(index) == before


HUGE = "99999999999999999999999"


@pytest.mark.parametrize("args", [
    ["recheck", "--finding", HUGE], ["complaint", "record", HUGE, "--filed-at", "2026-11-28", "--channel", "web"],
    ["complaint", "status", HUGE], ["complaint", "build", "--finding", HUGE, "-o", "d"],
    ["evidence", "export", HUGE, "-o", "e.zip"], ["licence", "remove", HUGE], ["evidence", "export", "0", "-o", "e.zip"],
])
def test_ids_beyond_sqlites_integers_are_usage_errors(files, monkeypatch, tmp_path, args):
    """Found while probing: each of these ended in `OverflowError: Python int too large to convert to SQLite
    INTEGER` (a traceback, exit 1)."""
    _, store = files
    monkeypatch.setenv("REPRINTWATCH_STORE", str(store))
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2 and "is not in the range 1<=x<=9223372036854775807" in r.output, r.output
    assert "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_store_url_of_another_database_is_refused_by_its_scheme(tmp_path, monkeypatch, how):
    """A MySQL or SQLite URL was taken for a file path (`no store at mysql:/x`, its `//` folded): a usage error
    naming the scheme, and no file made where the path would have been."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REPRINTWATCH_STORE", raising=False)
    args = ["findings", "list"]
    if how == "option":
        args = ["--store", "mysql://rw@db/x", *args]
    else:
        monkeypatch.setenv("REPRINTWATCH_STORE", "mysql://rw@db/x")
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2, r.output
    assert "mysql://" in r.output and "postgresql://" in r.output and "no store at" not in r.output, r.output
    assert list(tmp_path.iterdir()) == []
