"""Takedowns for the reports: what became of each infringing copy (the re-check states and history kept by
``reprintwatch recheck``, the complaints recorded against findings), and the figures the daily and coverage
reports show: complaint status, days to removal (median) per platform and per reprinter, repeat infringers.

:func:`takedown_for` reads the store; :func:`takedown_summary` is pure (rows in, plain data out);
:func:`render_takedown_text` / :func:`render_takedown_html` give the report section.

A removal is *observed* when a re-check finds the copy gone, so every "days to removal" is an upper
bound: the copy went down at some point between the previous check and that one.
"""
from __future__ import annotations

import datetime as _dt
import statistics
from collections import defaultdict
from typing import Iterable

from dataclasses import dataclass, field
from typing import Sequence

from ..dates import parse_datetime

DAY = 86400.0

# --- re-check states (what ``recheck`` records in the store's ``finding_status``) ----------------------------
ONLINE = "online"  # the copy is there, unchanged
CHANGED = "changed"  # the page is there but its text changed
REMOVED_BY_AUTHOR = "removed_by_author"  # 该内容已被发布者删除, 此帐号已自主注销
REMOVED_AFTER_COMPLAINT = "removed_after_complaint"  # 此内容被投诉且经审核涉嫌侵权，无法查看
REMOVED_BY_PLATFORM = "removed_by_platform"  # 此内容因违规无法查看, 此帐号已被屏蔽
REMOVED = "removed"  # HTTP 404/410, or another notice that names no one
UNREACHABLE = "unreachable"  # time-out, connection error, 5xx, robots.txt: we could not tell
STATES = (ONLINE, CHANGED, REMOVED_BY_AUTHOR, REMOVED_AFTER_COMPLAINT, REMOVED_BY_PLATFORM, REMOVED, UNREACHABLE)
REMOVED_STATES = frozenset({REMOVED_BY_AUTHOR, REMOVED_AFTER_COMPLAINT, REMOVED_BY_PLATFORM, REMOVED})
ONLINE_STATES = frozenset({ONLINE, CHANGED})

STATE_LABELS_ZH = {
    ONLINE: "仍在线",
    CHANGED: "在线（内容已改动）",
    REMOVED_BY_AUTHOR: "已被发布者删除",
    REMOVED_AFTER_COMPLAINT: "因投诉被平台删除",
    REMOVED_BY_PLATFORM: "被平台处理（违规/屏蔽）",
    REMOVED: "已删除（页面不存在）",
    UNREACHABLE: "无法访问",
}


@dataclass
class Tracking:
    """What the store knows about a finding beyond the finding itself."""

    first_seen: str | None = None  # first time ingestion saw the copy
    last_seen: str | None = None  # last time the copy was seen online (ingest or re-check)
    state: str | None = None  # latest re-check state (STATES), None when never re-checked
    state_at: str | None = None
    history: list[dict] = field(default_factory=list)  # status rows, oldest first
    complaints: list[dict] = field(default_factory=list)  # complaints recorded against the finding
    evidence: dict | None = None  # the evidence row of the page the finding was made from


def _later(a, b):
    return max((x for x in (a, b) if x), default=None)


def _earlier(a, b):
    return min((x for x in (a, b) if x), default=None)


def load_tracking(store, findings: Sequence, evidence: bool = True) -> dict:
    """``finding_id`` → :class:`Tracking` for ``findings`` (records or dicts from the store); ``evidence``:
    with the evidence row of each (one query a finding: what a dossier needs, not a list)."""
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
        row = store.evidence(f.get("evidence_id")) if evidence and f.get("evidence_id") else None
        out[fid] = Tracking(
            first_seen=_earlier(first_seen.get(f.get("url")), f.get("checked_at")),
            last_seen=last_seen,
            state=latest["state"] if latest else None,
            state_at=latest.get("checked_at") if latest else None,
            history=rows,
            complaints=complaints.get(fid, []),
            evidence={k: v for k, v in (row or {}).items() if k != "body_path"} or None,
        )
    return out


STATE_LABELS = {
    ONLINE: "still online",
    CHANGED: "online, text changed",
    REMOVED_BY_AUTHOR: "removed by the author",
    REMOVED_AFTER_COMPLAINT: "removed after a complaint",
    REMOVED_BY_PLATFORM: "removed by the platform",
    REMOVED: "removed (page gone)",
    UNREACHABLE: "unreachable at re-check",
}


def finding_takedown(t: Tracking) -> dict:
    """What one finding shows of its fate: the latest re-check state and when, when the removal was first
    observed, and the complaints filed (``findings list``, report rows, ``serve``'s finding page)."""
    filed = [c for c in t.complaints if c.get("filed_at")]
    return {
        "state": t.state,
        "state_label": STATE_LABELS.get(t.state, t.state) if t.state else "not re-checked",
        "state_at": t.state_at,
        "removed_at": removed_at(t),
        "last_seen": t.last_seen,
        "complaints": len(t.complaints),
        "first_complaint_at": filed[0]["filed_at"] if filed else None,
        "complaint_channels": sorted({c.get("channel") for c in t.complaints if c.get("channel")}),
    }


def has_news(d: dict | None) -> bool:
    """Was the copy re-checked or complained about? (A list line for every finding saying "not re-checked"
    would only repeat what the takedown summary counts; a finding's own page says it anyway.)"""
    return bool(d) and bool(d.get("state") or d.get("complaints"))


def takedown_text(d: dict | None) -> str:
    """One line for a finding's takedown (:func:`finding_takedown`): ``removed by the author (seen gone
    2026-11-05); 1 complaint (platform), first 2026-11-03``. The caller escapes it for its medium."""
    if not d:
        return ""
    state = d["state_label"]
    when = d.get("removed_at") or d.get("state_at")
    if d.get("state") and when:
        state += f" ({'seen gone' if d.get('removed_at') else 'checked'} {str(when)[:10]})"
    n = d.get("complaints") or 0
    if not n:
        return f"{state}; no complaint recorded"
    channels = f" ({', '.join(d['complaint_channels'])})" if d.get("complaint_channels") else ""
    first = f", first {str(d['first_complaint_at'])[:10]}" if d.get("first_complaint_at") else ""
    return f"{state}; {n} complaint{'s' if n != 1 else ''}{channels}{first}"


def with_takedowns(store, assessments: Sequence) -> list:
    """``assessments`` whose findings carry ``takedown`` (:func:`finding_takedown`), read from ``store``
    in one pass: what every view of a finding shows beside its judgement."""
    from dataclasses import replace

    assessments = list(assessments)
    tracking = load_tracking(store, [a.finding for a in assessments], evidence=False) if assessments else {}
    return [replace(a, finding={**a.finding, "takedown": finding_takedown(tracking[a.finding.get("finding_id")])})
            for a in assessments]


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


def instant(value) -> _dt.datetime | None:
    """An ISO date or datetime as an aware datetime (the one parser, :func:`reprintwatch.dates.parse_datetime`:
    a bare date is China midnight; a time without a zone is China time)."""
    return parse_datetime(value) if value else None


def days_between(start, end) -> float | None:
    a, b = instant(start), instant(end)
    if a is None or b is None or b < a:
        return None
    return (b - a).total_seconds() / DAY


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def tracking_row(finding, reprinter: str, first_seen, state, removed_at, complaints) -> dict:
    """One infringing finding as the summary wants it. ``removed_at``: when the current removal was first
    observed (None when online); ``complaints``: dicts with ``filed_at``."""
    filed = sorted(c.get("filed_at") for c in complaints or () if c.get("filed_at"))
    return {
        "finding_id": finding.get("finding_id"),
        "platform": finding.get("platform") or "unknown",
        "reprinter": reprinter,
        "licensed_id": finding.get("licensed_id"),
        "first_seen": first_seen,
        "published_at": finding.get("published_at"),
        "state": state,
        "removed_at": removed_at if state in REMOVED_STATES else None,
        "first_complaint": filed[0] if filed else None,
    }


def _copied_at(row: dict) -> _dt.datetime | None:
    return instant(row.get("published_at")) or instant(row.get("first_seen"))


def _block(rows: list[dict]) -> dict:
    removed = [r for r in rows if r["state"] in REMOVED_STATES]
    after_complaint = [days_between(r["first_complaint"], r["removed_at"]) for r in removed if r["first_complaint"]]
    after_seen = [days_between(r["first_seen"], r["removed_at"]) for r in removed]
    return {
        "findings": len(rows),
        "complained": sum(1 for r in rows if r["first_complaint"]),
        "removed": len(removed),
        "removed_after_complaint_notice": sum(1 for r in removed if r["state"] == REMOVED_AFTER_COMPLAINT),
        "still_online": sum(1 for r in rows if r["state"] not in REMOVED_STATES and r["state"] != UNREACHABLE),
        "unreachable": sum(1 for r in rows if r["state"] == UNREACHABLE),
        "never_rechecked": sum(1 for r in rows if r["state"] is None),
        "median_days_complaint_to_removal": _median([d for d in after_complaint if d is not None]),
        "median_days_seen_to_removal": _median([d for d in after_seen if d is not None]),
    }


def takedown_summary(rows: Iterable[dict]) -> dict:
    """Rows from :func:`tracking_row` (infringing findings only) → counts, medians, repeat infringers."""
    rows = list(rows)
    by_platform: dict[str, list] = defaultdict(list)
    by_reprinter: dict[str, list] = defaultdict(list)
    for r in rows:
        by_platform[r["platform"]].append(r)
        by_reprinter[r["reprinter"]].append(r)
    repeat = []
    for name, group in by_reprinter.items():
        works = {r["licensed_id"] for r in group}
        # copied again after a complaint about another of its copies: published (first seen, when the publish
        # time is unknown) after that complaint was filed
        after = [
            r for r in group
            if _copied_at(r) and any(
                o is not r and instant(o["first_complaint"]) and instant(o["first_complaint"]) < _copied_at(r)
                for o in group)
        ]
        if len(works) >= 2 or after:
            repeat.append({
                "reprinter": name,
                "platform": group[0]["platform"],
                "works": len(works),
                "findings": len(group),
                "copied_after_a_complaint": len(after),
                "removed": sum(1 for r in group if r["state"] in REMOVED_STATES),
            })
    repeat.sort(key=lambda x: (-x["copied_after_a_complaint"], -x["works"], x["reprinter"]))
    return {
        **_block(rows),
        "by_platform": [{"platform": k, **_block(v)} for k, v in sorted(by_platform.items())],
        "by_reprinter": sorted(
            ({"reprinter": k, "platform": v[0]["platform"], **_block(v)} for k, v in by_reprinter.items()),
            key=lambda x: (-x["findings"], x["reprinter"]),
        ),
        "repeat_infringers": repeat,
        "states": {s: sum(1 for r in rows if r["state"] == s) for s in STATE_LABELS_ZH},
    }


def _days(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def render_takedown_text(s: dict) -> list[str]:
    """Lines for the text reports (the caller strips control characters, as for every line)."""
    lines = [
        "",
        f"Takedowns: {s['findings']} infringing finding(s), {s['complained']} complained about, {s['removed']} removed "
        f"({s['removed_after_complaint_notice']} with a complaint notice), {s['still_online']} still online, "
        f"{s['unreachable']} unreachable, {s['never_rechecked']} never re-checked; median days to removal: "
        f"{_days(s['median_days_complaint_to_removal'])} after a complaint, {_days(s['median_days_seen_to_removal'])} "
        "after first seen.",
    ]
    for b in s["by_platform"]:
        lines.append(
            f"  {b['platform']}: {b['findings']} infringing, {b['complained']} complained, {b['removed']} removed, "
            f"median days {_days(b['median_days_complaint_to_removal'])} after complaint"
        )
    for b in s["by_reprinter"]:
        lines.append(
            f"  {b['reprinter']}: {b['findings']} infringing, {b['complained']} complained, {b['removed']} removed, "
            f"median days {_days(b['median_days_complaint_to_removal'])} after complaint"
        )
    for r in s["repeat_infringers"]:
        lines.append(
            f"  repeat infringer: {r['reprinter']} ({r['works']} articles, {r['copied_after_a_complaint']} copied "
            "after a complaint)"
        )
    return lines


def render_takedown_html(s: dict, esc) -> str:
    """An HTML section (``esc`` is the report's escaper; reprinter names come from pages)."""
    def table(title: str, key: str, blocks: list[dict]) -> str:
        head = (f"<tr><th>{title}</th><th class='n'>infringing</th><th class='n'>complained</th>"
                "<th class='n'>removed</th><th class='n'>still online</th>"
                "<th class='n'>median days, complaint → removal</th><th class='n'>median days, seen → removal</th></tr>")
        body = "".join(
            f"<tr><td>{esc(b[key])}</td><td class='n'>{b['findings']}</td><td class='n'>{b['complained']}</td>"
            f"<td class='n'>{b['removed']}</td><td class='n'>{b['still_online']}</td>"
            f"<td class='n'>{_days(b['median_days_complaint_to_removal'])}</td>"
            f"<td class='n'>{_days(b['median_days_seen_to_removal'])}</td></tr>"
            for b in blocks
        )
        return f"<table class='groups takedown'>{head}{body}</table>"

    repeat = "".join(
        f"<li>{esc(r['reprinter'])}: {r['works']} articles, {r['findings']} finding(s), "
        f"{r['copied_after_a_complaint']} copied after a complaint, {r['removed']} removed</li>"
        for r in s["repeat_infringers"]
    ) or "<li>none</li>"
    return (
        "<section id='takedowns'><h2>Complaints and takedowns</h2>"
        f"<p>{s['findings']} infringing finding(s): {s['complained']} complained about, {s['removed']} removed "
        f"({s['removed_after_complaint_notice']} with a platform's complaint notice), {s['still_online']} still online, "
        f"{s['unreachable']} unreachable, {s['never_rechecked']} never re-checked. Median days to removal: "
        f"<b>{_days(s['median_days_complaint_to_removal'])}</b> after a complaint, "
        f"{_days(s['median_days_seen_to_removal'])} after first seen (observed at re-check: an upper bound).</p>"
        + table("Platform", "platform", s["by_platform"])
        + "<h3>By reprinter</h3>" + table("Reprinter", "reprinter", s["by_reprinter"])
        + f"<h3>Repeat infringers</h3><ul class='repeat'>{repeat}</ul></section>"
    )


def takedown_rows(store, licences, findings: Sequence, index=None) -> list[dict]:
    """The infringing findings among ``findings`` as rows for :func:`takedown_summary` (their triage as
    the reports read it: :func:`assess.triage_of`)."""
    from ..triage.assess import UNAUTHORISED, triage_of

    infringing = [(a.finding, a) for a in triage_of(store, findings, licences, index) if a.status == UNAUTHORISED]
    tracking = load_tracking(store, [f for f, _ in infringing], evidence=False)
    rows = []
    for f, a in infringing:
        t = tracking[f.get("finding_id")]
        rows.append(tracking_row(f, a.reprinter.label(), t.first_seen, t.state, removed_at(t), t.complaints))
    return rows


def takedown_for(store, licences, findings: Sequence, index=None) -> dict:
    """Complaint status, days to removal and repeat infringers for ``findings`` (the reports' section)."""
    return takedown_summary(takedown_rows(store, licences, findings, index))

