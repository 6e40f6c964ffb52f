"""Re-judging a store of findings made by older detection rules, on real pairs (issue 19).

The Sina crawl split as ``bench/sina_pairs.py`` splits it (seed 1: half indexed as licensed, half scanned).
The *old* rules are an older commit's own code (``--old``, default fd67b23, main before issue 19's
attribution), extracted with ``git archive`` and run in a subprocess: it indexes the licensed half and
scans the other, and its matches are recorded in a fresh store (SQLite, or ``--store postgresql://…``)
through the store API with rules version ``RULES_VERSION - 1``, one suspect per scanned article. Then, with
this checkout's rules: ``rejudge`` (timed: wall and CPU), a second ``rejudge`` (must change nothing), and a
fresh scan of the same texts — the findings in force after re-judging must be exactly what the fresh scan
reports (same suspect, licensed article and verdict).

    .venv/bin/python bench/rejudge_sina.py                     # SQLite store in a temporary directory
    .venv/bin/python bench/rejudge_sina.py --store "$REPRINTWATCH_PG_URL?options=-csearch_path%3Drw_bench"

Reads ../shared/data (research-only; nothing is copied into the repo). Not a test: it takes minutes.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.sina_pairs import sina_docs  # noqa: E402
from reprintwatch.articles import Article  # noqa: E402
from reprintwatch.detector import RULES_VERSION, Detector  # noqa: E402
from reprintwatch.index.sqlite import SQLiteIndex  # noqa: E402
from reprintwatch.rejudge import rejudge  # noqa: E402
from reprintwatch.store import Store  # noqa: E402

# run by the old commit's code (PYTHONPATH = its reprintwatch): index, scan, one JSON line a suspect
_OLD_SCAN = r"""
import json, sys
licensed, suspects, db, out, old = sys.argv[1:6]
# this checkout is installed editable: its import hook would win over PYTHONPATH, so it goes
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path.insert(0, old)
import reprintwatch
assert reprintwatch.__file__.startswith(old), reprintwatch.__file__
from reprintwatch import Article, Detector, SQLiteIndex
read = lambda p: [json.loads(line) for line in open(p, encoding="utf-8")]
with SQLiteIndex(db) as index:
    detector = Detector(index)
    detector.add(Article(d["id"], d["content"], d["title"], d["outlet"]) for d in read(licensed))
    with open(out, "w", encoding="utf-8") as fh:
        for r in detector.scan(Article(d["id"], d["content"], d["title"]) for d in read(suspects)):
            ms = [{**m.to_dict(), "published_at": m.licensed.published_at} for m in r.reprints]
            fh.write(json.dumps({"id": r.article.id, "matches": ms}, ensure_ascii=False) + "\n")
"""


def url_of(doc_id: str) -> str:
    return f"https://copy.example/{doc_id}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--old", default="fd67b23", help="the commit whose detection rules made the old findings")
    ap.add_argument("--store", help="a store location (default: an SQLite file in a temporary directory)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    docs = sina_docs()
    random.Random(args.seed).shuffle(docs)
    half = len(docs) // 2
    licensed, scanned = docs[:half], docs[half:]
    with tempfile.TemporaryDirectory(prefix="rw-rejudge-") as tmp:
        tmp = Path(tmp)
        for name, part in (("licensed", licensed), ("suspects", scanned)):
            with open(tmp / f"{name}.jsonl", "w", encoding="utf-8") as fh:
                for d in part:
                    fh.write(json.dumps({"id": d.id, "content": d.text, "title": d.title, "outlet": d.outlet},
                                        ensure_ascii=False) + "\n")
        old = tmp / "old"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", args.old, "reprintwatch"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", _OLD_SCAN, str(tmp / "licensed.jsonl"), str(tmp / "suspects.jsonl"),
                        str(tmp / "old.db"), str(tmp / "old.jsonl"), str(old)], check=True)
        old_seconds = time.perf_counter() - t0
        old_matches = {}
        for line in open(tmp / "old.jsonl", encoding="utf-8"):
            row = json.loads(line)
            old_matches[row["id"]] = row["matches"]

        location = args.store or tmp / "store" / "store.db"
        with Store(location) as store:
            for d in scanned:  # the old store: every scanned page a suspect, its old matches its findings
                with store.transaction():
                    sid = store.record_suspect(url_of(d.id), "web", d.id, title=d.title, content=d.text,
                                               rules_version=RULES_VERSION - 1)
                    store.record_findings(sid, old_matches.get(d.id, []), rules_version=RULES_VERSION - 1)
            before = store.stale_findings()
            old_verdicts = Counter(f.verdict for f in store.list_findings(content=False, judged=False))
            with SQLiteIndex(tmp / "licensed.db") as index:
                detector = Detector(index)
                detector.add(Article(d.id, d.text, d.title, d.outlet) for d in licensed)
                w0, c0 = time.perf_counter(), time.process_time()
                result = rejudge(store, detector)
                wall, cpu = time.perf_counter() - w0, time.process_time() - c0
                w1 = time.perf_counter()
                second = rejudge(store, detector)
                second_wall = time.perf_counter() - w1
                w2, c2 = time.perf_counter(), time.process_time()
                fresh = {(url_of(r.article.id), m.licensed.id, m.verdict)
                         for r in detector.scan(Article(d.id, d.text, d.title) for d in scanned) for m in r.reprints}
                scan_wall, scan_cpu = time.perf_counter() - w2, time.process_time() - c2
            in_force = store.list_findings(content=False)
            kept = {(f.url, f.licensed_id, f.verdict) for f in in_force}
            withdrawn = [f for f in store.list_findings(content=False, withdrawn=True) if f.withdrawn_at]
            reasons = Counter(f.withdrawn_reason.split(": ", 1)[1].split(" (")[0].split(" licensed article")[0]
                              for f in withdrawn)
    print(f"old rules {args.old}: {len(scanned)} suspects scanned against {len(licensed)} licensed in {old_seconds:.0f} s; "
          f"{before} findings {dict(old_verdicts)}")
    print(f"rejudge (rules {RULES_VERSION}): {result.suspects} of {result.to_do} suspects, {result.counts}, "
          f"skipped {len(result.skipped)}; {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"({1000 * wall / max(result.suspects, 1):.2f} ms a suspect)")
    print(f"fresh scan of the same texts: {scan_wall:.1f} s wall, {scan_cpu:.1f} s CPU; rejudge / scan wall "
          f"{wall / scan_wall:.2f}")
    print(f"second rejudge: {second.suspects} suspects, {len(second.changes)} changes, {second_wall:.2f} s")
    print(f"in force after rejudge {len(kept)} = fresh scan {len(fresh)}: {kept == fresh} "
          f"(only after: {len(kept - fresh)}, only fresh: {len(fresh - kept)}); withdrawn {len(withdrawn)}: "
          f"{dict(reasons.most_common())}")
    return 0 if kept == fresh and not second.changes else 1


if __name__ == "__main__":
    sys.exit(main())
