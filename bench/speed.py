"""Speed benchmark: jieba alone vs reprintwatch fingerprinting, index build, scan, query latency, memory —
side by side with a plain datasketch ``MinHashLSH`` baseline, all in one process on the same texts.

    /tmp/venv/bin/python bench/speed.py --sizes 10000            # ~10 minutes on a busy 2-core machine
    /tmp/venv/bin/python bench/speed.py --sizes 10000,100000     # the 100k step adds mutated copies
    /tmp/venv/bin/python bench/speed.py --quick                  # a smoke run (2,000 licensed)
    .venv/bin/python bench/speed.py --sizes 10000,100000 --keep-index /tmp/idx   # keep each size's index, then
    .venv/bin/python bench/speed.py --sizes 10000,100000 --reuse-index /tmp/idx  # time another commit on them

Licensed articles are the cleaned real corpus (``bench/disguise.py``); beyond its ~12,500 articles the set is
grown with mutated copies (sentences dropped, words swapped). The scanned/queried texts are the quality
benchmark's disguised copies and negatives, so queries hit real matches as well as nothing.
Everything runs single-threaded (one core) except the ``--jobs`` scan, which times ``Detector.check_many``.
Segmentation is whatever ``reprintwatch.dedupe.segment`` uses (jieba-rs with jieba's dictionary when
rjieba is installed); the "jieba alone" baseline is always ``jieba.lcut`` with jieba 0.42.1 defaults.
"""
from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from reprintwatch.articles import Article  # noqa: E402
from reprintwatch.dedupe import FingerprintParams, Signature, band_keys, fingerprint  # noqa: E402
from reprintwatch.dedupe.fingerprint import fingerprint_many  # noqa: E402
from reprintwatch.dedupe.fingerprint import shingles_of_token_hashes  # noqa: E402
from reprintwatch.dedupe import segment as S  # noqa: E402
from reprintwatch.index.base import IndexedArticle  # noqa: E402
from reprintwatch.dedupe import rewrite as R  # noqa: E402
from reprintwatch.dedupe import tokens as T  # noqa: E402
from reprintwatch.detector import Detector  # noqa: E402
from reprintwatch.index.sqlite import SQLiteIndex  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def current_rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def pct(values, q) -> float:
    return float(np.percentile(np.asarray(values), q)) if len(values) else float("nan")


def licensed_stream(docs: list[D.Doc], size: int):
    """``size`` licensed articles: the real ones first, then ``(original id, copy number)`` for mutated copies."""
    for i in range(size):
        doc = docs[i % len(docs)]
        if i < len(docs):
            yield Article(doc.id, doc.text, doc.title, doc.outlet)
        else:
            yield (doc, i // len(docs))


def mutate_signature(rng: random.Random, sig: Signature, shingle_size: int) -> Signature:
    """A near-copy at the signature level, so 100,000 licensed articles can be indexed without segmenting
    88,000 synthetic texts: drop ~15 % of the tokens in sentence-sized blocks and swap ~1.7 % of the others
    for other words of the same article (each swap changes 3 shingles: ~5 % of them, as before). Made at the
    token level, so the copy has token hashes like a real fingerprint and the index stores it as one (in
    token ids of its vocabulary, whose size the copies do not inflate: their words are real ones)."""
    n = len(sig.token_lens)
    keep = np.ones(n, dtype=bool)
    dropped = 0
    while n > 40 and dropped < 0.15 * n:
        start = rng.randrange(0, n - 10)
        width = rng.randint(8, 30)
        keep[start : start + width] = False
        dropped = int((~keep).sum())
    idx = np.flatnonzero(keep)
    gen = np.random.default_rng(rng.getrandbits(64))
    if sig.token_hashes is None:  # a signature read back from Elasticsearch (bench/es_scale.py): no token hashes
        return _mutated_shingles(gen, sig, idx, shingle_size)
    hashes, lens, spans = sig.token_hashes[idx].copy(), sig.token_lens[idx].copy(), sig.token_spans[idx]
    swap = np.flatnonzero(gen.random(len(idx)) < 0.017)
    other = gen.integers(0, n, size=len(swap))
    hashes[swap], lens[swap] = sig.token_hashes[other], sig.token_lens[other]
    return Signature(lens, spans, shingles_of_token_hashes(hashes, shingle_size), hashes)


def _mutated_shingles(gen: np.random.Generator, sig: Signature, idx: np.ndarray, shingle_size: int) -> Signature:
    """The same at the shingle level: a shingle keeps its value when its tokens are still consecutive,
    boundary shingles and ~5 % of the others (swapped words) get new values."""
    lens, spans = sig.token_lens[idx], sig.token_spans[idx]
    m = max(0, len(idx) - shingle_size + 1)
    first, last = idx[:m], idx[shingle_size - 1 : shingle_size - 1 + m]
    intact = (last == first + shingle_size - 1) & (first < len(sig.shingles))
    fresh = gen.integers(0, 2**32, size=m, dtype=np.uint64).astype(np.uint32)
    shingles = np.where(intact, sig.shingles[np.minimum(first, max(0, len(sig.shingles) - 1))], fresh)
    shingles = shingles.astype(np.uint32)
    swap = gen.random(m) < 0.05  # swapped words
    shingles[swap] = gen.integers(0, 2**32, size=int(swap.sum()), dtype=np.uint64).astype(np.uint32)
    return Signature(lens, spans, shingles)


def sha1_hashes(shingles: np.ndarray) -> np.ndarray:
    """datasketch's default hash (``sha1_hash32``) of each shingle's 4 bytes: what a plain ``MinHash`` would
    compute for them."""
    from datasketch.hashfunc import sha1_hash32

    return np.fromiter((sha1_hash32(s.to_bytes(4, "little")) for s in shingles.tolist()), np.uint64, len(shingles))


def ds_minhash(shingles, num_perm=128, known: tuple[np.ndarray, np.ndarray] | None = None):
    """A plain datasketch ``MinHash`` of the shingles (SHA-1 of each, as its default). ``known``: the sorted
    shingles of the article a mutated copy was made from and their hashes, so only the copy's new shingles
    are hashed again — the same values, without the Python-level SHA-1 of every shingle of 88,000 copies
    (it was most of the 100k stage's time)."""
    from datasketch import MinHash

    hv = None
    if known is not None and len(known[0]) and len(shingles):
        pos = np.minimum(np.searchsorted(known[0], shingles), len(known[0]) - 1)
        hit = known[0][pos] == shingles
        hv = np.empty(len(shingles), np.uint64)
        hv[hit] = known[1][pos[hit]]
        hv[~hit] = sha1_hashes(shingles[~hit])
    if hv is None:
        hv = sha1_hashes(np.asarray(shingles))
    m = MinHash(num_perm=num_perm, hashfunc=int)  # the hashes above, as datasketch's update_batch takes them
    m.update_batch(hv.tolist())
    return m


def run(args) -> dict:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    S.segment("预热")  # load the segmenter's dictionary before timing, as jieba's is (0.5 s for jieba-rs)
    params = FingerprintParams()
    rng = random.Random(args.seed)
    out: dict = {"params": params.to_dict(), "core_digest": D.core_digest(), "cpu_count": os.cpu_count(),
                 "sizes": {}}

    t0 = time.perf_counter()
    licensed, cases, docs = D.build_benchmark(2000, args.per_disguise, args.negatives, args.seed,
                                              rewrites=args.rewrites)
    # the quality licensed set first (so copies find their sources at every size), then the rest shuffled
    first = {d.id for d in licensed}
    rest = [d for d in docs if d.id not in first]
    rng.shuffle(rest)
    docs = list(licensed) + rest
    if args.real:
        docs = docs[: args.real]
    texts = [c.text for c in cases]
    chars = sum(len(t) for t in texts)
    out["setup_seconds"] = time.perf_counter() - t0
    out["scan_texts"] = {"n": len(texts), "mean_chars": chars / len(texts)}
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    log(f"setup {out['setup_seconds']:.0f}s; {len(texts)} scan texts, {len(docs)} real articles")

    # (a) jieba alone, (b) reprintwatch fingerprinting — same texts, same process
    t0, c0 = time.perf_counter(), time.process_time()
    for t in texts:
        jieba.lcut(t)
    jieba_s, jieba_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    fps = [fingerprint(t, params) for t in texts]
    fp_s, fp_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    for t in texts:
        S.segment(t)
    seg_s, seg_cpu = time.perf_counter() - t0, time.process_time() - c0
    out["segmenter"] = S.segmenter()
    out["segmenter_articles_per_s"] = len(texts) / seg_s
    out["segmenter_articles_per_cpu_s"] = len(texts) / seg_cpu
    out["jieba_articles_per_s"] = len(texts) / jieba_s
    out["jieba_articles_per_cpu_s"] = len(texts) / jieba_cpu
    out["jieba_chars_per_s"] = chars / jieba_s
    out["fingerprint_articles_per_s"] = len(texts) / fp_s
    out["fingerprint_articles_per_cpu_s"] = len(texts) / fp_cpu
    # the rewrite sketch's share of fingerprinting: facts and their keys from the tokens jieba gave
    t0 = time.perf_counter()
    for fp in fps:  # as fingerprint() does it: from the token table (dedupe/tokens.py)
        R.fact_bounds_and_keys(fp.tokens, *T.token_ids(fp.tokens), params.rewrite_rare_freq, params.rewrite_common_char_freq)
    facts_s = time.perf_counter() - t0
    out["rewrite_sketch_share_of_fingerprint"] = facts_s / fp_s
    log(f"jieba {out['jieba_articles_per_s']:.0f}/s ({out['jieba_articles_per_cpu_s']:.0f}/cpu-s) · fingerprint "
        f"{out['fingerprint_articles_per_s']:.0f}/s ({out['fingerprint_articles_per_cpu_s']:.0f}/cpu-s)")
    baseline_queries = [ds_minhash(fp.signature.shingles) for fp in fps] if args.baseline else []

    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="rw-speed-", dir=args.tmpdir) as tmp:
        db = Path(tmp) / "licensed.db"
        index = SQLiteIndex(db, params)
        detector = Detector(index)
        if args.baseline:
            from datasketch import MinHashLSH

            lsh = MinHashLSH(threshold=0.5, num_perm=128)
        stream = licensed_stream(docs, sizes[-1])
        # the real articles are fingerprinted 500 at a time, as ``index add`` does (Detector.prepare_many):
        # faster than one by one (dedupe/fingerprint.py ``fingerprint_many``); the time goes to "prepare"
        ahead: list = []

        def pull():
            nonlocal prep_s
            if not ahead:
                chunk = list(itertools.islice(stream, 500))
                t0 = time.perf_counter()
                fps = iter(fingerprint_many([a.content for a in chunk if isinstance(a, Article)], params))
                prep_s += time.perf_counter() - t0
                ahead.extend(reversed([(a, next(fps) if isinstance(a, Article) else None) for a in chunk]))
            return ahead.pop()
        n_real = 0
        added = 0
        fact_keys: dict[str, np.ndarray] = {}  # mutated copies keep their original's facts (same text)
        originals: dict[str, Signature] = {}  # a copy is made from its original's signature, kept here
        sha1_of: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # the baseline's shingle hashes of each original
        base_real_s, base_real_n = 0.0, 0  # the baseline's build rate is timed on the real articles
        prep_s = store_s = base_s = 0.0
        store_cpu = 0.0
        base_cpu = 0.0  # the baseline's CPU time, taken out of the index stage's (its wall time is not CPU time
        # on a busy machine: subtracting it gave negative rates)
        index_cpu = 0.0
        for size in sizes:
            if args.reuse_index:  # an index kept by an earlier run (--keep-index): scan and time checks on it
                index.close()
                index = SQLiteIndex(Path(args.reuse_index) / f"licensed-{size}.db", params, create=False)
                detector = Detector(index)
                added = index.stats().articles
                # the key table loaded before timing, as the build leaves it (its runs' bucket tables: ~0.1–0.3 s)
                index.candidates(fps[0].keys, 1)
                row = {"reused_index": str(Path(args.reuse_index) / f"licensed-{size}.db")}
            else:
                # (c) index build: fingerprint (prepare) and store, timed apart; baseline MinHashLSH from the same shingles
                batch = []
                c_start = time.process_time()
                base_before = base_cpu
                stage_start, prep_before, store_before, real_before = added, prep_s, store_s, n_real
                store_cpu_before = store_cpu
                while added < size:
                    article, fp = pull()
                    t0 = time.perf_counter()
                    real = isinstance(article, Article)
                    if real:
                        item = IndexedArticle(article, fp.signature, fp.index_keys)
                        fact_keys[article.id] = fp.rewrite_keys
                        originals[article.id] = fp.signature
                        n_real += 1
                    else:
                        doc, copy_no = article
                        sig = mutate_signature(rng, originals[doc.id], params.shingle_size)
                        article = Article(f"{doc.id}~m{copy_no}", doc.text, doc.title, doc.outlet)
                        item = IndexedArticle(article, sig, np.concatenate((band_keys(sig.shingles, params),
                                                                            fact_keys[doc.id])))
                    prep_s += time.perf_counter() - t0
                    if args.baseline:
                        t0, c0 = time.perf_counter(), time.process_time()
                        if real:
                            u = np.unique(item.signature.shingles)
                            sha1_of[article.id] = (u, sha1_hashes(u))
                            lsh.insert(article.id, ds_minhash(item.signature.shingles, known=sha1_of[article.id]))
                            base_real_s += time.perf_counter() - t0
                            base_real_n += 1
                        else:
                            lsh.insert(article.id, ds_minhash(item.signature.shingles, known=sha1_of[doc.id]))
                        base_s += time.perf_counter() - t0
                        base_cpu += time.process_time() - c0
                    batch.append(item)
                    added += 1
                    if len(batch) == 500 or added == size:
                        t0, c0 = time.perf_counter(), time.process_time()
                        index.add(batch)
                        store_s += time.perf_counter() - t0
                        store_cpu += time.process_time() - c0
                        batch = []
                        if added % 5000 == 0:
                            log(f"  {added} indexed ({added / (prep_s + store_s):.0f}/s)")
                # CPU time of this stage, minus the baseline's share
                stage_cpu = time.process_time() - c_start - (base_cpu - base_before)
                index_cpu += stage_cpu
                stage_n = added - stage_start
                row: dict = {
                    "index_articles_per_s": added / (prep_s + store_s),
                    "index_articles_per_cpu_s": added / index_cpu,
                    "stage": {"articles": stage_n, "real": n_real - real_before, "mutated": stage_n - (n_real - real_before),
                              "articles_per_cpu_s": stage_n / stage_cpu,
                              "prepare_s": prep_s - prep_before, "store_s": store_s - store_before,
                              "store_articles_per_s": stage_n / max(1e-9, store_s - store_before),
                              "store_articles_per_cpu_s": stage_n / max(1e-9, store_cpu - store_cpu_before)},
                    "index_fingerprint_s": prep_s,
                    "index_store_s": store_s,
                }
            stats = index.stats()
            row["index_bytes"] = stats.size_bytes
            row["index_bytes_per_article"] = stats.size_bytes / added
            row["band_keys_per_article"] = stats.band_keys / added
            wal = Path(str(db) + "-wal")
            row["db_file_bytes"] = db.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
            # the target is on what the index adds to the texts it stores: (pages in use − text bytes) an article
            text_bytes = index.conn.execute("SELECT sum(length(CAST(content AS BLOB))) FROM articles").fetchone()[0]
            row["text_bytes_per_article"] = text_bytes / added
            row["index_bytes_beyond_text_per_article"] = (stats.size_bytes - text_bytes) / added
            if args.keep_index and not args.reuse_index:  # a page-for-page copy (sqlite3 backup)
                Path(args.keep_index).mkdir(parents=True, exist_ok=True)
                kept = sqlite3.connect(Path(args.keep_index) / f"licensed-{size}.db")
                index.conn.commit()
                index.conn.backup(kept)
                kept.close()

            # (d) scan: check() on the texts (fingerprint + candidates + verify + the rewrite path, timed apart)
            rewrite_s = [0.0, 0]
            rewrites_of = detector._rewrites

            def timed_rewrites(*a):
                t = time.perf_counter()
                found = rewrites_of(*a)
                rewrite_s[0] += time.perf_counter() - t
                rewrite_s[1] += sum(m.verdict == "rewrite" for ms in found for m in ms)  # one list a check of the batch
                return found

            detector._rewrites = timed_rewrites
            t0, c0 = time.perf_counter(), time.process_time()
            n_reprints = n_versions = 0
            serial = []
            articles_to_scan = [Article(f"s{i}", t) for i, t in enumerate(texts)]
            for result in detector.scan(articles_to_scan):  # as `scan --jobs 1` does: fingerprints in batches
                n_reprints += bool(result.reprints)
                n_versions += sum(len(m.versions) for m in result.matches)
                serial.append(result.to_dict())
            scan_s, scan_cpu = time.perf_counter() - t0, time.process_time() - c0
            detector._rewrites = rewrites_of
            fp_share = 1 / out["fingerprint_articles_per_s"] / (scan_s / len(texts))  # fingerprint's share of a check
            row["rewrite_path_share_of_check"] = (
                rewrite_s[0] / scan_s + fp_share * out["rewrite_sketch_share_of_fingerprint"])
            row["rewrite_verdicts"] = rewrite_s[1]
            row["scan_articles_per_s"] = len(texts) / scan_s
            row["scan_articles_per_cpu_s"] = len(texts) / scan_cpu
            row["scan_vs_jieba"] = row["scan_articles_per_s"] / out["jieba_articles_per_s"]
            row["scan_vs_jieba_cpu"] = row["scan_articles_per_cpu_s"] / out["jieba_articles_per_cpu_s"]
            row["scan_with_reprint"] = n_reprints
            row["versions_listed"] = n_versions

            # (d') the same scan on every core: Detector.check_many (wall clock; the output must not change)
            if args.jobs > 1:
                t0 = time.perf_counter()
                par = [r.to_dict() for r in detector.check_many(articles_to_scan, jobs=args.jobs)]
                row["scan_jobs"] = args.jobs
                row["scan_jobs_articles_per_s"] = len(texts) / (time.perf_counter() - t0)
                row["scan_jobs_speedup"] = row["scan_jobs_articles_per_s"] / row["scan_articles_per_s"]
                row["scan_jobs_identical"] = par == serial

            # (e) query latency after segmentation: candidates + get + verify on a precomputed fingerprint
            lat, lat_cpu, ncand, parts = [], [], [], np.zeros(3)
            for fp in fps[: args.queries]:
                c0 = time.process_time()
                t0 = time.perf_counter()
                cands = [c for c in index.candidates(fp.keys, detector.max_candidates)
                         if c[1] >= detector.min_shared_keys]
                t1 = time.perf_counter()
                records = index.get([c for c, _ in cands])
                t2 = time.perf_counter()
                detector._verify(fp, records, dict(cands))  # verification, versions of one text grouped
                t3 = time.perf_counter()
                lat_cpu.append((time.process_time() - c0) * 1000)  # robust to a busy machine, unlike wall clock
                lat.append((t3 - t0) * 1000)
                parts += (t1 - t0, t2 - t1, t3 - t2)
                ncand.append(len(cands))
            lat_a, ncand_a = np.asarray(lat), np.asarray(ncand)
            slow = lat_a >= np.percentile(lat_a, 99)
            row.update(latency_ms_p50=pct(lat, 50), latency_ms_p99=pct(lat, 99), latency_ms_max=max(lat),
                       latency_cpu_ms_p50=pct(lat_cpu, 50), latency_cpu_ms_p99=pct(lat_cpu, 99),
                       candidates_p50=pct(ncand, 50), candidates_p99=pct(ncand, 99),
                       candidates_mean=float(ncand_a.mean()),
                       candidates_of_slowest_1pct=float(ncand_a[slow].mean()),
                       latency_share={"candidates": parts[0] / parts.sum(), "get": parts[1] / parts.sum(),
                                      "verify": parts[2] / parts.sum()})

            if args.baseline:
                blat, bn = [], []
                for m in baseline_queries[: args.queries]:
                    t0 = time.perf_counter()
                    res = lsh.query(m)
                    blat.append((time.perf_counter() - t0) * 1000)
                    bn.append(len(res))
                row["baseline"] = {
                    "build_articles_per_s_from_shingles": base_real_n / max(1e-9, base_real_s),  # real articles
                    "build_s": base_s,
                    "query_ms_p50": pct(blat, 50), "query_ms_p99": pct(blat, 99),
                    "candidates_p50": pct(bn, 50), "candidates_p99": pct(bn, 99),
                }
            row["peak_rss_mb"] = peak_rss_mb()
            row["rss_mb"] = current_rss_mb()
            out["sizes"][str(size)] = row
            log(f"size {size}: {json.dumps(row)}")
        index.close()
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def print_report(res: dict) -> None:
    print(f"core {res['core_digest']} · cores {res['cpu_count']} · scan texts {res['scan_texts']['n']} (mean {res['scan_texts']['mean_chars']:.0f} chars)")
    print("articles/s by wall clock, and (in brackets) per CPU-second of this process — the fair figure on a shared machine")
    print(f"(a) jieba.lcut only          {res['jieba_articles_per_s']:7.1f} ({res['jieba_articles_per_cpu_s']:.1f}) articles/s")
    print(f"(a') {res['segmenter']} segment only {res['segmenter_articles_per_s']:7.1f} ({res['segmenter_articles_per_cpu_s']:.1f})")
    print(f"(b) reprintwatch fingerprint {res['fingerprint_articles_per_s']:7.1f} ({res['fingerprint_articles_per_cpu_s']:.1f})"
          f" · of which the rewrite sketch (facts, keys) {res['rewrite_sketch_share_of_fingerprint']:.1%}")
    head = (f"{'licensed':>9} {'index/s':>14} {'scan/s':>14} {'scan/jieba':>11} {'p50 ms':>7} {'p99 ms':>7} {'cand p99':>8} "
            f"{'B/article':>9} {'keys/art':>8} {'peak RSS':>9}")
    print(head)
    for size, r in res["sizes"].items():
        built = (f"{r['index_articles_per_s']:6.1f} ({r['index_articles_per_cpu_s']:5.1f})" if "index_articles_per_s" in r
                 else f"{'(kept)':>14}")
        print(f"{int(size):9d} {built} "
              f"{r['scan_articles_per_s']:6.1f} ({r['scan_articles_per_cpu_s']:5.1f}) "
              f"{r['scan_vs_jieba']:4.2f} ({r['scan_vs_jieba_cpu']:4.2f}) "
              f"{r['latency_ms_p50']:7.2f} {r['latency_ms_p99']:7.2f} {r['candidates_p99']:8.0f} "
              f"{r['index_bytes_per_article']:9.0f} {r['band_keys_per_article']:8.1f} {r['peak_rss_mb']:8.0f}M")
        share = r["latency_share"]
        print(f"{'':9} rewrite path (facts + fact-key candidates + alignment): "
              f"{r['rewrite_path_share_of_check']:.1%} of check time; {r['rewrite_verdicts']} rewrite verdicts")
        print(f"{'':9} latency split: candidates {share['candidates']:.0%} · get {share['get']:.0%} · verify "
              f"{share['verify']:.0%}; mean candidates {r['candidates_mean']:.1f}, "
              f"{r['candidates_of_slowest_1pct']:.0f} for the slowest 1 %; {r['versions_listed']} versions listed")
        if "scan_jobs" in r:
            print(f"{'':9} scan --jobs {r['scan_jobs']}: {r['scan_jobs_articles_per_s']:.1f} articles/s (wall), "
                  f"{r['scan_jobs_speedup']:.2f}x one job; identical output: {r['scan_jobs_identical']}")
    if any("baseline" in r for r in res["sizes"].values()):
        print("datasketch MinHashLSH(threshold 0.5, num_perm 128) on the same shingles:")
        for size, r in res["sizes"].items():
            b = r["baseline"]
            print(f"{int(size):9d} build {b['build_articles_per_s_from_shingles']:7.1f} articles/s (from shingles) · "
                  f"query p50 {b['query_ms_p50']:.3f} ms p99 {b['query_ms_p99']:.3f} ms · candidates p99 {b['candidates_p99']:.0f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000", help="licensed set sizes, comma-separated (e.g. 10000,100000)")
    ap.add_argument("--quick", action="store_true", help="2,000 licensed, fewer texts: a smoke run")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-disguise", type=int, default=60, help="disguised copies per disguise among the scan texts")
    ap.add_argument("--negatives", type=int, default=460, help="negatives among the scan texts")
    ap.add_argument("--rewrites", type=int, default=10,
                    help="洗稿 copies per level (30/40/50%%) and length among the scan texts (the rewrite path's work)")
    ap.add_argument("--queries", type=int, default=1000, help="queries timed for latency")
    ap.add_argument("--real", type=int, default=0, help="use only this many real articles (the rest mutated copies)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the parallel scan (1: skip it)")
    ap.add_argument("--tmpdir", default=None, help="where the temporary index goes")
    ap.add_argument("--keep-index", metavar="DIR", help="copy each size's index to DIR/licensed-SIZE.db")
    ap.add_argument("--reuse-index", metavar="DIR",
                    help="no build: scan and time checks on DIR/licensed-SIZE.db kept by --keep-index (two commits "
                         "measured on one index; implies --no-baseline)")
    ap.add_argument("--no-baseline", dest="baseline", action="store_false")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.sizes, args.per_disguise, args.negatives, args.queries, args.rewrites = "2000", 15, 100, 200, 3
    if args.reuse_index:
        args.baseline = False
        missing = [s for s in args.sizes.split(",") if not (Path(args.reuse_index) / f"licensed-{int(s)}.db").exists()]
        if missing:
            print(f"--reuse-index {args.reuse_index}: no licensed-{missing[0]}.db there (make it with --keep-index)",
                  file=sys.stderr)
            return 2
    if not (D.RAW_DIR / "sina-news-2018").exists():
        print(f"raw data not found at {D.RAW_DIR} (set REPRINTWATCH_RAW_DATA)", file=sys.stderr)
        return 2
    res = run(args)
    if args.json:
        json.dump(res, sys.stdout, indent=1)
        print()
    else:
        print_report(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
