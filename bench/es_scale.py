"""Elasticsearch at archive scale: build a licensed index of up to 1M articles in stages, and measure each stage.

    REPRINTWATCH_ES_PORT=9204 REPRINTWATCH_ES_HEAP=4g nice -n 10 bash scripts/elasticsearch.sh start
    nohup .venv/bin/python bench/es_scale.py --es-url http://127.0.0.1:9204 --stages 100000,300000,1000000 \\
        --work /var/tmp/rw-scale --json-out /var/tmp/rw-scale/results.json > /var/tmp/rw-scale/run.log 2>&1 &
    .venv/bin/python bench/es_scale.py --es-url http://127.0.0.1:9204 --stages 20000 --queries 200   # a smoke run

A long run, not a test: it belongs to no CI job. The licensed set is grown as in ``bench/speed.py``: the real
articles (``../shared/data/raw``, ~12,500 after cleaning; the quality benchmark's licensed 2,000 first, so the
timed queries find their sources) are fingerprinted once (cached in ``--work``), then mutated copies are made
**from their stored signatures** (``speed.mutate_signature``: 15 % of the tokens dropped in sentence-sized
blocks, 5 % of the shingles given new values; band keys recomputed from the mutated shingles, the original's
rewrite fact keys kept), with the original's text as content — ~80 versions of every story at 1M, as a
pessimistic wire archive. Copy ``i`` is a pure function of ``(seed, i)``, so a build is **resumable**: rerun
the same command and it continues from what the index holds (stages already measured are measured again only
with ``--remeasure``).

Build: ``ElasticsearchIndex.add`` (the production write path: mget of content hashes, ``streaming_bulk``,
per-document retries) in batches of ``--batch`` articles inside ``bulk_load()`` (no refresh per batch), while a
producer thread makes the next batch. Each stage reports articles/s by wall clock and per CPU-second — of this
process and of the Elasticsearch node (``nodes.stats`` process CPU) — because the machine is shared.

At the end of each stage (after one refresh): documents, segments, store size per article (and per field with
``_disk_usage`` unless ``--no-disk-usage``), JVM heap used/max and the node's RSS, then the check latency after
segmentation as ``bench/speed.py`` defines it (candidates + get + verify on a precomputed fingerprint of the
quality benchmark's disguised copies and negatives), split into the hot-key count, the candidate query, the
signature ``mget`` and verification, with the HTTP requests per check; then ``Detector.check`` end to end.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import queue
import random
import resource
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from bench.speed import mutate_signature  # noqa: E402
from reprintwatch import Detector, Settings  # noqa: E402
from reprintwatch.articles import Article  # noqa: E402
from reprintwatch.dedupe import FingerprintParams, Signature, band_keys, fingerprint  # noqa: E402
from reprintwatch.index.base import IndexedArticle  # noqa: E402
from reprintwatch.index.elasticsearch import ElasticsearchIndex  # noqa: E402

_T0 = time.time()


def log(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S', time.gmtime())} +{time.time() - _T0:6.0f}s {msg}", file=sys.stderr, flush=True)


def pct(values, q) -> float:
    return float(np.percentile(np.asarray(values), q)) if len(values) else float("nan")


# --- the licensed set ------------------------------------------------------------------------------------

def real_docs_and_queries(args):
    """The real articles in stream order (as bench/speed.py orders them) and the query texts."""
    rng = random.Random(args.seed)
    licensed, cases, docs = D.build_benchmark(2000, args.per_disguise, args.negatives, args.seed,
                                              rewrites=args.rewrites)
    first = {d.id for d in licensed}
    rest = [d for d in docs if d.id not in first]
    rng.shuffle(rest)
    return list(licensed) + rest, [c.text for c in cases]


def real_fingerprints(docs, params: FingerprintParams, work: Path):
    """(signature, band keys, rewrite keys) of every real article, cached by core digest."""
    cache = work / f"real-{D.core_digest()}-{len(docs)}.pkl"
    if cache.exists():
        with cache.open("rb") as fh:
            data = pickle.load(fh)
        if data["params"] == params.to_dict() and data["ids"] == [d.id for d in docs]:
            return data["fps"]
    log(f"fingerprinting {len(docs):,} real articles (cached in {cache})")
    fps = []
    for d in docs:
        fp = fingerprint(d.text, params)
        fps.append((fp.signature.to_bytes(), fp.keys, fp.rewrite_keys))
    tmp = cache.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump({"params": params.to_dict(), "ids": [d.id for d in docs], "fps": fps}, fh)
    tmp.replace(cache)
    return fps


def licensed_item(i: int, docs, fps, params: FingerprintParams, seed: int) -> IndexedArticle:
    """Licensed article number ``i`` of the stream: a real one, or a mutated copy made from a real one's
    stored signature (a pure function of ``seed`` and ``i``, so a build can resume anywhere)."""
    n = len(docs)
    doc = docs[i % n]
    sig_bytes, keys, rewrite_keys = fps[i % n]
    sig = Signature.from_bytes(sig_bytes)
    if i < n:
        return IndexedArticle(Article(doc.id, doc.text, doc.title, doc.outlet), sig,
                              np.concatenate((keys, rewrite_keys)))
    copy = i // n
    mutated = mutate_signature(random.Random(seed * 100_000_007 + i), sig, params.shingle_size)
    return IndexedArticle(Article(f"{doc.id}~m{copy}", doc.text, doc.title, doc.outlet), mutated,
                          np.concatenate((band_keys(mutated.shingles, params), rewrite_keys)))


# --- node figures ----------------------------------------------------------------------------------------

def node_figures(es) -> dict:
    stats = next(iter(es.nodes.stats(metric="jvm,process,os").body["nodes"].values()))
    info = next(iter(es.nodes.info(metric="jvm,process,os").body["nodes"].values()))
    out = {
        "heap_used_mb": stats["jvm"]["mem"]["heap_used_in_bytes"] / 2**20,
        "heap_max_mb": stats["jvm"]["mem"]["heap_max_in_bytes"] / 2**20,
        "non_heap_used_mb": stats["jvm"]["mem"]["non_heap_used_in_bytes"] / 2**20,
        "cpu_s": stats["process"]["cpu"]["total_in_millis"] / 1000,
        "gc_old_count": stats["jvm"]["gc"]["collectors"]["old"]["collection_count"],
        "es_version": info.get("version"),
        "allocated_processors": info.get("os", {}).get("allocated_processors"),
    }
    pid = info.get("process", {}).get("id")
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    out["rss_mb"] = int(line.split()[1]) / 1024
    except (OSError, TypeError):
        pass
    return out


def index_figures(es, index: ElasticsearchIndex, disk_usage: bool) -> dict:
    st = es.indices.stats(index=index.index_name, metric="docs,store,segments").body["_all"]["primaries"]
    out = {"docs": st["docs"]["count"], "deleted_docs": st["docs"]["deleted"], "segments": st["segments"]["count"],
           "store_bytes": st["store"]["size_in_bytes"]}
    out["store_bytes_per_article"] = out["store_bytes"] / max(1, out["docs"])
    if disk_usage:
        t = time.perf_counter()
        resp = es.options(request_timeout=3600).perform_request(
            "POST", f"/{index.index_name}/_disk_usage", params={"run_expensive_tasks": "true"},
            headers={"accept": "application/json"}).body
        fields = resp[index.index_name]["fields"]
        out["disk_usage_seconds"] = time.perf_counter() - t
        out["disk_usage_bytes_per_article"] = {
            name: f["total_in_bytes"] / max(1, out["docs"]) for name, f in fields.items() if f["total_in_bytes"]}
    return out


# --- the latency pass ------------------------------------------------------------------------------------

class RequestCounter:
    """Counts (and times) the HTTP requests the index makes, by endpoint."""

    def __init__(self, es):
        self.es, self.calls = es, []
        self._orig = es.perform_request

        def counted(method, path, *a, **kw):
            t = time.perf_counter()
            try:
                return self._orig(method, path, *a, **kw)
            finally:
                self.calls.append((path.rsplit("/", 1)[-1], time.perf_counter() - t))

        es.perform_request = counted

    def take(self) -> list:
        calls, self.calls = self.calls, []
        return calls

    def close(self):
        self.es.perform_request = self._orig


def previous_candidates(index: ElasticsearchIndex, keys, limit: int):
    """The candidate path of commit 2465806, for a same-run baseline: a ``filters`` aggregation under a
    ``terms`` query (the hot keys), then the candidate query — two searches, one after the other."""
    from reprintwatch.index.base import max_key_frequency

    terms = [str(int(k)) for k in np.unique(np.asarray(keys, dtype=np.int64))]
    if index._count is None:
        index._count = int(index.es.count(index=index.name)["count"])
    max_df = max_key_frequency(index._count)
    hot: set[str] = set()
    if index._count > max_df:
        resp = index.es.search(index=index.name, size=0, query={"terms": {"bands": terms}},
                               aggs={"df": {"filters": {"filters": {t: {"term": {"bands": t}} for t in terms}}}})
        hot = {t for t, b in resp["aggregations"]["df"]["buckets"].items() if b["doc_count"] > max_df}
    rest = [t for t in terms if t not in hot]
    return index._candidates(rest, limit) if rest else []


def wait_for_merges(es, limit_s: float = 900) -> float:
    """Seconds waited until the node runs no merge (the build's merges would be counted as check CPU)."""
    t = time.perf_counter()
    while time.perf_counter() - t < limit_s:
        merges = next(iter(es.nodes.stats(metric="indices", index_metric="merge").body["nodes"].values()))
        if not merges["indices"]["merges"]["current"]:
            break
        time.sleep(5)
    return time.perf_counter() - t


class CpuClock:
    """Wall time, this process's CPU time and the node's CPU time over a block, per item."""

    def __init__(self, es):
        self.es = es

    def __enter__(self):
        self.t, self.c, self.n = time.perf_counter(), time.process_time(), node_figures(self.es)["cpu_s"]
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t
        self.bench_cpu = time.process_time() - self.c
        self.node_cpu = node_figures(self.es)["cpu_s"] - self.n

    def per_item_ms(self, n: int) -> dict:
        return {"wall": 1000 * self.wall / n, "bench_cpu": 1000 * self.bench_cpu / n,
                "node_cpu": 1000 * self.node_cpu / n}


def latency_pass(index: ElasticsearchIndex, detector: Detector, fps, texts, n_checks: int) -> dict:
    """Wall-clock latencies, and CPU per check (of this process and of the node): on a shared machine with
    the node niced, wall clock is mostly waiting for a core; CPU per check is what an idle machine would
    spend (a search runs on one thread per shard)."""
    limit = detector.max_candidates
    waited = wait_for_merges(index.es)
    for fp in fps[:20]:  # warm-up, untimed (the first queries after a build load the terms index)
        detector._verify(fp, index.get([c for c, _ in index.candidates(fp.keys, limit)]), {})
        previous_candidates(index, fp.keys, limit)
    counter = RequestCounter(index.es)
    lat, parts, ncand, requests, found_all = [], [], [], [], []
    with CpuClock(index.es) as whole:
        for fp in fps:
            counter.take()
            t0 = time.perf_counter()
            found = index.candidates(fp.keys, limit)
            cands = [c for c in found if c[1] >= detector.min_shared_keys]
            t1 = time.perf_counter()
            records = index.get([c for c, _ in cands])
            t2 = time.perf_counter()
            detector._verify(fp, records, dict(cands))
            t3 = time.perf_counter()
            requests.append(len(counter.take()))
            found_all.append(found)
            lat.append((t3 - t0) * 1000)
            parts.append((t1 - t0, t2 - t1, t3 - t2))
            ncand.append(len(cands))
    # candidates alone, the current path and the previous one (commit 2465806), each over every query
    cand_ms: dict = {}
    differ = 0
    for name, call in (("current", index.candidates), ("previous", lambda k, n: previous_candidates(index, k, n))):
        ms = []
        with CpuClock(index.es) as clock:
            for i, fp in enumerate(fps):
                t = time.perf_counter()
                got = call(fp.keys, limit)
                ms.append((time.perf_counter() - t) * 1000)
                differ += name == "previous" and got != found_all[i]
        cand_ms[name] = {"p50": pct(ms, 50), "p99": pct(ms, 99), **clock.per_item_ms(len(fps))}
    p = np.asarray(parts) * 1000
    names = ("candidates", "get", "verify")
    out = {
        "queries": len(fps), "waited_for_merges_s": waited,
        "after_segmentation_ms": {"p50": pct(lat, 50), "p90": pct(lat, 90), "p99": pct(lat, 99), "max": max(lat)},
        "after_segmentation_per_check_ms": whole.per_item_ms(len(fps)),
        "parts_ms_p50": {k: pct(p[:, j], 50) for j, k in enumerate(names)},
        "parts_ms_p99": {k: pct(p[:, j], 99) for j, k in enumerate(names)},
        "parts_share": {k: float(p[:, j].sum() / p.sum()) for j, k in enumerate(names)},
        "candidates_alone_ms": cand_ms,
        "previous_vs_current_candidates_differ": differ,
        "candidates_p50": pct(ncand, 50), "candidates_p99": pct(ncand, 99),
        "requests_per_check_after_segmentation": {"p50": pct(requests, 50), "max": max(requests)},
    }
    # end to end: Detector.check (normalise, segment, fingerprint, candidates, get, verify, the rewrite path)
    e2e, e2e_req = [], []
    counter.take()
    with CpuClock(index.es) as clock:
        for text in texts[:n_checks]:
            t = time.perf_counter()
            detector.check(text)
            e2e.append((time.perf_counter() - t) * 1000)
            e2e_req.append(len(counter.take()))
    counter.close()
    if e2e:
        out["check_end_to_end_ms"] = {"n": len(e2e), "p50": pct(e2e, 50), "p99": pct(e2e, 99),
                                      **{f"per_check_{k}": v for k, v in clock.per_item_ms(len(e2e)).items()}}
        out["requests_per_check_end_to_end"] = {"p50": pct(e2e_req, 50), "max": max(e2e_req)}
    return out


# --- the run ---------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    # the code this process runs: read before the long setup, during which the worktree may move on
    commit, digest = git_commit(), D.core_digest()
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--es-url", default=os.environ.get("REPRINTWATCH_ES_URL", "http://127.0.0.1:9200"))
    ap.add_argument("--index", default="rw-scale", help="index alias (kept afterwards: the run resumes from it)")
    ap.add_argument("--stages", default="100000,300000,1000000", help="licensed sizes to stop and measure at")
    ap.add_argument("--batch", type=int, default=5000, help="articles per ElasticsearchIndex.add call")
    ap.add_argument("--chunk", type=int, default=1000, help="documents per bulk request")
    ap.add_argument("--queries", type=int, default=500, help="checks timed after segmentation per stage")
    ap.add_argument("--checks", type=int, default=100, help="Detector.check end to end per stage")
    ap.add_argument("--per-disguise", type=int, default=60)
    ap.add_argument("--negatives", type=int, default=460)
    ap.add_argument("--rewrites", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path("/var/tmp/rw-scale"), help="cache of the real fingerprints")
    ap.add_argument("--json-out", type=Path, help="results, rewritten after every stage")
    ap.add_argument("--fresh", action="store_true", help="delete the index first")
    ap.add_argument("--remeasure", action="store_true", help="measure stages the index has already passed")
    ap.add_argument("--no-disk-usage", dest="disk_usage", action="store_false")
    ap.add_argument("--until", default="",
                    help="UTC time HH:MM: stop building then, and measure what the index holds as the last stage")
    ap.add_argument("--merge-segments", type=int, default=0,
                    help="after the last stage, force-merge to this many segments and measure again (0: no)")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    args.until_ts = 0.0
    if args.until:
        hh, mm = (int(x) for x in args.until.split(":"))
        now = time.gmtime()
        args.until_ts = time.mktime(time.struct_time((now.tm_year, now.tm_mon, now.tm_mday, hh, mm, 0, 0, 0, 0))) \
            - time.mktime(time.struct_time((1970, 1, 1, 0, 0, 0, 0, 0, 0)))
    stages = sorted(int(s) for s in args.stages.split(","))

    params = FingerprintParams()
    settings = Settings.load(backend="elasticsearch", es_url=args.es_url, es_index=args.index)
    if args.fresh:
        probe = ElasticsearchIndex.from_settings(settings, params, create=True)
        probe.es.indices.delete(index=probe.index_name)
        probe.close()
    index = ElasticsearchIndex.from_settings(settings, params, create=True, chunk_size=args.chunk)
    index.es = index.es.options(request_timeout=300)
    detector = Detector(index)
    es = index.es

    t = time.perf_counter()
    docs, texts = real_docs_and_queries(args)
    fps_real = real_fingerprints(docs, params, args.work)
    query_fps = [fingerprint(t, params) for t in texts[: args.queries]]
    log(f"setup {time.perf_counter() - t:.0f}s: {len(docs):,} real articles, {len(texts)} query texts")

    results = {"params": params.to_dict(), "core_digest": digest, "commit": commit,
               "real_articles": len(docs), "batch": args.batch, "chunk": args.chunk, "stages": {}}
    if args.json_out and args.json_out.exists():
        old = json.loads(args.json_out.read_text())
        if old.get("commit") == results["commit"]:
            results["stages"] = old.get("stages", {})
    es.indices.refresh(index=index.index_name)
    have = int(es.count(index=index.index_name)["count"])
    log(f"index {index.index_name} holds {have:,} articles; stages {stages}; node {node_figures(es)}")
    position = max(0, have - 2 * args.batch)  # the add path skips what is already stored

    for stage in stages:
        if have >= stage and not args.remeasure and str(stage) in results["stages"]:
            continue
        cut = False
        if position < stage:
            built = build(index, docs, fps_real, params, args, position, stage)
            cut = built["from"] + built["articles"] < stage
            if cut:  # --until: the last stage is what the index holds now
                stage = built["from"] + built["articles"]
            results["stages"][str(stage)] = {"build": built}
            position = stage
        row = results["stages"].setdefault(str(stage), {})
        if position > stage:
            row["note"] = f"measured with {position:,} articles in the index"
        t = time.perf_counter()
        row["index"] = index_figures(es, index, args.disk_usage)
        row["latency"] = latency_pass(index, detector, query_fps, texts, args.checks)
        row["node"] = node_figures(es)
        row["load_average"] = os.getloadavg()
        log(f"stage {stage:,} measured in {time.perf_counter() - t:.0f}s: {json.dumps(row)}")
        save(results, args.json_out)
        if cut:
            log(f"stopped at {stage:,} articles (--until {args.until})")
            break

    if args.merge_segments:
        c0 = node_figures(es)["cpu_s"]
        done = index.optimize(segments=args.merge_segments)  # what `reprintwatch index optimize` runs
        merged = {"seconds": done.seconds, "segments_before": done.before, "node_cpu_s": node_figures(es)["cpu_s"] - c0}
        merged["index"] = index_figures(es, index, False)
        merged["latency"] = latency_pass(index, detector, query_fps, texts, args.checks)
        merged["node"] = node_figures(es)
        results["after_force_merge"] = merged
        log(f"force-merged to {args.merge_segments} segment(s): {json.dumps(merged)}")
        save(results, args.json_out)
    index.close()
    print(json.dumps(results, indent=1))
    return 0


def build(index, docs, fps_real, params, args, start: int, stop: int) -> dict:
    """Add licensed articles ``start .. stop`` of the stream; a producer thread makes the next batch."""
    q: queue.Queue = queue.Queue(maxsize=2)
    make_s = [0.0]

    def produce():
        for lo in range(start, stop, args.batch):
            t = time.perf_counter()
            batch = [licensed_item(i, docs, fps_real, params, args.seed) for i in range(lo, min(stop, lo + args.batch))]
            make_s[0] += time.perf_counter() - t
            q.put(batch)
        q.put(None)

    node0 = node_figures(index.es)
    t0, c0 = time.perf_counter(), time.process_time()
    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    done = added = 0
    write_s = 0.0
    last_log = t0
    with index.bulk_load():
        while (batch := q.get()) is not None:
            t = time.perf_counter()
            result = index.add(batch)
            write_s += time.perf_counter() - t
            done += len(batch)
            added += result.added
            if args.until_ts and time.time() > args.until_ts:
                break
            if time.perf_counter() - last_log > 60 or start + done >= stop:
                last_log = time.perf_counter()
                wall = last_log - t0
                node_cpu = node_figures(index.es)["cpu_s"] - node0["cpu_s"]
                log(f"  {start + done:,} / {stop:,}: {done / wall:.0f} articles/s wall; per CPU-s: bench "
                    f"{done / max(1e-9, time.process_time() - c0):.0f}, node {done / max(1e-9, node_cpu):.0f}; "
                    f"load {os.getloadavg()[0]:.1f}")
    wall = time.perf_counter() - t0
    node1 = node_figures(index.es)
    bench_cpu = time.process_time() - c0
    node_cpu = node1["cpu_s"] - node0["cpu_s"]
    return {
        "from": start, "to": stop, "articles": done, "added": added, "wall_s": wall,
        "articles_per_s_wall": done / wall,
        "bench_cpu_s": bench_cpu, "node_cpu_s": node_cpu,
        "articles_per_cpu_s": done / max(1e-9, bench_cpu + node_cpu),
        "articles_per_node_cpu_s": done / max(1e-9, node_cpu),
        "make_articles_s": make_s[0], "write_s": write_s,
        "peak_rss_mb_bench": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load_average": os.getloadavg(),
    }


def git_commit() -> str:
    import subprocess

    root = Path(__file__).resolve().parents[1]
    try:
        sha = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=root, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def save(results: dict, path: Path | None) -> None:
    if path:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(results, indent=1))
        tmp.replace(path)


if __name__ == "__main__":
    sys.exit(main())
