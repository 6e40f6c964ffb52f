"""Report generation and page weight at 1k / 10k / 50k findings: build time from the stored triage against a
forced re-judge in the same run, page weight, the first frame in headless Chromium, and ``serve``'s first page.

    .venv/bin/python bench/bench_reports.py                      # 1000 10000 50000 findings
    .venv/bin/python bench/bench_reports.py --sizes 1000 --no-browser

Findings are synthetic but made of real detector output: the repository's sample suspects
(``data/suspects.jsonl``, texts written for this project) are checked against ``data/licensed.jsonl``
once, and each real match is recorded again for many made-up reprinters (300 at 10k: two thirds WeChat
accounts on mp.weixin.qq.com recorded as a JSONL ``local`` source, a few copying a lot): N on the report
day and N/4 more over the 13 days before, with three licences so some copies are authorised.

Then every finding is triaged and the triage kept, as ingestion does (``triage.assess.refresh_triage``,
the real code) — with the two pure text comparisons (``verbatim.compare``, ``attribution.attribute``)
memoised per distinct input while the store is prepared, because the copies repeat a dozen texts and
judging 62,500 findings at ~30 ms each would take half an hour on the shared machine. The timings below
never use that memo.

For each size: the time to build the daily report from the stored triage (read the store, read each
triage, summarise) and — in the same run — with ``--rejudge`` semantics (every finding judged afresh:
the whole day at sizes up to ``--full-rejudge-max``, else a random sample of ``--rejudge-sample``
findings, reported per finding); to render the HTML (index page + one page a finding, texts loaded for
them), the index page's bytes; ``serve``'s first page (a real server on 127.0.0.1, the first request
after start: reads and summarises the whole store) and the next one; and — unless ``--no-browser`` — the
time headless Chromium takes from navigation to the load event and to the first frame painted after it,
read over the DevTools protocol (``--remote-debugging-pipe``: no extra package), with an empty page
measured in the same run as the baseline. Wall and CPU seconds (this process) are both printed: the
machine is shared, so compare ratios within one run. ``--before SIZE…`` also renders those sizes with
the HTML layer as it was before issue 13 (commit 746fbcd: every finding expanded in one page).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reprintwatch.articles import Article  # noqa: E402
from reprintwatch.config import Settings  # noqa: E402
from reprintwatch.detector import Detector  # noqa: E402
from reprintwatch.index.sqlite import SQLiteIndex  # noqa: E402
from reprintwatch.store import Store  # noqa: E402

REPORT_DAY = dt.date(2026, 11, 27)


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def templates(index) -> list[tuple[dict, dict]]:
    """(suspect row, match dict) for every real reprint among the sample suspects."""
    detector = Detector(index)
    out = []
    for row in _jsonl(REPO / "data" / "suspects.jsonl"):
        art = Article(id=row["id"], content=row["content"], title=row.get("title", ""), url=row.get("url", ""))
        for match in detector.check(art).reprints:
            d = match.to_dict()
            d["published_at"] = match.licensed.published_at
            out.append((row, d))
    return out


def reprinters(n: int, rng: random.Random) -> list[dict]:
    out = []
    for i in range(n):
        if i % 3 != 2:
            biz = f"MzA{i:07d}"
            out.append({"account": f"转载号{i:03d}", "site": "mp.weixin.qq.com",
                        "url": "https://mp.weixin.qq.com/s?__biz=" + biz + "==&mid={mid}&idx=1"})
        else:
            out.append({"account": "", "site": f"news{i:03d}.example", "url": f"https://news{i:03d}.example/a/{{mid}}.html"})
    rng.shuffle(out)
    return out


def make_store(directory: Path, n: int, seed: int = 13, day: dt.date = REPORT_DAY, triage: bool = False) -> Settings:
    """A licensed index of the sample articles and a findings store with ``n`` findings (``triage``: each
    with its triage kept, as after ingestion)."""
    from reprintwatch.triage.licences import make_licence

    directory.mkdir(parents=True, exist_ok=True)
    settings = Settings.load(environ={}, db=directory / "licensed.db", store=directory / "store.db")
    rng = random.Random(seed)
    with SQLiteIndex(settings.db) as index:
        Detector(index).add([Article(**r) for r in _jsonl(REPO / "data" / "licensed.jsonl")])
        tmpl = templates(index)
    who = reprinters(max(30, n * 3 // 100), rng)
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(who))]  # a few reprinters copy a lot
    with Store(settings.store) as store, store.transaction():
        for i in range(n + n // 4):
            row, match = tmpl[i % len(tmpl)]
            r = rng.choices(who, weights)[0]
            when = day if i < n else day - dt.timedelta(days=rng.randint(1, 13))
            # a time of the newsroom's day (China time: the day reports count in), stored in UTC
            local = dt.datetime(when.year, when.month, when.day, rng.randint(0, 23), rng.randint(0, 59),
                                tzinfo=dt.timezone(dt.timedelta(hours=8)))
            created = local.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
            url = r["url"].format(mid=i)
            suspect = store.record_suspect(
                url, "local", content_hash=f"bench-{i}", version=1, source="bench-jsonl", site=r["site"],
                account=r["account"], title=row.get("title", ""), published_at=f"{when.isoformat()}T08:00:00+08:00",
                content=row["content"], checked_at=created,
            )
            store.record_findings(suspect, [match], created_at=created)
    with Store(settings.store) as store:
        store.add_licences([
            make_licence("wechat", who[0]["account"] or who[1]["account"], "*", "2026-01-01", "2026-12-31", "may_edit", "bench"),
            make_licence("site", "news002.example", "江南日报", "2026-01-01", "2026-12-31", "may_reprint", "bench"),
            make_licence("wechat", who[3]["account"] or who[4]["account"], "华夏通讯社", "2025-01-01", "2025-12-31", "may_edit", "expired"),
        ])
    if triage:
        triage_store(settings)
    return settings


def triage_store(settings: Settings) -> int:
    """Triage every finding and keep it, as ingestion does (the real ``refresh_triage``), with the pure text
    comparisons memoised per distinct input (the synthetic copies repeat a dozen texts)."""
    import importlib

    from reprintwatch.triage.assess import refresh_triage

    assess = importlib.import_module("reprintwatch.triage.assess")
    real = {"compare": assess.compare, "attribute": assess.attribute}
    memo: dict = {}

    def memoised(name):
        def call(*args, **kwargs):
            key = (name, json.dumps([args, kwargs], ensure_ascii=False, sort_keys=True, default=str))
            if key not in memo:
                memo[key] = real[name](*args, **kwargs)
            return memo[key]
        return call

    assess.compare, assess.attribute = memoised("compare"), memoised("attribute")
    try:
        with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index:
            return refresh_triage(store, store.licences(), index)
    finally:
        assess.compare, assess.attribute = real["compare"], real["attribute"]


# --------------------------------------------------------------------------- Chromium over CDP


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    """Headless Chromium driven over ``--remote-debugging-pipe`` (fd 3 in, fd 4 out; NUL-separated JSON)."""

    def __init__(self, chromium: str, profile: Path, width: int = 1280, height: int = 900):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # the child reads commands on fd 3 and writes replies on fd 4 (moved out of the way first, in case
        # the pipes themselves got fds 3 or 4; dup2 leaves the copies inheritable)
        def child_fds():
            import fcntl

            r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
             f"--user-data-dir={profile}", f"--window-size={width},{height}", "--remote-debugging-pipe",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=child_fds, close_fds=False,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
        self.call("Page.enable", session=True)

    def _send(self, msg: dict) -> None:
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")

    def _read(self, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buf:
            if time.monotonic() > deadline:
                raise TimeoutError("no reply from Chromium")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, session: bool = False, **params):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        self._send(msg)
        while True:
            reply = self._read()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, name: str, timeout: float = 120) -> dict:
        while True:
            for i, ev in enumerate(self.events):
                if ev.get("method") == name:
                    return self.events.pop(i)
            self.events.append(self._read(timeout))

    def open(self, url: str) -> dict:
        """Navigate and wait for the load event; the page's own navigation timing, in ms."""
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_event("Page.loadEventFired")
        # DevTools evaluation is not subject to the page's CSP (the page itself runs no script)
        expr = (
            "JSON.stringify({load: performance.getEntriesByType('navigation')[0].loadEventEnd,"
            " fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null,"
            " title: document.title, rows: document.querySelectorAll('tr').length,"
            " scripts_ran: document.documentElement.hasAttribute('data-pwned')})"
        )
        result = self.call("Runtime.evaluate", session=True, expression=expr, returnByValue=True)
        out = json.loads(result["result"]["value"])
        # the first frame painted after load (layout of the visible part included): two animation frames
        painted = self.call("Runtime.evaluate", session=True, awaitPromise=True, returnByValue=True, expression=(
            "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"))
        out["painted"] = painted["result"]["value"]
        return out

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        import base64

        params = {"format": "png"}
        if full_page:
            metrics = self.call("Page.getLayoutMetrics", session=True)["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": metrics["width"], "height": min(metrics["height"], 4000), "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", session=True, **params)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._to_child)
        os.close(self._from_child)


# --------------------------------------------------------------------------- the benchmark


class Clock:
    """Wall and CPU (this process) seconds of a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def build(settings: Settings, force: bool = False):
    from reprintwatch.report import daily_report

    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index, Clock() as c:
        report = daily_report(store, store.licences(), index, REPORT_DAY, force=force)
    return report, c


def render_pages(settings: Settings, report, out: Path) -> dict:
    from reprintwatch.report.daily import load_texts
    from reprintwatch.report.html import write_html

    if out.parent.exists():
        shutil.rmtree(out.parent)
    out.parent.mkdir(parents=True)
    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index, Clock() as c:
        load_texts(report, index, store)
        pages = write_html(report, out)
    detail = [p for p in pages if p != out]
    return {
        "render_s": c.wall, "render_cpu_s": c.cpu,
        "index_bytes": out.stat().st_size,
        "finding_pages": len(detail),
        "largest_finding_page_bytes": max((p.stat().st_size for p in detail), default=0),
        "total_bytes": sum(p.stat().st_size for p in pages),
    }


def rejudge_sample(settings: Settings, k: int, seed: int = 7) -> dict:
    """Judge ``k`` of the report day's findings afresh (what ``--rejudge`` does to each; nothing kept)."""
    from reprintwatch.triage.assess import triage_of

    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index:
        rows = store.list_findings(since=REPORT_DAY.isoformat(), until=REPORT_DAY.isoformat(), content=False)
        rows = random.Random(seed).sample(rows, min(k, len(rows)))
        with Clock() as c:
            triage_of(store, rows, store.licences(), index, force=True, keep=False)
    return {"rejudged": len(rows), "rejudge_s_per_finding": c.wall / len(rows), "rejudge_cpu_s_per_finding": c.cpu / len(rows)}


def serve_latency(settings: Settings) -> dict:
    """``serve`` over HTTP on 127.0.0.1: the first page (the first request after start), again, page 2, a
    finding, the summary of everything (``?summary=1``: reads the whole store), the first page once that
    is read, and a filter (in memory from then on)."""
    import urllib.request

    from reprintwatch.report.serve import serving

    out = {}
    # the server's SQLite connections belong to its thread, as under `reprintwatch serve`
    with serving(settings, open_index=lambda s: SQLiteIndex(s.db, create=False)) as base:
        with Store(settings.store, create=False) as store:
            fid = store.conn.execute("SELECT MAX(id) FROM findings").fetchone()[0]
        for name, path in (("first", "/"), ("again", "/"), ("page2", "/?page=2"), ("finding", f"/finding/{fid}"),
                           ("summary", "/?summary=1"), ("summary_again", "/"),
                           ("unauthorised_wechat", "/?authorised=no&platform=wechat")):
            with Clock() as c:
                with urllib.request.urlopen(base + path, timeout=600) as response:
                    body = response.read()
            out[f"serve_{name}_s"] = c.wall
            out[f"serve_{name}_cpu_s"] = c.cpu
            out[f"serve_{name}_bytes"] = len(body)
    return out


BEFORE_COMMIT = "746fbcd"


def render_before(settings: Settings, out: Path) -> dict:
    """The report page as the HTML layer before issue 13 rendered it (one page, everything expanded)."""
    import types

    from reprintwatch.report import daily_report

    src = subprocess.run(["git", "-C", str(REPO), "show", f"{BEFORE_COMMIT}:reprintwatch/report/html.py"],
                         capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("reprintwatch.report._html_before")
    module.__package__ = "reprintwatch.report"
    exec(compile(src, f"{BEFORE_COMMIT}:html.py", "exec"), module.__dict__)
    with Store(settings.store, create=False) as store, SQLiteIndex(settings.db, create=False) as index:
        report = daily_report(store, store.licences(), index, REPORT_DAY)
        from reprintwatch.report.daily import load_texts

        load_texts(report, index, store)
    t = time.perf_counter()
    out.write_text(module.render_html(report), encoding="utf-8")
    return {"render_s": time.perf_counter() - t, "bytes": out.stat().st_size}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--serve-only", action="store_true", help="Only make the stores and time serve.")
    parser.add_argument("--before", type=int, nargs="*", default=[], metavar="SIZE",
                        help="Also open these sizes as rendered before issue 13 (slow: one big page).")
    parser.add_argument("--full-rejudge-max", type=int, default=1000, metavar="N",
                        help="Up to this size, time a forced re-judge of the whole day; above it, of a sample.")
    parser.add_argument("--rejudge-sample", type=int, default=500, metavar="K",
                        help="Findings re-judged (timed, per finding) above --full-rejudge-max.")
    parser.add_argument("--keep", type=Path, help="Build the stores and pages here (kept) instead of a temp dir.")
    args = parser.parse_args(argv)
    chromium = None if args.no_browser else find_chromium()
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
    print(f"commit {commit}{' (uncommitted changes)' if dirty else ''}; chromium {chromium or 'not used'}; "
          f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs")
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-reports-"))
    rows = []
    try:
        browser = Browser(chromium, work / "profile") if chromium else None
        blank = None
        if browser:
            (work / "blank.html").write_text("<!DOCTYPE html><title>blank</title><p>blank</p>", encoding="utf-8")
            browser.open((work / "blank.html").as_uri())  # warm-up
            blank = statistics.median(browser.open((work / "blank.html").as_uri())["painted"] for _ in range(args.repeat))
            print(f"baseline: an empty page is loaded and painted in {blank:.0f} ms")
        for n in args.sizes:
            with Clock() as made:
                settings = make_store(work / f"n{n}", n, triage=True)
            if args.serve_only:
                row = {"findings": n, "store_s": made.wall, **serve_latency(settings)}
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
                continue
            repeat = args.repeat if n <= 1000 else 1
            builds = [build(settings) for _ in range(repeat)]
            report = builds[-1][0]
            row = {"findings": len(report.assessments), "store_s": made.wall,
                   "build_s": statistics.median(c.wall for _, c in builds),
                   "build_cpu_s": statistics.median(c.cpu for _, c in builds)}
            if n <= args.full_rejudge_max:
                forced = [build(settings, force=True)[1] for _ in range(repeat)]
                row["rejudge_s"] = statistics.median(c.wall for c in forced)
                row["rejudge_cpu_s"] = statistics.median(c.cpu for c in forced)
                row["rejudged"] = len(report.assessments)
                row["rejudge_cpu_s_per_finding"] = row["rejudge_cpu_s"] / max(1, len(report.assessments))
            else:
                row.update(rejudge_sample(settings, args.rejudge_sample))
            row["stored_cpu_s_per_finding"] = row["build_cpu_s"] / max(1, len(report.assessments))
            row["cpu_ratio"] = row["rejudge_cpu_s_per_finding"] / row["stored_cpu_s_per_finding"]
            row.update(render_pages(settings, report, work / f"n{n}" / "html" / "daily.html"))
            del report, builds
            if not args.no_serve:
                row.update(serve_latency(settings))
            if browser:
                page = (work / f"n{n}" / "html" / "daily.html").as_uri()
                loads = [browser.open(page) for _ in range(args.repeat)]
                row["load_ms"] = statistics.median(x["load"] for x in loads)
                row["fcp_ms"] = statistics.median(x["fcp"] or 0 for x in loads)
                row["painted_ms"] = statistics.median(x["painted"] for x in loads)
                row["rows"] = loads[-1]["rows"]
                row["blank_ms"] = blank
            if n in args.before:
                before = render_before(settings, work / f"n{n}" / "before.html")
                row["before_bytes"] = before["bytes"]
                if browser:
                    row["before_ms"] = browser.open((work / f"n{n}" / "before.html").as_uri())["painted"]
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            shutil.rmtree(work / f"n{n}" / "html", ignore_errors=True)
        if browser:
            browser.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.serve_only:
        return 0
    print()
    print("| findings on the day | build from stored triage: wall, CPU | re-judge every finding: CPU a finding (ratio) | "
          "render (s) | report page | finding pages | Chromium: first frame (ms) | serve: first page, next (s) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        painted = f"{r['painted_ms']:,.0f}" if "painted_ms" in r else "–"
        serve = f"{r['serve_first_s']:.2f}, {r['serve_again_s']:.2f}" if "serve_first_s" in r else "–"
        how = "whole day" if r["rejudged"] == r["findings"] else f"{r['rejudged']:,} sampled"
        print(f"| {r['findings']:,} | {r['build_s']:.2f} s, {r['build_cpu_s']:.2f} s | "
              f"{r['rejudge_cpu_s_per_finding'] * 1000:.1f} ms ({how}) vs {r['stored_cpu_s_per_finding'] * 1000:.2f} ms: "
              f"{r['cpu_ratio']:,.0f}× | {r['render_s']:.2f} | {r['index_bytes'] / 1e6:.2f} MB | "
              f"{r['finding_pages']:,} (largest {r['largest_finding_page_bytes'] / 1e3:.0f} kB) | {painted} | {serve} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
