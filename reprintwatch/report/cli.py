"""Commands ``findings``, ``licence``, ``report`` and ``evidence``: a thin layer over reprintwatch.report
and the store.

The settings come from the global options (:mod:`reprintwatch.cliutils`); findings, evidence and
licences are in the store (``Settings.store``), the licensed texts in the licensed index.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

import click

from ..cliutils import ROW_ID, InputFile, current_settings, handle_errors, licensed_index, write_output
from ..config import Settings
from ..errors import BadInput
from ..dates import parse_day
from ..output import CsvWriter, json_text, one_line, terminal_safe
from ..store import Store, store_exists
from ..triage.licences import KINDS, SCOPES, make_licence
from ..triage.legal import describe as describe_hint
from .render import FORMATS, render

EXIT_VERIFY_FAILED = 1


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _report_format(fmt: str | None, output) -> str:
    """HTML by default into a file or pipe; text on a terminal (an HTML page is no use there)."""
    to_terminal = output in (None, "-") and sys.stdout.isatty()
    if fmt is None:
        return "text" if to_terminal else "html"
    if fmt == "html" and to_terminal:
        raise click.UsageError("an HTML report needs -o FILE (or a pipe); use --format text to read it here")
    return fmt


def filter_options(outlet: bool = True, dates: str = "found", top: str = "reprinters"):
    """The filter options ``report daily``, ``report coverage`` and ``findings list`` share (one
    :class:`~reprintwatch.report.filters.Filter`). ``dates``: what ``--since/--until`` bound — the day a
    finding was made (``found``) or the licensed article's publish day (``article``)."""
    from ..triage.assess import STATUSES
    from .filters import HINTS, VERDICTS

    day_what = ("found (days in REPRINTWATCH_TIMEZONE, default Asia/Shanghai)" if dates == "found"
                else "published (the licensed article)")
    options = [
        click.option("--reprinter", multiple=True, metavar="NAME",
                     help="Only copies by this reprinter: WeChat account, site or domain (repeatable)."),
        click.option("--platform", multiple=True, metavar="NAME",
                     help="Only this platform, read from the copy's URL: wechat, web, feed, toutiao… (repeatable)."),
        click.option("--verdict", multiple=True, type=click.Choice(VERDICTS), help="Only this verdict (repeatable)."),
        click.option("--status", multiple=True, type=click.Choice(STATUSES), help="Only this licence status (repeatable)."),
        click.option("--authorised/--unauthorised", "authorised", default=None,
                     help="Only copies a licence covers / does not cover."),
        click.option("--hint", multiple=True, type=click.Choice(HINTS),
                     help="Only findings with this legal hint (any certainty); 'exception': a possible exception, "
                          "what complaints set apart (repeatable; docs/legal-hints.md)."),
        click.option("--since", "since", callback=_date, metavar="DATE", help=f"Only findings {day_what} on or after this day."),
        click.option("--until", "until", callback=_date, metavar="DATE", help=f"Only findings {day_what} on or before this day."),
        click.option("--top", type=click.IntRange(1), metavar="N",
                     help=f"Only the N {top} with most unauthorised copies."),
    ]
    if outlet:
        options.insert(0, click.option("--outlet", "outlets", multiple=True, metavar="NAME",
                                       help="Only findings against this licensed outlet (repeatable)."))

    def decorate(func):
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def make_filter(outlets=(), reprinter=(), platform=(), verdict=(), status=(), authorised=None, since=None,
                until=None, top=None, dates="found", hint=()):
    from .filters import Filter

    return Filter(outlet=outlets, reprinter=reprinter, platform=platform, verdict=verdict, status=status,
                  authorised=authorised, hint=hint, since=since, until=until, top=top, date_field=dates)


def _emit(rep, fmt: str, output, excel: bool, store=None, index=None) -> None:
    """The report to ``output`` (HTML into a file: plus a page per finding for a big report) or stdout.
    The texts side by side are loaded only when the HTML shows findings in full."""
    if fmt == "html":
        from .daily import load_texts
        from .html import INLINE_LIMIT

        if output not in (None, "-") or len(rep.assessments) <= INLINE_LIMIT:
            load_texts(rep, index, store)
    if fmt == "html" and output not in (None, "-"):
        from .html import write_html

        written = write_html(rep, Path(output))
        extra = f" and {len(written) - 1:,} finding page(s) in {written[1].parent}" if len(written) > 1 else ""
        click.echo(f"Wrote {output}{extra}", err=True)
        return
    write_output(render(rep, fmt, excel=excel), output)


_excel_option = click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 byte-order mark, for Excel.")
_rejudge_option = click.option(
    "--rejudge", is_flag=True,
    help="Judge every finding afresh instead of reading the triage kept in the store (slow; the result is kept).")


# --- findings ---


@click.group()
def findings():
    """Query the reprints found by ingestion.

    \b
        reprintwatch findings list --since 2026-11-01
    """


FINDING_COLUMNS = (
    "finding_id", "created_at", "verdict", "similarity", "licensed_coverage", "suspect_coverage", "licensed_outlet",
    "licensed_id", "licensed_title", "licensed_url", "source", "platform", "site", "account", "title",
    "url", "published_at", "version", "evidence_id",
)


@findings.command("list")
@filter_options()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 byte-order mark, for Excel.")
@_rejudge_option
@handle_errors
def findings_list(fmt, excel, rejudge, **filters):
    """List findings (suspect → licensed article) with their triage, oldest first. The triage kept in the
    store is used while it is current; new findings, and those whose licences or triage rules changed
    since, are judged now and kept.

    \b
        reprintwatch findings list --since 2026-11-01 --outlet 江南日报
        reprintwatch findings list --unauthorised --platform wechat --top 5
        reprintwatch findings list --verdict full_reprint --format csv --excel > findings.csv
        reprintwatch findings list --hint exception --hint reservation_statement
    """
    from ..complaint.takedown import has_news, takedown_text, with_takedowns
    from .daily import select
    from .render import write_csv

    flt = make_filter(**filters)
    settings = current_settings()
    with Store(settings.store, create=False) as db, licensed_index(settings) as index:
        assessments = select(db, db.licences(), index, flt, force=rejudge)  # new and stale triages are kept
        assessments = with_takedowns(db, assessments)  # each finding's removal and complaints
    triages = {a.finding["finding_id"]: a.triage() for a in assessments}
    if fmt == "json":
        for a in assessments:
            row = dict(a.finding)
            for name in ("content", "triage_basis", "source_platform", "withdrawn_at", "withdrawn_reason"):  # listed: in force
                row.pop(name, None)
            click.echo(json_text({**row, "triage": triages[row["finding_id"]]}, indent=None))
        return
    if fmt == "csv":
        buf = io.StringIO()
        write_csv(buf, ((a, a.reprinter.label()) for a in assessments), excel=excel)
        click.echo(buf.getvalue(), nl=False)
        return
    if not assessments:
        click.echo("No findings.", err=True)
        return
    for a in assessments:
        row = a.finding
        triage = triages[row["finding_id"]]
        click.echo(
            f"#{row['finding_id']}  {row['created_at']}  {a.status:<15} {row['verdict']:<15} sim {row['similarity']:.2f}  "
            f"covers {row['licensed_coverage']:.0%} of {one_line(row['licensed_outlet']) or '?'} {one_line(row['licensed_id'])}"
        )
        who = one_line(row.get("account") or row.get("site") or a.reprinter.label())
        click.echo(f"      {row['platform']}:{who}  {one_line(row.get('title'), 80)}  {one_line(row.get('url'))}")
        click.echo(f"      {one_line(triage.get('status'))}: {one_line(triage.get('licence_reason'), 160)}")
        click.echo(f"      credit: {one_line(triage.get('credit_summary'), 160)}")
        if triage.get("contradiction"):
            click.echo(f"      contradiction: {one_line(triage['contradiction'], 160)}")
        for hint in a.hints:
            click.echo(f"      legal hint: {one_line(describe_hint(hint), 200)}")
        if has_news(row["takedown"]):
            click.echo(f"      removal: {one_line(takedown_text(row['takedown']), 160)}")
    click.echo(f"{len(assessments)} finding{'s' if len(assessments) != 1 else ''}.", err=True)


@findings.command("rejudge")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
@handle_errors
def findings_rejudge(progress):
    """Re-judge the findings made by other (older) detection rules: check each such suspect's kept text
    again against the licensed index with this reprintwatch's detector. A finding the rules no longer make
    is withdrawn (kept, with the date and the reason; left out of reports, dossiers and serve), one they
    make now is recorded, a changed verdict is updated; each change is printed and kept in the store.

    Until this has run, the commands that read findings refuse a store holding findings of other rules
    (exit 3) rather than mix the two. Each suspect is one transaction: an interrupted run goes on where it
    stopped when run again, and a second run changes nothing. Exit 1 when a suspect was left as it was
    (its findings name a licensed article the index does not hold: check --db).

    \b
    Example:
      reprintwatch findings rejudge --db licensed.db --store store.db
      reprintwatch findings list
    """
    from ..cliutils import detector_for
    from ..rejudge import rejudge

    settings = current_settings()
    with Store(settings.store, create=False) as db, licensed_index(settings) as index:
        from ..detector import RULES_VERSION

        total = db.count_to_rejudge(RULES_VERSION)
        show = sys.stderr.isatty() if progress is None else progress
        bar = click.progressbar(length=total, label="re-judging", file=sys.stderr) if show and total else None
        try:
            result = rejudge(db, detector_for(index, settings), progress=bar.update if bar else None)
        finally:
            if bar is not None:
                bar.render_finish()
    for finding_id, action in result.changes:
        click.echo(f"#{finding_id} {action.outcome} (licensed {one_line(action.licensed_id)}): {one_line(action.reason, 200)}")
    for suspect_id, url, why in result.skipped:
        click.echo(f"suspect {suspect_id} ({one_line(url)}): left as it was: {one_line(why)}", err=True)
    click.echo(result.line(), err=True)
    if result.skipped:
        sys.exit(1)


# --- licence ----------------------------------------------------------------------------------------------


@click.group("licence", context_settings={"help_option_names": ["-h", "--help"]})
def licence():
    """Manage reprint licences: who may reprint which outlet's articles, when, and how.

    \b
        reprintwatch licence add --site partner.example --outlet 新华社
    """


@licence.command("add")
@click.option("--site", "site", metavar="DOMAIN", help="A web site; covers its subdomains too.")
@click.option("--wechat", "wechat", metavar="ACCOUNT", help="A WeChat account name or ID (__biz).")
@click.option("--app", "app", metavar="NAME", help="An app (matched against the ingest source name).")
@click.option("--outlet", required=True, help="Outlet whose articles may be reprinted (* for all).")
@click.option("--from", "valid_from", metavar="DATE", help="First day the licence is valid (YYYY-MM-DD).")
@click.option("--until", "valid_until", metavar="DATE", help="Last day the licence is valid (YYYY-MM-DD).")
@click.option("--scope", type=click.Choice(SCOPES), default="may_reprint", show_default=True,
              help="may_reprint: verbatim only; may_edit: may also excerpt or rework.")
@click.option("--note", default="", help="Free text, e.g. the contract number.")
@handle_errors
def licence_add(site, wechat, app, outlet, valid_from, valid_until, scope, note):
    """Add a licence for one reprinter (exactly one of --site, --wechat, --app).

    \b
        reprintwatch licence add --wechat 江南观察 --outlet 新华社 --from 2026-01-01 --until 2026-12-31
        reprintwatch licence add --site partner.example --outlet '*' --scope may_edit
    """
    given = [(kind, value) for kind, value in zip(KINDS, (site, wechat, app)) if value]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --site, --wechat or --app")
    kind, reprinter = given[0]
    lic = make_licence(kind, reprinter, outlet, valid_from, valid_until, scope, note, where="licence add")
    with Store(current_settings().store) as db:
        added = db.add_licences([lic])[0]
    click.echo(f"Added licence {one_line(added.describe())}")


@licence.command("list")
@click.option("--outlet", help="Only licences for this outlet.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@handle_errors
def licence_list(outlet, fmt):
    """List licences (the store is not created when there is none).

    \b
        reprintwatch licence list --outlet 新华社
        reprintwatch licence list --format csv > licences.csv
    """
    from ..triage.licences import select

    path = current_settings().store
    found = []
    if store_exists(path):  # listing never creates a store
        with Store(path, create=False) as db:
            found = select(db.licences(), outlet=outlet)
    if fmt == "json":
        click.echo(json_text([lic.to_dict() for lic in found]))
    elif fmt == "csv":
        from ..triage.licences import CSV_COLUMNS

        out = io.StringIO()
        writer = CsvWriter(out, ("id",) + CSV_COLUMNS)
        for lic in found:
            writer.write(lic.to_dict())
        click.echo(out.getvalue(), nl=False)
    else:
        if not found:
            click.echo("No licences.")
        for lic in found:
            click.echo(one_line(lic.describe() + (f"  {lic.note}" if lic.note else "")))


@licence.command("remove")
@click.argument("ids", nargs=-1, required=True, type=ROW_ID)
@handle_errors
def licence_remove(ids):
    """Remove licences by id (exit 1 if one of them is not there).

    \b
        reprintwatch licence remove 3 4
    """
    with Store(current_settings().store, create=False) as db:
        removed = db.remove_licences(ids)
    missing = [i for i in ids if i not in removed]
    click.echo(f"Removed {len(removed)} licence{'' if len(removed) == 1 else 's'}" + (f"; not found: {', '.join(map(str, missing))}" if missing else ""))
    if missing:
        sys.exit(1)


@licence.command("import")
@click.argument("file", type=InputFile(dash=False))
@handle_errors
def licence_import(file):
    """Import licences from CSV (header: reprinter_kind,reprinter,outlet,valid_from,valid_until,scope,note,timezone).

    reprinter_kind, reprinter and outlet are required; timezone (e.g. Asia/Tokyo, +09:00) is the zone
    the licence's dates are in, China time when empty.

    The whole file is checked first; one bad row (reported as FILE:LINE) imports nothing.

    \b
        reprintwatch licence import licences.csv
    """
    from ..triage.licences import read_csv_file

    licences = read_csv_file(file)
    with Store(current_settings().store) as db:
        added = db.add_licences(licences)
    click.echo(f"Imported {len(added)} licence{'' if len(added) == 1 else 's'} from {file}")


# --- reports ----------------------------------------------------------------------------------------------


def _open_store(settings: Settings) -> Store:
    return Store(settings.store, create=False)


@click.group("report")
def report():
    """Reports on findings: the daily report and one outlet's coverage.

    \b
        reprintwatch report daily -o report.html
    """


@report.command("daily")
@click.option("--date", "day", callback=_date, metavar="DATE", help="Day (YYYY-MM-DD) the findings were made, in REPRINTWATCH_TIMEZONE (default Asia/Shanghai); default today there.")
@filter_options()
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="html (default into a file or pipe), text (default on a terminal), csv or json.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of stdout (HTML: plus a page per finding in NAME_files/ for big reports).")
@_excel_option
@_rejudge_option
@handle_errors
def report_daily(day, fmt, output, excel, rejudge, **filters):
    """Findings of one day (or --since/--until), judged against the licences, summarised, grouped by who copied.

    Needs the licensed index (--db or Elasticsearch): without its texts stripped datelines and
    bylines would go uncounted, so the report fails (exit 3) instead.

    \b
        reprintwatch report daily --date 2026-11-02 -o report.html
        reprintwatch report daily --unauthorised --platform wechat --top 20 --format text
        reprintwatch report daily --since 2026-11-01 --until 2026-11-07 --format csv --excel -o week.csv
        reprintwatch report daily --hint exception --format text   # what the law may leave free
    """
    from .daily import daily_report

    flt = make_filter(**filters)
    settings = current_settings()
    fmt = _report_format(fmt, output)
    with _open_store(settings) as store, licensed_index(settings) as index:
        rep = daily_report(store, store.licences(), index, day, flt=flt, force=rejudge)
        from .filters import until_bound

        _add_takedowns(rep, store, store.licences(), index, until=until_bound(day) if day else None)
        _emit(rep, fmt, output, excel, store, index)


def _coverage_params(func):
    func = _rejudge_option(func)
    func = _excel_option(func)
    func = click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write here instead of stdout (HTML: plus a page per finding for big reports).")(func)
    func = click.option("--format", "fmt", type=click.Choice(FORMATS),
                        help="html (default into a file or pipe), text (default on a terminal), csv or json.")(func)
    func = filter_options(outlet=False, dates="article", top="articles")(func)
    return click.option("--outlet", required=True, help="The publisher whose articles to follow, e.g. 南方日报.")(func)


@report.command("coverage")
@_coverage_params
@handle_errors
def coverage(outlet, fmt, output, excel, rejudge, **filters):
    """Where one outlet's articles were reprinted (most-copied first), and whether that was authorised.

    Needs the licensed index, as `report daily` does. --since/--until are the articles' publish days.

    \b
        reprintwatch report coverage --outlet 新华社 --since 2026-10-01 -o coverage.html
        reprintwatch report coverage --outlet 新华社 --unauthorised --top 10 --format text
    """
    from .coverage import coverage_report

    flt = make_filter(**filters, dates="article")
    settings = current_settings()
    fmt = _report_format(fmt, output)
    with _open_store(settings) as store, licensed_index(settings) as index:
        rep = coverage_report(store, store.licences(), outlet, index, flt=flt, force=rejudge)
        _add_takedowns(rep, store, store.licences(), index, findings=[a.finding for a in rep.assessments])
        _emit(rep, fmt, output, excel, store, index)


def _add_takedowns(rep, store, licences, index, findings=None, until=None) -> None:
    """Complaint status and time to removal (``complaint.takedown``) for the report's scope: every finding
    made up to the report's day (daily), or the report's findings (coverage)."""
    from ..complaint.takedown import takedown_for
    from .daily import load_takedowns

    if findings is None:
        findings = store.list_findings(until=until, content=False)
    rep.extra["takedown"] = takedown_for(store, licences, findings, index)
    load_takedowns(rep, store)  # and each finding's own removal and complaints, on its row


@click.command("coverage", hidden=True)
@_coverage_params
@click.pass_context
def coverage_alias(ctx, **kwargs):
    """The old spelling of `report coverage`.

    \b
        reprintwatch coverage --outlet 新华社 --format text
    """
    ctx.invoke(coverage, **kwargs)


# --- serve ------------------------------------------------------------------------------------------------


@click.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 (0: any free port). Only 127.0.0.1 is ever bound.")
@click.option("--page-size", type=click.IntRange(10, 5000), default=200, show_default=True, help="Findings a page.")
@handle_errors
def serve(port, page_size):
    """A read-only web view of the findings store on http://127.0.0.1:PORT/: browse, filter and sort findings,
    open one side by side, download CSV/JSON, see an outlet's coverage.

    \b
        reprintwatch --store /srv/reprintwatch/store.db serve --port 8765
        # then open http://127.0.0.1:8765/?outlet=江南日报&authorised=no
    """
    from .serve import serve as run_server

    settings = current_settings()
    try:
        run_server(settings, port, page_size, open_index=licensed_index,
                   ready=lambda url: click.echo(f"Serving {url} (read-only; Ctrl-C to stop)", err=True))
    except OSError as exc:
        raise BadInput(f"127.0.0.1:{port}", f"cannot listen: {exc.strerror or exc}") from None


# --- evidence ---------------------------------------------------------------------------------------------


@click.group("evidence")
def evidence():
    """Export and verify evidence bundles.

    \b
        reprintwatch evidence export 17 -o finding-17.zip
    """


@evidence.command("export")
@click.argument("finding_id", type=ROW_ID)
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The zip to write.")
@handle_errors
def evidence_export(finding_id, output):
    """Write FINDING_ID's evidence (page bytes, texts, metadata, hashes) to a zip; print the manifest hash.

    \b
        reprintwatch evidence export 17 -o finding-17.zip
    """
    from ..evidence import export_bundle

    settings = current_settings()
    with _open_store(settings) as store, licensed_index(settings) as index:
        result = export_bundle(store, finding_id, output, store.licences(), index)
    click.echo(f"Wrote {result.path} ({len(result.files)} files)", err=True)
    if result.withdrawn:  # evidence of a withdrawn finding is still evidence, but nobody should file it unawares
        click.echo(terminal_safe(f"Note: finding {finding_id} was WITHDRAWN {result.withdrawn} "
                                 "(finding.json's withdrawn_at says so)", newlines=False), err=True)
    click.echo(f"manifest SHA-256: {result.manifest_sha256}")


@evidence.command("verify")
@click.argument("bundle", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--expect", metavar="SHA256", help="The manifest hash printed at export; proves it is the same bundle.")
@handle_errors
def evidence_verify(bundle, expect):
    """Re-hash every file in BUNDLE against its manifest. Exit 0 if intact, 1 if not.

    \b
        reprintwatch evidence verify finding-17.zip
        reprintwatch evidence verify finding-17.zip --expect "$SHA256"

    $SHA256 is the "manifest SHA-256" that `evidence export` printed when it wrote the bundle.
    """
    from ..evidence import verify_bundle

    result = verify_bundle(bundle, expect)
    for f in result.files:
        click.echo(f"{'ok  ' if f['ok'] else 'BAD '} {f['sha256']}  {f['name']}")
    if result.ok:
        click.echo(f"OK: {bundle} is intact (finding {result.finding_id}; manifest SHA-256 {result.manifest_sha256})")
        if not expect:
            click.echo("Compare the manifest SHA-256 with the one printed at export (or pass --expect).", err=True)
        return
    for problem in result.problems:
        click.echo(f"FAILED: {problem}", err=True)
    sys.exit(EXIT_VERIFY_FAILED)
