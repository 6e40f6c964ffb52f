"""``reprintwatch ingest run``: a thin click layer over the ingest library (settings from the global
options, :mod:`reprintwatch.cliutils`)."""
from __future__ import annotations

from pathlib import Path

import click

from ..cliutils import InputFile, current_settings, handle_errors
from ..errors import ReprintwatchError

def _duration(ctx, param, value):
    if value is None:
        return None
    from .sources import parse_duration

    try:
        return parse_duration(value, param.name)
    except ReprintwatchError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group()
def ingest():
    """Watch sources (feeds, WeChat and news pages, local files) and record reprints.

    \b
        reprintwatch ingest run --sources sources.toml --once
    """


@ingest.command("run")
@click.option("--sources", "sources_file", required=True, type=InputFile(dash=False),
              help="The sources file (TOML); see data/sources.example.toml in the repository.")
@click.option("--once", "mode", flag_value="once", default=True, help="One pass over every source, then exit (default).")
@click.option("--follow", "mode", flag_value="follow", help="Keep going: a pass every --interval until stopped.")
@click.option("--interval", default="10m", show_default=True, callback=_duration, help="Time between passes with --follow.")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True, help="Fetch threads (per-host limits still apply).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Log records on stderr as text (warnings and errors) or JSON lines (everything).")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), help="Also append JSON-line logs here.")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Status line on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Log every page on stderr, not only problems.")
@handle_errors
def ingest_run(sources_file, mode, interval, workers, log_format, log_file, progress, verbose):
    """Fetch, extract and check every source; record evidence, suspects and findings.

    Safe to stop at any moment (Ctrl-C / SIGTERM finishes the page in hand; even kill -9 loses nothing):
    the next run resumes where this one stopped. Unchanged pages are not recorded twice.

    \b
        reprintwatch ingest run --sources sources.toml --once
        reprintwatch ingest run --sources sources.toml --follow --interval 10m --log-file ingest.log
    """
    from ..cli import detector_for
    from ..index import open_index
    from ..store import Store
    from .fetch import Fetcher
    from .runner import Runner, StatusLine, configure_logging
    from .sources import load_sources

    settings = current_settings()
    configure_logging(log_format, log_file, verbose)
    sources = load_sources(Path(sources_file))
    index = open_index(settings)  # fails early (exit 3) when there is no licensed index
    try:
        with Store(settings.store) as db:
            runner = Runner(db, detector_for(index, settings), sources, Fetcher(), workers=workers,
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
            _triage_new(db, index)
    finally:
        index.close()


def _triage_new(db, index) -> None:
    """Keep a triage with every finding that has none yet (``findings list`` refreshes them all)."""
    from ..report.assess import triage_findings

    todo = [f.finding_id for f in db.list_findings() if f.triage is None]
    if todo:
        triage_findings(db, db.licences(), index, todo)
