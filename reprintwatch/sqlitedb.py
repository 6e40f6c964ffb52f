"""One way to open a reprintwatch SQLite file and one way to write to it (after sqlite-utils' ``Database``).

Both SQLite files reprintwatch keeps — the licensed index and the findings store — are opened here:

* the file says what it is (``meta.kind``), and a file of the other kind (the store given as ``--db``, the
  index as ``--store``), a foreign database or a corrupt file is refused *before* anything is written to it;
* the schema is created and ``meta`` initialised inside one ``BEGIN IMMEDIATE`` transaction with
  ``INSERT OR IGNORE``, so processes opening a new file at the same moment agree on one set of metadata;
* every write goes through :meth:`Database.transaction` (``BEGIN IMMEDIATE``; nested calls join the outer
  transaction). Taking the write lock at ``BEGIN`` means a reader never has to upgrade to a writer inside
  a transaction, which SQLite answers with an immediate ``database is locked`` instead of waiting.
"""
from __future__ import annotations

import re
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

# Seconds a writer waits for another process's write lock before giving up. A whole ingest page or an
# index batch of 500 articles commits in well under a second; a minute covers a busy machine.
BUSY_TIMEOUT = 60.0

# A table only one kind of file has: how a file made before ``meta.kind`` existed is recognised.
# (The licensed index keeps its band keys in ``bands`` in schema 1 and in ``key_runs`` from schema 2.)
MARKER_TABLES = {"store": ("suspects",), "licensed index": ("bands", "key_runs")}


class Transactions:
    """The one transaction idiom of both store engines (this module's SQLite, :mod:`reprintwatch.pgdb`'s
    PostgreSQL): :meth:`transaction` on the engine's ``_begin`` / ``_commit`` / ``_rollback``."""

    _depth = 0

    @contextmanager
    def transaction(self):
        """One write transaction: all or nothing. Nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        self._depth = 0
        self._commit()


class Database(Transactions):
    """The SQLite file at ``path`` holding ``kind`` (a key of :data:`MARKER_TABLES`).

    ``schema`` is ``CREATE ... IF NOT EXISTS`` statements; ``meta`` the rows ``meta`` starts with (besides
    ``kind`` and ``schema_version``). ``upgrades[n]`` brings a file of schema version ``n`` to ``n + 1``
    (inside the opening transaction). Errors are raised as ``error`` (an exception class taking a message).
    ``page_size``: the SQLite page size of a new file (an existing file keeps its own).
    """

    def __init__(self, path, kind: str, schema: str, schema_version: int, error: type[Exception],
                 meta: dict[str, str] | None = None, create: bool = True, remedy: str = "",
                 upgrades: dict[int, Callable[[sqlite3.Connection], None]] | None = None, page_size: int = 0):
        self._upgrades = upgrades or {}
        self.path = Path(path).expanduser()
        self.kind = kind
        self._error = error
        self._depth = 0
        if not create and not self.path.exists():
            raise error(f"no {kind} at {self.path}" + (f"; {remedy}" if remedy else ""))
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            raise error(f"cannot open the {kind} {self.path}: {exc}") from None
        self.conn.row_factory = sqlite3.Row
        try:
            self._refuse_other_kinds(set(_table_names(schema)))
            if page_size:  # only takes effect on a file still empty (before WAL and the first table)
                self.conn.execute(f"PRAGMA page_size={int(page_size)}")
            self._set_wal()
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.meta = self._init(schema, schema_version, meta or {})
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise error(f"{self.path} is not a usable {kind} ({exc})") from None
        except BaseException:
            self.conn.close()
            raise

    # --- opening ------------------------------------------------------------------------------------
    def _refuse_other_kinds(self, own_tables: set[str]) -> None:
        tables = {r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}
        stored_kind = None
        if "meta" in tables:
            row = self.conn.execute("SELECT value FROM meta WHERE key='kind'").fetchone()
            stored_kind = row[0] if row else None
        if stored_kind is None:
            stored_kind = next((k for k, marks in MARKER_TABLES.items() if tables & set(marks)), None)
        if stored_kind is None and not tables - {"meta"} <= own_tables:
            raise self._error(f"{self.path} is an SQLite database of another program, not a reprintwatch "
                              f"{self.kind}; refusing to change it")
        if stored_kind not in (None, self.kind):
            raise self._error(f"{self.path} is a reprintwatch {stored_kind}, not a {self.kind}; refusing to use it "
                              f"as one (check --db and --store)")

    def _set_wal(self) -> None:
        # Switching a new file to WAL takes an exclusive lock, and SQLite answers a concurrent switch with
        # SQLITE_BUSY without calling the busy handler: wait here instead.
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _init(self, schema: str, version: int, defaults: dict[str, str]) -> dict[str, str]:
        wanted = {"kind": self.kind, "schema_version": str(version), **defaults}
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" in tables and set(_table_names(schema)) <= tables:
            meta = {k: v for k, v in self.conn.execute("SELECT key, value FROM meta")}
            if wanted.keys() <= meta.keys() and meta["schema_version"] == str(version):  # complete already: opening writes nothing
                return self._checked(meta, version)
        with self.transaction():
            self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            stored = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if stored is not None and stored[0].isdigit():
                for step in range(int(stored[0]), version):  # an older file: upgrade it in place
                    if step not in self._upgrades:
                        break
                    self._upgrades[step](self.conn)
                    self.conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(step + 1),))
            for statement in schema.split(";"):
                if statement.strip():
                    self.conn.execute(statement)
            self.conn.executemany("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)", wanted.items())
            meta = {k: v for k, v in self.conn.execute("SELECT key, value FROM meta")}
        return self._checked(meta, version)

    def _checked(self, meta: dict[str, str], version: int) -> dict[str, str]:
        if meta.get("schema_version") != str(version):
            raise self._error(f"{self.path} has {self.kind} schema version {meta.get('schema_version')}, this "
                              f"reprintwatch uses {version}")
        return meta

    # --- writing ------------------------------------------------------------------------------------
    def _begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        self.conn.execute("ROLLBACK")

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass


def _table_names(schema: str) -> list[str]:
    return re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", schema)
