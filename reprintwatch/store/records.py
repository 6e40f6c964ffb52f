"""What the store hands out and the small helpers every part of it shares: the records :class:`Finding` and
:class:`Licence`, :class:`StoreError`, the clock string :func:`utc_now`, date bounds, and hashing (pure, apart
from :func:`utc_now`'s clock and :func:`store_exists` looking at a location)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from .. import dates, pgdb
from ..errors import BadInput, ReprintwatchError


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
    rules_version: int | None  # the detection rules that made it (``detector.RULES_VERSION``; None: older than that)
    withdrawn_at: str | None  # when re-judging found the current rules no longer make it (kept for audit)
    withdrawn_reason: str | None
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


def current_rules() -> int:
    """The detection rules' version a finding made now is made by (``reprintwatch.detector.RULES_VERSION``)."""
    from ..detector import RULES_VERSION

    return RULES_VERSION


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
