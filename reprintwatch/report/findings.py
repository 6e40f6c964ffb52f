"""Findings for reports: one flat dict per finding (finding + suspect text + evidence hash), read through
the ingestion store's API (:class:`reprintwatch.store.Store`). Read-only; reports never change a finding.

Keys: ``finding_id``, ``suspect_id``, ``licensed_*``, ``verdict``, ``similarity``, ``licensed_coverage``,
``suspect_coverage``, ``passages``, ``created_at``; the suspect's ``source``, ``platform``, ``site``,
``account``, ``url``, ``canonical_url``, ``title``, ``author``, ``published_at``, ``content``,
``original_flag``, ``source_link``, ``evidence_id``, ``checked_at``; ``evidence_sha256``.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import ReprintwatchError
from ..store import Store, to_utc_bound

# store.list_findings key → report key (suspect columns are prefixed there)
_RENAMES = {
    "id": "finding_id",
    "suspect_url": "url",
    "suspect_title": "title",
    "suspect_author": "author",
    "suspect_published_at": "published_at",
    "suspect_version": "version",
    "suspect_status": "status",
}


class FindingsStore:
    """Read access to the findings store at ``path``. Use as a context manager."""

    def __init__(self, path):
        self.path = Path(path).expanduser()
        if not self.path.exists():
            raise ReprintwatchError(
                f"{self.path}: no findings store here; run ingestion first or set REPRINTWATCH_STORE"
            )
        self.store = Store(self.path)
        self._evidence_cache: dict = {}

    def close(self) -> None:
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _complete(self, row: dict) -> dict:
        item = {_RENAMES.get(k, k): v for k, v in row.items()}
        suspect = self.store.get_suspect(item["suspect_id"]) or {}
        item["content"] = suspect.get("content") or ""
        for name in ("similarity", "licensed_coverage", "suspect_coverage"):
            item[name] = float(item.get(name) or 0.0)
        item["passages"] = [p for p in (item.get("passages") or []) if isinstance(p, dict)]
        evidence = self.evidence_row(item.get("evidence_id"))
        item["evidence_sha256"] = evidence.get("sha256") if evidence else None
        # who served the copy is the fetched URL after redirects (the page's canonical is only a claim)
        item["final_url"] = (evidence.get("final_url") if evidence else None) or item.get("url")
        seen = self.store.get_seen(item.get("url") or "") if item.get("url") else None
        item["first_seen"] = (seen or {}).get("first_seen") or item.get("checked_at")
        return item

    def list_findings(self, since=None, until=None, outlet=None, verdict=None) -> list[dict]:
        """Findings created from ``since`` up to before ``until`` (dates/datetimes, UTC), oldest first."""
        # Store.list_findings treats a bare-date ``until`` as inclusive; the reports want half-open days.
        rows = self.store.list_findings(since=since, outlet=outlet, verdict=verdict)
        hi = to_utc_bound(until, end=False, where="until") if until else None
        return [self._complete(r) for r in rows if hi is None or r["created_at"] < hi]

    def get_finding(self, finding_id) -> dict | None:
        try:
            key = int(finding_id)
        except (TypeError, ValueError):
            return None
        row = self.store.get_finding(key)
        return self._complete(row) if row else None

    def evidence_row(self, evidence_id) -> dict | None:
        if evidence_id is None:
            return None
        if evidence_id not in self._evidence_cache:
            self._evidence_cache[evidence_id] = self.store.evidence(evidence_id)
        return self._evidence_cache[evidence_id]

    def evidence_bytes(self, evidence_id) -> bytes | None:
        """The stored page bytes, checked by the store against the SHA-256 recorded at fetch time."""
        if evidence_id is None:
            return None
        return self.store.evidence_bytes(evidence_id)
