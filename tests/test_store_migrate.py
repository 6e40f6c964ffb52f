"""`reprintwatch store migrate --to postgresql://…`: an SQLite store and its evidence files copied into a real
PostgreSQL server, checked (counts, SHA-256 of every table, every body re-hashed) and resumable after kill -9."""
from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from report_sample import build_sample
from reprintwatch.cli import cli
from reprintwatch.store import Store

pytestmark = pytest.mark.postgresql


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def findings_json(store, db) -> list:
    r = run("--store", store, "--db", db, "findings", "list", "--format", "json")
    assert r.exit_code == 0, r.output
    return [json.loads(line) for line in r.output.splitlines() if line.strip()]


def busy_store(path, pages: int):
    """An SQLite store with every table in use: ``pages`` pages of evidence, suspects, findings, checkpoints,
    a queue, licences, holders, complaints and re-check history."""
    with Store(path) as store, store.transaction():
        for n in range(pages):
            body = f"<html><p>第{n}页 {'正文' * (n % 50)}</p></html>".encode("utf-8")
            evidence = store.record_page(f"https://copy.example/{n}", body, status=200,
                                         fetched_at=f"2026-11-{1 + n % 28:02d}T08:00:00Z")
            suspect = store.record_suspect(f"https://copy.example/{n}", "web", content_hash=f"h{n}", version=1,
                                           title=f"标题{n}", content=f"正文{n}", evidence_id=evidence,
                                           checked_at=f"2026-11-{1 + n % 28:02d}T08:00:00Z")
            found = store.record_findings(suspect, [{
                "licensed_id": f"lic-{n % 97}", "outlet": "南方日报", "verdict": "full_reprint", "similarity": 0.9,
                "licensed_coverage": 0.8 + n / 1e6, "suspect_coverage": 0.7, "passages": [{"suspect_start": n}]}],
                created_at=f"2026-11-{1 + n % 28:02d}T09:00:00Z")
            store.mark_seen(f"https://copy.example/{n}", "src", content_hash=f"h{n}", version=1)
            if n % 10 == 0:
                store.add_complaint(found, "2026-11-24", "网站版权投诉邮箱", reference=f"C-{n}")
                store.record_status(found[0], "removed", "2026-11-25T00:00:00Z", http_status=404, run="r1")
        store.enqueue("src", [(f"https://copy.example/queued/{n}", {"title": f"待抓{n}"}) for n in range(30)])
        store.set_checkpoint("last_run_completed", "2026-11-30T00:00:00Z")
        store.put_holder({"outlet": "南方日报", "legal_name": "南方报业传媒集团", "address": "广州", "contact": "法务部",
                          "proofs": ["国作登字-1"]})
    return path


def test_migrate_copies_and_checks_and_the_copy_answers_the_same(tmp_path, pg_store_url):
    sample = build_sample(tmp_path)
    with Store(sample.settings.store) as store:
        store.mark_seen("https://x.example/a", "src", content_hash="h")
        store.enqueue("src", [("https://x.example/q2", {}), ("https://x.example/q1", {"title": "排队"})])
    findings_json(sample.settings.store, sample.settings.db)  # judged once and kept: the store as used
    before = findings_json(sample.settings.store, sample.settings.db)
    r = run("--store", sample.settings.store, "store", "migrate", "--to", pg_store_url, "--batch-size", 4)
    assert r.exit_code == 0, r.output
    assert "Done: " in r.output and f"{len(before)} evidence bodies re-read and re-hashed" in r.output
    assert findings_json(pg_store_url, sample.settings.db) == before
    with Store(sample.settings.store) as lite, Store(pg_store_url) as pg:
        assert lite.counts() == pg.counts()
        assert [p["url"] for p in pg.pending()] == [p["url"] for p in lite.pending()]  # queue order kept
        for f in lite.list_findings():
            assert pg.evidence_bytes(f.evidence_id) == lite.evidence_bytes(f.evidence_id)
        # the copy goes on numbering after the copied rows
        (added,) = pg.add_licences(lite.licences()[:1])
        assert added.id == max(lic.id for lic in lite.licences()) + 1
    # run again: nothing more to copy, checked again
    r = run("--store", sample.settings.store, "store", "migrate", "--to", pg_store_url)
    assert r.exit_code == 3 and "licences differs" in r.output  # the licence added to the copy above


def test_an_interrupted_migration_resumes(tmp_path, pg_store_url):
    source = busy_store(tmp_path / "store.db", pages=600)
    env = {**os.environ, "REPRINTWATCH_STORE": str(source)}
    proc = subprocess.Popen([sys.executable, "-m", "reprintwatch.cli", "store", "migrate", "--to", pg_store_url,
                             "--batch-size", "10"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # kill -9 in the middle of the evidence table
            try:
                with Store(pg_store_url, create=False) as target:
                    if target.counts()["evidence"] >= 100:
                        break
            except Exception:  # the target is being made
                pass
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    with Store(pg_store_url, create=False) as target:
        partial = target.counts()
    assert 100 <= partial["evidence"] < 600 and partial["findings"] == 0  # stopped part-way, parents first
    r = run("--store", source, "store", "migrate", "--to", pg_store_url)
    assert r.exit_code == 0, r.output
    assert "Done (resumed)" in r.output and "600 evidence bodies re-read" in r.output
    with Store(source) as lite, Store(pg_store_url) as pg:
        assert lite.counts() == pg.counts()
        assert pg.list_findings(ids=[600])[0].passages == [{"suspect_start": 599}]
        assert pg.status_history() == lite.status_history()


def test_migrate_refuses_other_stores_and_damaged_evidence(tmp_path, pg_store_url):
    source = busy_store(tmp_path / "a" / "store.db", pages=5)
    with Store(pg_store_url) as target:  # a store of its own already
        target.put_holder({"outlet": "x", "legal_name": "x", "address": "a", "contact": "c"})
    r = run("--store", source, "store", "migrate", "--to", pg_store_url)
    assert r.exit_code == 3 and "already holds a store (rights_holders 1)" in r.output
    r = run("--store", source, "store", "migrate", "--to", str(tmp_path / "b.db"))
    assert r.exit_code == 2 and "not a postgresql:// URL" in r.output


def test_migrate_stops_at_a_tampered_evidence_file(tmp_path, pg_store_url):
    source = busy_store(tmp_path / "store.db", pages=5)
    with Store(source) as store:
        row = store.evidence(3)
    (tmp_path / row["body_path"]).write_bytes(gzip.compress(b"edited"))
    r = run("--store", source, "store", "migrate", "--to", pg_store_url)
    assert r.exit_code == 1 and row["body_path"] in r.output and "SHA-256" in r.output
    with Store(pg_store_url, create=False) as target:  # the batch holding it was not kept
        assert target.counts()["evidence"] == 0
    assert "Traceback" not in r.output
