"""The embedded licensed index: one SQLite file (WAL), no server.

Tables: ``meta`` (schema version, fingerprint parameters), ``articles`` (metadata, text, content hash,
signature blob, the key run holding its band keys), ``key_runs``: band keys as a few sorted runs of
``(key, article)`` pairs, stored as two blobs a run (``dedupe.lsh.KeyRun``), and ``tokens``: the vocabulary
signatures are written in (index/vocabulary.py: token ids instead of shingle hashes).

Why runs instead of one row per (key, article) — the layout of schema 1: at 100k articles the row table
took ~9 KB an article (a B-tree cell, its header and page slack around every 16 bytes of data) and a
check's ``key IN (…) GROUP BY`` probe cost more than segmenting the text. A run is ~6.5 bytes a key on disk
(``KeyRun.to_bytes``: gaps between sorted keys in byte planes; 12 bytes in memory), is read once per process (a
few large blobs, decoded at ~60 ns a key) and answered by binary search in memory.
Writers stay transactional — a batch is one new run, written with its articles in one transaction;
runs of similar size are merged (at most ``_FANOUT - 1`` runs a size tier, so a lookup searches a handful
of arrays); deleting or replacing an article rewrites the run that held it. Readers in other processes
see a commit through ``PRAGMA data_version`` and load only the runs they do not hold yet; a read loads all
it needs inside one read transaction, so it never mixes two states of the file.
"""
from __future__ import annotations

import dataclasses
import json
from contextlib import contextmanager
import math
import sqlite3
import time
from collections import OrderedDict
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from ..articles import Article
from ..dedupe.fingerprint import FingerprintParams, index_keys
from ..dedupe.arrays import unique_sorted
from ..dedupe.lsh import KeyRun, SearchRuns, batch_shared_key_counts, make_run, merge_runs, shared_key_counts
from ..dedupe.segment import segmenter
from ..errors import LicensedIndexError
from ..sqlitedb import Database
from .vocabulary import SCHEMA as _TOKENS_SCHEMA, TokenVocabulary
from .base import SCHEMA_VERSION, migration_target, AddResult, OptimizeResult, IndexedArticle, IndexStats, LicensedIndex, check_fingerprint_params, max_key_frequency, Candidate

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    outlet TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    published_at TEXT,
    content_hash TEXT NOT NULL,
    content TEXT NOT NULL,
    signature BLOB NOT NULL,
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    run INTEGER NOT NULL DEFAULT 0,
    story TEXT NOT NULL DEFAULT '',  -- the label of its story (dedupe/relations.py), '' while not assigned
    shingles BLOB  -- its distinct shingles as sorted uint32, schema 4: NULL until stored, see _upgrade_3
);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story);
CREATE INDEX IF NOT EXISTS articles_run ON articles(run);
CREATE TABLE IF NOT EXISTS key_runs (
    run INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: readers cache runs by id
    entries INTEGER NOT NULL,
    keys BLOB NOT NULL,
    owners BLOB NOT NULL
);
""" + _TOKENS_SCHEMA + ";\n"

#: Runs of one size tier (entries within a factor ``_FANOUT``) are merged when there are ``_FANOUT`` of them:
#: each key is rewritten about log_4(total / batch) times over the life of an index (~4× at 100k articles).
_FANOUT = 4
_TIER_BASE = 50_000  # entries: runs below this are all tier 0
_MAX_RUN = 1 << 24  # entries (a 128 MB keys blob): bigger runs are not merged further (SQLite blobs < 1 GB)

#: Pages of a new index file. Rows of an article (text, signature, metadata: ~5 KB) spill into overflow
#: pages, and what is left of each row in its leaf page varies from 0.5 to 4 KB, so leaves stay part-empty:
#: 730 bytes an article with 4 KB pages, 175 with 1 KB (10k real articles; index 7.8 → 7.3 KB an article).
#: Reading the key runs through 4× as many overflow pages costs ~30 ms at 10k articles, once per process.
_PAGE_SIZE = 1024

_MAX_VARS = 900  # stay under SQLITE_MAX_VARIABLE_NUMBER of old builds

def _upgrade_3(conn: sqlite3.Connection) -> None:
    """Schema 3 → 4, when a file is opened (inside the opening transaction): the ``shingles`` column — each
    article's distinct shingles, sorted, as uint32: what listing it as a version of a reported story reads
    (``unique_shingles``), written with its signature by ``add``. It is NULL for the articles already stored:
    they are read from their signatures, the same values, until ``index migrate`` fills it (``meta.shingles =
    'pending'`` until then). Adding a column rewrites no row."""
    conn.execute("ALTER TABLE articles ADD COLUMN shingles BLOB")
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('shingles', 'pending')")


def _shingles_blob(unique_shingles: np.ndarray) -> bytes:
    """The stored form of an article's distinct shingles (``articles.shingles``): sorted uint32, as they are
    (``np.frombuffer`` reads them back)."""
    return np.ascontiguousarray(unique_shingles, dtype="<u4").tobytes()


#: Records ``get`` keeps for the next ones (least recently used dropped first): ~20 KB each (text, signature
#: arrays), so ~20 MB at most.
_CACHED_RECORDS = 1024


class SQLiteIndex(LicensedIndex):
    backend_name = "sqlite"

    def __init__(self, path, params: FingerprintParams | None = None, create: bool = True, _migrating: bool = False):
        self.path = Path(path)
        _refuse_schema_1(self.path)
        self.db = Database(self.path, "licensed index", _SCHEMA, SCHEMA_VERSION, LicensedIndexError,
                           meta={"fingerprint": json.dumps((params or FingerprintParams()).to_dict()),
                                 # informational: both implementations give jieba's cuts (dedupe/segment.py)
                                 "segmenter": segmenter()},
                           create=create, page_size=_PAGE_SIZE, upgrades={3: _upgrade_3},
                           remedy="create one with `reprintwatch index add FILE.jsonl` (or point "
                           "--db / REPRINTWATCH_DB at an existing one)")
        self.conn = self.db.conn
        try:
            self.params = self._check_meta(params or FingerprintParams())
        except BaseException:
            self.db.close()
            raise
        # the in-memory key table: run id → KeyRun, the row → id map, and the data_version they were read at
        self._runs: dict[int, KeyRun] = {}
        # runs this connection wrote, by id, until the key table is next read: a merge or a reload takes them
        # from here instead of decoding the blobs just written (decoding was 0.05 of ~1.3 ms a stored article,
        # 5,500 real articles); dropped when a write fails (its run ids are handed out again)
        self._fresh: dict[int, KeyRun] = {}
        self._search_runs = SearchRuns()  # what a lookup searches: large runs, and the small ones merged
        self._search: list[KeyRun] | None = None
        self._seen_version: int | None = None
        self._count = 0
        self._rowids = np.zeros(0, np.int64)
        self._names: list[str] = []
        self._story_codes = np.zeros(0, np.int64)  # per row of _rowids: its story, as a number
        self._stories: dict[str, str] = {}  # id → story, for rows in stories of several articles
        self._vocab = TokenVocabulary(self.conn)
        self._cache: OrderedDict[str, IndexedArticle] = OrderedDict()  # get's records, least recently used first
        self._cache_state: tuple | None = None
        if self.db.meta.get("stories") == "pending" and not _migrating:
            self.db.close()
            raise LicensedIndexError(
                f"{self.path}: its stories (versions of one text) were being assigned when `index migrate` was "
                f"interrupted; finish it with `reprintwatch --db {self.path} index migrate`")

    # --- metadata ---------------------------------------------------------------------------------------
    def _check_meta(self, params: FingerprintParams) -> FingerprintParams:
        return check_fingerprint_params(self.db.meta.get("fingerprint"), params, str(self.path),
                                        "Re-index into a new --db.")

    # --- writes -----------------------------------------------------------------------------------------
    @contextmanager
    def _transaction(self):
        """The file's write transaction (``Database.transaction``); when it fails, the runs held as written
        (``_fresh``) are dropped with it."""
        try:
            with self.db.transaction() as conn:
                yield conn
        except BaseException:
            self._fresh = {}
            raise

    def add(self, items: Sequence[IndexedArticle]) -> AddResult:
        if not items:
            return AddResult()
        items = self.assign_stories(items)
        self._seen_version = None
        try:
            return self._add(items)
        except BaseException:
            self._vocab.forget()  # it may hold tokens of the rolled-back transaction
            raise

    def _add(self, items: Sequence[IndexedArticle]) -> AddResult:
        result = AddResult()
        new_keys: list[np.ndarray] = []
        new_owners: list[int] = []
        replaced: dict[int, list[int]] = {}  # run → rowids whose keys leave it
        with self._transaction():
            self._vocab.refresh()
            blobs = self._vocab.encode([item.signature for item in items])
            existing = self._rows_of([item.article.id for item in items])
            # the batch's run gets its id first, so its articles are written pointing at it: setting ``run``
            # afterwards rewrote every row of the batch, text included (47 µs an article against 30 µs for the
            # INSERT itself, 2,000 real articles in 500-article batches)
            run_id = self.conn.execute("INSERT INTO key_runs(entries, keys, owners) VALUES (0, x'', x'')").lastrowid
            for n, item in enumerate(items):
                art = item.article
                digest = item.content_hash
                row = existing.get(art.id)
                if row is not None and row[1] == digest:
                    result.unchanged += 1
                    continue
                # the distinct shingles are written with the signature they come from, in the same row: a changed
                # article's are replaced with it, a deleted one's go with its row
                values = (art.outlet, art.title, art.url, art.published_at, digest, art.content, blobs[n], item.story,
                          _shingles_blob(item.signature.unique_shingles))
                if row is None:
                    cur = self.conn.execute(
                        "INSERT INTO articles(id, outlet, title, url, published_at, content_hash, content,"
                        " signature, story, shingles, run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (art.id, *values, run_id),
                    )
                    rowid = cur.lastrowid
                    if rowid >= 2**32:  # key runs store row numbers as uint32
                        raise LicensedIndexError(f"{self.path}: article row numbers beyond 2**32; re-create the index")
                    result.added += 1
                else:
                    rowid = row[0]
                    if rowid in new_owners:  # the same id twice in one batch: the last one wins
                        i = new_owners.index(rowid)
                        del new_owners[i], new_keys[i]
                    else:
                        replaced.setdefault(row[2], []).append(rowid)
                    self.conn.execute(
                        "UPDATE articles SET outlet=?, title=?, url=?, published_at=?, content_hash=?, content=?,"
                        " signature=?, story=?, shingles=?, added_at=strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), run=? WHERE rowid=?",
                        (*values, run_id, rowid),
                    )
                    result.updated += 1
                existing[art.id] = (rowid, digest, run_id)  # what a second copy of this id in the batch finds
                new_keys.append(np.asarray(item.keys, dtype=np.int64))
                new_owners.append(rowid)
            self._remove_from_runs(replaced)
            run = make_run(new_keys, new_owners)
            if len(run):
                keys, owners = run.to_bytes()
                self.conn.execute("UPDATE key_runs SET entries = ?, keys = ?, owners = ? WHERE run = ?",
                                  (len(run), keys, owners, run_id))
                self._fresh[run_id] = run
            else:
                self.conn.execute("UPDATE articles SET run = -1 WHERE run = ?", (run_id,))
                self.conn.execute("DELETE FROM key_runs WHERE run = ?", (run_id,))
            self._compact()
        return result

    def _rows_of(self, ids: list[str]) -> dict[str, tuple[int, str, int]]:
        """``id → (rowid, content_hash, run)`` of those ids already stored: one query per 500 ids (a query
        per article was a tenth of storing a batch)."""
        out: dict[str, tuple[int, str, int]] = {}
        distinct = list(dict.fromkeys(ids))
        for i in range(0, len(distinct), 500):
            chunk = distinct[i : i + 500]
            sql = f"SELECT id, rowid, content_hash, run FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
            out.update((r[0], (r[1], r[2], r[3])) for r in self.conn.execute(sql, chunk))
        return out

    def _write_run(self, run: KeyRun, from_runs: Sequence[int]) -> None:
        """Store ``run`` and point the articles of ``from_runs`` (0: the batch being added) at it."""
        marks = ",".join("?" * len(from_runs))
        if len(run) == 0:
            self.conn.execute(f"UPDATE articles SET run = -1 WHERE run IN ({marks})", list(from_runs))
            return
        keys, owners = run.to_bytes()
        cur = self.conn.execute("INSERT INTO key_runs(entries, keys, owners) VALUES (?, ?, ?)",
                                (len(run), keys, owners))
        self._fresh[cur.lastrowid] = run
        self.conn.execute(f"UPDATE articles SET run = ? WHERE run IN ({marks})", (cur.lastrowid, *from_runs))

    def _load_run(self, run_id: int) -> KeyRun:
        held = self._runs.get(run_id) or self._fresh.get(run_id)  # a run id is never reused once committed
        if held is not None:
            return held
        keys, owners, entries = self.conn.execute("SELECT keys, owners, entries FROM key_runs WHERE run = ?",
                                                  (run_id,)).fetchone()
        return KeyRun.from_bytes(keys, owners, entries)

    def _remove_from_runs(self, rowids_by_run: dict[int, list[int]]) -> None:
        """Rewrite each run without the keys of those rows (replaced or deleted articles)."""
        for run_id, rowids in rowids_by_run.items():
            if run_id <= 0:
                continue
            run = self._load_run(run_id).without(np.asarray(rowids, dtype=np.int64))
            self.conn.execute("DELETE FROM key_runs WHERE run = ?", (run_id,))
            self._write_run(run, from_runs=[run_id])

    def _compact(self) -> None:
        """Merge runs of one size tier once there are ``_FANOUT`` of them (smallest tier first)."""
        while True:
            tiers: dict[int, list[tuple[int, int]]] = {}
            for run_id, entries in self.conn.execute("SELECT run, entries FROM key_runs ORDER BY run"):
                if entries < _MAX_RUN:
                    tier = 0 if entries < _TIER_BASE else 1 + int(math.log(entries / _TIER_BASE, _FANOUT))
                    tiers.setdefault(tier, []).append((run_id, entries))
            full = [t for t in sorted(tiers) if len(tiers[t]) >= _FANOUT]
            if not full:
                return
            members = tiers[full[0]]
            ids = [r for r, _ in members]
            merged = merge_runs([self._load_run(r) for r in ids])
            self.conn.execute(f"DELETE FROM key_runs WHERE run IN ({','.join('?' * len(ids))})", ids)
            self._write_run(merged, from_runs=ids)

    def delete(self, ids: Iterable[str]) -> list[str]:
        self._seen_version = None
        deleted: list[str] = []
        with self._transaction():
            gone: dict[int, list[int]] = {}
            for art_id in ids:
                row = self.conn.execute("SELECT rowid, run FROM articles WHERE id = ?", (art_id,)).fetchone()
                if row is None or art_id in deleted:
                    continue
                gone.setdefault(row[1], []).append(row[0])
                self.conn.execute("DELETE FROM articles WHERE rowid = ?", (row[0],))
                deleted.append(art_id)
            self._remove_from_runs(gone)
        return deleted

    forkable = True

    def reopen(self) -> None:
        """In a forked worker: a connection of its own (SQLite connections must not cross a fork); the key
        table loaded by the parent is kept — shared copy-on-write, never written — and refreshed as usual."""
        self._inherited = self.db  # not closed: closing it here could drop the parent's locks
        self.db = Database(self.path, "licensed index", _SCHEMA, SCHEMA_VERSION, LicensedIndexError, create=False,
                           upgrades={3: _upgrade_3})
        self.conn = self.db.conn
        self._seen_version = None
        self._vocab.conn = self.conn

    # --- reads ------------------------------------------------------------------------------------------
    def _search_table(self) -> list[KeyRun]:
        """The runs a single lookup searches (``SearchRuns``: the small ones merged), after :meth:`_key_table`.
        Merged only when a single lookup asks: ``index add`` changes the runs every batch and its story search
        (``candidates_many``) does not need them merged (re-merging ~1M entries a batch was a tenth of it)."""
        self._key_table()
        if self._search is None:
            self._search = self._search_runs.update(self._runs)
        return self._search

    def _key_table(self) -> None:
        """The runs and the row → id map, loaded once per process and refreshed when the file changed (own or
        other writers: ``PRAGMA data_version``); runs already held are kept (a run never changes)."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._seen_version:
            self.conn.execute("BEGIN")  # a read transaction: one consistent snapshot of runs and ids
            try:
                present = [r[0] for r in self.conn.execute("SELECT run FROM key_runs")]
                runs = {r: self._load_run(r) for r in present}
                rows = self.conn.execute("SELECT rowid, id, story FROM articles ORDER BY rowid").fetchall()
            finally:
                self.conn.execute("COMMIT")
            self._runs = runs
            self._fresh = {}
            self._search = None  # merged on the first single lookup (candidates_many searches the runs as they are)
            self._rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            self._names = [r[1] for r in rows]
            codes: dict[str, int] = {}
            self._story_codes = np.fromiter((codes.setdefault(r[2] or r[1], len(codes)) for r in rows),
                                            dtype=np.int64, count=len(rows))
            sizes = np.bincount(self._story_codes, minlength=len(codes)) if len(rows) else self._story_codes
            self._stories = {r[1]: r[2] for r, code in zip(rows, self._story_codes.tolist()) if sizes[code] > 1 or r[2] != r[1]}
            self._count = len(rows)
            self._seen_version = version

    def candidates(self, keys: np.ndarray, limit: int) -> list[tuple[str, int]]:
        if len(keys) == 0 or limit <= 0:
            return []
        runs = self._search_table()
        owners, shared = shared_key_counts(runs, keys, max_key_frequency(self._count))
        return self._top(owners, np.zeros(len(owners), np.int64), shared, [limit])[0]

    def candidates_many(self, queries: Sequence[tuple[np.ndarray, int, int]]) -> list[list[tuple[str, int]]]:
        """:meth:`candidates` of each query, the batch's keys searched at once (``batch_shared_key_counts``: one
        search of each run for all of them) and the best of each lookup picked together (:meth:`_top`). Asked
        one at a time, a lookup's ~30 numpy calls for each article of an ``index add`` batch were half of its
        story search (cProfile, 5,500 real articles). Owners sharing fewer than ``least`` keys are dropped before
        the story grouping: the representative of a story that stays is its member sharing most keys either way."""
        out: list[list[tuple[str, int]]] = [[] for _ in queries]
        todo = [n for n, (keys, limit, _) in enumerate(queries) if len(keys) and limit > 0]
        if not todo:
            return out
        if len(todo) == 1:  # one lookup: the merged runs, as candidates() searches them
            runs = self._search_table()
        else:
            self._key_table()
            runs = self._search if self._search is not None else list(self._runs.values())
        distinct = [unique_sorted(np.asarray(queries[n][0], dtype=np.int64)) for n in todo]
        which = np.repeat(np.arange(len(todo), dtype=np.int64), [len(k) for k in distinct])
        owners, which, shared = batch_shared_key_counts(runs, np.concatenate(distinct), which,
                                                        max_key_frequency(self._count))
        least = np.asarray([queries[n][2] for n in todo], dtype=np.int64)
        keep = shared >= least[which]
        for n, found in zip(todo, self._top(owners[keep], which[keep], shared[keep], [queries[n][1] for n in todo])):
            out[n] = found
        return out

    def _top(self, owners: np.ndarray, which: np.ndarray, shared: np.ndarray, limits: Sequence[int]
             ) -> list[list[tuple[str, int]]]:
        """The candidates of lookups from their counts (``owners`` holding ``shared`` keys of lookup ``which``):
        for lookup ``j``, one representative a story, at most ``limits[j]`` stories (``top_candidates``). The
        owners that cannot make a lookup's cut are dropped in numpy, for all lookups at once: only the members
        sharing most keys of each story, and of those only the ones at or above the ``limit``-th story's count
        (hundreds of one-key owners per check made top_candidates' Python dict and sort ~0.3 ms of a lookup); what
        is left is ordered a story at a time, as top_candidates orders it."""
        out: list[list[tuple[str, int]]] = [[] for _ in limits]
        if not len(owners):
            return out
        owners = owners.astype(np.int64)
        pos = np.minimum(np.searchsorted(self._rowids, owners), max(0, len(self._rowids) - 1))
        codes = self._story_codes[pos] if len(self._rowids) else owners
        # by lookup, story, most shared first: the first of each (lookup, story) is its best count
        order = np.lexsort((-shared, codes, which))
        owners, which, shared, codes, pos = owners[order], which[order], shared[order], codes[order], pos[order]
        head = np.concatenate(([True], (which[1:] != which[:-1]) | (codes[1:] != codes[:-1])))
        keep = shared == shared[head][np.cumsum(head) - 1]  # ties with the best: top_candidates orders them by id
        owners, which, shared, pos, head, codes = owners[keep], which[keep], shared[keep], pos[keep], head[keep], codes[keep]
        # each lookup's stories, best count first: the limit-th of them is the lowest count that can make the cut
        story_which, story_best = which[head], shared[head]
        by_best = np.lexsort((-story_best, story_which))
        story_which, story_best = story_which[by_best], story_best[by_best]
        rank = np.arange(len(story_which)) - np.searchsorted(story_which, story_which)
        limit_of = np.asarray(limits, dtype=np.int64)
        at_limit = rank == limit_of[story_which] - 1
        cut = np.zeros(len(limits), np.int64)
        cut[story_which[at_limit]] = story_best[at_limit]
        keep = shared >= cut[which]
        owners, which, shared, pos, codes = owners[keep], which[keep], shared[keep], pos[keep], codes[keep]
        found = self._rowids[pos] == owners if len(self._rowids) else np.zeros(len(owners), bool)
        which, shared, pos, codes = which[found], shared[found], pos[found], codes[found]
        if not len(which):
            return out
        # what is left is, by lookup and story, the members tied with their story's best count: top_candidates'
        # answer is each story's member of least id, stories by (most shared, that id), the first ``limit``.
        # Worked out a story at a time: the slowest checks at 100k licensed keep ~600 members of ~50 stories,
        # whose Candidate objects, sort and dict in top_candidates were ~3 of a lookup's ~7 ms (CPU, the slowest
        # 4 % of bench/speed.py's 1,000 checks, cc1bc49). Ties by id compare the ids as Python does (min, sort).
        names, stories = self._names, self._stories
        group = np.flatnonzero(np.concatenate(([True], (which[1:] != which[:-1]) | (codes[1:] != codes[:-1]))))
        ends = np.append(group[1:], len(which)).tolist()
        pos_list = pos.tolist()
        getname = names.__getitem__
        ranked: list[list[tuple[int, str]]] = [[] for _ in limits]
        for a, b, j, n in zip(group.tolist(), ends, which[group].tolist(), shared[group].tolist()):
            ranked[j].append((-n, names[pos_list[a]] if b - a == 1 else min(map(getname, pos_list[a:b]))))
        for j, stories_met in enumerate(ranked):
            if stories_met and limits[j] > 0:
                stories_met.sort()
                out[j] = [Candidate(i, -n, stories.get(i, "")) for n, i in stories_met[: limits[j]]]
        return out

    def _cached_records(self) -> OrderedDict[str, IndexedArticle]:
        """The records kept from earlier ``get`` s, emptied when the file may have changed since: a commit of
        another connection (``PRAGMA data_version``), a change made through this one (``total_changes``, which
        counts uncommitted ones too), or another connection object (a worker's reopened index)."""
        state = (self.conn, self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes)
        if self._cache_state is None or state[0] is not self._cache_state[0] or state[1:] != self._cache_state[1:]:
            self._cache.clear()
            self._cache_state = state
        return self._cache

    def get(self, ids: Sequence[str]) -> list[IndexedArticle]:
        # records read before are served again while the file is unchanged: a story copied by many suspects is
        # met by check after check, and its records (its representative, and for a reprint every member listed
        # as a version) were read and decoded each time — 34 % of the records a scan reads at 10k are repeats
        # across its batches, and decoding was ~5 % of its CPU (py-spy, bench/speed.py's 1,060 texts, e92451c)
        cache = self._cached_records()
        found: dict[str, IndexedArticle] = {}
        id_list = list(ids)
        for art_id in id_list:
            if art_id in cache:
                found[art_id] = cache[art_id]
                cache.move_to_end(art_id)
        missing = [i for i in dict.fromkeys(id_list) if i not in found]
        for rows in self._stored_rows(missing):
            signatures = self._vocab.decode([blob for _, blob, _ in rows], self.params.shingle_size)
            for (article, _, story), signature in zip(rows, signatures):
                found[article.id] = IndexedArticle(article, signature, np.zeros(0, np.int64), story)
        cache.update((i, found[i]) for i in missing if i in found)  # in the order asked
        while len(cache) > _CACHED_RECORDS:
            cache.popitem(last=False)
        return [found[i] for i in id_list if i in found]

    def unique_shingles(self, ids: Sequence[str]) -> list[tuple[Article, np.ndarray]]:
        # records kept by get() are used as they are; the others are not kept (they are no whole records): the
        # versions a scan lists are ~12,000 reads at 100k licensed, 15,160 of 17,569 records asked for distinct,
        # so keeping them would mostly push out candidates. Their distinct shingles are stored as they are
        # (schema 4: no zlib, no token ids to hash, no sort); a row of an index upgraded from schema 3 and not
        # migrated yet has none and is decoded from its signature (the same values)
        cache = self._cached_records()
        found = {i: (cache[i].article, cache[i].signature.unique_shingles) for i in ids if i in cache}
        missing = [i for i in dict.fromkeys(ids) if i not in found]
        for i in range(0, len(missing), _MAX_VARS):
            chunk = missing[i : i + _MAX_VARS]
            old = []
            for art_id, content, title, outlet, url, published_at, stored, blob in self.conn.execute(
                    "SELECT id, content, title, outlet, url, published_at, shingles,"
                    " CASE WHEN shingles IS NULL THEN signature END FROM articles"
                    f" WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                article = Article(art_id, content, title, outlet, url, published_at)
                if stored is None:
                    old.append((article, blob))
                else:
                    found[art_id] = (article, np.frombuffer(stored, dtype="<u4"))
            if old:
                shingles = self._vocab.unique_shingles([blob for _, blob in old], self.params.shingle_size)
                found.update((article.id, (article, u)) for (article, _), u in zip(old, shingles))
        return [found[i] for i in ids if i in found]

    def _stored_rows(self, ids: list[str]) -> Iterator[list[tuple[Article, bytes, str]]]:
        """``(article, signature blob, story)`` of those ``ids`` stored, a list a chunk of ids."""
        for i in range(0, len(ids), _MAX_VARS):
            chunk = ids[i : i + _MAX_VARS]
            yield [(Article(art_id, content, title, outlet, url, published_at), blob, story)
                   for art_id, content, title, outlet, url, published_at, blob, story in self.conn.execute(
                       "SELECT id, content, title, outlet, url, published_at, signature, story FROM articles"
                       f" WHERE id IN ({','.join('?' * len(chunk))})", chunk)]

    def members(self, stories: Iterable[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        wanted = sorted(set(stories))
        for i in range(0, len(wanted), _MAX_VARS):
            chunk = wanted[i : i + _MAX_VARS]
            for story, art_id in self.conn.execute(
                    f"SELECT story, id FROM articles WHERE story IN ({','.join('?' * len(chunk))}) ORDER BY story, id",
                    chunk):
                out.setdefault(story, []).append(art_id)
        return out

    def _stored_stories(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for i in range(0, len(ids), _MAX_VARS):
            chunk = list(ids[i : i + _MAX_VARS])
            out.update((r[0], (r[1], r[2])) for r in self.conn.execute(
                f"SELECT id, content_hash, story FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def _assign_all(self, batch_size: int = 500) -> int:
        """Give every article its story, in the order they were added (rowid): ``index migrate`` of an index
        made before stories. Returns the articles assigned."""
        with self._transaction():
            self.conn.execute("UPDATE articles SET story = ''")
        last, done = 0, 0
        while True:
            rows = self.conn.execute("SELECT rowid, id FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                     (last, batch_size)).fetchall()
            if not rows:
                return done
            records = self.get([r[1] for r in rows])
            items = [dataclasses.replace(r, keys=index_keys(r.article.content, r.signature, self.params))
                     for r in records]
            items = self.assign_stories(items, again=True)
            self._seen_version = None
            with self._transaction():
                self.conn.executemany("UPDATE articles SET story = ? WHERE id = ?",
                                      [(i.story, i.article.id) for i in items])
            last, done = rows[-1][0], done + len(rows)

    def stats(self) -> IndexStats:
        articles = self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        bands = self.conn.execute("SELECT coalesce(sum(entries), 0) FROM key_runs").fetchone()[0]
        outlets = dict(
            self.conn.execute("SELECT outlet, count(*) FROM articles GROUP BY outlet ORDER BY count(*) DESC, outlet")
        )
        page_size = self.conn.execute("PRAGMA page_size").fetchone()[0]
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        return IndexStats(
            backend=self.backend_name,
            location=str(self.path),
            articles=articles,
            band_keys=bands,
            outlets=outlets,
            size_bytes=page_size * pages,
            params=self.params.to_dict(),
        )

    @classmethod
    def migrate(cls, path, batch_size: int = 2000) -> int:
        """Upgrade an index of an older schema in place; returns the articles migrated.

        Schema 1 or 2, or other keys: band keys are recomputed from the stored signatures with the index's own
        parameters (they are a pure function of them) and written as runs (schema 1's table dropped), in one
        transaction (an interrupted migration leaves the old index as it was), then stories are assigned.
        Schema 3 (or a file opened since and upgraded to 4 on open): each article's distinct shingles are
        stored from its signature (``articles.shingles``), a transaction a batch; an interrupted run leaves
        rows without them, read from their signatures meanwhile, and is finished by running it again."""
        path = Path(path)
        # identified (ours, or an earlier version's) and quick-checked before anything is written
        db = Database(path, "licensed index", None, SCHEMA_VERSION, LicensedIndexError, create=False)
        index = cls.__new__(cls)
        index.path = path
        index.conn = conn = db.conn
        index._runs, index._fresh = {}, {}
        conn.row_factory = None
        try:
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row[0]) if row else 0
            stored = FingerprintParams.from_dict(json.loads(
                conn.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()[0]))
            # an index made before the rewrite sketch or shorter keys gets them (index.base.migration_target)
            params = migration_target(stored)
            pending = conn.execute("SELECT value FROM meta WHERE key='stories'").fetchone()
            shingles_pending = conn.execute("SELECT value FROM meta WHERE key='shingles'").fetchone()
            if version == SCHEMA_VERSION and params == stored and pending is None and shingles_pending is None:
                return 0
            # stories are assigned again only when there were none or the keys they are found by change (a
            # schema-3 index keeps its stories: only its shingles are stored)
            redo_stories = version < 3 or params != stored or pending is not None
            if version not in (1, 2, 3, SCHEMA_VERSION):
                raise LicensedIndexError(f"{path} has index schema version {version}; re-create it with "
                                         "`reprintwatch index add`")
            done = 0
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(_TOKENS_SCHEMA)
                vocab = TokenVocabulary(conn)
                if version == 1:
                    conn.execute("DROP TABLE IF EXISTS bands")
                    conn.execute("ALTER TABLE articles ADD COLUMN run INTEGER NOT NULL DEFAULT -2")
                    for statement in _SCHEMA.split(";"):
                        if "key_runs" in statement or "articles_run" in statement:
                            conn.execute(statement)
                elif params != stored:  # every key is rebuilt: band keys from the signatures, fact keys from the texts
                    conn.execute("DELETE FROM key_runs")
                    conn.execute("UPDATE articles SET run = -2")
                columns = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
                if "story" not in columns:  # stories (versions of one text) are assigned below, once the keys are there
                    conn.execute("ALTER TABLE articles ADD COLUMN story TEXT NOT NULL DEFAULT ''")
                    conn.execute("CREATE INDEX IF NOT EXISTS articles_story ON articles(story)")
                if "shingles" not in columns:  # filled below, from the signatures
                    _upgrade_3(conn)
                else:
                    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('shingles', 'pending')")
                if redo_stories:
                    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('stories', 'pending')")
                last = 0
                while version == 1 or params != stored:
                    rows = conn.execute("SELECT rowid, signature, content FROM articles WHERE rowid > ? ORDER BY rowid"
                                        " LIMIT ?", (last, batch_size)).fetchall()
                    if not rows:
                        break
                    owners = [r for r, _, _ in rows]
                    signatures = vocab.decode([blob for _, blob, _ in rows], stored.shingle_size)
                    keys = [index_keys(content, sig, params) for (_, _, content), sig in zip(rows, signatures)]
                    conn.execute(f"UPDATE articles SET run = 0 WHERE rowid IN ({','.join('?' * len(owners))})", owners)
                    index._write_run(make_run(keys, owners), from_runs=[0])
                    index._compact()
                    last = owners[-1]
                    done += len(rows)
                conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
                conn.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (json.dumps(params.to_dict()),))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise LicensedIndexError(f"cannot migrate licensed index {path}: {exc}") from None
        finally:
            conn.close()
        # each article's story, in the order they were added (an interrupted run is refused on open and redone)
        with cls(path, params, create=False, _migrating=True) as index:
            if redo_stories:
                done = index._assign_all()
                with index._transaction():
                    index.conn.execute("DELETE FROM meta WHERE key = 'stories'")
            done = max(done, index._fill_shingles())
            with index._transaction():
                index.conn.execute("DELETE FROM meta WHERE key = 'shingles'")
        return done

    def _fill_shingles(self, batch_size: int = 500) -> int:
        """Store the distinct shingles of every article that has none (``index migrate`` of a schema-3 index),
        decoded from its signature inside the transaction that writes them, a batch at a time. Returns the
        articles filled."""
        last, done = 0, 0
        while True:
            with self._transaction():
                rows = self.conn.execute("SELECT rowid, signature FROM articles WHERE rowid > ? AND shingles IS NULL"
                                         " ORDER BY rowid LIMIT ?", (last, batch_size)).fetchall()
                if not rows:
                    return done
                self._vocab.refresh()
                shingles = self._vocab.unique_shingles([r[1] for r in rows], self.params.shingle_size)
                self.conn.executemany("UPDATE articles SET shingles = ? WHERE rowid = ?",
                                      [(_shingles_blob(u), r[0]) for r, u in zip(rows, shingles)])
            last, done = rows[-1][0], done + len(rows)

    def optimize(self) -> OptimizeResult:
        """Merge the key runs into as few as fit (runs of ``_MAX_RUN`` entries at most), in one
        transaction, then ``PRAGMA optimize``. A lookup pays a fixed cost per run it searches; ``add``
        leaves up to ``_FANOUT - 1`` runs a size tier. Readers see the old runs or the new, never a mix."""
        t0 = time.perf_counter()
        self._seen_version = None
        with self._transaction():
            runs = self.conn.execute("SELECT run, entries FROM key_runs ORDER BY entries, run").fetchall()
            groups: list[list[int]] = [[]]
            size = 0
            for run_id, entries in runs:
                if entries >= _MAX_RUN:
                    continue
                if size + entries > _MAX_RUN:
                    groups.append([])
                    size = 0
                groups[-1].append(run_id)
                size += entries
            for ids in groups:
                if len(ids) > 1:
                    merged = merge_runs([self._load_run(r) for r in ids])
                    self.conn.execute(f"DELETE FROM key_runs WHERE run IN ({','.join('?' * len(ids))})", ids)
                    self._write_run(merged, from_runs=ids)
            after = self.conn.execute("SELECT count(*) FROM key_runs").fetchone()[0]
        self.conn.execute("PRAGMA optimize")
        return OptimizeResult("key run", len(runs), after, time.perf_counter() - t0)

    def close(self) -> None:
        self.db.close()


def _refuse_schema_1(path: Path) -> None:
    """A schema-1 index (one row per band key) or schema-2 one (no stories) is refused with the way to upgrade it, before anything is
    written to it (the shared opener would otherwise try to create schema 2's tables in it)."""
    if not path.is_file():  # missing, or a pipe or device: the shared opener says so (opening a FIFO blocks)
        return
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is not None and row[0] == "2" and not conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'key_runs'").fetchone():
                row = None  # not an index of ours: the opener says whose it may be
        finally:
            conn.close()
    except sqlite3.Error:
        return  # not readable as an index: the opener says what is wrong with it
    if row is not None and row[0] in ("1", "2"):
        raise LicensedIndexError(
            f"{path} has licensed index schema version {row[0]}, this reprintwatch uses {SCHEMA_VERSION} "
            "(stories: versions of one text grouped when indexed); upgrade it in "
            f"place with `reprintwatch --db {path} index migrate` (it re-uses the stored signatures), or "
            "re-create it with `reprintwatch index add`"
        )
