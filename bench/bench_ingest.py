"""Ingest throughput: pages/s through fetch (a local HTTP server) + extraction + check + store, and the
share of time spent in each stage.

    /tmp/venv/bin/python bench/bench_ingest.py                 # 300 pages, ~1 minute on a busy 2-core box
    /tmp/venv/bin/python bench/bench_ingest.py --pages 1000 --workers 4

Licensed articles: the real Xinhua sample from ../shared/data/raw (research-only, read in place, never
copied), else the two test fixtures. Pages are served from memory by a threaded ``http.server`` on
127.0.0.1: a third are WeChat-style pages copying a licensed article, a third generic news pages copying
one, a third generic pages with articles that are not in the index.

Two measurements, after a warm-up page:
1. *pipeline* — the real :class:`Runner` (``ingest run --once`` code path) with N fetch threads;
2. *stages* — as many other pages, one at a time, each stage timed on its own (fetch, decode+extract,
   check, store) into a fresh store.

With ``--processes 1,2,4``: several ``reprintwatch ingest run --once`` processes on one PostgreSQL store
(``REPRINTWATCH_PG_URL`` + ``PGPASSFILE``, else ``scripts/postgresql.sh start``), against ``--hosts`` local
servers (one port each: separate hosts for politeness) with ``--pages`` pages in all, each answered after
``--latency`` seconds, fetched with a per-host ``--delay``. For each process count: pages/s (wall clock,
process start-up included), the store time a page (its recording transaction, write-lock wait included;
p50/p99 from the ``recorded`` log events), what the servers saw (the most concurrent requests one host got,
the shortest gap between two request arrivals at one host, by the kernel's receive timestamps), pages lost /
recorded twice / fetched twice, and where the rest of the wall clock went (launch to the first log line,
the last page to the last exit, judging the new findings) and how often the feeds were fetched.

    python bench/bench_ingest.py --processes 1,2,4                 # 3000 pages on 30 hosts, ~12 minutes
    python bench/bench_ingest.py --processes 1,2,4 --latency 1.0 --workers 8    # docs/postgresql.md, ~17 min
"""
from __future__ import annotations

import argparse
import datetime as _dt
import html
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reprintwatch.articles import Article  # noqa: E402
from reprintwatch.detector import Detector  # noqa: E402
from reprintwatch.index.sqlite import SQLiteIndex  # noqa: E402
from reprintwatch.ingest.extract import extract_page  # noqa: E402
from reprintwatch.ingest.fetch import Fetcher, FetchPolicy  # noqa: E402
from reprintwatch.ingest.page import extract_bytes, to_article  # noqa: E402
from reprintwatch.ingest.runner import Runner  # noqa: E402
from reprintwatch.ingest.sources import Source  # noqa: E402
from reprintwatch.store import Store  # noqa: E402

XINHUA = REPO.parent / "shared" / "data" / "raw" / "xinhua-uhgeval-1000" / "xinhua_articles.jsonl"
FIXTURE = REPO / "tests" / "fixtures" / "ingest" / "licensed.jsonl"


def load_articles() -> tuple[list[Article], str]:
    if XINHUA.exists():
        rows = [json.loads(line) for line in XINHUA.read_text(encoding="utf-8").splitlines() if line.strip()]
        arts = [Article(id=r["id"], content=r["text"].strip(), title=r.get("headline", ""), outlet="新华社")
                for r in rows if len(r.get("text", "").strip()) > 200]
        return arts, f"{XINHUA.relative_to(REPO.parent)} ({len(arts)} articles)"
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Article(**r) for r in rows], f"{FIXTURE.relative_to(REPO)} (fixtures only: ../shared/data/raw absent)"


def wechat_page(a: Article, i: int) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in a.content.split("\n") if p.strip())
    return (f'<html><head><meta charset="utf-8"><meta property="og:title" content="{html.escape(a.title)}"></head><body>'
            f'<h1 id="activity-name">{html.escape(a.title)}</h1><a id="js_name">转载号{i % 17}</a>'
            f'<div id="js_content"><section><p>点击上方蓝字关注我们</p></section>{body}</div>'
            f'<script>var ct = "{1795136400 + i}"; var nickname = htmlDecode("转载号{i % 17}");</script></body></html>')


def news_page(a: Article, i: int) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in a.content.split("\n") if p.strip())
    return (f'<html><head><meta charset="utf-8"><title>{html.escape(a.title)} - 资讯网</title>'
            f'<meta name="author" content="编辑{i}"><link rel="canonical" href="https://copy.example/{i}.html"></head>'
            f'<body><nav><a href="/">首页</a> | <a href="/news">新闻</a></nav><article><h1>{html.escape(a.title)}</h1>'
            f'{body}</article><footer>版权所有 转载请注明出处</footer></body></html>')


class Pages(BaseHTTPRequestHandler):
    pages: dict[str, bytes] = {}

    def do_GET(self):  # noqa: N802 - http.server API
        body = self.pages.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def pg_server_url() -> str:
    """The PostgreSQL server to bench on (the password from PGPASSFILE / PGPASSWORD, never in the URL)."""
    url = os.environ.get("REPRINTWATCH_PG_URL")
    if url:
        return url
    script = REPO / "scripts" / "postgresql.sh"
    url = subprocess.run(["bash", str(script), "start"], capture_output=True, text=True, check=True).stdout.split()[-1]
    os.environ.setdefault("PGPASSFILE", subprocess.run(["bash", str(script), "passfile"], capture_output=True,
                                                       text=True, check=True).stdout.strip())
    return url


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def shared_store(args) -> None:
    """N ingest processes on one PostgreSQL store (see the module docstring)."""
    import psycopg

    sys.path.insert(0, str(REPO / "tests"))
    from hosts_site import Hosts

    server_url = pg_server_url()
    articles, origin = load_articles()
    split = max(1, int(len(articles) * 0.7))
    licensed, unlicensed = articles[:split], articles[split:] or articles[:1]
    per_host = args.pages // args.hosts

    def page(h: int, i: int, base: str) -> bytes:
        n = h * per_host + i
        kind = n % 3
        art = (licensed if kind < 2 else unlicensed)[n % len(licensed if kind < 2 else unlicensed)]
        return (wechat_page(art, n) if kind == 0 else news_page(art, n)).encode("utf-8")

    hosts = Hosts(args.hosts, per_host, page, latency=args.latency)
    pages = {f"{base}/p/{i}.html" for base in hosts.bases for i in range(per_host)}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with SQLiteIndex(tmp / "licensed.db") as index:
            Detector(index).add(licensed)
        sources = tmp / "sources.toml"
        sources.write_text(hosts.sources_toml(args.delay, args.concurrency), encoding="utf-8")
        for n in [int(x) for x in args.processes.split(",")]:
            schema = f"bench_ingest_{n}_{os.getpid()}"
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                conn.execute(f"CREATE SCHEMA {schema}")
            url = f"{server_url}?options=-csearch_path%3D{schema}"
            Store(url).close()
            with hosts._lock:
                hosts.log.clear()
            env = {**os.environ, "REPRINTWATCH_STORE": url, "REPRINTWATCH_DB": str(tmp / "licensed.db")}
            logs = [tmp / f"ingest-{n}-{k}.jsonl" for k in range(n)]
            cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            launched = time.time()
            start = time.perf_counter()
            procs = [subprocess.Popen([sys.executable, "-m", "reprintwatch.cli", "ingest", "run", "--sources",
                                       str(sources), "--once", "--workers", str(args.workers), "--jobs", "1",
                                       "--no-progress", "--log-file", str(log)], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for log in logs]
            errors = [p.communicate()[1].decode() for p in procs]
            wall = time.perf_counter() - start
            ended = time.time()
            cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
            for p, err in zip(procs, errors):
                if p.returncode != 0:
                    print(f"warning: a process exited {p.returncode}: {err[-500:]}")
            events = [json.loads(line) for log in logs for line in log.read_text(encoding="utf-8").splitlines()
                      if line.strip()]
            recorded_events = [e for e in events if e.get("event") == "recorded"]
            store_ms = [e["store_ms"] for e in recorded_events if e.get("store_ms") is not None]
            # the pages' own phase: the first log line of any process (start-up done) to the last page recorded
            # (the judging of new findings after it is the wall clock's, not fetching's)
            moments = sorted(_dt.datetime.fromisoformat(e["ts"].replace("Z", "+00:00")) for e in events)
            last = max(_dt.datetime.fromisoformat(e["ts"].replace("Z", "+00:00")) for e in recorded_events)
            paging = (last - moments[0]).total_seconds()
            triaged = [e for e in events if e.get("event") == "triaged"]
            seen = hosts.politeness()
            with Store(url, create=False) as store:
                recorded = dict(store.conn.execute("SELECT url, COUNT(*) FROM suspects GROUP BY url").fetchall())
                findings = store.counts()["findings"]
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
            rows.append({
                "processes": n, "seconds": wall, "pages_per_s": len(pages) / wall, "paging_seconds": paging,
                "pages_per_s_paging": len(pages) / paging,
                "store_ms_p50": percentile(store_ms, 0.5), "store_ms_p99": percentile(store_ms, 0.99),
                "max_concurrent_per_host": seen["max_concurrent"], "min_gap_s": seen["min_gap"],
                "lost": len(pages - set(recorded)), "recorded_twice": sum(c - 1 for c in recorded.values()),
                "fetched_twice": sum(c - 1 for u, c in seen["fetches"].items() if u in pages),
                "same_url_at_once": seen["same_url_at_once"], "findings": findings,
                "cpu_s": cpu, "cpu_ms_per_page": cpu / len(pages) * 1000,
                # where the wall clock goes besides the pages: launch to the first log line (start-up, and the
                # first feed's refresh), the last page to the last process's exit (judging the new findings)
                "before_first_line_s": moments[0].timestamp() - launched, "after_last_page_s": ended - last.timestamp(),
                "judging_s": sum(e["seconds"] for e in triaged), "judged": sum(e["findings"] for e in triaged),
                "feed_fetches": sum(c for u, c in seen["fetches"].items() if u.endswith("/feed.xml")),
            })
            print(json.dumps(rows[-1]), file=sys.stderr)
    hosts.stop()
    print(f"licensed index: {len(licensed)} articles from {origin}")
    print(f"{len(pages)} pages on {args.hosts} hosts (127.0.0.1, one port each), {args.latency:g} s a response, "
          f"per-host delay {args.delay:g} s and concurrency {args.concurrency}; {args.workers} fetch threads a "
          f"process; one PostgreSQL store")
    print()
    print("pages/s: wall clock (start-up and judging the new findings after the last page included) / the pages'")
    print("own phase (first log line to last page recorded); vs 1: of the latter")
    print(f"{'processes':>9}{'pages/s':>13}{'vs 1':>6}{'store p50':>11}{'p99 ms':>8}{'host max':>10}"
          f"{'min gap s':>11}{'lost':>6}{'twice':>7}{'refetch':>9}{'CPU ms/page':>13}")
    one = rows[0]["pages_per_s_paging"]
    for r in rows:
        rate = f"{r['pages_per_s']:.1f} / {r['pages_per_s_paging']:.1f}"
        print(f"{r['processes']:>9}{rate:>13}{r['pages_per_s_paging'] / one:>6.2f}{r['store_ms_p50']:>11.1f}"
              f"{r['store_ms_p99']:>8.1f}{r['max_concurrent_per_host']:>10}{r['min_gap_s']:>11.3f}{r['lost']:>6}"
              f"{r['recorded_twice']:>7}{r['fetched_twice']:>9}{r['cpu_ms_per_page']:>13.0f}")
    print()
    print(f"{'processes':>9}{'launch to 1st line s':>22}{'last page to exit s':>21}{'judging s':>11}"
          f"{'judged':>8}{'feed fetches':>14}")
    for r in rows:
        print(f"{r['processes']:>9}{r['before_first_line_s']:>22.1f}{r['after_last_page_s']:>21.1f}"
              f"{r['judging_s']:>11.1f}{r['judged']:>8}{r['feed_fetches']:>14}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=None, help="pages (default 300; 3000 with --processes)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--processes", help="comma-separated process counts on one PostgreSQL store, e.g. 1,2,4")
    parser.add_argument("--hosts", type=int, default=30)
    parser.add_argument("--delay", type=float, default=0.5, help="per-host delay (--processes)")
    parser.add_argument("--concurrency", type=int, default=2, help="per-host concurrency (--processes)")
    parser.add_argument("--latency", type=float, default=0.5, help="seconds each response takes (--processes)")
    args = parser.parse_args()
    if args.processes:
        args.pages = args.pages or 3000
        return shared_store(args)
    args.pages = args.pages or 300
    logging.getLogger("reprintwatch.ingest").setLevel(logging.ERROR)

    articles, origin = load_articles()
    split = max(1, int(len(articles) * 0.7))
    licensed, unlicensed = articles[:split], articles[split:] or articles[:1]
    pages = {}
    for i in range(2 * args.pages):  # two distinct sets: one for each measurement (no warm caches)
        kind = i % 3
        if kind == 0:
            pages[f"/p/{i}"] = wechat_page(licensed[i % len(licensed)], i)
        elif kind == 1:
            pages[f"/p/{i}"] = news_page(licensed[i % len(licensed)], i)
        else:
            pages[f"/p/{i}"] = news_page(unlicensed[i % len(unlicensed)], i)
    Pages.pages = {k: v.encode("utf-8") for k, v in pages.items()}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    all_urls = [base + path for path in pages]
    urls, stage_urls = all_urls[:args.pages], all_urls[args.pages:]
    policy = FetchPolicy(delay=0, robots=False, concurrency=args.workers, retries=0)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        index = SQLiteIndex(tmp / "licensed.db")
        detector = Detector(index)
        t = time.perf_counter()
        detector.add(licensed)
        index_s = time.perf_counter() - t
        extract_page(news_page(licensed[0], 0), base)  # warm-up: trafilatura and jieba imports / dictionaries
        detector.check(licensed[0])

        # 1. the real runner, concurrent fetches
        with Store(tmp / "pipeline" / "store.db") as store:
            source = Source("bench", "pages", policy, urls=tuple(urls))
            runner = Runner(store, detector, [source], Fetcher(policy), workers=args.workers)
            start = time.perf_counter()
            counters = runner.run_once()
            pipeline_s = time.perf_counter() - start
            pipeline_findings = store.counts()["findings"]
        # 2. stages, one page at a time
        fetcher = Fetcher(policy)
        spent = {"fetch": 0.0, "extract": 0.0, "check": 0.0, "store": 0.0}
        findings = 0
        with Store(tmp / "stages" / "store.db") as store:
            start = time.perf_counter()
            for n, url in enumerate(stage_urls):
                t0 = time.perf_counter()
                result = fetcher.fetch(url)
                t1 = time.perf_counter()
                extracted = extract_bytes(result.body, result.content_type, result.final_url)
                t2 = time.perf_counter()
                matches = detector.check(to_article(extracted, result.final_url, art_id=url)).reprints
                t3 = time.perf_counter()
                with store.transaction():
                    ev = store.record_page(url, result.body, result.final_url, result.status, result.fetched_at,
                                           result.content_type, result.headers)
                    sid = store.record_suspect(url=url, platform=extracted.platform, content_hash=str(n), version=1,
                                               content=extracted.content, evidence_id=ev)
                    findings += len(store.record_findings(sid, matches))
                t4 = time.perf_counter()
                for stage, secs in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                    spent[stage] += secs
            sequential_s = time.perf_counter() - start

        index.close()
    server.shutdown()

    total = sum(spent.values())
    n = len(urls)
    print(f"licensed index: {len(licensed)} articles from {origin}, built in {index_s:.1f} s")
    print(f"pages: {n} per run (a third each: WeChat copies, news copies, unrelated news), "
          f"mean {sum(map(len, Pages.pages.values())) / len(Pages.pages) / 1024:.1f} KiB")
    print()
    print(f"{'stage':<10}{'total s':>10}{'ms/page':>10}{'share':>8}")
    for stage, secs in spent.items():
        print(f"{stage:<10}{secs:>10.2f}{secs / n * 1000:>10.1f}{secs / total:>8.0%}")
    print(f"{'all':<10}{total:>10.2f}{total / n * 1000:>10.1f}{1:>8.0%}")
    print()
    print(f"{'run':<34}{'pages/s':>10}{'findings':>10}")
    print(f"{'stages, sequential':<34}{n / sequential_s:>10.1f}{findings:>10}")
    print(f"{f'Runner (ingest run), {args.workers} workers':<34}{n / pipeline_s:>10.1f}{pipeline_findings:>10}")
    if counters.new != n:
        print(f"warning: the runner recorded {counters.new} new pages of {n}: {counters.line()}")


if __name__ == "__main__":
    main()
