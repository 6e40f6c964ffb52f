"""The store on PostgreSQL: the same SQL the SQLite store runs, translated by a thin dialect layer (psycopg 3).

:class:`Database` here has the interface of :class:`reprintwatch.sqlitedb.Database` (``conn``, ``meta``,
``transaction()``, ``close()``), so :class:`reprintwatch.store.Store` keeps ONE copy of each query:

* placeholders: ``?`` → ``%s`` (a literal ``%`` → ``%%``; quoted strings are left alone);
* ``INSERT OR IGNORE`` → ``INSERT … ON CONFLICT DO NOTHING``; an ``INSERT`` into a table with an ``id``
  column gets ``RETURNING id`` so ``cursor.lastrowid`` means what it means in SQLite;
* types in DDL: ``INTEGER PRIMARY KEY [AUTOINCREMENT]`` → ``BIGSERIAL PRIMARY KEY``, ``INTEGER`` → ``BIGINT``,
  ``REAL`` → ``DOUBLE PRECISION``, ``BLOB`` → ``BYTEA``; tables in :data:`ROWID_TABLES` get a ``rowid``
  column, so ``ORDER BY rowid`` keeps meaning "in insertion order";
* ``json_each(?)`` → ``json_array_elements_text(%s::json)`` (a list of ids in one parameter);
* ``PRAGMA table_info(t)`` → the same rows (``cid, name, type``) from ``information_schema``, so a schema
  upgrade written for SQLite runs unchanged here;
* rows are :class:`Row`: by index and by name, ``dict(row)`` like ``sqlite3.Row``.

Writes: every write transaction takes one advisory lock per store (``pg_advisory_xact_lock``) at ``BEGIN``,
which is what ``BEGIN IMMEDIATE`` does in SQLite. The store's writers read-then-write inside a transaction
(the next version of a URL, "read again under the write lock" in ingest, a status row extended or added);
under READ COMMITTED without the lock two machines could both take version 3 of one URL. A page's write
transaction is a few milliseconds; fetching a page takes a per-host delay of a second or more, so the
lock serialises the cheap part only (bench/bench_ingest.py measures the store time a page).

A store is one PostgreSQL *schema* (the first of ``search_path``; ``?options=-csearch_path%3Dname`` in the URL
picks one), so one database can hold several stores and tests use a throwaway schema each.

Credentials never travel in the URL: a URL with a password is refused; libpq reads ``PGPASSWORD``,
``~/.pgpass`` / ``PGPASSFILE`` or a service file (``PGSERVICEFILE``, ``?service=name``). TLS options are libpq's
(``sslmode``, ``sslrootcert``, ``sslcert``, ``sslkey`` in the URL or the service file).
"""
from __future__ import annotations

import functools
import re
import zlib
from typing import Callable

from .config import STORE_URL_SCHEMES as SCHEMES
from .sqlitedb import Transactions

#: Tables whose queries order by SQLite's implicit ``rowid``: PostgreSQL gets it as a real column.
ROWID_TABLES = ("pending",)

# a constant first key for pg_advisory_xact_lock(int, int): "rw" in ASCII; the second is the schema's hash
_LOCK_SPACE = 0x7277


def is_url(location) -> bool:
    """Is ``location`` (a ``--store`` value) a PostgreSQL URL rather than a file path?"""
    return isinstance(location, str) and location.startswith(SCHEMES)


def redacted(url: str) -> str:
    """``url`` without a password (for messages)."""
    return re.sub(r"^(postgres(?:ql)?://[^:/@]*):[^@/]*@", r"\1:***@", url)


def check_url(url: str, error: type[Exception]) -> None:
    """Refuse a URL carrying a password: it would sit in argv, shell history and logs."""
    if re.match(r"^postgres(?:ql)?://[^/@]*:[^/@]*@", url) or re.search(r"[?&]password=", url):
        raise error(f"{redacted(url)}: the store URL carries a password; put it in PGPASSWORD, ~/.pgpass "
                    "(PGPASSFILE) or a service file (PGSERVICEFILE, ?service=name) instead")


class Row(tuple):
    """A result row by position (``row[0]``, unpacking) and by name (``row["url"]``, ``dict(row)``)."""

    def __new__(cls, values, names: tuple[str, ...], index: dict[str, int]):
        row = super().__new__(cls, values)
        row._names = names
        row._index = index
        return row

    def keys(self) -> list[str]:
        return list(self._names)

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)


def _row_factory(cursor):
    if cursor.description is None:
        return None
    names = tuple(c.name for c in cursor.description)
    index = {name: i for i, name in enumerate(names)}

    def make(values):
        return Row(values, names, index)

    return make


@functools.lru_cache(maxsize=512)
def translate(sql: str, id_tables: frozenset[str] = frozenset()) -> str:
    """One SQLite statement of the store as PostgreSQL (pure; cached: the store has a few dozen queries)."""
    text = sql.strip().rstrip(";")
    pragma = re.fullmatch(r"PRAGMA\s+table_info\((\w+)\)", text, re.I)
    if pragma:
        return ("SELECT ordinal_position - 1 AS cid, column_name AS name, data_type AS type"
                " FROM information_schema.columns WHERE table_schema = current_schema()"
                f" AND table_name = '{pragma.group(1).lower()}' ORDER BY ordinal_position")
    if re.match(r"(CREATE|ALTER)\s+TABLE", text, re.I):
        text = _ddl_types(text)
    ignore = re.match(r"INSERT\s+OR\s+IGNORE\s+INTO", text, re.I)
    if ignore:
        text = "INSERT INTO" + text[ignore.end():] + " ON CONFLICT DO NOTHING"
    text = re.sub(r"json_each\(\?\)", "json_array_elements_text(?::json) AS json_each(value)", text)
    insert = re.match(r"INSERT\s+INTO\s+(\w+)", text, re.I)
    if insert and insert.group(1) in id_tables and "RETURNING" not in text.upper():
        text += " RETURNING id"
    return _placeholders(text)


def _ddl_types(text: str) -> str:
    text = re.sub(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?", "BIGSERIAL PRIMARY KEY", text, flags=re.I)
    text = re.sub(r"\bINTEGER\b", "BIGINT", text)
    text = re.sub(r"\bREAL\b", "DOUBLE PRECISION", text)
    text = re.sub(r"\bBLOB\b", "BYTEA", text)
    table = re.match(r"CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+(\w+)\s*\(", text, re.I)
    if table and table.group(1) in ROWID_TABLES:
        text = text[:table.end()] + "rowid BIGSERIAL NOT NULL, " + text[table.end():]
    return text


def _placeholders(text: str) -> str:
    out, quote = [], None
    for ch in text:
        if quote:
            out.append(ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


class Cursor:
    """The result of one statement, shaped like ``sqlite3.Cursor`` for the store's uses."""

    def __init__(self, cursor, returning_id: bool):
        self._cursor = cursor
        self.rowcount = cursor.rowcount
        self.lastrowid = None
        if returning_id:
            row = cursor.fetchone()
            self.lastrowid = row[0] if row else None
        self.description = cursor.description

    def fetchone(self):
        return self._cursor.fetchone()

    def fetchall(self):
        return self._cursor.fetchall()

    def __iter__(self):
        return iter(self._cursor.fetchall())


class Connection:
    """A psycopg connection that speaks the store's SQLite SQL (see the module docstring)."""

    def __init__(self, raw, id_tables: frozenset[str], where: str, error: type[Exception]):
        self.raw = raw
        self.id_tables = id_tables
        self._where = where
        self._error = error

    def execute(self, sql: str, args=()):
        import psycopg

        statement = translate(sql, self.id_tables)
        try:
            cursor = self.raw.cursor()  # raises too once the connection was lost ("the connection is closed")
            cursor.execute(statement, tuple(args) if args else None, prepare=False)
        except (psycopg.OperationalError, psycopg.errors.InsufficientPrivilege) as exc:
            # the server went away, or this role may not do that (a read-only role writing): the store is
            # unusable for this command, said in one line; constraint errors stay themselves (callers catch them)
            raise self._error(f"the store {self._where}: {_first_line(exc)}") from None
        return Cursor(cursor, statement.endswith(" RETURNING id"))

    def executemany(self, sql: str, rows) -> None:
        for row in rows:
            self.execute(sql, row)

    def close(self) -> None:
        self.raw.close()


def _psycopg(error: type[Exception]):
    try:
        import psycopg
    except ImportError:
        raise error("a PostgreSQL store needs psycopg 3: pip install 'reprintwatch[postgresql]'") from None
    return psycopg


def _connect(url: str, kind: str, error: type[Exception]):
    """An autocommit connection (credentials as libpq finds them; a URL with a password is refused)."""
    psycopg = _psycopg(error)
    check_url(url, error)
    try:
        return psycopg.connect(url, autocommit=True, row_factory=_row_factory, connect_timeout=30,
                               application_name="reprintwatch")
    except psycopg.Error as exc:
        raise error(f"cannot connect to the {kind} {redacted(url)}: {_first_line(exc)}") from None


def holds(url: str, kind: str, error: type[Exception]) -> bool:
    """Does the schema ``url`` leads to hold a reprintwatch ``kind``? Makes and changes nothing."""
    raw = _connect(url, kind, error)
    try:
        if raw.execute("SELECT to_regclass('meta')").fetchone()[0] is None:
            return False
        row = raw.execute("SELECT value FROM meta WHERE key='kind'").fetchone()
        return row is not None and row[0] == kind
    except _psycopg(error).Error as exc:
        raise error(f"{redacted(url)} is not a usable {kind} ({_first_line(exc)})") from None
    finally:
        raw.close()


class Database(Transactions):
    """The store in the PostgreSQL schema ``url`` leads to (``search_path``'s first), made if missing.

    Mirrors :class:`reprintwatch.sqlitedb.Database`: ``kind``, ``schema`` (SQLite DDL, translated),
    ``schema_version``, ``upgrades[n]`` (``n`` → ``n + 1`` inside the opening transaction), ``error``.
    ``extra_schema``: DDL only this engine has (evidence bodies, kept as files beside an SQLite store).
    """

    def __init__(self, url: str, kind: str, schema: str, schema_version: int, error: type[Exception],
                 create: bool = True, remedy: str = "", upgrades: dict[int, Callable] | None = None,
                 extra_schema: str = ""):
        psycopg = _psycopg(error)
        raw = _connect(url, kind, error)
        self.url = url
        self.kind = kind
        self._error = error
        self._upgrades = upgrades or {}
        statements = [s for s in (schema + ";" + extra_schema).split(";") if s.strip()]
        tables = re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", schema + extra_schema)
        self.conn = Connection(raw, frozenset(_id_tables(statements)), redacted(url), error)
        try:
            self.schema_name = self.conn.execute("SELECT current_schema()").fetchone()[0]
            if self.schema_name is None:
                raise error(f"{redacted(url)}: the schema named in search_path does not exist (CREATE SCHEMA it "
                            f"first, or leave search_path out to use public)")
            self.meta = self._init(statements, tables, schema_version, create, remedy)
        except psycopg.Error as exc:
            raw.close()
            raise error(f"{redacted(url)} is not a usable {kind} ({_first_line(exc)})") from None
        except BaseException:
            raw.close()
            raise

    @property
    def path(self) -> str:
        return redacted(self.url)

    def _tables(self) -> set[str]:
        return {r[0] for r in self.conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}

    def _init(self, statements, own_tables, version: int, create: bool, remedy: str) -> dict[str, str]:
        where = f"{redacted(self.url)} (schema {self.schema_name})"
        present = self._tables()
        if "meta" in present:
            meta = {k: v for k, v in self.conn.execute("SELECT key, value FROM meta")}
            if meta.get("kind") not in (None, self.kind):
                raise self._error(f"{where} holds a reprintwatch {meta.get('kind')}, not a {self.kind}")
            if set(own_tables) <= present and meta.get("schema_version") == str(version):
                return meta
        elif present - set(own_tables):
            raise self._error(f"{where} holds tables of another program, not a reprintwatch {self.kind}; "
                              "refusing to change it (pick another schema: ?options=-csearch_path%3Dname)")
        elif not create:
            raise self._error(f"no {self.kind} at {where}" + (f"; {remedy}" if remedy else ""))
        with self.transaction():
            self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            stored = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if stored is not None and stored[0].isdigit():
                for step in range(int(stored[0]), version):
                    if step not in self._upgrades:
                        break
                    self._upgrades[step](self.conn)
                    self.conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(step + 1),))
            for statement in statements:
                self.conn.execute(statement)
            for key, value in {"kind": self.kind, "schema_version": str(version)}.items():
                self.conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)", (key, value))
            meta = {k: v for k, v in self.conn.execute("SELECT key, value FROM meta")}
        if meta.get("schema_version") != str(version):
            raise self._error(f"{where} has {self.kind} schema version {meta.get('schema_version')}, this "
                              f"reprintwatch uses {version}")
        return meta

    # --- writing (Transactions.transaction) ----------------------------------------------------------
    def _begin(self) -> None:
        """``BEGIN`` and the store's write lock, held to the end (as SQLite's ``BEGIN IMMEDIATE``)."""
        self.conn.execute("BEGIN")
        self.conn.execute(f"SELECT pg_advisory_xact_lock({_LOCK_SPACE}, hashtext(current_schema()))")

    def _commit(self) -> None:
        self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        if not (self.conn.raw.closed or self.conn.raw.broken):  # a lost connection rolled back already
            self.conn.raw.execute("ROLLBACK")

    def data_version(self) -> int:
        """Changes whenever a transaction that wrote commits: the snapshot (``xmin:xmax:in-progress``)
        moves with every commit of a writer (of the whole server: a false alarm costs a re-read only)."""
        snapshot = self.conn.execute("SELECT pg_current_snapshot()::text").fetchone()[0]
        return zlib.crc32(snapshot.encode())

    def reset_sequences(self, tables) -> None:
        """After rows were copied with their ids: the next id of each table follows the largest copied one."""
        for table in tables:
            self.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                              f" GREATEST((SELECT MAX(id) FROM {table}), 1), (SELECT MAX(id) FROM {table}) IS NOT NULL)")

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # closing a broken connection: nothing left to do
            pass


def _id_tables(statements) -> list[str]:
    """The tables whose first column is ``id INTEGER PRIMARY KEY`` (their INSERTs return the new id)."""
    found = []
    for statement in statements:
        table = re.match(r"\s*CREATE TABLE IF NOT EXISTS (\w+)\s*\(\s*id\s+INTEGER\s+PRIMARY\s+KEY", statement, re.I)
        if table:
            found.append(table.group(1))
    return found


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
