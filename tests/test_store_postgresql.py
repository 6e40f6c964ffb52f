"""The store on a real PostgreSQL server (scripts/postgresql.sh; fixtures_pg.py): every command that reads or
writes the store answers on PostgreSQL what it answers on the SQLite file; ingestion, complaints and recheck
on the local test site; no password in a URL; a read-only role serves and cannot write."""
from __future__ import annotations

import json
import urllib.request
import uuid
import zipfile

import pytest
from click.testing import CliRunner

from ingest_site import FIXTURES, build_licensed_index, example_sources
from report_sample import REPORT_DAY, build_sample
from reprintwatch.cli import cli
from reprintwatch.report.serve import serving
from reprintwatch.store import Store

pytestmark = pytest.mark.postgresql

# what differs between two builds of the same store: the moment a row was written (and a hash over a manifest
# that names the moment it was made)
MOMENTS = {"created_at", "updated_at", "triaged_at", "generated_at", "exported_at", "bundle_manifest_sha256"}


def runner_for(store, db, monkeypatch):
    monkeypatch.setenv("REPRINTWATCH_STORE", str(store))
    monkeypatch.setenv("REPRINTWATCH_DB", str(db))
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def without_moments(value):
    if isinstance(value, dict):
        return {k: without_moments(v) for k, v in value.items() if k not in MOMENTS}
    if isinstance(value, list):
        return [without_moments(v) for v in value]
    return value


def json_or_lines(text: str):
    try:
        return json.loads(text)
    except ValueError:  # JSON lines
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def answers(run, out):
    """What the store-reading and -writing commands say about the sample (JSON where there is JSON)."""
    said = {}

    def json_of(name, *args):
        r = run(*args)
        assert r.exit_code == 0, (name, r.output)
        said[name] = without_moments(json_or_lines(r.output))

    json_of("findings", "findings", "list", "--format", "json")
    json_of("daily", "report", "daily", "--date", REPORT_DAY, "--format", "json")
    json_of("coverage", "report", "coverage", "--outlet", "江南晚报", "--format", "json")
    r = run("licence", "add", "--site", "partner.example", "--outlet", "南方日报", "--note", "合同 2026-7")
    assert r.exit_code == 0, r.output
    json_of("licences", "licence", "list", "--format", "json")
    assert run("licence", "remove", said["licences"][-1]["id"]).exit_code == 0
    for outlet in ("南方日报", "江南晚报", "新华社"):
        r = run("holder", "add", "--outlet", outlet, "--name", outlet + "社", "--address", "某市某路1号",
                "--contact", "法务部", "--proof", f"国作登字-{outlet}")
        assert r.exit_code == 0, r.output
    json_of("holders", "holder", "list", "--format", "json")
    r = run("complaint", "record", "3", "--filed-at", "2026-11-24T10:00", "--channel", "网站版权投诉邮箱")
    assert r.exit_code == 0, r.output
    json_of("status", "complaint", "status", "--format", "json")
    r = run("complaint", "build", "-o", out / "dossiers", "--date", "2026-11-29")
    assert r.exit_code == 0, r.output
    said["dossiers"] = {}
    for z in sorted((out / "dossiers").glob("*.zip")):
        assert run("evidence", "verify", z).exit_code == 0
        said["dossiers"][z.name] = without_moments(json.loads(zipfile.ZipFile(z).read("dossier.json")))
    r = run("evidence", "export", "6", "-o", out / "six.zip")
    assert r.exit_code == 0, r.output
    assert run("evidence", "verify", out / "six.zip").exit_code == 0
    with zipfile.ZipFile(out / "six.zip") as zf:
        said["bundle"] = sorted((n, zf.read(n)) for n in zf.namelist() if n.startswith("page"))
    return said


def test_every_store_command_answers_the_same_on_both_engines(tmp_path, pg_store_url, monkeypatch):
    lite = build_sample(tmp_path / "lite")
    pg = build_sample(tmp_path / "pg", store=pg_store_url)
    assert pg.finding_ids == lite.finding_ids  # one writer, the same order: the same ids
    on_sqlite = answers(runner_for(lite.settings.store, lite.settings.db, monkeypatch), tmp_path / "lite")
    on_pg = answers(runner_for(pg_store_url, pg.settings.db, monkeypatch), tmp_path / "pg")
    assert on_sqlite["findings"] and on_sqlite["dossiers"] and on_sqlite["bundle"]
    for name in on_sqlite:
        assert on_pg[name] == on_sqlite[name], name
    # serve: the same findings, the same page for one of them
    pages = []
    for settings in (lite.settings, pg.settings):
        with serving(settings, page_size=50) as base:
            with urllib.request.urlopen(base + "/findings.json", timeout=30) as resp:
                listed = json.loads(resp.read())
            with urllib.request.urlopen(base + f"/finding/{lite.finding_ids['s6-hostile']}", timeout=30) as resp:
                pages.append((without_moments(listed), resp.read()))
    assert pages[0] == pages[1]


def test_ingest_complaints_and_recheck_on_postgresql(site, tmp_path, pg_store_url, monkeypatch):
    db = build_licensed_index(tmp_path / "licensed.db")
    run = runner_for(pg_store_url, db, monkeypatch)
    sources = example_sources(site, tmp_path)
    r = run("ingest", "run", "--sources", sources, "--once")
    assert r.exit_code == 0, r.output
    with Store(pg_store_url, create=False) as store:
        suspects = {u.replace(site.base, ""): (p, s, v) for u, p, s, v in
                    store.conn.execute("SELECT url, platform, status, version FROM suspects")}
        assert suspects["/mp/s/LibRaRyRePrInT01"] == ("wechat", "ok", 1) and len(suspects) == 8
        found = {f["url"].replace(site.base, ""): f for f in store.list_findings()}
        assert sorted((u, f["licensed_id"]) for u, f in found.items()) == [
            ("/mp/s/LibRaRyRePrInT01", "dh-0001"), ("/news/2026/rice.html", "xl-0002")]
        rice = found["/news/2026/rice.html"]
        assert store.evidence_bytes(rice["evidence_id"]) == (FIXTURES / "news_gbk.html").read_bytes()
        counts = store.counts()
        assert counts["evidence"] == 10 and counts["pending"] == 0
    # a second pass finds nothing new and doubles nothing
    assert run("ingest", "run", "--sources", sources, "--once").exit_code == 0
    with Store(pg_store_url, create=False) as store:
        again = store.counts()
        assert (again["suspects"], again["findings"]) == (counts["suspects"], counts["findings"])
    wechat = found["/mp/s/LibRaRyRePrInT01"]["finding_id"]
    r = run("complaint", "record", wechat, "--filed-at", "2026-11-24T10:00", "--channel", "微信公众平台侵权投诉")
    assert r.exit_code == 0, r.output
    site.add("/mp/s/LibRaRyRePrInT01", "<html><body><div class='weui-msg'><h2 class='weui-msg__title'>"
             "此内容被投诉且经审核涉嫌侵权，无法查看</h2></div></body></html>", content_type="text/html; charset=utf-8")
    r = run("recheck", "--delay", "0")
    assert r.exit_code == 0, r.output
    status = json_or_lines(run("complaint", "status", "--format", "json").output)
    row = next(s for s in status if s["finding_id"] == wechat)
    assert "complaint" in json.dumps(row, ensure_ascii=False)
    with Store(pg_store_url, create=False) as store:
        history = store.status_history([wechat])[wechat]
        assert history[-1]["state"] == "removed_after_complaint" and history[-1]["evidence_sha256"]


def test_no_password_in_the_url_and_one_line_errors(pg_url, pg_store_url, monkeypatch, tmp_path):
    run = runner_for(tmp_path / "unused.db", tmp_path / "unused-licensed.db", monkeypatch)
    secret = "s3cret-" + uuid.uuid4().hex[:6]
    with_password = pg_url.replace("://reprintwatch@", f"://reprintwatch:{secret}@")
    r = run("--store", with_password, "findings", "list")
    assert r.exit_code == 3 and secret not in r.output and "PGPASSWORD" in r.output
    assert len(r.output.strip().splitlines()) == 1
    r = run("--store", "postgresql://reprintwatch@127.0.0.1:1/none", "findings", "list")
    assert r.exit_code == 3 and "cannot connect to the store" in r.output and "Traceback" not in r.output
    r = run("--store", pg_store_url, "findings", "list")  # a schema without a store: not made by a reader
    assert r.exit_code == 3 and "no store at" in r.output
    r = run("--store", pg_store_url, "licence", "list")
    assert (r.exit_code, r.output.strip()) == (0, "No licences.")


def test_a_read_only_role_serves_and_cannot_write(pg_url, pg_schema, tmp_path, monkeypatch):
    """The grants of docs/postgresql.md, "Least privilege": a reader serves and exports evidence but writes
    nothing; a reports role may also keep the triage it judged, and nothing else."""
    import psycopg

    url, schema = pg_schema
    sample = build_sample(tmp_path, store=url)
    tag = uuid.uuid4().hex[:8]
    reader, reports, password = f"rw_reader_{tag}", f"rw_reports_{tag}", uuid.uuid4().hex
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {reader} LOGIN PASSWORD '{password}'")
        conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {reader}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {reader}")
        conn.execute(f"CREATE ROLE {reports} LOGIN PASSWORD '{password}' IN ROLE {reader}")
        conn.execute(f"GRANT UPDATE (triage_json, triaged_at, triage_basis) ON {schema}.findings TO {reports}")
    try:
        monkeypatch.setenv("PGPASSWORD", password)  # from the environment, never in the URL or argv
        reader_url = url.replace("://reprintwatch@", f"://{reader}@")
        with serving(sample.settings.replace(store=reader_url), page_size=50) as base:
            with urllib.request.urlopen(base + "/findings.json", timeout=30) as resp:
                assert len(json.loads(resp.read())) == len(sample.finding_ids)
        run = runner_for(reader_url, sample.settings.db, monkeypatch)
        r = run("licence", "add", "--site", "x.example", "--outlet", "南方日报")
        assert r.exit_code == 3 and "permission denied" in r.output and len(r.output.strip().splitlines()) == 1
        r = run("evidence", "export", sample.finding_ids["s6-hostile"], "-o", tmp_path / "b.zip")
        assert r.exit_code == 0, r.output
        r = run("report", "daily", "--date", REPORT_DAY, "--format", "json")  # would keep the triage it judged
        assert r.exit_code == 3 and "permission denied for table findings" in r.output
        run = runner_for(url.replace("://reprintwatch@", f"://{reports}@"), sample.settings.db, monkeypatch)
        r = run("report", "daily", "--date", REPORT_DAY, "--format", "json")
        assert r.exit_code == 0, r.output
        assert run("holder", "add", "--outlet", "x", "--name", "n", "--address", "a", "--contact", "c").exit_code == 3
    finally:
        monkeypatch.delenv("PGPASSWORD")  # the administrator's password is in PGPASSFILE
        with psycopg.connect(pg_url, autocommit=True) as conn:
            for role in (reports, reader):
                conn.execute(f"DROP OWNED BY {role}")
                conn.execute(f"DROP ROLE {role}")


def test_a_dropped_connection_is_one_line_every_time_and_loses_only_its_transaction(pg_url, pg_store_url):
    """Issue 21 on PostgreSQL: the server ends the store's connection mid-transaction (a restart, an admin,
    a failover). The transaction is lost whole, and every later use of the store says so in one line (the
    first use after the drop raised psycopg's OperationalError raw: a traceback, or a 500 in serve)."""
    import psycopg

    from reprintwatch.store import StoreError

    store = Store(pg_store_url)
    store.record_suspect(url="https://a.example/1", platform="web", content_hash="h0")
    pid = store.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    with psycopg.connect(pg_url, autocommit=True) as admin:
        with pytest.raises(StoreError, match="terminating connection"):
            with store.transaction():
                store.record_suspect(url="https://a.example/2", platform="web", content_hash="h1")
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
                store.record_suspect(url="https://a.example/3", platform="web", content_hash="h2")
    with pytest.raises(StoreError, match="connection is closed"):
        store.counts()
    store.close()
    with Store(pg_store_url, create=False) as again:
        assert [r[0] for r in again.conn.execute("SELECT url FROM suspects ORDER BY id").fetchall()] == [
            "https://a.example/1"]
