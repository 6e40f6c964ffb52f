"""The embedded index: idempotent adds, updates, deletes, stats, and parameters checked on open."""
import sqlite3

import numpy as np
import pytest

from reprintwatch import Article, Detector, FingerprintParams, LicensedIndexError, SQLiteIndex
from reprintwatch.dedupe.fingerprint import Signature
from reprintwatch.index.base import IndexedArticle

from texts import FLASH, METRO, RIVER


@pytest.fixture
def db(tmp_path):
    return tmp_path / "licensed.db"


def articles():
    return [
        Article("metro", METRO, "地铁九号线开通", "江南日报", "https://example.com/metro", "2026-11-20T09:00:00+08:00"),
        Article("river", RIVER, "清溪河水质提升", "华夏通讯社", "https://example.com/river"),
        Article("flash", FLASH, "台风蓝色预警", "东海晚报"),
    ]


def test_add_is_idempotent_by_id(db):
    with SQLiteIndex(db) as idx:
        detector = Detector(idx)
        first = detector.add(articles())
        again = detector.add(articles())
        assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
        assert idx.stats().articles == 3


def test_re_adding_a_changed_article_replaces_it(db):
    with SQLiteIndex(db) as idx:
        detector = Detector(idx)
        detector.add(articles())
        bands_before = idx.stats().band_keys
        result = detector.add([Article("metro", RIVER, "改稿", "江南日报")])
        assert (result.added, result.updated) == (0, 1)
        assert idx.get(["metro"])[0].article.title == "改稿"
        # the old text's band keys are gone: the metro text no longer finds "metro"
        assert [m.licensed.id for m in detector.check(METRO).reprints] == []
        assert idx.stats().band_keys < bands_before


def test_delete_removes_article_and_its_band_keys(db):
    with SQLiteIndex(db) as idx:
        detector = Detector(idx)
        detector.add(articles())
        assert idx.delete(["river", "nope"]) == ["river"]
        assert [a.article.id for a in idx.get(["metro", "river", "flash"])] == ["metro", "flash"]
        assert detector.check(RIVER).reprints == []
        keys_left = sqlite3.connect(db).execute("SELECT sum(entries) FROM key_runs").fetchone()[0]
        assert keys_left == idx.stats().band_keys > 0


def test_check_finds_the_source_after_reopening(db):
    with SQLiteIndex(db) as idx:
        Detector(idx).add(articles())
    with SQLiteIndex(db, create=False) as idx:
        result = Detector(idx).check("转载：" + RIVER)
        assert [m.licensed.id for m in result.reprints] == ["river"]
        assert result.reprints[0].licensed.outlet == "华夏通讯社"


def test_stats_count_outlets(db):
    with SQLiteIndex(db) as idx:
        Detector(idx).add(articles())
        stats = idx.stats()
    assert stats.outlets == {"东海晚报": 1, "华夏通讯社": 1, "江南日报": 1}
    assert stats.size_bytes > 0 and stats.params["num_perm"] == 128


def test_opening_with_other_fingerprint_parameters_is_refused(db):
    SQLiteIndex(db).close()
    with pytest.raises(LicensedIndexError, match="shingle_size"):
        SQLiteIndex(db, params=FingerprintParams(shingle_size=2))


def test_missing_index_is_a_clear_error(db):
    with pytest.raises(LicensedIndexError, match="no licensed index"):
        SQLiteIndex(db, create=False)


def test_a_failed_batch_leaves_nothing_half_written(db):
    with SQLiteIndex(db) as idx:
        detector = Detector(idx)
        good = detector.prepare(articles()[0])
        broken = detector.prepare(articles()[1])
        object.__setattr__(broken, "keys", ["not-a-number"])  # makes the band insert fail mid-batch
        with pytest.raises(Exception):
            idx.add([good, broken])
        assert idx.stats().articles == 0 and idx.stats().band_keys == 0


def _same_signature(a, b):
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in ("token_lens", "token_spans", "shingles"))


def test_signatures_read_back_as_written(db):
    """Signatures are stored as token ids in a vocabulary (index/vocabulary.py) and their shingles recomputed:
    what comes back must be the fingerprint's own, value for value — also for texts shorter than a shingle,
    texts whose normalisation removed characters between tokens (gaps) and a signature of the older format."""
    texts = {"metro": METRO, "river": RIVER, "flash": FLASH, "short": "台风", "one": "好",
             "furniture": "关注我们\n" + FLASH.replace("。", "。 \u200b ") + "\n点击阅读原文\n",
             "traditional": "颱風藍色預警：東海沿岸風力將達８級，影響範圍約１２０㎞。", "empty-ish": "！！！"}
    with SQLiteIndex(db) as idx:
        detector = Detector(idx)
        prepared = {i: detector.prepare(Article(i, t)) for i, t in texts.items()}
        assert any(len(p.signature.shingles) == 1 for p in prepared.values())  # fewer tokens than a shingle
        # made without token hashes (as older code did): kept in the older format, read back the same
        old = prepared["river"].signature
        prepared["old"] = IndexedArticle(Article("old", RIVER), Signature(old.token_lens, old.token_spans, old.shingles),
                                         prepared["river"].keys)
        idx.add(list(prepared.values())[:3])
        idx.add(list(prepared.values())[3:])
        vocabulary = idx.conn.execute("SELECT count(*) FROM tokens").fetchone()[0]
        assert 0 < vocabulary < sum(len(p.signature.token_lens) for p in prepared.values())  # words are shared
    with SQLiteIndex(db) as idx:  # a fresh process's view: the vocabulary loaded from the file
        for record in idx.get(list(prepared)):
            assert _same_signature(record.signature, prepared[record.article.id].signature), record.article.id
        blob = idx.conn.execute("SELECT signature FROM articles WHERE id = 'metro'").fetchone()[0]
        assert len(blob) < len(prepared["metro"].signature.to_bytes()) / 2


def test_a_reader_loads_the_words_another_writer_added(db):
    with SQLiteIndex(db) as writer, SQLiteIndex(db) as reader:
        Detector(writer).add([Article("metro", METRO)])
        assert [r.article.id for r in reader.get(["metro"])] == ["metro"]  # vocabulary loaded by the reader
        other = Detector(writer).prepare(Article("river", RIVER))
        writer.add([other])
        assert _same_signature(reader.get(["river"])[0].signature, other.signature)
        # and a writer whose vocabulary is behind the file's (another process wrote) adds after it
        Detector(reader).add([Article("flash", FLASH)])
        fresh = Detector(writer).prepare(Article("flash2", FLASH + "新词汇：青溪鹭洲。"))
        writer.add([fresh])
        with SQLiteIndex(db) as third:
            assert _same_signature(third.get(["flash2"])[0].signature, fresh.signature)
            assert _same_signature(third.get(["flash"])[0].signature, Detector(third).prepare(Article("f", FLASH)).signature)


def test_a_rolled_back_batch_leaves_no_words_behind(db):
    with SQLiteIndex(db) as idx:
        detector = Detector(idx)
        idx.add([detector.prepare(Article("metro", METRO))])
        broken = detector.prepare(Article("river", RIVER))
        object.__setattr__(broken, "keys", ["not-a-number"])
        with pytest.raises(Exception):
            idx.add([broken])
        flash = detector.prepare(Article("flash", FLASH + RIVER))  # RIVER's words again, after the rollback
        idx.add([flash])
        assert _same_signature(idx.get(["flash"])[0].signature, flash.signature)
    with SQLiteIndex(db) as idx:
        assert _same_signature(idx.get(["flash"])[0].signature, flash.signature)


def test_new_indexes_use_small_pages_and_older_files_keep_theirs(tmp_path):
    """1 KB pages leave less of each article's leaf page empty (reprintwatch/index/sqlite.py ``_PAGE_SIZE``);
    a file made with 4 KB pages (before) is used as it is."""
    with SQLiteIndex(tmp_path / "new.db") as idx:
        Detector(idx).add(articles())
        assert idx.conn.execute("PRAGMA page_size").fetchone()[0] == 1024
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA page_size=4096")
    conn.execute("VACUUM")
    conn.close()
    with SQLiteIndex(old) as idx:
        detector = Detector(idx)
        detector.add(articles())
        assert idx.conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        assert [m.licensed.id for m in detector.check("转载：" + RIVER).reprints] == ["river"]


def test_the_same_id_twice_in_one_batch_keeps_the_last(db):
    """Rows already stored are looked up once per batch (``_rows_of``): a second copy of an id in the
    batch must still see the first one — unchanged when equal, replacing it (and its keys) when not."""
    with SQLiteIndex(db) as idx:
        detector = Detector(idx)
        detector.add([articles()[2]])
        result = detector.add([Article("metro", RIVER, "先", "江南日报"), Article("flash", FLASH, "台风蓝色预警", "东海晚报"),
                               Article("metro", METRO, "后", "江南日报"), Article("metro", METRO, "后", "江南日报")])
        assert (result.added, result.updated, result.unchanged) == (1, 1, 2)
        assert idx.get(["metro"])[0].article.title == "后"
        assert [m.licensed.id for m in detector.check(METRO).reprints] == ["metro"]
        assert [m.licensed.id for m in detector.check(RIVER).reprints] == []  # the first copy's keys are gone
        keys_left = sqlite3.connect(db).execute("SELECT sum(entries) FROM key_runs").fetchone()[0]
        assert keys_left == idx.stats().band_keys


def test_vocabulary_merge_keeps_the_arrays_a_full_sort_gives():
    """New words are merged into the sorted lookup arrays (not everything sorted again): the arrays must
    be those a stable sort of all rows gives, and every word found under its id."""
    from reprintwatch.index.vocabulary import TokenVocabulary, _pair_keys

    conn = sqlite3.connect(":memory:")
    vocab = TokenVocabulary(conn)
    rng = np.random.default_rng(2)
    hashes, lens = np.zeros(0, np.uint32), np.zeros(0, np.int32)
    for size in (0, 1, 50, 7, 300):
        h = rng.integers(0, 40, size=size).astype(np.uint32)  # small range: equal hashes, other lengths
        ln = rng.integers(1, 4, size=size).astype(np.int32)
        vocab._append(h, ln)
        hashes, lens = np.concatenate((hashes, h)), np.concatenate((lens, ln))
        keys = _pair_keys(hashes, lens)
        order = np.argsort(keys, kind="stable")
        assert np.array_equal(vocab._keys, keys[order])
        assert np.array_equal(vocab._ids, np.arange(1, len(keys) + 1)[order])


def test_every_article_points_at_a_run_holding_its_keys(db):
    """The batch's run is created before its articles are written; a batch adding no keys (all unchanged)
    leaves no empty run behind, and every article's ``run`` holds exactly its keys' owner."""
    with SQLiteIndex(db) as idx:
        detector = Detector(idx)
        detector.add(articles()[:2])
        detector.add(articles())  # two unchanged, one new
        detector.add(articles())  # all unchanged
        detector.add([Article("river", METRO, "改稿", "华夏通讯社")])  # replaced: leaves its old run
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT count(*) FROM key_runs WHERE entries = 0").fetchone()[0] == 0
        runs = {run: idx._load_run(run) for (run,) in conn.execute("SELECT run FROM key_runs")}
        for rowid, run in conn.execute("SELECT rowid, run FROM articles"):
            assert run in runs and rowid in set(runs[run].owners.tolist())
            assert all(rowid not in set(r.owners.tolist()) for other, r in runs.items() if other != run)


# --- schema 4: each article's distinct shingles stored (what listing a version reads) --------------------------

def _stored_shingles(path) -> dict[str, bytes | None]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT id, shingles FROM articles"))
    finally:
        conn.close()


def test_each_article_stores_its_distinct_shingles_and_listing_reads_them(db):
    """``articles.shingles`` holds the sorted distinct shingles of the signature stored in the same row — for new,
    changed and re-added articles and a signature of the older format — and ``unique_shingles`` reads them
    without decoding a signature."""
    with SQLiteIndex(db) as idx:
        detector = Detector(idx)
        detector.add(articles())
        fp = detector.prepare(Article("old", RIVER + "（旧格式）")).signature
        idx.add([IndexedArticle(Article("old", RIVER + "（旧格式）"), Signature(fp.token_lens, fp.token_spans, fp.shingles),
                                detector.prepare(Article("old", RIVER + "（旧格式）")).keys)])
        detector.add([Article("metro", FLASH + "（改）", "改稿")])  # changed
        idx.delete(["river"])
        detector.add([Article("river", METRO + "（重发）", "重发")])  # re-added with other text
    stored = _stored_shingles(db)
    with SQLiteIndex(db) as idx:
        records = {r.article.id: r for r in idx.get(list(stored))}
        assert set(records) == {"metro", "river", "flash", "old"}
        for art_id, blob in stored.items():
            assert blob == np.unique(records[art_id].signature.shingles).astype("<u4").tobytes(), art_id
    with SQLiteIndex(db) as idx:
        def no_decoding(*a, **k):
            raise AssertionError("a stored article's shingles were decoded from its signature")
        idx._vocab.unique_shingles = no_decoding
        listed = idx.unique_shingles(["flash", "metro", "old", "river"])
        assert [a.id for a, _ in listed] == ["flash", "metro", "old", "river"]
        for article, u in listed:
            assert u.dtype == np.uint32
            np.testing.assert_array_equal(u, records[article.id].signature.unique_shingles)
            assert article == records[article.id].article


def _as_schema_3(path) -> None:
    """What an index written before schema 4 looks like: no ``shingles`` column."""
    conn = sqlite3.connect(path)
    # the table made again without the column (SQLite's DROP COLUMN fails on the commented schema text)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'articles'").fetchone()[0]
    lines = sql.split("\n")
    at = next(n for n, line in enumerate(lines) if line.strip().startswith("shingles BLOB"))
    assert lines[at - 1].strip().startswith("story TEXT NOT NULL DEFAULT '',")
    lines[at - 1] = lines[at - 1].replace("'',", "''", 1)
    schema_3 = "\n".join(lines[:at] + lines[at + 1 :])
    columns = [r[1] for r in conn.execute("PRAGMA table_info(articles)") if r[1] != "shingles"]
    indexes = [r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'articles' AND type = 'index'"
                                          " AND sql IS NOT NULL")]
    conn.executescript(f"""
        ALTER TABLE articles RENAME TO articles4;
        {schema_3.replace("IF NOT EXISTS ", "")};
        INSERT INTO articles ({", ".join(columns)}) SELECT {", ".join(columns)} FROM articles4;
        DROP TABLE articles4;
        {";".join(indexes)};
        DELETE FROM meta WHERE key = 'shingles';
        UPDATE meta SET value = '3' WHERE key = 'schema_version';""")
    assert "shingles" not in {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    conn.close()


def test_a_schema_3_index_answers_the_same_before_and_after_index_migrate(db):
    """An index written before the shingles were stored is upgraded when opened (a column added, no row
    rewritten): its articles are read from their signatures meanwhile, with the same answers; ``index
    migrate`` stores their shingles and keeps their stories; articles added in between get theirs at once."""
    from click.testing import CliRunner
    from reprintwatch.cli import cli
    edit = Article("metro-edit", METRO + "\n（本报记者 张晓明 报道）", "地铁九号线开通", "城市晚报")
    suspects = ["转载：" + METRO, "转载：" + RIVER, FLASH + "\n" + METRO[:200]]
    with SQLiteIndex(db) as idx:
        Detector(idx).add(articles() + [edit])
        before = [Detector(idx).check(s).to_dict(include_all=True) for s in suspects]
        stories = {r.article.id: r.story for r in idx.get(["metro", "metro-edit", "river", "flash"])}
    assert any(m.get("versions") for r in before for m in r["matches"])  # a version is listed
    _as_schema_3(db)
    with SQLiteIndex(db) as idx:
        assert idx.db.meta["schema_version"] == "4" and idx.db.meta["shingles"] == "pending"
        assert [Detector(idx).check(s).to_dict(include_all=True) for s in suspects] == before
        Detector(idx).add([Article("late", METRO + "（完）", "地铁九号线开通（完）")])
    stored = _stored_shingles(db)
    assert stored["late"] is not None and all(stored[i] is None for i in stories)
    with SQLiteIndex(db) as idx:
        after_add = [Detector(idx).check(s).to_dict(include_all=True) for s in suspects]
    runner = CliRunner()
    migrated = runner.invoke(cli, ["--db", str(db), "index", "migrate"])
    assert migrated.exit_code == 0, migrated.output
    assert "Migrated 4 articles" in migrated.output
    assert "up to date" in runner.invoke(cli, ["--db", str(db), "index", "migrate"]).output
    assert all(blob is not None for blob in _stored_shingles(db).values())
    with SQLiteIndex(db) as idx:
        assert "shingles" not in idx.db.meta
        assert {r.article.id: r.story for r in idx.get(list(stories))} == stories
        assert [Detector(idx).check(s).to_dict(include_all=True) for s in suspects] == after_add
        records = {r.article.id: r for r in idx.get(list(stored))}
    for art_id, blob in _stored_shingles(db).items():
        assert blob == records[art_id].signature.unique_shingles.astype("<u4").tobytes(), art_id
