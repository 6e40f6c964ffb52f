"""`scan` throughput, Elasticsearch against SQLite, on the same licensed articles and suspects.

    export REPRINTWATCH_ES_URL=http://127.0.0.1:9200
    python bench/es_scan.py --n 4000 --queries 300 --work /var/tmp/rw-es-scan       # builds, then times
    python bench/es_scan.py --work /var/tmp/rw-es-scan --rounds 3 --jobs 1,2        # reuses the indexes
    python bench/es_scan.py --work /var/tmp/rw-es-scan --rounds 3 --by-request       # node CPU by request kind

Data: ``bench/bench_elasticsearch.py``'s (real news from ``../shared/data/raw``, grown past the real articles
with mutated copies; suspects: WeChat-wrapped whole copies, excerpts pasted into unrelated pages, negatives).
The build fingerprints once and writes the same records to a SQLite file and to a uuid-named Elasticsearch index,
both kept in ``--work`` (``state.json``) so later runs — of this code or another checkout's, ``--code DIR`` —
time the same indexes. Each round scans every suspect on SQLite then on Elasticsearch (``Detector.scan`` for
``--jobs 1``, ``Detector.check_many`` otherwise): articles per second of wall clock, CPU seconds of the
checking processes and of the node (``_nodes/stats``: on a shared node, others' searches count too), and whether the two
backends' ``scan --format jsonl --all`` output is identical. ``--drop`` deletes the Elasticsearch index.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import numpy as np


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", required=True, type=Path, help="directory keeping the built indexes (state.json)")
    ap.add_argument("--n", type=int, default=4000, help="licensed articles (built once)")
    ap.add_argument("--queries", type=int, default=300, help="suspects of each kind (full, excerpt, negative)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--jobs", default="1", help="comma-separated --jobs values to time")
    ap.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1],
                    help="checkout whose reprintwatch is timed (default: this one)")
    ap.add_argument("--es-url", default=os.environ.get("REPRINTWATCH_ES_URL", "http://127.0.0.1:9200"))
    ap.add_argument("--json-out", type=Path)
    ap.add_argument("--drop", action="store_true", help="delete the Elasticsearch index of --work and stop")
    ap.add_argument("--by-request", action="store_true",
                    help="instead of timing: record one Elasticsearch scan's requests and replay each kind alone "
                         "(--rounds times): node CPU by kind, and how many of the band keys the index holds")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench.* from this checkout
    sys.path.insert(0, str(args.code))  # reprintwatch from --code
    from reprintwatch import Article, Detector
    from reprintwatch.index.elasticsearch import ElasticsearchIndex, make_client
    from reprintwatch.index.sqlite import SQLiteIndex

    args.work.mkdir(parents=True, exist_ok=True)
    state_path = args.work / "state.json"
    es = make_client(args.es_url, request_timeout=120)
    if args.drop:
        if state_path.exists():
            es.indices.delete(index=json.loads(state_path.read_text())["es_index"] + "*", ignore_unavailable=True)
            state_path.unlink()
        return 0
    if not state_path.exists():
        build(args, state_path, es)
        es = make_client(args.es_url, request_timeout=120)  # the build's index closed the client it was given
    state = json.loads(state_path.read_text())
    suspects = [Article(**a) for a in json.loads((args.work / "suspects.json").read_text())]
    if args.by_request:
        out = by_request(args, state, suspects, es)
        print(json.dumps(out))
        if args.json_out:
            args.json_out.write_text(json.dumps(out, indent=1))
        return 0

    rows = []
    outputs: dict[str, str] = {}
    for rnd in range(args.rounds):
        for jobs in [int(j) for j in args.jobs.split(",")]:
            for backend in ("sqlite", "elasticsearch"):
                if backend == "sqlite":
                    index = SQLiteIndex(state["sqlite"], create=False)
                else:
                    index = ElasticsearchIndex(make_client(args.es_url, request_timeout=120), state["es_index"],
                                               url=args.es_url)
                    index._client_args = (args.es_url, None, None, None, None)
                with index:
                    det = Detector(index)
                    det.check(suspects[0])  # warm: dictionary, key table, connection
                    n0, t0, c0 = node_cpu_s(es), time.perf_counter(), _cpu()
                    results = list(det.scan(suspects) if jobs == 1 else det.check_many(suspects, jobs=jobs))
                    wall, cpu, node = time.perf_counter() - t0, _cpu() - c0, node_cpu_s(es) - n0
                text = "\n".join(json.dumps(r.to_dict(include_all=True), ensure_ascii=False, sort_keys=True)
                                 for r in results)
                digest = hashlib.sha256(text.encode()).hexdigest()[:12]
                outputs.setdefault(f"{jobs}", digest)
                row = {"round": rnd, "jobs": jobs, "backend": backend, "wall_s": round(wall, 2),
                       "rate": round(len(suspects) / wall, 1), "process_cpu_s": round(cpu, 2),
                       "node_cpu_s": round(node, 2),
                       "output": digest, "identical": digest == outputs[f"{jobs}"], "load": os.getloadavg()[0]}
                rows.append(row)
                print(json.dumps(row), flush=True)
    summary = {}
    for jobs in sorted({r["jobs"] for r in rows}):
        med = {b: statistics.median(r["rate"] for r in rows if r["jobs"] == jobs and r["backend"] == b)
               for b in ("sqlite", "elasticsearch")}
        summary[jobs] = {"sqlite": med["sqlite"], "elasticsearch": med["elasticsearch"],
                         "es_over_sqlite": round(med["elasticsearch"] / med["sqlite"], 3),
                         "identical": all(r["identical"] for r in rows if r["jobs"] == jobs)}
    out = {"code": str(args.code), "commit": _commit(args.code), "licensed": state["licensed"],
           "suspects": len(suspects), "rows": rows, "median": summary}
    print(json.dumps({"commit": out["commit"], "median": summary}))
    if args.json_out:
        args.json_out.write_text(json.dumps(out, indent=1))
    return 0


def build(args, state_path: Path, es) -> None:
    from bench.bench_elasticsearch import build_data
    from reprintwatch import Detector
    from reprintwatch.index.elasticsearch import ElasticsearchIndex
    from reprintwatch.index.sqlite import SQLiteIndex

    licensed, queries, _bases = build_data(args.n, args.queries, args.seed)
    suspects = [{"id": f"q{i}-{q.kind}", "content": q.text} for i, q in enumerate(queries)]
    (args.work / "suspects.json").write_text(json.dumps(suspects, ensure_ascii=False))
    name = f"rw-es-scan-{uuid.uuid4().hex[:12]}"
    db = str(args.work / "licensed.db")
    t0 = time.perf_counter()
    with SQLiteIndex(db) as lite, ElasticsearchIndex(es, name, create=True, url=args.es_url) as eidx:
        det = Detector(lite)
        batch = []
        with eidx.bulk_load():
            for art in licensed():
                batch.append(art)
                if len(batch) == 500:
                    items = det.prepare_many(batch)
                    lite.add(items)
                    eidx.add(items)
                    batch = []
            if batch:
                items = det.prepare_many(batch)
                lite.add(items)
                eidx.add(items)
        eidx.optimize()
        count = lite.stats().articles
    state_path.write_text(json.dumps({"sqlite": db, "es_index": name, "licensed": count,
                                      "build_s": round(time.perf_counter() - t0, 1)}))
    print(f"built {count} licensed articles into {db} and {name} in {time.perf_counter() - t0:.0f} s",
          file=sys.stderr)


#: The detector's steps a scan's requests are filed under (the innermost of them on the stack names the kind).
STEPS = ("_check_prepared", "_attribute_many", "_rewrites", "_with_members", "_records")


def by_request(args, state: dict, suspects, es) -> dict:
    """Where a scan's node CPU goes: one scan on Elasticsearch with every request recorded (filed by the step
    that sent it, and hot-key counts apart), then each kind's requests sent again alone, ``--rounds`` times,
    the node's CPU read around each pass. The node refreshes its process CPU once a second, so a stats call
    around a single request reads nothing; a pass is seconds long and waits 1.2 s before each reading. Also
    counted: the band keys of the checks that the index holds at all (a ``filters`` count of each distinct key),
    and how many of the absent ones an earlier check of the same scan had already sent — what a per-scan
    cache of keys with no articles could leave out."""
    import collections
    import inspect
    from reprintwatch import Detector
    from reprintwatch.index.base import max_key_frequency
    from reprintwatch.index.elasticsearch import ElasticsearchIndex, make_client

    client = make_client(args.es_url, request_timeout=120)
    sent: dict[str, list[dict]] = collections.defaultdict(list)
    band_keys: list[list[str]] = []

    def recording(name, call):
        def record(**kwargs):
            step = next((f.function for f in inspect.stack()[1:16] if f.function in STEPS), "other")
            agg = name == "msearch" and any('"aggs"' in b for b in kwargs["searches"][1::2] if isinstance(b, str))
            sent[f"{name} {step}{' hot-key counts' if agg else ''}"].append(kwargs)
            return call(**kwargs)
        return record

    for name in ("msearch", "mget", "search"):
        setattr(client, name, recording(name, getattr(client, name)))
    with ElasticsearchIndex(client, state["es_index"], url=args.es_url) as index:
        det = Detector(index)
        det.check(suspects[0])
        sent.clear()
        results = list(det.scan(suspects))
        count = index._count
    for r in results:
        band_keys.append(list(map(str, np.unique(np.asarray(det.fingerprint(r.article.content).keys,
                                                             dtype=np.int64)).tolist())))
    plain = make_client(args.es_url, request_timeout=120)

    def node_now() -> float:
        time.sleep(1.2)  # the node's process stats are refreshed once a second
        return node_cpu_s(plain)

    kinds = {}
    for kind, calls in sent.items():
        call = getattr(plain, kind.split()[0])
        cpu = []
        for _ in range(args.rounds):
            c0 = node_now()
            for kwargs in calls:
                call(**kwargs)
            cpu.append(node_now() - c0)
        kinds[kind] = {"requests": len(calls), "searches": sum(len(k.get("searches", ())) // 2 for k in calls),
                       "node_cpu_s_median": round(statistics.median(cpu), 3), "rounds": [round(c, 3) for c in cpu]}
    df: dict[str, int] = {}
    distinct = sorted({k for keys in band_keys for k in keys})
    for start in range(0, len(distinct), 2000):
        part = distinct[start:start + 2000]
        resp = plain.search(index=state["es_index"], size=0, aggs={
            "df": {"filters": {"filters": {t: {"term": {"bands": t}} for t in part}}}})
        df.update((t, b["doc_count"]) for t, b in resp["aggregations"]["df"]["buckets"].items())
    seen: set[str] = set()
    absent_again = 0
    for keys in band_keys:
        absent_again += sum(1 for k in keys if not df[k] and k in seen)
        seen.update(keys)
    total = sum(map(len, band_keys))
    keys = {"checks": len(band_keys), "band_keys": total, "distinct": len(distinct),
            "absent": sum(1 for ks in band_keys for k in ks if not df[k]),
            "absent_sent_before_in_the_scan": absent_again,
            "hot": sum(1 for ks in band_keys for k in ks if df[k] > max_key_frequency(count))}
    return {"commit": _commit(args.code), "licensed": state["licensed"], "load": os.getloadavg()[0],
            "by_request": dict(sorted(kinds.items(), key=lambda kv: -kv[1]["node_cpu_s_median"])), "keys": keys}


def node_cpu_s(es) -> float:
    """CPU seconds the Elasticsearch node has used (all its threads); other users of the node count too."""
    nodes = es.nodes.stats(metric="process")["nodes"]
    return sum(n["process"]["cpu"]["total_in_millis"] for n in nodes.values()) / 1000


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the --jobs workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _commit(code: Path) -> str:
    try:
        import subprocess
        return subprocess.run(["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
