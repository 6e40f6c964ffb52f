"""Generic features of a hand-labelled pair (bench/reads/*.tsv), computed from the two texts and the pair's
passages, and a cross-validated view of which of them separate a copied excerpt (label ``right``) from text
the two share from elsewhere (``wrong``): issue 19, round 10 (wip/model10). Analysis, not a rule.

    .venv/bin/python bench/pair_features.py --out /tmp/features.tsv      # one row a labelled pair (~50 s)
    .venv/bin/python bench/pair_features.py --from /tmp/features.tsv     # the cross-validated view (seconds)
    .venv/bin/python bench/pair_features.py --from /tmp/features.tsv --reported base-s1.json base-s16.json …
                                                   # only the labelled pairs those sina_pairs.py --json runs report

``--from`` needs scikit-learn (the ``bench`` extra: ``pip install -e ".[bench]"``; not a dependency of reprintwatch itself).
The crawl is read where bench/sina_pairs.py reads it (bench/disguise.RAW_DIR, ``../shared/data/raw``, or
``REPRINTWATCH_RAW_DATA``). Results and what they mean: docs/findings.md, "Issue 19 measured: what
separates a copied excerpt from shared source text (wip/model10)".

The passages are the pair's own (``verify`` of the suspect against the licensed article alone, extended as a
check extends them), so a feature does not depend on the rest of an index. Features (``FEATURES``):

* ``own``: the share of the licensed side of the passages that the licensed article presents as its own prose —
  not inside quotation marks (``quotes.quoted_spans``), not in a document it reproduces after a cue
  (``quotes.reproduced_spans``), and not after a cue of speech in the same sentence
  (``relations.speech_starts``: a colon or a verb of saying with its punctuation). ``s_own``: the same on the
  suspect's side.
* ``rest_grams`` / ``rest_figures``: how much of the suspect outside the passages reports what the licensed
  article outside the passages reports (the share of its distinct Chinese 4-grams / figures the licensed rest
  holds too): two reports of one event share names and figures outside the shared text, a repost does not.
* ``s_rest`` / ``l_rest``: characters of each text outside the passages (log); ``lcov`` / ``scov``: coverage.
* ``contig``: licensed characters in passages / the span from the first passage's start to the last's end;
  ``first_at``: where the first passage starts in the licensed text (0 = its top); ``npass``: passages.
* ``digits``: digits per character in the passages; ``official``: ``relations.official_rate`` of them;
  ``reporter``: markers of an outlet's own reporting in the passages (记者, 本报, 获悉, 据了解, 日电, 讯).
* ``quoted``: the share of the licensed side inside quotation marks; ``first_person`` / ``second_person`` /
  ``news_time``: 我/我们/本公司…, 你/您, 日前/近日/…日， a hundred characters of the passages (the register of a
  statement, a speech, a blurb against a news report's).
* ``title_grams``: the share of the suspect title's Chinese bigrams the licensed title holds.
* ``third_holders`` / ``third_share`` (:func:`third_holders`): texts of the *whole crawl* other than the two that
  hold half the passages' 8-grams, and the share of those 8-grams any of them holds. A check cannot compute
  these (it sees the licensed index only, not the other suspects): they measure what a store of every text
  seen would buy.
* ``third_beyond`` / ``third_sites`` / ``beyond_free`` / ``beyond_ownN`` (:func:`third_beyond`, round 13,
  wip/seen13): holders (by site) that also share with the suspect text the licensed article lacks — both took
  more of one source — then under the lineage guard (that shared text also held by a text without the passage)
  and the independence guard (the holder has N characters of its own). Other copies of the licensed article hold
  only its text, so these do not count copies; ``bench/many_copies.py`` measures that.
"""
from __future__ import annotations

import argparse
import bisect
import csv
import math
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import labels as L  # noqa: E402

BEYOND_OWN_LEVELS = (150, 300, 600)  # third_beyond: Chinese characters of its own a holder must have (each measured)
FEATURES = ("own", "s_own", "rest_grams", "rest_figures", "s_rest", "l_rest", "lcov", "scov", "contig",
            "first_at", "npass", "digits", "official", "reporter", "quoted", "title_grams", "first_person",
            "second_person", "news_time", "third_holders", "third_share", "third_beyond", "third_sites",
            "beyond_free", *(f"beyond_own{n}" for n in BEYOND_OWN_LEVELS))

_STOP = re.compile("[。！？!?\n]")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")
_FIRST = re.compile("我们|我|咱们|本公司|我司|本人|本行|本院")
_SECOND = re.compile("你们|你|您")
_NEWS_TIME = re.compile("日前|近日|昨日|昨天|今天|今日|\\d{1,2}日[，,]|\\d{1,2}月\\d{1,2}日")
_REPORTER = re.compile("记者|本报|获悉|据了解|日电|讯[）)]?|本台")


def _sentence_cued(text: str) -> list[bool]:
    """A mask of ``text``: True from a cue of speech to its sentence's end."""
    from reprintwatch.dedupe.relations import speech_starts

    mask = [False] * len(text)
    ends = [m.end() for m in _STOP.finditer(text)] + [len(text)]
    for s in speech_starts(text):
        end = ends[bisect.bisect_left(ends, s + 1)] if s < len(text) else len(text)
        for i in range(s, end):
            mask[i] = True
    return mask


def _not_own(text: str) -> list[bool]:
    from reprintwatch.dedupe.quotes import quoted_spans, reproduced_spans

    mask = _sentence_cued(text)
    for a, b in quoted_spans(text) + reproduced_spans(text):
        for i in range(max(0, a - 1), min(len(text), b + 1)):
            mask[i] = True
    return mask


def _own_share(text: str, spans) -> float:
    mask = _not_own(text)
    total = own = 0
    for a, b in spans:
        for i in range(a, b):
            if not text[i].isspace():
                total += 1
                own += not mask[i]
    return own / total if total else 0.0


def _quoted_share(text: str, spans) -> float:
    from reprintwatch.dedupe.quotes import quoted_spans

    mask = [False] * len(text)
    for a, b in quoted_spans(text):
        for i in range(max(0, a - 1), min(len(text), b + 1)):
            mask[i] = True
    total = sum(b - a for a, b in spans)
    return sum(mask[i] for a, b in spans for i in range(a, b)) / total if total else 0.0


def _bigrams(text: str) -> set:
    from reprintwatch.dedupe.relations import chinese_only

    t = chinese_only(text)
    return {t[i:i + 2] for i in range(len(t) - 1)}


def features(suspect: str, licensed: str, passages, titles: tuple[str, str] = ("", "")) -> dict:
    from reprintwatch.dedupe.relations import _outside, _shared_grams, _union, official_rate

    l_spans = _union([(p.licensed_start, p.licensed_end) for p in passages])
    s_spans = _union([(p.suspect_start, p.suspect_end) for p in passages])
    l_chars = sum(b - a for a, b in l_spans)
    s_rest, l_rest = _outside(suspect, s_spans, "\n"), _outside(licensed, l_spans, "\n")
    figs_s = set(f for f in _FIGURE.findall(s_rest) if len(f) >= 2)
    figs_l = set(_FIGURE.findall(l_rest))
    shared_text = "\n".join(licensed[a:b] for a, b in l_spans)
    n = max(1, len(shared_text))
    return {
        "own": _own_share(licensed, l_spans),
        "s_own": _own_share(suspect, s_spans),
        "rest_grams": _shared_grams(s_rest, l_rest),
        "rest_figures": len(figs_s & figs_l) / len(figs_s) if figs_s else 0.0,
        "s_rest": math.log1p(len(re.sub(r"\s", "", s_rest))),
        "l_rest": math.log1p(len(re.sub(r"\s", "", l_rest))),
        "lcov": l_chars / max(1, len(licensed)),
        "scov": sum(b - a for a, b in s_spans) / max(1, len(suspect)),
        "contig": l_chars / max(1, l_spans[-1][1] - l_spans[0][0]) if l_spans else 0.0,
        "first_at": l_spans[0][0] / max(1, len(licensed)) if l_spans else 0.0,
        "npass": len(l_spans),
        "digits": sum(c.isdigit() for c in shared_text) / n,
        "official": official_rate(shared_text),
        "reporter": len(_REPORTER.findall(shared_text)),
        "quoted": _quoted_share(licensed, l_spans),
        "first_person": 100 * len(_FIRST.findall(shared_text)) / n,
        "second_person": 100 * len(_SECOND.findall(shared_text)) / n,
        "news_time": 100 * len(_NEWS_TIME.findall(shared_text)) / n,
        "title_grams": (len(_bigrams(titles[0]) & _bigrams(titles[1])) / len(_bigrams(titles[0]))
                        if _bigrams(titles[0]) else 0.0),
    }


# read every text of the crawl, not only the licensed index
CRAWL_FEATURES = ("third_holders", "third_share", "third_beyond", "third_sites", "beyond_free",
                  *(f"beyond_own{n}" for n in BEYOND_OWN_LEVELS))
HOLD_GRAM = 8  # characters: a shared 8-gram of Chinese characters is rarely chance
HOLD_SHARE = 0.5


def third_holders(pairs: dict, docs: dict) -> dict:
    """For each pair (``(suspect, licensed) -> licensed passage text``): how many other texts of the crawl hold
    ``HOLD_SHARE`` of the passages' distinct Chinese 8-grams, and the share of those grams any other text holds.
    Text held by a third outlet is not one outlet's own (a release, a statement, a notice carried by many)."""
    from collections import defaultdict

    from reprintwatch.dedupe.relations import chinese_only

    def grams(t):
        t = chinese_only(t)
        return {t[i:i + HOLD_GRAM] for i in range(len(t) - HOLD_GRAM + 1)}

    want = {pair: grams(text) for pair, text in pairs.items()}
    wanted = set().union(*want.values()) if want else set()
    held_by: dict[str, set] = defaultdict(set)
    for doc_id, d in docs.items():
        for g in grams(d.text) & wanted:
            held_by[g].add(doc_id)
    out = {}
    for pair, gs in want.items():
        count: dict[str, int] = defaultdict(int)
        anyone = 0
        for g in gs:
            others = held_by[g] - set(pair)
            anyone += bool(others)
            for o in others:
                count[o] += 1
        out[pair] = (sum(1 for n in count.values() if n >= HOLD_SHARE * len(gs)) if gs else 0,
                     anyone / len(gs) if gs else 0.0)
    return out


BEYOND_CHARS = 40  # Chinese characters of the suspect, outside the licensed article, a holder must share too
BEYOND_SAME = 0.8  # a holder holding this share of the suspect's 8-grams (or held by it as much) is its copy
BEYOND_COMMON = 20  # an 8-gram more texts than this hold is a channel's furniture, not a source's lines


def _site(doc) -> str:
    """Who published ``doc``, as far as the crawl says: its credited outlet (``来源：X``) or, with none, its
    title (one Sina page crawled by both scrapers, TechNews and testTech, is one site's text)."""
    m = _SOURCE.search(doc.text[:400]) or _SOURCE.search(doc.text[-400:])
    return "src:" + m.group(1) if m else "title:" + re.sub(r"\W", "", doc.title)


_SOURCE = re.compile(r"来源[：:]\s*([^\s，。|/]{2,20})")


def third_beyond(pairs: dict, docs: dict) -> dict:
    """For each pair (``(suspect, licensed) -> licensed passage text``): how many *sites* (:func:`_site`) of the
    crawl hold ``HOLD_SHARE`` of the passages' 8-grams (as :func:`third_holders`) **and** share with the suspect
    ``BEYOND_CHARS`` Chinese characters the licensed article does not hold — both took more of one source than
    the licensed article did (a statement's next lines, a release's other paragraph). A holder that is a copy
    of the suspect, or that the suspect copies (``BEYOND_SAME`` of either's 8-grams in the other), is left out:
    a copy of a copy carries its copier's additions, not a source's. 8-grams more than ``BEYOND_COMMON`` texts
    hold are not counted as shared (a channel's furniture, the same on every page). Also returned: the plain
    holder count by site, the most characters any holder shares beyond, and ``beyond`` under the lineage guard
    (a shared gram counts only if a text not holding the passage holds it too) and under the independence guard
    as well (the holder has ``BEYOND_OWN_LEVELS`` Chinese characters outside both texts): ``(beyond,
    holders_by_site, most_chars, beyond_free, *beyond_own)``."""
    from collections import defaultdict

    from reprintwatch.dedupe.relations import chinese_only

    def grams(t):
        t = chinese_only(t)
        return {t[i:i + HOLD_GRAM] for i in range(len(t) - HOLD_GRAM + 1)}

    gram_cache: dict = {}

    def doc_grams(doc_id):
        if doc_id not in gram_cache:
            gram_cache[doc_id] = grams(docs[doc_id].text)
        return gram_cache[doc_id]

    want = {pair: grams(text) for pair, text in pairs.items()}
    wanted = set().union(*want.values()) if want else set()
    beyond = {}
    for pair in pairs:
        s, lic = doc_grams(pair[0]), doc_grams(pair[1])
        beyond[pair] = s - lic
    extra = set().union(*beyond.values()) if beyond else set()
    held_by: dict[str, set] = defaultdict(set)
    extra_by: dict[str, set] = defaultdict(set)
    for doc_id, d in docs.items():
        g = grams(d.text)
        for x in g & wanted:
            held_by[x].add(doc_id)
        for x in g & extra:
            extra_by[x].add(doc_id)
    out = {}
    for pair, gs in want.items():
        count: dict[str, int] = defaultdict(int)
        for g in gs:
            for o in held_by[g] - set(pair):
                count[o] += 1
        holders = [o for o, n in count.items() if gs and n >= HOLD_SHARE * len(gs)]
        s_all, lic_all = doc_grams(pair[0]), doc_grams(pair[1])
        s_text = chinese_only(docs[pair[0]].text)
        mine = {x for x in beyond[pair] if len(extra_by[x]) <= BEYOND_COMMON}
        # the lineage guard: a shared gram counts as a source's only if a text that does not hold the passage
        # holds it too (a first copier's own line travels only with the copied passage, in its copies)
        free = {x for x in mine if extra_by[x] - set(holders) - set(pair)}
        sites, sites_beyond, sites_free, most = set(), set(), set(), 0
        sites_own = {n: set() for n in BEYOND_OWN_LEVELS}
        for o in holders:
            site = _site(docs[o])
            sites.add(site)
            t = doc_grams(o)
            inter = len(s_all & t)
            if inter >= BEYOND_SAME * len(s_all) or inter >= BEYOND_SAME * max(1, len(t)):
                continue  # a copy of the suspect, or copied by it
            shared = mine & t
            if not shared:
                continue
            chars = _covered(s_text, shared)
            most = max(most, chars)
            if chars >= BEYOND_CHARS:
                sites_beyond.add(site)
                if _covered(s_text, shared & free) >= BEYOND_CHARS:
                    sites_free.add(site)
                    # the independence guard: the holder reports with text of its own, not the suspect's or the
                    # licensed article's text plus a copier's few lines (made copies add ~100: bench/many_copies.py)
                    own = _covered(chinese_only(docs[o].text), t - s_all - lic_all)
                    for n in BEYOND_OWN_LEVELS:
                        if own >= n:
                            sites_own[n].add(site)
        out[pair] = (len(sites_beyond), len(sites), most, len(sites_free),
                     *(len(sites_own[n]) for n in BEYOND_OWN_LEVELS))
    return out


def _covered(text: str, grams: set) -> int:
    """Characters of ``text`` (Chinese only) inside one of its ``HOLD_GRAM``-grams in ``grams``."""
    covered = [False] * len(text)
    for i in range(len(text) - HOLD_GRAM + 1):
        if text[i:i + HOLD_GRAM] in grams:
            for k in range(i, i + HOLD_GRAM):
                covered[k] = True
    return sum(covered)


def pair_passages(detector, suspect: str, licensed: str):
    """The pair's passages: ``verify`` of the suspect against the licensed article alone, extended."""
    from reprintwatch.dedupe.verify import extend_licensed_passages, verify

    s_fp = detector.fingerprint(suspect)
    l_fp = detector.fingerprint(licensed)
    v = verify(s_fp.signature, l_fp.signature, detector.params.shingle_size, detector.thresholds)
    return v, extend_licensed_passages(v.passages, s_fp.normalized, licensed, l_fp.signature)


def build(label_dir: str, out: str) -> int:
    import logging
    import tempfile

    import jieba

    from bench.sina_pairs import sina_docs
    from reprintwatch.articles import Article
    from reprintwatch.dedupe.relations import _union
    from reprintwatch.detector import Detector
    from reprintwatch.index.sqlite import SQLiteIndex

    jieba.setLogLevel(logging.WARNING)
    labels = L.read_labels([label_dir])
    label_of = L.by_pair(labels)
    first = {}
    for lab in labels:
        first.setdefault(lab.pair, lab)
    docs = {d.id: d for d in sina_docs()}
    rows, shared = [], {}
    with tempfile.TemporaryDirectory(prefix="rw-feat-") as tmp, SQLiteIndex(Path(tmp) / "x.db") as index:
        detector = Detector(index)
        for pair, lab in sorted(label_of.items()):
            f = first[pair]
            s = Article(pair[0], docs[pair[0]].text).content
            lic = Article(pair[1], docs[pair[1]].text).content
            v, passages = pair_passages(detector, s, lic)
            row = {"suspect": pair[0], "licensed": pair[1], "verdict": f.verdict, "label": lab, "cause": f.cause,
                   "seed": f.seed, "pair_verdict": v.verdict}
            titles = docs[pair[0]].title, docs[pair[1]].title
            row.update({k: round(x, 4) for k, x in features(s, lic, passages, titles).items()} if passages
                       else {k: "" for k in FEATURES})  # verified alone, nothing left
            rows.append(row)
            l_spans = _union([(p.licensed_start, p.licensed_end) for p in passages])
            shared[pair] = "\n".join(lic[a:b] for a, b in l_spans)
    held = third_holders(shared, docs)
    beyond = third_beyond(shared, docs)
    for row in rows:
        n, share = held[(row["suspect"], row["licensed"])]
        row["third_holders"], row["third_share"] = (n, round(share, 4)) if row["own"] != "" else ("", "")
        b, sites, most, free, *own = beyond[(row["suspect"], row["licensed"])]
        names = ["third_beyond", "third_sites", "beyond_chars", "beyond_free",
                 *(f"beyond_own{n}" for n in BEYOND_OWN_LEVELS)]
        row.update(zip(names, (b, sites, most, free, *own) if row["own"] != "" else [""] * len(names)))
    import json

    with open(out + ".passages.json", "w", encoding="utf-8") as fh:  # for bench/many_copies.py
        json.dump([[a, b, text] for (a, b), text in shared.items()], fh, ensure_ascii=False)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter="\t")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} pairs -> {out}", file=sys.stderr)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", default=str(Path(__file__).parent / "reads"))
    ap.add_argument("--out", help="write the features of every labelled pair here (TSV)")
    ap.add_argument("--from", dest="src", help="a TSV of --out: the cross-validated view")
    ap.add_argument("--reported", nargs="+", metavar="RUN.json", help="with --from: only the labelled pairs these "
                    "--json runs of bench/sina_pairs.py report (as the labels' verdict)")
    ap.add_argument("--verdict", default="partial_reprint", choices=L.VERDICTS)
    ap.add_argument("--held", action="store_true", help="with --from: the whole-crawl separators as fixed cuts, "
                    "every verdict, by cause")
    args = ap.parse_args(argv)
    if args.out:
        return build(args.labels, args.out)
    if args.src and args.held:
        return held_view(args.src, args.reported)
    if args.src:
        return analyse(args.src, args.verdict, args.reported)
    ap.error("--out or --from")


def _table(src: str, verdict: str, reported=None):
    """The rows of ``src`` read as ``verdict``; with ``reported`` (``--json`` runs of bench/sina_pairs.py), only
    the pairs one of those runs reports as ``verdict``: the pairs a new rule would act on."""
    import json

    keep = None
    if reported:
        keep = set()
        for path in reported:
            keep |= {(r["suspect"], r["licensed"]) for r in json.load(open(path, encoding="utf-8"))["rows"]
                     if r["verdict"] == verdict}
    with open(src, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["verdict"] == verdict and r["own"] != ""
                and (keep is None or (r["suspect"], r["licensed"]) in keep)]
    return rows


HELD_CUTS = (("third_holders", 2), ("third_sites", 2), ("third_beyond", 1), ("third_beyond", 2), ("beyond_free", 1),
             *((f"beyond_own{n}", 1) for n in BEYOND_OWN_LEVELS))


def held_view(src: str, reported=None) -> int:
    """The whole-crawl separators as cuts (``feature >= n`` removes the pair), on every labelled pair by verdict:
    rights lost, wrongs and unsures removed, by cause; and the rights that block each cut (round 13, wip/seen13).
    A fixed cut needs no training, so the leave-one-seed-out view of a cut is the in-sample count seed by seed."""
    from collections import Counter

    for verdict in L.VERDICTS:
        rows = _table(src, verdict, reported)
        if not rows:
            continue
        total = Counter(r["label"] for r in rows)
        print(f"\n{verdict}: {total['right']} right, {total['wrong']} wrong, {total['unsure']} unsure"
              + (" (reported by the --reported runs)" if reported else ""))
        for feat, n in HELD_CUTS:
            gone = [r for r in rows if int(r[feat]) >= n]
            got = Counter(r["label"] for r in gone)
            seeds = sorted({int(r["seed"]) for r in gone if r["label"] == "right"})
            print(f"  {feat} >= {n}: rights lost {got['right']}/{total['right']} (seeds {seeds or '-'}), wrong "
                  f"{got['wrong']}/{total['wrong']} ({100 * got['wrong'] / max(1, total['wrong']):.0f} %), unsure "
                  f"{got['unsure']}/{total['unsure']}")
            causes = Counter(r["cause"] for r in gone if r["label"] == "wrong")
            print("      wrong by cause: " + ", ".join(f"{c} {k}" for c, k in causes.most_common()))
            for r in gone:
                if r["label"] == "right":
                    print(f"      right lost: {r['suspect']} {r['licensed']} seed {r['seed']} holders "
                          f"{r['third_holders']} beyond {r['third_beyond']} ({r['beyond_chars']} chars)")
        a = {(r["suspect"], r["licensed"]) for r in rows if int(r["third_holders"]) >= 2 and r["label"] != "right"}
        b = {(r["suspect"], r["licensed"]) for r in rows if int(r["third_beyond"]) >= 1 and r["label"] != "right"}
        print(f"  wrong+unsure: holders>=2 {len(a)}, beyond>=1 {len(b)}, both {len(a & b)}, beyond only {len(b - a)}, "
              f"holders only {len(a - b)}")
    return 0


def _group(seed: str) -> str:
    return "1-3" if int(seed) <= 3 else seed  # seeds 1-3: 15 wrong partials, no right one; one group


def analyse(src: str, verdict: str = "partial_reprint", reported=None) -> int:
    import warnings

    import numpy as np
    from sklearn.calibration import calibration_curve
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier, export_text

    warnings.filterwarnings("ignore")
    rows = _table(src, verdict, reported)
    known = [r for r in rows if r["label"] in ("right", "wrong")]
    X = np.array([[float(r[f]) for f in FEATURES] for r in known])
    y = np.array([r["label"] == "right" for r in known], dtype=int)
    groups = np.array([_group(r["seed"]) for r in known])
    unsure = np.array([[float(r[f]) for f in FEATURES] for r in rows if r["label"] == "unsure"])
    by_group = ", ".join(f"{g}:{int(y[groups == g].sum())}/{int((groups == g).sum())}" for g in sorted(set(groups)))
    print(f"{verdict}: {int(y.sum())} right, {int((1 - y).sum())} wrong, {len(unsure)} unsure "
          f"(seed groups, right/labelled: {by_group})")
    if len(set(groups[y == 1])) < 2:
        print("\n(rights in fewer than two seed groups: no cross-validated view)")
        return 0
    print("\none feature: AUC (right high), medians right / wrong / unsure, and the wrong pairs a threshold at the")
    print("rights' extreme removes with no right lost (in sample); LOSO: that cut set on the other seed groups' rights,")
    print("the held-out rights lost and wrongs removed, summed; and the AUC within each seed group (same sign)")
    print(f"{'feature':13} {'AUC':>5} {'med R':>7} {'med W':>7} {'med U':>7}  {'cut':>8} {'W gone':>7} {'LOSO':>6}  "
          "AUC a seed group")
    for j, f in enumerate(FEATURES):
        auc = roc_auc_score(y, X[:, j])
        sign = 1 if auc >= 0.5 else -1
        r_vals, w_vals = X[y == 1, j] * sign, X[y == 0, j] * sign
        cut = r_vals.min()
        gone = int((w_vals < cut).sum())
        per = [roc_auc_score(y[groups == g], sign * X[groups == g, j]) for g in sorted(set(groups))
               if 0 < y[groups == g].sum() < (groups == g).sum()]
        lost = removed = 0  # the cut set on the other seed groups' rights, applied to the held-out group
        for g in sorted(set(groups)):
            tr, te = groups != g, groups == g
            c = (sign * X[tr & (y == 1), j]).min()
            lost += int((sign * X[te & (y == 1), j] < c).sum())
            removed += int((sign * X[te & (y == 0), j] < c).sum())
        print(f"{f:13} {max(auc, 1 - auc):5.2f} {np.median(X[y == 1, j]):7.3f} {np.median(X[y == 0, j]):7.3f} "
              f"{np.median(unsure[:, j]) if len(unsure) else float('nan'):7.3f}  {'<' if sign > 0 else '>'}"
              f"{cut * sign:7.3f} {gone:3d}/{len(w_vals)} {lost:2d} {removed:3d}  {' '.join(f'{a:.2f}' for a in per)}")
    models = {
        "logistic (all features)": lambda: make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000,
                                                                                         class_weight="balanced")),
        "tree depth 2 (all features)": lambda: DecisionTreeClassifier(max_depth=2, min_samples_leaf=5,
                                                                      class_weight="balanced", random_state=0),
    }
    print("\nleave one seed group out: out-of-sample AUC; at the threshold that keeps every right of the training")
    print("groups, the held-out rights lost and wrongs removed")
    check_time = [j for j, f in enumerate(FEATURES) if f not in CRAWL_FEATURES]
    runs = [(name, make, list(range(len(FEATURES)))) for name, make in models.items()]
    runs += [(name.replace("all features", "no third_*"), make, check_time) for name, make in models.items()]
    for name, make, cols in runs:
        prob = np.zeros(len(y))
        lost = removed = 0
        for g in sorted(set(groups)):
            tr, te = groups != g, groups == g
            m = make().fit(X[tr][:, cols], y[tr])
            prob[te] = m.predict_proba(X[te][:, cols])[:, 1]
            cut = m.predict_proba(X[tr][y[tr] == 1][:, cols])[:, 1].min()
            lost += int(((prob < cut) & te & (y == 1)).sum())
            removed += int(((prob < cut) & te & (y == 0)).sum())
        frac, mean = calibration_curve(y, prob, n_bins=5, strategy="quantile")
        print(f"  {name}: AUC {roc_auc_score(y, prob):.3f}; keep-all-rights cut: {lost} of {int(y.sum())} rights "
              f"lost, {removed} of {int((1 - y).sum())} wrongs removed; calibration (mean p -> share right): "
              + ", ".join(f"{a:.2f}->{b:.2f}" for a, b in zip(mean, frac)))
    print("\nevery pair of features (logistic, leave one seed group out), best out-of-sample AUC first:")
    import itertools

    pairs = []
    for a, b in itertools.combinations(range(len(FEATURES)), 2):
        prob = np.zeros(len(y))
        lost = removed = 0
        for g in sorted(set(groups)):
            tr, te = groups != g, groups == g
            m = models["logistic (all features)"]().fit(X[tr][:, [a, b]], y[tr])
            prob[te] = m.predict_proba(X[te][:, [a, b]])[:, 1]
            cut = m.predict_proba(X[tr][y[tr] == 1][:, [a, b]])[:, 1].min()
            lost += int(((prob < cut) & te & (y == 1)).sum())
            removed += int(((prob < cut) & te & (y == 0)).sum())
        pairs.append((roc_auc_score(y, prob), FEATURES[a], FEATURES[b], lost, removed))
    for auc, fa, fb, lost, removed in sorted(pairs, reverse=True)[:6]:
        print(f"  {fa} + {fb}: AUC {auc:.3f}; keep-all-rights cut: {lost} rights lost, {removed} wrongs removed")
    print("  ... of the features a check can compute (not third_*: they read the whole crawl, scanned half too):")
    for auc, fa, fb, lost, removed in sorted(p for p in pairs if not {p[1], p[2]} & set(CRAWL_FEATURES))[::-1][:6]:
        print(f"  {fa} + {fb}: AUC {auc:.3f}; keep-all-rights cut: {lost} rights lost, {removed} wrongs removed")
    full = models["tree depth 2 (all features)"]().fit(X, y)
    print("\nthe depth-2 tree on every pair (in sample):")
    print(export_text(full, feature_names=list(FEATURES)))
    lr = models["logistic (all features)"]().fit(X, y)
    coef = lr[-1].coef_[0]
    print("logistic coefficients (standardised): " + ", ".join(f"{f} {c:+.2f}" for f, c in
                                                               sorted(zip(FEATURES, coef), key=lambda t: -abs(t[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
