"""The figures behind ``RewriteThresholds``: rewrite-path features of 洗稿 copies against hard negatives.

    python bench/rewrite_pairs.py --seed 11 --per-level 80     # ~5 min on a busy 2-core machine

Positives: ``bench/disguise.py:rewrite`` copies (40% and 50% of the words swapped for 词林 synonyms, clauses
reordered, 10–20% of sentences dropped) of short (400–700 characters) and long (1,000–6,000) articles.
Negatives: pairs of same-category articles (Sina folders, Xinhua) that share the most facts
(``reprintwatch.dedupe.rewrite.facts``) — same event, same topic, same template — and no 20-character run (so
no copied text). Prints percentiles of aligned coverage, mean pair similarity, shared facts and pairs, and
every negative the verdict would call a rewrite. The alignment is computed for every pair, whatever the
candidate path would have proposed.
"""
from __future__ import annotations

import argparse
import collections
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from reprintwatch.dedupe import rewrite as R  # noqa: E402
from reprintwatch.dedupe.normalize import normalize  # noqa: E402
from reprintwatch.dedupe.segment import segment  # noqa: E402


def analysed(text: str) -> R.TextAnalysis:
    n = normalize(text)
    return R.analyse(n, text, segment(n.text))


def features(v: R.RewriteVerification) -> dict:
    return {"coverage": v.coverage, "mean_similarity": v.mean_similarity, "shared_facts": len(v.shared_facts),
            "pairs": len(v.pairs), "rewrite": v.is_rewrite}


def hard_negative_pairs(docs: list[D.Doc], rng: random.Random, per_category: int) -> list[tuple[D.Doc, D.Doc]]:
    by_cat: dict[str, list[D.Doc]] = collections.defaultdict(list)
    for d in docs:
        if 200 <= d.chars <= 6000:
            by_cat[d.category].append(d)
    sample = [d for ds in by_cat.values() for d in rng.sample(ds, min(len(ds), per_category))]
    facts = {d.id: {f for f, _, _ in R.facts(segment(normalize(d.text).text))} for d in sample}
    owners: dict[tuple[str, str], list[D.Doc]] = collections.defaultdict(list)
    for d in sample:
        for f in facts[d.id]:
            owners[(d.category, f)].append(d)
    by_id = {d.id: d for d in sample}
    pairs: set[tuple[str, str]] = set()
    for d in sample:
        shared: collections.Counter = collections.Counter()
        for f in facts[d.id]:
            shared.update(o.id for o in owners[(d.category, f)] if o.id != d.id)
        pairs.update(tuple(sorted((d.id, o))) for o, n in shared.most_common(2) if n >= 5)
    out = []
    for a, b in sorted(pairs):
        if D.run_hashes(by_id[a].text).isdisjoint(D.run_hashes(by_id[b].text)):
            out.append((by_id[a], by_id[b]))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--per-level", type=int, default=80)
    ap.add_argument("--per-category", type=int, default=250)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    docs = D.load_corpus()
    pos: list[dict] = []
    for length, (lo, hi) in (("short", (400, 700)), ("long", (1000, 6000))):
        for d in rng.sample([d for d in docs if lo <= d.chars <= hi], args.per_level):
            licensed = analysed(d.text)
            for rate in (0.4, 0.5):
                text, _, _ = D.rewrite(rng, d.text, rate, rng.uniform(0.1, 0.2))
                pos.append({"rate": rate, "length": length, **features(R.verify_rewrite(analysed(text), licensed))})
    neg = []
    for a, b in hard_negative_pairs(docs, rng, args.per_category):
        neg.append({"pair": (a.id, b.id), "titles": (a.title, b.title),
                    **features(R.verify_rewrite(analysed(a.text), analysed(b.text)))})
    keys = ("coverage", "mean_similarity", "shared_facts", "pairs")
    print(f"thresholds {R.DEFAULT_REWRITE_THRESHOLDS}")
    for rate in (0.4, 0.5):
        for length in ("short", "long"):
            rows = [r for r in pos if r["rate"] == rate and r["length"] == length]
            pcts = " · ".join(f"{k} p1/p5 {np.percentile([r[k] for r in rows], 1):.2f}/{np.percentile([r[k] for r in rows], 5):.2f}"
                              for k in keys)
            print(f"rewrite {rate} {length:5} n={len(rows)} found {np.mean([r['rewrite'] for r in rows]):.3f} · {pcts}")
    pcts = " · ".join(f"{k} p90/p99 {np.percentile([r[k] for r in neg], 90):.2f}/{np.percentile([r[k] for r in neg], 99):.2f}"
                      for k in keys)
    print(f"hard negatives n={len(neg)} called rewrite {sum(r['rewrite'] for r in neg)} · {pcts}")
    for r in neg:
        if r["rewrite"]:
            print(f"  {r['pair']} {r['titles']} " + " ".join(f"{k}={r[k]}" for k in keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
