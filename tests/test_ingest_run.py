"""`reprintwatch ingest run` end to end against a local web of fixtures, including kill -9 and resume."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import psutil
import pytest
from click.testing import CliRunner

from reprintwatch.cli import cli
from reprintwatch.config import Settings
from reprintwatch.ingest import fetch_article
from reprintwatch.store import Store

from ingest_site import FIXTURES, REPO, build_licensed_index, closed_port, example_sources


@pytest.fixture
def env(tmp_path, monkeypatch):
    db = build_licensed_index(tmp_path / "licensed.db")
    monkeypatch.setenv("REPRINTWATCH_DB", str(db))
    monkeypatch.setenv("REPRINTWATCH_STORE", str(tmp_path / "store" / "store.db"))
    return tmp_path


def rows(store_path, sql, *args):
    conn = sqlite3.connect(store_path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def run(args, **kwargs):
    result = CliRunner().invoke(cli, args, catch_exceptions=False, **kwargs)
    return result


def test_example_sources_once_fills_the_store(site, env):
    sources = example_sources(site, env)
    log = env / "ingest.log"
    result = run(["ingest", "run", "--sources", str(sources), "--once", "--log-file", str(log)])
    assert result.exit_code == 0, result.output
    store = env / "store" / "store.db"
    suspects = {url.replace(site.base, ""): (platform, status, version, source)
                for url, platform, status, version, source in
                rows(store, "SELECT url, platform, status, version, source FROM suspects")}
    assert suspects == {
        "/news/2026/rice.html": ("feed", "ok", 1, "aggregator-rss"),
        "/mp/s/LibRaRyRePrInT01": ("wechat", "ok", 1, "aggregator-rss"),
        "/news/2026/autumn-games.html": ("feed", "ok", 1, "aggregator-rss"),
        "/news/2026/broken.html": ("feed", "error", 1, "aggregator-rss"),
        "/mp/s/ReMoVeD02": ("wechat", "removed", 1, "selfmedia-atom"),
        "/mp/s/InFrInGe03": ("wechat", "removed", 1, "selfmedia-atom"),
        "/news/2026/gone.html": ("feed", "error", 1, "selfmedia-atom"),
        "/news/2026/error.html": ("feed", "error", 1, "selfmedia-atom"),
    }
    findings = rows(store, "SELECT s.url, f.licensed_id, f.verdict FROM findings f JOIN suspects s ON s.id=f.suspect_id ORDER BY f.licensed_id")
    assert [(u.replace(site.base, ""), lid) for u, lid, _ in findings] == [
        ("/mp/s/LibRaRyRePrInT01", "dh-0001"), ("/news/2026/rice.html", "xl-0002")]
    assert all(v in ("full_reprint", "partial_reprint") for _, _, v in findings)
    # every fetched page is evidence: 8 pages (the 404 and 500 bodies too; the feed entries) + 2 feeds
    assert rows(store, "SELECT COUNT(*) FROM evidence")[0][0] == 10
    account, original, link = rows(store, "SELECT account, original_flag, source_link FROM suspects WHERE url LIKE '%LibRaRy%'")[0]
    assert (account, original, link) == ("东湖城事通", 1, "https://donghu.example.net/2026/11/20/library.html")
    with Store(store) as db:
        ev = db.list_findings(outlet="西岭日报")[0]["evidence_id"]
        assert db.evidence_bytes(ev) == (FIXTURES / "news_gbk.html").read_bytes()
        assert db.pending() == []
    errors = dict(rows(store, "SELECT url, error FROM suspects WHERE status='error'"))
    assert "HTTP 404" in errors[site.base + "/news/2026/gone.html"]
    assert "HTTP 500" in errors[site.base + "/news/2026/error.html"]
    assert site.hits["/news/2026/error.html"] == 3  # retried twice
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    recorded = [e for e in events if e["event"] == "recorded"]
    assert len(recorded) == 8 and all("url" in e and "ts" in e for e in recorded)
    assert result.stdout == ""  # the status line goes to stderr
    assert "ingest: " in result.stderr and "2 findings" in result.stderr and "5 errors" not in result.stderr

    # a second pass: nothing changed, nothing recorded again
    before = rows(store, "SELECT COUNT(*) FROM suspects")[0][0], rows(store, "SELECT COUNT(*) FROM evidence")[0][0]
    result = run(["ingest", "run", "--sources", str(sources), "--once"])
    assert result.exit_code == 0, result.output
    after = rows(store, "SELECT COUNT(*) FROM suspects")[0][0], rows(store, "SELECT COUNT(*) FROM evidence")[0][0]
    assert after == before
    assert rows(store, "SELECT COUNT(*) FROM findings")[0][0] == 2
    # the Atom feed was fetched conditionally
    atom_requests = [r for r in site.requests if r["path"] == "/news/atom.xml"]
    assert atom_requests[-1]["headers"].get("If-None-Match") == '"atom-v1"'

    # the WeChat article changes: a new version, checked again; the removed one comes back as an article
    site.routes["/mp/s/LibRaRyRePrInT01"].body = site.fixture("wechat_reprint.html").replace(
        "喜欢就点个“在看”吧".encode(), "本文转载自网络，如有侵权请联系删除。".encode())
    site.routes["/mp/s/ReMoVeD02"].body = site.fixture("unrelated.html")
    result = run(["ingest", "run", "--sources", str(sources), "--once"])
    assert result.exit_code == 0, result.output
    versions = rows(store, "SELECT url, version, status FROM suspects WHERE version > 1 ORDER BY url")
    assert [(u.replace(site.base, ""), v, s) for u, v, s in versions] == [
        ("/mp/s/LibRaRyRePrInT01", 2, "ok"), ("/mp/s/ReMoVeD02", 2, "ok")]
    assert rows(store, "SELECT COUNT(*) FROM findings")[0][0] == 3


def test_findings_list_formats(site, env):
    sources = example_sources(site, env)
    assert run(["ingest", "run", "--sources", str(sources), "--once", "--no-progress"]).exit_code == 0
    text = run(["findings", "list"])
    assert text.exit_code == 0 and "dh-0001" in text.output and "东湖城事通" in text.output
    lines = run(["findings", "list", "--format", "json", "--outlet", "东湖晚报"]).output.splitlines()
    assert len(lines) == 1
    finding = json.loads(lines[0])
    assert finding["licensed_id"] == "dh-0001" and finding["platform"] == "wechat" and finding["passages"]
    csv_out = run(["findings", "list", "--format", "csv", "--verdict", "full_reprint"]).output.splitlines()
    assert csv_out[0].startswith("group,finding_id,status,authorised")  # the reports' CSV: triage included
    assert run(["findings", "list", "--since", "2000-01-01", "--until", "2000-12-31", "--format", "json"]).output == ""
    bad = run(["findings", "list", "--since", "not-a-date"])
    assert bad.exit_code == 2 and "--since" in bad.output  # a usage error, like report daily --date


def test_bad_feeds_and_sources_are_logged_and_lose_nothing(site, env):
    sources = env / "bad.toml"
    sources.write_text(f"""
[defaults]
delay = "0s"
backoff = "0s"
timeout = "2s"
read_timeout = "0.5s"
max_bytes = "1MB"
retries = 0

[[source]]
name = "bomb"
type = "feed"
url = "{site.base}/news/bomb.xml"

[[source]]
name = "hostile"
type = "pages"
urls = ["{site.base}/redirect-to-file", "{site.base}/huge.html", "{site.base}/slow.html",
        "{site.base}/private/secret.html", "{site.base}/news/2026/rice-wrong-header.html"]
""", encoding="utf-8")
    result = run(["ingest", "run", "--sources", str(sources), "--once", "--log-format", "json"])
    assert result.exit_code == 0, result.output
    store = env / "store" / "store.db"
    outcome = {u.replace(site.base, ""): (s, e) for u, s, e in rows(store, "SELECT url, status, error FROM suspects")}
    assert outcome["/redirect-to-file"][0] == "error" and "file:///etc/passwd" in outcome["/redirect-to-file"][1]
    assert outcome["/huge.html"][0] == "error" and "too_large" in outcome["/huge.html"][1]
    assert outcome["/slow.html"][0] == "error" and "timeout" in outcome["/slow.html"][1]
    assert outcome["/news/2026/rice-wrong-header.html"][0] == "ok"
    assert "/private/secret.html" not in outcome
    seen = dict(rows(store, "SELECT url, status FROM seen"))
    assert seen[site.base + "/private/secret.html"] == "skipped"
    assert seen[site.base + "/news/bomb.xml"] == "error"
    assert rows(store, "SELECT COUNT(*) FROM evidence WHERE url LIKE '%bomb.xml'")[0][0] == 1
    assert "feed_rejected" in result.stderr
    assert rows(store, "SELECT COUNT(*) FROM pending")[0][0] == 0


def test_missing_licensed_index_fails_early(site, tmp_path, monkeypatch):
    monkeypatch.setenv("REPRINTWATCH_DB", str(tmp_path / "nope.db"))
    monkeypatch.setenv("REPRINTWATCH_STORE", str(tmp_path / "store.db"))
    result = run(["ingest", "run", "--sources", str(example_sources(site, tmp_path)), "--once"])
    assert result.exit_code == 3 and "no licensed index" in result.output
    assert not (tmp_path / "store.db").exists() and site.hits == {}


def test_fetch_article_keeps_evidence(site, env):
    settings = Settings.load()
    with Store(env / "store" / "store.db") as store:
        article, evidence_id = fetch_article(site.base + "/mp/s/LibRaRyRePrInT01", settings, store)
        assert article.outlet == "东湖城事通" and "东湖区滨江大道" in article.content
        assert store.evidence_bytes(evidence_id) == site.fixture("wechat_reprint.html")
        from reprintwatch.errors import BadInput
        with pytest.raises(BadInput, match="removed"):
            fetch_article(site.base + "/mp/s/ReMoVeD02", settings, store)
        with pytest.raises(BadInput, match="file"):
            fetch_article("file:///etc/passwd", settings, store)
    article, evidence_id = fetch_article(site.base + "/news/2026/rice.html", settings)
    assert evidence_id is None and article.title == "西岭晚稻丰收 亩产提高六十公斤"


# --- kill -9 and resume ------------------------------------------------------------------------------------

def _kill_site(site, n_pages):
    """A feed of ``n_pages`` pages; every third one copies a licensed article."""
    template = site.fixture("unrelated.html").decode("utf-8")
    library = site.fixture("wechat_reprint.html")
    items = []
    for i in range(n_pages):
        path = f"/k/page-{i:02d}.html"
        if i % 3 == 0:
            body = library.replace("点击上方蓝字关注我们".encode(), f"第{i}期".encode())
        else:
            body = template.replace("第三届", f"第{i + 4}届").encode("utf-8")
        site.add(path, body, content_type="text/html; charset=utf-8")
        items.append(f"<item><title>第{i}篇</title><link>{site.base}{path}</link></item>")
    site.add("/k/feed.xml", '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>k</title>'
             + "".join(items) + "</channel></rss>", content_type="application/rss+xml")
    return [f"/k/page-{i:02d}.html" for i in range(n_pages)]


def _start(env, sources, extra=()):
    args = [sys.executable, "-m", "reprintwatch.cli", "ingest", "run", "--sources", str(sources), "--once",
            "--workers", "2", "--no-progress", *extra]
    return subprocess.Popen(args, cwd=REPO, env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_suspects(store, proc, n, limit=60):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("ingest finished before it could be interrupted: " + proc.stderr.read().decode())
        if store.exists():
            try:
                if rows(store, "SELECT COUNT(*) FROM suspects")[0][0] >= n:
                    return
            except sqlite3.OperationalError:
                pass
        time.sleep(0.05)
    raise AssertionError("ingest made no progress")


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_killed_run_resumes_with_nothing_lost_or_doubled(site, env, how):
    paths = _kill_site(site, 12)
    for path in paths[4:]:
        site.routes[path].delay = 0.4  # slow enough to stop the process in the middle
    sources = env / "k.toml"
    sources.write_text(f'[defaults]\ndelay = "0s"\n\n[[source]]\nname = "k"\ntype = "feed"\nurl = "{site.base}/k/feed.xml"\n',
                       encoding="utf-8")
    store = env / "store" / "store.db"
    proc = _start(env, sources)
    try:
        _wait_for_suspects(store, proc, 5)
        workers = psutil.Process(proc.pid).children(recursive=True)  # the check pool's (none on one core)
        proc.send_signal(getattr(signal, how))
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # no worker outlives its run, even one killed with SIGKILL
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, [p.pid for p in alive]
    if how == "SIGKILL":
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == 0, proc.stderr.read().decode()
        assert "Stopped" in proc.stderr.read().decode()
    done = rows(store, "SELECT COUNT(*) FROM suspects")[0][0]
    assert 5 <= done < 12
    assert rows(store, "SELECT COUNT(*) FROM pending")[0][0] == 12 - done

    for path in paths:
        site.routes[path].delay = 0
    proc = _start(env, sources)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    suspects = rows(store, "SELECT url, version FROM suspects ORDER BY url")
    assert [u.replace(site.base, "") for u, _ in suspects] == paths
    assert {v for _, v in suspects} == {1}
    assert rows(store, "SELECT COUNT(*) FROM findings")[0][0] == 4  # pages 0, 3, 6, 9
    assert rows(store, "SELECT COUNT(*) FROM evidence")[0][0] == 12 + 1  # the pages and the feed, once each
    assert rows(store, "SELECT COUNT(*) FROM pending")[0][0] == 0
    # pages are fetched again only if they were fetched but not yet recorded when the process died
    # (at most the runner's window of 2 x workers fetches)
    refetched = sum(site.hits[p] for p in paths) - 12
    assert 0 <= refetched <= 4


def test_follow_keeps_going_and_versions_changes(site, env):
    from reprintwatch import Detector, SQLiteIndex
    from reprintwatch.ingest import Fetcher, Runner, load_sources

    sources = env / "w.toml"
    sources.write_text(f'[defaults]\ndelay = "0s"\n[[source]]\nname = "w"\ntype = "pages"\n'
                       f'urls = ["{site.base}/mp/s/LibRaRyRePrInT01"]\n', encoding="utf-8")
    index = SQLiteIndex(env / "licensed.db", create=False)
    class ChangingRunner(Runner):
        def run_once(self):
            counters = super().run_once()
            # after the first cycle the article is deleted by its publisher
            site.routes["/mp/s/LibRaRyRePrInT01"].body = site.fixture("wechat_removed.html")
            return counters

    with Store(env / "store" / "store.db") as store:
        runner = ChangingRunner(store, Detector(index), load_sources(sources), Fetcher())
        counters = runner.follow(interval=0, cycles=3)
        history = store.conn.execute("SELECT version, status FROM suspects ORDER BY version").fetchall()
        assert [tuple(r) for r in history] == [(1, "ok"), (2, "removed")]
        assert counters.new == 1 and counters.removed == 1 and counters.unchanged == 1
        assert site.hits["/mp/s/LibRaRyRePrInT01"] == 3
        assert store.get_checkpoint("last_run_completed")
    index.close()


@pytest.mark.slow
def test_follow_stops_on_sigterm(site, env):
    sources = env / "w.toml"
    sources.write_text(f'[defaults]\ndelay = "0s"\n[[source]]\nname = "w"\ntype = "pages"\n'
                       f'urls = ["{site.base}/news/2026/autumn-games.html"]\n', encoding="utf-8")
    args = [sys.executable, "-m", "reprintwatch.cli", "ingest", "run", "--sources", str(sources), "--follow",
            "--interval", "1h", "--no-progress"]
    proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for_suspects(env / "store" / "store.db", proc, 1)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0 and b"Stopped" in err


@pytest.mark.slow
def test_two_runs_on_one_store_do_not_collide(site, env):
    """Both runs record pages at the same time: versions are numbered inside the write transaction, so
    neither dies with IntegrityError UNIQUE(suspects.url, version), and the content is compared again under
    the write lock, so a page both runs fetched unchanged is one version, not two."""
    paths = _kill_site(site, 12)
    for path in paths:
        site.routes[path].delay = 0.05
    sources = env / "k.toml"
    sources.write_text(f'[defaults]\ndelay = "0s"\n\n[[source]]\nname = "k"\ntype = "feed"\nurl = "{site.base}/k/feed.xml"\n',
                       encoding="utf-8")
    procs = [_start(env, sources) for _ in range(2)]
    results = [proc.communicate(timeout=120) for proc in procs]
    for proc, (_, err) in zip(procs, results):
        assert proc.returncode == 0, err.decode()
        assert b"IntegrityError" not in err and b"Traceback" not in err
    store = env / "store" / "store.db"
    suspects = rows(store, "SELECT url, version FROM suspects ORDER BY url, version")
    assert {u.replace(site.base, "") for u, _ in suspects} == set(paths)
    assert len(set(suspects)) == len(suspects)
    assert sorted(v for _, v in suspects) == [1] * len(paths), suspects  # one version a page: nothing changed
    assert rows(store, "SELECT COUNT(*) FROM pending")[0][0] == 0


# --- outcomes named for what happened; one summary line; exit 4 when every source failed ------------------
def _dead_sources(env, extra: str = "") -> str:
    path = env / "dead.toml"
    path.write_text(f"""
[defaults]
delay = "0s"
backoff = "0s"
retries = 0

[[source]]
name = "nowhere"
type = "pages"
urls = ["http://no-such-host.invalid/a.html"]

[[source]]
name = "closed"
type = "feed"
url = "http://127.0.0.1:{closed_port()}/rss.xml"
{extra}""", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("progress", ["--progress", "--no-progress"])
def test_every_source_failing_exits_4_with_one_summary_line_and_named_outcomes(env, progress):
    result = run(["ingest", "run", "--sources", _dead_sources(env), "--once", progress, "--log-format", "json"])
    assert result.exit_code == 4, result.output
    summaries = [line for line in result.stderr.splitlines() if line.startswith("ingest: ")]
    assert len(summaries) == 1 and "2 errors" in summaries[0]
    assert "every source failed (closed, nowhere)" in result.stderr
    events = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    feed = [e for e in events if e["event"] == "feed_error"][0]
    assert feed["kind"] == "refused"
    store = env / "store" / "store.db"
    (error,) = rows(store, "SELECT error FROM suspects WHERE url LIKE '%invalid%'")[0]
    assert error.startswith("dns: ") and "disallowed" not in error


def test_one_working_source_means_exit_0(site, env):
    extra = f"""
[[source]]
name = "works"
type = "pages"
urls = ["{site.base}/news/2026/rice.html"]
"""
    result = run(["ingest", "run", "--sources", _dead_sources(env, extra), "--once", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert len([line for line in result.stderr.splitlines() if line.startswith("ingest: ")]) == 1


def test_the_article_is_the_fetched_url_never_the_page_claim(site, env):
    page = site.fixture("wechat_reprint.html").replace(
        b"http://mp.weixin.qq.com/s/LibRaRyRePrInT01", b"https://licensed-outlet.example.com/claimed")
    site.add("/moved/final.html", page, content_type="text/html; charset=utf-8")
    site.add("/moved/start", b"", status=302, headers={"Location": "/moved/final.html"})
    article, _ = fetch_article(site.base + "/moved/start", Settings.load())
    assert article.url == site.base + "/moved/final.html"
    assert "licensed-outlet" not in article.url and article.id == site.base + "/moved/start"


# --- parallel checks (ingest run --jobs) ------------------------------------------------------------------
def _store_contents(path, ordered=True):
    """What a run recorded, without the clock: suspects (in id order when ``ordered``) and their findings."""
    suspects = rows(path, "SELECT id, url, platform, status, version, source, title, content, error FROM suspects ORDER BY id")
    findings = rows(path, "SELECT s.url, f.licensed_id, f.verdict FROM findings f JOIN suspects s ON s.id = f.suspect_id"
                          " ORDER BY f.id")
    if ordered:
        return suspects, findings
    return sorted(s[1:] for s in suspects), sorted(findings)


def test_parallel_checks_record_what_one_job_records(tmp_path, monkeypatch):
    """Local items are recorded in input order with one job or two: the same suspects with the same ids, the
    same findings — and with two the checks really ran on the workers (CheckPool.submit)."""
    from reprintwatch import Detector, SQLiteIndex, read_jsonl
    from reprintwatch.detector import CheckPool
    from reprintwatch.ingest.runner import Runner
    from reprintwatch.ingest.sources import load_sources

    lines = (REPO / "data" / "suspects.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    # 3 × 14 items, more than a batch (4 × jobs): the sample suspects at other URLs, then the first part again
    # (the same URL twice in a batch: unchanged, as with one job)
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for n in range(3):
        with (crawl / f"part{n}.jsonl").open("w", encoding="utf-8") as fh:
            for item in items:
                fh.write(json.dumps({**item, "url": f"{item['url']}?copy={n % 2}"}, ensure_ascii=False) + "\n")
    sources = tmp_path / "s.toml"
    sources.write_text("[[source]]\nname = 'crawl'\ntype = 'local'\npath = 'crawl'\n", encoding="utf-8")
    submitted = []
    original = CheckPool.submit

    def counted(self, articles):
        submitted.extend(a.id for a in articles)
        return original(self, articles)

    monkeypatch.setattr(CheckPool, "submit", counted)
    index = SQLiteIndex(tmp_path / "licensed.db")
    Detector(index).add(read_jsonl(REPO / "data" / "licensed.jsonl"))
    try:
        contents = {}
        for jobs in (1, 2):
            with Store(tmp_path / f"store{jobs}.db") as store:
                counters = Runner(store, Detector(index), load_sources(sources), jobs=jobs).run_once()
                assert (counters.new, counters.unchanged, counters.errors) == (2 * len(items), len(items), 0)
            contents[jobs] = _store_contents(tmp_path / f"store{jobs}.db")
        assert contents[2] == contents[1]
        assert len(contents[1][1]) >= 3 * 5  # the sample suspects hold reprints
        assert len(submitted) == len(set(submitted)) == 2 * len(items)  # on the workers; repeats: same bytes
    finally:
        index.close()


def test_ingest_run_jobs_records_what_one_job_records(site, env, monkeypatch):
    sources = example_sources(site, env)
    contents = {}
    for jobs in (1, 2):
        store = env / f"store{jobs}" / "store.db"
        monkeypatch.setenv("REPRINTWATCH_STORE", str(store))
        result = run(["ingest", "run", "--sources", str(sources), "--once", "--jobs", str(jobs), "--no-progress"])
        assert result.exit_code == 0, result.output
        contents[jobs] = _store_contents(store, ordered=False)  # fetches finish in any order, one job or two
    assert contents[2] == contents[1] and len(contents[1][0]) == 8 and len(contents[1][1]) == 2


def test_pages_queued_behind_drips_on_one_host_are_fetched(env):
    """Issue 21: two drip-feeding URLs and two normal pages on one host, one slot: the drips time out, the
    normal pages (asked for after both drips' deadlines) are fetched — not "no time left", not exit 4."""
    from test_ingest_fetch import _hostile_server

    base, seen, stop = _hostile_server()
    try:
        sources = env / "drips.toml"
        sources.write_text(f'[defaults]\ndelay = "0s"\nconcurrency = 1\nretries = 0\nrobots = false\n'
                           f'read_timeout = "1s"\ndeadline = "1.5s"\n[[source]]\nname = "w"\ntype = "pages"\n'
                           f'urls = ["{base}/drip?1", "{base}/drip?2", "{base}/page-1.html", "{base}/page-2.html"]\n',
                           encoding="utf-8")
        result = run(["ingest", "run", "--sources", str(sources), "--once", "--workers", "4", "--no-progress"])
    finally:
        stop()
    assert result.exit_code == 0, result.output
    outcome = {u.replace(base, ""): e or "" for u, e in rows(env / "store" / "store.db", "SELECT url, error FROM suspects")}
    assert "deadline" in outcome["/drip?1"] and "deadline" in outcome["/drip?2"]
    assert {p for p, _ in seen} >= {"/page-1.html", "/page-2.html"}
    assert "timeout" not in outcome.get("/page-1.html", "") and "timeout" not in outcome.get("/page-2.html", "")
