"""The daily report: the findings made on one day (or a range of days), judged, summarised, grouped by who
copied.

:func:`daily_report` builds a :class:`Report` (pure data); ``reprintwatch.report.render`` turns it into
HTML, CSV, JSON or text. :func:`summarise` is what a monitoring team triages by: counts per status,
verdict, outlet, platform and reprinter, the most-copied articles, repeat infringers and what is new
compared with the days before. It works on any list of assessments (the narrow interface every report
uses), plus, optionally, the lighter rows of earlier findings for the "new" and "repeat" columns.
"""
from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Sequence

from ..config import local_zone
from ..dates import day_bounds, parse_day, today_in, utc_text, zone_label
from ..triage.assess import AUTHORISED, PUBLISHED_FIRST, UNAUTHORISED, Assessment, triage_of, with_texts
from ..complaint.takedown import with_takedowns
from ..triage.attribution import CREDITED, CREDITED_OTHER
from .filters import Filter, apply, finding_day, reprinter_key, row_filter, store_bounds, with_platform
from ..triage.licences import Licence, Reprinter

CHART_DAYS = 14
TOP_ROWS = 10  # rows in each summary table; the findings table below has everything
STATUS_ORDER = {UNAUTHORISED: 0, PUBLISHED_FIRST: 1, AUTHORISED: 2}


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
    filter: Filter = field(default_factory=Filter)
    history: Sequence[dict] = ()  # earlier findings (rows, not assessed) for "new" and "repeat"
    zone: str = ""  # the zone the report's days are counted in (``dates.zone_label``), shown in every format
    _summary: dict | None = field(default=None, repr=False)

    @property
    def summary(self) -> dict:
        if self._summary is None:
            self._summary = {**summarise(self.assessments, self.history), **self.extra.get("summary", {})}
        return self._summary

    def to_dict(self, include_texts: bool = False) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "period": self.period,
            "days_in": self.zone,
            "generated_at": self.generated_at,
            "filter": self.filter.to_query(),
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
            **({"takedown": self.extra["takedown"]} if self.extra.get("takedown") else {}),
        }


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- summary


def _count_rows(assessments: Iterable[Assessment], key: Callable, extra: Callable | None = None) -> list[dict]:
    """Rows ``{name, findings, unauthorised, authorised, published_first, …}`` by ``key``, most
    unauthorised first."""
    rows: dict[str, dict] = {}
    for a in assessments:
        name = key(a) or "unknown"
        row = rows.get(name)
        if row is None:
            row = rows[name] = {"name": name, "findings": 0, UNAUTHORISED: 0, AUTHORISED: 0, PUBLISHED_FIRST: 0}
            if extra:
                row.update(extra(a))
        row["findings"] += 1
        row[a.status] += 1
    return sorted(rows.values(), key=lambda r: (-r[UNAUTHORISED], -r["findings"], r["name"]))


def _row_reprinter(row: dict) -> str:
    return Reprinter.from_row(with_platform(row)).label()


def legal_hint_counts(assessments: Iterable[Assessment]) -> dict:
    """``{code: {certainty: n}}`` over the findings' legal hints (a code's "possible" is not its "unsure")."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for a in assessments:
        for h in a.hints:
            counts[h.code][h.certainty] += 1
    return {code: dict(sorted(c.items())) for code, c in sorted(counts.items())}


def summarise(assessments: Sequence[Assessment], history: Sequence[dict] = ()) -> dict:
    """What a team triages by. ``history``: finding rows from the days before (only their day and who
    copied are read) — for "new since the day before" and repeat infringers."""
    statuses = Counter(a.status for a in assessments)
    verdicts = Counter(a.finding.get("verdict") for a in assessments)
    platforms = Counter(a.finding.get("platform") or "unknown" for a in assessments)
    unauthorised = [a for a in assessments if a.status == UNAUTHORISED]
    reprinters = _count_rows(
        assessments, reprinter_key,
        lambda a: {"platform": a.finding.get("platform") or "unknown"},
    )
    articles = _count_rows(
        assessments, lambda a: a.finding.get("licensed_id"),
        lambda a: {"title": a.finding.get("licensed_title") or "", "outlet": a.finding.get("licensed_outlet") or "",
                   "url": a.finding.get("licensed_url") or ""},
    )
    by_article_reprinters: dict[str, set] = defaultdict(set)
    for a in assessments:
        by_article_reprinters[a.finding.get("licensed_id") or "unknown"].add(reprinter_key(a))
    for row in articles:
        row["reprinters"] = len(by_article_reprinters[row["name"]])
    articles.sort(key=lambda r: (-r["findings"], -r[UNAUTHORISED], r["name"]))

    days = sorted({finding_day(a.finding) for a in assessments} - {"unknown"})
    first_day = days[0] if days else ""
    earlier = [r for r in history if finding_day(r) < first_day] if first_day else list(history)
    earlier_days: dict[str, set] = defaultdict(set)
    for r in earlier:
        earlier_days[_row_reprinter(r)].add(finding_day(r))
    previous_day = (
        (parse_day(first_day) - _dt.timedelta(days=1)).isoformat() if first_day else ""
    )
    previous_count = sum(1 for r in earlier if finding_day(r) == previous_day)
    earlier_articles = {r.get("licensed_id") for r in earlier}

    bad_by_reprinter = Counter(reprinter_key(a) for a in unauthorised)
    repeat = [
        {"name": name, UNAUTHORISED: n, "earlier_days": len(earlier_days.get(name, ())),
         "platform": next((r["platform"] for r in reprinters if r["name"] == name), "unknown")}
        for name, n in bad_by_reprinter.items()
        if n >= 2 or earlier_days.get(name)
    ]
    repeat.sort(key=lambda r: (-r["earlier_days"], -r[UNAUTHORISED], r["name"]))
    new_reprinters = [r for r in reprinters if r["name"] not in earlier_days] if history else []

    return {
        "findings": len(assessments),
        "unauthorised": statuses.get(UNAUTHORISED, 0),
        "authorised": statuses.get(AUTHORISED, 0),
        "published_first": statuses.get(PUBLISHED_FIRST, 0),
        "unauthorised_but_credited": sum(
            1 for a in unauthorised if a.attribution.status in (CREDITED, CREDITED_OTHER)
        ),
        # a copy crediting the licensed outlet and one crediting someone else are different cases
        "unauthorised_crediting_licensed_outlet": sum(1 for a in unauthorised if a.attribution.status == CREDITED),
        "unauthorised_crediting_another_outlet": sum(1 for a in unauthorised if a.attribution.status == CREDITED_OTHER),
        "contradictions": sum(1 for a in assessments if a.contradiction),
        # legal hints: the unauthorised findings the law may leave free (what a complaint sets apart; filter
        # ``hint=exception``), and every hint's count
        "possible_exceptions": sum(1 for a in unauthorised if any(h.exception for h in a.hints)),
        "legal_hints": legal_hint_counts(assessments),
        "stripped_dateline_or_byline": sum(1 for a in assessments if a.attribution.stripped),
        "full_reprint": verdicts.get("full_reprint", 0),
        "partial_reprint": verdicts.get("partial_reprint", 0),
        "rewrite": verdicts.get("rewrite", 0),
        "reprinters": len(reprinters),
        "by_platform": dict(sorted(platforms.items())),
        "by_status": {s: statuses.get(s, 0) for s in (UNAUTHORISED, AUTHORISED, PUBLISHED_FIRST)},
        "by_verdict": dict(sorted(verdicts.items(), key=lambda kv: str(kv[0]))),
        "by_outlet": _count_rows(assessments, lambda a: a.finding.get("licensed_outlet")),
        "by_platform_status": _count_rows(assessments, lambda a: a.finding.get("platform") or "unknown"),
        "top_reprinters": reprinters[:TOP_ROWS],
        # who copied most, whatever the licences say (the headline; the table above ranks by unauthorised)
        "most_copies": min(reprinters, key=lambda r: (-r["findings"], -r[UNAUTHORISED], r["name"])) if reprinters else None,
        "most_copied": articles[:TOP_ROWS],
        "repeat_infringers": repeat[:TOP_ROWS],
        "repeat_infringers_total": len(repeat),
        "new": {
            "history": bool(history),
            "previous_day": previous_day,
            "previous_day_findings": previous_count,
            "new_reprinters": len(new_reprinters),
            "new_reprinters_top": new_reprinters[:TOP_ROWS],
            "articles_first_copied": len({a.finding.get("licensed_id") for a in assessments} - earlier_articles)
            if history else None,
        },
    }


# --------------------------------------------------------------------------- selection and chart


def select(store, licences: Sequence[Licence], index, flt: Filter, group_key: Callable = reprinter_key,
           force: bool = False, keep: bool = True, **bounds) -> list[Assessment]:
    """The assessments of the findings ``flt`` keeps: the store narrows by date/outlet/verdict in SQL (rows
    without their texts), the platform is read from each copy's URL, what the filter can tell without a
    judgement is dropped, the rest get their triage (:func:`assess.triage_of`: the stored one when
    current, else judged now — and kept, unless ``keep`` is false), then :func:`filters.apply` filters.
    ``force`` judges every finding afresh. ``bounds`` (``since``/``until``/``outlet``) override what the
    filter gives the store."""
    query = {**store_bounds(flt), **bounds}
    keep_row = row_filter(flt)
    rows = [r for r in (with_platform(f) for f in store.list_findings(**query, content=False)) if keep_row(r)]
    return apply(flt, triage_of(store, rows, licences, index, force=force, keep=keep, platformed=True), group_key)


def _swap(report: "Report", changed: Sequence[Assessment]) -> "Report":
    """``report`` with each of its assessments replaced by the one at the same place in ``changed``
    (groups included)."""
    loaded = dict(zip(map(id, report.assessments), changed))
    report.assessments = [loaded[id(a)] for a in report.assessments]
    for g in report.groups:
        g.assessments = [loaded.get(id(a), a) for a in g.assessments]
    return report


def load_texts(report: "Report", index, store) -> "Report":
    """Load the texts a full view of every finding in ``report`` shows (side by side: the HTML report's
    details or pages); the summary, CSV, JSON and text never need them."""
    return _swap(report, with_texts(report.assessments, index, store))


def load_takedowns(report: "Report", store) -> "Report":
    """Each finding of ``report`` with its removal and complaints (``takedown`` on the finding: every
    format shows it on the finding's row)."""
    return _swap(report, with_takedowns(store, report.assessments))


def history_rows(store, since: str, until: str) -> list[dict]:
    """Findings (not judged) found in ``[since, until)``: for the chart and the "new" figures."""
    return [with_platform(r) for r in store.list_findings(since=since, before=until, content=False)]


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
    for g in groups.values():
        # in the order they were found: ids grow with created_at, and unlike the second-granular created_at
        # (then "10" < "4" as strings) they never tie, so one store gives one order (docs/reports.md shows it)
        g.assessments.sort(key=lambda a: (STATUS_ORDER[a.status], int(a.finding.get("finding_id") or 0)))
    return sorted(groups.values(), key=lambda g: (-g.counts[UNAUTHORISED], -len(g.assessments), g.label))


def daily_report(
    store,
    licences: Sequence[Licence],
    index=None,
    day: _dt.date | None = None,
    chart_days: int = CHART_DAYS,
    flt: Filter | None = None,
    force: bool = False,
) -> Report:
    """Findings created on ``day`` (default: today; days in the configured zone, :func:`config.local_zone`) — or, when ``flt`` has ``since``/``until``, on
    those days — from ``store`` (a :class:`~reprintwatch.store.Store`), judged with ``licences`` and kept by ``flt``. Licensed
    texts come from ``index`` when given. The chart covers the ``chart_days`` days up to the last day."""
    flt = asked = flt or Filter()
    tz = local_zone()
    if flt.since or flt.until:
        first = flt.since or flt.until
        last = flt.until or day or today_in(tz)
        period = first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"
    else:
        first = last = day or today_in(tz)
        period = first.isoformat()
        flt = replace(flt, since=first, until=last)
    assessments = select(store, licences, index, flt, force=force)
    window_start = min(first, last - _dt.timedelta(days=chart_days - 1))
    # earlier days: the same outlet/platform/verdict/reprinter filter (licence status needs judging,
    # which the chart and the "new" figures do without)
    keep_row = row_filter(flt)
    history = [r for r in history_rows(store, utc_text(day_bounds(window_start, tz)[0]),
                                       utc_text(day_bounds(first, tz)[0])) if keep_row(r)]
    chart_rows = history + [a.finding for a in assessments]
    return Report(
        kind="daily",
        title=f"Reprint report for {period}",
        period=period,
        generated_at=now_utc(),
        assessments=assessments,
        groups=group_by_reprinter(assessments),
        chart=chart_data(chart_rows, day_range(last, max(chart_days, (last - first).days + 1))),
        filter=asked,
        history=history,
        zone=zone_label(tz),
    )
