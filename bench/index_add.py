"""`index add` throughput on real articles, as the CLI adds them (``Detector.add``: fingerprint a 500-article
batch, then store it with its stories), in CPU time of this process.

    .venv/bin/python bench/index_add.py                    # 500 real Sina articles, then 5,500 more timed
    .venv/bin/python bench/index_add.py --articles 2000 --rounds 3 --json
    .venv/bin/python bench/index_add.py --backend elasticsearch   # REPRINTWATCH_ES_URL; a uuid-named index, dropped
    .venv/bin/python bench/index_add.py --jobs 2            # batches fingerprinted on 2 workers (index add --jobs)

Reads the research-only news in ``../shared/data/raw`` (``bench/disguise.py``: Sina 2018, cleaned, distinct
texts — few of them versions of each other). The index first holds ``--first`` articles, so the timed batches
search a non-empty index for their stories, as every batch but the first of a real load does. Each round is a
fresh index; the report gives every round and the median (CPU-time rates are inflated when the machine is busy:
compare runs made side by side). Elasticsearch: the node's own CPU is not counted, wall clock is given too.
With ``--jobs``, the workers' CPU time is reported apart (``worker_cpu_s``: the fingerprints) and the rate per
CPU-second is this process's own (storing, and taking the workers' results).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from reprintwatch.articles import Article  # noqa: E402
from reprintwatch.dedupe import segment as S  # noqa: E402
from reprintwatch.detector import Detector  # noqa: E402
from reprintwatch.index.sqlite import SQLiteIndex  # noqa: E402


def one_round(articles: list[Article], first: int, backend: str, tmp: Path, jobs: int = 1) -> dict:
    if backend == "sqlite":
        index = SQLiteIndex(tmp / f"{uuid.uuid4().hex}.db")
        drop = None
    else:
        from reprintwatch.index.elasticsearch import MAPPING_VERSION, ElasticsearchIndex, make_client

        client = make_client(os.environ.get("REPRINTWATCH_ES_URL", "http://127.0.0.1:9200"))
        name = f"rw-bench-add-{uuid.uuid4().hex[:12]}"
        index = ElasticsearchIndex(client, name, create=True)
        drop = lambda: client.indices.delete(index=f"{name}-v{MAPPING_VERSION}", ignore_unavailable=True)  # noqa: E731
    try:
        detector = Detector(index)
        detector.add(articles[:first])
        timed = articles[first:]
        store_cpu = 0.0
        add = index.add

        def timed_add(items):  # the store's share (stories included), inside Detector.add
            nonlocal store_cpu
            c0 = time.process_time()
            try:
                return add(items)
            finally:
                store_cpu += time.process_time() - c0

        index.add = timed_add
        c0, t0 = time.process_time(), time.perf_counter()
        w0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = detector.add(timed, jobs=jobs)
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        w1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers, ended with the pool
        worker_cpu = (w1.ru_utime + w1.ru_stime) - (w0.ru_utime + w0.ru_stime)
        index.add = add
        stories = len({r.story for i in range(0, len(articles), 500)
                       for r in index.get([a.id for a in articles[i : i + 500]])})
    finally:
        index.close()
        if drop is not None:
            drop()
    return {"articles": len(timed), "added": result.added, "cpu_s": cpu, "wall_s": wall,
            "articles_per_cpu_s": len(timed) / cpu, "articles_per_s": len(timed) / wall, "jobs": jobs,
            "worker_cpu_s": worker_cpu,
            "store_articles_per_cpu_s": len(timed) / store_cpu, "stories": stories}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=5500, help="articles timed (default 5,500)")
    ap.add_argument("--first", type=int, default=500, help="articles in the index before the timed ones")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--backend", choices=("sqlite", "elasticsearch"), default="sqlite")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes fingerprinting (index add --jobs)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not (D.RAW_DIR / "sina-news-2018").exists():
        print(f"raw data not found at {D.RAW_DIR} (set REPRINTWATCH_RAW_DATA)", file=sys.stderr)
        return 2
    import jieba

    jieba.setLogLevel(logging.WARNING)
    S.segment("预热")  # the segmenter's dictionary loaded before timing
    docs = [d for d in D.load_corpus() if d.outlet == "新浪"][: args.first + args.articles]
    articles = [Article(d.id, d.text, d.title, d.category) for d in docs]
    rounds = []
    with tempfile.TemporaryDirectory(prefix="rw-index-add-") as tmp:
        for _ in range(args.rounds):
            rounds.append(one_round(articles, args.first, args.backend, Path(tmp), args.jobs))
    out = {"backend": args.backend, "core_digest": D.core_digest(), "first": args.first, "rounds": rounds,
           "median_articles_per_cpu_s": statistics.median(r["articles_per_cpu_s"] for r in rounds),
           "median_store_articles_per_cpu_s": statistics.median(r["store_articles_per_cpu_s"] for r in rounds),
           "load_average": os.getloadavg()[0]}
    if args.json:
        json.dump(out, sys.stdout, indent=1)
        print()
    else:
        for r in rounds:
            print(f"{r['articles']} articles: {r['articles_per_cpu_s']:.1f}/CPU-s ({r['articles_per_s']:.1f}/s wall"
                  + (f"; workers {r['worker_cpu_s']:.1f} CPU-s" if r["jobs"] > 1 else "") + "), "
                  f"store alone {r['store_articles_per_cpu_s']:.1f}/CPU-s; {r['stories']} stories")
        print(f"median {out['median_articles_per_cpu_s']:.1f} articles/CPU-s, store alone "
              f"{out['median_store_articles_per_cpu_s']:.1f}; load average {out['load_average']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
