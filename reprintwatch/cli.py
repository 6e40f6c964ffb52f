"""The ``reprintwatch`` command: a thin layer over the library.

Exit codes: 0 success · 1 bad input (unreadable file, bad line with --strict) · 2 usage error ·
3 licensed index unavailable or incompatible (missing database, other fingerprint parameters,
Elasticsearch down).
"""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from . import __version__
from .articles import read_jsonl
from .cliutils import current_settings, handle_errors
from .config import Settings
from .detector import Detector
from .errors import BadInput
from .index import BACKENDS, open_index
from .output import FORMATS, ResultWriter, render_text

EXIT_BAD_INPUT = 1
EXIT_INDEX = 3


def _progress(path: str, enabled: bool | None, label: str):
    """A byte-based progress bar on stderr for a file (only on a terminal unless forced)."""
    show = enabled if enabled is not None else sys.stderr.isatty()
    if not show or path == "-":
        return contextlib.nullcontext(None)
    size = Path(path).stat().st_size
    return click.progressbar(length=size, label=label, file=sys.stderr, show_eta=True, show_percent=True)


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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="reprintwatch")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="REPRINTWATCH_DB",
              help="SQLite licensed index (env REPRINTWATCH_DB; default in the user data dir).")
@click.option("--backend", type=click.Choice(BACKENDS), envvar="REPRINTWATCH_BACKEND",
              help="Where the licensed index lives (env REPRINTWATCH_BACKEND; default sqlite).")
@click.option("--es-url", envvar="REPRINTWATCH_ES_URL", help="Elasticsearch URL (env REPRINTWATCH_ES_URL).")
@click.option("--es-index", envvar="REPRINTWATCH_ES_INDEX", help="Elasticsearch index alias (default reprintwatch).")
@click.option("--es-api-key", envvar="REPRINTWATCH_ES_API_KEY", help="Elasticsearch API key.")
@click.option("--es-username", envvar="REPRINTWATCH_ES_USERNAME", help="Elasticsearch basic-auth user.")
@click.option("--es-password", envvar="REPRINTWATCH_ES_PASSWORD", help="Elasticsearch basic-auth password.")
@click.option("--es-ca-certs", envvar="REPRINTWATCH_ES_CA_CERTS", type=click.Path(exists=True, dir_okay=False),
              help="CA certificate bundle for a TLS cluster.")
@click.option("--store", type=click.Path(dir_okay=False, path_type=Path), envvar="REPRINTWATCH_STORE",
              help="Findings and evidence store of ingest and reports (env REPRINTWATCH_STORE).")
@click.pass_context
def cli(ctx, db, backend, es_url, es_index, es_api_key, es_username, es_password, es_ca_certs, store):
    """Find unauthorised reprints of licensed news articles.

    Index the licensed articles once, then check suspect articles against them:

    \b
        reprintwatch index add data/licensed.jsonl
        reprintwatch check data/suspect_wechat.html
        reprintwatch scan data/suspects.jsonl --format jsonl

    Watch sources continuously and report what was found:

    \b
        reprintwatch ingest run --sources data/sources.example.toml --once
        reprintwatch report daily --format html -o report.html

    Every option can also be set with a REPRINTWATCH_* environment variable; flags win.
    """
    ctx.obj = Settings.load(
        db=db, backend=backend, es_url=es_url, es_index=es_index, es_api_key=es_api_key,
        es_username=es_username, es_password=es_password, es_ca_certs=es_ca_certs, store=store,
    )


# --- index ------------------------------------------------------------------------------------------------

@cli.group()
def index():
    """Manage the index of licensed articles."""


@index.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--encoding", default="auto", show_default=True, help="Input encoding: auto (UTF-8, else GB18030) or a codec.")
@click.option("--strict", is_flag=True, help="Stop at the first bad line instead of skipping it.")
@click.option("--batch-size", type=click.IntRange(1), help="Articles per transaction (default 500).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
@handle_errors
def index_add(files, encoding, strict, batch_size, progress):
    """Add licensed articles from JSONL FILES (one article a line; `-` for stdin).

    Each line: {"id", "content", "title", "outlet", "url", "published_at"} with id and
    content required. Re-adding an id replaces the article if it changed and is a no-op
    if not. Bad lines are reported with file:line and skipped.

    \b
        reprintwatch index add data/licensed.jsonl
        Indexed 12 articles from data/licensed.jsonl: 12 new, 0 updated, 0 unchanged.
    """
    settings = current_settings()
    batch_size = batch_size or settings.batch_size
    with open_index(settings, create=True) as idx:
        detector = Detector(idx)
        for name in files:
            skipped: list[BadInput] = []
            with _progress(name, progress, f"indexing {name}") as bar:
                articles = _read_articles(name, encoding, strict, settings, bar, skipped)
                result = detector.add(articles, batch_size=batch_size)
            click.echo(
                f"Indexed {result.total} articles from {name}: {result.added} new, {result.updated} updated, "
                f"{result.unchanged} unchanged" + (f"; {len(skipped)} bad lines skipped." if skipped else ".")
            )


@index.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@handle_errors
def index_stats(as_json):
    """Show what the licensed index holds.

    \b
        reprintwatch index stats
        reprintwatch index stats --json
    """
    import json

    with open_index(current_settings()) as idx:
        stats = idx.stats()
    if as_json:
        click.echo(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2))
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
        f"window LSH {p.get('window_bands')}×{p.get('window_rows')}"
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


@index.command("migrate")
@handle_errors
def index_migrate():
    """Upgrade an index built by an older reprintwatch to the current layout.

    Elasticsearch: builds a new index beside the old one from the stored signatures and
    texts, then swaps the alias (--es-index) to it in one step; checks keep working on the
    old index meanwhile. Both backends: an index made before the rewrite (洗稿) sketch gets
    its rewrite keys from the stored texts. Safe to rerun.

    \b
        reprintwatch --backend elasticsearch --es-index reprintwatch index migrate
        reprintwatch --db licensed.db index migrate
    """
    settings = current_settings()
    if settings.backend != "elasticsearch":
        from .index.sqlite import SQLiteIndex

        n = SQLiteIndex.migrate(settings.db)
        click.echo(f"Added rewrite keys to {n:,} articles in {settings.db}." if n else f"{settings.db} is up to date.")
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

def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _load_check_input(source: str, encoding: str, settings: Settings):
    from .ingest.page import read_article

    if _is_url(source):
        from .ingest import fetch_article
        from .store import Store

        with Store(settings.store) as store:  # the fetched page is kept as evidence
            article, _evidence = fetch_article(source, settings, store)
        return article
    if source != "-" and "://" in source:
        raise BadInput(source, "only http(s) URLs can be checked")
    if source == "-":
        raw = sys.stdin.buffer.read(settings.max_article_bytes + 1)
    else:
        path = Path(source)
        if not path.is_file():
            raise BadInput(source, "no such file")
        with path.open("rb") as fh:
            raw = fh.read(settings.max_article_bytes + 1)
    return read_article(raw, source, encoding, settings.max_article_bytes)


@cli.command()
@click.argument("source")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--all", "include_all", is_flag=True, help="Also list candidates that are not reprints.")
@click.option("--encoding", default="auto", show_default=True, help="Input encoding: auto or a codec name.")
@handle_errors
def check(source, fmt, include_all, encoding):
    """Check one article against the licensed index.

    SOURCE is a .txt file, an .html page (WeChat pages use their article body), a .json
    file with one article, an http(s) URL, or `-` for stdin. Matches are ranked best first,
    with the copied passages as character offsets into both texts.

    \b
        reprintwatch check data/suspect_wechat.html
        echo "……" | reprintwatch check - --format json
    """
    import json

    settings = current_settings()
    with open_index(settings) as idx:
        article = _load_check_input(source, encoding, settings)
        result = Detector(idx).check(article)
    if fmt == "json":
        out = result.to_dict(include_all)
        out["removed"] = [r.to_dict() for r in result.removed]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result, include_all), nl=False)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people; json, jsonl (one line per input article, in order) or csv (one row per match).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Write results here instead of stdout.")
@click.option("--all", "include_all", is_flag=True, help="Also list candidates that are not reprints.")
@click.option("--encoding", default="auto", show_default=True, help="Input encoding: auto or a codec name.")
@click.option("--strict", is_flag=True, help="Fail at the first bad line instead of skipping it.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
@handle_errors
def scan(file, fmt, output, include_all, encoding, strict, progress):
    """Check every article of a JSONL FILE against the licensed index.

    The input uses the same schema as `index add`. Bad lines are reported on stderr with
    file:line and skipped; the run ends with a count.

    \b
        reprintwatch scan data/suspects.jsonl
        reprintwatch scan data/suspects.jsonl --format jsonl -o results.jsonl
        reprintwatch scan data/suspects.jsonl --format csv > results.csv
    """
    settings = current_settings()
    checked = found = 0
    skipped: list[BadInput] = []
    with open_index(settings) as idx, click.open_file(output, "w", encoding="utf-8") as out:
        detector = Detector(idx)
        writer = ResultWriter(out, fmt, include_all)
        with _progress(file, progress, f"scanning {file}") as bar:
            for result in detector.scan(_read_articles(file, encoding, strict, settings, bar, skipped)):
                writer.write(result)
                checked += 1
                found += bool(result.reprints)
        writer.close()
    click.echo(
        f"Scanned {checked} articles: {found} with reprints" + (f"; {len(skipped)} bad lines skipped." if skipped else "."),
        err=True,
    )


def _register_commands() -> None:
    """The ingestion and reporting commands live beside their packages."""
    from .ingest.cli import extract, findings, ingest
    from .report.cli import coverage, evidence, licence, report

    for command in (ingest, findings, extract, licence, report, coverage, evidence):
        cli.add_command(command)


_register_commands()


def main() -> None:  # pragma: no cover - console entry point
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
