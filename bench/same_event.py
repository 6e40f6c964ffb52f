"""Whole-pair features of the rewrite path: 洗稿 copies against real pairs the rewrite path called rewrites.

    .venv/bin/python bench/same_event.py --pairs s1.json --pairs s2.json --pairs s3.json   # ~5 min, busy 2 cores
    (each --pairs file is ``bench/sina_pairs.py --json --seed N`` output, its ``rewrite`` rows read: written by
    a commit before the whole-pair guards, it holds the pairs they remove)

Positives: ``bench/disguise.py:rewrite`` copies (30/40/50 % of the words swapped for synonyms, clauses
reordered, 10–20 % of the sentences dropped) of short (400–700 characters) and long (1,000–6,000) articles, and
the 50 % ones again inside a WeChat account's header and footer. Real pairs: every Sina pair of the --pairs
files called a ``rewrite`` (mostly two reports of one event, read by hand: docs/findings.md), and
``bench/rewrite_pairs.py``'s hard negatives (same-category pairs sharing the most facts and no 20-character
run) whose alignment covers at least 30 % of the licensed text.

Features of the aligned chain as the rewrite path kept it before the guards (any one figure agreeing):
coverage of the licensed and of the suspect text, mean similarity, shared facts, pairs, the facts' share of
the aligned pairs' shared weight, similarity without facts, word-bigram overlap, the share of the suspect in
sentences like *any* licensed sentence (``loose_s``), the lowest figure agreement of a pair holding figures on
both sides; then the verdict before the guards and now. Prints percentiles (counts for verdicts) a group and,
for the real pairs, one line a pair. Not a test.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from bench.rewrite_pairs import analysed, hard_negative_pairs  # noqa: E402
from reprintwatch.dedupe import rewrite as R  # noqa: E402

KEYS = ("coverage", "suspect_coverage", "mean_similarity", "shared_facts", "pairs", "fact_share", "plain_similarity",
        "bigram", "loose_s", "figure_agreement", "rewrite_before", "rewrite")


def _kept(s: R.TextAnalysis, l: R.TextAnalysis, t: R.RewriteThresholds = R.DEFAULT_REWRITE_THRESHOLDS):
    """The aligned chain as the rewrite path before the whole-pair guards kept it (any one figure agreeing)."""
    sim = R.similarity_matrix(s, l)
    chain = R.align(sim, t.min_pair_similarity, t.pair_bias)
    fs, fl = R._figures(s), R._figures(l)
    return sim, [(i, j) for i, j in chain if not (fs[i] and fl[j] and not fs[i] & fl[j])]


def _dice(a: set, b: set, w) -> float:
    den = sum(w(t) for t in a) + sum(w(t) for t in b)
    return 2 * sum(w(t) for t in a & b) / den if den else 0.0


def shape(s: R.TextAnalysis, l: R.TextAnalysis) -> dict:
    """Whole-pair features of the aligned chain (see the module doc)."""
    sim, kept = _kept(s, l)
    def sent_tokens(a, k, facts):
        idx = np.flatnonzero(a.sentence_of == k)
        return {a.tokens[x] for x in idx if bool(a.is_fact[x]) == facts}
    scov = float(s.sentence_chars[[i for i, _ in kept]].sum() / max(1, s.sentence_chars.sum())) if kept else 0.0
    fact_w = plain_w = 0.0
    plain_sims, bigram = [], []
    for i, j in kept:
        sf, lf = sent_tokens(s, i, True), sent_tokens(l, j, True)
        sp, lp = sent_tokens(s, i, False), sent_tokens(l, j, False)
        fact_w += sum(R._idf(x) for x in sf & lf)
        plain_w += sum(R._idf(x) for x in sp & lp)
        plain_sims.append(_dice(sp, lp, R._idf))
        st = [s.tokens[x] for x in np.flatnonzero(s.sentence_of == i)]
        lt = [l.tokens[x] for x in np.flatnonzero(l.sentence_of == j)]
        sb, lb = set(zip(st, st[1:])), set(zip(lt, lt[1:]))
        bigram.append(len(sb & lb) / max(1, min(len(sb), len(lb))))
    fs, fl = R._figures(s), R._figures(l)
    ok = sim >= 0.3
    for i in range(sim.shape[0]):
        for j in np.flatnonzero(ok[i]):
            if fs[i] and fl[j] and not fs[i] & fl[j]:
                ok[i, j] = False
    loose_s = float(s.sentence_chars[ok.any(axis=1)].sum() / max(1, s.sentence_chars.sum()))
    return {"suspect_coverage": round(scov, 3), "fact_share": round(fact_w / max(1e-9, fact_w + plain_w), 3),
            "plain_similarity": round(float(np.mean(plain_sims)) if plain_sims else 0.0, 3),
            "bigram": round(float(np.mean(bigram)) if bigram else 0.0, 3),
            "loose_s": round(loose_s, 3)}


# the rewrite path before the whole-pair guards: any one figure agreeing, no bar on the suspect's side
BEFORE = dataclasses.replace(R.DEFAULT_REWRITE_THRESHOLDS, min_figure_agreement=1e-9, min_suspect_coverage=0.0)
MEASURE = dataclasses.replace(BEFORE, min_coverage=0, min_pairs=0, min_mean_similarity=0, min_shared_facts=0,
                              max_figure_conflicts=1)


def features(s: R.TextAnalysis, l: R.TextAnalysis) -> dict:
    v = R.verify_rewrite(s, l, MEASURE)
    return {"coverage": v.coverage, "mean_similarity": v.mean_similarity, "shared_facts": len(v.shared_facts),
            "pairs": len(v.pairs), **shape(s, l), "figure_agreement": figure_agreement(s, l),
            "rewrite_before": R.verify_rewrite(s, l, BEFORE).is_rewrite, "rewrite": R.verify_rewrite(s, l).is_rewrite}


def figure_agreement(s: R.TextAnalysis, l: R.TextAnalysis) -> float:
    """Lowest share, over the aligned pairs holding figures on both sides, of the fewer side's distinct figures
    found in the other (1.0 when no pair holds figures on both sides)."""
    _, kept = _kept(s, l)
    fs, fl = R._figures(s), R._figures(l)
    shares = [len(fs[i] & fl[j]) / min(len(fs[i]), len(fl[j])) for i, j in kept if fs[i] and fl[j]]
    return round(min(shares), 3) if shares else 1.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--per-level", type=int, default=40)
    ap.add_argument("--per-category", type=int, default=150)
    ap.add_argument("--pairs", action="append", default=[], help="bench/sina_pairs.py --json output")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    docs = D.load_corpus()
    groups: dict[str, list[dict]] = {}
    for length, (lo, hi) in (("short", (400, 700)), ("long", (1000, 6000))):
        for d in rng.sample([d for d in docs if lo <= d.chars <= hi], args.per_level):
            licensed = analysed(d.text)
            for rate in (0.3, 0.4, 0.5):
                text, _, _ = D.rewrite(rng, d.text, rate, rng.uniform(0.1, 0.2))
                groups.setdefault(f"xigao {rate}", []).append(features(analysed(text), licensed))
                if rate == 0.5:  # as posted: an account's header and footer around the copy
                    acc = rng.choice(D.ACCOUNTS)
                    head = [x.format(acc=acc) for x in rng.sample(D.WECHAT_HEAD, rng.randint(1, 2))]
                    foot = [x.format(acc=acc) for x in rng.sample(D.WECHAT_FOOT, rng.randint(1, 3))]
                    posted = "\n".join(head + [text] + foot)
                    groups.setdefault("xigao 0.5 with WeChat furniture", []).append(features(analysed(posted), licensed))
    from bench.sina_pairs import rewrite_pairs

    for s, l, _ in rewrite_pairs(args.pairs):
        row = {"pair": (s.id, l.id), "titles": (s.title[:24], l.title[:24]), **features(analysed(s.text), analysed(l.text))}
        groups.setdefault("sina rewrite verdicts", []).append(row)
    for a, b in hard_negative_pairs(docs, rng, args.per_category):
        row = features(analysed(a.text), analysed(b.text))
        if row["coverage"] >= 0.3:
            groups.setdefault("hard negatives (coverage >= 0.3)", []).append(
                {"pair": (a.id, b.id), "titles": (a.title[:24], b.title[:24]), **row})
    if args.json:
        json.dump(groups, sys.stdout, ensure_ascii=False, indent=1, default=str)
        return 0
    keys = [k for k in KEYS if k in next(iter(groups.values()))[0]]
    for name, rows in groups.items():
        print(f"\n== {name}: n={len(rows)}")
        for k in keys:
            if isinstance(rows[0][k], bool):
                print(f"  {k:18} {sum(r[k] for r in rows)} of {len(rows)}")
                continue
            vals = np.array([float(r[k]) for r in rows])
            print(f"  {k:18} p1 {np.percentile(vals, 1):.3f} p5 {np.percentile(vals, 5):.3f} "
                  f"p50 {np.percentile(vals, 50):.3f} p95 {np.percentile(vals, 95):.3f} p99 {np.percentile(vals, 99):.3f}")
        if not name.startswith("xigao"):
            for r in rows:
                print("   ", r["titles"], " ".join(f"{k}={r[k]:.3g}" if isinstance(r[k], float) else f"{k}={r[k]}"
                                                 for k in keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
