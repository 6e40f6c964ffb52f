"""What attribution (dedupe/relations.py: explain away, shared text, quotations, code pages) costs a check, at
10k and 100k licensed — each text checked with it and without it, one after the other, in one process, so the
ratio is measured under the same load (the machine is shared: absolute times are noisy, ratios less so).

    .venv/bin/python bench/attribution_cost.py --sizes 10000,100000
    .venv/bin/python bench/attribution_cost.py --sizes 100000 --reuse-index /tmp/idx   # bench/speed.py --keep-index /tmp/idx
    .venv/bin/python bench/attribution_cost.py --sizes 10000 --reuse-index /tmp/idx --results /tmp/r.jsonl  # + findings
    .venv/bin/python bench/attribution_cost.py --sizes 10000 --reuse-index /tmp/idx --batch 32  # as scan checks

``--results FILE`` writes every check's full result with attribution (``CheckResult.to_dict(include_all=True)``,
one JSON line a text, a ``.SIZE`` suffix when several sizes are run): two commits that should find the same
compare those files byte for byte.

The licensed set is bench/speed.py's (the real corpus, then mutated copies); the texts checked are the quality
benchmark's copies, negatives and 洗稿 (bench/disguise.py), as in bench/speed.py.
"""
from __future__ import annotations

import argparse
import itertools
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from bench.speed import licensed_stream, mutate_signature  # noqa: E402
from reprintwatch.articles import Article  # noqa: E402
from reprintwatch.dedupe import FingerprintParams, band_keys  # noqa: E402
from reprintwatch.dedupe.fingerprint import fingerprint_many  # noqa: E402
from reprintwatch.detector import Detector  # noqa: E402
from reprintwatch.index.base import IndexedArticle  # noqa: E402
from reprintwatch.index.sqlite import SQLiteIndex  # noqa: E402


class Unattributed(Detector):
    """The detector without attribution: every verified reprint is a finding (as before issue 19). Both entries
    are replaced, so the script measures commits before ``_attribute_many`` too."""

    def _attribute(self, article, fp, matches):
        return matches

    def _attribute_many(self, articles, fps, matches):
        return matches


def timed(detector: Detector, articles: list[Article], fps: list, results: list | None = None) -> float:
    """CPU time of checking ``articles`` together (one text: ``check``; several: a scan's batch)."""
    c0 = time.process_time()
    found = detector._check_prepared(articles, fps)
    spent = time.process_time() - c0
    if results is not None:
        results.extend(json.dumps(r.to_dict(include_all=True), ensure_ascii=False, sort_keys=True) for r in found)
    return spent


def run(args) -> dict:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    params = FingerprintParams()
    rng = random.Random(args.seed)
    licensed, cases, docs = D.build_benchmark(2000, args.per_disguise, args.negatives, args.seed, rewrites=args.rewrites)
    first = {d.id for d in licensed}
    rest = [d for d in docs if d.id not in first]
    rng.shuffle(rest)
    docs = list(licensed) + rest
    texts = [Article(c.id, c.text, c.title) for c in cases]
    fps = fingerprint_many([a.content for a in texts], params)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    out = {"core_digest": D.core_digest(), "texts": len(texts), "batch": args.batch, "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="rw-attr-cost-") as tmp:
        index = SQLiteIndex(Path(tmp) / "licensed.db", params)
        on, off = Detector(index), Unattributed(index)
        stream = licensed_stream(docs, sizes[-1])
        originals, fact_keys, added = {}, {}, 0
        for size in sizes:
            if args.reuse_index:  # bench/speed.py --keep-index's index of this size: the same licensed set
                index.close()
                index = SQLiteIndex(Path(args.reuse_index) / f"licensed-{size}.db", params, create=False)
                on, off = Detector(index), Unattributed(index)
                added = size
            while added < size:
                chunk = list(itertools.islice(stream, min(500, size - added)))
                real = [a for a in chunk if isinstance(a, Article)]
                made = iter(fingerprint_many([a.content for a in real], params))
                batch = []
                for a in chunk:
                    if isinstance(a, Article):
                        fp = next(made)
                        originals[a.id], fact_keys[a.id] = fp.signature, fp.rewrite_keys
                        batch.append(IndexedArticle(a, fp.signature, fp.index_keys))
                    else:
                        doc, n = a
                        sig = mutate_signature(rng, originals[doc.id], params.shingle_size)
                        batch.append(IndexedArticle(Article(f"{doc.id}~m{n}", doc.text, doc.title, doc.outlet), sig,
                                                    np.concatenate((band_keys(sig.shingles, params), fact_keys[doc.id]))))
                index.add(batch)
                added += len(chunk)
            for a, fp in zip(texts[:20], fps):  # warm the caches of both
                on.check(a, fp), off.check(a, fp)
            with_, without, results = [], [], []
            for k, at in enumerate(range(0, len(texts), args.batch)):
                pair = (on, off) if k % 2 == 0 else (off, on)  # alternate which goes first
                chunk, chunk_fps = texts[at:at + args.batch], fps[at:at + args.batch]
                t = {d: timed(d, chunk, chunk_fps, results if d is on and args.results else None) for d in pair}
                with_.append(t[on])
                without.append(t[off])
            ratios = [w / o for w, o in zip(with_, without) if o > 0]
            out["sizes"][size] = {
                "total_ratio": sum(with_) / sum(without),
                "median_ratio": statistics.median(ratios),
                "median_ms_with": 1000 * statistics.median(with_),
                "median_ms_without": 1000 * statistics.median(without),
            }
            print(f"{size}: {out['sizes'][size]}", file=sys.stderr, flush=True)
            if args.results:
                path = Path(args.results if len(sizes) == 1 else f"{args.results}.{size}")
                path.write_text("".join(line + "\n" for line in results), encoding="utf-8")
        index.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-disguise", type=int, default=60)
    ap.add_argument("--negatives", type=int, default=460)
    ap.add_argument("--rewrites", type=int, default=10)
    ap.add_argument("--reuse-index", metavar="DIR",
                    help="no build: check against DIR/licensed-SIZE.db kept by bench/speed.py --keep-index")
    ap.add_argument("--results", metavar="FILE", help="write each check's full result (JSON lines) to FILE")
    ap.add_argument("--batch", type=int, default=1, metavar="N",
                    help="check N texts together, as scan does (32); the ratios are then a batch's")
    args = ap.parse_args(argv)
    if args.batch < 1:
        print(f"--batch {args.batch}: must be 1 or more texts", file=sys.stderr)
        return 2
    if args.reuse_index:
        missing = [s for s in args.sizes.split(",") if not (Path(args.reuse_index) / f"licensed-{int(s)}.db").exists()]
        if missing:
            print(f"--reuse-index {args.reuse_index}: no licensed-{missing[0]}.db there (bench/speed.py --keep-index "
                  "makes it)", file=sys.stderr)
            return 2
    res = run(args)
    json.dump(res, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
