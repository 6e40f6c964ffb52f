"""The ``reprintwatch`` command: a thin layer over the library.

Exit codes (see :mod:`reprintwatch.cliutils`): 0 success · 1 bad input · 2 usage error · 3 licensed index,
store or Elasticsearch unavailable or incompatible · 4 every source of an ``ingest run`` failed.
"""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from . import __version__
from .articles import read_jsonl
from .cliutils import (
    InputFile, add_global_options, check_encoding, current_settings, detector_for, global_options, handle_errors,
    load_settings, open_output,
)
from .config import Settings
from .errors import BadInput
from .index import open_index
from .output import FORMATS, ResultWriter, json_text, render_text


def _progress(path: str, enabled: bool | None, label: str):
    """A byte-based progress bar on stderr for a file (only on a terminal unless forced)."""
    show = enabled if enabled is not None else sys.stderr.isatty()
    if not show or path == "-":
        return contextlib.nullcontext(None)
    size = Path(path).stat().st_size
    return click.progressbar(length=size, label=label, file=sys.stderr, show_eta=True, show_percent=True)


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _fail_if_all_bad(name: str, good: int, skipped: list) -> None:
    """A file in which no line could be used is bad input (exit 1), not a successful run."""
    if skipped and not good:
        raise BadInput(name, f"every line was bad ({plural(len(skipped), 'line')} skipped); nothing was read. "
                             "Is --encoding right?")


def _read_articles(name: str, encoding: str, strict: bool, settings: Settings, bar, skipped: list):
    """Articles of a JSONL file (``-``: stdin); bad lines are reported and appended to ``skipped``, or
    raised with ``strict``."""
    stream = sys.stdin.buffer if name == "-" else None
    for item in read_jsonl(name, encoding, settings.max_article_bytes, stream=stream,
                           progress=bar.update if bar else None):
        if isinstance(item, BadInput):
            if strict:
                raise item
            skipped.append(item)
            click.echo(f"skipped {item}", err=True)
            continue
        yield item


class _Root(click.Group):
    """The root group: the global options (also accepted after any subcommand) build the settings."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params.extend(global_options())


@click.group(cls=_Root, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="reprintwatch")
@click.pass_context
def cli(ctx):
    """Find unauthorised reprints of licensed news articles.

    Index the licensed articles once, then check suspect articles against them:

    \b
        reprintwatch index add data/licensed.jsonl
        reprintwatch check data/suspect_wechat.html
        reprintwatch scan data/suspects.jsonl --format jsonl

    Watch sources continuously and report what was found (data/ is the sample in a clone):

    \b
        reprintwatch ingest run --sources data/sample-sources.toml --once
        reprintwatch report daily --format html -o report.html

    Global options (--db, --store, --backend, --es-*) go before or after the subcommand;
    a subcommand's --help lists the ones it uses. Every option can also be set with a
    REPRINTWATCH_* environment variable; flags win.
    Exit codes: 0 ok, 1 bad input, 2 usage error, 3 index or store unavailable,
    4 every source of an `ingest run` failed, 130 interrupted.
    """
    ctx.obj = load_settings(ctx.obj)


# --- index ------------------------------------------------------------------------------------------------

@cli.group()
def index():
    """Manage the index of licensed articles.

    \b
        reprintwatch index add licensed.jsonl
        reprintwatch index stats
    """


@index.command("add")
@click.argument("files", nargs=-1, required=True, type=InputFile())
@click.option("--encoding", default="auto", show_default=True, callback=check_encoding,
              help="Input encoding: auto (UTF-8, else GB18030) or a codec.")
@click.option("--strict", is_flag=True, help="Stop at the first bad line instead of skipping it.")
@click.option("--batch-size", type=click.IntRange(1), help="Articles per transaction (default 500).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes fingerprinting batches while this one stores them. The index is the same.")
@handle_errors
def index_add(files, encoding, strict, batch_size, progress, jobs):
    """Add licensed articles from JSONL FILES (one article a line; `-` for stdin).

    Each line: {"id", "content", "title", "outlet", "url", "published_at"} with id and
    content required. Re-adding an id replaces the article if it changed and is a no-op
    if not. Bad lines are reported with file:line and skipped.

    \b
        reprintwatch index add licensed.jsonl
        Indexed 12 articles from licensed.jsonl: 12 new, 0 updated, 0 unchanged.
        reprintwatch index add archive.jsonl --jobs 2
    """
    settings = current_settings()
    batch_size = batch_size or settings.batch_size
    with open_index(settings, create=True) as idx:
        detector = detector_for(idx, settings)
        for name in files:
            skipped: list[BadInput] = []
            with _progress(name, progress, f"indexing {name}") as bar:
                articles = _read_articles(name, encoding, strict, settings, bar, skipped)
                result = detector.add(articles, batch_size=batch_size, jobs=jobs)
            click.echo(
                f"Indexed {plural(result.total, 'article')} from {name}: {result.added} new, {result.updated} "
                f"updated, {result.unchanged} unchanged" + (f"; {plural(len(skipped), 'bad line')} skipped."
                                                            if skipped else ".")
            )
            _fail_if_all_bad(name, result.total, skipped)


@index.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@handle_errors
def index_stats(as_json):
    """Show what the licensed index holds.

    \b
        reprintwatch index stats
        reprintwatch index stats --json
    """
    with open_index(current_settings()) as idx:
        stats = idx.stats()
    if as_json:
        click.echo(json_text(stats.to_dict()))
        return
    click.echo(f"backend     {stats.backend}  ({stats.location})")
    click.echo(f"articles    {stats.articles:,}")
    click.echo(f"band keys   {stats.band_keys:,}")
    if stats.size_bytes is not None:
        per = f"  ({stats.size_bytes / stats.articles:,.0f} bytes an article)" if stats.articles else ""
        click.echo(f"size        {stats.size_bytes:,} bytes{per}")
    p = stats.params
    click.echo(
        f"fingerprint {p.get('tokenizer')} · {p.get('shingle_size')}-word shingles · MinHash {p.get('num_perm')} perms "
        f"({p.get('scheme')}, seed {p.get('seed')}) · article LSH {p.get('article_bands')}×{p.get('article_rows')} · "
        f"window LSH {p.get('window_bands')}×{p.get('window_rows')} · {p.get('key_bits', 64)}-bit keys"
    )
    for outlet, n in stats.outlets.items():
        click.echo(f"  {n:>8,}  {outlet or '(no outlet)'}")


@index.command("delete")
@click.argument("ids", nargs=-1, required=True)
@handle_errors
def index_delete(ids):
    """Remove licensed articles by ID.

    \b
        reprintwatch index delete jn-2026-0003 jn-2026-0004
    """
    with open_index(current_settings()) as idx:
        deleted = idx.delete(ids)
    missing = [i for i in ids if i not in set(deleted)]
    click.echo(f"Deleted {len(deleted)} article{'s' if len(deleted) != 1 else ''}.")
    if missing:
        click.echo(f"Not in the index: {', '.join(missing)}", err=True)


@index.command("optimize")
@handle_errors
def index_optimize():
    """Make lookups cheaper after a large load; matches stay the same.

    Elasticsearch: force-merge the index to one segment (a check looks up its band keys in
    every segment: at 1M articles a bulk load left 43). It runs on the node and can take
    many minutes for gigabytes; checks keep working meanwhile. Run it when a large load is
    done. SQLite: merge the key runs into as few as fit, in one transaction.

    \b
        reprintwatch --backend elasticsearch index optimize
        Optimized the index: 43 segments -> 1 in 159.7 s.
    """
    with open_index(current_settings()) as idx:
        result = idx.optimize()
    click.echo(f"Optimized the index: {plural(result.before, result.unit)} -> {result.after} in "
               f"{result.seconds:,.1f} s.")


@index.command("migrate")
@handle_errors
def index_migrate():
    """Upgrade an index built by an older reprintwatch to the current layout.

    SQLite (schema 1 or 2 → 4): band keys are rebuilt in place from the stored signatures, in one
    transaction. SQLite schema 3 (upgraded to 4 when opened): each article's distinct shingles are
    stored from its signature, so listing versions reads them as they are (the same answers
    before and after). Elasticsearch: a new index is built beside the old one from the stored
    signatures, then the alias (--es-index) is swapped to it in one step; checks keep working
    on the old index meanwhile. Both: an index made before the rewrite (洗稿) sketch gets its
    rewrite keys from the stored texts, and an index made before stories gets them (versions of
    one text grouped, as `index add` groups them: SQLite in the order articles were added,
    Elasticsearch in the order the old index returns them). Safe to rerun.

    \b
        reprintwatch --db licensed.db index migrate
        reprintwatch --backend elasticsearch --es-index reprintwatch index migrate
    """
    settings = current_settings()
    if settings.backend == "sqlite":
        from .index.sqlite import SQLiteIndex

        n = SQLiteIndex.migrate(settings.db)
        click.echo(f"Migrated {n:,} articles in {settings.db}." if n else f"{settings.db} is up to date.")
        return
    from .index.elasticsearch import ElasticsearchIndex

    result = ElasticsearchIndex.migrate(settings)
    if result.migrated:
        kept = f"; the old index {result.old_index!r} is kept, delete it when satisfied" \
            if result.old_index != result.alias else ""
        click.echo(f"Migrated {result.documents:,} articles: {result.alias!r} now points at "
                   f"{result.new_index!r}{kept}.")
    else:
        click.echo(f"{result.alias!r} ({result.new_index}) is up to date: {result.documents:,} articles.")


# --- check / scan -----------------------------------------------------------------------------------------

def _load_check_input(source: str, encoding: str, settings: Settings):
    from .ingest.page import is_url, read_article, read_source

    if is_url(source):
        from .ingest import fetch_article
        from .store import Store

        with Store(settings.store) as store:  # the fetched page is kept as evidence
            article, _evidence = fetch_article(source, settings, store)
        return article
    # a saved page may be as large as a fetched one; the text it holds, as an article
    limit = max(settings.max_article_bytes, settings.fetch_max_bytes)
    raw = read_source(source, limit, "REPRINTWATCH_FETCH_MAX_BYTES" if limit > settings.max_article_bytes
                      else "REPRINTWATCH_MAX_ARTICLE_BYTES")
    return read_article(raw, source, encoding, settings.max_article_bytes, settings.fetch_max_bytes)


@cli.command()
@click.argument("source")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--all", "include_all", is_flag=True, help="Also list candidates that are not reprints.")
@click.option("--encoding", default="auto", show_default=True, callback=check_encoding,
              help="Input encoding: auto (UTF-8, else GB18030) or a codec name.")
@handle_errors
def check(source, fmt, include_all, encoding):
    """Check one article against the licensed index.

    SOURCE is a .txt file, an .html page (WeChat pages use their article body), a .json
    file with one article, an http(s) URL, or `-` for stdin. Matches are ranked best first,
    with the copied passages as character offsets into both texts. "score" is the calibrated
    probability (0-1) that the two texts share copied text; it ranks, the verdict decides.

    \b
        reprintwatch check suspect_wechat.html
        echo "……" | reprintwatch check - --format json
    """
    settings = current_settings()
    # a local input is read first (a missing file is bad input whether or not there is an index); a URL
    # is fetched only once the index is known to be there
    from .ingest.page import is_url

    article = None if is_url(source) else _load_check_input(source, encoding, settings)
    with open_index(settings) as idx:
        article = article or _load_check_input(source, encoding, settings)
        result = detector_for(idx, settings).check(article)
    if fmt == "json":
        out = result.to_dict(include_all)
        out["removed"] = [r.to_dict() for r in result.removed]
        click.echo(json_text(out))
    else:
        click.echo(render_text(result, include_all), nl=False)


@cli.command()
@click.argument("file", type=InputFile())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people; json, jsonl (one line per input article, in order) or csv (one row per match).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Write results here instead of stdout.")
@click.option("--all", "include_all", is_flag=True, help="Also list candidates that are not reprints.")
@click.option("--encoding", default="auto", show_default=True, callback=check_encoding,
              help="Input encoding: auto (UTF-8, else GB18030) or a codec name.")
@click.option("--strict", is_flag=True, help="Fail at the first bad line instead of skipping it.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes checking in parallel [default: every core]. The output is the same, in input order.")
@handle_errors
def scan(file, fmt, output, include_all, encoding, strict, progress, jobs):
    """Check every article of a JSONL FILE against the licensed index.

    The input uses the same schema as `index add`. Bad lines are reported on stderr with
    file:line and skipped; the run ends with a count.

    \b
        reprintwatch scan suspects.jsonl
        reprintwatch scan suspects.jsonl --format jsonl -o results.jsonl
        reprintwatch scan suspects.jsonl --format csv > results.csv
        reprintwatch scan big.jsonl --jobs 2 --format jsonl -o results.jsonl
    """
    settings = current_settings()
    checked = found = 0
    skipped: list[BadInput] = []
    with open_index(settings) as idx, open_output(output) as out:
        detector = detector_for(idx, settings)
        writer = ResultWriter(out, fmt, include_all)
        with _progress(file, progress, f"scanning {file}") as bar:
            articles = _read_articles(file, encoding, strict, settings, bar, skipped)
            for result in detector.check_many(articles, jobs=jobs):
                writer.write(result)
                checked += 1
                found += bool(result.reprints)
        writer.close()
    click.echo(
        f"Scanned {plural(checked, 'article')}: {found} with reprints"
        + (f"; {plural(len(skipped), 'bad line')} skipped." if skipped else "."),
        err=True,
    )
    _fail_if_all_bad(file, checked, skipped)


# --- store ------------------------------------------------------------------------------------------------

@cli.group("store")
def store_group():
    """The findings store itself: move an SQLite store to PostgreSQL (docs/postgresql.md).

    \b
        reprintwatch --store ~/rw/store.db store migrate --to 'postgresql://rw_owner@db.internal/reprintwatch'
    """


@store_group.command("migrate")
@click.option("--to", "to", required=True, metavar="URL",
              help="The PostgreSQL store to copy into; no password in it (PGPASSWORD, ~/.pgpass or a service file).")
@click.option("--batch-size", type=click.IntRange(1), default=500, show_default=True,
              help="Rows copied a transaction.")
@handle_errors
def store_migrate(to, batch_size):
    """Copy the SQLite store (--store) with its evidence into a PostgreSQL store; done only when every
    table's row count and SHA-256 are equal on both and every evidence body is re-hashed. Interrupted, it
    continues where it stopped when run again. Stop the ingest machines first.

    \b
        reprintwatch --store ~/rw/store.db store migrate --to 'postgresql://rw_owner@db.internal/reprintwatch'
        PGPASSFILE=~/.pgpass reprintwatch store migrate --to 'postgresql://?service=reprintwatch'
    """
    from .migrate import TABLES, migrate
    from .pgdb import is_url
    from .store import Store

    if not is_url(to):
        raise click.UsageError(f"--to {to!r}: not a postgresql:// URL")
    settings = current_settings()
    with Store(settings.store, create=False) as source, Store(to) as target:
        result = migrate(source, target, batch_size, progress=lambda message: click.echo(message, err=True))
        for table in TABLES:
            click.echo(f"{table}: {result.counts[table]} row(s), SHA-256 {result.digests[table][:16]} on both")
        click.echo(f"Done{' (resumed)' if result.resumed else ''}: {target.location} holds a checked copy of "
                   f"{source.location}; {result.bodies_checked} evidence bodies re-read and re-hashed.")


def _register_commands() -> None:
    """The ingestion, reporting and complaint commands live beside their packages; every command then gets
    the global options."""
    from .complaint.cli import complaint, holder, recheck_command
    from .ingest.cli import extract, ingest
    from .report.cli import coverage_alias, evidence, findings, licence, report, serve

    for command in (ingest, findings, extract, licence, report, evidence, serve, holder, complaint, recheck_command):
        cli.add_command(command)
    cli.add_command(coverage_alias, "coverage")
    add_global_options(cli)


_register_commands()


def main() -> None:  # pragma: no cover - console entry point
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
