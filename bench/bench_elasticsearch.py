"""Elasticsearch vs SQLite vs Elasticsearch's own ``more_like_this``, on the same data in the same run.

    scripts/elasticsearch.sh start
    /tmp/venv/bin/python bench/bench_elasticsearch.py                 # 100,000 licensed articles (the default)
    /tmp/venv/bin/python bench/bench_elasticsearch.py --n 20000 --quality 100
    /tmp/venv/bin/python bench/bench_elasticsearch.py --n 2000 --json # machine-readable

What it measures:

* **indexing** — articles/s: fingerprinting (shared by both backends, timed once), then writing the same
  fingerprinted batches to the Elasticsearch backend (bulk + refresh per batch, as ``index add`` does), to
  SQLite, and to a ``more_like_this`` index (jieba tokens, whitespace analyzer, same documents);
* **check latency** — p50/p99 of ``Detector.check`` end to end (normalise, jieba, MinHash, candidate query,
  fetch signatures, verify) for each backend, and of the candidate query alone;
* **quality** — on a small set built here: full copies (WeChat-style wrapping), excerpts (20–50 % of a licensed
  article pasted into an unrelated page) and negatives (articles sharing no 20-character run with anything
  licensed). A query counts as found when the top reported match is the article or one of its grown copies.
  ``more_like_this`` has no verdict: its top hit is taken as its answer (``min_term_freq`` 1, up to 50 query
  terms, ``minimum_should_match`` 30 %, Elasticsearch's default).

Data: the research-only news in ``../shared/data/raw`` (Xinhua + Sina 2018, via ``bench/disguise.py``), ~13k
distinct articles, grown to ``--n`` with near-copies (``disguise.mutate``: 15 % of sentences dropped, synonyms
swapped) — so the index holds, like a wire archive, several versions of many stories.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from reprintwatch import Article, Detector, Settings  # noqa: E402
from reprintwatch.dedupe.normalize import normalize  # noqa: E402
from reprintwatch.dedupe.segment import segment  # noqa: E402
from reprintwatch.index.base import IndexedArticle  # noqa: E402
from reprintwatch.index.elasticsearch import ElasticsearchIndex, make_client  # noqa: E402
from reprintwatch.index.sqlite import SQLiteIndex  # noqa: E402


@dataclass
class Query:
    kind: str  # full | excerpt | negative
    text: str
    group: str | None  # the licensed base id whose group (base + grown copies) must be found


def group_of(article_id: str) -> str:
    return article_id.split("~", 1)[0]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def mlt_tokens(text: str) -> str:
    return " ".join(t for t in segment(normalize(text).text) if t.strip() and any(c.isalnum() for c in t))


def build_data(n: int, n_quality: int, seed: int):
    """The licensed corpus generator (n articles) and the quality queries."""
    rng = random.Random(seed)
    corpus = [d for d in D.load_corpus() if d.chars >= 200]
    if not corpus:
        sys.exit(f"no data in {D.RAW_DIR} (the research-only news beside the repository)")
    rng.shuffle(corpus)
    # held out first: negatives and the unrelated host pages of excerpts; licensed bases share no run with them
    held = corpus[: 2 * n_quality]
    held_grams: set[int] = set()
    for d in held:
        held_grams |= D.run_hashes(d.text)
    bases = [d for d in corpus[2 * n_quality :] if held_grams.isdisjoint(D.run_hashes(d.text))]
    bases = bases[:n]
    negatives, hosts = held[:n_quality], held[n_quality:]

    queries: list[Query] = []
    for d in rng.sample(bases, min(n_quality, len(bases))):
        queries.append(Query("full", D.wechat_full(rng, d.text), d.id))
    long_bases = [d for d in bases if d.chars >= 600]
    for d, host in zip(rng.sample(long_bases, min(n_quality, len(long_bases))), hosts):
        page, _ = D.excerpt(rng, d.text, host.text, rng.uniform(0.2, 0.5))
        queries.append(Query("excerpt", page, d.id))
    for d in negatives:
        queries.append(Query("negative", d.text, None))

    def licensed():
        for d in bases:
            yield Article(d.id, d.text, d.title, d.outlet)
        k = 0
        produced = len(bases)
        while produced < n:
            k += 1
            grow = random.Random(seed * 1000 + k)
            for d in bases:
                if produced >= n:
                    break
                yield Article(f"{d.id}~{k}", D.mutate(grow, d.text), d.title, f"{d.outlet}转载{k}")
                produced += 1

    return licensed, queries, len(bases)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="licensed articles (default 100,000)")
    ap.add_argument("--quality", type=int, default=100, help="queries of each kind (full, excerpt, negative)")
    ap.add_argument("--batch-size", type=int, default=500)
    ap.add_argument("--es-url", default=os.environ.get("REPRINTWATCH_ES_URL", "http://127.0.0.1:9200"))
    ap.add_argument("--index", default="rw-bench", help="Elasticsearch index name (deleted first and afterwards)")
    ap.add_argument("--keep", action="store_true", help="keep the indexes afterwards")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--json-out", type=Path, help="also write the results as JSON to this file")
    ap.add_argument("--force-merge", action="store_true",
                    help="afterwards, force-merge the Elasticsearch indexes to one segment and measure the queries again")
    args = ap.parse_args(argv)

    settings = Settings.load(backend="elasticsearch", es_url=args.es_url, es_index=args.index)
    es = make_client(settings.es_url, settings.es_api_key, settings.es_username, settings.es_password,
                     settings.es_ca_certs, request_timeout=120)
    mlt_index = f"{args.index}-mlt"
    for name in (f"{args.index}-v1", mlt_index):
        es.indices.delete(index=name, ignore_unavailable=True)

    t0 = time.perf_counter()
    licensed, queries, n_bases = build_data(args.n, args.quality, args.seed)
    t_data = time.perf_counter() - t0
    log(f"data: {n_bases:,} distinct articles, grown to {args.n:,}; {len(queries)} quality queries ({t_data:.0f}s)")

    tmp = tempfile.TemporaryDirectory(prefix="rw-bench-")
    es_idx = ElasticsearchIndex.from_settings(settings, create=True)
    sq_idx = SQLiteIndex(Path(tmp.name) / "licensed.db")
    es.indices.create(index=mlt_index, settings={"number_of_shards": 1, "number_of_replicas": 0},
                      mappings={"dynamic": "strict", "properties": {
                          "text": {"type": "text", "analyzer": "whitespace"}}})
    detector_es, detector_sq = Detector(es_idx), Detector(sq_idx)

    times = {"fingerprint": 0.0, "elasticsearch": 0.0, "sqlite": 0.0, "mlt_tokens": 0.0, "mlt_write": 0.0}
    count = 0
    batch: list[Article] = []

    def flush(batch: list[Article]) -> None:
        t = time.perf_counter()
        items: list[IndexedArticle] = [detector_es.prepare(a) for a in batch]
        times["fingerprint"] += time.perf_counter() - t
        t = time.perf_counter()
        es_idx.add(items)
        times["elasticsearch"] += time.perf_counter() - t
        t = time.perf_counter()
        sq_idx.add(items)
        times["sqlite"] += time.perf_counter() - t
        t = time.perf_counter()
        ops = []
        for a in batch:
            ops.append({"index": {"_index": mlt_index, "_id": a.id}})
            ops.append({"text": mlt_tokens(a.content)})
        times["mlt_tokens"] += time.perf_counter() - t
        t = time.perf_counter()
        resp = es.bulk(operations=ops, refresh=True)
        if resp["errors"]:
            raise SystemExit(f"more_like_this index refused documents: {resp['items'][:1]}")
        times["mlt_write"] += time.perf_counter() - t

    started = time.perf_counter()
    for article in licensed():
        batch.append(article)
        if len(batch) >= args.batch_size:
            flush(batch)
            count += len(batch)
            batch = []
            if count % (args.batch_size * 10) == 0:
                log(f"  indexed {count:,} / {args.n:,} ({time.perf_counter() - started:.0f}s)")
    if batch:
        flush(batch)
        count += len(batch)
    log(f"indexed {count:,} articles ({time.perf_counter() - started:.0f}s)")

    # --- queries ----------------------------------------------------------------------------------------
    def query_pass():
        lat = {k: [] for k in ("check_es", "check_sqlite", "cand_es", "cand_sqlite", "mlt_query", "mlt_total")}
        answers = {"reprintwatch-es": [], "reprintwatch-sqlite": [], "more_like_this": []}
        rng = random.Random(args.seed)
        order = list(range(len(queries)))
        rng.shuffle(order)
        differences = 0
        for i in order:
            q = queries[i]
            t = time.perf_counter()
            r_es = detector_es.check(q.text)
            lat["check_es"].append(time.perf_counter() - t)
            t = time.perf_counter()
            r_sq = detector_sq.check(q.text)
            lat["check_sqlite"].append(time.perf_counter() - t)
            differences += r_es.to_dict() != r_sq.to_dict()
            keys = detector_es.fingerprint(q.text).keys
            t = time.perf_counter()
            es_idx.candidates(keys, detector_es.max_candidates)
            lat["cand_es"].append(time.perf_counter() - t)
            t = time.perf_counter()
            sq_idx.candidates(keys, detector_sq.max_candidates)
            lat["cand_sqlite"].append(time.perf_counter() - t)
            t = time.perf_counter()
            tokens = mlt_tokens(q.text)
            t1 = time.perf_counter()
            hits = es.search(index=mlt_index, size=1, source=False, query={"more_like_this": {
                "fields": ["text"], "like": tokens, "min_term_freq": 1, "max_query_terms": 50, "min_doc_freq": 1,
            }})["hits"]["hits"]
            lat["mlt_query"].append(time.perf_counter() - t1)
            lat["mlt_total"].append(time.perf_counter() - t)
            answers["reprintwatch-es"].append((q, [m.licensed.id for m in r_es.reprints]))
            answers["reprintwatch-sqlite"].append((q, [m.licensed.id for m in r_sq.reprints]))
            answers["more_like_this"].append((q, [h["_id"] for h in hits]))
        return lat, answers, differences

    def segments() -> int:
        return es.indices.stats(index=es_idx.index_name, metric="segments")["_all"]["primaries"]["segments"]["count"]

    segments_before = segments()
    lat, answers, differences = query_pass()
    merged = None
    if args.force_merge:
        log("force-merging the Elasticsearch indexes to one segment and querying again")
        t = time.perf_counter()
        es.options(request_timeout=3600).indices.forcemerge(index=f"{es_idx.index_name},{mlt_index}",
                                                            max_num_segments=1)
        merge_s = time.perf_counter() - t
        lat2, _, diff2 = query_pass()
        merged = {"seconds": merge_s, "differences": diff2, "es_size_bytes": es_idx.stats().size_bytes,
                  "latency_ms": {k: {"p50": 1000 * percentile(v, 50), "p99": 1000 * percentile(v, 99)}
                                 for k, v in lat2.items()}}
    log("queries done")

    quality = {name: score(rows) for name, rows in answers.items()}
    heap = node_heap(es)
    results = {
        "n": count, "distinct_articles": n_bases, "queries": len(queries), "batch_size": args.batch_size,
        "indexing_docs_per_s": {
            "fingerprint (shared)": count / times["fingerprint"],
            "elasticsearch write": count / times["elasticsearch"],
            "sqlite write": count / times["sqlite"],
            "more_like_this write (jieba + bulk)": count / (times["mlt_tokens"] + times["mlt_write"]),
            "elasticsearch index add (fingerprint + write)": count / (times["fingerprint"] + times["elasticsearch"]),
            "sqlite index add (fingerprint + write)": count / (times["fingerprint"] + times["sqlite"]),
        },
        "latency_ms": {k: {"p50": 1000 * percentile(v, 50), "p99": 1000 * percentile(v, 99)} for k, v in lat.items()},
        "quality": quality,
        "es_vs_sqlite_check_differences": differences,
        "es_segments_before_merge": segments_before,
        "after_force_merge": merged,
        "sizes": {"elasticsearch": es_idx.stats().size_bytes, "sqlite": sq_idx.stats().size_bytes,
                  "more_like_this": es.indices.stats(index=mlt_index, metric="store")["_all"]["total"]["store"][
                      "size_in_bytes"]},
        "machine": machine(heap),
    }
    es_idx.close()
    sq_idx.close()
    if not args.keep:
        for name in (f"{args.index}-v1", mlt_index):
            es.indices.delete(index=name, ignore_unavailable=True)
    es.close()
    tmp.cleanup()
    if args.json_out:
        args.json_out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print_table(results)


def score(rows) -> dict:
    out: dict = {}
    claimed = correct_claims = 0
    for kind in ("full", "excerpt", "negative"):
        subset = [(q, ids) for q, ids in rows if q.kind == kind]
        found = sum(1 for q, ids in subset if ids and q.group and group_of(ids[0]) == q.group)
        reported = sum(1 for _, ids in subset if ids)
        claimed += reported
        correct_claims += found
        if kind == "negative":
            out["negatives_with_a_match"] = f"{reported}/{len(subset)}"
        else:
            out[f"recall_{kind}"] = found / max(1, len(subset))
    out["precision"] = correct_claims / max(1, claimed)
    return out


def node_heap(es) -> dict:
    try:
        stats = es.nodes.stats(metric="jvm")
        node = next(iter(stats["nodes"].values()))
        info = es.nodes.info(metric="jvm,os")
        inode = next(iter(info["nodes"].values()))
        return {"heap_max_mb": node["jvm"]["mem"]["heap_max_in_bytes"] // 2**20, "es_version": inode.get("version"),
                "es_processors": inode.get("os", {}).get("allocated_processors")}
    except Exception as exc:  # reporting only
        return {"error": str(exc)}


def machine(heap: dict) -> dict:
    mem = 0
    try:
        with open("/proc/meminfo") as fh:
            mem = int(fh.readline().split()[1]) // 1024
    except OSError:
        pass
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "ram_mb": mem, "load_avg_1m": os.getloadavg()[0],
            "python": platform.python_version(), **heap}


def print_table(r: dict) -> None:
    m = r["machine"]
    print(f"\n{r['n']:,} licensed articles ({r['distinct_articles']:,} distinct + grown copies), "
          f"{r['queries']} queries; Elasticsearch {m.get('es_version')} heap {m.get('heap_max_mb')} MB; "
          f"{m['cpus']} CPUs ({m['cpu']}), {m['ram_mb']:,} MB RAM, load {m['load_avg_1m']:.1f}\n")
    print("| indexing | articles/s |\n|---|---:|")
    for k, v in r["indexing_docs_per_s"].items():
        print(f"| {k} | {v:,.0f} |")
    names = {"check_es": "check, Elasticsearch backend", "check_sqlite": "check, SQLite backend",
             "cand_es": "candidate query only, Elasticsearch", "cand_sqlite": "candidate query only, SQLite",
             "mlt_query": "more_like_this query only", "mlt_total": "more_like_this incl. jieba"}
    merged = r.get("after_force_merge")
    if merged:
        print(f"\n| latency ({r['es_segments_before_merge']} segments) | p50 ms | p99 ms | after force-merge "
              f"({merged['seconds']:.0f} s): p50 ms | p99 ms |\n|---|---:|---:|---:|---:|")
        for k, v in r["latency_ms"].items():
            m = merged["latency_ms"][k]
            print(f"| {names[k]} | {v['p50']:.1f} | {v['p99']:.1f} | {m['p50']:.1f} | {m['p99']:.1f} |")
    else:
        print(f"\n| latency ({r['es_segments_before_merge']} segments) | p50 ms | p99 ms |\n|---|---:|---:|")
        for k, v in r["latency_ms"].items():
            print(f"| {names[k]} | {v['p50']:.1f} | {v['p99']:.1f} |")
    print("\n| quality | recall, full copies | recall, excerpts | negatives with a match | precision |\n|---|---:|---:|---:|---:|")
    for name, q in r["quality"].items():
        print(f"| {name} | {q['recall_full']:.2f} | {q['recall_excerpt']:.2f} | {q['negatives_with_a_match']} | "
              f"{q['precision']:.2f} |")
    s = r["sizes"]
    print(f"\nindex size: Elasticsearch {s['elasticsearch'] / 2**20:,.0f} MB, SQLite {s['sqlite'] / 2**20:,.0f} MB, "
          f"more_like_this {s['more_like_this'] / 2**20:,.0f} MB; checks differing between the backends: "
          f"{r['es_vs_sqlite_check_differences']}")
    if merged:
        print(f"after the force-merge: Elasticsearch {merged['es_size_bytes'] / 2**20:,.0f} MB; checks differing: "
              f"{merged['differences']}")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
