"""Bounded work per check (versions of one text verified once) and checks on every core."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from reprintwatch import Article, Detector, SQLiteIndex
from reprintwatch import detector as detector_module
from reprintwatch.cli import cli

from conftest import REPO
from texts import FLASH, METRO, PORT, PORT_REWRITE, PORT_SAME_EVENT, RIVER, UNRELATED


def versions_of_river():
    """A wire story carried by three outlets, one with a correction, one with an extra closing line."""
    return [
        Article("wire", RIVER, "清溪河水质提升", "华夏通讯社"),
        Article("carried", RIVER.replace("。", "。", 1) + "\n（本报综合报道）", "清溪河水质提升", "江南日报"),
        Article("corrected", RIVER + "\n更正：此前报道中的数据有误，现已更正。", "清溪河水质提升（更正）", "东海晚报"),
        Article("metro", METRO, "地铁九号线开通", "江南日报"),
    ]


def test_versions_of_one_text_are_verified_once_and_listed(tmp_path, monkeypatch):
    calls = []
    real_verify = detector_module.verify
    monkeypatch.setattr(detector_module, "verify", lambda *a, **k: calls.append(1) or real_verify(*a, **k))
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add(versions_of_river())
        result = d.check(Article("s", "转载：" + RIVER))
    assert len(calls) == 1  # three candidates, one text
    assert len(result.reprints) == 1
    best = result.reprints[0]
    assert best.licensed.id == "wire"  # the version that is most entirely in the suspect
    assert [v.licensed.id for v in best.versions] == sorted(["carried", "corrected"], key=lambda i: i != "carried")
    out = result.to_dict()["matches"][0]
    assert {v["licensed_id"] for v in out["versions"]} == {"carried", "corrected"}
    assert all(0.8 <= v["overlap"] <= 1 for v in out["versions"])


def test_a_check_reads_whole_records_only_for_a_storys_representative(tmp_path):
    """One read per story: ``get`` for the representative verified, and for the versions only listed their
    articles and distinct shingles (``unique_shingles``), whose overlaps are those of their whole records."""
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        Detector(idx).add(versions_of_river())
    with SQLiteIndex(tmp_path / "licensed.db") as idx:  # reopened: nothing kept from the add
        asked = {"get": [], "unique_shingles": []}
        for name in asked:
            real = getattr(idx, name)
            setattr(idx, name, lambda ids, real=real, name=name: asked[name].append(sorted(ids)) or real(ids))
        best = Detector(idx).check(Article("s", "转载：" + RIVER)).reprints[0]
        assert asked == {"get": [["wire"]], "unique_shingles": [["carried", "corrected"]]}
        records = {r.article.id: r for r in SQLiteIndex.get(idx, ["wire", "carried", "corrected"])}
    wire = records["wire"].signature.unique_shingles
    assert [(v.licensed, v.overlap) for v in best.versions] == sorted(
        ((records[i].article, detector_module.version_overlap(records[i].signature.unique_shingles, wire))
         for i in ("carried", "corrected")), key=lambda x: (-x[1], x[0].id))


WIRE_DROPS = ({1, 2, 3, 4, 5, 6}, {12, 13, 14, 15, 16, 17})


def edits_of_one_wire_story(drops=WIRE_DROPS):
    """A wire text and two edits of it that each drop other sentences: each edit is a version of the wire
    text, but the two edits share less than ``EDIT_MIN_OVERLAP`` of their shingles."""
    sentences = "\n".join([PORT, RIVER, METRO]).split("。")
    edit = lambda drop: "。".join(s for i, s in enumerate(sentences) if i not in drop)  # noqa: E731
    return "。".join(sentences), edit(drops[0]), edit(drops[1]), edit(drops[0] | drops[1])


@pytest.fixture
def wire_index(tmp_path):
    wire, edit_a, edit_b, _ = edits_of_one_wire_story()
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("wire", wire, "港口", "华夏通讯社"), Article("edit-a", edit_a, "港口", "江南日报"),
               Article("edit-b", edit_b, "港口", "东海晚报"), Article("flash", FLASH, "台风")])
        u = {r.article.id: r.signature.unique_shingles for r in idx.get(["wire", "edit-a", "edit-b"])}
        # the premise: each edit is a version of the wire text, the two edits are not versions of each other
        assert detector_module.version_overlap(u["edit-a"], u["wire"]) >= detector_module.VERSION_MIN_OVERLAP
        assert detector_module.version_overlap(u["edit-b"], u["wire"]) >= detector_module.VERSION_MIN_OVERLAP
        assert detector_module.version_overlap(u["edit-a"], u["edit-b"]) < detector_module.EDIT_MIN_OVERLAP
        yield d


@pytest.mark.parametrize("copied, reported", [(1, "edit-a"), (3, None)])
def test_edits_that_drop_other_sentences_are_one_story(wire_index, monkeypatch, copied, reported):
    """Copied: one edit (the wire text arrives second, the other edit joins through it), or the part both
    edits kept (both edits arrive before the wire text: two stories, merged once the wire text joins one)."""
    calls = []
    real_verify = detector_module.verify
    monkeypatch.setattr(detector_module, "verify", lambda *a, **k: calls.append(1) or real_verify(*a, **k))
    result = wire_index.check(Article("s", "转载：" + edits_of_one_wire_story()[copied]))
    assert len(calls) == 1  # three candidates, one story
    assert len(result.matches) == 1 and result.matches[0].verdict in ("full_reprint", "partial_reprint")
    if reported:
        assert result.matches[0].licensed.id == reported  # the version that is entirely in the suspect
    versions = {v.licensed.id: v.overlap for v in result.matches[0].versions}
    assert versions.keys() | {result.matches[0].licensed.id} == {"wire", "edit-a", "edit-b"}  # listed, not lost
    assert all(0.5 < o <= 1 for o in versions.values())  # the share against the reported version
    assert len(result.to_dict()["matches"][0]["versions"]) == 2


def _candidate(article_id: str, text: str, suspect):
    from reprintwatch.dedupe.fingerprint import FingerprintParams, fingerprint
    from reprintwatch.index.base import IndexedArticle

    u = fingerprint(text, FingerprintParams()).signature
    shared = detector_module.shared_count(u.unique_shingles, suspect.signature.unique_shingles)
    return detector_module._Candidate(IndexedArticle(Article(article_id, text), u, np.zeros(0, np.int64)),
                                      shared, lambda c: shared >= 20)


def _cannot_match(c):
    return detector_module._Candidate(c.record, c.in_suspect, lambda _: False)


def test_an_edit_joins_only_a_story_that_explains_it():
    """An edit that is no version of the reported one (only of the wire text) joins when the story is a
    reprint or when the edit could not match; never a story it is no version of."""
    from reprintwatch.dedupe.fingerprint import FingerprintParams, fingerprint
    from reprintwatch.dedupe.verify import NO_MATCH, Verification

    wire, edit_a, edit_b, _ = edits_of_one_wire_story()
    none = Verification(NO_MATCH, 0.1, 0.0, 0.0, 0, 0)
    full = Verification("full_reprint", 0.9, 1.0, 1.0, 500, 500)

    def story(suspect, verification):
        s = detector_module._Story(_candidate("edit-a", edit_a, suspect))
        s.verification = verification
        w = _candidate("wire", wire, suspect)
        assert s.admits(w, lambda s: s.verification) is not None  # a version of the reported one
        return s, w

    def admits(s, c):
        return s.admits(c, lambda s: s.verification) is not None

    own = fingerprint("转载：" + edit_b[:400], FingerprintParams())  # text only edit-b and the wire text hold
    b = _candidate("edit-b", edit_b, own)
    s, w = story(own, full)
    assert not admits(s, b)  # not through edit-a alone
    s.join(detector_module.Version(w.record.article, 1.0), w.shingles)
    assert admits(s, b)  # through the wire text: the story is a reprint
    s, w = story(own, none)
    s.join(detector_module.Version(w.record.article, 1.0), w.shingles)
    assert b.can_match and not admits(s, b)  # its own evidence, the story no reprint: verified on its own
    assert admits(s, _cannot_match(b))
    both = fingerprint("转载：" + edits_of_one_wire_story()[3], FingerprintParams())  # text all three hold
    s, w = story(both, none)
    s.join(detector_module.Version(w.record.article, 1.0), w.shingles)
    assert not admits(s, _candidate("edit-b", edit_b, both))  # may match: verified, even on the same text
    other = _candidate("same-event", PORT_SAME_EVENT + PORT_REWRITE, both)  # the same event, other words
    assert not admits(s, other) and not admits(s, _cannot_match(other))


def test_no_verdict_bound_gives_what_verify_gives(tmp_path):
    """Candidates sharing too few shingles with the suspect for any verdict are not verified: the result
    computed instead equals verify()'s, on every such pair of the sample data."""
    from reprintwatch.dedupe.verify import _min_shared_shingles, verify

    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        rows = [json.loads(line) for line in (REPO / "data" / "licensed.jsonl").read_text(encoding="utf-8").splitlines()]
        d.add([Article(r["id"], r["content"]) for r in rows])
        records = idx.get([r["id"] for r in rows])
        below = 0
        for suspect in _sample(tmp_path):
            fp = d.fingerprint(suspect.content)
            for rec in records:
                n = detector_module.shared_count(fp.signature.unique_shingles, rec.signature.unique_shingles)
                if 0 < n < _min_shared_shingles(rec.signature, d.thresholds):
                    below += 1
                    assert d._verification(fp, rec, n, False) == verify(fp.signature, rec.signature,
                                                                       d.params.shingle_size, d.thresholds)
    assert below >= 10


def test_no_verdict_ruled_out_that_verify_gives(tmp_path):
    """may_reach_verdict() is an upper bound: on every pair of the sample data it is True where verify() gives
    a verdict, and it rules out pairs that share enough shingles for the count bound to let them through."""
    from reprintwatch.dedupe.verify import _min_shared_shingles, may_reach_verdict, verify

    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        rows = [json.loads(line) for line in (REPO / "data" / "licensed.jsonl").read_text(encoding="utf-8").splitlines()]
        d.add([Article(r["id"], r["content"]) for r in rows])
        records = idx.get([r["id"] for r in rows])
        verdicts = ruled_out = 0
        for suspect in _sample(tmp_path) + [Article("port", PORT_SAME_EVENT + UNRELATED + PORT_REWRITE)]:
            fp = d.fingerprint(suspect.content)
            for rec in records:
                v = verify(fp.signature, rec.signature, d.params.shingle_size, d.thresholds)
                possible = may_reach_verdict(fp.signature.unique_shingles, rec.signature, d.params.shingle_size,
                                             d.thresholds)
                assert possible or not v.is_reprint, (suspect.id, rec.article.id)
                verdicts += v.is_reprint
                n = detector_module.shared_count(fp.signature.unique_shingles, rec.signature.unique_shingles)
                ruled_out += not possible and n >= _min_shared_shingles(rec.signature, d.thresholds)
    assert verdicts >= 10 and ruled_out >= 1


@pytest.mark.parametrize("ruled_out", [False, True])
def test_rewrite_matches_carry_the_full_alignment(tmp_path, monkeypatch, ruled_out):
    """A candidate ruled out by the bound is not aligned in _verify; when the rewrite path then calls it a
    rewrite, its coverage and passages (shown in the JSONL) are verify()'s, as if it had been."""
    from reprintwatch.dedupe.verify import verify

    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("port", PORT, "港口"), Article("metro", METRO, "地铁")])
        if ruled_out:  # a band-key candidate too, ruled out by the bound (as a rewrite sharing fewer words)
            bounds_many = detector_module.bounds_many
            monkeypatch.setattr(detector_module, "bounds_many", lambda *a: (bounds_many(*a)[0], np.zeros(len(a[1]), bool)))
            monkeypatch.setattr(idx, "candidates", lambda keys, limit: [("port", 100)])
        result = d.check(Article("s", PORT_REWRITE))
        rewrites = [m for m in result.matches if m.verdict == "rewrite"]
        assert [m.licensed.id for m in rewrites] == ["port"]
        fp = d.fingerprint(PORT_REWRITE)
        (rec,) = idx.get(["port"])
        assert rewrites[0].verification == verify(fp.signature, rec.signature, d.params.shingle_size, d.thresholds)


def test_shared_count_is_the_intersection_size():
    import numpy as np

    rng = np.random.default_rng(8)
    for n, m in ((0, 5), (5, 0), (1, 1), (300, 1200), (1000, 900)):
        pool = np.unique(rng.integers(0, 3000, 4000).astype(np.uint32))
        a, b = (np.unique(rng.choice(pool, k)) if k else pool[:0] for k in (n, m))
        assert detector_module.shared_count(a, b) == np.intersect1d(a, b, assume_unique=True).size


def test_a_flash_inside_a_digest_is_not_a_version_of_it(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("flash", FLASH, "台风"), Article("digest", METRO + "\n" + FLASH + "\n" + RIVER, "早报")])
        result = d.check(Article("s", UNRELATED + METRO + FLASH + RIVER))
    # the copy took the digest: the flash's text is the digest's too, so the flash is listed under it
    # (dedupe/relations.py), neither a finding of its own nor a version
    assert [m.licensed.id for m in result.reprints] == ["digest"]
    assert [s.licensed.id for s in result.reprints[0].siblings] == ["flash"]
    assert all(not m.versions for m in result.matches)


def test_no_versions_key_without_versions(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("metro", METRO, "地铁")])
        assert "versions" not in d.check("转载：" + METRO).to_dict()["matches"][0]


def _sample(tmp_path):
    lines = (REPO / "data" / "suspects.jsonl").read_text(encoding="utf-8").splitlines()
    return [Article(**{k: v for k, v in json.loads(line).items() if k in ("id", "content", "title", "outlet", "url")})
            for line in lines if line.strip()]


def _add_sample_licensed(d: Detector) -> None:
    """data/licensed.jsonl added one article at a time."""
    for line in (REPO / "data" / "licensed.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        d.add([Article(row["id"], row["content"], row.get("title", ""), row.get("outlet", ""))])


def test_check_many_on_two_processes_equals_one_in_input_order(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        _add_sample_licensed(d)
        suspects = _sample(tmp_path) * 3
        one = [r.to_dict(include_all=True) for r in d.check_many(suspects, jobs=1)]
        # one at a time, fingerprint made inside check: what the batches (scan, check_batch) must give
        assert one == [d.check(a).to_dict(include_all=True) for a in suspects]
        assert one == [r.to_dict(include_all=True) for r in d.scan(iter(suspects), batch=5)]
        two = [r.to_dict(include_all=True) for r in d.check_many(iter(suspects), jobs=2, chunksize=2)]
        assert one == two
        assert [r["id"] for r in two] == [a.id for a in suspects]
        assert any(r["matches"] for r in two)
        assert list(d.check_many([], jobs=2)) == []


def test_cli_scan_jobs_output_is_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("REPRINTWATCH_DB", str(tmp_path / "licensed.db"))
    runner = CliRunner()
    assert runner.invoke(cli, ["index", "add", str(REPO / "data" / "licensed.jsonl")]).exit_code == 0
    outs = {}
    for jobs in ("1", "2"):
        r = runner.invoke(cli, ["scan", str(REPO / "data" / "suspects.jsonl"), "--format", "jsonl", "--jobs", jobs])
        assert r.exit_code == 0, r.output
        outs[jobs] = r.stdout
    assert outs["1"] == outs["2"] and outs["1"].count("\n") >= 10
    bad = runner.invoke(cli, ["scan", str(REPO / "data" / "suspects.jsonl"), "--jobs", "0"])
    assert bad.exit_code == 2


def _stored(path):
    """Everything an index file holds about its articles, keys and tokens (not when they were added)."""
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return {
            "articles": con.execute("SELECT rowid, id, content_hash, signature, story, run FROM articles ORDER BY rowid").fetchall(),
            "runs": con.execute("SELECT run, entries, keys, owners FROM key_runs ORDER BY run").fetchall(),
            "tokens": con.execute("SELECT id, hash, len FROM tokens ORDER BY id").fetchall(),
        }
    finally:
        con.close()


def test_index_add_fingerprinting_on_worker_processes_stores_the_same_index(tmp_path):
    """Detector.add(jobs=2): batches fingerprinted on two workers while the parent stores them — the same
    rows, key runs, tokens and stories as one process, byte for byte (real articles and versions of them,
    small batches so that many are in flight and the key runs are merged)."""
    from conftest import real_texts

    texts = [json.loads(line)["content"] for line in (REPO / "data" / "licensed.jsonl").read_text(encoding="utf-8").splitlines()]
    try:
        texts += real_texts(120, 3)
    except pytest.skip.Exception:
        pass
    articles = [Article(f"a{i}", t) for i, t in enumerate(texts)]
    articles += [Article(f"v{i}", t[: len(t) * 3 // 4]) for i, t in enumerate(texts[::3])]  # versions: stories
    stored = {}
    for jobs in (1, 2):
        with SQLiteIndex(tmp_path / f"jobs{jobs}.db") as idx:
            result = Detector(idx).add(iter(articles), batch_size=9, jobs=jobs)
            assert result.added == len(articles)
        stored[jobs] = _stored(tmp_path / f"jobs{jobs}.db")
    assert stored[1] == stored[2]
    assert len({row[4] for row in stored[1]["articles"]}) < len(articles)  # some articles share a story


def test_cli_index_add_jobs_builds_the_same_index(tmp_path, monkeypatch):
    runner = CliRunner()
    for jobs in ("1", "2"):
        monkeypatch.setenv("REPRINTWATCH_DB", str(tmp_path / f"jobs{jobs}.db"))
        r = runner.invoke(cli, ["index", "add", str(REPO / "data" / "licensed.jsonl"), "--jobs", jobs, "--batch-size", "3"])
        assert r.exit_code == 0, r.output
        assert "12 new" in r.output
    assert _stored(tmp_path / "jobs1.db") == _stored(tmp_path / "jobs2.db")
    bad = runner.invoke(cli, ["index", "add", str(REPO / "data" / "licensed.jsonl"), "--jobs", "0"])
    assert bad.exit_code == 2


def test_a_scan_on_sqlite_checks_its_local_batch_at_a_time_with_the_same_results(tmp_path, monkeypatch):
    """Detector.scan on a local index takes LOCAL_SCAN_BATCH articles a batch (SCAN_BATCH is the remote one's),
    and the batches give what one check at a time gives."""
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        _add_sample_licensed(d)
        suspects = _sample(tmp_path) * 2
        sizes = []
        check_batch = d.check_batch
        monkeypatch.setattr(d, "check_batch", lambda chunk: sizes.append(len(chunk)) or check_batch(chunk))
        monkeypatch.setattr(detector_module, "LOCAL_SCAN_BATCH", 3)
        batched = [r.to_dict(include_all=True) for r in d.scan(suspects)]
        assert sizes == [3] * (len(suspects) // 3) + ([len(suspects) % 3] if len(suspects) % 3 else [])
        assert batched == [d.check(a).to_dict(include_all=True) for a in suspects]
        assert any(r["matches"] for r in batched)
