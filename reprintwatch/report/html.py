"""HTML reports: summary first, details on demand. No scripts, no network, every page-derived string escaped.

A report page opens with what a team triages by (who copied most and whether it was allowed, counts per
outlet, platform, verdict, the most-copied articles, repeat infringers, what is new), then one compact
table of findings grouped by reprinter (daily) or licensed article (coverage). A finding's side-by-side
texts are only in the page when opened: in a ``<details>`` element for small reports (works without
scripts), else on a page of its own (:func:`write_html` writes ``NAME_files/f<ID>.html``). Issue 13: one
56.6 MB page with 7,561 findings expanded took Chromium 20–40 s to open.

Copied pages are hostile. Every string that came from a page or a feed (titles, texts, URLs, account
names, credits) goes through :func:`esc` (``html.escape`` with quotes), links are only emitted for
http(s) URLs, and a Content-Security-Policy ``default-src 'none'`` meta tag forbids scripts, frames,
fetches and remote images even if something slipped through.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Callable, Sequence
from urllib.parse import quote

from ..complaint.takedown import has_news, takedown_text
from ..config import local_zone
from ..dates import local_minute, zone_label
from ..output import CSP, esc, safe_link, write_atomic  # noqa: F401 (CSP: this module's face too)
from ..triage.assess import AUTHORISED, PUBLISHED_FIRST, UNAUTHORISED, Assessment
from ..triage.attribution import CREDITED, CREDITED_OTHER
from ..triage.legal import describe as describe_hint
from .daily import Group, Report

MAX_SHOWN_CHARS = 20_000  # per side of a side-by-side view
# Up to this many findings, side-by-side texts ride along in collapsed <details> (one file); above it they
# go to a page per finding. ~7.5 kB a finding: 100 keep the page under 1 MB.
INLINE_LIMIT = 100

PLATFORM_COLOURS = {
    "wechat": "#2e9d5b",
    "web": "#3b6fd1",
    "feed": "#e08a1e",
    "local": "#8e5ea2",
    "toutiao": "#d14b3b",
    "baijiahao": "#2a7fa8",
    "weibo": "#c4a81c",
}
STATUS_LABELS = {
    UNAUTHORISED: "Unauthorised",
    AUTHORISED: "Authorised",
    PUBLISHED_FIRST: "Published first",
}
ATTRIBUTION_LABELS = {
    CREDITED: "credits the licensed outlet",
    CREDITED_OTHER: "credits another outlet",
    "uncredited": "no credit",
}

STYLE = """
:root { --ink:#1d2330; --muted:#5d6675; --line:#d9dde5; --bg:#f6f7f9; --bad:#c0392b; --ok:#23864a; --warn:#b7791f; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.55 -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei",
       sans-serif; color:var(--ink); background:var(--bg); }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 60px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 34px 0 12px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 0; }
.meta { color: var(--muted); font-size: 13px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(118px, 1fr)); gap: 8px; margin-top: 14px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 6px 10px; }
.card b { display: block; font-size: 22px; line-height: 1.2; }
.card span { color: var(--muted); font-size: 12px; line-height: 1.3; display: block; }
.card.bad b { color: var(--bad); } .card.ok b { color: var(--ok); } .card.warn b { color: var(--warn); }
.chart { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
table.groups { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
table.groups th, table.groups td { padding: 7px 10px; border-bottom: 1px solid var(--line); text-align: left; }
table.groups td.n, table.groups th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.groups tr:last-child td { border-bottom: 0; }
.finding { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--bad); border-radius: 8px;
           padding: 14px 16px; margin: 14px 0; }
.finding.authorised { border-left-color: var(--ok); } .finding.published_first { border-left-color: var(--warn); }
.badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px;
         color: #fff; background: var(--bad); margin-right: 6px; vertical-align: 2px; }
.badge.authorised { background: var(--ok); } .badge.published_first { background: var(--warn); }
.badge.plain { background: #eef0f4; color: var(--ink); font-weight: 500; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 10px 0; font-size: 14px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.flag { color: var(--bad); font-weight: 600; }
code { font-size: 12px; background: #f0f2f5; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-top: 8px; }
.side h4 { margin: 0 0 4px; font-size: 13px; color: var(--muted); font-weight: 600; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 14px; line-height: 1.7; max-height: 420px;
        overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; background: #fcfcfd; }
mark { background: #ffe58a; padding: 0 1px; border-radius: 2px; }
.note { color: var(--muted); font-style: italic; }
a { color: #2456b3; }
.headline { font-size: 17px; margin: 14px 0 0; padding: 10px 14px; background: #fff; border: 1px solid var(--line);
            border-left: 5px solid var(--bad); border-radius: 8px; }
.headline.calm { border-left-color: var(--ok); }
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 6px 18px; margin-top: 6px; }
.tables > div { min-width: 0; overflow-x: auto; }
.tables h3 { font-size: 14px; margin: 10px 0 6px; color: var(--muted); }
table.t { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); font-size: 13px; }
table.t th, table.t td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.t td.n, table.t th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.t td.bad { color: var(--bad); font-weight: 600; }
section.grp { content-visibility: auto; contain-intrinsic-size: auto 400px; margin: 18px 0 0; }
section.grp h3 { font-size: 15px; margin: 0 0 4px; }
table.f { table-layout: fixed; }
table.f col.c-id { width: 64px; } table.f col.c-st { width: 112px; } table.f col.c-v { width: 64px; }
table.f col.c-who { width: 24%; } table.f col.c-n { width: 56px; } table.f col.c-l { width: 26%; }
table.f col.c-at { width: 92px; }
table.f td { overflow-wrap: anywhere; }
.st { display: inline-block; font-size: 12px; font-weight: 600; color: #fff; background: var(--bad); padding: 0 6px;
      border-radius: 8px; white-space: nowrap; overflow-wrap: normal; }
.badge { white-space: nowrap; overflow-wrap: normal; }
.takedown-line { color: var(--muted, #555); }
.st.authorised { background: var(--ok); } .st.published_first { background: var(--warn); }
tr.finding-row.authorised td:first-child { border-left: 4px solid var(--ok); }
tr.finding-row.unauthorised td:first-child { border-left: 4px solid var(--bad); }
tr.finding-row.published_first td:first-child { border-left: 4px solid var(--warn); }
details.more { margin: 4px 0 8px; } details.more > summary { cursor: pointer; color: #2456b3; }
nav.top { font-size: 13px; margin-bottom: 6px; }
.filter { font-size: 13px; color: var(--muted); margin-top: 4px; }
@media print { .text { max-height: none; } body { background: #fff; } section.grp { content-visibility: visible; } }
"""


def pct(value) -> str:
    return f"{float(value or 0):.0%}"


# --------------------------------------------------------------------------- highlighted text


def merge_spans(spans: Sequence[tuple[int, int, int]], length: int) -> list[tuple[int, int, int]]:
    """Clamp ``(start, end, passage number)`` spans to ``[0, length)``, sort, and merge overlaps."""
    clean = sorted((max(0, s), min(length, e), n) for s, e, n in spans if min(length, e) > max(0, s))
    merged: list[tuple[int, int, int]] = []
    for s, e, n in clean:
        if merged and s <= merged[-1][1]:
            ps, pe, pn = merged[-1]
            merged[-1] = (ps, max(pe, e), pn)
        else:
            merged.append((s, e, n))
    return merged


def highlight(text: str, spans: Sequence[tuple[int, int, int]], limit: int = MAX_SHOWN_CHARS) -> str:
    """``text`` escaped, with each span wrapped in ``<mark data-passage="n">``; cut after ``limit``."""
    text = text or ""
    shown = text[:limit]
    parts: list[str] = []
    pos = 0
    for start, end, number in merge_spans(spans, len(shown)):
        parts.append(esc(shown[pos:start]))
        parts.append(f'<mark data-passage="{number}" title="copied passage {number}">{esc(shown[start:end])}</mark>')
        pos = end
    parts.append(esc(shown[pos:]))
    if len(text) > limit:
        parts.append(f'\n<span class="note">… {len(text) - limit:,} more characters not shown</span>')
    return "".join(parts)


def passage_spans(passages, side: str) -> list[tuple[int, int, int]]:
    spans = []
    for number, p in enumerate(passages or [], 1):
        try:
            spans.append((int(p[f"{side}_start"]), int(p[f"{side}_end"]), number))
        except (KeyError, TypeError, ValueError):
            continue
    return spans


# --------------------------------------------------------------------------- chart


def nice_step(peak: float, ticks: int = 4) -> int:
    """A round tick step (1, 2 or 5 × 10ⁿ) giving about ``ticks`` intervals up to ``peak``.

    >>> nice_step(7564), nice_step(12), nice_step(3), nice_step(0)
    (2000, 5, 1, 1)
    """
    if peak <= ticks:
        return 1
    raw = peak / ticks
    power = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 5, 10):
        if mult * power >= raw:
            return int(mult * power)
    return int(10 * power)


def chart_svg(chart: dict, width: int = 1080, height: int = 230) -> str:
    days: list[str] = chart.get("days") or []
    platforms: list[str] = chart.get("platforms") or []
    counts: dict = chart.get("counts") or {}
    if not days:
        return '<p class="note">No days to chart.</p>'
    left, right, top, bottom = 52, 150, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(counts.get(d, {}).values()) for d in days]
    peak = max(max(totals), 1)
    step = nice_step(peak)
    ymax = step * -(-peak // step)
    slot = plot_w / len(days)
    bar = max(4.0, slot * 0.62)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Findings per day and platform">'
    ]
    for tick in range(0, ymax + 1, step):
        y = top + plot_h - plot_h * tick / ymax
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e3e6ec"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#5d6675">{tick:,}</text>')
    for i, day in enumerate(days):
        x = left + slot * i + (slot - bar) / 2
        y = top + plot_h
        for platform in platforms:
            n = counts.get(day, {}).get(platform, 0)
            if not n:
                continue
            h = plot_h * n / ymax
            y -= h
            colour = PLATFORM_COLOURS.get(platform, "#8a8f98")
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{esc(day)} · {esc(platform)}: {n:,}</title></rect>"
            )
        if totals[i]:
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle" '
                f'fill="#1d2330">{totals[i]:,}</text>'
            )
        if len(days) <= 16 or i % 2 == 0:
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle" '
                f'fill="#5d6675">{esc(day[5:])}</text>'
            )
    for j, platform in enumerate(platforms):
        y = top + 8 + j * 20
        colour = PLATFORM_COLOURS.get(platform, "#8a8f98")
        out.append(f'<rect x="{left + plot_w + 18}" y="{y - 9}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{left + plot_w + 36}" y="{y + 1}" font-size="12" fill="#1d2330">{esc(platform)}</text>')
    out.append("</svg>")
    return "".join(out)


# --------------------------------------------------------------------------- summary


def _n(value) -> str:
    return f"{int(value or 0):,}"


def headline(report: Report) -> str:
    """One sentence answering "who copied us most, and was it allowed"."""
    s = report.summary
    if not s["findings"]:
        return '<p class="headline calm">No findings.</p>'
    top = s["most_copies"]
    allowed = (
        "none of it licensed" if top[AUTHORISED] == 0
        else "all of it licensed" if top[AUTHORISED] == top["findings"]
        else f"{_n(top[AUTHORISED])} licensed"
    )
    worst = s["top_reprinters"][0]
    also = ""
    if worst["name"] != top["name"] and worst[UNAUTHORISED] > top[UNAUTHORISED]:
        also = f' Most unauthorised: <b>{esc(worst["name"])}</b> ({_n(worst[UNAUTHORISED])}).'
    calm = " calm" if s["unauthorised"] == 0 else ""
    return (
        f'<p class="headline{calm}"><b>{_n(s["unauthorised"])}</b> of {_n(s["findings"])} findings are unauthorised. '
        f'Most copies: <b>{esc(top["name"])}</b> ({esc(top["platform"])}) with {_n(top["findings"])} — '
        f'{_n(top[UNAUTHORISED])} unauthorised, {allowed}.{also}</p>'
    )


def summary_cards(summary: dict) -> str:
    cards = [
        ("Findings", summary["findings"], ""),
        ("Unauthorised", summary["unauthorised"], "bad"),
        ("Authorised", summary["authorised"], "ok"),
        ("Published before the licensed article", summary["published_first"], "warn"),
        ("Full reprints", summary.get("full_reprint", 0), ""),
        ("Partial reprints", summary.get("partial_reprint", 0), ""),
        ("Unauthorised, credit the licensed outlet", summary["unauthorised_crediting_licensed_outlet"], ""),
        ("Unauthorised, credit another outlet", summary["unauthorised_crediting_another_outlet"], ""),
        ("Stripped dateline / byline", summary["stripped_dateline_or_byline"], ""),
        ("Reprinters", summary["reprinters"], ""),
    ]
    if summary.get("contradictions"):
        cards.append(("Contradict their own date", summary["contradictions"], "warn"))
    if summary.get("possible_exceptions"):
        cards.append(("Unauthorised, a legal exception possible (hint)", summary["possible_exceptions"], "warn"))
    new = summary.get("new") or {}
    if new.get("history"):
        cards.append(("New reprinters", new.get("new_reprinters", 0), ""))
    if "articles_reprinted" in summary:
        cards.insert(1, ("Articles reprinted", summary["articles_reprinted"], ""))
    if "articles_in_index" in summary:
        cards.insert(2, ("Articles in the licensed index", summary["articles_in_index"], ""))
    return '<div class="cards">' + "".join(
        f'<div class="card {cls}"><b>{_n(n)}</b><span>{esc(label)}</span></div>' for label, n, cls in cards
    ) + "</div>"


def _status_cells(row: dict) -> str:
    bad = " bad" if row.get(UNAUTHORISED) else ""
    return (
        f'<td class="n">{_n(row["findings"])}</td><td class="n{bad}">{_n(row.get(UNAUTHORISED))}</td>'
        f'<td class="n">{_n(row.get(AUTHORISED))}</td><td class="n">{_n(row.get(PUBLISHED_FIRST))}</td>'
    )


_STATUS_HEAD = '<th class="n">Findings</th><th class="n">Unauth.</th><th class="n">Auth.</th><th class="n">First</th>'


def _table(title: str, head: str, rows: list[str], empty: str = "none") -> str:
    body = "".join(rows) or f'<tr><td colspan="9" class="note">{esc(empty)}</td></tr>'
    return f'<div><h3>{esc(title)}</h3><table class="t"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def summary_tables(report: Report, group_href: Callable[[str], str | None] = lambda key: None) -> str:
    """The summary's tables; a reprinter's name links to ``group_href(name)`` (the report: its group
    below; ``serve``: the findings filtered to it)."""
    s = report.summary
    link = lambda key, text: (f'<a href="{esc(group_href(key))}">{esc(text)}</a>' if group_href(key) else esc(text))  # noqa: E731
    reprinters = [
        f'<tr><td>{link(r["name"], r["name"])}</td><td>{esc(r["platform"])}</td>{_status_cells(r)}</tr>'
        for r in s["top_reprinters"]
    ]
    articles = [
        f'<tr><td>{safe_link(r["url"], r["title"] or r["name"])}<br><span class="meta">{esc(r["outlet"])} · {esc(r["name"])}</span></td>'
        f'<td class="n">{_n(r["reprinters"])}</td>{_status_cells(r)}</tr>'
        for r in s["most_copied"]
    ]
    outlets = [f'<tr><td>{esc(r["name"])}</td>{_status_cells(r)}</tr>' for r in s["by_outlet"][:10]]
    platforms = [f'<tr><td>{esc(r["name"])}</td>{_status_cells(r)}</tr>' for r in s["by_platform_status"]]
    verdicts = [f'<tr><td>{esc(k)}</td><td class="n">{_n(v)}</td></tr>' for k, v in s["by_verdict"].items()]
    repeat = [
        f'<tr><td>{link(r["name"], r["name"])}</td><td>{esc(r["platform"])}</td><td class="n bad">{_n(r[UNAUTHORISED])}</td>'
        f'<td class="n">{_n(r["earlier_days"])}</td></tr>'
        for r in s["repeat_infringers"]
    ]
    new = s.get("new") or {}
    new_rows = []
    if new.get("history") or new.get("day"):
        if new.get("day"):
            new_rows.append(f'<tr><td>Findings on {esc(new["day"])} (the last day)</td><td class="n">{_n(new.get("day_findings"))}</td></tr>')
        else:
            new_rows.append(f'<tr><td>Findings on the day before ({esc(new.get("previous_day"))})</td><td class="n">{_n(new.get("previous_day_findings"))}</td></tr>')
            delta = s["findings"] - int(new.get("previous_day_findings") or 0)
            new_rows.append(f'<tr><td>Change</td><td class="n">{"+" if delta >= 0 else "−"}{_n(abs(delta))}</td></tr>')
        new_rows.append(f'<tr><td>Reprinters not seen on earlier days</td><td class="n">{_n(new.get("new_reprinters"))}</td></tr>')
        if new.get("articles_first_copied") is not None:
            new_rows.append(f'<tr><td>Articles copied for the first time</td><td class="n">{_n(new.get("articles_first_copied"))}</td></tr>')
        for r in new.get("new_reprinters_top") or []:
            new_rows.append(f'<tr><td>· new: {link(r["name"], r["name"])}</td><td class="n">{_n(r["findings"])}</td></tr>')
    more = s.get("repeat_infringers_total", 0) - len(s["repeat_infringers"])
    parts = [
        _table("Who copied most", "<th>Reprinter</th><th>Platform</th>" + _STATUS_HEAD, reprinters, "no findings"),
        _table("Most-copied articles", '<th>Licensed article</th><th class="n">Reprinters</th>' + _STATUS_HEAD, articles, "no findings"),
        _table("Repeat infringers" + (f" (top {len(repeat)} of {s['repeat_infringers_total']:,})" if more > 0 else ""),
               '<th>Reprinter</th><th>Platform</th><th class="n">Unauthorised</th><th class="n">Earlier days</th>', repeat,
               "no reprinter copied twice without a licence"),
        _table("New since the day before" if not new.get("day") else "New on the last day",
               '<th>What</th><th class="n">Count</th>', new_rows, "no earlier days to compare with"),
        _table("By outlet", "<th>Outlet</th>" + _STATUS_HEAD, outlets, "no findings"),
        _table("By platform", "<th>Platform</th>" + _STATUS_HEAD, platforms, "no findings"),
        _table("By verdict", '<th>Verdict</th><th class="n">Findings</th>', verdicts, "no findings"),
    ]
    return '<div class="tables">' + "".join(parts) + "</div>"


# --------------------------------------------------------------------------- one finding


def attribution_html(a: Assessment) -> str:
    attr = a.attribution
    parts = [esc(ATTRIBUTION_LABELS.get(attr.status, attr.status))]
    if attr.credited_outlets:
        parts.append("(" + "、".join(esc(o) for o in attr.credited_outlets) + ")")
    if attr.original_url:
        parts.append("· links the original: " + safe_link(attr.original_url))
    text = " ".join(parts)
    if attr.stripped:
        text += f' · <span class="flag">stripped the licensed article\'s {esc(" and ".join(attr.stripped))}</span>'
    elif not a.licensed_text_checked:
        text += ' · <span class="note">licensed text unavailable: dateline/byline not checked</span>'
    if a.finding.get("original_flag"):
        text += ' · <span class="flag">marked 原创 (original) by the copier</span>'
    return text


def triage_extra_html(a: Assessment) -> str:
    """The contradiction flag and the listed edits, when there are any (all escaped: they quote the page)."""
    out = ""
    if a.contradiction:
        out += f'\n    <dt>Contradiction</dt><dd class="bad">{esc(a.contradiction)}</dd>'
    if a.decision.edited and a.decision.differences:
        items = "".join(f"<li>{esc(d)}</li>" for d in a.decision.differences[:12])
        out += f"\n    <dt>Differences</dt><dd><ul>{items}</ul></dd>"
    if a.hints:
        items = "".join(f"<li>{esc(describe_hint(h))}</li>" for h in a.hints)
        out += (f'\n    <dt>Legal hints</dt><dd><ul>{items}</ul><span class="meta">hints, not legal advice: '
                f'they never change the licence decision (docs/legal-hints.md)</span></dd>')
    return out


def takedown_html(a: Assessment) -> str:
    """The finding's removal and complaints (``complaint.takedown.finding_takedown``), when read."""
    t = a.finding.get("takedown")
    return f"\n    <dt>Removal · complaints</dt><dd>{esc(takedown_text(t))}</dd>" if t else ""


def finding_html(a: Assessment) -> str:
    """One finding in full: facts, licence, attribution and the two texts side by side."""
    f = a.finding
    fid = esc(f.get("finding_id"))
    status = a.status
    licence = a.decision.licence
    licence_text = esc(a.decision.reason)
    if licence:
        licence_text = f"{esc(licence.describe())}<br>{licence_text}"
    # link what was fetched (after redirects): the page's own canonical/og:url is a claim, and may be anything
    suspect_url = f.get("final_url") or f.get("url")
    title = f.get("title") or "(untitled copy)"
    suspect_text = f.get("content") or ""
    licensed_text = a.licensed_text
    licensed_side = (
        highlight(licensed_text, passage_spans(f.get("passages"), "licensed"))
        if licensed_text is not None
        else '<span class="note">The licensed text is not in the licensed index any more.</span>'
    )
    evidence = f.get("evidence_sha256")
    evidence_html = f"<code>{esc(evidence)}</code>" if evidence else '<span class="note">no stored page</span>'
    return f"""
<article class="finding {esc(status)}" id="f{fid}">
  <h3><span class="badge {esc(status)}">{esc(STATUS_LABELS.get(status, status))}</span><span class="badge plain">{esc(f.get("verdict"))}</span>{safe_link(suspect_url, title)}</h3>
  <div class="meta">finding {fid} · {esc(a.reprinter.label())} · {esc(f.get("platform"))} · published {esc(f.get("published_at") or "unknown")} · found {esc(local_minute(f.get("created_at"), local_zone()))} ({esc(zone_label(local_zone()))})</div>
  <dl class="facts">
    <dt>Licensed article</dt><dd>{esc(f.get("licensed_outlet"))} · {safe_link(f.get("licensed_url"), f.get("licensed_title") or f.get("licensed_id"))} · published {esc(f.get("licensed_published_at") or "unknown")}</dd>
    <dt>Scores</dt><dd>similarity {float(f.get("similarity") or 0):.2f} · licensed coverage {pct(f.get("licensed_coverage"))} · copy made of licensed text {pct(f.get("suspect_coverage"))} · {len(f.get("passages") or [])} passage(s){" · edited copy" if a.decision.edited else ""}</dd>
    <dt>Licence</dt><dd>{licence_text}</dd>
    <dt>Attribution</dt><dd>{attribution_html(a)}</dd>
    <dt>First publication</dt><dd>{esc(a.first_publication_note)}</dd>{triage_extra_html(a)}{takedown_html(a)}
    <dt>Evidence SHA-256</dt><dd>{evidence_html}</dd>
  </dl>
  <div class="side">
    <div><h4>Licensed: {esc(f.get("licensed_outlet"))} — {esc(f.get("licensed_title"))}</h4><div class="text licensed">{licensed_side}</div></div>
    <div><h4>Copy: {esc(a.reprinter.label())}</h4><div class="text copy">{highlight(suspect_text, passage_spans(f.get("passages"), "suspect"))}</div></div>
  </div>
</article>"""


# --------------------------------------------------------------------------- the findings table

INLINE = "inline"  # side-by-side in a collapsed <details> under each row
PAGES = "pages"  # a link to a page per finding
NONE = "none"  # no side-by-side (stdout output of a big report)


def _finding_row(a: Assessment, kind: str, details: str, href: Callable[[Assessment], str] | None) -> str:
    f = a.finding
    fid = f.get("finding_id")
    status = a.status
    title = f.get("title") or "(untitled copy)"
    if details == PAGES and href:
        opened = f'<a href="{esc(href(a))}">{esc(title)}</a>'
    else:
        opened = safe_link(f.get("canonical_url") or f.get("url"), title)
    if kind == "daily":
        who = f'{esc(f.get("licensed_outlet"))} · {esc(f.get("licensed_title") or f.get("licensed_id"))}'
    else:
        who = f'{esc(a.reprinter.label())} <span class="meta">{esc(f.get("platform"))}</span>'
    row = (
        f'<tr class="finding-row {esc(status)}" id="r{esc(fid)}"><td class="n">{esc(fid)}</td>'
        f'<td><span class="st {esc(status)}">{esc(STATUS_LABELS.get(status, status))}</span></td>'
        f'<td>{esc("full" if f.get("verdict") == "full_reprint" else "partial" if f.get("verdict") == "partial_reprint" else f.get("verdict"))}</td>'
        f"<td>{opened}</td><td>{who}</td>"
        f'<td class="n">{float(f.get("similarity") or 0):.2f}</td><td class="n">{pct(f.get("licensed_coverage"))}</td>'
        f"<td>{esc(a.decision.reason)}<br><span class=\"meta\">{esc(ATTRIBUTION_LABELS.get(a.attribution.status, a.attribution.status))}"
        f'{" · stripped " + esc("/".join(a.attribution.stripped)) if a.attribution.stripped else ""}'
        f'{" · hints: " + esc(", ".join(f"{h.code} ({h.certainty})" for h in a.hints)) if a.hints else ""}</span>'
        + (f'<br><span class="meta takedown-line">{esc(takedown_text(f["takedown"]))}</span>' if has_news(f.get("takedown")) else "")
        + "</td>"
        f'<td class="meta">{esc(local_minute(f.get("created_at"), local_zone()))}</td></tr>'
    )
    if details == INLINE:
        row += f'<tr class="detail"><td colspan="9"><details class="more"><summary>side by side</summary>{finding_html(a)}</details></td></tr>'
    return row


_FINDINGS_HEAD = (
    '<colgroup><col class="c-id"><col class="c-st"><col class="c-v"><col><col class="c-who"><col class="c-n">'
    '<col class="c-n"><col class="c-l"><col class="c-at"></colgroup>'
)


def group_section(i: int, group: Group, kind: str, details: str, href=None) -> str:
    c = group.counts
    if kind == "daily":
        head = esc(group.label)
        sub = esc(group.detail.get("platform") or "")
        second = "Licensed article"
    else:
        head = safe_link(group.detail.get("licensed_url"), group.label)
        sub = f"{esc(group.key)} · published {esc(group.detail.get('licensed_published_at') or 'unknown')}"
        second = "Reprinter"
    counts = f"{c['findings']:,} finding(s), {c[UNAUTHORISED]:,} unauthorised, {c[AUTHORISED]:,} authorised"
    rows = "".join(_finding_row(a, kind, details, href) for a in group.assessments)
    return (
        f'<section class="grp" id="g{i}"><h3>{head}</h3><div class="meta">{sub} · {counts}</div>'
        f'<table class="t f">{_FINDINGS_HEAD}<thead><tr><th class="n">#</th><th>Status</th><th>Verdict</th><th>Copy</th>'
        f'<th>{second}</th><th class="n">Sim.</th><th class="n">Cov.</th><th>Licence · credit</th><th>Found</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def page(title: str, body: str, csp: str = CSP) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'  # ours, never page text
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def choose_details(report: Report, can_write_pages: bool) -> str:
    if len(report.assessments) <= INLINE_LIMIT:
        return INLINE
    return PAGES if can_write_pages else NONE


def _takedown_section(report: Report) -> str:
    """Complaints and takedowns (``complaint.takedown``), when the report carries them."""
    if not report.extra.get("takedown"):
        return ""
    from ..complaint.takedown import render_takedown_html

    return render_takedown_html(report.extra["takedown"], esc)


def render_html(report: Report, details: str | None = None, href: Callable[[Assessment], str] | None = None,
                csp: str = CSP, before_tables: str = "", after_groups: str = "") -> str:
    """The report page. ``details``: :data:`INLINE` (default up to :data:`INLINE_LIMIT` findings),
    :data:`PAGES` (each finding links to ``href(assessment)``) or :data:`NONE`."""
    details = details or choose_details(report, href is not None)
    summary = report.summary
    groups_heading = "Findings by reprinter" if report.kind == "daily" else "Reprints by article, most copied first"
    anchors = {g.key: f"g{i}" for i, g in enumerate(report.groups, 1)}
    note = ""
    if details == NONE and report.assessments:
        note = ('<p class="note">Side-by-side texts are left out of a report this size written to standard output; '
                "write it with --output FILE to get a page for each finding.</p>")
    flt = report.filter.describe() if report.filter else ""
    body = (
        f"<header><h1>{esc(report.title)}</h1>"
        f'<div class="meta">generated {esc(report.generated_at)} by reprintwatch · {esc(report.period)}'
        + (f" · days in {esc(report.zone)}" if report.zone else "") + "</div>"
        + (f'<div class="filter">Filter: {esc(flt)}</div>' if flt else "")
        + "</header>"
        + before_tables
        + headline(report)
        + summary_cards(summary)
        + summary_tables(report, (lambda key: f"#{anchors[key]}" if key in anchors else None)
                         if report.kind == "daily" else (lambda key: None))
        + f"<h2>Findings per day and platform</h2><div class=\"chart\">{chart_svg(report.chart)}</div>"
        + f"<h2>{groups_heading}</h2>{note}"
        + ("" if report.groups else '<p class="note">No findings.</p>')
        + "".join(group_section(i, g, report.kind, details, href) for i, g in enumerate(report.groups, 1))
        + _takedown_section(report)
        + after_groups
    )
    return page(report.title, body, csp)


def finding_page(a: Assessment, back: str | None = None, csp: str = CSP, title_prefix: str = "Finding") -> str:
    f = a.finding
    nav = f'<nav class="top"><a href="{esc(back)}">← back to the report</a></nav>' if back else ""
    return page(f"{title_prefix} {f.get('finding_id')}: {f.get('title') or ''}", nav + finding_html(a), csp)


def write_html(report: Report, path: Path, details: str | None = None) -> list[Path]:
    """Write the report page at ``path`` and, above :data:`INLINE_LIMIT` findings, a page per finding
    under ``<stem>_files/``. Returns the files written (the report page first). Each file is written to a
    temporary name and renamed."""
    path = Path(path)
    folder = path.with_name(path.stem + "_files")
    details = details or choose_details(report, True)
    written = [path]
    href = None
    if details == PAGES:
        folder.mkdir(parents=True, exist_ok=True)
        href = lambda a: f"{quote(folder.name)}/f{a.finding.get('finding_id')}.html"  # noqa: E731
        back = f"../{quote(path.name)}"
        for a in report.assessments:
            target = folder / f"f{a.finding.get('finding_id')}.html"
            write_atomic(target, finding_page(a, f"{back}#r{a.finding.get('finding_id')}"))
            written.append(target)
    write_atomic(path, render_html(report, details, href))
    return written
