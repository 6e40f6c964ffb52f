"""Names rendered differently: do two translations of one foreign report differ where a 洗稿 keeps the source?

    .venv/bin/python bench/rewrite_names.py --pairs s1.json --pairs s2.json   # ~3 min on a busy 2-core machine
    (each --pairs file is ``bench/sina_pairs.py --json --seed N`` output; its ``rewrite`` rows are read)

For a pair, the aligned chain as the rewrite path keeps it (``bench/same_event.py``'s ``_kept``): the Latin-script
words (two letters or more, as normalisation writes them: Bank of America -> bankofamerica) of the aligned
sentences that one side holds and the other *text* lacks — a translation writes Uber where the other writes 优步.
Printed for every Sina pair the rewrite path called a rewrite, and counted over ``bench/disguise.py:rewrite``
copies (30/40/50 % of the words swapped, 10–20 % of the sentences dropped) of corpus articles holding two or more
Latin words. Not a test: docs/findings.md ("Fulls and rewrites, round 6") reads it.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from bench.rewrite_pairs import analysed  # noqa: E402
from bench.same_event import _kept  # noqa: E402

_LATIN = re.compile(r"^[a-z]{2,}$")


def _latin(a, sentence: int | None = None) -> set[str]:
    at = range(len(a.tokens)) if sentence is None else np.flatnonzero(a.sentence_of == sentence)
    return {a.tokens[x] for x in at if _LATIN.match(a.tokens[x])}


def one_sided_names(suspect: str, licensed: str) -> tuple[int, list[str]]:
    """(aligned pairs, the Latin words of aligned sentences one side holds and the other text lacks)."""
    s, l = analysed(suspect), analysed(licensed)
    _, kept = _kept(s, l)
    s_all, l_all = _latin(s), _latin(l)
    out: set[str] = set()
    for i, j in kept:
        out |= {t for t in _latin(s, i) if t not in l_all} | {t for t in _latin(l, j) if t not in s_all}
    return len(kept), sorted(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", action="append", default=[], help="bench/sina_pairs.py --json output")
    ap.add_argument("--per-level", type=int, default=60)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args(argv)
    if args.pairs:
        from bench.sina_pairs import sina_docs

        by_id = {d.id: d for d in sina_docs()}
        seen = set()
        for path in args.pairs:
            for r in json.load(open(path, encoding="utf-8"))["rows"]:
                if r["verdict"] != "rewrite" or (r["suspect"], r["licensed"]) in seen:
                    continue
                seen.add((r["suspect"], r["licensed"]))
                n, names = one_sided_names(by_id[r["suspect"]].text, by_id[r["licensed"]].text)
                print(f"sina  {r['suspect_title'][:22]} <- {r['licensed_title'][:22]} | {n} pairs | one-sided {names}")
    rng = random.Random(args.seed)
    docs = [d for d in D.load_corpus() if 400 <= d.chars <= 6000 and len(set(re.findall(r"[A-Za-z]{2,}", d.text))) >= 2]
    for rate in (0.3, 0.4, 0.5):
        counts = np.array([len(one_sided_names(D.rewrite(rng, d.text, rate, rng.uniform(0.1, 0.2))[0], d.text)[1])
                           for d in rng.sample(docs, args.per_level)])
        print(f"xigao {rate}: {len(counts)} copies, with a one-sided Latin word {int((counts > 0).sum())}, "
              f"most {counts.max()}, mean {counts.mean():.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
