"""Real pairs of the Sina crawl, for reading by hand: half of ``../shared/data/raw/sina-news-2018`` (empty and exact
duplicates removed) indexed as licensed, the other half scanned; counts of suspects and matches by verdict, and a
random sample of matches of each verdict with the text of their passages.

    .venv/bin/python bench/sina_pairs.py                       # counts, 25 samples a verdict
    .venv/bin/python bench/sina_pairs.py --json > pairs.json   # every match, for reading
    .venv/bin/python bench/sina_pairs.py --seed 16 --labels bench/reads --unlabelled-sample 10
                                                               # scored against the labels read by hand

Not a test: what is right is judged by reading the pairs. The readings are kept as data in bench/reads/*.tsv
(format: bench/labels.py); ``--labels`` scores a run against them: right pairs no longer reported (real copies
lost) and the labels of the pairs still reported, by verdict.
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
from bench import labels as L  # noqa: E402
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


def split(docs: list[D.Doc], seed: int) -> tuple[list[D.Doc], list[D.Doc]]:
    """The run's halves: (licensed, scanned), a shuffle of ``docs`` by ``seed`` cut in two."""
    docs = list(docs)
    random.Random(seed).shuffle(docs)
    half = len(docs) // 2
    return docs[:half], docs[half:]


def run(seed: int, samples: int, docs: list[D.Doc] | None = None) -> dict:
    """Index one half of ``docs`` (the Sina crawl by default) as licensed, scan the other; every match as a row.
    ``_licensed_ids`` / ``_scanned_ids`` name the halves (left out of ``--json``)."""
    import jieba
    import logging

    jieba.setLogLevel(logging.WARNING)
    licensed, scanned = split(sina_docs() if docs is None else docs, seed)
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
            "verdicts": dict(verdicts), "samples": picked, "rows": rows,
            "_licensed_ids": [d.id for d in licensed], "_scanned_ids": [d.id for d in scanned]}


def saved_run(path: Path, seed: int, samples: int, docs: list[D.Doc] | None = None) -> dict:
    """A ``--json`` output of this script read back as :func:`run` returns it: its halves recomputed from ``seed``
    (a file made at another seed, or on other data, is refused: its suspects are not all in the scanned half)."""
    try:
        res = json.loads(path.read_text(encoding="utf-8"))
        rows = res["rows"]
        if not isinstance(rows, list) or not all({"suspect", "licensed", "verdict"} <= set(r) for r in rows):
            raise KeyError("rows")
    except OSError as e:
        raise ValueError(f"{path}: cannot read ({e.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, AttributeError):
        raise ValueError(f"{path}: not a --json output of bench/sina_pairs.py (no rows of suspect, licensed, "
                         "verdict)") from None
    licensed, scanned = split(sina_docs() if docs is None else docs, seed)
    scanned_ids, licensed_ids = {d.id for d in scanned}, {d.id for d in licensed}
    if any(r["suspect"] not in scanned_ids or r["licensed"] not in licensed_ids for r in rows):
        raise ValueError(f"{path}: its matches do not fit the split of --seed {seed} (saved at another seed?)")
    verdicts = Counter(r["verdict"] for r in rows)
    res["samples"] = {v: random.Random(seed).sample([r for r in rows if r["verdict"] == v], min(samples, n))
                      for v, n in verdicts.items()}
    res["_licensed_ids"], res["_scanned_ids"] = sorted(licensed_ids), sorted(scanned_ids)
    return res


def head_commit() -> str:
    """The worktree's commit (short), for the rows a reader fills in."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv=None, docs: list[D.Doc] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0], epilog="example: %(prog)s --seed 16 "
                                 "--samples 0 --labels bench/reads --unlabelled-sample 10")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--samples", type=int, default=25, help="matches sampled a verdict")
    ap.add_argument("--json", action="store_true", help="everything, as JSON, on stdout")
    ap.add_argument("--labels", nargs="+", metavar="PATH", help="label files (or directories of .tsv files, e.g. "
                    "bench/reads) to score the run against")
    ap.add_argument("--unlabelled-sample", type=int, default=0, metavar="N",
                    help="with --labels: N reported pairs a verdict that no label reads yet, for the next reader")
    ap.add_argument("--from-json", metavar="FILE", help="score the matches of a saved --json run of this script "
                    "(same --seed) instead of running again: seconds, not minutes")
    args = ap.parse_args(argv)
    if args.unlabelled_sample and not args.labels:
        ap.error("--unlabelled-sample needs --labels (the pairs already read)")
    labels = []
    if args.labels:
        try:
            labels = L.read_labels(args.labels)
        except L.LabelError as e:
            print(f"sina_pairs: bad labels: {e}", file=sys.stderr)
            return 2
    if args.from_json:
        try:
            res = saved_run(Path(args.from_json), args.seed, args.samples, docs)
        except ValueError as e:
            print(f"sina_pairs: {e}", file=sys.stderr)
            return 2
    else:
        res = run(args.seed, args.samples, docs)
    halves = res.pop("_licensed_ids"), res.pop("_scanned_ids")
    scored = L.score(labels, res["rows"], *halves) if args.labels else None
    fresh = L.unlabelled_sample(res["rows"], labels, args.unlabelled_sample, args.seed) if args.unlabelled_sample else {}
    if args.json:
        if scored is not None:
            res["labels"] = {**scored, "unlabelled_sample": fresh}
        json.dump(res, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(f"licensed {res['licensed']} · scanned {res['scanned']} · suspects with matches {res['suspects_with_matches']}"
          f" · matches {res['matches']} {res['verdicts']} · scan {res['scan_seconds']} s · "
          + (f"saved run {args.from_json}" if args.from_json else f"core {D.core_digest()}"))
    for verdict, rows in res["samples"].items():
        if not rows:  # --samples 0: the counts only
            continue
        print(f"\n== {verdict}: {len(rows)} sampled")
        for r in rows:
            print(f"- {r['suspect_title'][:30]!r} → {r['licensed_title'][:30]!r} lcov {r['licensed_coverage']} "
                  f"scov {r['suspect_coverage']} siblings {r['siblings']}")
            for p in r["passages"][:2]:
                print(f"    {p[:120]!r}")
    if scored is not None:
        print(f"\n== labels ({', '.join(args.labels)}), seed {args.seed}")
        for line in L.format_score(scored):
            print(line)
    if fresh:
        commit = head_commit()
        print(f"\n== unlabelled sample: rows to read (fill label, cause, note; the title lines under each "
              f"row are for reading, never for the file — pasted, they fail the check)")
        print("\t".join(L.COLUMNS))
        for verdict, rows in fresh.items():
            for r in rows:
                print("\t".join([r["suspect"], r["licensed"], verdict, "", "", commit, str(args.seed), ""]))
                print(f"    {r['suspect_title'][:30]!r} → {r['licensed_title'][:30]!r} lcov {r['licensed_coverage']} "
                      f"scov {r['suspect_coverage']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
