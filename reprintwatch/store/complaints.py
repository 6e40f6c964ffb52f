"""The complaints part of the store: rights holders (who complains for an outlet), complaints filed against
findings, and the takedown status re-checks saw of each finding's copy. Mixed into
:class:`reprintwatch.store.Store`, which gives it ``conn`` and ``transaction``."""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable

from ..errors import BadInput
from .records import utc_now


class ComplaintsPart:
    """Rights holders, complaints and finding status (tables ``rights_holders``, ``complaints``,
    ``finding_status``)."""

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
