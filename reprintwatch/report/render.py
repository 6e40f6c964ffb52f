"""Reports as CSV (one row a finding) and JSON (the report's data); HTML is in ``html.py``."""
from __future__ import annotations

import io

from ..output import BOM, CsvWriter, json_text, terminal_safe  # noqa: F401 - BOM is part of this module's face
from ..triage.assess import TRIAGE_CSV_COLUMNS, triage_csv_row
from ..config import local_zone
from ..dates import zone_label
from ..complaint.takedown import has_news, render_takedown_text, takedown_text
from .daily import Report
from .filters import finding_day

FORMATS = ("html", "csv", "json", "text")

# one row a finding: its triage (the columns ``Assessment.triage`` flattens), then the finding itself
CSV_FIELDS = ("group", "finding_id") + TRIAGE_CSV_COLUMNS + (
    "credited_outlets", "platform", "suspect_title", "suspect_published_at", "licensed_id", "licensed_outlet",
    "licensed_title", "licensed_url", "licensed_published_at", "verdict", "similarity", "licensed_coverage",
    "suspect_coverage", "passages", "evidence_sha256", "created_at", "found_day", "day_zone",
    "takedown_state", "removed_at", "complaints", "takedown",
)


def csv_row(a, group: str = "", zone: str = "") -> dict:
    """One finding with its triage, as a CSV row (the writer makes every cell formula-safe); ``found_day``
    is the day it was found in the report's zone (``day_zone``)."""
    d = a.to_dict()
    return {
        **d,
        "found_day": finding_day(a.finding),
        "day_zone": zone,
        **_takedown_cells(a.finding.get("takedown")),
        **triage_csv_row(a.triage()),
        "group": group,
        "credited_outlets": "|".join(a.attribution.credited_outlets),
        "passages": len(d["passages"] or []),
        "similarity": f"{float(a.finding.get('similarity') or 0):.3f}",
        "licensed_coverage": f"{float(a.finding.get('licensed_coverage') or 0):.3f}",
        "suspect_coverage": f"{float(a.finding.get('suspect_coverage') or 0):.3f}",
    }


def _takedown_cells(t: dict | None) -> dict:
    """The CSV cells of a finding's removal and complaints (empty when they were not read)."""
    if not t:
        return {}
    return {"takedown_state": t.get("state") or "", "removed_at": t.get("removed_at") or "",
            "complaints": t.get("complaints") or 0, "takedown": takedown_text(t)}


def write_csv(out, rows, excel: bool = False, zone: str | None = None) -> None:
    """Write a header and ``(assessment, group)`` rows to the text stream ``out`` through the one CSV
    writer (:class:`reprintwatch.output.CsvWriter`); ``excel`` starts with a UTF-8 byte-order mark."""
    writer = CsvWriter(out, CSV_FIELDS, bom=excel)
    zone = zone_label(local_zone()) if zone is None else zone
    for a, group in rows:
        writer.write(csv_row(a, group, zone))


def render_csv(report: Report, excel: bool = False) -> str:
    out = io.StringIO()
    write_csv(out, ((a, g.label) for g in report.groups for a in g.assessments), excel, report.zone)
    return out.getvalue()


def render_json(report: Report) -> str:
    return json_text(report.to_dict()) + "\n"


def render_text(report: Report) -> str:
    """A terminal summary: counts, then one line per finding under its group."""
    s = report.summary
    lines = [report.title + (f" · days in {report.zone}" if report.zone else "")]
    if report.filter.active:
        lines.append(f"Filter: {report.filter.describe()}")
    lines += [
        f"{s['findings']} findings: {s['unauthorised']} unauthorised, {s['authorised']} authorised, "
        f"{s['published_first']} published before the licensed article; of the unauthorised, "
        f"{s['unauthorised_crediting_licensed_outlet']} credit the licensed outlet and "
        f"{s['unauthorised_crediting_another_outlet']} credit another outlet; "
        f"{s['stripped_dateline_or_byline']} stripped a dateline or byline"
        + (f"; {s['contradictions']} contradict their own date." if s.get("contradictions") else "."),
    ]
    if s["findings"] and report.kind == "daily":
        top = s["most_copies"]
        lines.append(
            f"Most copies: {top['name']} ({top['platform']}) with {top['findings']}, {top['unauthorised']} unauthorised, "
            f"{top['authorised']} authorised."
        )
    if "articles_reprinted" in s:
        indexed = f" of {s['articles_in_index']} in the licensed index" if "articles_in_index" in s else ""
        lines.append(f"{s['articles_reprinted']} article(s) reprinted{indexed}.")
    if s.get("legal_hints"):
        lines.append(
            f"Legal hints: {s.get('possible_exceptions', 0)} unauthorised finding(s) a legal exception may cover "
            f"(--hint exception); " + ", ".join(
                f"{code} " + " + ".join(f"{n} {certainty}" for certainty, n in by.items())
                for code, by in s["legal_hints"].items()) + "."
        )
    for group in report.groups:
        c = group.counts
        lines.append("")
        lines.append(f"{group.label}  ({c['findings']} finding(s), {c['unauthorised']} unauthorised)")
        for a in group.assessments:
            f = a.finding
            who = a.reprinter.label() if report.kind == "coverage" else f"{f.get('licensed_outlet')} {f.get('licensed_id')}"
            lines.append(
                f"  #{f.get('finding_id')} {a.status:<15} {f.get('verdict'):<15} {who}  "
                f"sim {float(f.get('similarity') or 0):.2f} cov {float(f.get('licensed_coverage') or 0):.0%}"
            )
            lines.append(f"      licence: {a.decision.reason}")
            lines.append(f"      attribution: {a.attribution.summary()}")
            if a.status == "published_first" or a.contradiction:
                lines.append(f"      first publication: {a.first_publication_note}")
            if a.contradiction:
                lines.append(f"      CONTRADICTION: {a.contradiction}")
            if a.hints:  # the rules and evidence: findings list, the JSON and the HTML
                lines.append("      legal hints: " + ", ".join(f"{h.code} ({h.certainty})" for h in a.hints))
            if has_news(f.get("takedown")):
                lines.append(f"      removal: {takedown_text(f['takedown'])}")
    if not report.groups:
        lines.append("No findings.")
    if report.extra.get("takedown"):
        lines.extend(render_takedown_text(report.extra["takedown"]))
    return "\n".join(terminal_safe(line, newlines=False) for line in lines) + "\n"


def render(report: Report, fmt: str, excel: bool = False) -> str:
    """The report as one string (HTML: side-by-side texts inline up to ``html.INLINE_LIMIT`` findings,
    else left out — :func:`reprintwatch.report.html.write_html` writes a page per finding)."""
    if fmt == "html":
        from .html import render_html

        return render_html(report)
    if fmt == "csv":
        return render_csv(report, excel)
    if fmt == "json":
        return render_json(report)
    if fmt == "text":
        return render_text(report)
    raise ValueError(f"unknown format {fmt!r}")
