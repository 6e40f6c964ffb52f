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

The store is one facade class, :class:`Store`, composed of one part per job (each a module here):
:mod:`.findings` (evidence, suspects, findings), :mod:`.ingest_state` (``seen``, ``pending``, checkpoints,
leases, host starts), :mod:`.licences`, :mod:`.complaints` (rights holders, complaints, finding status);
:mod:`.schema` holds the one schema, its version and upgrades; :mod:`.records` the records and shared helpers.

Every page is recorded in one transaction (evidence row, suspect, findings, ``seen`` and ``pending``), so a
process killed at any moment leaves the store either before or after the page, never half-way.
"""

from __future__ import annotations

from pathlib import Path

from .. import pgdb
from ..sqlitedb import Database
from .complaints import ComplaintsPart
from .findings import FindingsPart
from .ingest_state import IngestStatePart
from .licences import LicencesPart
from .records import (FINDING_FIELDS, Finding, Licence, StoreError, sha256_hex, store_exists, to_utc_bound,
                      utc_now)
from .schema import _PG_SHARED, _SCHEMA, _UPGRADES, STORE_SCHEMA_VERSION

__all__ = ["FINDING_FIELDS", "Finding", "Licence", "STORE_SCHEMA_VERSION", "Store", "StoreError", "sha256_hex",
           "store_exists", "to_utc_bound", "utc_now"]


class Store(FindingsPart, IngestStatePart, LicencesPart, ComplaintsPart):
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

    def data_version(self) -> int:
        """Changes whenever another connection commits to the store (SQLite ``PRAGMA data_version``; on
        PostgreSQL the server's snapshot, see :meth:`reprintwatch.pgdb.Database.data_version`)."""
        if self.engine == "postgresql":
            return self.db.data_version()
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("evidence", "suspects", "findings", "seen", "pending", "licences"):
            out[table] = self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        return out
