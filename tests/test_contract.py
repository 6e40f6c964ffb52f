"""One contract for every licensed-index backend: the same tests run against SQLite and a real
Elasticsearch node (see fixtures_es.py for where the node comes from), and both must give the same
check and scan output for the same data."""
from __future__ import annotations

import functools
import json

import numpy as np
import pytest
from click.testing import CliRunner

from reprintwatch import Article, Detector, FingerprintParams, LicensedIndexError, SQLiteIndex
from reprintwatch.cli import cli
from reprintwatch.index.elasticsearch import ElasticsearchIndex

from texts import FLASH, METRO, PORT, PORT_REWRITE, PORT_SAME_EVENT, RIVER, UNRELATED

COPIED = "\n".join(RIVER.split("\n")[2:4])


def licensed():
    return [
        Article("metro", METRO, "地铁九号线开通", "江南日报", "https://example.com/metro", "2026-11-20T09:00:00+08:00"),
        Article("river", RIVER, "清溪河水质提升", "华夏通讯社", "https://example.com/river"),
        Article("flash", FLASH, "台风蓝色预警", "东海晚报"),
    ]


def partial_copy() -> str:
    """The last two licensed paragraphs (half the article) pasted into unrelated text."""
    return UNRELATED + "\n" + COPIED + "\n" + UNRELATED


class Backend:
    """Opens the index under test; the same calls for both backends."""

    def __init__(self, name, tmp_path, es_settings=None):
        self.name = name
        self.db = tmp_path / "licensed.db"
        self.es_settings = es_settings

    def open(self, params=None, create=True):
        if self.name == "sqlite":
            return SQLiteIndex(self.db, params=params, create=create)
        return ElasticsearchIndex.from_settings(self.es_settings, params=params, create=create)

    def cli_args(self):
        if self.name == "sqlite":
            return ["--backend", "sqlite", "--db", str(self.db)]
        s = self.es_settings
        return ["--backend", "elasticsearch", "--es-url", s.es_url, "--es-index", s.es_index]


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request, tmp_path):
    if request.param == "elasticsearch":
        return Backend("elasticsearch", tmp_path, request.getfixturevalue("es_settings"))
    return Backend("sqlite", tmp_path)


@pytest.fixture
def index(backend):
    with backend.open() as idx:
        yield idx


# --- writes -------------------------------------------------------------------------------------------------

def test_add_is_idempotent_by_id(index):
    detector = Detector(index)
    first = detector.add(licensed())
    again = detector.add(licensed())
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert index.stats().articles == 3


def test_duplicate_ids_in_one_batch_count_like_sequential_adds(index):
    batch = [Article("x", METRO), Article("x", METRO), Article("x", RIVER, "改")]
    result = Detector(index).add(batch)
    assert (result.added, result.updated, result.unchanged) == (1, 1, 1)
    assert index.stats().articles == 1
    assert index.get(["x"])[0].article.content == RIVER


def test_changed_article_replaces_the_old_one(index):
    detector = Detector(index)
    detector.add(licensed())
    bands_before = index.stats().band_keys
    result = detector.add([Article("metro", RIVER, "改稿", "江南日报")])
    assert (result.added, result.updated, result.unchanged) == (0, 1, 0)
    assert index.get(["metro"])[0].article.title == "改稿"
    # the old text's band keys are gone: the metro text no longer finds "metro"
    assert [m.licensed.id for m in detector.check(METRO).reprints] == []
    assert index.stats().band_keys < bands_before
    assert index.stats().articles == 3


def test_delete_removes_article_and_its_band_keys(index):
    detector = Detector(index)
    detector.add(licensed())
    bands_all = index.stats().band_keys
    assert index.delete(["river", "nope"]) == ["river"]
    assert [a.article.id for a in index.get(["metro", "river", "flash"])] == ["metro", "flash"]
    assert detector.check(RIVER).reprints == []
    assert 0 < index.stats().band_keys < bands_all
    assert index.delete(["river"]) == []


def test_a_very_long_id_round_trips(index):
    long_id = "路径/" * 300  # 1,800 bytes: longer than an Elasticsearch _id may be
    detector = Detector(index)
    detector.add([Article(long_id, FLASH, "长编号")])
    assert [r.article.id for r in index.get([long_id])] == [long_id]
    assert [m.licensed.id for m in detector.check(FLASH).reprints] == [long_id]
    assert index.delete([long_id]) == [long_id]
    assert index.stats().articles == 0


# --- reads --------------------------------------------------------------------------------------------------

def test_get_keeps_the_order_asked_and_leaves_out_missing_ids(index):
    Detector(index).add(licensed())
    records = index.get(["flash", "nope", "metro", "river"])
    assert [r.article.id for r in records] == ["flash", "metro", "river"]
    metro = records[1].article
    assert (metro.title, metro.outlet, metro.url, metro.published_at) == (
        "地铁九号线开通", "江南日报", "https://example.com/metro", "2026-11-20T09:00:00+08:00")
    assert metro.content == METRO
    assert len(records[1].signature.shingles) > 0


def test_unique_shingles_are_the_stored_records_in_the_order_asked(backend):
    """What listing a version reads (its article and distinct shingles) is what its whole record gives, value
    for value: read from the file, from records ``get`` kept, and for a signature stored in the older format
    (no token hashes: ``Signature.to_bytes``)."""
    from reprintwatch.dedupe import Signature
    from reprintwatch.index.base import IndexedArticle
    with backend.open() as idx:
        detector = Detector(idx)
        detector.add(licensed())
        fp = detector.fingerprint(FLASH + "\n（补充）")
        old = Signature(fp.signature.token_lens, fp.signature.token_spans, fp.signature.shingles)  # no token hashes
        idx.add([IndexedArticle(Article("old-format", FLASH + "\n（补充）", "旧", "东海晚报"), old, fp.index_keys)])
    ids = ["flash", "nope", "old-format", "metro", "river"]
    with backend.open() as idx:
        listed = idx.unique_shingles(ids)  # nothing read before: every one decoded from its stored form
        records = idx.get(ids)
        assert [a.id for a, _ in listed] == [r.article.id for r in records] == ["flash", "old-format", "metro", "river"]
        for (article, u), r in zip(listed, records):
            assert article == r.article
            assert u.dtype == r.signature.unique_shingles.dtype
            np.testing.assert_array_equal(u, r.signature.unique_shingles)
            np.testing.assert_array_equal(u, np.unique(r.signature.shingles))
        again = idx.unique_shingles(ids[::-1])  # now from the records get() kept
        assert [a.id for a, _ in again] == ["river", "metro", "old-format", "flash"]
        for (article, u), (a2, u2) in zip(again, listed[::-1]):
            assert article == a2
            np.testing.assert_array_equal(u, u2)
        assert idx.unique_shingles([]) == [] and idx.unique_shingles(["nope"]) == []


def test_candidates_rank_the_source_first_with_all_its_keys(index):
    detector = Detector(index)
    detector.add(licensed())
    keys = detector.fingerprint(METRO).keys
    found = index.candidates(keys, 10)
    assert found[0] == ("metro", len(keys))
    assert all(n < len(keys) for _, n in found[1:])
    assert index.candidates(keys[:0], 10) == []


def test_check_finds_a_full_copy_after_reopening(backend):
    with backend.open() as idx:
        Detector(idx).add(licensed())
    with backend.open(create=False) as idx:
        result = Detector(idx).check("转载：" + RIVER)
    assert [m.licensed.id for m in result.reprints] == ["river"]
    match = result.reprints[0]
    assert match.verdict == "full_reprint"
    assert match.licensed.outlet == "华夏通讯社"


def test_check_finds_a_partial_copy_with_passages(index):
    detector = Detector(index)
    detector.add(licensed())
    suspect = partial_copy()
    result = detector.check(suspect)
    assert [m.licensed.id for m in result.reprints] == ["river"]
    match = result.reprints[0]
    assert match.verdict == "partial_reprint"
    passages = match.verification.passages
    assert passages
    # the passages point into the pasted paragraphs in both texts (original offsets)
    in_suspect = suspect.index(COPIED), suspect.index(COPIED) + len(COPIED)
    in_licensed = RIVER.index(COPIED), RIVER.index(COPIED) + len(COPIED)
    for p in passages:
        assert in_suspect[0] <= p.suspect_start < p.suspect_end <= in_suspect[1]
        assert in_licensed[0] <= p.licensed_start < p.licensed_end <= in_licensed[1]
        assert suspect[p.suspect_start : p.suspect_end] == RIVER[p.licensed_start : p.licensed_end]
    assert sum(p.suspect_end - p.suspect_start for p in passages) > 0.8 * len(COPIED)


def test_check_finds_a_rewrite_through_its_fact_keys(index):
    detector = Detector(index)
    detector.add(licensed() + [PORT_ARTICLE])
    [match] = detector.check(PORT_REWRITE).reprints
    assert (match.licensed.id, match.verdict) == ("port", "rewrite")
    assert match.to_dict()["rewrite"]["shared_facts"]
    assert detector.check(PORT_SAME_EVENT).reprints == []
    # the fact keys go with their article
    assert index.candidates(detector.fingerprint(PORT_REWRITE).rewrite_keys, 5)[0][0] == "port"
    index.delete(["port"])
    assert index.candidates(detector.fingerprint(PORT_REWRITE).rewrite_keys, 5) == []


def test_an_index_made_before_the_rewrite_sketch_is_refused_until_migrated(backend):
    with backend.open(params=FingerprintParams(rewrite_sketch="none")) as idx:
        detector = Detector(idx)
        detector.add(licensed() + [PORT_ARTICLE])
        assert detector.check(PORT_REWRITE).reprints == []  # no fact keys: the rewrite path finds nothing
    with pytest.raises(LicensedIndexError, match=r"rewrite_sketch.*`reprintwatch index migrate`"):
        backend.open()
    runner = CliRunner()
    migrated = runner.invoke(cli, [*backend.cli_args(), "index", "migrate"])
    assert migrated.exit_code == 0, migrated.output
    with backend.open() as idx:
        detector = Detector(idx)
        [match] = detector.check(PORT_REWRITE).reprints
        assert (match.licensed.id, match.verdict) == ("port", "rewrite")
        assert detector.check(RIVER).reprints[0].verdict == "full_reprint"
    again = runner.invoke(cli, [*backend.cli_args(), "index", "migrate"])
    assert again.exit_code == 0 and "up to date" in again.output


def test_an_index_of_longer_keys_is_refused_until_migrated(backend):
    """Keys were 64 bits before ``key_bits``; such an index is refused, and migrate rebuilds its keys so it
    answers exactly as an index made today."""
    with backend.open(params=FingerprintParams(key_bits=64)) as idx:
        detector = Detector(idx)
        detector.add(licensed() + [PORT_ARTICLE])
        before = [r.to_dict() for r in map(detector.check, (RIVER, METRO + UNRELATED, PORT_REWRITE))]
        assert detector.fingerprint(RIVER).keys.max() >= 2**40 and idx.candidates(detector.fingerprint(RIVER).keys, 1)
    with pytest.raises(LicensedIndexError, match=r"key_bits: index 64 vs now 40.*`reprintwatch index migrate`"):
        backend.open()
    migrated = CliRunner().invoke(cli, [*backend.cli_args(), "index", "migrate"])
    assert migrated.exit_code == 0, migrated.output
    with backend.open() as idx:
        detector = Detector(idx)
        assert idx.params == FingerprintParams()
        assert [r.to_dict() for r in map(detector.check, (RIVER, METRO + UNRELATED, PORT_REWRITE))] == before
        keys = detector.fingerprint(RIVER).keys
        assert keys.max() < 2**40 and idx.candidates(keys, 1)[0][0] == "river"


def test_unrelated_text_matches_nothing(index):
    detector = Detector(index)
    detector.add(licensed())
    assert detector.check(UNRELATED).reprints == []


def test_stats(index):
    Detector(index).add(licensed())
    stats = index.stats()
    assert stats.backend == index.backend_name
    assert stats.articles == 3
    assert stats.outlets == {"东海晚报": 1, "华夏通讯社": 1, "江南日报": 1}
    assert stats.band_keys > 3
    assert stats.size_bytes > 0
    assert stats.params == index.params.to_dict()


# --- opening ------------------------------------------------------------------------------------------------

def test_opening_with_other_fingerprint_parameters_is_refused(backend):
    backend.open().close()
    with pytest.raises(LicensedIndexError, match="shingle_size"):
        backend.open(params=FingerprintParams(shingle_size=2))


def test_a_missing_index_is_not_created_without_being_asked(backend):
    with pytest.raises(LicensedIndexError, match="index add"):
        backend.open(create=False)


def test_cli_index_add_skips_bad_lines_and_checks_right_after(backend, tmp_path):
    path = tmp_path / "licensed.jsonl"
    lines = [json.dumps(a.to_dict(), ensure_ascii=False) for a in licensed()]
    lines.insert(1, '{"id": "broken", "content": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    added = runner.invoke(cli, [*backend.cli_args(), "index", "add", str(path)])
    assert added.exit_code == 0, added.output
    assert "3 new" in added.output and f"{path}:2" in added.output
    suspect = tmp_path / "suspect.txt"
    suspect.write_text("转载：" + METRO, encoding="utf-8")
    checked = runner.invoke(cli, [*backend.cli_args(), "check", str(suspect), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    assert [m["licensed_id"] for m in json.loads(checked.output)["matches"]] == ["metro"]


# --- both backends, same answers ------------------------------------------------------------------------------

def suspects():
    return [
        Article("s-full", "转载：" + RIVER, "转载"),
        Article("s-partial", partial_copy(), "拼贴"),
        Article("s-two", FLASH + "\n" + METRO[:200], "两篇"),
        Article("s-none", UNRELATED, "无关"),
        Article("s-rewrite", PORT_REWRITE, "洗稿"),
        Article("s-same-event", PORT_SAME_EVENT, "同一发布会"),
    ]


PORT_ARTICLE = Article("port", PORT, "青溪港二期码头明年3月投用", "江南日报")


@pytest.mark.elasticsearch
def test_both_backends_give_the_same_check_output(tmp_path, es_settings):
    results = {}
    for name in ("sqlite", "elasticsearch"):
        with Backend(name, tmp_path, es_settings).open() as idx:
            detector = Detector(idx)
            detector.add(licensed() + [PORT_ARTICLE])
            results[name] = [detector.check(s).to_dict(include_all=True) for s in suspects()]
    assert results["sqlite"] == results["elasticsearch"]
    verdicts = {r["id"]: [m["verdict"] for m in r["matches"] if m["verdict"] != "none"] for r in results["sqlite"]}
    assert verdicts["s-full"] == ["full_reprint"]
    assert verdicts["s-partial"] == ["partial_reprint"]
    assert len(verdicts["s-two"]) == 2
    assert verdicts["s-none"] == []
    assert verdicts["s-rewrite"] == ["rewrite"]
    assert verdicts["s-same-event"] == []


def test_a_batch_is_checked_as_each_of_its_articles_alone(index):
    """scan asks the index once a batch (Elasticsearch: one _msearch, one mget; the next batch fingerprinted
    meanwhile): each result must be what check() alone gives, whatever else is in the batch."""
    detector = Detector(index)
    detector.add(licensed() + [PORT_ARTICLE])
    batch = suspects() + [Article("s-empty", "。"), Article("s-full-2", "又转：" + METRO)]
    alone = [detector.check(s).to_dict(include_all=True) for s in batch]
    assert [r.to_dict(include_all=True) for r in detector.check_batch(batch)] == alone
    assert [r.to_dict(include_all=True) for r in detector.scan(batch, batch=3)] == alone
    keys = [(detector.fingerprint(s.content).keys, limit, least)
            for s, limit, least in zip(batch, (10, 1, 5, 10, 0, 10, 3, 10), (1, 1, 2, 1, 1, 40, 1, 10**6))]
    assert index.candidates_many(keys) == [[c for c in index.candidates(k, limit) if c[1] >= least]
                                           for k, limit, least in keys]
    assert index.candidates_many(keys)[0] and not index.candidates_many(keys)[-1]
    assert verdict_of(alone, "s-full-2") == ["full_reprint"] and verdict_of(alone, "s-rewrite") == ["rewrite"]


def verdict_of(results: list[dict], suspect: str) -> list[str]:
    return [m["verdict"] for r in results if r["id"] == suspect for m in r["matches"] if m["verdict"] != "none"]


@pytest.mark.elasticsearch
def test_both_backends_give_the_same_scan_output(tmp_path, es_settings, xinhua_articles):
    """Real wire stories: 150 licensed, suspects = copies, excerpts and unseen stories; scan via the CLI."""
    stories = [a for a in xinhua_articles if len(a["text"]) > 200][:200]
    licensed_path = tmp_path / "licensed.jsonl"
    with licensed_path.open("w", encoding="utf-8") as fh:
        for a in stories[:150]:
            fh.write(json.dumps({"id": a["id"], "content": a["text"], "title": a["headline"],
                                 "outlet": a.get("outlet") or "新华社"}, ensure_ascii=False) + "\n")
    suspects_path = tmp_path / "suspects.jsonl"
    with suspects_path.open("w", encoding="utf-8") as fh:
        for n, a in enumerate(stories[:40]):
            text = a["text"] if n % 2 else UNRELATED + a["text"][len(a["text"]) // 3 :]
            fh.write(json.dumps({"id": f"s{n}", "content": "转自网络：" + text}, ensure_ascii=False) + "\n")
        for n, a in enumerate(stories[150:190]):  # never licensed
            fh.write(json.dumps({"id": f"u{n}", "content": a["text"]}, ensure_ascii=False) + "\n")
    runner = CliRunner()
    outputs = {}
    for name in ("sqlite", "elasticsearch"):
        args = Backend(name, tmp_path, es_settings).cli_args()
        added = runner.invoke(cli, [*args, "index", "add", str(licensed_path)])
        assert added.exit_code == 0, added.output
        scanned = runner.invoke(cli, [*args, "scan", str(suspects_path), "--format", "jsonl", "--all"])
        assert scanned.exit_code == 0, scanned.output
        outputs[name] = [json.loads(line) for line in scanned.stdout.splitlines() if line.strip()]
    assert outputs["sqlite"] == outputs["elasticsearch"]
    found = {r["id"] for r in outputs["sqlite"] if any(m["verdict"] != "none" for m in r["matches"])}
    assert {f"s{n}" for n in range(40)} <= found


@pytest.mark.elasticsearch
def test_a_split_candidate_query_counts_like_one_query(es_settings):
    """Suspects with more band keys than one query may carry are split; the counts must not change."""
    with ElasticsearchIndex.from_settings(es_settings, create=True) as idx:
        detector = Detector(idx)
        detector.add(licensed())
        keys = detector.fingerprint(METRO + FLASH + RIVER).keys
        whole = idx.candidates(keys, 10)
        idx.max_clauses = max(1, len(keys) // 5)
        assert idx.candidates(keys, 10) == whole
        assert {i for i, _ in whole} == {"metro", "river", "flash"}


@pytest.mark.elasticsearch
def test_many_searches_go_in_requests_the_node_accepts_with_the_same_answers(es_settings, monkeypatch):
    """A bulk load's story searches (5,000 at once) made one ``_msearch`` of ~110 MB, refused with HTTP 413:
    searches are sent in requests of at most ``_MSEARCH_BYTES``, in order, with the answers of one request."""
    import reprintwatch.index.elasticsearch as es_index

    with ElasticsearchIndex.from_settings(es_settings, create=True) as idx:
        detector = Detector(idx)
        detector.add(licensed())
        queries = [(detector.fingerprint(text).keys, 10, 1) for text in (METRO, FLASH, RIVER, METRO + FLASH)] * 3
        whole = idx.candidates_many(queries)
        assert [{i for i, _ in c} for c in whole[:3]] == [{"metro"}, {"flash"}, {"river"}]
        requests = []
        msearch = idx.es.msearch

        def counted(**kw):
            requests.append(len(kw["searches"]) // 2)
            return msearch(**kw)

        monkeypatch.setattr(idx.es, "msearch", counted)
        monkeypatch.setattr(es_index, "_MSEARCH_BYTES", 3 * len(idx._count_query_body(
            [str(int(k)) for k in np.unique(queries[3][0])], 10)))
        assert idx.candidates_many(queries) == whole
        assert len(requests) > 2 and sum(requests) == len(queries)


def test_msearch_parts_keep_order_and_budget():
    from reprintwatch.index.elasticsearch import _msearch_parts

    bodies = ["a" * n for n in (10, 20, 5, 40, 1, 1)]
    parts = list(_msearch_parts(bodies, 30))
    assert [b for p in parts for b in p] == bodies
    assert parts == [["a" * 10], ["a" * 20, "a" * 5], ["a" * 40], ["a", "a"]]  # an oversized search goes alone
    assert list(_msearch_parts([], 30)) == []


@pytest.mark.elasticsearch
def test_a_query_the_node_refuses_as_too_many_clauses_is_split(es_settings):
    """The node's clause limit is max(1024, heap MB x 64 / search threads): a query over more keys is refused,
    and the index halves its split size until the node accepts the parts; the counts do not change."""
    with ElasticsearchIndex.from_settings(es_settings, create=True) as idx:
        detector = Detector(idx)
        detector.add(licensed())
        keys = detector.fingerprint(METRO).keys
        expected = idx.candidates(keys, 10)
        noise = np.random.default_rng(1).integers(1, 2**40, 40_000)  # held by no article
        idx.max_clauses = 80_000
        assert idx.candidates(np.concatenate([keys, noise]), 10) == expected
        assert idx.max_clauses < 40_000


def test_band_keys_shared_by_too_many_articles_are_ignored(index):
    # a site footer that normalisation does not know: in every one of 120 articles
    footer = "本站所有稿件均经过三审三校，欢迎广大读者监督批评，读者热线每天上午九点至下午五点开通，周末及节假日照常服务。"
    sentences = [s + "。" for s in (METRO + RIVER + FLASH).replace("\n", "").split("。") if s]
    articles = [
        Article(f"a{i:03d}", "".join(sentences[(i * 7 + j) % len(sentences)] for j in range(6)) + footer)
        for i in range(120)
    ]
    detector = Detector(index)
    detector.add(articles)
    suspect_keys = detector.fingerprint(UNRELATED + footer).keys
    held_by_all = functools.reduce(np.intersect1d, [detector.prepare(a).keys for a in articles], suspect_keys)
    assert len(held_by_all) >= 8  # the footer's own windows
    shared = index.candidates(suspect_keys, 200)
    assert max(n for _, n in shared) < len(held_by_all)  # none of those keys was counted
    own = detector.prepare(articles[5]).keys
    assert index.candidates_many([(suspect_keys, 200, 1), (own, 3, 1), (suspect_keys, 200, len(held_by_all))]) == [
        shared, index.candidates(own, 3), []]
    assert detector.check(UNRELATED + footer).reprints == []
    assert detector.check(articles[5].content).reprints[0].licensed.id == "a005"


FOOTER = "本站所有稿件均经过三审三校，欢迎广大读者监督批评，读者热线每天上午九点至下午五点开通，周末及节假日照常服务。"


def footer_articles() -> list[Article]:
    """150 articles of licensed sentences, the first 120 of them ending in the same site footer."""
    sentences = [s + "。" for s in (METRO + RIVER + FLASH).replace("\n", "").split("。") if s]
    return [
        Article(f"a{i:03d}", "".join(sentences[(i * 7 + j) % len(sentences)] for j in range(6))
                + f"第{i}号。" + (FOOTER if i < 120 else ""))
        for i in range(150)
    ]


def test_a_key_is_hot_by_the_articles_that_still_hold_it(index):
    """Hot keys are counted over live articles: after deletions a footer held by too many comes back
    (Elasticsearch keeps deleted documents in its segments until they merge)."""
    footer, articles = FOOTER, footer_articles()
    detector = Detector(index)
    detector.add(articles)
    suspect_keys = detector.fingerprint(UNRELATED + footer).keys
    held_by_all = functools.reduce(np.intersect1d, [detector.prepare(a).keys for a in articles[:120]], suspect_keys)
    assert len(held_by_all) >= 8
    # 120 of 150 hold the footer's keys: more than max(100, 150 // 100), so none of them is counted
    assert max((n for _, n in index.candidates(suspect_keys, 200)), default=0) < len(held_by_all)
    index.delete([a.id for a in articles[:25]])
    # 95 of 125 hold them now: counted again, for every article that holds them (candidates are one
    # representative a story: every story of those articles is there)
    shared = dict(index.candidates(suspect_keys, 200))
    story = {r.article.id: r.story for r in index.get([a.id for a in articles[25:]])}
    assert {story[a.id] for a in articles[25:120]} <= {story[i] for i, n in shared.items() if n >= len(held_by_all)}
    assert not {a.id for a in articles[:25]} & set(shared)


@pytest.mark.elasticsearch
def test_elasticsearch_counts_a_keys_articles_once_until_the_index_changes(es_settings):
    """A key's article count (is it hot?) is asked of the node once while the index is unchanged: the same
    footer checked again has its hot keys left out of the first search, which is then final (one search, no
    count), with the same candidates; a delete forgets the counts, and the footer, no longer hot, is counted."""
    articles = footer_articles()
    with ElasticsearchIndex.from_settings(es_settings, create=True) as idx:
        detector = Detector(idx)
        detector.add(articles)
        keys = detector.fingerprint(UNRELATED + FOOTER).keys
        sent: list = []
        msearch = idx._msearch

        def recorded(bodies):  # each request to the node: its searches and hot-key counts
            if bodies:
                sent.append(["count" if isinstance(b, dict) else "search" for b in bodies])
            return msearch(bodies)

        idx._msearch = recorded
        first = idx.candidates(keys, 200)
        assert sent == [["search"], ["count"], ["search"]]  # counted, hot keys found, searched again without them
        hot = {t for t, n in idx._df.items() if n > 100}
        assert len(hot) >= 8 and idx._hot == hot  # the hot ones kept as a set too: what the first search leaves out
        sent.clear()
        assert idx.candidates(keys, 200) == first
        assert sent == [["search"]]
        assert idx.candidates_many([(keys, 200, 1), (keys, 5, 1)]) == [first, first[:5]]
        idx.delete([a.id for a in articles[:25]])
        assert not idx._df and not idx._hot
        sent.clear()
        again = dict(idx.candidates(keys, 200))
        assert sent == [["search"]]  # 125 articles: max_df 100 and 95 hold the footer, so one search is final
        story = {r.article.id: r.story for r in idx.get([a.id for a in articles[25:]])}  # one representative a story
        assert {story[a.id] for a in articles[25:120]} <= {story[i] for i, n in again.items() if n >= len(hot)}



def test_elasticsearch_query_text_is_the_clauses_of_the_distinct_keys():
    """The candidate query is written as text (one join, not a dict a clause): it must parse to the ``bool`` of
    one ``constant_score`` term clause per distinct key, in numeric order, whatever order and repeats the keys
    come in; the id-restricted recount and an empty query too."""
    from reprintwatch.index.elasticsearch import _terms

    keys = np.array([12, -7, 12, 3_000_000_000_000, 5, -7], dtype=np.int64)
    terms = _terms(keys)
    assert terms == ["-7", "5", "12", "3000000000000"] == _terms(np.sort(np.unique(keys)))
    assert _terms(np.zeros(0, np.int64)) == [] and _terms(np.array([9])) == ["9"]
    clause = lambda t: {"constant_score": {"filter": {"term": {"bands": t}}, "boost": 1.0}}  # noqa: E731
    body = json.loads(ElasticsearchIndex._count_query_body(terms, 50, track=101))
    assert body["query"] == {"bool": {"should": [clause(t) for t in terms]}}
    assert (body["size"], body["track_total_hits"], body["collapse"]) == (50, 101, {"field": "story"})
    recount = json.loads(ElasticsearchIndex._count_query_body(terms[:1], 3, only=["a", "b"]))
    assert recount["query"]["bool"] == {"should": [clause("-7")], "filter": [{"terms": {"id": ["a", "b"]}}],
                                        "minimum_should_match": 1}
    assert "collapse" not in recount
    assert json.loads(ElasticsearchIndex._count_query_body([], 5))["query"] == {"bool": {"should": []}}

def _segments_or_runs(backend, idx) -> int:
    if backend.name == "sqlite":
        return idx.conn.execute("SELECT count(*) FROM key_runs").fetchone()[0]
    return idx._segment_count()


def test_optimize_leaves_one_piece_and_the_same_candidates(backend):
    """`index optimize` after a load in several batches (Elasticsearch: a segment a refreshed batch; SQLite: a key
    run a batch) with deletions: one segment or run afterwards, the deleted articles gone, candidates and
    check output unchanged."""
    sentences = [s + "。" for s in (METRO + RIVER + FLASH + PORT).replace("\n", "").split("。") if s]
    articles = [Article(f"a{i:02d}", "".join(sentences[(i * 5 + j) % len(sentences)] for j in range(5)) + f"第{i}号。")
                for i in range(30)]
    suspects = [METRO, "转载：" + RIVER, partial_copy(), articles[7].content, UNRELATED]
    with backend.open() as idx:
        detector = Detector(idx)
        for start in range(0, 30, 10):
            detector.add(articles[start:start + 10])
        idx.delete(["a03", "a17"])
        before = _segments_or_runs(backend, idx)
        keys = [detector.fingerprint(s).keys for s in suspects]
        cands = [idx.candidates(k, 50) for k in keys]
        checks = [detector.check(s).to_dict() for s in suspects]
    assert before >= 3
    assert any(cands) and all(i not in {"a03", "a17"} for c in cands for i, _ in c)
    result = CliRunner().invoke(cli, [*backend.cli_args(), "index", "optimize"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Optimized the index: {before} ") and " -> 1 in " in result.output
    with backend.open(create=False) as idx:
        detector = Detector(idx)
        assert _segments_or_runs(backend, idx) == 1
        assert [idx.candidates(k, 50) for k in keys] == cands
        assert [detector.check(s).to_dict() for s in suspects] == checks
        assert len(idx.get([a.id for a in articles])) == 28


# --- stories: versions of one text grouped when indexed (issue 23) -------------------------------------------

METRO_EDIT = METRO + "\n（本报记者 张晓明 报道）"  # a version: the wire text with a byline added


def test_versions_share_a_story_and_candidates_count_stories(index):
    from reprintwatch.dedupe.relations import VERSION_MIN_OVERLAP, version_overlap
    detector = Detector(index)
    u = {a.id: detector.prepare(a).signature.unique_shingles for a in [Article("w", METRO), Article("e", METRO_EDIT)]}
    assert version_overlap(u["w"], u["e"]) >= VERSION_MIN_OVERLAP
    detector.add(licensed())
    detector.add([Article("metro-edit", METRO_EDIT, "地铁九号线开通", "城市晚报")])
    stories = {r.article.id: r.story for r in index.get(["metro", "metro-edit", "river", "flash"])}
    assert stories == {"metro": "metro", "metro-edit": "metro", "river": "river", "flash": "flash"}
    keys = detector.fingerprint("转载：" + METRO).keys
    # one representative a story: the member sharing most band keys; the cap counts stories
    reps = index.candidates(keys, 10)
    assert [c[0] for c in reps].count("metro") + [c[0] for c in reps].count("metro-edit") == 1
    assert reps[0][0] == "metro" and reps[0].story == "metro"
    assert [c[0] for c in index.candidates(keys, 1)] == ["metro"]
    [match] = detector.check("转载：" + METRO).reprints
    assert match.licensed.id == "metro" and [v.licensed.id for v in match.versions] == ["metro-edit"]
    # the listed version's overlap is the one its whole record gives (it is read without its token spans)
    metro, edit = index.get(["metro", "metro-edit"])
    assert match.versions[0].licensed == edit.article
    assert match.versions[0].overlap == version_overlap(edit.signature.unique_shingles, metro.signature.unique_shingles)
    # an unchanged re-add keeps the story; deleting the representative promotes another member
    assert detector.add([Article("metro-edit", METRO_EDIT, "地铁九号线开通", "城市晚报")]).unchanged == 1
    index.delete(["metro"])
    [rep] = [c for c in index.candidates(keys, 10) if c.story == "metro"]
    assert rep[0] == "metro-edit"
    [match] = detector.check("转载：" + METRO).reprints
    assert match.licensed.id == "metro-edit" and match.versions == ()


def _listed_versions_are_their_records(backend, suspect: str) -> list[tuple[str, float]]:
    """The versions a fresh reader lists for ``suspect``'s reprint (nothing read before: SQLite reads each
    listed member's stored distinct shingles), each overlap checked against the one its whole record, read
    after, gives; returns ``(id, overlap)`` of each."""
    from reprintwatch.dedupe.relations import version_overlap
    with backend.open() as idx:
        [match] = Detector(idx).check(suspect).reprints
        listed = [(v.licensed.id, v.overlap) for v in match.versions]
        records = {r.article.id: r for r in idx.get([match.licensed.id, *(i for i, _ in listed)])}
        reported = records[match.licensed.id].signature.unique_shingles
        for v in match.versions:
            assert v.licensed == records[v.licensed.id].article
            assert v.overlap == version_overlap(records[v.licensed.id].signature.unique_shingles, reported), v.licensed.id
        ids = [i for i, _ in listed]
    with backend.open() as idx:  # and unique_shingles alone, from the stored form, is the record's
        for (article, u), r in zip(idx.unique_shingles(ids), idx.get(ids)):
            assert article == r.article
            np.testing.assert_array_equal(u, r.signature.unique_shingles)
    return listed


def test_listed_versions_follow_members_replaced_deleted_and_re_added(backend):
    """What listing a version reads (SQLite: each article's distinct shingles stored beside its signature,
    schema 4) follows every change of a member: replaced by another version's text, deleted, re-added with
    other text — a value left from the old text would give the old overlap."""
    late = "（更新）" + METRO_EDIT
    # the wire text without its last paragraph, another text's first sentence added: still a version (0.875)
    shorter = "\n".join(METRO.split("\n")[:-1]) + "\n" + RIVER.split("。")[0] + "。"
    with backend.open() as idx:
        Detector(idx).add(licensed() + [Article("metro-edit", METRO_EDIT, "地铁九号线开通", "城市晚报"),
                                        Article("metro-late", late, "地铁九号线开通（更新）", "江南日报")])
    suspect = "转载：" + METRO
    first = dict(_listed_versions_are_their_records(backend, suspect))
    assert set(first) == {"metro-edit", "metro-late"}
    with backend.open() as idx:  # replaced: another version's text
        assert Detector(idx).add([Article("metro-late", shorter, "地铁九号线开通（删节）", "江南日报")]).updated == 1
        assert idx.get(["metro-late"])[0].story == "metro"
    second = dict(_listed_versions_are_their_records(backend, suspect))
    assert set(second) == {"metro-edit", "metro-late"} and second["metro-late"] != first["metro-late"]
    with backend.open() as idx:  # deleted, then re-added with another version's text
        assert idx.delete(["metro-edit"]) == ["metro-edit"]
    assert dict(_listed_versions_are_their_records(backend, suspect)).keys() == {"metro-late"}
    with backend.open() as idx:
        Detector(idx).add([Article("metro-edit", late, "地铁九号线开通（更新）", "城市晚报")])
    third = dict(_listed_versions_are_their_records(backend, suspect))
    assert third == {"metro-late": second["metro-late"], "metro-edit": first["metro-late"]}


def test_a_changed_article_leaves_its_story_and_a_new_one_gets_a_fresh_label(index):
    detector = Detector(index)
    detector.add(licensed() + [Article("metro-edit", METRO_EDIT, "地铁九号线开通", "城市晚报")])
    # metro's text is now another story's: it joins that one; metro-edit stays in the story labelled "metro"
    detector.add([Article("metro", RIVER + "\n（转载）", "清溪河", "江南日报")])
    assert {r.article.id: r.story for r in index.get(["metro", "metro-edit"])} == {"metro": "river",
                                                                                     "metro-edit": "metro"}
    # a text of its own: a new story, not the label still in use by metro-edit
    detector.add([Article("metro", UNRELATED, "无关", "江南日报")])
    [record] = index.get(["metro"])
    assert record.story.startswith("metro~") and index.members([record.story]) == {record.story: ["metro"]}
    assert index.members(["metro", "river"]) == {"metro": ["metro-edit"], "river": ["river"]}
    [match] = detector.check("转载：" + METRO).reprints
    assert match.licensed.id == "metro-edit"


def test_a_changed_version_stays_in_its_story(index):
    """A changed article's old record can be its story's representative in the story search (it shares most
    keys with the new text; ties go to the smaller id, here the version's) and is stale: the story's other
    members are tested in its place, so a version edited again stays with its original rather than starting a
    story of its own."""
    detector = Detector(index)
    detector.add(licensed() + [Article("a-edit", METRO_EDIT, "地铁九号线开通", "城市晚报")])
    assert index.members(["metro"]) == {"metro": ["a-edit", "metro"]}
    edited_again = METRO_EDIT + "\n更正：本文第二段中的日期有误，已改正。"
    assert detector.add([Article("a-edit", edited_again, "地铁九号线开通", "城市晚报")]).updated == 1
    assert {r.article.id: r.story for r in index.get(["metro", "a-edit"])} == {"metro": "metro", "a-edit": "metro"}
    assert index.members(["metro", "a-edit"]) == {"metro": ["a-edit", "metro"]}


def test_a_batch_of_versions_forms_one_story(index):
    """Articles of one batch are tested against those before them in it, not only against the index."""
    detector = Detector(index)
    detector.add([Article("metro", METRO), Article("river", RIVER), Article("metro-edit", METRO_EDIT)])
    assert {r.article.id: r.story for r in index.get(["metro", "river", "metro-edit"])} == {
        "metro": "metro", "river": "river", "metro-edit": "metro"}


def test_the_story_search_asks_only_for_a_sketch_of_the_keys_and_finds_the_version(index):
    """``index add`` searches the index for a new article's story with its ``STORY_SKETCH`` smallest distinct keys
    (index/base.py: a term lookup a key on Elasticsearch), not all of them — and the version is still found,
    stored before it (the index's search) or earlier in its batch (the batch's search of the same sketch)."""
    from reprintwatch.dedupe.arrays import unique_sorted
    from reprintwatch.index.base import STORY_SKETCH
    detector = Detector(index)
    asked = []
    search = index.candidates_many

    def spy(queries):
        asked.extend(keys for keys, _, _ in queries)
        return search(queries)

    index.candidates_many = spy
    detector.add(licensed())
    asked.clear()
    late = Article("metro-late", "（更新）" + METRO_EDIT)
    detector.add([Article("metro-edit", METRO_EDIT), late])
    full = [unique_sorted(detector.prepare(a).keys) for a in (Article("metro-edit", METRO_EDIT), late)]
    assert all(len(k) > 3 * STORY_SKETCH for k in full)  # the sketch is a small part of what was asked before
    assert [list(k) for k in asked] == [list(k[:STORY_SKETCH]) for k in full]
    assert {r.article.id: r.story for r in index.get(["metro", "metro-edit", "metro-late"])} == {
        "metro": "metro", "metro-edit": "metro", "metro-late": "metro"}


def _without_stories(backend, es_client=None) -> None:
    """Make the index under test what an index made before stories looked like (SQLite schema 2,
    Elasticsearch mapping version 1): no story anywhere."""
    if backend.name == "sqlite":
        import sqlite3
        conn = sqlite3.connect(backend.db)
        conn.executescript("DROP INDEX articles_story; ALTER TABLE articles DROP COLUMN story;"
                           "UPDATE meta SET value = '2' WHERE key = 'schema_version';")
        conn.close()
        return
    from reprintwatch.index.elasticsearch import MAPPINGS, from_document, to_document, _meta
    from reprintwatch.dedupe.fingerprint import index_keys
    from elasticsearch import helpers
    name = backend.es_settings.es_index
    [current] = es_client.indices.get_alias(name=name)
    old = f"{name}-v1"
    mappings = {**MAPPINGS, "properties": {k: v for k, v in MAPPINGS["properties"].items() if k != "story"},
                "_meta": {"reprintwatch": {**_meta(FingerprintParams())["reprintwatch"], "mapping_version": 1}}}
    es_client.indices.create(index=old, mappings=mappings)
    docs = []  # written in the order they were (_seq_no), as an index made before stories holds them
    for hit in helpers.scan(es_client, index=current, query={"query": {"match_all": {}}, "sort": [{"_seq_no": "asc"}]},
                            preserve_order=True):
        r = from_document(hit["_source"])
        doc = to_document(type(r)(r.article, r.signature, index_keys(r.article.content, r.signature, FingerprintParams())))
        del doc["story"]
        docs.append({"_index": old, "_id": hit["_id"], "_source": doc})
    helpers.bulk(es_client, docs, refresh=True)
    es_client.indices.update_aliases(actions=[{"remove_index": {"index": current}},
                                              {"add": {"index": old, "alias": name, "is_write_index": True}}])


def test_an_index_made_before_stories_is_refused_until_migrated_then_grouped(backend, request):
    es_client = request.getfixturevalue("es_client") if backend.name == "elasticsearch" else None
    with backend.open() as idx:
        detector = Detector(idx)
        detector.add(licensed() + [Article("metro-edit", METRO_EDIT, "地铁九号线开通", "城市晚报")])
        before = [detector.check(s).to_dict(include_all=True) for s in suspects()]
    _without_stories(backend, es_client)
    with pytest.raises(LicensedIndexError, match="index migrate"):
        backend.open()
    runner = CliRunner()
    refused = runner.invoke(cli, [*backend.cli_args(), "scan", "-"], input="{}\n")
    assert refused.exit_code == 3 and "index migrate" in refused.stderr
    migrated = runner.invoke(cli, [*backend.cli_args(), "index", "migrate"])
    assert migrated.exit_code == 0, migrated.output
    with backend.open() as idx:
        assert {r.article.id: r.story for r in idx.get(["metro", "metro-edit", "river"])} == {
            "metro": "metro", "metro-edit": "metro", "river": "river"}
        detector = Detector(idx)
        assert [detector.check(s).to_dict(include_all=True) for s in suspects()] == before
    again = runner.invoke(cli, [*backend.cli_args(), "index", "migrate"])
    assert again.exit_code == 0 and "up to date" in again.output


@pytest.mark.elasticsearch
def test_both_backends_group_and_list_versions_alike(tmp_path, es_settings):
    edits = [Article("metro-edit", METRO_EDIT, "地铁九号线开通", "城市晚报"),
             Article("metro-late", "（更新）" + METRO_EDIT, "地铁九号线开通（更新）", "江南日报")]
    results, stories = {}, {}
    for name in ("sqlite", "elasticsearch"):
        with Backend(name, tmp_path, es_settings).open() as idx:
            detector = Detector(idx)
            detector.add(licensed() + [PORT_ARTICLE])
            detector.add(edits)
            stories[name] = {r.article.id: r.story for r in idx.get(["metro", "metro-edit", "metro-late", "river"])}
            results[name] = [detector.check(s).to_dict(include_all=True)
                             for s in suspects() + [Article("s-metro", "又转：" + METRO)]]
    assert stories["sqlite"] == stories["elasticsearch"] == {
        "metro": "metro", "metro-edit": "metro", "metro-late": "metro", "river": "river"}
    assert results["sqlite"] == results["elasticsearch"]
    [full] = [r for r in results["sqlite"] if r["id"] == "s-metro"]
    assert [m["licensed_id"] for m in full["matches"] if m["verdict"] != "none"] == ["metro"]
    assert [v["licensed_id"] for m in full["matches"] for v in m.get("versions", [])] == ["metro-edit", "metro-late"]


@pytest.mark.elasticsearch
def test_a_bulk_load_finds_stories_among_articles_not_refreshed_yet(es_settings):
    with ElasticsearchIndex.from_settings(es_settings, create=True) as idx:
        detector = Detector(idx)
        with idx.bulk_load():
            detector.add(licensed())
            detector.add([Article("metro-edit", METRO_EDIT)])  # metro is not searchable yet
        assert {r.article.id: r.story for r in idx.get(["metro", "metro-edit"])} == {"metro": "metro",
                                                                                       "metro-edit": "metro"}


@pytest.mark.elasticsearch
def test_real_wire_stories_get_the_same_stories_on_both_backends_through_changes(tmp_path, es_settings, xinhua_articles):
    """Real Xinhua stories and edited versions of them (a sentence dropped, cut short, another story's sentences
    added), shuffled, added in batches (each batch's story search made at once: index/base.py), then articles
    changed, re-added unchanged and deleted, and more versions added: both backends give every article the same
    story, and at least 80 % of the edits share their original's story (an edit of more than a fifth of a short
    text is no version of it)."""
    import random
    rng = random.Random(23)
    originals = [Article(f"xh-{d['id']}", d["text"], d["headline"]) for d in xinhua_articles[:60]]
    edits = []
    for a in originals[::2]:
        s = [x + "。" for x in a.content.split("。") if x.strip()]
        if len(s) < 4:
            continue
        edits.append(Article(a.id + "-cut", "".join(s[:-1]), a.title))
        edits.append(Article(a.id + "-drop", "".join(s[:1] + s[2:]), a.title))
    first = originals + edits
    rng.shuffle(first)
    later = [Article(a.id + "-late", a.content + "（完）", a.title) for a in originals[1::6]]
    stories = {}
    for name in ("sqlite", "elasticsearch"):
        with Backend(name, tmp_path, es_settings).open() as idx:
            detector = Detector(idx)
            detector.add(first, batch_size=25)
            detector.add([Article(a.id, a.content + "记者补充报道。", a.title) for a in first[:5]] + first[5:10])
            idx.delete([a.id for a in first[10:15]])
            detector.add(later, batch_size=4)
            ids = [a.id for a in first[15:] + later]
            stories[name] = {r.article.id: r.story for r in idx.get(ids)}
            assert len(stories[name]) == len(ids)
    assert stories["sqlite"] == stories["elasticsearch"]
    got = stories["sqlite"]
    pairs = [(a.id, a.id.rsplit("-", 1)[0]) for a in edits if a.id in got and a.id.rsplit("-", 1)[0] in got]
    assert len(pairs) > 30 and sum(got[e] == got[o] for e, o in pairs) >= 0.8 * len(pairs)
    assert sum(stories["sqlite"][a.id + "-late"] != a.id + "-late" for a in originals[1::6]) >= 8


@pytest.mark.elasticsearch
def test_migrate_gives_both_backends_the_stories_adding_in_order_gave(tmp_path, es_settings, es_client, xinhua_articles):
    """index migrate of an index made before stories places its articles in the order they were added (SQLite:
    rows; Elasticsearch: _seq_no), so both backends get the stories adding them in that order gave."""
    import random
    rng = random.Random(5)
    originals = [Article(f"xh-{d['id']}", d["text"], d["headline"]) for d in xinhua_articles[100:160]]
    arts = originals + [Article(a.id + "-cut", a.content[: int(len(a.content) * 0.85)], a.title) for a in originals[::2]]
    rng.shuffle(arts)
    added, migrated = {}, {}
    for name in ("sqlite", "elasticsearch"):
        backend = Backend(name, tmp_path, es_settings)
        with backend.open() as idx:
            Detector(idx).add(arts)
            added[name] = {r.article.id: r.story for r in idx.get([a.id for a in arts])}
        _without_stories(backend, es_client if name == "elasticsearch" else None)
        result = CliRunner().invoke(cli, [*backend.cli_args(), "index", "migrate"])
        assert result.exit_code == 0, result.output
        with backend.open() as idx:
            migrated[name] = {r.article.id: r.story for r in idx.get([a.id for a in arts])}
    assert added["sqlite"] == added["elasticsearch"] == migrated["sqlite"] == migrated["elasticsearch"]
    assert sum(a.id.endswith("-cut") and added["sqlite"][a.id] != a.id for a in arts) >= 10

