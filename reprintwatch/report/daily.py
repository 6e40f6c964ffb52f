"""The daily report: every finding made on one day, judged, grouped by who copied.

:func:`daily_report` builds a :class:`Report` (pure data); ``reprintwatch.report.render`` turns it into
HTML, CSV or JSON.
"""
from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from .assess import AUTHORISED, PUBLISHED_FIRST, UNAUTHORISED, Assessment, assess_all
from .attribution import CREDITED, CREDITED_OTHER
from .licences import Licence

CHART_DAYS = 14


@dataclass
class Group:
    """Findings that share a key: a reprinter (daily report) or a licensed article (coverage)."""

    key: str
    label: str
    assessments: list[Assessment] = field(default_factory=list)
    detail: dict = field(default_factory=dict)

    @property
    def counts(self) -> dict:
        c = Counter(a.status for a in self.assessments)
        return {"findings": len(self.assessments), **{s: c.get(s, 0) for s in (UNAUTHORISED, AUTHORISED, PUBLISHED_FIRST)}}


@dataclass
class Report:
    kind: str  # daily | coverage
    title: str
    period: str
    generated_at: str
    assessments: list[Assessment]
    groups: list[Group]
    chart: dict  # {"days": [...], "platforms": [...], "counts": {day: {platform: n}}}
    extra: dict = field(default_factory=dict)

    @property
    def summary(self) -> dict:
        statuses = Counter(a.status for a in self.assessments)
        verdicts = Counter(a.finding.get("verdict") for a in self.assessments)
        platforms = Counter(a.finding.get("platform") or "unknown" for a in self.assessments)
        unauthorised = [a for a in self.assessments if a.status == UNAUTHORISED]
        return {
            "findings": len(self.assessments),
            "unauthorised": statuses.get(UNAUTHORISED, 0),
            "authorised": statuses.get(AUTHORISED, 0),
            "published_first": statuses.get(PUBLISHED_FIRST, 0),
            "unauthorised_but_credited": sum(
                1 for a in unauthorised if a.attribution.status in (CREDITED, CREDITED_OTHER)
            ),
            # a copy crediting the licensed outlet and one crediting someone else are different cases
            "unauthorised_crediting_licensed_outlet": sum(1 for a in unauthorised if a.attribution.status == CREDITED),
            "unauthorised_crediting_another_outlet": sum(
                1 for a in unauthorised if a.attribution.status == CREDITED_OTHER
            ),
            "contradictions": sum(1 for a in self.assessments if a.contradiction),
            "stripped_dateline_or_byline": sum(1 for a in self.assessments if a.attribution.stripped),
            "full_reprint": verdicts.get("full_reprint", 0),
            "partial_reprint": verdicts.get("partial_reprint", 0),
            "rewrite": verdicts.get("rewrite", 0),
            "reprinters": len({a.reprinter.label() for a in self.assessments}),
            "by_platform": dict(sorted(platforms.items())),
            **self.extra.get("summary", {}),
        }

    def to_dict(self, include_texts: bool = False) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "period": self.period,
            "generated_at": self.generated_at,
            "summary": self.summary,
            "chart": self.chart,
            "groups": [
                {
                    "key": g.key,
                    "label": g.label,
                    **g.detail,
                    "counts": g.counts,
                    "findings": [a.to_dict(include_texts) for a in g.assessments],
                }
                for g in self.groups
            ],
        }


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def finding_day(finding: dict) -> str:
    return (finding.get("created_at") or "")[:10] or "unknown"


def chart_data(findings: Sequence[dict], days: Sequence[str]) -> dict:
    counts: dict[str, Counter] = defaultdict(Counter)
    for f in findings:
        counts[finding_day(f)][f.get("platform") or "unknown"] += 1
    platforms = sorted({p for d in days for p in counts.get(d, {})})
    return {
        "days": list(days),
        "platforms": platforms,
        "counts": {d: {p: counts[d].get(p, 0) for p in platforms} for d in days},
    }


def day_range(last: _dt.date, n: int) -> list[str]:
    return [(last - _dt.timedelta(days=i)).isoformat() for i in range(n - 1, -1, -1)]


def group_by_reprinter(assessments: Sequence[Assessment]) -> list[Group]:
    groups: dict[str, Group] = {}
    for a in assessments:
        label = a.reprinter.label()
        group = groups.setdefault(label, Group(label, label, detail={"platform": a.finding.get("platform")}))
        group.assessments.append(a)
    order = {UNAUTHORISED: 0, PUBLISHED_FIRST: 1, AUTHORISED: 2}
    for g in groups.values():
        g.assessments.sort(key=lambda a: (order[a.status], str(a.finding.get("created_at")), str(a.finding.get("finding_id"))))
    return sorted(groups.values(), key=lambda g: (-g.counts[UNAUTHORISED], -len(g.assessments), g.label))


def daily_report(
    store,
    licences: Sequence[Licence],
    index=None,
    day: _dt.date | None = None,
    chart_days: int = CHART_DAYS,
) -> Report:
    """Findings created on ``day`` (default: today, UTC) from ``store`` (a :class:`~reprintwatch.store.Store`), judged with
    ``licences``; licensed texts come from ``index`` when given. The chart covers ``chart_days`` days."""
    day = day or _dt.datetime.now(_dt.timezone.utc).date()
    next_day = (day + _dt.timedelta(days=1)).isoformat()
    findings = store.list_findings(since=day.isoformat(), before=next_day)
    recent = store.list_findings(since=(day - _dt.timedelta(days=chart_days - 1)).isoformat(), before=next_day)
    assessments = assess_all(findings, licences, index)
    return Report(
        kind="daily",
        title=f"Reprint report for {day.isoformat()}",
        period=day.isoformat(),
        generated_at=now_utc(),
        assessments=assessments,
        groups=group_by_reprinter(assessments),
        chart=chart_data(recent, day_range(day, chart_days)),
    )
