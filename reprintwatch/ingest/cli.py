"""``reprintwatch ingest run`` and ``reprintwatch findings list``: thin click layers over the ingest library.

The root ``reprintwatch`` group stores a :class:`~reprintwatch.config.Settings` in ``ctx.obj``; these
commands read it (and build ``Settings.load()`` themselves when run without the root group).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click

from ..cliutils import current_settings, handle_errors
from ..config import Settings
from ..errors import ReprintwatchError

VERDICT_CHOICES = ("full_reprint", "partial_reprint", "rewrite")


def _duration(ctx, param, value):
    if value is None:
        return None
    from .sources import parse_duration

    try:
        return parse_duration(value, param.name)
    except ReprintwatchError as exc:
        raise click.BadParameter(str(exc)) from None


_store_option = click.option(
    "--store", type=click.Path(dir_okay=False, path_type=Path),
    help="Findings/evidence store (env REPRINTWATCH_STORE; default in the user data dir).",
)


@click.group()
def ingest():
    """Watch sources (feeds, WeChat and news pages, local files) and record reprints."""


@ingest.command("run")
@click.option("--sources", "sources_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The sources file (TOML); see data/sources.example.toml.")
@click.option("--once", "mode", flag_value="once", default=True, help="One pass over every source, then exit (default).")
@click.option("--follow", "mode", flag_value="follow", help="Keep going: a pass every --interval until stopped.")
@click.option("--interval", default="10m", show_default=True, callback=_duration, help="Time between passes with --follow.")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True, help="Fetch threads (per-host limits still apply).")
@_store_option
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Log records on stderr as text (warnings and errors) or JSON lines (everything).")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), help="Also append JSON-line logs here.")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Status line on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Log every page on stderr, not only problems.")
@handle_errors
def ingest_run(sources_file, mode, interval, workers, store, log_format, log_file, progress, verbose):
    """Fetch, extract and check every source; record evidence, suspects and findings.

    Safe to stop at any moment (Ctrl-C / SIGTERM finishes the page in hand; even kill -9 loses nothing):
    the next run resumes where this one stopped. Unchanged pages are not recorded twice.

    \b
        reprintwatch ingest run --sources data/sources.example.toml --once
        reprintwatch ingest run --sources sources.toml --follow --interval 10m --log-file ingest.log
    """
    from ..detector import Detector
    from ..index import open_index
    from ..store import Store
    from .fetch import Fetcher
    from .runner import Runner, StatusLine, configure_logging
    from .sources import load_sources

    settings = current_settings(store)
    configure_logging(log_format, log_file, verbose)
    sources = load_sources(sources_file)
    index = open_index(settings)  # fails early (exit 3) when there is no licensed index
    try:
        with Store(settings.store) as db:
            runner = Runner(db, Detector(index), sources, Fetcher(), workers=workers,
                            status=StatusLine(enabled=progress), max_article_bytes=settings.max_article_bytes)
            restore = runner.install_signal_handlers()
            try:
                if mode == "follow":
                    runner.follow(interval)
                else:
                    runner.run_once()
            finally:
                restore()
                runner.status.done(runner.counters)
            if runner.stop_requested.is_set():
                click.echo("Stopped; the next run resumes from the store.", err=True)
            _triage_new(settings, db, index)
    finally:
        index.close()


def _triage_new(settings: Settings, db, index) -> None:
    """Keep a triage with every finding that has none yet (``findings list`` refreshes them all)."""
    from ..report.assess import triage_findings
    from ..report.findings import FindingsStore
    from ..report.licences import LicenceRegistry

    todo = [row["id"] for row in db.list_findings() if row.get("triage") is None]
    if todo:
        with FindingsStore(settings.store) as findings, LicenceRegistry(settings.store) as registry:
            triage_findings(findings, registry.list(), index, todo)


@click.group()
def findings():
    """Query the reprints found by ingestion."""


FINDING_COLUMNS = (
    "id", "created_at", "verdict", "similarity", "licensed_coverage", "suspect_coverage", "licensed_outlet",
    "licensed_id", "licensed_title", "licensed_url", "source", "platform", "site", "account", "suspect_title",
    "suspect_url", "suspect_published_at", "suspect_version", "evidence_id",
)


@findings.command("list")
@click.option("--since", help="Found on or after this date/datetime (ISO 8601, UTC).")
@click.option("--until", help="Found on or before this date/datetime (a bare date includes the whole day).")
@click.option("--outlet", help="Only findings against this licensed outlet.")
@click.option("--verdict", type=click.Choice(VERDICT_CHOICES), help="Only this verdict.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@_store_option
@handle_errors
def findings_list(since, until, outlet, verdict, fmt, store):
    """List findings (suspect → licensed article), oldest first.

    \b
        reprintwatch findings list --since 2026-11-01 --outlet 江南日报
        reprintwatch findings list --verdict full_reprint --format csv > findings.csv
    """
    from ..store import Store, StoreError

    from ..report.assess import TRIAGE_CSV_COLUMNS, triage_csv_row

    settings = current_settings(store)
    if not Path(settings.store).exists():
        raise StoreError(f"no store at {settings.store}; run `reprintwatch ingest run` first (or set --store / REPRINTWATCH_STORE)")
    with Store(settings.store) as db:
        rows = db.list_findings(since=since, until=until, outlet=outlet, verdict=verdict)
    fresh = _triage(settings, [row["id"] for row in rows]) if rows else {}
    for row in rows:
        if fresh is not None and row["id"] in fresh:
            row["triage"] = fresh[row["id"]]
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if fmt == "csv":
        buf = io.StringIO()
        columns = FINDING_COLUMNS + TRIAGE_CSV_COLUMNS
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            flat = {**row, **triage_csv_row(row.get("triage") or {})}
            writer.writerow({k: _csv_safe(flat.get(k)) for k in columns})
        click.echo(buf.getvalue(), nl=False)
        return
    if not rows:
        click.echo("No findings.", err=True)
        return
    for row in rows:
        click.echo(
            f"#{row['id']}  {row['created_at']}  {row['verdict']:<15} sim {row['similarity']:.2f}  "
            f"covers {row['licensed_coverage']:.0%} of {row['licensed_outlet'] or '?'} {row['licensed_id']}"
        )
        who = row["account"] or row["site"]
        click.echo(f"      {row['platform']}:{who}  {_one_line(row['suspect_title'])}  {row['suspect_url']}")
        triage = row.get("triage")
        if triage:
            click.echo(f"      {triage['status']}: {_one_line(triage['licence_reason'])}")
            click.echo(f"      credit: {_one_line(triage['credit_summary'])}")
            if triage.get("contradiction"):
                click.echo(f"      contradiction: {_one_line(triage['contradiction'])}")
    click.echo(f"{len(rows)} finding{'s' if len(rows) != 1 else ''}.", err=True)


def _one_line(text: str | None, limit: int = 160) -> str:
    """One terminal line: whitespace and control characters (ANSI escapes from pages) collapsed."""
    text = "".join(ch if ch.isprintable() else " " for ch in (text or ""))
    return " ".join(text.split())[:limit]


def _triage(settings: Settings, finding_ids) -> dict | None:
    """Triage ``finding_ids`` against the current licences and keep it in the store; ``None`` (stored
    triage shown) when the licensed index cannot be opened for the licensed texts."""
    from ..index import open_index
    from ..report.assess import triage_findings
    from ..report.findings import FindingsStore
    from ..report.licences import LicenceRegistry

    try:
        index = open_index(settings)
    except ReprintwatchError as exc:
        click.echo(f"Warning: licensed index unavailable ({exc}); showing the triage stored earlier.", err=True)
        return None
    try:
        with FindingsStore(settings.store) as findings, LicenceRegistry(settings.store) as registry:
            return triage_findings(findings, registry.list(), index, finding_ids)
    finally:
        index.close()


def _csv_safe(value):
    """Neutralise spreadsheet formulas in page-derived text (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="REPRINTWATCH_DB", help="Licensed index.")
@click.option("--backend", envvar="REPRINTWATCH_BACKEND", help="sqlite | elasticsearch.")
@click.option("--es-url", envvar="REPRINTWATCH_ES_URL", help="Elasticsearch URL.")
@click.pass_context
def standalone(ctx, db, backend, es_url):
    """The ingest commands on their own (``python -m reprintwatch.ingest``)."""
    ctx.obj = Settings.load(db=db, backend=backend, es_url=es_url)


standalone.add_command(ingest)
standalone.add_command(findings)
