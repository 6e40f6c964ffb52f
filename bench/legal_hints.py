"""Legal hints benchmark (issue 25): hits and misses per hint on the invented case set, and what the hints
say about real news.

1. ``tests/legal_cases.py`` (texts written for this project): every case judged through ``assess``; per
   hint, how many expected hints came out with the expected certainty (hit), with another certainty, not
   at all (miss), and how many came out unexpected (false). A false *possible exception* is the costly
   error (a rights holder's valid complaint set apart), so it is counted on its own.
2. Real news (research-only corpora in /work/shared/data, read from there, never copied): the 1,000 Xinhua
   articles of ``xinhua-uhgeval-1000`` and the 12,461 items of the lossy ``sina-news-2018`` crawl, each as
   a licensed article copied verbatim and credited by a self-media account — which kinds the hints see,
   how many would be called possibly unprotected (by source folder), how many carry a reservation
   statement, the length distribution behind ``FLASH_MAX_CHARS``, and the cost of the hints against
   ``normalize`` on the same texts (same run, medians; the machine is shared).

    .venv/bin/python bench/legal_hints.py
    .venv/bin/python bench/legal_hints.py --real 300
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from legal_cases import CASES  # noqa: E402

from reprintwatch.articles import Article  # noqa: E402
from reprintwatch.dedupe import normalize  # noqa: E402
from reprintwatch.triage.assess import assess  # noqa: E402
from reprintwatch.triage.legal import CODES, Facts, article_kind, legal_hints  # noqa: E402

XINHUA = Path("/work/shared/data/raw/xinhua-uhgeval-1000/xinhua_articles.jsonl")
SINA = Path("/work/shared/data/raw/sina-news-2018")


def case_set() -> dict:
    per = {code: Counter() for code in CODES}
    wrong_exceptions = []
    known = []
    for i, case in enumerate(CASES, 1):
        got = {h.code: h for h in assess(case.finding(i), [], case.licensed).hints}
        for code in CODES:
            want = case.expected.get(code)
            have = got.get(code)
            if want and have and have.certainty == want:
                per[code]["hit"] += 1
            elif want and have:
                per[code]["other certainty"] += 1
            elif want:
                per[code]["miss"] += 1
            elif have:
                per[code]["false"] += 1
                if have.exception:
                    wrong_exceptions.append(case.name)
            if want:
                per[code]["expected"] += 1
        if case.known_miss:
            known.append(f"{case.name}: {case.known_miss}")
    return {"cases": len(CASES), "per_hint": {c: dict(v) for c, v in per.items()},
            "false_possible_exceptions": wrong_exceptions, "known_misses": known}


def xinhua(limit: int) -> list[Article]:
    articles = []
    with XINHUA.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("text"):
                articles.append(Article(row["id"], row["text"], row.get("headline") or "", "新华社"))
            if len(articles) >= limit:
                break
    return articles


def sina(limit: int) -> list[Article]:
    """The Sina 2018 crawl: lossy (paragraph breaks lost in most folders, 718 near-empty bodies,
    entertainment bodies short and sometimes cut at the start) — a stress test, not a newsroom's archive."""
    articles = []
    for path in sorted(SINA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                articles.append(Article(row["id"], row.get("text") or "", row.get("title") or "", row.get("category") or ""))
                if len(articles) >= limit:
                    return articles
    return articles


def real_news(articles: list[Article]) -> dict:
    kinds, hints, certainty, possible_by = Counter(), Counter(), Counter(), Counter()
    lengths = []
    t_hints, t_norm = [], []
    for a in articles:
        kind = article_kind(a.title, a.content)
        kinds[kind.kind] += 1
        lengths.append(kind.chars)
        facts = Facts(a.title, a.content, a.title, ("理财小助手",), "wechat", "credited", "", True)
        start = time.perf_counter()
        found = legal_hints(facts)
        t_hints.append(time.perf_counter() - start)
        start = time.perf_counter()
        normalize(a.content)
        t_norm.append(time.perf_counter() - start)
        for h in found:
            hints[h.code] += 1
            certainty[f"{h.code}:{h.certainty}"] += 1
            if h.exception:
                possible_by[a.outlet] += 1
    lengths.sort()
    med_h, med_n = statistics.median(t_hints), statistics.median(t_norm)
    return {
        "articles": len(articles),
        "kinds": dict(kinds.most_common()),
        "chars_median": statistics.median(lengths),
        "chars_p10": lengths[len(lengths) // 10],
        "at_most_flash_max": sum(1 for n in lengths if n <= 300),
        "hints": dict(certainty.most_common()),
        "possible_exceptions_by_source": dict(possible_by.most_common()),
        "hints_ms_median": round(med_h * 1000, 3),
        "normalize_ms_median": round(med_n * 1000, 3),
        "hints_over_normalize": round(med_h / med_n, 2) if med_n else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=int, default=1000, help="Xinhua articles to read (default 1000)")
    parser.add_argument("--sina", type=int, default=20000, help="Sina articles to read (default all 12,461)")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    cases = case_set()
    print(f"commit {commit}")
    print(f"case set: {cases['cases']} cases (tests/legal_cases.py)")
    print(f"{'hint':<38}{'expected':>9}{'hit':>6}{'other certainty':>17}{'miss':>6}{'false':>7}")
    for code, c in cases["per_hint"].items():
        print(f"{code:<38}{c.get('expected', 0):>9}{c.get('hit', 0):>6}{c.get('other certainty', 0):>17}"
              f"{c.get('miss', 0):>6}{c.get('false', 0):>7}")
    print(f"false 'possible' exceptions: {len(cases['false_possible_exceptions'])} {cases['false_possible_exceptions']}")
    for k in cases["known_misses"]:
        print(f"known miss: {k}")
    for name, path, load in (("xinhua-uhgeval-1000", XINHUA, xinhua), ("sina-news-2018", SINA, sina)):
        if not path.exists():
            print(f"{name}: {path} not found, skipped")
            continue
        print(f"real news ({name}, each as a verbatim credited copy by a self-media account):")
        for key, value in real_news(load(args.real if name.startswith("xinhua") else args.sina)).items():
            print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
