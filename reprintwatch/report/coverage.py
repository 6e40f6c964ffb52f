"""Publisher coverage: for each of one outlet's articles, where it was reprinted and whether that was allowed.

Articles count from ``since`` by their own publish time (or, when the licensed article has none, by the
day the finding was made). Articles nobody reprinted do not appear; the summary says how many of the
outlet's articles the licensed index holds, when it can tell.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from typing import Sequence

from ..errors import LicensedIndexError
from ..triage.assess import UNAUTHORISED
from .daily import CHART_DAYS, STATUS_ORDER, Group, Report, chart_data, day_range, now_utc, select, summarise
from .filters import Filter, article_key, finding_day
from ..config import local_zone
from ..dates import parse_day, today_in, zone_label
from ..triage.licences import Licence


def coverage_report(
    store,
    licences: Sequence[Licence],
    outlet: str,
    index=None,
    since: _dt.date | None = None,
    chart_days: int = CHART_DAYS,
    flt: Filter | None = None,
    force: bool = False,
) -> Report:
    """Where ``outlet``'s articles went: one group a licensed article, most-copied first. ``since`` and
    ``flt.since``/``flt.until`` are the licensed article's publish days; ``flt.top`` keeps the N articles
    with most unauthorised copies."""
    flt = coverage_filter(outlet, flt, since)
    assessments = select(store, licences, index, flt, group_key=article_key, force=force, outlet=outlet)
    indexed = None
    if index is not None:
        try:
            indexed = index.stats().outlets.get(outlet)
        except LicensedIndexError:  # stats are a nicety; a backend that cannot give them does not stop the report
            indexed = None
    return build_coverage(assessments, outlet, flt, indexed, chart_days)


def coverage_filter(outlet: str, flt: Filter | None = None, since: _dt.date | None = None) -> Filter:
    """``flt`` for one outlet, its dates read as the licensed article's publish days."""
    flt = replace(flt or Filter(), outlet=(outlet,), date_field="article")
    return replace(flt, since=since) if since else flt


def build_coverage(assessments, outlet: str, flt: Filter, indexed: int | None = None,
                   chart_days: int = CHART_DAYS) -> Report:
    """The coverage report from judged, filtered findings (what :func:`coverage_report` reads)."""
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
    for g in groups.values():
        g.assessments.sort(key=lambda a: (STATUS_ORDER[a.status], a.reprinter.label(), str(a.finding.get("finding_id"))))
    # most-copied first (issue 13: sorted by date, a team could not see what was copied most)
    newest_first = sorted(groups.values(), key=lambda g: (str(g.detail.get("licensed_published_at") or ""), g.key), reverse=True)
    ordered = sorted(newest_first, key=lambda g: (-len(g.assessments), -g.counts[UNAUTHORISED]))  # stable: ties stay newest first
    days = sorted({finding_day(a.finding) for a in assessments} - {"unknown"})
    tz = local_zone()
    last = parse_day(days[-1]) if days else today_in(tz)
    extra_summary = {"articles_reprinted": len(groups)}
    if indexed is not None:
        extra_summary["articles_in_index"] = indexed
    if flt.since or flt.until:
        period = f"articles published {flt.since or '…'} – {flt.until or '…'}" if flt.until else f"since {flt.since.isoformat()}"
    else:
        period = "all time"
    # "new" for coverage: the last day with findings against what came before it
    history = [a.finding for a in assessments if finding_day(a.finding) != last.isoformat()]
    latest = [a for a in assessments if finding_day(a.finding) == last.isoformat()]
    report = Report(
        kind="coverage",
        title=f"Where {outlet}'s articles went ({period})",
        period=period,
        generated_at=now_utc(),
        assessments=assessments,
        groups=ordered,
        chart=chart_data([a.finding for a in assessments], day_range(last, chart_days)),
        extra={"summary": extra_summary, "outlet": outlet},
        filter=replace(flt, outlet=()),  # what was asked beyond the outlet the title names
        zone=zone_label(tz),
    )
    new = summarise(latest, history)["new"] if assessments else None
    if new is not None:
        new["day"] = last.isoformat()
        new["day_findings"] = len(latest)
        report.extra["summary"]["new"] = new
    return report
