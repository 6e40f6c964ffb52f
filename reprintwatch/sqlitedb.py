"""One way to open a reprintwatch SQLite file and one way to write to it (after sqlite-utils' ``Database``).

Both SQLite files reprintwatch keeps — the licensed index and the findings store — are opened here:

* the file says what it is in SQLite's header (``PRAGMA application_id``: :data:`APPLICATION_IDS`, one value a
  kind), and a file of the other kind (the store given as ``--db``, the index as ``--store``), another program's
  database or a corrupt file is refused *before* anything is written to it. A new file is made only where there
  is none or it is empty; a file of an earlier version (no application id yet) is adopted only when it carries
  this project's own ``meta`` rows (:func:`_legacy_kind`) — a table named ``meta`` alone is not enough;
* a damaged file (``database disk image is malformed``) is one :class:`Damaged`-style error naming the file and
  the way out, wherever SQLite notices it (opening, any read, a worker process), and before the first write of
  a connection ``PRAGMA quick_check`` runs, so a damaged file is never written into;
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

# SQLite's header field for "which application's file is this" (offset 68; ``PRAGMA application_id``). Another
# program sets its own or leaves 0, so a file with ours is ours; the values spell "RWix" and "RWst" in ASCII.
APPLICATION_IDS = {"licensed index": 0x52576978, "store": 0x52577374}

# A table only one kind of file has: with ``meta.schema_version``, how a file made before ``meta.kind`` existed
# (before 2026-11-29) is recognised. (The index keeps its band keys in ``bands`` in schema 1, ``key_runs`` from 2.)
MARKER_TABLES = {"store": ("suspects",), "licensed index": ("bands", "key_runs")}

# Which files ``PRAGMA quick_check`` at every opening (all kinds check before their first write): the store, so
# a report or ``serve`` never shows half of a damaged file (a store is tens of MB; ~1.5 s a GB, see
# :meth:`Database.verify`); not the licensed index, which reaches GBs (7.3 KB an article, 1M articles → ~11 s
# for a one-article ``check``) — damage a lookup reads is still the one-line error there (:class:`_Cursor`).
VERIFY_ON_OPEN = {"store": True, "licensed index": False}

# The largest rowid (a finding's, a licence's id) SQLite can hold: a signed 64-bit INTEGER. A larger number
# bound to a query is an OverflowError, so the CLI and serve refuse it as input before it gets here.
MAX_ROWID = 2**63 - 1

# SQLite's primary result codes for a damaged file: SQLITE_CORRUPT ("database disk image is malformed") and
# SQLITE_NOTADB ("file is not a database", also what a page of garbage in the header gives).
_DAMAGE_CODES = {11, 26}


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
    ``page_size``: the SQLite page size of a new file (an existing file keeps its own). ``schema=None``: open
    an existing file only after it is identified and quick-checked, creating and writing nothing (for code
    that reshapes the file itself, like ``index migrate``).
    """

    def __init__(self, path, kind: str, schema: str | None, schema_version: int, error: type[Exception],
                 meta: dict[str, str] | None = None, create: bool = True, remedy: str = "",
                 upgrades: dict[int, Callable[[sqlite3.Connection], None]] | None = None, page_size: int = 0):
        self._upgrades = upgrades or {}
        self.path = Path(path).expanduser()
        self.kind = kind
        self._error = error
        self._depth = 0
        self._verified = False
        if not create and not self.path.exists():
            raise error(f"no {kind} at {self.path}" + (f"; {remedy}" if remedy else ""))
        if self.path.exists() and not self.path.is_file():  # a FIFO would block the open until a writer came
            raise error(f"{self.path} is not a regular file (a device, a pipe or a directory), not a reprintwatch "
                        f"{kind}")
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None,
                                        factory=_Connection)
        except (sqlite3.Error, OSError) as exc:
            raise error(f"cannot open the {kind} {self.path}: {exc}") from None
        self.conn.row_factory = sqlite3.Row
        self.conn.damaged = self._damaged
        try:
            self._identify()
            if schema is None:  # an existing file, to be reshaped by its caller (``index migrate``)
                if not self.path.stat().st_size:
                    raise error(f"{self.path} is empty, not a reprintwatch {kind}")
                self.meta = {}
                self.verify()
                return
            if page_size:  # only takes effect on a file still empty (before WAL and the first table)
                self.conn.execute(f"PRAGMA page_size={int(page_size)}")
            self._set_wal()
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.meta = self._init(schema, schema_version, meta or {})
            if VERIFY_ON_OPEN[kind]:
                self.verify()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            if _is_damage(exc):
                raise self._damaged(exc) from None
            raise error(f"{self.path} is not a usable {kind} ({exc})") from None
        except BaseException:
            self.conn.close()
            raise

    # --- opening ------------------------------------------------------------------------------------
    def _identify(self) -> str:
        """What the file is to this opener: ``"own"`` (our application id), ``"empty"`` (no file, an empty
        file, or an SQLite file without a single schema object: made here) or ``"legacy"`` (an earlier
        reprintwatch's file of this kind: adopted). Anything else is refused with a one-line error."""
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id == APPLICATION_IDS[self.kind]:
            return "own"
        other = next((k for k, v in APPLICATION_IDS.items() if v == app_id), None)
        if other is None and app_id:
            raise self._error(f"{self.path} is an SQLite database of another program (application id "
                              f"{app_id:#x}), not a reprintwatch {self.kind}; refusing to change it")
        if other is None:
            names = {r[0]: r[1] for r in self.conn.execute(
                "SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
            if not names:
                return "empty"
            other = _legacy_kind(self.conn, {n for n, t in names.items() if t == "table"})
            if other is None:
                raise self._error(f"{self.path} is an SQLite database of another program, not a reprintwatch "
                                  f"{self.kind}; refusing to change it")
            if other == self.kind:
                return "legacy"
        raise self._error(f"{self.path} is a reprintwatch {other}, not a {self.kind}; refusing to use it "
                          f"as one (check --db and --store)")

    def _damaged(self, exc: BaseException) -> Exception:
        """The one-line error for a damaged file, with the ways out (SQLite's own tools)."""
        if not _has_sqlite_header(self.path):  # a text file, an image: not ours, nothing to recover
            return self._error(f"{self.path} is not a usable {self.kind} ({exc})")
        return self._error(
            f"{self.path} is damaged ({exc}): refusing to use the {self.kind}, nothing was written to it. Check "
            f"it with `sqlite3 {self.path} \"PRAGMA integrity_check\"`, restore it from a backup, or salvage "
            f"what is readable with `sqlite3 {self.path} .recover | sqlite3 recovered.db`")

    def verify(self) -> None:
        """``PRAGMA quick_check`` once per connection: a damaged file is an error here, not written into.

        Run before the first write (:meth:`transaction`) and by long-lived readers (``serve``) at start. It
        reads every page once but skips index-against-table checks: on this 2-core machine under load a
        379 MB file took 0.56 s warm (``integrity_check`` 4.9 s), i.e. ~1.5 s a GB, paid once a process."""
        if self._verified:
            return
        rows = [r[0] for r in self.conn.execute("PRAGMA quick_check(1)")]  # the first problem is enough
        if rows != ["ok"]:  # e.g. "*** in database main ***\nPage 16: btreeInitPage() returns error code 11"
            raise self._damaged(" ".join(rows[0].replace("*** in database main ***", "").split()))
        self._verified = True

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
        own = self.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_IDS[self.kind]
        if own and "meta" in tables and set(_table_names(schema)) <= tables:
            meta = {k: v for k, v in self.conn.execute("SELECT key, value FROM meta")}
            if wanted.keys() <= meta.keys() and meta["schema_version"] == str(version):  # complete already: opening writes nothing
                return self._checked(meta, version)
        with self.transaction():
            # again under the write lock: another process may have made the file since we looked
            self._identify()
            self.conn.execute(f"PRAGMA application_id={APPLICATION_IDS[self.kind]}")
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
        self.verify()
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


def _legacy_kind(conn: sqlite3.Connection, tables: set[str]) -> str | None:
    """The kind of a file an earlier reprintwatch made (before application ids): its ``meta`` says
    ``kind`` (since 2026-11-29), or before that has a ``schema_version`` row and a table only that kind has.
    ``None`` for anything else — another program's ``meta(key, value)`` table included."""
    if "meta" not in tables:
        return None
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('kind', 'schema_version')"))
    except sqlite3.Error:  # a meta table of another shape
        return None
    if meta.get("kind") in APPLICATION_IDS:
        return meta["kind"]
    if "kind" in meta or not str(meta.get("schema_version", "")).isdigit():
        return None
    return next((k for k, marks in MARKER_TABLES.items() if tables & set(marks)), None)


def _is_damage(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF in _DAMAGE_CODES


def _has_sqlite_header(path: Path) -> bool:
    """A file that starts as an SQLite database (so "not a database" means damage, not a text file)."""
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _translated(method):
    """``method`` of a cursor with SQLite's damage errors turned into the file's one-line error."""
    def translated(self, *args):
        try:
            return method(self, *args)
        except sqlite3.DatabaseError as exc:
            if _is_damage(exc):
                raise self.connection.damaged(exc) from None
            raise
    translated.__name__ = method.__name__
    return translated


class _Cursor(sqlite3.Cursor):
    """A cursor whose damage errors (wherever SQLite notices them: a step, a fetch) become the file's one-line
    error (:meth:`Database._damaged`): every read and write of a reprintwatch SQLite file passes here."""

    execute = _translated(sqlite3.Cursor.execute)
    executemany = _translated(sqlite3.Cursor.executemany)
    executescript = _translated(sqlite3.Cursor.executescript)
    fetchone = _translated(sqlite3.Cursor.fetchone)
    fetchmany = _translated(sqlite3.Cursor.fetchmany)
    fetchall = _translated(sqlite3.Cursor.fetchall)
    __next__ = _translated(sqlite3.Cursor.__next__)


class _Connection(sqlite3.Connection):
    """Hands out :class:`_Cursor` s (``Connection.execute`` does not call ``cursor()``, hence the overrides)."""

    damaged: Callable[[BaseException], Exception]

    def cursor(self, factory=_Cursor):
        return super().cursor(factory)

    def execute(self, sql, parameters=()):
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql, parameters):
        return self.cursor().executemany(sql, parameters)

    def executescript(self, script):
        return self.cursor().executescript(script)


def _table_names(schema: str) -> list[str]:
    return re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", schema)
