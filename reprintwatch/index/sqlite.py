"""The embedded licensed index: one SQLite file (WAL), no server.

Tables: ``meta`` (schema version, fingerprint parameters), ``articles`` (metadata, text, content hash,
signature blob) and ``bands`` (band key → article, ``WITHOUT ROWID`` so a lookup is one B-tree probe).
Band keys are not stored per article: they are a pure function of the stored signature, recomputed
when an article is replaced or deleted.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ..articles import Article
from ..dedupe.fingerprint import FingerprintParams, Signature, band_keys, index_keys
from ..errors import LicensedIndexError
from ..sqlitedb import Database
from .base import (
    SCHEMA_VERSION, AddResult, IndexedArticle, IndexStats, LicensedIndex, check_fingerprint_params, max_key_frequency,
    stored_fingerprint_params, top_candidates, with_rewrite_sketch,
)

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
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER NOT NULL,
    article INTEGER NOT NULL,
    PRIMARY KEY (key, article)
) WITHOUT ROWID;
"""

_MAX_VARS = 900  # stay under SQLITE_MAX_VARIABLE_NUMBER of old builds


class SQLiteIndex(LicensedIndex):
    backend_name = "sqlite"

    def __init__(self, path, params: FingerprintParams | None = None, create: bool = True):
        self.path = Path(path)
        self.db = Database(self.path, "licensed index", _SCHEMA, SCHEMA_VERSION, LicensedIndexError,
                           meta={"fingerprint": json.dumps((params or FingerprintParams()).to_dict())},
                           create=create, remedy="create one with `reprintwatch index add FILE.jsonl` (or point "
                           "--db / REPRINTWATCH_DB at an existing one)")
        self.conn = self.db.conn
        self._transaction = self.db.transaction
        try:
            self.params = self._check_meta(params or FingerprintParams())
        except BaseException:
            self.db.close()
            raise
        self._count: int | None = None

    # --- metadata ---------------------------------------------------------------------------------------
    def _check_meta(self, params: FingerprintParams) -> FingerprintParams:
        return check_fingerprint_params(self.db.meta.get("fingerprint"), params, str(self.path),
                                        "Re-index into a new --db.")

    @classmethod
    def migrate(cls, path) -> int:
        """Bring an index made before the rewrite sketch up to date: add every article's rewrite (fact) keys,
        computed from its stored text, and store the parameters with the sketch — one transaction.
        Returns the number of articles given keys (0: nothing to do)."""
        db = Database(Path(path), "licensed index", _SCHEMA, SCHEMA_VERSION, LicensedIndexError, create=False)
        try:
            stored = stored_fingerprint_params(db.meta.get("fingerprint"), str(path))
            target = with_rewrite_sketch(stored)
            if target == stored:
                return 0
            n = 0
            with db.transaction():
                for rowid, content, blob in db.conn.execute("SELECT rowid, content, signature FROM articles").fetchall():
                    signature = Signature.from_bytes(blob)
                    keys = np.setdiff1d(index_keys(content, signature, target), band_keys(signature.shingles, target))
                    db.conn.executemany("INSERT OR IGNORE INTO bands(key, article) VALUES (?, ?)",
                                        ((int(k), rowid) for k in keys))
                    n += 1
                db.conn.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (json.dumps(target.to_dict()),))
            return n
        finally:
            db.close()

    # --- writes -----------------------------------------------------------------------------------------
    def add(self, items: Sequence[IndexedArticle]) -> AddResult:
        self._count = None
        result = AddResult()
        if not items:
            return result
        with self._transaction():
            for item in items:
                art = item.article
                digest = item.content_hash
                row = self.conn.execute(
                    "SELECT rowid, content_hash, signature, content FROM articles WHERE id = ?", (art.id,)
                ).fetchone()
                if row is not None and row[1] == digest:
                    result.unchanged += 1
                    continue
                values = (art.outlet, art.title, art.url, art.published_at, digest, art.content,
                          item.signature.to_bytes())
                if row is None:
                    cur = self.conn.execute(
                        "INSERT INTO articles(id, outlet, title, url, published_at, content_hash, content,"
                        " signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (art.id, *values),
                    )
                    rowid = cur.lastrowid
                    result.added += 1
                else:
                    rowid = row[0]
                    self._delete_bands(rowid, row[3], Signature.from_bytes(row[2]))
                    self.conn.execute(
                        "UPDATE articles SET outlet=?, title=?, url=?, published_at=?, content_hash=?, content=?,"
                        " signature=?, added_at=strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid=?",
                        (*values, rowid),
                    )
                    result.updated += 1
                self.conn.executemany(
                    "INSERT OR IGNORE INTO bands(key, article) VALUES (?, ?)",
                    ((int(k), rowid) for k in item.keys),
                )
        return result

    def _delete_bands(self, rowid: int, content: str, signature: Signature) -> None:
        keys = index_keys(content, signature, self.params)
        self.conn.executemany("DELETE FROM bands WHERE key = ? AND article = ?", ((int(k), rowid) for k in keys))

    def delete(self, ids: Iterable[str]) -> list[str]:
        self._count = None
        deleted: list[str] = []
        with self._transaction():
            for art_id in ids:
                row = self.conn.execute(
                    "SELECT rowid, signature, content FROM articles WHERE id = ?", (art_id,)).fetchone()
                if row is None:
                    continue
                self._delete_bands(row[0], row[2], Signature.from_bytes(row[1]))
                self.conn.execute("DELETE FROM articles WHERE rowid = ?", (row[0],))
                deleted.append(art_id)
        return deleted

    # --- reads ------------------------------------------------------------------------------------------
    def candidates(self, keys: np.ndarray, limit: int) -> list[tuple[str, int]]:
        if len(keys) == 0:
            return []
        max_df = max_key_frequency(self._article_count())
        counts: dict[int, int] = {}
        key_list = keys.tolist()
        for i in range(0, len(key_list), _MAX_VARS):
            chunk = key_list[i : i + _MAX_VARS]
            marks = ",".join("?" * len(chunk))
            hot = {k for (k,) in self.conn.execute(
                f"SELECT key FROM bands WHERE key IN ({marks}) GROUP BY key HAVING count(*) > ?", (*chunk, max_df)
            )}
            if hot:
                chunk = [k for k in chunk if k not in hot]
                marks = ",".join("?" * len(chunk))
            sql = f"SELECT article, count(*) FROM bands WHERE key IN ({marks}) GROUP BY article"
            for rowid, n in self.conn.execute(sql, chunk):
                counts[rowid] = counts.get(rowid, 0) + n
        return top_candidates(counts, limit, self._names)

    def _names(self, rowids: list[int]) -> dict[int, str]:
        names: dict[int, str] = {}
        for i in range(0, len(rowids), _MAX_VARS):
            chunk = rowids[i : i + _MAX_VARS]
            names.update(self.conn.execute(f"SELECT rowid, id FROM articles WHERE rowid IN ({','.join('?' * len(chunk))})", chunk))
        return names

    def _article_count(self) -> int:
        if self._count is None:
            self._count = self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        return self._count

    def get(self, ids: Sequence[str]) -> list[IndexedArticle]:
        found: dict[str, IndexedArticle] = {}
        id_list = list(ids)
        for i in range(0, len(id_list), _MAX_VARS):
            chunk = id_list[i : i + _MAX_VARS]
            rows = self.conn.execute(
                "SELECT id, content, title, outlet, url, published_at, signature FROM articles"
                f" WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for art_id, content, title, outlet, url, published_at, blob in rows:
                article = Article(art_id, content, title, outlet, url, published_at)
                found[art_id] = IndexedArticle(article, Signature.from_bytes(blob), np.zeros(0, np.int64))
        return [found[i] for i in id_list if i in found]

    def stats(self) -> IndexStats:
        articles = self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        bands = self.conn.execute("SELECT count(*) FROM bands").fetchone()[0]
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

    def close(self) -> None:
        self.db.close()
