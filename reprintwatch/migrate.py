"""Moving a store: copy an SQLite store, with its evidence files, into a PostgreSQL store, check it, say done.

``reprintwatch store migrate --to postgresql://…`` (the CLI is thin over :func:`migrate`):

* tables are copied parents first (foreign keys hold at every commit) in batches, each batch in one
  transaction of the target, rows keeping their ids; an evidence row's bytes (the gzip file beside the SQLite
  store, hash-checked as it is read) go in the same transaction as the row;
* **resumable**: a table with ids continues after the largest id the target holds (a batch is all or
  nothing); tables keyed by URL/key copy with ``INSERT OR IGNORE``. The target remembers which store it is a
  copy of (``meta.migrated_from``) and refuses a different source, or a target that already holds a store of
  its own;
* **checked before done**: every table's row count and a SHA-256 over its rows (in key order, every column the
  source has) are computed on both engines and must be equal, and every evidence body the target holds is
  read back, unzipped and hashed against its recorded SHA-256.

Stop the ingest machines writing the source first: a row written to the source during a copy makes the
check fail (and a re-run then copies it).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Callable

from .errors import BadInput
from .store import Store, StoreError, sha256_hex, utc_now

# parents before children: evidence ← suspects ← findings ← complaints / finding_status / finding_judgements
TABLES = ("evidence", "suspects", "findings", "complaints", "finding_status", "finding_judgements", "licences",
          "rights_holders", "seen", "pending", "checkpoints")
# tables without an ``id``: their key (``pending`` is read in insertion order, SQLite's rowid, so the queue
# keeps its order on the target)
KEYED = {"seen": "url", "pending": "url", "checkpoints": "key"}


@dataclass
class Migration:
    copied: dict[str, int] = field(default_factory=dict)  # rows copied by this run, by table
    counts: dict[str, int] = field(default_factory=dict)  # rows in the target, by table (equal to the source)
    digests: dict[str, str] = field(default_factory=dict)  # SHA-256 over each table's rows (equal on both)
    bodies_checked: int = 0
    resumed: bool = False


def migrate(source: Store, target: Store, batch_size: int = 500,
            progress: Callable[[str], None] | None = None) -> Migration:
    """Copy ``source`` (an SQLite store) into ``target`` (a PostgreSQL store), then check; returns what was
    copied and checked. Raises :class:`StoreError` when the target is not this source's copy or the check
    finds a difference."""
    say = progress or (lambda _message: None)
    if source.engine != "sqlite" or target.engine != "postgresql":
        raise StoreError("store migrate copies an SQLite store into a PostgreSQL one "
                         f"(got {source.engine} → {target.engine})")
    result = Migration(resumed=_claim(source, target))
    for table in TABLES:
        columns = _shared_columns(source, target, table)
        result.copied[table] = _copy_table(source, target, table, columns, batch_size)
        say(f"{table}: {result.copied[table]} row(s) copied")
    with target.transaction():
        target.db.reset_sequences([t for t in TABLES if t not in KEYED])
    result.counts, result.digests, result.bodies_checked = _check(source, target)
    with target.transaction():
        target.conn.execute("INSERT INTO meta(key, value) VALUES ('migration_checked', ?)"
                            " ON CONFLICT(key) DO UPDATE SET value=excluded.value", (utc_now(),))
    return result


def _source_id(source: Store) -> str:
    return str(source.path.resolve())


def _claim(source: Store, target: Store) -> bool:
    """Mark the target as this source's copy (or find it marked); True when a copy was begun before."""
    with target.transaction():
        row = target.conn.execute("SELECT value FROM meta WHERE key='migrated_from'").fetchone()
        if row is not None:
            if row[0] != _source_id(source):
                raise StoreError(f"{target.location} is a copy of {row[0]}, not of {source.location}; refusing to "
                                 "mix two stores")
            return True
        held = {t: target.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
        if any(held.values()):
            busy = ", ".join(f"{t} {n}" for t, n in held.items() if n)
            raise StoreError(f"{target.location} already holds a store ({busy}); migrate into an empty one")
        target.conn.execute("INSERT INTO meta(key, value) VALUES ('migrated_from', ?)", (_source_id(source),))
        return False


def _columns(store: Store, table: str) -> list[str]:
    return [row[1] for row in store.conn.execute(f"PRAGMA table_info({table})")]


def _shared_columns(source: Store, target: Store, table: str) -> list[str]:
    theirs = set(_columns(target, table))
    mine = _columns(source, table)
    missing = [c for c in mine if c not in theirs]
    if missing:
        raise StoreError(f"{target.location}: table {table} lacks column(s) {', '.join(missing)} of the source")
    return mine


def _copy_table(source: Store, target: Store, table: str, columns: list[str], batch_size: int) -> int:
    names = ", ".join(columns)
    insert = (f"INSERT OR IGNORE INTO {table}({names}) VALUES ({', '.join('?' for _ in columns)})")
    copied = 0
    if table in KEYED:
        order = "rowid" if table == "pending" else KEYED[table]
        after = -1 if table == "pending" else ""
        while True:
            rows = source.conn.execute(
                f"SELECT {order}, {names} FROM {table} WHERE {order} > ? ORDER BY {order} LIMIT ?",
                (after, batch_size)).fetchall()
            if not rows:
                return copied
            with target.transaction():
                for row in rows:
                    copied += target.conn.execute(insert, tuple(row)[1:]).rowcount
            after = rows[-1][0]
    start = target.conn.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0] or 0
    while True:
        rows = source.conn.execute(f"SELECT {names} FROM {table} WHERE id > ? ORDER BY id LIMIT ?",
                                   (start, batch_size)).fetchall()
        if not rows:
            return copied
        with target.transaction():
            if table == "evidence":
                _copy_bodies(source, target, {row["sha256"] for row in rows})
            for row in rows:
                copied += target.conn.execute(insert, tuple(row)).rowcount
        start = rows[-1]["id"]


def _copy_bodies(source: Store, target: Store, digests: set[str]) -> None:
    """The gzip files of ``digests`` into the target's ``evidence_bodies`` (each unzipped and hash-checked)."""
    import gzip

    for digest in sorted(digests):
        path = source.evidence_path(digest)
        try:
            packed = path.read_bytes()
            body = gzip.decompress(packed)
        except (OSError, EOFError) as exc:
            raise BadInput(str(path), f"cannot read evidence file: {exc}") from None
        if sha256_hex(body) != digest:
            raise BadInput(str(path), "evidence file does not match its recorded SHA-256; not copied")
        target.conn.execute("INSERT OR IGNORE INTO evidence_bodies(sha256, gzip, size) VALUES (?, ?, ?)",
                            (digest, packed, len(body)))


def table_digest(store: Store, table: str, columns: list[str]) -> tuple[int, str]:
    """Rows and a SHA-256 over them (in key order; each row as canonical JSON of ``columns``): the same
    rows give the same digest on either engine."""
    order = KEYED.get(table, "id")
    digest = hashlib.sha256()
    n = 0
    for row in store.conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}"):
        digest.update(json.dumps(list(row), ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
        n += 1
    return n, digest.hexdigest()


def _check(source: Store, target: Store) -> tuple[dict, dict, int]:
    counts, digests = {}, {}
    for table in TABLES:
        columns = _columns(source, table)
        mine, theirs = table_digest(source, table, columns), table_digest(target, table, columns)
        if mine != theirs:
            raise StoreError(f"{target.location}: table {table} differs from the source after copying ({mine[0]} "
                             f"row(s) in the source, {theirs[0]} in the copy, or their contents): was either written "
                             "to since the copy began? Stop the writers and run again to continue")
        counts[table], digests[table] = mine
    checked = 0
    for (evidence_id,) in target.conn.execute("SELECT MIN(id) FROM evidence GROUP BY sha256 ORDER BY 1"):
        target.evidence_bytes(evidence_id)  # unzipped and checked against the SHA-256 (BadInput if not)
        checked += 1
    return counts, digests, checked
