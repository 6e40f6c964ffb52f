"""Publisher coverage: for each of one outlet's articles, where it was reprinted and whether that was allowed.

Articles count from ``since`` by their own publish time (or, when the licensed article has none, by the
day the finding was made). Articles nobody reprinted do not appear; the summary says how many of the
outlet's articles the licensed index holds, when it can tell.
"""
from __future__ import annotations

import datetime as _dt
from typing import Sequence

from ..errors import LicensedIndexError
from .assess import AUTHORISED, PUBLISHED_FIRST, UNAUTHORISED, assess_all
from .daily import CHART_DAYS, Group, Report, chart_data, day_range, finding_day, now_utc
from .licences import Licence


def _article_day(finding: dict) -> str:
    return (finding.get("licensed_published_at") or finding.get("created_at") or "")[:10]


def coverage_report(
    store,
    licences: Sequence[Licence],
    outlet: str,
    index=None,
    since: _dt.date | None = None,
    chart_days: int = CHART_DAYS,
) -> Report:
    findings = store.list_findings(outlet=outlet)
    if since:
        findings = [f for f in findings if _article_day(f) >= since.isoformat()]
    assessments = assess_all(findings, licences, index)
    groups: dict[str, Group] = {}
    for a in assessments:
        f = a.finding
        key = f.get("licensed_id") or "?"
        group = groups.setdefault(
            key,
            Group(
                key,
                f.get("licensed_title") or key,
                detail={
                    "licensed_id": key,
                    "licensed_url": f.get("licensed_url"),
                    "licensed_published_at": f.get("licensed_published_at"),
                },
            ),
        )
        group.assessments.append(a)
    order = {UNAUTHORISED: 0, PUBLISHED_FIRST: 1, AUTHORISED: 2}
    for g in groups.values():
        g.assessments.sort(key=lambda a: (order[a.status], a.reprinter.label(), str(a.finding.get("finding_id"))))
    ordered = sorted(
        groups.values(), key=lambda g: (str(g.detail.get("licensed_published_at") or ""), g.key), reverse=True
    )
    days = sorted({finding_day(f) for f in findings} - {"unknown"})
    last = _dt.date.fromisoformat(days[-1]) if days else _dt.datetime.now(_dt.timezone.utc).date()
    indexed = None
    if index is not None:
        try:
            indexed = index.stats().outlets.get(outlet)
        except LicensedIndexError:  # stats are a nicety; a backend that cannot give them does not stop the report
            indexed = None
    extra_summary = {"articles_reprinted": len(groups)}
    if indexed is not None:
        extra_summary["articles_in_index"] = indexed
    period = f"since {since.isoformat()}" if since else "all time"
    return Report(
        kind="coverage",
        title=f"Where {outlet}'s articles went ({period})",
        period=period,
        generated_at=now_utc(),
        assessments=assessments,
        groups=ordered,
        chart=chart_data(findings, day_range(last, chart_days)),
        extra={"summary": extra_summary, "outlet": outlet},
    )
