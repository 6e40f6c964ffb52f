"""The SQLite key table (sorted runs, index schema 2): lookups equal brute force, runs stay few, other
processes' writes are seen, schema-1 indexes are refused with a migration path and migrate in place."""
from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest
from click.testing import CliRunner

from reprintwatch import Article, Detector, LicensedIndexError, SQLiteIndex
from reprintwatch.cli import cli
from reprintwatch.dedupe.lsh import KeyRun, make_run, merge_runs, shared_key_counts

from texts import FLASH, METRO, RIVER, UNRELATED


def test_shared_key_counts_equal_brute_force():
    rng = np.random.default_rng(8)
    owners_keys = {o: np.unique(rng.integers(-50, 50, size=rng.integers(0, 30))) for o in range(1, 40)}
    items = list(owners_keys.items())
    runs = [make_run([k for _, k in items[:15]], [o for o, _ in items[:15]]),
            make_run([k for _, k in items[15:]], [o for o, _ in items[15:]])]
    assert np.all(np.diff(runs[0].keys) >= 0)
    query = rng.integers(-60, 60, size=40)
    for max_df in (3, 10, 1000):
        df = {int(q): sum(int(q) in set(k.tolist()) for k in owners_keys.values()) for q in np.unique(query)}
        expected = {}
        for owner, keys in owners_keys.items():
            n = sum(1 for q in df if df[q] <= max_df and q in set(keys.tolist()))
            if n:
                expected[owner] = n
        for table in (runs, [merge_runs(runs)]):
            owners, counts = shared_key_counts(table, query, max_df)
            assert dict(zip(owners.tolist(), counts.tolist())) == expected


def test_compact_runs_round_trip_and_plain_runs_still_read():
    rng = np.random.default_rng(3)
    for n in [0, 1, 2, 3, 4, 5, 17, 1000]:
        keys = np.sort(rng.integers(-2**63, 2**63 - 1, size=n, dtype=np.int64))
        if n > 4:  # keys shared by several articles, and the extremes of both types
            keys[1:3] = keys[0]
            keys[0], keys[-1] = -2**63, 2**63 - 1
        owners = rng.integers(0, 2**32 - 1, size=n, dtype=np.uint32)
        if n > 4:
            owners[:2] = 0, 2**32 - 1
        run = KeyRun(keys, owners)
        blob_keys, blob_owners = run.to_bytes()
        # never the exact lengths of plain arrays: that is how the format of older indexes is told apart
        assert (len(blob_keys), len(blob_owners)) != (8 * n, 4 * n)
        for back in (KeyRun.from_bytes(blob_keys, blob_owners, n),
                     KeyRun.from_bytes(keys.tobytes(), owners.tobytes(), n)):  # the plain (older) format
            assert back.keys.dtype == np.int64 and back.owners.dtype == np.uint32
            assert np.array_equal(back.keys, keys) and np.array_equal(back.owners, owners)
    # the point of it: real-looking runs (random keys, 64-bit; consecutive articles) take far less than 12 B a key
    many = make_run([rng.integers(-2**63, 2**63 - 1, size=400) for _ in range(500)], list(range(1000, 1500)))
    assert sum(map(len, many.to_bytes())) < 8 * len(many)


def test_an_index_with_plain_runs_keeps_working(tmp_path):
    """Runs written as plain arrays (before the compact form) are read as they are and rewritten compact by
    the next merge or delete."""
    db = tmp_path / "plain.db"
    with SQLiteIndex(db) as idx:
        Detector(idx).add([Article("metro", METRO, "地铁"), Article("river", RIVER, "清溪河")])
        (run,) = idx._search_table()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE key_runs SET keys = ?, owners = ?", (run.keys.tobytes(), run.owners.tobytes()))
    conn.commit()
    conn.close()
    with SQLiteIndex(db) as idx:
        d = Detector(idx)
        assert [m.licensed.id for m in d.check("转载：" + RIVER).reprints] == ["river"]
        idx.delete(["metro"])
        assert [m.licensed.id for m in d.check("转载：" + RIVER).reprints] == ["river"]
        assert d.check("转载：" + METRO).reprints == []


def _sentences():
    return [s + "。" for s in (METRO + RIVER + FLASH + UNRELATED).replace("\n", "").split("。") if s]


def _articles(n, prefix="a"):
    s = _sentences()
    return [Article(f"{prefix}{i:03d}", "".join(s[(i * 5 + j) % len(s)] for j in range(4)) + f"第{i}号。")
            for i in range(n)]


def top_by_brute_force(index, keys):
    """What ``candidates`` must answer, from the articles' own band keys recomputed from their signatures."""
    from reprintwatch.dedupe.fingerprint import band_keys
    from reprintwatch.index.base import max_key_frequency, top_candidates

    rows = index.conn.execute("SELECT id FROM articles").fetchall()
    records = index.get([r[0] for r in rows])
    owned = {r.article.id: set(band_keys(r.signature.shingles, index.params).tolist()) for r in records}
    df = {int(k): sum(int(k) in o for o in owned.values()) for k in keys}
    cold = {k for k, n in df.items() if n <= max_key_frequency(len(owned))}
    counts = {i: len(o & cold) for i, o in owned.items() if o & cold}
    return top_candidates(counts, 100, stories={r.article.id: r.story for r in records})  # one a story


def test_many_small_batches_keep_few_runs_and_answer_like_one_batch(tmp_path):
    arts = _articles(60)
    with SQLiteIndex(tmp_path / "one.db") as one, SQLiteIndex(tmp_path / "many.db") as many:
        Detector(one).add(arts)
        d = Detector(many)
        probe_keys = d.fingerprint(METRO).keys
        for i in range(0, len(arts), 2):
            d.add(arts[i : i + 2])
            # the same object reads between writes: merged runs must never be mistaken for ones it holds
            assert many.candidates(probe_keys, 100) == top_by_brute_force(many, probe_keys)
        runs = many.conn.execute("SELECT count(*) FROM key_runs").fetchone()[0]
        assert runs < 4  # 30 batches, merged as they come
        assert one.stats().band_keys == many.stats().band_keys
        for probe in (METRO, RIVER, FLASH + UNRELATED):
            keys = d.fingerprint(probe).keys
            assert one.candidates(keys, 20) == many.candidates(keys, 20)


def test_a_reader_sees_another_connections_writes(tmp_path):
    db = tmp_path / "licensed.db"
    with SQLiteIndex(db) as writer, SQLiteIndex(db) as reader:
        Detector(writer).add([Article("metro", METRO, "地铁"), Article("flash", FLASH, "台风")])
        checker = Detector(reader)
        assert checker.check("转载：" + RIVER).reprints == []  # loads the key table
        Detector(writer).add([Article("river", RIVER, "清溪河")])
        assert [m.licensed.id for m in checker.check("转载：" + RIVER).reprints] == ["river"]
        writer.delete(["river"])
        assert checker.check("转载：" + RIVER).reprints == []


def _downgrade_to_schema_1(db):
    """What a schema-1 index looked like: one (key, article) row per band key, no runs."""
    with SQLiteIndex(db) as idx:
        Detector(idx).add([Article("metro", METRO, "地铁"), Article("river", RIVER, "清溪河")])
        runs = idx._search_table()
        pairs = [(int(k), int(o)) for r in runs for k, o in zip(r.keys, r.owners)]
    conn = sqlite3.connect(db)
    conn.executescript("""
        DROP TABLE key_runs; DROP INDEX articles_run; ALTER TABLE articles DROP COLUMN run;
        DROP INDEX articles_story; ALTER TABLE articles DROP COLUMN story;
        CREATE TABLE bands (key INTEGER NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (key, article)) WITHOUT ROWID;
        UPDATE meta SET value = '1' WHERE key = 'schema_version';
    """)
    conn.executemany("INSERT INTO bands VALUES (?, ?)", pairs)
    conn.commit()
    conn.close()


def test_a_schema_1_index_is_refused_then_migrated_in_place(tmp_path, monkeypatch):
    db = tmp_path / "old.db"
    _downgrade_to_schema_1(db)
    with pytest.raises(LicensedIndexError, match="index migrate"):
        SQLiteIndex(db)
    runner = CliRunner()
    refused = runner.invoke(cli, ["--db", str(db), "scan", "-"], input="{}\n")
    assert refused.exit_code == 3 and "index migrate" in refused.output
    migrated = runner.invoke(cli, ["--db", str(db), "index", "migrate"])
    assert migrated.exit_code == 0, migrated.output
    assert "Migrated 2 articles" in migrated.output
    assert "up to date" in runner.invoke(cli, ["--db", str(db), "index", "migrate"]).output
    with SQLiteIndex(db) as idx:
        assert sqlite3.connect(db).execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'bands'").fetchone()[0] == 0
        assert [m.licensed.id for m in Detector(idx).check("转载：" + RIVER).reprints] == ["river"]
        assert idx.stats().band_keys > 0


@pytest.mark.parametrize("key_bits", [64, 40])
def test_bucketed_lookup_finds_what_bisection_finds(monkeypatch, key_bits):
    """Large runs are searched through a bucket table on the keys' top bits (dedupe/lsh.py): the same
    ranges as two binary searches, for absent keys, single keys, hot keys held by many owners (buckets
    larger than the compared window) and keys at both ends of the int64 range — with full 64-bit keys and
    with keys of ``FingerprintParams.key_bits`` (40: all non-negative, their top bits all 0)."""
    from reprintwatch.dedupe import lsh

    rng = np.random.default_rng(3)
    mask = np.int64(-1) if key_bits == 64 else np.int64((1 << key_bits) - 1)
    keys = np.concatenate((rng.integers(-2**63, 2**63 - 1, 50_000, dtype=np.int64) & mask,
                           np.repeat(rng.integers(-2**63, 2**63 - 1, 20, dtype=np.int64) & mask, 40),
                           np.array([-2**63, -2**63, 2**63 - 1], dtype=np.int64) & mask))
    owners = rng.integers(0, 5000, len(keys)).astype(np.uint32)
    order = np.lexsort((owners, keys))
    run = lsh.KeyRun(keys[order], owners[order])
    q = np.unique(np.concatenate((rng.choice(keys, 3000), rng.integers(-2**63, 2**63 - 1, 3000, dtype=np.int64),
                                  rng.integers(-2**63, 2**63 - 1, 3000, dtype=np.int64) & mask,
                                  [-2**63, -1, 0, 1, 2**63 - 1])))
    monkeypatch.setattr(lsh, "_BUCKETED_FROM", 1000)
    assert run._buckets is not None
    assert np.diff(run._buckets[0]).max() <= 60  # the keys spread over the buckets, whatever their width
    lo, hi = run.ranges(q)
    ref_lo, ref_hi = np.searchsorted(run.keys, q, "left"), np.searchsorted(run.keys, q, "right")
    assert np.array_equal(hi - lo, ref_hi - ref_lo)
    found = hi > lo
    assert found.sum() > 2500 and (hi - lo).max() >= 40
    assert np.array_equal(lo[found], ref_lo[found])


def test_small_runs_are_searched_merged_with_the_same_counts(monkeypatch):
    """SearchRuns merges the runs under _BUCKETED_FROM entries into one for lookups: the same owners and
    counts as searching each run; the merge follows the set of small runs (a run added, one merged away)."""
    from reprintwatch.dedupe import lsh

    rng = np.random.default_rng(4)
    pool = rng.integers(-2**63, 2**63 - 1, 3000, dtype=np.int64)

    def run(owners):
        return make_run([rng.choice(pool, 40, replace=False) for _ in owners], owners)

    monkeypatch.setattr(lsh, "_BUCKETED_FROM", 2000)
    runs = {1: run(range(0, 60)), 2: run(range(60, 70)), 3: run(range(70, 75))}
    search = lsh.SearchRuns()
    queries = [np.unique(rng.choice(pool, 80)) for _ in range(20)]

    def same(searched):
        for q in queries:
            a, b = shared_key_counts(list(runs.values()), q, 1000), shared_key_counts(searched, q, 1000)
            assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])

    searched = search.update(runs)
    assert [len(r) for r in searched] == [2400, 600]  # run 1 alone, runs 2 and 3 merged
    same(searched)
    runs[4] = run(range(75, 80))
    same(search.update(runs))
    del runs[2], runs[3]
    assert [len(r) for r in search.update(runs)] == [2400, 200]
    same(search.update(runs))


def test_make_run_equals_one_unique_per_owner_then_a_sort():
    """make_run drops repeated (key, owner) pairs in one pass over the batch; the reference is what it did
    before: each owner's keys made unique, then one lexsort. Owners out of order and repeated keys included."""
    rng = np.random.default_rng(5)
    for i in range(60):
        # small keys (packed into one number to sort), negative ones and 64-bit ones (lexsort)
        lo, hi = [(0, 30), (-30, 30), (-2**63, 2**63 - 1), (0, 2**40)][i % 4]
        owners = [int(o) for o in rng.permutation(200)[: rng.integers(1, 40)] + (2**32 - 300 if i % 5 == 0 else 0)]
        keys = [rng.integers(lo, hi, size=rng.integers(0, 25), dtype=np.int64) for _ in owners]
        run = make_run(keys, owners)
        uk = [np.unique(k) for k in keys]
        ak, ao = np.concatenate(uk), np.repeat(np.asarray(owners, np.uint32), [len(k) for k in uk])
        order = np.lexsort((ao, ak))
        assert run.keys.dtype == np.int64 and run.owners.dtype == np.uint32
        assert np.array_equal(run.keys, ak[order]) and np.array_equal(run.owners, ao[order])
    assert len(make_run([], [])) == 0 and len(make_run([np.zeros(0, np.int64)], [3])) == 0


def test_the_merged_run_is_bucketed_and_counts_stay_the_same(monkeypatch):
    """SearchRuns' merged run gets a bucket table from _MERGED_BUCKETED_FROM entries (below _BUCKETED_FROM);
    owners and counts are those of a binary search in each run, counted with np.unique (the reference)."""
    from reprintwatch.dedupe import lsh

    rng = np.random.default_rng(6)
    pool = rng.integers(-2**63, 2**63 - 1, 3000, dtype=np.int64)
    monkeypatch.setattr(lsh, "_BUCKETED_FROM", 5000)
    monkeypatch.setattr(lsh, "_MERGED_BUCKETED_FROM", 500)
    runs = {r: make_run([rng.choice(pool, 40, replace=False) for _ in range(r * 10, r * 10 + 10)],
                        list(range(r * 10, r * 10 + 10))) for r in range(4)}
    (merged,) = lsh.SearchRuns().update(runs)
    assert len(merged) == 1600 and merged._buckets is not None
    for _ in range(30):
        q = np.unique(rng.choice(pool, 120))
        found = np.concatenate([run.owners[np.searchsorted(run.keys, k, "left") : np.searchsorted(run.keys, k, "right")]
                                for run in runs.values() for k in q])
        ref_owners, ref_counts = np.unique(found, return_counts=True)
        owners, counts = shared_key_counts([merged], q, 1000)
        assert np.array_equal(owners, ref_owners) and np.array_equal(counts, ref_counts)
        assert counts.max() > 1


def test_keys_held_by_many_owners_and_absent_keys_are_found_as_by_bisection(monkeypatch):
    """Buckets of every size take their path (8-entry window, 64-entry window, bisection) and the bit table
    drops only absent keys: the ranges are those of two binary searches."""
    from reprintwatch.dedupe import lsh

    rng = np.random.default_rng(8)
    keys = np.sort(np.concatenate((rng.integers(0, 2**40, 20_000), np.repeat(rng.integers(0, 2**40, 10), 30),
                                   np.repeat(rng.integers(0, 2**40, 5), 100))))
    run = lsh.KeyRun(keys, np.arange(len(keys), dtype=np.uint32), bucketed=True)
    q = np.unique(np.concatenate((rng.choice(keys, 4000), rng.integers(0, 2**40, 4000))))
    sizes = np.diff(run._buckets[0])
    assert sizes.max() > 64 and ((sizes > 8) & (sizes <= 64)).any()
    assert run._bits is not None and lsh._maybe_held(run._bits, keys).all()
    lo, hi = run.ranges(q)
    ref_lo, ref_hi = np.searchsorted(keys, q, "left"), np.searchsorted(keys, q, "right")
    assert np.array_equal(hi - lo, ref_hi - ref_lo)
    found = hi > lo
    assert np.array_equal(lo[found], ref_lo[found]) and (hi - lo).max() == 100
    assert (~lsh._maybe_held(run._bits, q[~found])).mean() > 0.8  # most absent keys stop at the bit table


def test_merge_runs_sorts_like_lexsort():
    rng = np.random.default_rng(12)
    for lo, hi in [(0, 2**40), (0, 50), (-2**63, 2**63 - 1)]:
        runs = [make_run([rng.integers(lo, hi, size=rng.integers(1, 30), dtype=np.int64) for _ in range(20)],
                         [int(o) for o in rng.permutation(10**6)[:20]]) for _ in range(4)]
        merged = merge_runs(runs)
        keys = np.concatenate([r.keys for r in runs])
        owners = np.concatenate([r.owners for r in runs])
        order = np.lexsort((owners, keys))
        assert merged.keys.dtype == np.int64 and merged.owners.dtype == np.uint32
        assert np.array_equal(merged.keys, keys[order]) and np.array_equal(merged.owners, owners[order])


def test_owner_counts_are_the_same_by_table_and_by_sort():
    """shared_key_counts counts owners in a table of every row when entries are many for the rows' range, by
    a sort otherwise: both give np.unique's owners and counts."""
    rng = np.random.default_rng(9)
    pool = rng.integers(0, 2**40, 2000)
    for spread in (50, 10**6):  # dense row numbers (the table), sparse ones (the sort)
        owners = [int(o) for o in rng.choice(spread, 40, replace=False)]
        run = make_run([rng.choice(pool, 60, replace=False) for _ in owners], owners)
        for _ in range(20):
            q = np.unique(rng.choice(pool, 200))
            lo, hi = np.searchsorted(run.keys, q, "left"), np.searchsorted(run.keys, q, "right")
            ref = np.unique(np.concatenate([run.owners[a:b] for a, b in zip(lo, hi)]), return_counts=True)
            got = shared_key_counts([run], q, 1000)
            assert got[0].dtype == np.uint32 and np.array_equal(got[0], ref[0]) and np.array_equal(got[1], ref[1])


def test_batch_shared_key_counts_equal_one_lookup_at_a_time():
    """index add's story search and scan count many lookups' shared keys in one pass (batch_shared_key_counts):
    each lookup's counts must be those of shared_key_counts alone, hot keys (max_df) counted over all runs."""
    from reprintwatch.dedupe.lsh import batch_shared_key_counts

    rng = np.random.default_rng(11)
    owners_keys = {o: np.unique(rng.integers(0, 80, size=rng.integers(0, 30))) for o in range(1, 60)}
    items = list(owners_keys.items())
    runs = [make_run([k for _, k in items[:20]], [o for o, _ in items[:20]]),
            make_run([k for _, k in items[20:]], [o for o, _ in items[20:]])]
    lookups = [np.unique(rng.integers(0, 90, size=rng.integers(0, 40))) for _ in range(25)]
    keys = np.concatenate(lookups)
    which = np.repeat(np.arange(len(lookups)), [len(q) for q in lookups])
    for max_df in (2, 6, 1000):
        owners, asked, shared = batch_shared_key_counts(runs, keys, which, max_df)
        assert np.all(np.diff(asked) >= 0)
        for j, query in enumerate(lookups):
            alone = shared_key_counts(runs, query, max_df)
            mine = asked == j
            assert owners[mine].tolist() == alone[0].tolist() and shared[mine].tolist() == alone[1].tolist()
    assert all(len(a) == 0 for a in batch_shared_key_counts(runs, keys[:0], which[:0], 10))


def test_candidates_of_a_batch_equal_each_lookup_alone_with_stories_and_ties(tmp_path):
    """candidates_many (one pass for the batch: index add's story search, scan) answers each lookup as
    candidates() alone does: one representative a story, ties by id, the cap counting stories, least applied."""
    arts = _articles(40)
    # versions (a sentence dropped, or a line added) make stories of several members
    versions = [Article(f"{a.id}-v{k}", a.content[: len(a.content) - 6 * k] + ("补记。" if k == 2 else ""))
                for a in arts[::4] for k in (1, 2)]
    with SQLiteIndex(tmp_path / "stories.db") as idx:
        d = Detector(idx)
        d.add(arts + versions, batch_size=16)
        assert len({r.story for r in idx.get([a.id for a in arts + versions])}) < len(arts + versions)
        rng = np.random.default_rng(5)
        every_key = np.concatenate([d.fingerprint(a.content).keys for a in arts])
        queries = [(d.fingerprint(a.content).keys, limit, least)
                   for a, limit, least in zip(arts[:12] + versions[:6], [1, 2, 3, 5, 50] * 4, [1, 2, 3, 1, 2, 40] * 3)]
        # random subsets of held keys: many articles and stories tie on small counts
        queries += [(np.unique(rng.choice(every_key, size=30)), limit, least)
                    for limit, least in [(1, 1), (3, 1), (3, 2), (10, 1), (0, 1)]]
        queries += [(every_key[:0], 5, 1)]
        alone = [[c for c in idx.candidates(k, limit) if c[1] >= least] for k, limit, least in queries]
        assert idx.candidates_many(queries) == alone
        assert [[c.story for c in cs] for cs in idx.candidates_many(queries)] == [[c.story for c in cs] for cs in alone]
        assert any(len({n for _, n in cs}) < len(cs) for cs in alone)  # ties were met
        for keys, _, _ in queries[:3]:
            assert idx.candidates(keys, 100) == top_by_brute_force(idx, keys)


def test_top_orders_stories_and_ties_as_top_candidates(tmp_path):
    """_top (the story-at-a-time ordering after the numpy cut) answers as top_candidates over every owner's
    count: one representative a story (most shared, then least id), stories by (most shared, that id), at most
    ``limit`` — with ids whose order is not the rows' (ties by id must compare ids, not rows), stories of
    several members, counts tied within and across stories, several lookups."""
    from reprintwatch.index.base import top_candidates

    arts = _articles(30)
    rng = np.random.default_rng(11)
    # ids in an order unlike the rows' (so a row's place says nothing of its id's), some stories of several members
    renamed = [Article(f"{'zyxwv'[i % 5]}{int(rng.integers(0, 10**6)):06d}-{i}", a.content) for i, a in enumerate(arts)]
    versions = [Article(f"{a.id}~{k}", a.content[: len(a.content) - 6 * k]) for a in renamed[::3] for k in (1, 2)]
    with SQLiteIndex(tmp_path / "ties.db") as idx:
        Detector(idx).add(renamed + versions, batch_size=7)
        idx._key_table()
        rows = idx._rowids
        assert len({idx._stories.get(n, n) for n in idx._names}) < len(idx._names)  # stories of several members
        for trial in range(200):
            lookups = int(rng.integers(1, 4))
            limits = [int(x) for x in rng.choice([0, 1, 2, 3, 5, 50], size=lookups)]
            size = int(rng.integers(0, 60))
            which = rng.integers(0, lookups, size)
            owners = rng.choice(rows, size)
            shared = rng.integers(1, 4, size)  # few values: many ties
            pairs = {}
            for w, o, n in zip(which.tolist(), owners.tolist(), shared.tolist()):
                pairs[(w, o)] = n  # one count a (lookup, owner), as the lookups give
            if pairs:
                w, o, n = (np.asarray(x, dtype=np.int64) for x in zip(*((w, o, n) for (w, o), n in pairs.items())))
            else:
                w = o = n = np.zeros(0, np.int64)
            got = idx._top(o.astype(np.uint32), w, n, limits)
            name_of = dict(zip(rows.tolist(), idx._names))
            for j, limit in enumerate(limits):
                counts = {name_of[oo]: nn for ww, oo, nn in zip(w.tolist(), o.tolist(), n.tolist())
                          if ww == j and oo in name_of}
                want = top_candidates(counts, limit, None, idx._stories)
                assert got[j] == want, (trial, j)
                assert [c.story for c in got[j]] == [c.story for c in want]


def test_a_failed_write_leaves_no_run_of_its_own_in_memory(tmp_path, monkeypatch):
    """Runs this connection writes are kept in memory (merges and the next read take them instead of decoding
    their blobs); a write that fails takes its runs along, and the run ids it had are handed out again."""
    arts = _articles(24)
    db = tmp_path / "fail.db"
    with SQLiteIndex(db) as idx:
        d = Detector(idx)
        d.add(arts[:8])
        real_compact = SQLiteIndex._compact

        def failing(self):
            real_compact(self)
            raise OSError("disk full (simulated)")

        monkeypatch.setattr(SQLiteIndex, "_compact", failing)
        with pytest.raises(OSError):
            d.add(arts[8:16])
        monkeypatch.setattr(SQLiteIndex, "_compact", real_compact)
        assert idx.get([a.id for a in arts[8:16]]) == []
        with SQLiteIndex(db) as other:
            Detector(other).add(arts[16:])  # another connection takes the run id the failed write had
        keys = d.fingerprint(arts[17].content).keys
        assert idx.candidates(keys, 100) == top_by_brute_force(idx, keys)
        assert idx.candidates(keys, 100)[0][0] == arts[17].id
        for i in range(0, 24, 4):
            d.add(arts[i : i + 4])  # merges, some of runs held in memory
        keys = d.fingerprint(arts[9].content).keys
        answer = idx.candidates(keys, 100)
        assert answer == top_by_brute_force(idx, keys)
    with SQLiteIndex(db) as again:
        assert again.candidates(keys, 100) == answer
