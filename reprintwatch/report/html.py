"""One self-contained HTML file for a report: no scripts, no network, every page-derived string escaped.

Copied pages are hostile. Every string that came from a page or a feed (titles, texts, URLs, account
names, credits) goes through :func:`esc` (``html.escape`` with quotes), links are only emitted for
http(s) URLs, and a Content-Security-Policy ``default-src 'none'`` meta tag forbids scripts, frames,
fetches and remote images even if something slipped through.
"""
from __future__ import annotations

import html as _html
from typing import Sequence

from .assess import AUTHORISED, PUBLISHED_FIRST, UNAUTHORISED, Assessment
from .attribution import CREDITED, CREDITED_OTHER
from .daily import Group, Report

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
MAX_SHOWN_CHARS = 20_000  # per side of a side-by-side view

PLATFORM_COLOURS = {
    "wechat": "#2e9d5b",
    "web": "#3b6fd1",
    "feed": "#e08a1e",
    "local": "#8e5ea2",
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
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin-top: 18px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card b { display: block; font-size: 26px; line-height: 1.2; }
.card span { color: var(--muted); font-size: 13px; }
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
@media print { .text { max-height: none; } body { background: #fff; } }
"""


def esc(value) -> str:
    return _html.escape("" if value is None else str(value), quote=True)


def safe_link(url, text=None) -> str:
    """A link for http(s) URLs only; anything else (javascript:, data:) is shown as inert text."""
    shown = esc(text if text is not None else url)
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{shown}</a>'
    return shown


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


def chart_svg(chart: dict, width: int = 1080, height: int = 230) -> str:
    days: list[str] = chart.get("days") or []
    platforms: list[str] = chart.get("platforms") or []
    counts: dict = chart.get("counts") or {}
    if not days:
        return '<p class="note">No days to chart.</p>'
    left, right, top, bottom = 36, 150, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(counts.get(d, {}).values()) for d in days]
    peak = max(max(totals), 1)
    step = max(1, -(-peak // 4))
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
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#5d6675">{tick}</text>')
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
                f"<title>{esc(day)} · {esc(platform)}: {n}</title></rect>"
            )
        if totals[i]:
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle" '
                f'fill="#1d2330">{totals[i]}</text>'
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


# --------------------------------------------------------------------------- sections


def summary_cards(summary: dict) -> str:
    cards = [
        ("Findings", summary["findings"], ""),
        ("Unauthorised", summary["unauthorised"], "bad"),
        ("Authorised", summary["authorised"], "ok"),
        ("Published before the licensed article", summary["published_first"], "warn"),
        ("Unauthorised, credit the licensed outlet", summary["unauthorised_crediting_licensed_outlet"], ""),
        ("Unauthorised, credit another outlet", summary["unauthorised_crediting_another_outlet"], ""),
        ("Stripped dateline / byline", summary["stripped_dateline_or_byline"], ""),
        ("Reprinters", summary["reprinters"], ""),
    ]
    if "articles_reprinted" in summary:
        cards.insert(1, ("Articles reprinted", summary["articles_reprinted"], ""))
    if "articles_in_index" in summary:
        cards.insert(2, ("Articles in the licensed index", summary["articles_in_index"], ""))
    return '<div class="cards">' + "".join(
        f'<div class="card {cls}"><b>{esc(n)}</b><span>{esc(label)}</span></div>' for label, n, cls in cards
    ) + "</div>"


def groups_table(report: Report) -> str:
    first = "Reprinter (site / account)" if report.kind == "daily" else "Licensed article"
    rows = []
    for i, g in enumerate(report.groups, 1):
        c = g.counts
        second = esc(g.detail.get("platform") or "") if report.kind == "daily" else esc(
            (g.detail.get("licensed_published_at") or "")[:16]
        )
        rows.append(
            f'<tr><td><a href="#g{i}">{esc(g.label)}</a></td><td>{second}</td><td class="n">{c["findings"]}</td>'
            f'<td class="n">{c[UNAUTHORISED]}</td><td class="n">{c[AUTHORISED]}</td>'
            f'<td class="n">{c[PUBLISHED_FIRST]}</td></tr>'
        )
    second_head = "Platform" if report.kind == "daily" else "Published"
    return (
        f'<table class="groups"><thead><tr><th>{first}</th><th>{second_head}</th><th class="n">Findings</th>'
        '<th class="n">Unauthorised</th><th class="n">Authorised</th><th class="n">Published first</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


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
    elif a.licensed_text is None:
        text += ' · <span class="note">licensed text unavailable: dateline/byline not checked</span>'
    if a.finding.get("original_flag"):
        text += ' · <span class="flag">marked 原创 (original) by the copier</span>'
    return text


def finding_html(a: Assessment) -> str:
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
  <div class="meta">finding {fid} · {esc(a.reprinter.label())} · {esc(f.get("platform"))} · published {esc(f.get("published_at") or "unknown")} · found {esc(f.get("created_at"))}</div>
  <dl class="facts">
    <dt>Licensed article</dt><dd>{esc(f.get("licensed_outlet"))} · {safe_link(f.get("licensed_url"), f.get("licensed_title") or f.get("licensed_id"))} · published {esc(f.get("licensed_published_at") or "unknown")}</dd>
    <dt>Scores</dt><dd>similarity {float(f.get("similarity") or 0):.2f} · licensed coverage {pct(f.get("licensed_coverage"))} · copy made of licensed text {pct(f.get("suspect_coverage"))} · {len(f.get("passages") or [])} passage(s){" · edited copy" if a.decision.edited else ""}</dd>
    <dt>Licence</dt><dd>{licence_text}</dd>
    <dt>Attribution</dt><dd>{attribution_html(a)}</dd>
    <dt>First publication</dt><dd>{esc(a.first_publication_note)}</dd>
    <dt>Evidence SHA-256</dt><dd>{evidence_html}</dd>
  </dl>
  <div class="side">
    <div><h4>Licensed: {esc(f.get("licensed_outlet"))} — {esc(f.get("licensed_title"))}</h4><div class="text licensed">{licensed_side}</div></div>
    <div><h4>Copy: {esc(a.reprinter.label())}</h4><div class="text copy">{highlight(suspect_text, passage_spans(f.get("passages"), "suspect"))}</div></div>
  </div>
</article>"""


def group_html(i: int, group: Group, kind: str) -> str:
    c = group.counts
    if kind == "daily":
        head = esc(group.label)
        sub = esc(group.detail.get("platform") or "")
    else:
        head = safe_link(group.detail.get("licensed_url"), group.label)
        sub = f"{esc(group.key)} · published {esc(group.detail.get('licensed_published_at') or 'unknown')}"
    counts = f"{c['findings']} finding(s), {c[UNAUTHORISED]} unauthorised"
    body = "".join(finding_html(a) for a in group.assessments)
    return f'<section class="group" id="g{i}"><h2>{head}</h2><div class="meta">{sub} · {counts}</div>{body}</section>'


def render_html(report: Report) -> str:
    summary = report.summary
    groups_heading = "Findings by reprinter" if report.kind == "daily" else "Reprints by article"
    body = (
        f"<header><h1>{esc(report.title)}</h1>"
        f'<div class="meta">generated {esc(report.generated_at)} by reprintwatch · {esc(report.period)}</div></header>'
        f"{summary_cards(summary)}"
        f"<h2>Findings per day and platform</h2><div class=\"chart\">{chart_svg(report.chart)}</div>"
        f"<h2>{groups_heading}</h2>"
        + (groups_table(report) if report.groups else '<p class="note">No findings.</p>')
        + "".join(group_html(i, g, report.kind) for i, g in enumerate(report.groups, 1))
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(report.title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
