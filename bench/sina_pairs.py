"""Real pairs of the Sina crawl, for reading by hand: half of ``../shared/data/raw/sina-news-2018`` (empty and exact
duplicates removed) indexed as licensed, the other half scanned; counts of suspects and matches by verdict, and a
random sample of matches of each verdict with the text of their passages.

    .venv/bin/python bench/sina_pairs.py                       # counts, 25 samples a verdict
    .venv/bin/python bench/sina_pairs.py --json > pairs.json   # every match, for reading

Not a test: what is right is judged by reading the samples (docs/findings.md holds the counts read).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from reprintwatch.articles import Article  # noqa: E402
from reprintwatch.detector import Detector  # noqa: E402
from reprintwatch.index.sqlite import SQLiteIndex  # noqa: E402


def sina_docs() -> list[D.Doc]:
    """Sina articles with text, exact duplicates dropped (not the benchmark's code and caption filters: a real
    crawl holds those pages too)."""
    import glob
    import re

    seen, out = set(), []
    for path in sorted(glob.glob(str(D.RAW_DIR / "sina-news-2018/*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            d = json.loads(line)
            key = re.sub(r"\s+", "", d["text"])
            if not key or key in seen:
                continue
            seen.add(key)
            out.append(D.Doc(d["id"], d["text"], d["title"], d["category"], "新浪"))
    return out


def rewrite_pairs(paths) -> list[tuple[D.Doc, D.Doc, dict]]:
    """The distinct ``(suspect, licensed)`` pairs called ``rewrite`` in ``--json`` outputs of this script (a pair
    met at several seeds once), with their docs and the first row that named them."""
    by_id = {d.id: d for d in sina_docs()}
    seen, out = set(), []
    for path in paths:
        for r in json.load(open(path, encoding="utf-8"))["rows"]:
            if r["verdict"] != "rewrite" or (r["suspect"], r["licensed"]) in seen:
                continue
            seen.add((r["suspect"], r["licensed"]))
            out.append((by_id[r["suspect"]], by_id[r["licensed"]], r))
    return out


def run(seed: int, samples: int) -> dict:
    import jieba
    import logging

    jieba.setLogLevel(logging.WARNING)
    docs = sina_docs()
    rng = random.Random(seed)
    rng.shuffle(docs)
    half = len(docs) // 2
    licensed, scanned = docs[:half], docs[half:]
    by_id = {d.id: d for d in licensed}
    rows = []
    with tempfile.TemporaryDirectory(prefix="rw-sina-") as tmp:
        with SQLiteIndex(Path(tmp) / "licensed.db") as index:
            detector = Detector(index)
            detector.add(Article(d.id, d.text, d.title, d.outlet) for d in licensed)
            t0 = time.perf_counter()
            for result in detector.scan(Article(d.id, d.text, d.title) for d in scanned):
                for rank, m in enumerate(result.reprints):
                    lic = by_id[m.licensed.id]
                    rows.append({
                        "suspect": result.article.id, "suspect_title": result.article.title, "rank": rank,
                        "licensed": lic.id, "licensed_title": lic.title, "verdict": m.verdict,
                        "licensed_coverage": m.verification.licensed_coverage,
                        "suspect_coverage": m.verification.suspect_coverage,
                        "siblings": len(getattr(m, "siblings", ())),
                        "passages": [result.article.content[p.suspect_start:p.suspect_end] for p in m.verification.passages],
                    })
            seconds = time.perf_counter() - t0
    verdicts = Counter(r["verdict"] for r in rows)
    picked = {}
    for verdict in verdicts:
        of = [r for r in rows if r["verdict"] == verdict]
        picked[verdict] = random.Random(seed).sample(of, min(samples, len(of)))
    return {"licensed": len(licensed), "scanned": len(scanned), "scan_seconds": round(seconds, 1),
            "suspects_with_matches": len({r["suspect"] for r in rows}), "matches": len(rows),
            "verdicts": dict(verdicts), "samples": picked, "rows": rows}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--samples", type=int, default=25, help="matches sampled a verdict")
    ap.add_argument("--json", action="store_true", help="everything, as JSON, on stdout")
    args = ap.parse_args(argv)
    res = run(args.seed, args.samples)
    if args.json:
        json.dump(res, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(f"licensed {res['licensed']} · scanned {res['scanned']} · suspects with matches {res['suspects_with_matches']}"
          f" · matches {res['matches']} {res['verdicts']} · scan {res['scan_seconds']} s · core {D.core_digest()}")
    for verdict, rows in res["samples"].items():
        print(f"\n== {verdict}: {len(rows)} sampled")
        for r in rows:
            print(f"- {r['suspect_title'][:30]!r} → {r['licensed_title'][:30]!r} lcov {r['licensed_coverage']} "
                  f"scov {r['suspect_coverage']} siblings {r['siblings']}")
            for p in r["passages"][:2]:
                print(f"    {p[:120]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
