"""Quality benchmark: recall per disguise, precision, F1 and verdicts of ``Detector.check``.

    /tmp/venv/bin/python bench/quality.py                      # 2,000 licensed, 100 copies a disguise, 1,000 negatives,
                                                               # 100 洗稿 per level (30/40/50 %) and length
    /tmp/venv/bin/python bench/quality.py --json > quality.json
    /tmp/venv/bin/python bench/quality.py --shingle-size 2 --num-perm 256
    /tmp/venv/bin/python bench/quality.py --archive            # findings in an archive with natural reuse
    /tmp/venv/bin/python bench/quality.py --archive --backend elasticsearch

Reads the research-only news in ``../shared/data/raw`` (see ``bench/disguise.py``); builds the licensed index in a
temporary directory. A copy counts as found when its expected licensed source is among the matches with verdict
``full_reprint``/``partial_reprint``. A reported (suspect, licensed) pair that is not an expected source is a
false positive; each one is printed with the longest run of text the two share after normalisation, so natural
reuse (the pair really shares a passage) can be told from detector errors.
"""
from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from reprintwatch.articles import Article  # noqa: E402
from reprintwatch.dedupe import FingerprintParams, Thresholds, fingerprint, normalize, verify  # noqa: E402
from reprintwatch.detector import Detector  # noqa: E402
from reprintwatch.index.sqlite import SQLiteIndex  # noqa: E402

REPRINT = ("full_reprint", "partial_reprint", "rewrite")

# numeric case attributes worth a recall-by-bucket table: (disguise, meta key, bucket edges)
BUCKETS = {
    ("excerpt", "copied_chars"): (0, 250, 400, 600, 1000, 100000),
    ("excerpt", "fraction"): (0.0, 0.2, 0.3, 0.4, 1.01),
    ("news_flash", "source_chars"): (0, 100, 150, 200, 301),
    ("xigao", "replaced"): (0.0, 0.1, 0.15, 0.2, 0.3),
    ("xigao", "source_chars"): (0, 400, 800, 1500, 100000),
}


def _quiet_jieba() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)


def build_index(path: Path, licensed: list[D.Doc], params: FingerprintParams,
                thresholds: Thresholds | None = None) -> tuple[Detector, dict, dict]:
    """Index ``licensed``; return the detector, the licensed signatures by id and timings."""
    index = SQLiteIndex(path, params)
    detector = Detector(index, thresholds) if thresholds else Detector(index)
    signatures = {}
    t0 = time.perf_counter()
    batch = []
    for doc in licensed:
        item = detector.prepare(Article(doc.id, doc.text, doc.title, doc.outlet))
        signatures[doc.id] = item.signature
        batch.append(item)
        if len(batch) == 500:
            index.add(batch)
            batch = []
    if batch:
        index.add(batch)
    return detector, signatures, {"index_seconds": time.perf_counter() - t0}


def check_cases(detector: Detector, cases: list[D.Case]) -> list[dict]:
    """One record per case: the statuses of its expected sources and every reported pair."""
    records = []
    for case in cases:
        result = detector.check(Article(case.id, case.text, case.title))
        matches = {m.licensed.id: m for m in result.matches}
        records.append({"case": case, "matches": matches, "candidates": result.candidates})
    return records


def add_exact_runs(records: list[dict], detector: Detector, signatures: dict) -> None:
    """For every reported or expected pair, the longest exactly copied run (see :func:`longest_exact_chars`)."""
    k = detector.params.shingle_size
    for rec in records:
        case = rec["case"]
        wanted = set(case.sources) | {lid for lid, m in rec["matches"].items() if m.verdict in REPRINT}
        if not wanted:
            rec["exact"] = {}
            continue
        sig = detector.fingerprint(case.text).signature
        rec["exact"] = {lid: longest_exact_chars(sig, signatures[lid], k) for lid in wanted}


def source_status(record: dict, source: str) -> str:
    m = record["matches"].get(source)
    if m is None:
        return "missed"  # never a candidate (LSH) or no shared shingle at all
    return m.verdict if m.verdict in REPRINT else "rejected"  # candidate, verifier said none


def longest_exact_chars(suspect, licensed, shingle_size: int) -> int:
    """Normalised characters of the longest run of consecutive shared shingles on one diagonal — the longest
    passage copied *exactly*, without the gap bridging of the verifier (a diagnostic, computed here)."""
    import numpy as np

    positions: dict[int, list[int]] = {}
    for j, h in enumerate(licensed.shingles.tolist()):
        positions.setdefault(h, []).append(j)
    run: dict[int, int] = {}  # diagonal -> (length of run ending at previous suspect index)
    best_len, best_end = 0, -1
    for i, h in enumerate(suspect.shingles.tolist()):
        new: dict[int, int] = {}
        for j in positions.get(h, ()):
            d = j - i
            new[d] = run.get(d, 0) + 1
            if new[d] > best_len:
                best_len, best_end = new[d], j
        run = new
    if best_len == 0:
        return 0
    k = min(shingle_size, len(licensed.token_lens))
    start = best_end - best_len + 1
    return int(np.sum(licensed.token_lens[start : best_end + k]))


def shared_text(a: str, b: str) -> tuple[int, float]:
    """What two texts really share after reprintwatch normalisation (letters/digits, simplified): the longest
    common run, and the share of the smaller one's 12-character runs found in the other."""
    x, y = normalize(a).text, normalize(b).text
    sm = difflib.SequenceMatcher(None, x, y, autojunk=False)
    longest = sm.find_longest_match(0, len(x), 0, len(y)).size
    return longest, D.reuse_share(D.run_hashes(x, D.REUSE_RUN), D.run_hashes(y, D.REUSE_RUN))


def summarise(records: list[dict], licensed_by_id: dict[str, D.Doc], examples: int) -> dict:
    from sklearn.metrics import precision_recall_fscore_support

    per_disguise: dict[str, dict] = {}
    confusion: dict[str, Counter] = defaultdict(Counter)
    y_true: list[int] = []
    y_pred: list[int] = []
    false_positives: list[dict] = []
    misses: list[dict] = []
    by_disguise: dict[str, list[dict]] = defaultdict(list)
    for rec in records:
        by_disguise[rec["case"].disguise].append(rec)

    for disguise, recs in by_disguise.items():
        n_sources = found_sources = all_found = 0
        for rec in recs:
            case = rec["case"]
            statuses = [source_status(rec, s) for s in case.sources]
            for s, st in zip(case.sources, statuses):
                confusion[disguise][st] += 1
                y_true.append(1)
                y_pred.append(int(st in REPRINT))
                if st not in REPRINT:
                    m = rec["matches"].get(s)
                    v = m.verification if m else None
                    misses.append({
                        "case": case.id, "disguise": disguise, "source": s, "status": st,
                        "similarity": v.similarity if v else None,
                        "licensed_coverage": v.licensed_coverage if v else None,
                        "suspect_coverage": v.suspect_coverage if v else None,
                        "copied_chars": v.copied_chars if v else None,
                        "longest_passage_chars": v.longest_passage_chars if v else None,
                        "passages": len(v.passages) if v else None,
                        "longest_exact": rec.get("exact", {}).get(s),
                        "shared_keys": m.shared_keys if m else 0,
                        "candidates": rec["candidates"],
                        "source_chars": licensed_by_id[s].chars,
                        "suspect_chars": D.alnum_len(case.text),
                        "meta": case.meta,
                    })
            found = [st in REPRINT for st in statuses]
            n_sources += len(found)
            found_sources += sum(found)
            all_found += bool(found) and all(found)
            for lic_id, m in rec["matches"].items():
                if m.verdict in REPRINT and lic_id not in case.sources:
                    y_true.append(0)
                    y_pred.append(1)
                    false_positives.append({"record": rec, "licensed": lic_id, "match": m})
        entry = {"cases": len(recs)}
        if n_sources:
            entry["recall"] = found_sources / n_sources
            if disguise == "stitched":
                entry["all_sources_found"] = all_found / len(recs)
                entry["per_source_recall"] = found_sources / n_sources
        entry["cases_with_false_positive"] = sum(
            any(m.verdict in REPRINT and lid not in r["case"].sources for lid, m in r["matches"].items()) for r in recs
        )
        per_disguise[disguise] = entry

    # classify each false positive by the text the pair really shares
    fp_rows = []
    for fp in false_positives:
        case = fp["record"]["case"]
        lic = licensed_by_id[fp["licensed"]]
        shared, share12 = shared_text(case.text, lic.text)
        v = fp["match"].verification
        fp_rows.append({
            "case": case.id, "disguise": case.disguise, "licensed": lic.id, "verdict": v.verdict,
            "similarity": v.similarity, "licensed_coverage": v.licensed_coverage,
            "suspect_coverage": v.suspect_coverage, "copied_chars": v.copied_chars,
            "longest_passage_chars": v.longest_passage_chars, "longest_shared_run": shared,
            "longest_exact": fp["record"].get("exact", {}).get(lic.id),
            "shared_12_runs": round(share12, 3),
            "kind": "natural_reuse" if shared >= D.RUN or share12 >= D.REUSE_SHARE else "detector",
            "passages": [(case.text[p.suspect_start:p.suspect_end][:80], lic.text[p.licensed_start:p.licensed_end][:80])
                         for p in v.passages[:3]],
        })
    precision, recall, f1, _ = precision_recall_fscore_support(y_true, y_pred, average="binary", zero_division=0)
    n_natural = sum(r["kind"] == "natural_reuse" for r in fp_rows)
    # precision with natural reuse not counted against the detector
    y_true_nat = list(y_true)
    if n_natural:
        k = 0
        for i in range(len(y_true_nat)):
            if y_true_nat[i] == 0 and y_pred[i] == 1:
                if fp_rows[k]["kind"] == "natural_reuse":
                    y_true_nat[i] = 1
                k += 1
    p_nat, _, f1_nat, _ = precision_recall_fscore_support(y_true_nat, y_pred, average="binary", zero_division=0)

    copy_disguises = [d for d in per_disguise if not d.startswith("negative")]
    buckets = {}
    for (disguise, key), edges in BUCKETS.items():
        rows = []
        for lo, hi in zip(edges[:-1], edges[1:]):
            sel = [r for r in by_disguise.get(disguise, []) if lo <= r["case"].meta.get(key, -1) < hi]
            if sel:
                hit = sum(all(source_status(r, s) in REPRINT for s in r["case"].sources) for r in sel)
                rows.append({"from": lo, "to": hi, "cases": len(sel), "recall": hit / len(sel)})
        if rows:
            buckets[f"{disguise}.{key}"] = rows

    # what if a reported pair also had to contain an exact (un-bridged) copied run of N characters?
    what_if = []
    for n_min, only_partial in [(n, False) for n in (0, 15, 18, 20, 22, 25, 30)] + [(n, True) for n in (20, 25, 30)]:
        tp = fp_n = 0
        lost: Counter = Counter()
        for rec in records:
            case, exact = rec["case"], rec.get("exact", {})
            for lid, m in rec["matches"].items():
                if m.verdict not in REPRINT:
                    continue
                keep = exact.get(lid, 0) >= n_min or (only_partial and m.verdict == "full_reprint")
                if lid in case.sources:
                    tp += keep
                    if not keep:
                        lost[case.disguise] += 1
                else:
                    fp_n += keep
        expected = sum(len(r["case"].sources) for r in records)
        what_if.append({"min_exact_chars": n_min, "partial_only": only_partial, "recall": tp / max(1, expected), "false_positives": fp_n,
                        "precision": tp / max(1, tp + fp_n), "lost": dict(lost)})
    exact_tp: dict[str, list[int]] = defaultdict(list)
    for rec in records:
        for s_id in rec["case"].sources:
            if source_status(rec, s_id) in REPRINT and s_id in rec.get("exact", {}):
                exact_tp[rec["case"].disguise].append(rec["exact"][s_id])
    exact_summary = {d: {"min": min(v), "p5": sorted(v)[len(v) // 20], "median": sorted(v)[len(v) // 2]}
                     for d, v in exact_tp.items() if v}

    return {
        "what_if_min_exact": what_if,
        "exact_run_of_found_copies": exact_summary,
        "per_disguise": per_disguise,
        "recall": recall,
        "min_disguise_recall": min(per_disguise[d]["recall"] for d in copy_disguises) if copy_disguises else None,
        "precision": precision,
        "f1": f1,
        "precision_excluding_natural_reuse": p_nat,
        "f1_excluding_natural_reuse": f1_nat,
        "pairs": {"expected": sum(y_true), "reported": sum(y_pred),
                  "false_positive": len(fp_rows), "natural_reuse": n_natural},
        "confusion": {d: dict(c) for d, c in confusion.items()},
        "buckets": buckets,
        "false_positives": fp_rows,
        "misses": misses,
        "examples": examples,
    }


def summarise_stress(records: list[dict]) -> dict:
    """Per stress level: share found, verdicts, and median coverage/similarity of the expected pair."""
    levels: dict[str, list[dict]] = defaultdict(list)
    for rec in records:
        levels[rec["case"].disguise].append(rec)
    out = {}
    for level, recs in levels.items():
        statuses = Counter(source_status(r, r["case"].sources[0]) for r in recs)
        lcov = [r["matches"][r["case"].sources[0]].verification.licensed_coverage
                for r in recs if r["case"].sources[0] in r["matches"]]
        extra = Counter()
        for r in recs:
            for key in ("replaced",):
                if key in r["case"].meta:
                    extra[key] += r["case"].meta[key]
        out[level] = {
            "cases": len(recs),
            "recall": (statuses["full_reprint"] + statuses["partial_reprint"]) / len(recs),
            "verdicts": dict(statuses),
            "median_licensed_coverage": statistics.median(lcov) if lcov else None,
            "false_positive_pairs": sum(
                m.verdict in REPRINT and lid not in r["case"].sources for r in recs for lid, m in r["matches"].items()),
            **({"mean_replaced": extra["replaced"] / len(recs)} if "replaced" in extra else {}),
        }
    return out


def summarise_rewrites(records: list[dict], all_records: list[dict]) -> dict:
    """Recall per 洗稿 level (rewrite_<rate>_<short|long>), verdicts, and precision over every case of the
    run (headline disguises, negatives and these): a reported pair that is not an expected source is false."""
    levels: dict[str, list[dict]] = defaultdict(list)
    for rec in records:
        levels[rec["case"].disguise].append(rec)
    out: dict = {"levels": {}}
    for level, recs in sorted(levels.items()):
        statuses = Counter(source_status(r, r["case"].sources[0]) for r in recs)
        out["levels"][level] = {
            "cases": len(recs),
            "recall": sum(statuses[v] for v in REPRINT) / len(recs),
            "verdicts": dict(statuses),
            "mean_replaced": statistics.mean(r["case"].meta["replaced"] for r in recs),
        }
    for rate in sorted({lv.rsplit("_", 1)[0] for lv in levels}):
        sel = [r for lv, rs in levels.items() if lv.rsplit("_", 1)[0] == rate for r in rs]
        out["levels"][rate + "_all"] = {
            "cases": len(sel),
            "recall": sum(source_status(r, r["case"].sources[0]) in REPRINT for r in sel) / len(sel),
        }
    tp = fp = 0
    fp_by: Counter = Counter()
    for rec in all_records:
        for lid, m in rec["matches"].items():
            if m.verdict in REPRINT:
                if lid in rec["case"].sources:
                    tp += 1
                else:
                    fp += 1
                    fp_by[(rec["case"].disguise, m.verdict)] += 1
    negatives = [r for r in all_records if r["case"].disguise.startswith("negative")]
    out["precision_all"] = tp / max(1, tp + fp)
    out["pairs_all"] = {"true": tp, "false": fp, "false_by_case_kind_and_verdict": {f"{d}/{v}": n for (d, v), n in fp_by.items()}}
    out["negatives"] = {kind: {"cases": sum(r["case"].disguise == kind for r in negatives),
                               "with_match": sum(r["case"].disguise == kind and any(m.verdict in REPRINT for m in r["matches"].values())
                                                 for r in negatives)}
                        for kind in sorted({r["case"].disguise for r in negatives})}
    return out


def baseline(cases: list[D.Case], signatures: dict, params: FingerprintParams, thresholds) -> dict:
    """Plain datasketch ``MinHashLSH`` (threshold 0.5, 128 perms) over the same shingles, + reprintwatch verify."""
    from datasketch import MinHash, MinHashLSH

    def mh(shingles):
        m = MinHash(num_perm=128)
        m.update_batch([int(s).to_bytes(4, "little") for s in shingles])
        return m

    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for lid, sig in signatures.items():
        lsh.insert(lid, mh(sig.shingles))
    build = time.perf_counter() - t0
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # sources, candidate hits, verified hits
    fps = 0
    for case in cases:
        fp = fingerprint(case.text, params)
        cands = set(lsh.query(mh(fp.signature.shingles)))
        for lid in cands:
            v = verify(fp.signature, signatures[lid], params.shingle_size, thresholds)
            if lid in case.sources:
                per[case.disguise][2] += v.verdict in REPRINT
            elif v.verdict in REPRINT:
                fps += 1
        per[case.disguise][0] += len(case.sources)
        per[case.disguise][1] += sum(s in cands for s in case.sources)
    out = {d: {"candidate_recall": c / n, "verified_recall": v / n} for d, (n, c, v) in per.items() if n}
    total = sum(n for n, _, _ in per.values())
    return {
        "build_seconds": build,
        "per_disguise": out,
        "candidate_recall": sum(c for _, c, _ in per.values()) / total,
        "verified_recall": sum(v for _, _, v in per.values()) / total,
        "verified_false_positives": fps,
    }


def print_report(res: dict, out=sys.stdout) -> None:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    s = res["summary"]
    p(f"licensed {res['n_licensed']} · cases {res['n_cases']} · seed {res['seed']} · core {res.get('core_digest')}"
      f" · params {res['params_short']}")
    p(f"index {res['timings']['index_seconds']:.1f}s · check {res['timings']['check_seconds']:.1f}s")
    p("")
    p(f"{'disguise':22} {'cases':>5} {'recall':>7}  {'full':>5} {'partial':>7} {'rejected':>8} {'missed':>6}  cases_w_FP")
    for d, e in s["per_disguise"].items():
        c = s["confusion"].get(d, {})
        rec = f"{e['recall']:.3f}" if "recall" in e else "   -  "
        p(f"{d:22} {e['cases']:5d} {rec:>7}  {c.get('full_reprint', 0):5d} {c.get('partial_reprint', 0):7d} "
          f"{c.get('rejected', 0):8d} {c.get('missed', 0):6d}  {e['cases_with_false_positive']}")
        if d == "stitched":
            p(f"{'':22}       all sources found {e['all_sources_found']:.3f} · per-source recall {e['per_source_recall']:.3f}")
    pr = s["pairs"]
    p("")
    p(f"recall (pairs) {s['recall']:.4f} · lowest disguise {s['min_disguise_recall']:.3f} · precision {s['precision']:.4f}"
      f" · F1 {s['f1']:.4f}")
    p(f"pairs: expected {pr['expected']}, reported {pr['reported']}, false positives {pr['false_positive']}"
      f" (natural reuse {pr['natural_reuse']}) · precision excluding natural reuse {s['precision_excluding_natural_reuse']:.4f}")
    for name, rows in s["buckets"].items():
        p(f"  {name}: " + " · ".join(f"[{r['from']}, {r['to']}) {r['recall']:.2f} (n={r['cases']})" for r in rows))
    if s.get("exact_run_of_found_copies"):
        p("")
        p("longest exactly copied run (chars) of found copies: " + " · ".join(
            f"{d} min {e['min']} p5 {e['p5']}" for d, e in s["exact_run_of_found_copies"].items()))
        p("what if a reported pair also needed an exact run of N chars:")
        for w in s["what_if_min_exact"]:
            p(f"  N={w['min_exact_chars']:3d}{' (partial only)' if w.get('partial_only') else ''}: recall {w['recall']:.4f} · FPs {w['false_positives']} · precision "
              f"{w['precision']:.4f} · lost {w['lost']}")
    if "baseline" in res:
        b = res["baseline"]
        p("")
        p(f"datasketch MinHashLSH(0.5, 128) baseline: build {b['build_seconds']:.1f}s · candidate recall "
          f"{b['candidate_recall']:.3f} · after verify {b['verified_recall']:.3f} · verified FPs {b['verified_false_positives']}")
        p("  " + " · ".join(f"{d} {e['candidate_recall']:.2f}/{e['verified_recall']:.2f}" for d, e in b["per_disguise"].items()))
    if res.get("rewrites"):
        rw = res["rewrites"]
        p("")
        p("洗稿 by share of words swapped (real synonyms, clauses reordered, 10-20% of sentences dropped):")
        for level, e in rw["levels"].items():
            extra = f" · {e['verdicts']} · replaced {e['mean_replaced']:.3f}" if "verdicts" in e else ""
            p(f"  {level:22} n={e['cases']:4d} recall {e['recall']:.3f}{extra}")
        p(f"precision over every pair of the run (copies, 洗稿 levels, all negatives) {rw['precision_all']:.4f} · "
          f"{rw['pairs_all']}")
        p("negatives with a reported match: " + " · ".join(f"{k} {v['with_match']}/{v['cases']}" for k, v in rw["negatives"].items()))
    if res.get("stress"):
        p("")
        p("stress levels (not in the headline figures): found = full/partial for the expected source")
        for level, e in res["stress"].items():
            extra = f" · replaced {e['mean_replaced']:.3f}" if "mean_replaced" in e else ""
            p(f"  {level:14} n={e['cases']:3d} found {e['recall']:.2f} · {e['verdicts']} · median lcov "
              f"{e['median_licensed_coverage']} · FP pairs {e['false_positive_pairs']}{extra}")
    n = s["examples"]
    if s["misses"]:
        p("")
        p("misses (first of each disguise):")
        shown: Counter = Counter()
        for m in s["misses"]:
            if shown[m["disguise"]] >= n:
                continue
            shown[m["disguise"]] += 1
            p(f"  {m['case']} {m['status']:9} src {m['source']} ({m['source_chars']} ch) in {m['suspect_chars']} ch · "
              f"sim {m['similarity']} lcov {m['licensed_coverage']} scov {m['suspect_coverage']} copied "
              f"{m['copied_chars']} longest {m['longest_passage_chars']} exact {m.get('longest_exact')} passages {m['passages']} keys {m['shared_keys']}"
              f" · {m['meta']}")
    if s["false_positives"]:
        p("")
        p("false positives:")
        for f in s["false_positives"][: max(n * 4, 10)]:
            p(f"  {f['case']} → {f['licensed']} {f['verdict']} [{f['kind']}, longest shared run {f['longest_shared_run']}, 12-runs shared {f.get('shared_12_runs')}]"
              f" sim {f['similarity']} lcov {f['licensed_coverage']} scov {f['suspect_coverage']} copied {f['copied_chars']}"
              f" longest {f['longest_passage_chars']} exact {f.get('longest_exact')}")
            for a, b in f["passages"]:
                p(f"      suspect: {a!r}\n      licensed: {b!r}")


def run(args) -> dict:
    _quiet_jieba()
    overrides = {}
    if args.shingle_size:
        overrides["shingle_size"] = args.shingle_size
    if args.num_perm:
        overrides["num_perm"] = args.num_perm
    for item in args.param:
        name, _, value = item.partition("=")
        current = getattr(FingerprintParams(), name)
        overrides[name] = type(current)(value)
    params = FingerprintParams(**overrides)
    thresholds = None
    if args.threshold:
        values = {}
        for item in args.threshold:
            name, _, value = item.partition("=")
            current = getattr(Thresholds(), name)
            values[name] = type(current)(value)
        thresholds = Thresholds(**values)
    t0 = time.perf_counter()
    licensed, cases, _ = D.build_benchmark(args.n_licensed, args.per_disguise, args.negatives, args.seed,
                                           stress=args.stress, rewrites=args.rewrites)
    t_gen = time.perf_counter() - t0
    by_id = {d.id: d for d in licensed}
    with tempfile.TemporaryDirectory(prefix="rw-quality-") as tmp:
        detector, signatures, timings = build_index(Path(tmp) / "licensed.db", licensed, params, thresholds)
        t0 = time.perf_counter()
        records = check_cases(detector, cases)
        timings["check_seconds"] = time.perf_counter() - t0
        add_exact_runs(records, detector, signatures)
        timings["generate_seconds"] = t_gen
        headline = set(D.DISGUISES) | set(D.NEGATIVES)
        summary = summarise([r for r in records if r["case"].disguise in headline], by_id, args.examples)
        stress = summarise_stress([r for r in records if r["case"].disguise not in headline
                                   and not r["case"].disguise.startswith("rewrite_")])
        rewrites = summarise_rewrites([r for r in records if r["case"].disguise.startswith("rewrite_")], records)
        res = {
            "n_licensed": len(licensed),
            "n_cases": len(cases),
            "seed": args.seed,
            "core_digest": D.core_digest(),
            "params": params.to_dict(),
            "thresholds": dataclasses.asdict(detector.thresholds),
            "params_short": f"shingle {params.shingle_size}, num_perm {params.num_perm}, article {params.article_bands}x"
                            f"{params.article_rows}, window chunk {params.window_chunk} span {params.window_span} "
                            f"{params.window_bands}x{params.window_rows}",
            "timings": timings,
            "summary": summary,
            "stress": stress,
            "rewrites": rewrites,
            "case_meta": {
                "xigao_replaced_mean": statistics.mean([c.meta["replaced"] for c in cases if c.disguise == "xigao"] or [0]),
                "xigao_dropped_mean": statistics.mean([c.meta["dropped"] for c in cases if c.disguise == "xigao"] or [0]),
            },
        }
        if args.baseline:
            res["baseline"] = baseline([c for c in cases if c.disguise in headline], signatures, params,
                                       detector.thresholds)
        detector.index.close()
    return res


# --- archive mode: a benchmark of findings, not pairs ------------------------------------------------------
#
# The headline set draws licensed articles that share no text with each other. A wire archive is the
# opposite (templates, series, corrections, one story carried twice), and a rights team acts on findings: a
# finding naming an article the copier did not take is a false claim. Archive mode keeps that natural reuse
# (every Xinhua story, template families included, and Sina articles drawn at random, near-duplicates and
# series kept) and counts the findings that name an article the copy did not take.

#: A licensed article the copy did not take is still a right finding when it holds this share of the copied
#: text (a version of it: a correction, the same wire story on another site).
ARCHIVE_VERSION_SHARE = 0.8


def archive_licensed(docs: list[D.Doc], n_sina: int, rng) -> list[D.Doc]:
    """Every Xinhua story and ``n_sina`` Sina articles drawn at random — no filter on shared text."""
    xinhua = [d for d in docs if d.category == "xinhua"]
    sina = [d for d in docs if d.category != "xinhua"]
    return xinhua + rng.sample(sina, min(n_sina, len(sina)))


def archive_copy(rng, doc: D.Doc) -> str:
    """One licensed article in WeChat furniture, half the time with its dateline stripped."""
    acc = rng.choice(D.ACCOUNTS)
    head = [s.format(acc=acc) for s in rng.sample(D.WECHAT_HEAD, rng.randint(1, 2))]
    foot = [s.format(acc=acc) for s in rng.sample(D.WECHAT_FOOT, rng.randint(1, 3))]
    body = D.strip_dateline(doc.text) if rng.random() < 0.5 else doc.text
    return "\n".join(head + D.paragraphs(body) + foot)


def archive_cases(rng, licensed: list[D.Doc], hosts: list[D.Doc], copies: int, stitched: int, excerpts: int,
                  rewrites: int) -> list[D.Case]:
    """``copies`` copies of one licensed article each, ``stitched`` 拼接稿 of two or three, ``excerpts`` single
    passages of 100–300 characters inside an unrelated host page, ``rewrites`` 洗稿 at 30 % of the words. Each
    case's ``meta["copied"]`` holds ``(source, copied text)`` pairs: the truth accepts the source and any
    licensed article holding :data:`ARCHIVE_VERSION_SHARE` of that text."""
    cases: list[D.Case] = []
    for k, doc in enumerate(rng.choices(licensed, k=copies)):  # as a day's copies: some articles copied twice
        cases.append(D.Case(f"copy-{k:05d}", "archive_copy", archive_copy(rng, doc), D.retitle(rng, doc.title),
                            (doc.id,), "full_reprint", (), {"copied": [(doc.id, doc.text)]}))
    long_docs = [d for d in licensed if d.chars >= D.STITCH_SOURCE_CHARS]
    for k in range(stitched):
        srcs = rng.sample(long_docs, rng.choice((2, 3)))
        pieces = []
        for d in srcs:  # as D.stitched: a contiguous 22–45 % of each source, each piece kept for the truth
            sents = D.units(d.text)
            i, j = D._pick_run(rng, sents, int(d.chars * rng.uniform(0.22, 0.45)))
            pieces.append((d.id, "".join(sents[i:j]).strip()))
        text = "\n".join(rng.choice(("此外，", "与此同时，", "")) + p for _, p in pieces)
        cases.append(D.Case(f"stitched-{k:05d}", "archive_stitched", text, "", tuple(d.id for d in srcs), "any", (),
                            {"copied": pieces}))
    long_docs = [d for d in licensed if d.chars >= 600]
    for k in range(excerpts):
        doc, host = rng.choice(long_docs), hosts[k % len(hosts)]
        n_chars = rng.choice((100, 150, 200, 300))
        positions = [i for i, ch in enumerate(doc.text) if ch.isalnum()]
        start = rng.randrange(0, len(positions) - n_chars)
        piece = doc.text[positions[start] : positions[start + n_chars - 1] + 1]
        sents = D.sentences(host.text)
        sents.insert(rng.randint(0, len(sents)), "\n" + piece + "\n")
        cases.append(D.Case(f"excerpt-{k:05d}", "archive_excerpt", "".join(sents), host.title, (doc.id,), "any",
                            (host.id,), {"copied": [(doc.id, piece)], "copied_chars": n_chars}))
    for k, doc in enumerate(rng.sample([d for d in licensed if d.chars >= 400], rewrites)):
        text, _, _ = D.rewrite(rng, doc.text, 0.3, rng.uniform(0.10, 0.20))
        cases.append(D.Case(f"xigao-{k:05d}", "archive_xigao", text, D.retitle(rng, doc.title), (doc.id,), "any", (),
                            {"copied": [(doc.id, doc.text)]}))
    return cases


def holds_copied_text(copied: str, licensed_text: str) -> float:
    """Share of the copied text's 12-character runs (letters and digits) found in a licensed article."""
    grams = D.run_hashes(copied, D.REUSE_RUN)
    return len(grams & D.run_hashes(licensed_text, D.REUSE_RUN)) / max(1, len(grams))


def summarise_archive(records: list[dict], by_id: dict[str, D.Doc]) -> dict:
    """Findings (reported matches) right or wrong: right when the licensed article is a source of the copy or
    holds ``ARCHIVE_VERSION_SHARE`` of a copied piece. Plus recall per kind and the most-named wrong articles."""
    findings = wrong = 0
    wrong_by_verdict: Counter = Counter()
    wrong_cases: set[str] = set()
    wrong_articles: Counter = Counter()
    per_kind: dict[str, dict] = defaultdict(lambda: {"cases": 0, "sources": 0, "found": 0, "all_found": 0,
                                                     "findings": 0, "wrong": 0})
    examples = []
    for rec in records:
        case = rec["case"]
        kind = per_kind[case.disguise]
        kind["cases"] += 1
        # a source listed as a version of a reported match is named with it (Match.versions)
        named = {v.licensed.id for m in rec["matches"].values() if m.verdict in REPRINT for v in m.versions}
        statuses = [source_status(rec, s) in REPRINT or s in named for s in case.sources]
        kind["sources"] += len(statuses)
        kind["found"] += sum(statuses)
        kind["all_found"] += all(statuses)
        for lid, m in rec["matches"].items():
            if m.verdict not in REPRINT:
                continue
            findings += 1
            kind["findings"] += 1
            if lid in case.sources:
                continue
            share = max(holds_copied_text(piece, by_id[lid].text) for _, piece in case.meta["copied"])
            if share >= ARCHIVE_VERSION_SHARE:
                continue
            wrong += 1
            kind["wrong"] += 1
            wrong_by_verdict[m.verdict] += 1
            wrong_cases.add(case.id)
            wrong_articles[lid] += 1
            if len(examples) < 12:
                v = m.verification
                examples.append({"case": case.id, "sources": case.sources, "licensed": lid,
                                 "title": by_id[lid].title[:40], "verdict": m.verdict,
                                 "licensed_coverage": v.licensed_coverage, "holds_copied": round(share, 3),
                                 "passage": case.text[v.passages[0].suspect_start:v.passages[0].suspect_end][:60]
                                 if v.passages else ""})
    return {
        "findings": findings,
        "wrong_findings": wrong,
        "wrong_share": wrong / max(1, findings),
        "wrong_by_verdict": dict(wrong_by_verdict),
        "cases_with_wrong": len(wrong_cases),
        "articles_wrongly_named": len(wrong_articles),
        "most_wrongly_named": [(lid, n, by_id[lid].title[:40]) for lid, n in wrong_articles.most_common(5)],
        "per_kind": {k: {**v, "recall": v["found"] / max(1, v["sources"]),
                         "all_sources_found": v["all_found"] / max(1, v["cases"])} for k, v in per_kind.items()},
        "examples": examples,
    }


def print_archive(res: dict, out=sys.stdout) -> None:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    s = res["archive"]
    p(f"archive mode · backend {res['backend']} · licensed {res['n_licensed']} (every Xinhua story + Sina at random, "
      f"no shared-text filter) · cases {res['n_cases']} · seed {res['seed']} · core {res['core_digest']}")
    p(f"index {res['timings']['index_seconds']:.1f}s · check {res['timings']['check_seconds']:.1f}s "
      f"({res['timings']['check_ms_median']:.2f} ms median a check)")
    p("")
    p(f"findings {s['findings']} · naming an article the copy did not take {s['wrong_findings']} "
      f"({100 * s['wrong_share']:.2f} %) · {s['wrong_by_verdict']} · from {s['cases_with_wrong']} cases, "
      f"{s['articles_wrongly_named']} licensed articles")
    p(f"{'kind':18} {'cases':>5} {'recall':>7} {'all found':>9} {'findings':>8} {'wrong':>6}")
    for kind, e in sorted(s["per_kind"].items()):
        p(f"{kind:18} {e['cases']:5d} {e['recall']:7.3f} {e['all_sources_found']:9.3f} {e['findings']:8d} {e['wrong']:6d}")
    if s["most_wrongly_named"]:
        p("most often wrongly named: " + " · ".join(f"{t} ({n})" for _, n, t in s["most_wrongly_named"]))
    for e in s["examples"]:
        p(f"  {e['case']} {e['sources']} → {e['licensed']} {e['title']!r} {e['verdict']} lcov {e['licensed_coverage']}"
          f" holds {e['holds_copied']} · {e['passage']!r}")


def open_backend(backend: str, tmp: Path, params: FingerprintParams):
    """A fresh licensed index: SQLite in ``tmp``, or a uuid-named index on REPRINTWATCH_ES_URL (dropped after)."""
    if backend == "sqlite":
        return SQLiteIndex(tmp / "licensed.db", params)
    import os
    import uuid

    from reprintwatch.index.elasticsearch import ElasticsearchIndex, make_client

    url = os.environ.get("REPRINTWATCH_ES_URL", "http://127.0.0.1:9200")
    client = make_client(url)
    return ElasticsearchIndex(client, f"rw-quality-{uuid.uuid4().hex[:12]}", params, create=True, url=url)


def drop_backend(index) -> None:
    if getattr(index, "backend_name", "") == "elasticsearch":
        found = index.es.indices.get(index=f"{index.name},{index.name}-*", ignore_unavailable=True,
                                     allow_no_indices=True, expand_wildcards="all")
        for concrete in found:
            index.es.indices.delete(index=concrete, ignore_unavailable=True)
    index.close()


def run_archive(args) -> dict:
    import random

    _quiet_jieba()
    params = FingerprintParams()
    rng = random.Random(args.seed)
    docs = D.load_corpus()
    licensed = archive_licensed(docs, args.archive_sina, rng)
    by_id = {d.id: d for d in licensed}
    overlap = D.OverlapIndex()
    for d in licensed:
        overlap.add(d.text)
    hosts = [d for d in rng.sample(docs, 3000) if d.id not in by_id and 600 <= d.chars <= 3000
             and not overlap.overlaps(d.text)]
    cases = archive_cases(rng, licensed, hosts, args.archive_copies, args.per_disguise, args.per_disguise,
                          args.per_disguise)
    with tempfile.TemporaryDirectory(prefix="rw-archive-") as tmp:
        index = open_backend(args.backend, Path(tmp), params)
        try:
            detector = Detector(index)
            t0 = time.perf_counter()
            detector.add(Article(d.id, d.text, d.title, d.outlet) for d in licensed)
            timings = {"index_seconds": time.perf_counter() - t0}
            times = []
            records = []
            for case in cases:
                t = time.perf_counter()
                result = detector.check(Article(case.id, case.text, case.title))
                times.append(time.perf_counter() - t)
                records.append({"case": case, "matches": {m.licensed.id: m for m in result.matches}})
            timings["check_seconds"] = sum(times)
            timings["check_ms_median"] = 1000 * statistics.median(times)
        finally:
            drop_backend(index)
    return {"mode": "archive", "backend": args.backend, "n_licensed": len(licensed), "n_cases": len(cases),
            "seed": args.seed, "core_digest": D.core_digest(), "timings": timings,
            "archive": summarise_archive(records, by_id)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n-licensed", type=int, default=2000)
    ap.add_argument("--per-disguise", type=int, default=100)
    ap.add_argument("--negatives", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shingle-size", type=int, default=0, help="override FingerprintParams.shingle_size")
    ap.add_argument("--num-perm", type=int, default=0, help="override FingerprintParams.num_perm")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                    help="override any FingerprintParams field (repeatable), e.g. --param article_threshold=0.3")
    ap.add_argument("--threshold", action="append", default=[], metavar="NAME=VALUE",
                    help="override a verify.Thresholds field (repeatable), e.g. --threshold max_gap=3")
    ap.add_argument("--examples", type=int, default=3, help="misses shown per disguise")
    ap.add_argument("--no-baseline", dest="baseline", action="store_false", help="skip the datasketch MinHashLSH baseline")
    ap.add_argument("--stress", type=int, default=0, metavar="N",
                    help="also N graded copies per level: single passages of 40…300 chars, 洗稿 at 25…40 %% "
                         "(reported apart: not part of the headline recall/precision)")
    ap.add_argument("--rewrites", type=int, default=100, metavar="N",
                    help="N 洗稿 copies per level (30/40/50%% of words swapped) and length (short 400-700 chars, long); 0: none")
    ap.add_argument("--archive", action="store_true",
                    help="archive mode: licensed set with natural reuse (every Xinhua story, Sina at random), "
                         "figure = share of findings naming an article the copy did not take")
    ap.add_argument("--archive-sina", type=int, default=1000, metavar="N", help="archive mode: Sina articles licensed")
    ap.add_argument("--archive-copies", type=int, default=2000, metavar="N",
                    help="archive mode: copies of one licensed article each (stitched, excerpts, 洗稿: --per-disguise each)")
    ap.add_argument("--backend", choices=("sqlite", "elasticsearch"), default="sqlite",
                    help="archive mode: index backend (elasticsearch: REPRINTWATCH_ES_URL, a uuid-named index)")
    ap.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    args = ap.parse_args(argv)
    if not (D.RAW_DIR / "sina-news-2018").exists():
        print(f"raw data not found at {D.RAW_DIR} (set REPRINTWATCH_RAW_DATA)", file=sys.stderr)
        return 2
    if args.archive:
        res = run_archive(args)
        if args.json:
            json.dump(res, sys.stdout, ensure_ascii=False, indent=1, default=str)
            print()
        else:
            print_archive(res)
        return 0
    res = run(args)
    if args.json:
        json.dump(res, sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
    else:
        print_report(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
