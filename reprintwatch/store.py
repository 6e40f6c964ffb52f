"""The embedded findings / evidence store: one SQLite file (WAL) plus gzip evidence files beside it.

Tables (names and columns are a contract shared with the reports code; add columns, never rename):

- ``evidence``: one row per kept HTTP response (or local file): URL, final URL, status, fetch time, SHA-256
  and the path of the raw bytes, gzipped, under ``<store dir>/evidence/<sha256[:2]>/<sha256>.gz``;
- ``suspects``: one row per version of an extracted article (``UNIQUE(url, version)``);
- ``findings``: suspect → licensed article matches (verdict, scores, passages in original offsets);
- ``seen``: the ingest checkpoint per URL (validators, last content hash, version, last outcome);
- ``pending``: feed entries discovered but not processed yet (survives a crash);
- ``checkpoints``: small key/value state (e.g. the last completed run);
- ``rights_holders``: who complains for an outlet (legal name, address, contact, proof-of-rights references);
- ``complaints``: complaints filed against findings (when, where, reference);
- ``finding_status``: what re-checks saw of a finding's copy; consecutive checks with the same state extend
  one row (``checked_at`` first seen in that state, ``last_checked_at`` last);
- ``licences``: who may reprint which outlet's articles, when and how (the decisions live in
  ``reprintwatch.triage.licences``; the store only keeps the records).

One store owns every table, one schema version and one way to write (:meth:`Store.transaction`, from
:mod:`reprintwatch.sqlitedb`). Reads return records: :class:`Finding` (a finding with its suspect and
evidence hash, one query for any number of findings) and :class:`Licence`.

Every page is recorded in one transaction (evidence row, suspect, findings, ``seen`` and ``pending``), so a
process killed at any moment leaves the store either before or after the page, never half-way.
"""
from __future__ import annotations

import datetime as _dt
import gzip
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Iterable, Sequence

from . import dates, pgdb
from .errors import BadInput, ReprintwatchError
from .output import write_atomic
from .sqlitedb import Database

STORE_SCHEMA_VERSION = 4


def _upgrade_1(conn) -> None:
    """Version 1 → 2: licences got a time zone for their dates; findings keep their triage."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(licences)")}
    if columns and "timezone" not in columns:
        conn.execute("ALTER TABLE licences ADD COLUMN timezone TEXT NOT NULL DEFAULT ''")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(findings)")}
    for name in ("triage_json", "triaged_at"):
        if columns and name not in columns:
            conn.execute(f"ALTER TABLE findings ADD COLUMN {name} TEXT")


def _upgrade_2(conn) -> None:
    """Version 2 → 3: suspects keep the WeChat account ID (``__biz``) read from a WeChat page."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(suspects)")}
    if columns and "biz" not in columns:
        conn.execute("ALTER TABLE suspects ADD COLUMN biz TEXT NOT NULL DEFAULT ''")


def _upgrade_3(conn) -> None:
    """Version 3 → 4: each kept triage says what it was judged on (``findings.triage_basis``: the triage
    rules' version and the licences it read), so reports re-judge only what is out of date."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(findings)")}
    if columns and "triage_basis" not in columns:
        conn.execute("ALTER TABLE findings ADD COLUMN triage_basis TEXT")


_UPGRADES = {1: _upgrade_1, 2: _upgrade_2, 3: _upgrade_3}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS evidence (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    final_url TEXT,
    status INTEGER,
    fetched_at TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content_type TEXT,
    headers_json TEXT,
    body_path TEXT NOT NULL,
    body_size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS evidence_url ON evidence(url);
CREATE TABLE IF NOT EXISTS suspects (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL DEFAULT '',
    platform TEXT NOT NULL,
    site TEXT NOT NULL DEFAULT '',
    account TEXT NOT NULL DEFAULT '',
    biz TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    published_at TEXT,
    content TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    original_flag INTEGER NOT NULL DEFAULT 0,
    source_link TEXT NOT NULL DEFAULT '',
    evidence_id INTEGER REFERENCES evidence(id),
    checked_at TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    UNIQUE(url, version)
);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    suspect_id INTEGER NOT NULL REFERENCES suspects(id),
    licensed_id TEXT NOT NULL,
    licensed_outlet TEXT NOT NULL DEFAULT '',
    licensed_title TEXT NOT NULL DEFAULT '',
    licensed_url TEXT NOT NULL DEFAULT '',
    licensed_published_at TEXT,
    verdict TEXT NOT NULL,
    similarity REAL,
    licensed_coverage REAL,
    suspect_coverage REAL,
    passages_json TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    triage_json TEXT,
    triaged_at TEXT,
    triage_basis TEXT,
    UNIQUE(suspect_id, licensed_id)
);
CREATE INDEX IF NOT EXISTS findings_created ON findings(created_at);
CREATE INDEX IF NOT EXISTS findings_outlet ON findings(licensed_outlet);
CREATE TABLE IF NOT EXISTS seen (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    body_sha256 TEXT,
    content_hash TEXT,
    version INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL,
    last_checked TEXT NOT NULL,
    last_changed TEXT
);
CREATE TABLE IF NOT EXISTS pending (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    via TEXT NOT NULL DEFAULT '',
    hint_json TEXT NOT NULL DEFAULT '{}',
    queued_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS licences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reprinter_kind TEXT NOT NULL CHECK (reprinter_kind IN ('site', 'wechat', 'app')),
    reprinter TEXT NOT NULL,
    outlet TEXT NOT NULL,
    valid_from TEXT,
    valid_until TEXT,
    scope TEXT NOT NULL CHECK (scope IN ('may_reprint', 'may_edit')),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    timezone TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS licences_outlet ON licences (outlet);
CREATE TABLE IF NOT EXISTS rights_holders (
    id INTEGER PRIMARY KEY,
    outlet TEXT NOT NULL UNIQUE,
    legal_name TEXT NOT NULL,
    address TEXT NOT NULL,
    contact TEXT NOT NULL,
    proofs_json TEXT NOT NULL DEFAULT '[]',
    agent TEXT NOT NULL DEFAULT '',
    power_of_attorney TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS complaints (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    filed_at TEXT NOT NULL,
    channel TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS complaints_finding ON complaints(finding_id);
CREATE TABLE IF NOT EXISTS finding_status (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    state TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    last_checked_at TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    http_status INTEGER,
    evidence_id INTEGER REFERENCES evidence(id),
    last_run TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS finding_status_finding ON finding_status(finding_id, id);
"""

# Only on PostgreSQL, the store several ingest machines share:
# - ``evidence_bodies``: the evidence bytes (gzipped, as the files beside an SQLite store), so every machine and
#   every reader reaches them; ``evidence.body_path`` keeps the same name on both engines;
# - ``leases``: who works on what until when (a queued URL, a source being refreshed, one of a host's request
#   slots); a killed machine's leases run out and its work is taken over;
# - ``host_starts``: the earliest moment the next request to a host may start, for every process.
_PG_SHARED = """
CREATE TABLE IF NOT EXISTS evidence_bodies (
    sha256 TEXT PRIMARY KEY,
    gzip BLOB NOT NULL,
    size INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS leases (
    key TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS host_starts (
    host TEXT PRIMARY KEY,
    next_start REAL NOT NULL
);
"""

# The one place finding columns get their record names (suspect columns are the finding's ``url``,
# ``title``...; the licensed article's are ``licensed_*``).
_FINDING_SELECT_TEMPLATE = """
SELECT f.id AS finding_id, f.suspect_id, f.licensed_id, f.licensed_outlet, f.licensed_title, f.licensed_url,
    f.licensed_published_at, f.verdict, f.similarity, f.licensed_coverage, f.suspect_coverage,
    f.passages_json AS passages, f.created_at, f.triage_json AS triage, f.triaged_at,
    f.triage_basis, s.source, s.platform, s.site, s.account, s.biz, s.url, s.canonical_url, s.title, s.author, s.published_at,
    s.version, s.status, {content} AS content, s.original_flag, s.source_link, s.evidence_id, s.checked_at,
    e.sha256 AS evidence_sha256, COALESCE(e.final_url, s.url) AS final_url,
    COALESCE(seen.first_seen, s.checked_at) AS first_seen
FROM findings f JOIN suspects s ON s.id = f.suspect_id LEFT JOIN evidence e ON e.id = s.evidence_id
    LEFT JOIN seen ON seen.url = s.url
"""
_FINDING_SELECT = _FINDING_SELECT_TEMPLATE.format(content="s.content")
# without the copy's text: what a summary or a page of rows needs (issue 13: 50,000 texts are ~150 MB)
_FINDING_SELECT_LIGHT = _FINDING_SELECT_TEMPLATE.format(content="NULL")


@dataclass(frozen=True)
class Finding(Mapping):
    """A finding (suspect → licensed article) with its suspect and the SHA-256 of the page kept as evidence.

    Also a read-only mapping of its fields (``finding["url"]``, ``finding.get("url")``, ``dict(finding)``).
    """

    finding_id: int
    suspect_id: int
    licensed_id: str
    licensed_outlet: str
    licensed_title: str
    licensed_url: str
    licensed_published_at: str | None
    verdict: str
    similarity: float
    licensed_coverage: float
    suspect_coverage: float
    passages: list
    created_at: str
    triage: dict | None  # the triage kept with the finding (``triage.assess.Assessment.triage``), if any
    triaged_at: str | None
    triage_basis: str | None  # what the triage was judged on (``triage.assess.triage_basis``); stale when it differs
    source: str
    platform: str
    site: str
    account: str
    biz: str  # WeChat __biz read from a WeChat page by ingestion ("" otherwise)
    url: str
    canonical_url: str
    title: str
    author: str
    published_at: str | None
    version: int
    status: str
    content: str | None  # None when read with ``list_findings(content=False)``
    original_flag: bool
    source_link: str
    evidence_id: int | None
    checked_at: str
    evidence_sha256: str | None
    final_url: str  # who served the copy: the fetched URL after redirects (the canonical is only a claim)
    first_seen: str  # when ingestion first saw the URL

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Finding":
        data = dict(row)
        try:
            passages = json.loads(data["passages"] or "[]")
        except ValueError:
            passages = []
        data["passages"] = [p for p in passages if isinstance(p, dict)] if isinstance(passages, list) else []
        try:
            triage = json.loads(data["triage"] or "null")
        except ValueError:
            triage = None
        data["triage"] = triage if isinstance(triage, dict) else None
        for name in ("similarity", "licensed_coverage", "suspect_coverage"):
            data[name] = float(data[name] or 0.0)
        data["original_flag"] = bool(data["original_flag"])
        return cls(**data)

    def __getitem__(self, name: str):
        if name not in _FINDING_FIELD_SET:
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self):
        return iter(FINDING_FIELDS)

    def __len__(self) -> int:
        return len(FINDING_FIELDS)

    def to_dict(self, content: bool = True) -> dict:
        data = asdict(self)
        if not content:
            del data["content"]
        return data


FINDING_FIELDS = tuple(f.name for f in fields(Finding))
_FINDING_FIELD_SET = frozenset(FINDING_FIELDS)


@dataclass(frozen=True)
class Licence:
    """One licence: ``reprinter`` (of ``reprinter_kind`` site | wechat | app) may reprint ``outlet``'s articles
    (``*``: every outlet) from ``valid_from`` to ``valid_until`` (ISO dates, inclusive, open ends allowed),
    verbatim (``may_reprint``) or also edited (``may_edit``)."""

    id: int | None
    reprinter_kind: str
    reprinter: str
    outlet: str
    valid_from: str | None = None  # ISO date, inclusive
    valid_until: str | None = None  # ISO date, inclusive
    scope: str = "may_reprint"
    note: str = ""
    created_at: str | None = None
    timezone: str = ""  # "" = China time (UTC+8); else an offset (+09:00) or an IANA name

    def to_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        dates = f"{self.valid_from or '…'} – {self.valid_until or '…'}"
        if self.valid_from or self.valid_until:
            dates += f" {self.timezone or 'China time'}"
        return f"#{self.id} {self.reprinter_kind}:{self.reprinter} ← {self.outlet} ({self.scope}, {dates})"


class StoreError(ReprintwatchError):
    """The store is missing, unusable or a file of another kind (exit 3, like an unavailable index)."""

    exit_code = 3


def utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def to_utc_bound(value: str | None, end: bool, where: str = "date") -> str | None:
    """``since``/``until`` values as a comparable UTC string (:func:`reprintwatch.dates.to_utc_bound`, the
    one parser): a bare date or a time without a zone here is UTC; callers with a user's day pass UTC
    instants (``report.filters.store_bounds``)."""
    try:
        return dates.to_utc_bound(value, end)
    except ValueError as exc:
        raise BadInput(where, str(exc)) from None


def store_exists(location) -> bool:
    """Is there a store at ``location`` (a file path or a ``postgresql://`` URL)? Makes nothing."""
    if pgdb.is_url(location):
        return pgdb.holds(location, "store", StoreError)
    return Path(location).expanduser().exists()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store:
    """The store at ``path``: an SQLite file (evidence files live in ``<path's directory>/evidence/``) or a
    ``postgresql://`` URL (evidence bytes in the database; see :mod:`reprintwatch.pgdb`).

    ``create=False`` refuses to make a new store (for commands that only read one).
    """

    def __init__(self, path, create: bool = True):
        remedy = "run `reprintwatch ingest run` first (or set --store / REPRINTWATCH_STORE)"
        self.engine = "postgresql" if pgdb.is_url(path) else "sqlite"
        if self.engine == "postgresql":
            self.path = None
            self.evidence_dir = None
            self.db = pgdb.Database(path, "store", _SCHEMA, STORE_SCHEMA_VERSION, StoreError, create=create,
                                    upgrades=_UPGRADES, remedy=remedy, extra_schema=_PG_SHARED)
        else:
            self.path = Path(path).expanduser()
            self.evidence_dir = self.path.parent / "evidence"
            self.db = Database(self.path, "store", _SCHEMA, STORE_SCHEMA_VERSION, StoreError, create=create,
                               upgrades=_UPGRADES, remedy=remedy)
        self.location = self.db.path  # for messages: the file, or the URL without a password
        self.conn = self.db.conn
        self.transaction = self.db.transaction

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- evidence ------------------------------------------------------------------------------------
    def evidence_path(self, sha256: str) -> Path:
        """Where an SQLite store keeps the bytes of ``sha256`` (also their name, ``body_path``, on PostgreSQL)."""
        return (self.evidence_dir or Path("evidence")) / sha256[:2] / f"{sha256}.gz"

    def write_evidence_file(self, body: bytes) -> tuple[str, Path]:
        """Keep ``body`` gzipped under its SHA-256 (written to a temporary file, then renamed: atomic)."""
        digest = sha256_hex(body)
        target = self.evidence_path(digest)
        if target.exists():
            return digest, target
        def write(raw) -> None:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                gz.write(body)

        write_atomic(target, write, fsync=True)
        return digest, target

    def record_page(
        self,
        url: str,
        body: bytes,
        final_url: str | None = None,
        status: int | None = None,
        fetched_at: str | None = None,
        content_type: str = "",
        headers: dict | None = None,
    ) -> int:
        """Keep one fetched page (or local file) as evidence; returns the evidence id."""
        if self.engine == "postgresql":
            digest = sha256_hex(body)
        else:  # the file first: a crash leaves an unreferenced file, never a row without its bytes
            digest, _ = self.write_evidence_file(body)
        with self.transaction():
            if self.engine == "postgresql":  # the bytes and their row in one transaction
                self.conn.execute("INSERT OR IGNORE INTO evidence_bodies(sha256, gzip, size) VALUES (?, ?, ?)",
                                  (digest, gzip.compress(body, mtime=0), len(body)))
            cur = self.conn.execute(
                "INSERT INTO evidence(url, final_url, status, fetched_at, sha256, content_type, headers_json, body_path, body_size)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (url, final_url or url, status, fetched_at or utc_now(), digest, content_type or "",
                 json.dumps(headers or {}, ensure_ascii=False, sort_keys=True),
                 f"evidence/{digest[:2]}/{digest}.gz", len(body)),
            )
        return cur.lastrowid

    def evidence(self, evidence_id: int) -> dict | None:
        row = self.conn.execute("SELECT * FROM evidence WHERE id=?", (evidence_id,)).fetchone()
        return dict(row) if row else None

    def evidence_bytes(self, evidence_id: int) -> bytes:
        """The raw bytes kept for ``evidence_id``, checked against their SHA-256."""
        row = self.evidence(evidence_id)
        if row is None:
            raise BadInput(f"evidence {evidence_id}", "no such evidence in the store")
        if self.engine == "postgresql":
            where = f"evidence {evidence_id} ({row['body_path']} in {self.location})"
            kept = self.conn.execute("SELECT gzip FROM evidence_bodies WHERE sha256=?", (row["sha256"],)).fetchone()
            if kept is None:
                raise BadInput(where, "the evidence bytes are missing from the store")
            try:
                data = gzip.decompress(bytes(kept[0]))
            except (OSError, EOFError, zlib.error) as exc:
                raise BadInput(where, f"cannot read evidence bytes: {exc}") from None
        else:
            where = str(self.path.parent / row["body_path"])
            try:
                with gzip.open(where, "rb") as fh:
                    data = fh.read()
            except (OSError, EOFError, zlib.error) as exc:  # EOFError: cut short (click would print "Aborted!")
                raise BadInput(where, f"cannot read evidence file: {exc}") from None
        if sha256_hex(data) != row["sha256"]:
            raise BadInput(where, "evidence file does not match its recorded SHA-256")
        return data

    # --- suspects and findings -----------------------------------------------------------------------
    def record_suspect(
        self,
        url: str,
        platform: str,
        content_hash: str,
        version: int | None = None,
        status: str = "ok",
        source: str = "",
        site: str = "",
        account: str = "",
        canonical_url: str = "",
        biz: str = "",
        title: str = "",
        author: str = "",
        published_at: str | None = None,
        content: str = "",
        original_flag: bool = False,
        source_link: str = "",
        evidence_id: int | None = None,
        checked_at: str | None = None,
        error: str = "",
    ) -> int:
        """Record one version of a suspect; ``version=None`` takes the URL's next version number inside the
        write transaction, so two processes recording the same URL never collide."""
        with self.transaction():
            if version is None:
                version = self.next_version(url)
            cur = self.conn.execute(
                "INSERT INTO suspects(source, platform, site, account, url, canonical_url, title, author, published_at,"
                " content, content_hash, version, status, original_flag, source_link, evidence_id, checked_at, error, biz)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source, platform, site, account, url, canonical_url, title, author, published_at, content,
                 content_hash, version, status, int(bool(original_flag)), source_link, evidence_id,
                 checked_at or utc_now(), error, biz or ""),
            )
        return cur.lastrowid

    def record_findings(self, suspect_id: int, matches: Iterable, created_at: str | None = None) -> list[int]:
        """Record reprint matches (``Match`` objects or ``Match.to_dict()`` dicts) for a suspect.

        Matches with verdict ``none`` are skipped. Returns the new finding ids.
        """
        created_at = created_at or utc_now()
        ids = []
        with self.transaction():
            for match in matches:
                licensed_published_at = None
                if hasattr(match, "to_dict"):
                    licensed_published_at = match.licensed.published_at
                    match = match.to_dict()
                else:
                    licensed_published_at = match.get("published_at")
                if match.get("verdict") in (None, "none"):
                    continue
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO findings(suspect_id, licensed_id, licensed_outlet, licensed_title, licensed_url,"
                    " licensed_published_at, verdict, similarity, licensed_coverage, suspect_coverage, passages_json, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (suspect_id, match["licensed_id"], match.get("outlet") or "", match.get("title") or "",
                     match.get("url") or "", licensed_published_at, match["verdict"], match.get("similarity"),
                     match.get("licensed_coverage"), match.get("suspect_coverage"),
                     json.dumps(match.get("passages") or [], ensure_ascii=False), created_at),
                )
                if cur.rowcount:
                    ids.append(cur.lastrowid)
        return ids

    def next_version(self, url: str) -> int:
        """The next version number of ``url``'s suspect; call it inside :meth:`transaction` and record the
        suspect in the same transaction (the write lock is held from its start)."""
        row = self.conn.execute("SELECT MAX(version) FROM suspects WHERE url=?", (url,)).fetchone()
        return int(row[0] or 0) + 1

    def list_findings(self, since=None, until=None, outlet: str | None = None, verdict: str | None = None,
                      before=None, ids: Iterable[int] | None = None, content: bool = True,
                      newest_first: bool = False, limit: int | None = None, offset: int = 0) -> list[Finding]:
        """Findings with their suspects, oldest first, in one query. ``since`` (inclusive) and ``until``
        (inclusive; a bare date means the whole day) or ``before`` (exclusive) bound ``created_at``;
        ``ids`` keeps only those findings; ``content=False`` leaves the copy's text out (``None``).
        ``newest_first`` orders by ``created_at`` descending (ties by id, ascending); ``limit``/``offset``
        read one page of them."""
        where, args = [], []
        if ids is not None:
            where.append("f.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))")
            args.append(json.dumps([int(i) for i in ids]))
        lo = to_utc_bound(since, end=False, where="--since")
        hi = to_utc_bound(until, end=True, where="--until")
        below = to_utc_bound(before, end=False, where="before")
        for clause, value in (("f.created_at >= ?", lo), ("f.created_at < ?", hi), ("f.created_at < ?", below),
                              ("f.licensed_outlet = ?", outlet), ("f.verdict = ?", verdict)):
            if value:
                where.append(clause)
                args.append(value)
        sql = (_FINDING_SELECT if content else _FINDING_SELECT_LIGHT) + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY f.created_at DESC, f.id" if newest_first else " ORDER BY f.created_at, f.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        return [Finding.from_row(row) for row in self.conn.execute(sql, args)]

    def record_triage(self, triages: Iterable[tuple], at: str | None = None) -> int:
        """Keep each finding's triage (``reprintwatch.triage.assess.Assessment.triage``) with it, in one
        transaction: ``(finding_id, triage)`` or ``(finding_id, triage, basis)`` — the basis says what it
        was judged on (``triage.assess.triage_basis``; none: judged again when next read). Returns how
        many findings were updated."""
        at = at or utc_now()
        n = 0
        with self.transaction():
            for finding_id, triage, *basis in triages:
                n += self.conn.execute(
                    "UPDATE findings SET triage_json=?, triaged_at=?, triage_basis=? WHERE id=?",
                    (json.dumps(triage, ensure_ascii=False, sort_keys=True), at, basis[0] if basis else None,
                     int(finding_id)),
                ).rowcount
        return n

    def get_finding(self, finding_id) -> Finding | None:
        try:
            key = int(finding_id)
        except (TypeError, ValueError):
            return None
        row = self.conn.execute(_FINDING_SELECT + " WHERE f.id=?", (key,)).fetchone()
        return Finding.from_row(row) if row else None

    def get_suspect(self, suspect_id: int) -> dict | None:
        row = self.conn.execute("SELECT * FROM suspects WHERE id=?", (suspect_id,)).fetchone()
        return dict(row) if row else None

    # --- continuity ----------------------------------------------------------------------------------
    def get_seen(self, url: str) -> dict | None:
        row = self.conn.execute("SELECT * FROM seen WHERE url=?", (url,)).fetchone()
        return dict(row) if row else None

    def mark_seen(self, url: str, source: str, **fields) -> None:
        now = utc_now()
        with self.transaction():
            self.conn.execute(
                "INSERT INTO seen(url, source, first_seen, last_checked) VALUES (?, ?, ?, ?) ON CONFLICT(url) DO NOTHING",
                (url, source, now, now),
            )
            fields = {**fields, "last_checked": fields.get("last_checked") or now}
            sets = ", ".join(f"{name}=?" for name in fields)
            self.conn.execute(f"UPDATE seen SET {sets} WHERE url=?", (*fields.values(), url))

    def enqueue(self, source: str, items: Iterable[tuple[str, dict]], via: str = "") -> int:
        """Queue URLs for processing (already queued ones are left as they are). Returns how many were new."""
        now = utc_now()
        added = 0
        with self.transaction():
            for url, hint in items:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO pending(url, source, via, hint_json, queued_at) VALUES (?, ?, ?, ?, ?)",
                    (url, source, via, json.dumps(hint or {}, ensure_ascii=False), now),
                )
                added += cur.rowcount
        return added

    def pending(self, source: str | None = None) -> list[dict]:
        sql, args = "SELECT url, source, via, hint_json, queued_at FROM pending", ()
        if source is not None:
            sql, args = sql + " WHERE source=?", (source,)
        rows = self.conn.execute(sql + " ORDER BY queued_at, rowid", args).fetchall()
        return [{**dict(r), "hint": json.loads(r["hint_json"] or "{}")} for r in rows]

    def dequeue(self, url: str) -> None:
        """Done with ``url``: off the queue, and its lease (PostgreSQL) given back in the same transaction."""
        with self.transaction():
            self.conn.execute("DELETE FROM pending WHERE url=?", (url,))
            if self.engine == "postgresql":
                self.conn.execute("DELETE FROM leases WHERE key=?", (url,))

    # --- sharing the work (PostgreSQL: several ingest processes on one store) ---------------------------
    def clock(self) -> float:
        """Seconds since the epoch by the store's clock: the server's on PostgreSQL, so machines whose clocks
        disagree still agree on lease expiries and request start times."""
        if self.engine == "postgresql":
            return float(self.conn.execute("SELECT extract(epoch FROM clock_timestamp())").fetchone()[0])
        import time

        return time.time()

    # The lease and host-start statements below are single statements, atomic on their own row (PostgreSQL
    # locks the row an upsert touches), so they do not take the store's write lock: with it, every fetch's
    # three of them queued behind page transactions (2 processes: 1.31x one, store p50 28 -> 50 ms, fbff9a5).
    def take_lease(self, key: str, holder: str, seconds: float, queued: bool = False) -> bool:
        """Lease ``key`` to ``holder`` for ``seconds`` unless another holder's lease on it is still running
        (``holder``'s own is renewed). ``queued``: only while ``key`` (a URL) is still on the queue — a URL
        another process recorded meanwhile is not taken (one recorded in the instant between is fetched again
        and found unchanged under the write lock: no second version). Returns whether ``holder`` has it."""
        now = self.clock()
        cur = self.conn.execute(
            "INSERT INTO leases(key, holder, expires_at) SELECT ?, ?, ? WHERE ? OR EXISTS"
            " (SELECT 1 FROM pending WHERE url=?) ON CONFLICT(key) DO UPDATE"
            " SET holder=excluded.holder, expires_at=excluded.expires_at"
            " WHERE leases.expires_at < ? OR leases.holder = excluded.holder",
            (key, holder, now + seconds, not queued, key, now))
        return cur.rowcount > 0

    def renew_leases(self, holder: str, seconds: float) -> int:
        """Every lease ``holder`` has runs ``seconds`` from now again (a live process keeps its work)."""
        return self.conn.execute("UPDATE leases SET expires_at=? WHERE holder=?",
                                 (self.clock() + seconds, holder)).rowcount

    def release_lease(self, key: str, holder: str) -> None:
        self.conn.execute("DELETE FROM leases WHERE key=? AND holder=?", (key, holder))

    def leases_elsewhere(self, holder: str) -> int:
        """Queued URLs another holder's running lease covers (work in hand elsewhere)."""
        return self.conn.execute(
            "SELECT COUNT(*) FROM leases l JOIN pending p ON p.url = l.key WHERE l.holder != ? AND l.expires_at >= ?",
            (holder, self.clock())).fetchone()[0]

    def claim_start(self, host: str, gap: float) -> float:
        """Start a request to ``host`` now if ``gap`` seconds have passed since the last start by any process:
        then now is recorded as the last start and 0 returned; else the seconds left to wait. (Claimed at the
        moment of sending, not reserved ahead: a thread woken late — the GIL held by a check — would
        otherwise send late, and the next process's on-time request would follow it too closely.)"""
        now = self.clock()
        claimed = self.conn.execute(
            "INSERT INTO host_starts(host, next_start) VALUES (?, ?) ON CONFLICT(host) DO UPDATE"
            " SET next_start=excluded.next_start WHERE host_starts.next_start <= ?",
            (host, now + max(0.0, gap), now)).rowcount
        if claimed:
            return 0.0
        row = self.conn.execute("SELECT next_start FROM host_starts WHERE host=?", (host,)).fetchone()
        return max(0.001, (row[0] if row else now) - now)  # never 0 unclaimed: the caller asks again

    def get_checkpoint(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM checkpoints WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_checkpoint(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO checkpoints(key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at",
                (key, value, utc_now()),
            )

    # --- licences ----------------------------------------------------------------------------------
    def add_licences(self, licences: Sequence[Licence]) -> list[Licence]:
        """Insert all or none; returns them with their ids."""
        now = utc_now()
        added = []
        with self.transaction():
            for lic in licences:
                cur = self.conn.execute(
                    "INSERT INTO licences (reprinter_kind, reprinter, outlet, valid_from, valid_until, scope, note,"
                    " created_at, timezone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (lic.reprinter_kind, lic.reprinter, lic.outlet, lic.valid_from, lic.valid_until, lic.scope,
                     lic.note, now, lic.timezone or ""),
                )
                added.append(Licence(**{**lic.to_dict(), "id": cur.lastrowid, "created_at": now}))
        return added

    def licences(self) -> list[Licence]:
        """Every licence, by id."""
        return [Licence(**dict(r)) for r in self.conn.execute("SELECT * FROM licences ORDER BY id")]

    def get_licence(self, licence_id: int) -> Licence | None:
        row = self.conn.execute("SELECT * FROM licences WHERE id = ?", (licence_id,)).fetchone()
        return Licence(**dict(row)) if row else None

    def remove_licences(self, licence_ids: Iterable[int]) -> list[int]:
        """Delete licences; returns the ids that existed."""
        removed = []
        with self.transaction():
            for licence_id in licence_ids:
                if self.conn.execute("DELETE FROM licences WHERE id = ?", (int(licence_id),)).rowcount:
                    removed.append(int(licence_id))
        return removed

    def data_version(self) -> int:
        """Changes whenever another connection commits to the store (SQLite ``PRAGMA data_version``; on
        PostgreSQL the server's snapshot, see :meth:`reprintwatch.pgdb.Database.data_version`)."""
        if self.engine == "postgresql":
            return self.db.data_version()
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def outlets(self) -> list[str]:
        """The licensed outlets that have findings."""
        rows = self.conn.execute("SELECT DISTINCT licensed_outlet FROM findings WHERE licensed_outlet != ''")
        return sorted(r[0] for r in rows)

    # --- complaints and takedowns -------------------------------------------------------------------
    def put_holder(self, holder: dict, replace: bool = False) -> dict:
        """Insert (or with ``replace``, overwrite) the rights holder of ``holder["outlet"]``."""
        now = utc_now()
        values = (holder["legal_name"], holder["address"], holder["contact"],
                  json.dumps(list(holder.get("proofs") or []), ensure_ascii=False), holder.get("agent") or "",
                  holder.get("power_of_attorney") or "", holder.get("note") or "")
        with self.transaction():
            if self.get_holder(holder["outlet"]) is not None:
                if not replace:
                    raise BadInput(f"holder {holder['outlet']}", "already recorded; use `holder edit` to change it")
                self.conn.execute(
                    "UPDATE rights_holders SET legal_name=?, address=?, contact=?, proofs_json=?, agent=?,"
                    " power_of_attorney=?, note=?, updated_at=? WHERE outlet=?", (*values, now, holder["outlet"]))
            else:
                self.conn.execute(
                    "INSERT INTO rights_holders(outlet, legal_name, address, contact, proofs_json, agent,"
                    " power_of_attorney, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (holder["outlet"], *values, now, now))
        return self.get_holder(holder["outlet"])

    def get_holder(self, outlet: str) -> dict | None:
        row = self.conn.execute("SELECT * FROM rights_holders WHERE outlet=?", (outlet,)).fetchone()
        return _holder_dict(row) if row else None

    def list_holders(self) -> list[dict]:
        return [_holder_dict(r) for r in self.conn.execute("SELECT * FROM rights_holders ORDER BY outlet")]

    def add_complaint(self, finding_ids: Iterable[int], filed_at: str, channel: str, reference: str = "",
                      note: str = "") -> list[int]:
        """Record one complaint against each finding (all or none). Unknown finding ids are bad input."""
        ids = []
        with self.transaction():
            for fid in finding_ids:
                if self.conn.execute("SELECT 1 FROM findings WHERE id=?", (fid,)).fetchone() is None:
                    raise BadInput(f"finding {fid}", "no such finding in the store")
                cur = self.conn.execute(
                    "INSERT INTO complaints(finding_id, filed_at, channel, reference, note, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)", (fid, filed_at, channel, reference, note, utc_now()))
                ids.append(cur.lastrowid)
        return ids

    def complaints_for(self, finding_ids: Iterable[int] | None = None) -> dict[int, list[dict]]:
        """Complaints by finding id, oldest first (every finding's when ``finding_ids`` is None)."""
        return _by_finding(self.conn.execute("SELECT * FROM complaints ORDER BY filed_at, id"), finding_ids)

    def record_status(self, finding_id: int, state: str, checked_at: str, detail: str = "",
                      http_status: int | None = None, evidence_id: int | None = None, url: str = "",
                      run: str = "") -> bool:
        """Record what a re-check (of run ``run``) saw. Returns True when the state changed (a new history
        row), False when it only extends the latest row's ``last_checked_at``."""
        with self.transaction():
            latest = self.conn.execute(
                "SELECT id, state FROM finding_status WHERE finding_id=? ORDER BY id DESC LIMIT 1", (finding_id,)
            ).fetchone()
            if latest is not None and latest["state"] == state:
                self.conn.execute("UPDATE finding_status SET last_checked_at=?, last_run=? WHERE id=?",
                                  (checked_at, run, latest["id"]))
                return False
            self.conn.execute(
                "INSERT INTO finding_status(finding_id, state, checked_at, last_checked_at, url, detail, http_status,"
                " evidence_id, last_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (finding_id, state, checked_at, checked_at, url, detail, http_status, evidence_id, run))
            return True

    def status_history(self, finding_ids: Iterable[int] | None = None) -> dict[int, list[dict]]:
        """Re-check history by finding id, oldest first, with each row's evidence SHA-256."""
        return _by_finding(self.conn.execute(
            "SELECT st.*, e.sha256 AS evidence_sha256 FROM finding_status st"
            " LEFT JOIN evidence e ON e.id = st.evidence_id ORDER BY st.finding_id, st.id"), finding_ids)

    def latest_states(self, finding_ids: Iterable[int] | None = None) -> dict[int, str]:
        return {fid: rows[-1]["state"] for fid, rows in self.status_history(finding_ids).items()}

    def last_runs(self, finding_ids: Iterable[int] | None = None) -> dict[int, str]:
        """The re-check run that last saw each finding."""
        return {fid: rows[-1]["last_run"] for fid, rows in self.status_history(finding_ids).items()}

    def first_seen(self, urls: Iterable[str]) -> dict[str, str]:
        """When ingestion first saw each URL (from ``seen``)."""
        out = {}
        for url in set(u for u in urls if u):
            row = self.conn.execute("SELECT first_seen FROM seen WHERE url=?", (url,)).fetchone()
            if row is not None:
                out[url] = row[0]
        return out

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("evidence", "suspects", "findings", "seen", "pending", "licences"):
            out[table] = self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        return out


def _by_finding(rows, finding_ids) -> dict[int, list[dict]]:
    """Rows grouped by ``finding_id`` (in row order), keeping only ``finding_ids`` unless it is None."""
    wanted = None if finding_ids is None else set(finding_ids)
    out: dict[int, list[dict]] = {}
    for r in rows:
        if wanted is None or r["finding_id"] in wanted:
            out.setdefault(r["finding_id"], []).append(dict(r))
    return out


def _holder_dict(row: sqlite3.Row) -> dict:
    data = dict(row)
    data["proofs"] = json.loads(data.pop("proofs_json") or "[]")
    return data
