"""Field accuracy of page extraction: our own page corpus (tests/page_corpus.py), and real saved pages
scored side by side with GNE and trafilatura (``--real``).

The corpus is text we wrote in the structures real pages have (WeChat 2017–2025 variants, notice pages
wrapped in script, news and self-media pages with JSON-LD, padded/broken og:title, banner h1, bylines,
comments, related blocks, disclaimers). It is NOT a sample of the web: the figures say the rules do what
they were written for, not how often the web looks like this.

    python bench/bench_extract.py                                  # the current extractor
    git show 746fbcd:reprintwatch/ingest/extract.py > /tmp/old.py  # the extractor before issue 14
    python bench/bench_extract.py --baseline /tmp/old.py           # both, in the same run

A field counts as right when it equals the truth exactly; ``body`` is right when every line of the article
is in the extracted text and no junk string is (a missing line and kept junk are also counted apart).

Real pages (research-only, never copied into the repository; their README says where they come from):

    python bench/bench_extract.py --real ../shared/data/realpages
    python bench/bench_extract.py --real ../shared/data/realpages --baseline /tmp/old.py   # and an older extractor

scores reprintwatch, GNE and trafilatura on the same decoded text in the same run, with that folder's own
scorer (``score.py``: its field rules, imported, not rewritten here), per field and per page kind. GNE and
trafilatura are given their best settings for a fair race: trafilatura's date to the minute
(``outputformat``), GNE's defaults (its title/time/body rules are what it is). GNE is a bench extra
(``pip install -e ".[bench]"``), never a runtime dependency.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
import types
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from page_corpus import CORPUS  # noqa: E402

from reprintwatch.ingest.page import outlet_of  # noqa: E402

FIELDS = ("status", "title", "account", "biz", "author", "published_at", "original", "source_link", "outlet",
          "notice_kind")


def load_baseline(path: str):
    """An older extract.py, loaded as a module inside the package (its relative imports resolve)."""
    spec = importlib.util.spec_from_file_location("reprintwatch.ingest._baseline_extract", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.extract_page


def read_fields(extract_page, case) -> tuple[dict, str, float]:
    started = time.perf_counter()
    e = extract_page(case.page, case.url)
    elapsed = time.perf_counter() - started
    status = e.status
    if status == "ok" and len((e.content or "").strip()) < 50 and case.truth.get("status") == "too_short":
        status = "ok (accepted)"
    got = {
        "status": status, "title": e.title, "account": e.account, "biz": getattr(e, "biz", None),
        "author": e.author, "published_at": e.published_at, "original": e.original_flag,
        "source_link": e.source_link, "outlet": outlet_of(e, case.url) if hasattr(e, "outlet") else
        (e.account or (case.url.split("/")[2] if case.url else "")), "notice_kind": getattr(e, "notice", None),
    }
    return got, e.content or "", elapsed


def score(extract_page) -> tuple[dict, dict, list[str], list[float]]:
    right: dict = {}
    total: dict = {}
    misses: list[str] = []
    times: list[float] = []
    for name, case in CORPUS.items():
        got, content, elapsed = read_fields(extract_page, case)
        times.append(elapsed)
        family = case.family
        for field in FIELDS:
            if field not in case.truth:
                continue
            key = (family, field)
            total[key] = total.get(key, 0) + 1
            if got[field] == case.truth[field]:
                right[key] = right.get(key, 0) + 1
            else:
                misses.append(f"{name}: {field} = {got[field]!r}, want {case.truth[field]!r}")
        if "content" in case.truth:
            missing = [line for line in case.truth["content"].split("\n") if line not in content]
            junk = [j for j in case.truth.get("junk", []) if j in content]
            for field, ok in (("body complete", not missing), ("body without junk", not junk),
                              ("body", not missing and not junk)):
                key = (family, field)
                total[key] = total.get(key, 0) + 1
                right[key] = right.get(key, 0) + ok
            if missing:
                misses.append(f"{name}: {len(missing)} article line(s) missing")
            if junk:
                misses.append(f"{name}: junk kept: {', '.join(junk)}")
    return right, total, misses, times


def _load_scorer(folder: Path):
    spec = importlib.util.spec_from_file_location("realpages_score", folder / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ours(page: str) -> dict:
    from reprintwatch.ingest.extract import extract_page

    return extract_page(page, "").to_dict()


def _gne(page: str) -> dict:
    from gne import GeneralNewsExtractor

    got = GeneralNewsExtractor().extract(page)
    return {"title": got.get("title"), "published": got.get("publish_time"), "content": got.get("content") or ""}


def _trafilatura(page: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(page, with_metadata=True, favor_recall=True,
                                      date_extraction_params={"extensive_search": True, "original_date": True,
                                                              "outputformat": "%Y-%m-%d %H:%M"})
    data = (doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)) if doc is not None else {}
    return {"title": data.get("title"), "published": data.get("date"), "content": data.get("text") or "",
            "site_name": data.get("sitename")}


TOOLS = {"reprintwatch": _ours, "GNE": _gne, "trafilatura": _trafilatura}
REAL_FIELDS = (  # (label, page selector, right?) over score.py's per-page scores
    ("status (article / removed / error)", lambda t, r: True, lambda r: r["status"]),
    ("WeChat account", lambda t, r: bool(t.get("account")), lambda r: r.get("account") is True),
    ("title", lambda t, r: r["article"], lambda r: r.get("title") is True),
    ("publish time to the minute", lambda t, r: bool(t.get("published")), lambda r: r.get("published") == "ok"),
    ("body complete (first and last sentence)", lambda t, r: "body" in r, lambda r: r["body"]["complete"]),
    ("body clean (<= 10 stray characters each end)", lambda t, r: "body" in r, lambda r: r["body"]["clean"]),
)


def score_real_pages(folder: Path, tools: dict) -> tuple[dict, dict, dict, dict]:
    """Score each tool (name -> page -> answer) on the real pages of ``folder`` with its score.py:
    (truth, per-tool per-page scores, per-tool misses, per-tool seconds)."""
    from reprintwatch.encoding import decode_page

    scorer = _load_scorer(folder)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    rows: dict[str, dict[str, dict]] = {name: {} for name in tools}
    misses: dict[str, list[str]] = {name: [] for name in tools}
    seconds: dict[str, list[float]] = {name: [] for name in tools}
    for page_name, want in truth.items():
        page = decode_page((folder / want["file"]).read_bytes())
        for name, fn in tools.items():
            started = time.perf_counter()
            try:
                answer = scorer.normalise_answer(fn(page))
            except Exception as exc:  # a tool that crashes on a page scores nothing on it
                answer = scorer.normalise_answer({"status": "error", "content": ""})
                misses[name].append(f"{page_name}: crashed: {type(exc).__name__}: {exc}")
            seconds[name].append(time.perf_counter() - started)
            rows[name][page_name] = got = scorer.score_page(want, answer)
            for field in ("title", "account"):
                if got.get(field) is False:
                    misses[name].append(f"{page_name}: {field} {answer[field]!r}")
            if got.get("published") not in (None, "ok"):
                misses[name].append(f"{page_name}: published {answer['published']!r} ({got['published']})")
            body = got.get("body")
            if body and not body["clean"]:
                misses[name].append(f"{page_name}: body start={body['start']} end={body['end']} "
                                    f"junk={body['junk_before']}/{body['junk_after']}")
    return truth, rows, misses, seconds


def real_pages(folder: Path, only: list[str]) -> None:
    """Score each tool on the real pages of ``folder`` (truth.json, score.py) and print markdown tables."""
    tools = {name: fn for name, fn in TOOLS.items() if not only or name in only}
    truth, rows, misses, seconds = score_real_pages(folder, tools)
    kinds = sorted({w.get("kind", "?") for w in truth.values()}, key=lambda k: (k != "wechat", k))

    def cell(name, select, right, kind=None):
        chosen = [p for p, w in truth.items() if (kind is None or w.get("kind") == kind) and select(w, rows[name][p])]
        return f"{sum(1 for p in chosen if right(rows[name][p]))}/{len(chosen)}" if chosen else "–"

    counts = ", ".join(f"{k} {sum(1 for w in truth.values() if w.get('kind') == k)}" for k in kinds)
    print(f"real pages: {len(truth)} in {folder} ({counts})")
    print("\n| field | " + " | ".join(tools) + " |")
    print("|---|" + "---:|" * len(tools))
    for label, select, right in REAL_FIELDS:
        print(f"| {label} | " + " | ".join(cell(n, select, right) for n in tools) + " |")
    print("\n| kind | field | " + " | ".join(tools) + " |")
    print("|---|---|" + "---:|" * len(tools))
    for kind in kinds:
        for label, select, right in REAL_FIELDS:
            cells = [cell(n, select, right, kind) for n in tools]
            if any(c != "–" for c in cells):
                print(f"| {kind} | {label} | " + " | ".join(cells) + " |")
    for name in tools:
        print(f"\n{name}: median {statistics.median(seconds[name]) * 1000:.0f} ms/page; {len(misses[name])} misses")
        for miss in misses[name]:
            print("  -", miss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", help="an older extract.py to score in the same run")
    parser.add_argument("--real", metavar="DIR", help="a folder of real saved pages with truth.json and score.py")
    parser.add_argument("--tool", action="append", choices=sorted(TOOLS), help="with --real: only these tools")
    args = parser.parse_args()
    if args.real:
        folder = Path(args.real)
        if not (folder / "truth.json").is_file() or not (folder / "score.py").is_file():
            parser.error(f"--real {args.real}: no truth.json and score.py there")
        if args.baseline:  # an older extractor as a fourth column, in the same run
            older = load_baseline(args.baseline)
            TOOLS["baseline"] = lambda page: older(page, "").to_dict()
        real_pages(folder, (args.tool or []) + (["baseline"] if args.baseline and args.tool else []))
        return
    from reprintwatch.ingest.extract import extract_page

    runs = {"current": extract_page}
    if args.baseline:
        runs["baseline"] = load_baseline(args.baseline)
    results = {label: score(fn) for label, fn in runs.items()}
    keys = sorted(results["current"][1], key=lambda k: (k[0], k[1]))
    head = "| pages | field | " + " | ".join(runs) + " |"
    print(head)
    print("|" + "---|" * (2 + len(runs)))
    for key in keys:
        cells = []
        for label in runs:
            right, total, _, _ = results[label]
            cells.append(f"{right.get(key, 0)}/{total[key]}")
        print(f"| {key[0]} | {key[1]} | " + " | ".join(cells) + " |")
    for label in runs:
        _, _, misses, times = results[label]
        print(f"\n{label}: median {statistics.median(times) * 1000:.1f} ms/page, max {max(times) * 1000:.0f} ms; "
              f"{len(misses)} misses")
        for miss in misses:
            print("  -", miss)


if __name__ == "__main__":
    main()
