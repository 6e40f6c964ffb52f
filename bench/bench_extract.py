"""Field accuracy of page extraction on our own page corpus (tests/page_corpus.py).

The corpus is text we wrote in the structures real pages have (WeChat 2017–2025 variants, notice pages
wrapped in script, news and self-media pages with JSON-LD, padded/broken og:title, banner h1, bylines,
comments, related blocks, disclaimers). It is NOT a sample of the web: the figures say the rules do what
they were written for, not how often the web looks like this.

    python bench/bench_extract.py                                  # the current extractor
    git show 746fbcd:reprintwatch/ingest/extract.py > /tmp/old.py  # the extractor before issue 14
    python bench/bench_extract.py --baseline /tmp/old.py           # both, in the same run

A field counts as right when it equals the truth exactly; ``body`` is right when every line of the article
is in the extracted text and no junk string is (a missing line and kept junk are also counted apart).
"""
from __future__ import annotations

import argparse
import importlib.util
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", help="an older extract.py to score in the same run")
    args = parser.parse_args()
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
