"""The store's one schema: every table of every part (``_SCHEMA``), the tables only a PostgreSQL store has
(``_PG_SHARED``), the schema version and the upgrades from older versions (:class:`reprintwatch.store.Store`
opens a store with them; the parts in ``reprintwatch.store.*`` only read and write the tables)."""

from __future__ import annotations

STORE_SCHEMA_VERSION = 5


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


def _upgrade_4(conn) -> None:
    """Version 4 → 5: findings and suspects keep the detection rules' version they were made by
    (``rules_version``; none: made before it was kept, i.e. by older rules), and a finding the current rules
    no longer make is withdrawn (``withdrawn_at``, ``withdrawn_reason``), never deleted: a complaint may have
    been filed on it. ``finding_judgements`` (made by the schema) keeps what each re-judging changed."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(findings)")}
    for name, kind in (("rules_version", "INTEGER"), ("withdrawn_at", "TEXT"), ("withdrawn_reason", "TEXT")):
        if columns and name not in columns:
            conn.execute(f"ALTER TABLE findings ADD COLUMN {name} {kind}")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(suspects)")}
    if columns and "rules_version" not in columns:
        conn.execute("ALTER TABLE suspects ADD COLUMN rules_version INTEGER")


_UPGRADES = {1: _upgrade_1, 2: _upgrade_2, 3: _upgrade_3, 4: _upgrade_4}

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
    rules_version INTEGER,
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
    rules_version INTEGER,
    withdrawn_at TEXT,
    withdrawn_reason TEXT,
    UNIQUE(suspect_id, licensed_id)
);
CREATE INDEX IF NOT EXISTS findings_created ON findings(created_at);
CREATE INDEX IF NOT EXISTS findings_outlet ON findings(licensed_outlet);
CREATE INDEX IF NOT EXISTS findings_rules ON findings(rules_version, withdrawn_at);
CREATE INDEX IF NOT EXISTS suspects_rules ON suspects(rules_version);
CREATE TABLE IF NOT EXISTS finding_judgements (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    judged_at TEXT NOT NULL,
    rules_version INTEGER NOT NULL,
    previous_rules_version INTEGER,
    outcome TEXT NOT NULL,
    before_json TEXT NOT NULL DEFAULT '{}',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS finding_judgements_finding ON finding_judgements(finding_id, id);
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
