"""``reprintwatch ingest run`` and ``reprintwatch extract``: thin click layers over the ingest library
(settings from the global options, output escaping from the one output layer)."""
from __future__ import annotations

import contextlib
import logging
import sys
import time
from pathlib import Path

import click

from ..cliutils import InputFile, current_settings, handle_errors
from ..errors import ReprintwatchError
from ..output import json_text, terminal_safe


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
@click.option("--interval", default="10m", show_default=True, callback=_duration, help="Time between passes with --follow: a number with a unit, ms, s, m, h or d (10m, 2h; a bare number is seconds).")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True, help="Fetch threads (per-host limits still apply).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes that check pages (default: every core); what is recorded is the same as with one.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Log records on stderr as text (warnings and errors) or JSON lines (everything).")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), help="Also append JSON-line logs here.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Live status line on stderr (the final summary line is printed either way).")
@click.option("-v", "--verbose", is_flag=True, help="Log every page on stderr, not only problems.")
@handle_errors
def ingest_run(sources_file, mode, interval, workers, jobs, log_format, log_file, progress, verbose):
    """Fetch, extract and check every source; record evidence, suspects and findings.

    Safe to stop at any moment (Ctrl-C / SIGTERM finishes the page in hand; even kill -9 loses nothing):
    the next run resumes where this one stopped. Unchanged pages are not recorded twice. Ends with one
    summary line on stderr; exits 4 when every source failed (nothing could be fetched or read).

    \b
        reprintwatch ingest run --sources sources.toml --once
        reprintwatch ingest run --sources sources.toml --follow --interval 10m --log-file ingest.log
        reprintwatch ingest run --sources sources.toml --jobs 2
    """
    from ..cliutils import detector_for
    from ..detector import default_jobs
    from ..index import open_index
    from ..store import Store
    from .fetch import FetchPolicy
    from .runner import Runner
    from .shared import fetcher_for
    from .tally import event
    from .sources import load_sources

    settings = current_settings()
    configure_logging(log_format, log_file, verbose)
    policy = FetchPolicy.from_settings(settings)
    sources = load_sources(Path(sources_file), policy)
    index = open_index(settings)  # fails early (exit 3) when there is no licensed index
    status = StatusLine(enabled=progress)
    try:
        with Store(settings.store) as db, contextlib.ExitStack() as shared:
            # a store several machines share (PostgreSQL): leases, and politeness for all
            fetcher, holder, lease_seconds = fetcher_for(db, settings.store, policy, settings.lease_seconds, shared)
            detector = detector_for(index, settings)
            _rejudge_on_open(db, detector, holder, lease_seconds)
            runner = Runner(db, detector, sources, fetcher, workers=workers,
                            progress=status.update, max_article_bytes=settings.max_article_bytes,
                            jobs=default_jobs() if jobs is None else jobs, lease_seconds=lease_seconds,
                            holder=holder)
            restore = runner.install_signal_handlers()
            try:
                if mode == "follow":
                    runner.follow(interval)
                else:
                    runner.run_once()
            finally:
                restore()
                status.clear()
                click.echo(summary_line(runner.counters), err=True)  # once, with or without --progress
            started = time.monotonic()
            if lease_seconds is None:
                judged = _triage_new(db, index)
            else:
                judged = _triage_shared(db, index, holder, lease_seconds)
            event("triaged", findings=judged, seconds=round(time.monotonic() - started, 2))
            if runner.stop_requested.is_set():
                click.echo("Stopped; the next run resumes from the store.", err=True)
            elif runner.counters.every_source_failed():
                failed = runner.counters.failed_sources()
                click.echo(f"Error: every source failed ({', '.join(failed)}); see the log lines above.", err=True)
                sys.exit(EXIT_ALL_SOURCES_FAILED)
    finally:
        index.close()


EXIT_ALL_SOURCES_FAILED = 4


def summary_line(counters) -> str:
    c = counters
    return (f"ingest: {c.fetched} fetched, {c.new} new, {c.changed} changed, {c.unchanged} unchanged, "
            f"{c.removed} removed, {c.too_short} too short, {c.errors} error{'' if c.errors == 1 else 's'}, "
            f"{c.skipped} skipped, "
            f"{c.findings} finding{'' if c.findings == 1 else 's'}, {c.queued} queued")


class StatusLine:
    """The live status line on stderr: rewritten in place on a terminal, a line every ``every`` s otherwise.
    The final summary is not its job (the command prints it once)."""

    def __init__(self, stream=None, enabled: bool = True, every: float = 10.0):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.every = every
        self._last = time.monotonic()
        self._drawn = False

    def update(self, counters) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.tty:
            if now - self._last > 0.2:
                self.stream.write("\r\x1b[K" + summary_line(counters))
                self.stream.flush()
                self._last, self._drawn = now, True
        elif now - self._last > self.every:
            self.stream.write(summary_line(counters) + "\n")
            self.stream.flush()
            self._last = now

    def clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


# --- logging: structured events from reprintwatch.ingest, shown as text or JSON lines ---------------------
class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "event": getattr(record, "event", record.getMessage()),
        }
        data.update(getattr(record, "fields", {}) or {})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json_text(data, indent=None)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", {}) or {}
        parts = [f"{k}={terminal_safe(v)}" for k, v in fields.items() if v not in (None, "", [])]
        return f"{record.levelname.lower()}: {getattr(record, 'event', record.getMessage())} " + " ".join(parts)



def configure_logging(log_format: str = "text", log_file=None, verbose: bool = False) -> None:
    """JSON lines to ``log_file`` (always JSON), and to stderr in ``log_format`` (warnings+ unless verbose)."""
    logger = logging.getLogger("reprintwatch.ingest")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    stderr.setLevel(logging.INFO if (verbose or log_format == "json") else logging.WARNING)
    logger.addHandler(stderr)
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(JsonFormatter())
        handler.setLevel(logging.INFO)
        logger.addHandler(handler)


def _rejudge_on_open(db, detector, holder=None, lease_seconds=None) -> None:
    """Findings made by other detection rules are re-judged before new ones are recorded beside them
    (``reprintwatch.rejudge``; the same as ``findings rejudge``), so the store holds one rules' findings.
    Several processes on one store: one re-judges (a lease), the others go on recording."""
    from ..detector import RULES_VERSION
    from ..rejudge import rejudge

    if not db.any_to_rejudge(RULES_VERSION):
        return
    if lease_seconds is not None and not db.take_lease("rejudge", holder, lease_seconds):
        return
    try:
        result = rejudge(db, detector)
    finally:
        if lease_seconds is not None:
            db.release_lease("rejudge", holder)
    for suspect_id, url, why in result.skipped:
        click.echo(f"warning: suspect {suspect_id} ({terminal_safe(url)}): left as it was: {terminal_safe(why)}", err=True)
    click.echo(result.line(), err=True)


def _triage_new(db, index) -> int:
    """Keep a current triage with every finding: new ones, and those whose licences or triage rules changed
    (the one triage path, ``triage.assess.triage_of``; the reports then only read them)."""
    from ..triage.assess import refresh_triage

    return refresh_triage(db, db.licences(), index)


# findings a lease of the judging covers (``triage:<finding id // TRIAGE_BUCKET>``): ids, not positions, so the
# buckets of processes that read the stale findings at different moments are the same
TRIAGE_BUCKET = 100


def _triage_shared(db, index, holder: str, lease_seconds: float) -> int:
    """:func:`_triage_new` by several processes on one store at once: the stale findings in buckets of ids, a
    lease each, every bucket read again once leased (what another process judged meanwhile is current then).
    Leases are kept until this process is done judging, so a bucket is judged by one process. Returns how many
    findings the buckets this process took held. Before, one process judged at a time and the others left it
    all to that one: 4 processes then waited for one to judge the 2,000 new findings (cd251c8; each judging
    everything had cost 4 processes ~2.5 min of 9, fbff9a5)."""
    from ..triage.assess import stale_findings, triage_of

    licences = db.licences()
    buckets: dict[int, list[int]] = {}
    for f in stale_findings(db, licences, index):
        buckets.setdefault(f["finding_id"] // TRIAGE_BUCKET, []).append(f["finding_id"])
    taken, judged = [], 0
    try:
        for bucket, ids in sorted(buckets.items()):
            key = f"triage:{bucket}"
            if not db.take_lease(key, holder, lease_seconds):
                continue  # another process judges it
            taken.append(key)
            stale = stale_findings(db, licences, index, ids=ids)
            if stale:
                triage_of(db, stale, licences, index, force=True, platformed=True)
            judged += len(stale)
    finally:
        for key in taken:
            db.release_lease(key, holder)
    return judged


# --- reprintwatch extract ------------------------------------------------------------------------------------
EXTRACT_FIELDS = ("status", "reason", "platform", "title", "outlet", "account", "account_id", "author",
                  "published_at", "original", "source_link", "url", "claimed_url", "content")


@click.command("extract")
@click.argument("source")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--url", "page_url", help="The URL a saved page (FILE or -) was fetched from, if known.")
@handle_errors
def extract(source, fmt, page_url):
    """Show what is read off one page: title, outlet, account, author, time, body.

    SOURCE is a saved page (.html), an http(s) URL (fetched politely; robots.txt obeyed), or `-` for
    stdin. For debugging a miss: the JSON object has status (ok, removed, too_short, error), title,
    outlet, account (WeChat; null otherwise), account_id (WeChat __biz), author, published_at, url (where
    the page was fetched from: its identity), claimed_url (the page's own canonical/og:url: evidence only)
    and content. Exit 0 when a page was read (whatever its status), 1 when there was nothing to read.

    \b
        reprintwatch extract saved/wechat-article.html
        reprintwatch extract https://mp.weixin.qq.com/s/AbCdEf --format json
        curl -s https://news.example.org/a.html | reprintwatch extract - --url https://news.example.org/a.html
    """
    from .fetch import Fetcher, FetchPolicy
    from .page import extract_bytes, fetch_page, is_url, outlet_of, read_source

    settings = current_settings()
    if is_url(source):
        _result, extracted, _ = fetch_page(source, Fetcher(FetchPolicy.from_settings(settings)))
        fetched = extracted.url or source
    else:
        raw = read_source(source, settings.fetch_max_bytes, "REPRINTWATCH_FETCH_MAX_BYTES")
        fetched = page_url or ""
        extracted = extract_bytes(raw, "", fetched)
    record = extract_record(extracted, outlet_of(extracted, fetched))
    if fmt == "json":
        click.echo(json_text(record))
    else:
        click.echo(render_extract_text(record), nl=False)
    if extracted.status == "error":
        sys.exit(1)


def extract_record(extracted, outlet: str) -> dict:
    """What ``extract --format json`` prints: the fields a person debugging a miss needs, in a stable order."""
    wechat = extracted.platform == "wechat"
    record = {
        "status": extracted.status, "reason": extracted.reason or None, "platform": extracted.platform,
        "title": extracted.title or None, "outlet": outlet or None,
        "account": (extracted.account or None) if wechat else None, "account_id": extracted.biz or None,
        "author": extracted.author or None, "published_at": extracted.published_at,
        "original": extracted.original_flag if wechat else None, "source_link": extracted.source_link or None,
        "url": extracted.url or None, "claimed_url": extracted.canonical_url or None,
        "content": extracted.content if extracted.status == "ok" else None,
    }
    if extracted.notice:
        record["notice"] = extracted.notice
    if extracted.fetch_error:
        record["fetch_error"] = extracted.fetch_error
    return record


def render_extract_text(record: dict) -> str:
    lines = []
    for key, value in record.items():
        if key == "content" or value in (None, ""):
            continue
        lines.append(f"{key + ':':<14}{terminal_safe(value)}")
    if record.get("content"):
        chars = len(record["content"])
        lines.append(f"{'content:':<14}{chars} characters")
        lines.append("")
        lines.extend(terminal_safe(line) for line in record["content"].split("\n"))
    return "\n".join(lines) + "\n"
