"""What the store knows about each finding's fate: first/last seen, the re-check history, complaints.

Reads only; the writes are the store's (``record_status``, ``add_complaint``).
"""
from __future__ import annotations

from typing import Sequence

from .dossier import Tracking
from .rules import ONLINE_STATES, REMOVED_STATES, STATE_LABELS_ZH


def _later(a, b):
    return max((x for x in (a, b) if x), default=None)


def _earlier(a, b):
    return min((x for x in (a, b) if x), default=None)


def load_tracking(store, findings: Sequence) -> dict:
    """``finding_id`` → :class:`Tracking` for ``findings`` (records or dicts from the store)."""
    ids = [f.get("finding_id") for f in findings]
    history = store.status_history(ids)
    complaints = store.complaints_for(ids)
    first_seen = store.first_seen([f.get("url") for f in findings])
    out = {}
    for f in findings:
        fid = f.get("finding_id")
        rows = [{**h, "state_zh": STATE_LABELS_ZH.get(h["state"], h["state"])} for h in history.get(fid, [])]
        last_seen = f.get("checked_at")
        for h in rows:
            if h["state"] in ONLINE_STATES:
                last_seen = _later(last_seen, h.get("last_checked_at") or h.get("checked_at"))
        latest = rows[-1] if rows else None
        evidence = store.evidence(f.get("evidence_id")) if f.get("evidence_id") else None
        out[fid] = Tracking(
            first_seen=_earlier(first_seen.get(f.get("url")), f.get("checked_at")),
            last_seen=last_seen,
            state=latest["state"] if latest else None,
            state_at=latest.get("checked_at") if latest else None,
            history=rows,
            complaints=complaints.get(fid, []),
            evidence={k: v for k, v in (evidence or {}).items() if k != "body_path"} or None,
        )
    return out


def removed_at(t: Tracking) -> str | None:
    """When the current removal was first observed (None when the copy is not removed)."""
    if t.state not in REMOVED_STATES:
        return None
    first = None
    for h in reversed(t.history):  # removed by the author, then a 404: the removal began at the first
        if h["state"] not in REMOVED_STATES:
            break
        first = h.get("checked_at")
    return first


def takedown_rows(store, licences, findings: Sequence) -> list[dict]:
    """The infringing findings among ``findings`` as rows for :func:`~reprintwatch.complaint.takedown.takedown_summary`."""
    from ..report.assess import UNAUTHORISED, assess
    from .takedown import tracking_row

    infringing = [(f, a) for f, a in ((f, assess(f, licences)) for f in findings) if a.status == UNAUTHORISED]
    tracking = load_tracking(store, [f for f, _ in infringing])
    rows = []
    for f, a in infringing:
        t = tracking[f.get("finding_id")]
        rows.append(tracking_row(f, a.reprinter.label(), t.first_seen, t.state, removed_at(t), t.complaints))
    return rows


def takedown_for(store, licences, findings: Sequence) -> dict:
    """Complaint status, days to removal and repeat infringers for ``findings`` (the reports' section)."""
    from .takedown import takedown_summary

    return takedown_summary(takedown_rows(store, licences, findings))
