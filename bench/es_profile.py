"""Where an Elasticsearch candidate search spends its time: the profile API over the benchmark's checks.

    .venv/bin/python bench/es_profile.py --es-url http://127.0.0.1:9204 --index rw-scale --queries 200
    .venv/bin/python bench/es_profile.py --es-url http://127.0.0.1:9204 --index rw-scale --variants

A measuring tool, not a test. It takes the query texts of ``bench/es_scale.py`` (the quality benchmark's
disguised copies and negatives), fingerprints them once (cached in ``--work``), and sends the index's own
candidate query (``ElasticsearchIndex._count_query_body``, as ``candidates()`` sends it) with ``"profile":
true``. It reports, summed over the checks and as a share of the shard's query time: the top-level ``bool``
query's own breakdown (``create_weight``, ``build_scorer``, ``next_doc``/``score``…), its ~300 term clauses'
breakdown (per clause, per segment: ``build_scorer_count`` is how many segments a clause was set up in),
query rewrite, the collector (top 50 by score then id), and the fetch phase. The profile's timers are
approximate (they add their own overhead, mostly per call), so read them as shares, and the node CPU per
check (``_nodes/stats``) as the cost.

With ``--variants``, query-side alternatives are sent over the same checks (no profile), each checked against
the current query's candidates (``by_score_only`` differs by design: it bounds what score-only collection would
save), with wall p50/p99 and node CPU per check measured one after the other in the same run. With ``--get``,
ways to read each check's candidate records (``mget``) likewise, each checked to decode to the same records.

    .venv/bin/python bench/es_profile.py --es-url http://127.0.0.1:9204 --index rw-scale --no-profile --variants --get
    .venv/bin/python bench/es_profile.py --es-url http://127.0.0.1:9204 --index rw-scale --no-profile --members
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from bench.es_scale import CpuClock, index_figures, log, pct, real_docs_and_queries, wait_for_merges  # noqa: E402
from reprintwatch import Detector, Settings  # noqa: E402
from reprintwatch.dedupe import FingerprintParams, fingerprint  # noqa: E402
from reprintwatch.index.base import max_key_frequency  # noqa: E402
from reprintwatch.index.elasticsearch import MEMBERS_FROM, ElasticsearchIndex, _hits, doc_id, from_document  # noqa: E402


def query_keys(args, params: FingerprintParams) -> list[list[str]]:
    """The band keys (as the index's terms) of the first ``--queries`` query texts, cached by core digest."""
    cache = args.work / f"queries-{D.core_digest()}-{args.seed}-{args.queries}.pkl"
    if cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)
    _docs, texts = real_docs_and_queries(args)
    keys = [[str(int(k)) for k in np.unique(np.asarray(fingerprint(t, params).keys, dtype=np.int64))]
            for t in texts[: args.queries]]
    with cache.open("wb") as fh:
        pickle.dump(keys, fh)
    return keys


def add(into: dict, breakdown: dict) -> None:
    for k, v in breakdown.items():
        into[k] = into.get(k, 0) + v


def profile_pass(index: ElasticsearchIndex, all_keys, limit: int) -> dict:
    """Sum the profile of the candidate query over every check."""
    max_df = max_key_frequency(index._count)
    top: dict = {}
    clauses: dict = {}
    clause_time = rewrite = collector = query_total = fetch_total = took = 0
    n_clauses = []
    fetch: dict = {}
    for terms in all_keys:
        body = json.loads(index._count_query_body(terms, limit, track=max_df + 1))
        resp = index.es.search(index=index.name, profile=True, **body).body
        took += resp["took"]
        shard = resp["profile"]["shards"][0]
        search = shard["searches"][0]
        q = search["query"][0]
        query_total += q["time_in_nanos"]
        add(top, q["breakdown"])
        children = q.get("children", [])
        n_clauses.append(len(children))
        for child in children:
            clause_time += child["time_in_nanos"]
            add(clauses, child["breakdown"])
            for grand in child.get("children", []):  # constant_score → term: the term's own share
                add(clauses, {f"term.{k}": v for k, v in grand["breakdown"].items()})
        rewrite += search.get("rewrite_time", 0)
        collector += sum(c["time_in_nanos"] for c in search.get("collector", []))
        if "fetch" in shard:
            fetch_total += shard["fetch"]["time_in_nanos"]
            add(fetch, shard["fetch"].get("breakdown", {}))
    n = len(all_keys)
    ms = lambda ns: ns / 1e6 / n  # noqa: E731  (per check, ms)
    timed = ("create_weight", "build_scorer", "next_doc", "advance", "score", "match", "shallow_advance",
             "compute_max_score", "set_min_competitive_score", "count")
    return {
        "checks": n, "clauses_p50": pct(n_clauses, 50), "took_ms_per_check": took / n,
        "query_ms_per_check": ms(query_total), "rewrite_ms_per_check": ms(rewrite),
        "collector_ms_per_check": ms(collector), "fetch_ms_per_check": ms(fetch_total),
        "top_level_ms_per_check": {k: ms(top.get(k, 0)) for k in timed if top.get(k)},
        "top_level_counts_per_check": {k: top.get(f"{k}_count", 0) / n for k in timed if top.get(f"{k}_count")},
        "clauses_ms_per_check": ms(clause_time),
        "clauses_breakdown_ms_per_check": {k: ms(clauses.get(k, 0)) for k in timed if clauses.get(k)},
        "clauses_counts_per_check": {k: clauses.get(f"{k}_count", 0) / n for k in timed
                                     if clauses.get(f"{k}_count")},
        "term_breakdown_ms_per_check": {k: ms(clauses.get(f"term.{k}", 0)) for k in timed
                                        if clauses.get(f"term.{k}")},
        "fetch_breakdown_ms_per_check": {k: ms(v) for k, v in fetch.items() if not k.endswith("_count") and v},
    }


def variants(index: ElasticsearchIndex) -> dict:
    """Query bodies that must give exactly the current candidates: name → body(terms, limit, track)."""
    def current(terms, limit, track):  # the index's own query (JSON text), as a dict to vary
        return json.loads(index._count_query_body(terms, limit, track=track))

    def stored_id(terms, limit, track):
        # the query before stored_fields "_none_": the fetch phase read each hit's stored _id, though the ids come from the sort values
        return {k: v for k, v in current(terms, limit, track=track).items() if k != "stored_fields"}

    def filter_then_count(terms, limit, track):
        body = current(terms, limit, track=track)
        body["query"] = {"bool": {"should": body["query"]["bool"]["should"], "minimum_should_match": 1}}
        return body

    def no_count(terms, limit, track):
        # what counting the matched articles (the hot-key test) costs: the same query, nothing tracked
        return current(terms, limit, track=0)

    def by_score_only(terms, limit, track):
        # not the same candidates (ties by Lucene's doc order, not by id): the bound of what score-only
        # collection, which may skip articles that can no longer enter the top (MaxScore), would save
        body = current(terms, limit, track=0)
        del body["sort"]
        body["docvalue_fields"] = ["id"]  # no sort values to take the ids from
        return body

    return {"current": lambda t, n, track: current(t, n, track=track), "stored_id": stored_id,
            "minimum_should_match_1": filter_then_count, "no_count": no_count, "by_score_only": by_score_only}


def variant_hits(resp: dict) -> list[tuple[str, int]]:
    """(id, shared keys) of the hits, from the sort values or, for a query sorted by score alone, the id's
    doc values and the score."""
    hits = resp["hits"]["hits"]
    if hits and "sort" not in hits[0]:
        return [(h["fields"]["id"][0], int(round(h["_score"]))) for h in hits]
    return _hits(resp)


def variants_pass(index: ElasticsearchIndex, all_keys, limit: int, rounds: int) -> dict:
    max_df = max_key_frequency(index._count)
    bodies = variants(index)
    reference = [_hits(index.es.search(index=index.name, **bodies["current"](t, limit, max_df + 1)).body)
                 for t in all_keys]
    out: dict = {name: {"ms": [], "node_cpu_ms": [], "differ": 0} for name in bodies}
    for _ in range(rounds):  # interleaved rounds: the machine's load drifts
        for name, make in bodies.items():
            ms = []
            with CpuClock(index.es) as clock:
                for i, terms in enumerate(all_keys):
                    t = time.perf_counter()
                    got = variant_hits(index.es.search(index=index.name, **make(terms, limit, max_df + 1)).body)
                    ms.append((time.perf_counter() - t) * 1000)
                    out[name]["differ"] += got != reference[i]
            out[name]["ms"].extend(ms)
            out[name]["node_cpu_ms"].append(clock.per_item_ms(len(all_keys))["node_cpu"])
    return {name: {"p50_ms": pct(v["ms"], 50), "p99_ms": pct(v["ms"], 99),
                   "node_cpu_ms_per_check": float(np.median(v["node_cpu_ms"])),
                   "node_cpu_ms_per_round": v["node_cpu_ms"], "queries_with_other_candidates": v["differ"]}
            for name, v in out.items()}


def get_variants() -> dict:
    """Ways to read a check's candidate records (name → mget keyword arguments), each checked to decode to
    exactly what ``ElasticsearchIndex.get`` returns."""
    return {
        # as get() asked before b7237a6: the fields from_document reads; the node parses and filters each source
        "fields": {"source_includes": ["id", "outlet", "title", "url", "published_at", "content", "signature", "story"]},
        "whole_source": {},  # get() now: the stored bytes as they are (content_hash, band_count come along, unused)
        "whole_source_not_realtime": {"realtime": False},
    }


def records_of(resp: dict) -> list[tuple]:
    """The decoded records of an ``mget`` response, comparable."""
    out = []
    for doc in resp["docs"]:
        if doc.get("found"):
            r = from_document(doc["_source"])
            a = r.article
            out.append((a.id, a.content, a.title, a.outlet, a.url, a.published_at, r.signature.to_bytes()))
    return out


def get_pass(index: ElasticsearchIndex, all_keys, limit: int, rounds: int) -> dict:
    """``mget`` of each check's candidates (the current query's, at least 2 shared keys) read each way of
    :func:`get_variants`, interleaved rounds: wall p50/p99, node CPU and this process's CPU (decoding
    included) per check, and checks whose records differ from the first way's."""
    max_df = max_key_frequency(index._count)
    ids = [[doc_id(i) for i, n in _hits(index.es.search(
        index=index.name, **json.loads(index._count_query_body(t, limit, track=max_df + 1))).body) if n >= 2]
        for t in all_keys]
    ways = get_variants()
    reference = [records_of(index.es.mget(index=index.name, ids=i, **ways["fields"]).body) if i else []
                 for i in ids]
    out: dict = {name: {"ms": [], "node_cpu_ms": [], "bench_cpu_ms": [], "differ": 0} for name in ways}
    for _ in range(rounds):
        for name, kw in ways.items():
            ms = []
            with CpuClock(index.es) as clock:
                for i, chunk in enumerate(ids):
                    if not chunk:
                        continue
                    t = time.perf_counter()
                    got = records_of(index.es.mget(index=index.name, ids=chunk, **kw).body)
                    ms.append((time.perf_counter() - t) * 1000)
                    out[name]["differ"] += got != reference[i]
            out[name]["ms"].extend(ms)
            per = clock.per_item_ms(len(ids))
            out[name]["node_cpu_ms"].append(per["node_cpu"])
            out[name]["bench_cpu_ms"].append(per["bench_cpu"])
    return {name: {"records_p50": pct([len(i) for i in ids], 50), "p50_ms": pct(v["ms"], 50),
                   "p99_ms": pct(v["ms"], 99), "node_cpu_ms_per_check": float(np.median(v["node_cpu_ms"])),
                   "bench_cpu_ms_per_check": float(np.median(v["bench_cpu_ms"])),
                   "node_cpu_ms_per_round": v["node_cpu_ms"], "checks_with_other_records": v["differ"]}
            for name, v in out.items()}


def members_pass(index: ElasticsearchIndex, all_keys, limit: int, rounds: int) -> dict:
    """``members()`` of each check's candidate stories (the current query's, at least 2 shared keys; a check
    reads them for its reprint matches), the ids read from ``_source`` (filtered to id and story, before) or
    from doc values (``MEMBERS_FROM``, now), interleaved rounds: wall p50/p99 and node CPU per check, and
    checks whose members differ."""
    max_df = max_key_frequency(index._count)
    stories = [sorted({c.story for c in _hits(index.es.search(
        index=index.name, **json.loads(index._count_query_body(t, limit, track=max_df + 1))).body) if c[1] >= 2})
        for t in all_keys]
    ways = {"source_filtered": {"_source": ["id", "story"]}, "doc_values": MEMBERS_FROM}

    def read(chunk, kw) -> dict:
        resp = index.es.search(index=index.name, query={"terms": {"story": chunk}}, size=10_000, **kw).body
        out: dict = {}
        for hit in resp["hits"]["hits"]:
            src = hit.get("fields") or {k: [v] for k, v in hit["_source"].items()}
            out.setdefault(src["story"][0], []).append(src["id"][0])
        return {k: sorted(v) for k, v in out.items()}

    reference = [read(st, ways["source_filtered"]) if st else {} for st in stories]
    out: dict = {name: {"ms": [], "node_cpu_ms": [], "differ": 0} for name in ways}
    for _ in range(rounds):
        for name, kw in ways.items():
            with CpuClock(index.es) as clock:
                for i, st in enumerate(stories):
                    if st:
                        t = time.perf_counter()
                        got = read(st, kw)
                        out[name]["ms"].append((time.perf_counter() - t) * 1000)
                        out[name]["differ"] += got != reference[i]
            out[name]["node_cpu_ms"].append(clock.per_item_ms(len(stories))["node_cpu"])
    return {name: {"stories_p50": pct([len(s) for s in stories], 50),
                   "members_p50": pct([sum(map(len, r.values())) for r in reference], 50),
                   "p50_ms": pct(v["ms"], 50), "p99_ms": pct(v["ms"], 99),
                   "node_cpu_ms_per_check": float(np.median(v["node_cpu_ms"])),
                   "node_cpu_ms_per_round": v["node_cpu_ms"], "checks_with_other_members": v["differ"]}
            for name, v in out.items()}


def tail_pass(index: ElasticsearchIndex, all_keys, limit: int) -> dict:
    """What the slow checks have in common: the node's own ``took`` of the candidate query against the keys
    sent and the articles matched (counted up to ``max_df + 1``)."""
    max_df = max_key_frequency(index._count)
    rows = []
    for terms in all_keys:
        resp = index.es.search(index=index.name, **json.loads(index._count_query_body(terms, limit, track=max_df + 1))).body
        rows.append((resp["took"], len(terms), resp["hits"]["total"]["value"]))
    took = [r[0] for r in rows]
    slow = sorted(rows, reverse=True)[: max(1, len(rows) // 50)]
    return {"took_ms_p50": pct(took, 50), "took_ms_p90": pct(took, 90), "took_ms_p99": pct(took, 99),
            "terms_p50": pct([r[1] for r in rows], 50), "matched_p50": pct([r[2] for r in rows], 50),
            "slowest_2pct_took_terms_matched": slow,
            "corr_took_terms": float(np.corrcoef(took, [r[1] for r in rows])[0, 1]),
            "corr_took_matched": float(np.corrcoef(took, [r[2] for r in rows])[0, 1])}


def clauses_pass(index: ElasticsearchIndex, all_keys, limit: int, sizes, rounds: int) -> dict:
    """``candidates()`` end to end (every request it makes) with the query split at each of ``sizes`` clauses:
    a suspect with more keys than that costs a ``filters`` count of its keys and a split query (2 searches
    a part), instead of one search."""
    keys = [np.asarray([int(t) for t in terms], dtype=np.int64) for terms in all_keys]
    out: dict = {n: {"ms": [], "node_cpu_ms": [], "found": None, "differ": 0} for n in sizes}
    for _ in range(rounds):
        for n in sizes:
            index.max_clauses = n
            ms, found = [], []
            with CpuClock(index.es) as clock:
                for k in keys:
                    t = time.perf_counter()
                    found.append(index.candidates(k, limit))
                    ms.append((time.perf_counter() - t) * 1000)
            out[n]["ms"].extend(ms)
            out[n]["node_cpu_ms"].append(clock.per_item_ms(len(keys))["node_cpu"])
            out[n]["found"] = found
    first = out[sizes[0]]["found"]
    return {str(n): {"p50_ms": pct(v["ms"], 50), "p99_ms": pct(v["ms"], 99),
                     "node_cpu_ms_per_check": float(np.median(v["node_cpu_ms"])),
                     "node_cpu_ms_per_round": v["node_cpu_ms"],
                     "checks_split": sum(len(t) > n for t in all_keys),
                     "checks_with_other_candidates_than_first": sum(a != b for a, b in zip(v["found"], first))}
            for n, v in out.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--es-url", default=os.environ.get("REPRINTWATCH_ES_URL", "http://127.0.0.1:9200"))
    ap.add_argument("--index", default="rw-scale")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--per-disguise", type=int, default=60)
    ap.add_argument("--negatives", type=int, default=460)
    ap.add_argument("--rewrites", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path("/var/tmp/rw-scale"))
    ap.add_argument("--variants", action="store_true", help="also time query-side alternatives")
    ap.add_argument("--get", action="store_true", help="also time ways to read the candidates' records (mget)")
    ap.add_argument("--members", action="store_true",
                    help="also time reading the candidate stories' members (_source against doc values)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds of --variants, --get and --members")
    ap.add_argument("--clauses", default="",
                    help="comma-separated split sizes to time candidates() with (e.g. 1000,4096)")
    ap.add_argument("--no-profile", dest="profile", action="store_false")
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    params = FingerprintParams()
    settings = Settings.load(backend="elasticsearch", es_url=args.es_url, es_index=args.index)
    index = ElasticsearchIndex.from_settings(settings, params)
    index.es = index.es.options(request_timeout=300)
    limit = Detector(index).max_candidates
    all_keys = query_keys(args, params)
    index._count = int(index.es.count(index=index.name)["count"])
    waited = wait_for_merges(index.es)
    for terms in all_keys[:20]:  # warm-up
        index._count_query(terms, limit)
    result = {"index": index_figures(index.es, index, False), "waited_for_merges_s": waited,
              "load_average": os.getloadavg()}
    if args.profile:
        with CpuClock(index.es) as clock:
            result["profile"] = profile_pass(index, all_keys, limit)
        result["profile"]["node_cpu_ms_per_check_profiled"] = clock.per_item_ms(len(all_keys))["node_cpu"]
        result["tail"] = tail_pass(index, all_keys, limit)
    if args.clauses:
        result["clauses"] = clauses_pass(index, all_keys, limit, [int(n) for n in args.clauses.split(",")],
                                         args.rounds)
    if args.variants:
        result["variants"] = variants_pass(index, all_keys, limit, args.rounds)
    if args.get:
        result["get"] = get_pass(index, all_keys, limit, args.rounds)
    if args.members:
        result["members"] = members_pass(index, all_keys, limit, args.rounds)
    index.close()
    text = json.dumps(result, indent=1)
    if args.json_out:
        args.json_out.write_text(text)
    print(text)
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
