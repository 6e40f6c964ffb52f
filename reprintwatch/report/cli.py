"""Commands ``licence``, ``report``, ``coverage`` and ``evidence``: a thin layer over reprintwatch.report.

The root group (``reprintwatch.cli``) puts a :class:`~reprintwatch.config.Settings` in ``ctx.obj``; the
findings store and the licences are in ``Settings.store``, the licensed texts in the licensed index.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import json
import sys
from pathlib import Path

import click

from ..cliutils import current_settings, handle_errors
from ..config import Settings
from ..errors import ReprintwatchError
from .licences import KINDS, SCOPES, LicenceRegistry, make_licence
from .render import FORMATS, render

EXIT_VERIFY_FAILED = 1


def _settings() -> Settings:
    """Global settings from the root group, with this command's ``--store`` (if given) on top."""
    return current_settings(click.get_current_context().params.get("store"))


def _store_option(func):
    """``--store FILE``, as on ``ingest run``: the findings/evidence store, where licences live too."""
    return click.option(
        "--store", type=click.Path(dir_okay=False, path_type=Path), expose_value=True,
        help="Findings/evidence store (env REPRINTWATCH_STORE; default in the user data dir).",
    )(func)


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@contextlib.contextmanager
def _licensed_index(settings: Settings):
    """The licensed index for side-by-side texts, or None (with a warning) when it cannot be opened."""
    from ..index import open_index

    try:
        index = open_index(settings)
    except ReprintwatchError as exc:
        click.echo(f"Warning: licensed index unavailable ({exc}); licensed texts are left out.", err=True)
        yield None
        return
    try:
        yield index
    finally:
        index.close()


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)
    click.echo(f"Wrote {output}", err=True)


# --- licence ----------------------------------------------------------------------------------------------


@click.group("licence")
def licence():
    """Manage reprint licences: who may reprint which outlet's articles, when, and how."""


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
@_store_option
@handle_errors
def licence_add(site, wechat, app, outlet, valid_from, valid_until, scope, note, store):
    """Add a licence for one reprinter (exactly one of --site, --wechat, --app)."""
    given = [(kind, value) for kind, value in zip(KINDS, (site, wechat, app)) if value]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --site, --wechat or --app")
    kind, reprinter = given[0]
    lic = make_licence(kind, reprinter, outlet, valid_from, valid_until, scope, note, where="licence add")
    with LicenceRegistry(_settings().store) as registry:
        added = registry.add(lic)
    click.echo(f"Added licence {added.describe()}")


@licence.command("list")
@click.option("--outlet", help="Only licences for this outlet.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@_store_option
@handle_errors
def licence_list(outlet, fmt, store):
    """List licences."""
    with LicenceRegistry(_settings().store) as registry:
        found = registry.list(outlet=outlet)
    if fmt == "json":
        click.echo(json.dumps([lic.to_dict() for lic in found], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import csv
        import io

        from .licences import CSV_COLUMNS

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("id",) + CSV_COLUMNS)
        for lic in found:
            writer.writerow([lic.id] + [getattr(lic, c) or "" for c in CSV_COLUMNS])
        click.echo(out.getvalue(), nl=False)
    else:
        if not found:
            click.echo("No licences.")
        for lic in found:
            click.echo(lic.describe() + (f"  {lic.note}" if lic.note else ""))


@licence.command("remove")
@click.argument("ids", nargs=-1, required=True, type=int)
@_store_option
@handle_errors
def licence_remove(ids, store):
    """Remove licences by id."""
    with LicenceRegistry(_settings().store) as registry:
        removed = registry.remove(ids)
    missing = [i for i in ids if i not in removed]
    click.echo(f"Removed {len(removed)} licence(s)" + (f"; not found: {', '.join(map(str, missing))}" if missing else ""))
    if missing:
        sys.exit(1)


@licence.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_store_option
@handle_errors
def licence_import(file, store):
    """Import licences from CSV (header: reprinter_kind,reprinter,outlet,valid_from,valid_until,scope,note).

    The whole file is checked first; one bad row (reported as FILE:LINE) imports nothing.
    """
    with LicenceRegistry(_settings().store) as registry:
        added = registry.import_csv(file)
    click.echo(f"Imported {len(added)} licence(s) from {file}")


# --- reports ----------------------------------------------------------------------------------------------


def _open_store(settings: Settings):
    from .findings import FindingsStore

    return FindingsStore(settings.store)


def filter_options(outlet: bool = True, dates: str = "found"):
    """The filter options ``report daily``, ``coverage`` and ``findings list`` share (one :class:`Filter`).

    ``dates``: what ``--since/--until`` bound — the day a finding was made (``found``) or the licensed
    article's publish day (``article``)."""
    from .assess import STATUSES
    from .filters import VERDICTS

    day_what = "found" if dates == "found" else "published (the licensed article)"
    options = [
        click.option("--reprinter", multiple=True, metavar="NAME",
                     help="Only copies by this reprinter: WeChat account, site or domain (repeatable)."),
        click.option("--platform", multiple=True, metavar="NAME",
                     help="Only this platform, read from the copy's URL: wechat, web, feed, toutiao… (repeatable)."),
        click.option("--verdict", multiple=True, type=click.Choice(VERDICTS), help="Only this verdict (repeatable)."),
        click.option("--status", multiple=True, type=click.Choice(STATUSES),
                     help="Only this licence status (repeatable)."),
        click.option("--authorised/--unauthorised", "authorised", default=None,
                     help="Only copies a licence covers / does not cover."),
        click.option("--since", "since", callback=_date, metavar="DATE", help=f"Only findings {day_what} on or after this day."),
        click.option("--until", "until", callback=_date, metavar="DATE", help=f"Only findings {day_what} on or before this day."),
        click.option("--top", type=click.IntRange(1), metavar="N",
                     help="Only the N reprinters (coverage: articles) with most unauthorised copies."),
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
                until=None, top=None, dates="found"):
    from .filters import Filter

    return Filter(outlet=outlets, reprinter=reprinter, platform=platform, verdict=verdict, status=status,
                  authorised=authorised, since=since, until=until, top=top, date_field=dates)


_FILTER_KEYS = ("outlets", "reprinter", "platform", "verdict", "status", "authorised", "since", "until", "top")


def _pop_filter(kwargs: dict, dates: str = "found"):
    return make_filter(**{k: kwargs.pop(k) for k in _FILTER_KEYS if k in kwargs}, dates=dates)


def _emit(rep, fmt: str, output: Path | None, excel: bool) -> None:
    if fmt == "html" and output is not None:
        from .html import write_html

        written = write_html(rep, output)
        extra = f" and {len(written) - 1:,} finding page(s) in {written[1].parent}" if len(written) > 1 else ""
        click.echo(f"Wrote {output}{extra}", err=True)
        return
    _write(render(rep, fmt, excel=excel), output)


_excel_option = click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 byte-order mark, for Excel.")


@click.group("report")
def report():
    """Reports on findings."""


@report.command("daily")
@click.option("--date", "day", callback=_date, metavar="DATE", help="Day (YYYY-MM-DD) the findings were made; default today (UTC).")
@filter_options()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of stdout (HTML: plus a page per finding in NAME_files/ for big reports).")
@_excel_option
@_store_option
@handle_errors
def report_daily(day, fmt, output, excel, store, **filters):
    """Findings of one day (or --since/--until), judged against the licences, summarised, grouped by who copied.

    \b
        reprintwatch report daily --date 2026-11-27 -o daily.html
        reprintwatch report daily --unauthorised --platform wechat --top 20 --format text
        reprintwatch report daily --since 2026-11-01 --until 2026-11-07 --format csv --excel -o week.csv
    """
    from .daily import daily_report

    flt = _pop_filter(filters)
    settings = _settings()
    with _open_store(settings) as store, LicenceRegistry(settings.store) as registry, _licensed_index(settings) as index:
        rep = daily_report(store, registry.list(), index, day, flt=flt)
    _emit(rep, fmt, output, excel)


@click.command("coverage")
@click.option("--outlet", required=True, help="The publisher whose articles to follow, e.g. 南方日报.")
@filter_options(outlet=False, dates="article")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of stdout (HTML: plus a page per finding in NAME_files/ for big reports).")
@_excel_option
@_store_option
@handle_errors
def coverage(outlet, fmt, output, excel, store, **filters):
    """Where one outlet's articles were reprinted (most-copied first), and whether that was authorised.

    \b
        reprintwatch coverage --outlet 江南日报 --since 2026-11-01 -o coverage.html
        reprintwatch coverage --outlet 江南日报 --unauthorised --top 10 --format text
    """
    from .coverage import coverage_report

    flt = _pop_filter(filters, dates="article")
    settings = _settings()
    with _open_store(settings) as store, LicenceRegistry(settings.store) as registry, _licensed_index(settings) as index:
        rep = coverage_report(store, registry.list(), outlet, index, flt=flt)
    _emit(rep, fmt, output, excel)


# --- serve ------------------------------------------------------------------------------------------------


@click.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 (0: any free port). Only 127.0.0.1 is ever bound.")
@click.option("--page-size", type=click.IntRange(10, 5000), default=200, show_default=True, help="Findings a page.")
@_store_option
@handle_errors
def serve(port, page_size, store):
    """A read-only web view of the findings store on http://127.0.0.1:PORT/: browse, filter and sort findings,
    open one side by side, download CSV/JSON, see an outlet's coverage.

    \b
        reprintwatch serve --store /srv/reprintwatch/store.db --port 8765
        # then open http://127.0.0.1:8765/?outlet=江南日报&authorised=no
    """
    from ..index import open_index
    from .serve import serve as run_server

    settings = _settings()

    def licensed_index(s):
        try:
            return open_index(s)
        except ReprintwatchError as exc:
            click.echo(f"Warning: licensed index unavailable ({exc}); licensed texts are left out.", err=True)
            return None

    try:
        run_server(settings, port, page_size, open_index=licensed_index,
                   ready=lambda url: click.echo(f"Serving {url} (read-only; Ctrl-C to stop)", err=True))
    except OSError as exc:
        raise ReprintwatchError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None


# --- evidence ---------------------------------------------------------------------------------------------


@click.group("evidence")
def evidence():
    """Export and verify evidence bundles."""


@evidence.command("export")
@click.argument("finding_id")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The zip to write.")
@_store_option
@handle_errors
def evidence_export(finding_id, output, store):
    """Write FINDING_ID's evidence (page bytes, texts, metadata, hashes) to a zip; print the manifest hash."""
    from .evidence import export_bundle

    settings = _settings()
    with _open_store(settings) as store, LicenceRegistry(settings.store) as registry, _licensed_index(settings) as index:
        result = export_bundle(store, finding_id, output, registry.list(), index)
    click.echo(f"Wrote {result.path} ({len(result.files)} files)", err=True)
    click.echo(f"manifest SHA-256: {result.manifest_sha256}")


@evidence.command("verify")
@click.argument("bundle", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--expect", metavar="SHA256", help="The manifest hash printed at export; proves it is the same bundle.")
@handle_errors
def evidence_verify(bundle, expect):
    """Re-hash every file in BUNDLE against its manifest. Exit 0 if intact, 1 if not."""
    from .evidence import verify_bundle

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
