"""The one options and output layer every command shares: the global options (defined once, accepted
before or after the subcommand), settings from them, input/output files, and errors as one line plus the
documented exit code.

Exit codes (README, "Exit codes"): 0 success · 1 bad input (a missing or unreadable input file, an
output file that cannot be written, a bad line with ``--strict``, a run in which every line was bad) ·
2 usage error · 3 the licensed index, the store or Elasticsearch is missing, unusable or of the other kind ·
4 every source of an ``ingest run`` failed (``ingest/cli.py``) · 130 interrupted.
"""
from __future__ import annotations

import codecs
import functools
import os
import sys
from pathlib import Path

import click

from .config import Settings, store_location
from .errors import BadInput, ReprintwatchError
from .output import terminal_safe, write_atomic
from .sqlitedb import MAX_ROWID

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3


def _remember(ctx: click.Context, param: click.Parameter, value):
    """A global option given on this command: on top of the root group's settings."""
    if value is not None:
        root = ctx.find_root()
        root.obj = load_settings(root.obj).replace(**{param.name: value})
    return value


# A finding's or a licence's id as a command takes it: 1 … the largest SQLite holds. A larger number made
# `recheck --finding`, `complaint record`, `evidence export` and `licence remove` end in an OverflowError
# traceback (issue 21); now it is a usage error naming the argument.
ROW_ID = click.IntRange(1, MAX_ROWID)


def load_settings(current=None) -> Settings:
    """``current`` if it is the settings already, else defaults and ``REPRINTWATCH_*`` variables; a variable
    with a bad value is a usage error (exit 2)."""
    if isinstance(current, Settings):
        return current
    try:
        return Settings.load()
    except ReprintwatchError as exc:
        raise click.UsageError(str(exc)) from None


class StoreLocation(click.ParamType):
    """``--store``: a file path, or a ``postgresql://`` URL kept as it is (a Path would fold its ``//``)."""

    name = "path|url"

    def convert(self, value, param, ctx):
        if isinstance(value, str) and "://" in value:
            try:
                return store_location(value)
            except ValueError as exc:
                self.fail(f"{value!r}: {exc}", param, ctx)
        return click.Path(dir_okay=False, path_type=Path).convert(value, param, ctx)


def global_options() -> list[click.Option]:
    """The options every command accepts (the environment variables are read by ``Settings.load``)."""
    return [
        click.Option(["--db"], type=click.Path(dir_okay=False, path_type=Path), expose_value=False,
                     callback=_remember, help="SQLite licensed index (env REPRINTWATCH_DB; default in the user data dir)."),
        click.Option(["--backend"], type=click.Choice(("sqlite", "elasticsearch")), expose_value=False,
                     callback=_remember, help="Where the licensed index lives (env REPRINTWATCH_BACKEND; default sqlite)."),
        click.Option(["--es-url"], expose_value=False, callback=_remember, help="Elasticsearch URL (env REPRINTWATCH_ES_URL)."),
        click.Option(["--es-index"], expose_value=False, callback=_remember,
                     help="Elasticsearch index alias (env REPRINTWATCH_ES_INDEX; default reprintwatch)."),
        click.Option(["--es-api-key"], expose_value=False, callback=_remember, help="Elasticsearch API key (env REPRINTWATCH_ES_API_KEY)."),
        click.Option(["--es-username"], expose_value=False, callback=_remember,
                     help="Elasticsearch basic-auth user (env REPRINTWATCH_ES_USERNAME)."),
        click.Option(["--es-password"], expose_value=False, callback=_remember,
                     help="Elasticsearch basic-auth password (env REPRINTWATCH_ES_PASSWORD)."),
        click.Option(["--es-ca-certs"], type=click.Path(dir_okay=False), expose_value=False, callback=_remember,
                     help="CA certificate bundle for a TLS cluster (env REPRINTWATCH_ES_CA_CERTS)."),
        click.Option(["--store"], type=StoreLocation(), expose_value=False, callback=_remember,
                     help="Findings, evidence and licences store: an SQLite file or a postgresql:// URL, no password "
                          "in it (env REPRINTWATCH_STORE)."),
    ]


INDEX_OPTIONS = ("db", "backend", "es_url", "es_index", "es_api_key", "es_username", "es_password", "es_ca_certs")
STORE_OPTIONS = ("store",)

# Which global options each command uses, by its path under `reprintwatch` (the longest prefix named here
# decides). A command's --help lists only these, in a group of their own; the others are still accepted
# (hidden), so `reprintwatch extract page.html --db x.db` works as it did. A command named nowhere shows all.
GLOBAL_OPTIONS_USED = {
    "index": INDEX_OPTIONS,
    "check": INDEX_OPTIONS + STORE_OPTIONS,  # a fetched URL's page is kept as evidence in the store
    "scan": INDEX_OPTIONS,
    "extract": (),
    "ingest": INDEX_OPTIONS + STORE_OPTIONS,
    "findings": INDEX_OPTIONS + STORE_OPTIONS,  # stale triage is judged again with the licensed texts
    "licence": STORE_OPTIONS,
    "report": INDEX_OPTIONS + STORE_OPTIONS,
    "coverage": INDEX_OPTIONS + STORE_OPTIONS,
    "evidence export": INDEX_OPTIONS + STORE_OPTIONS,
    "evidence verify": (),
    "serve": INDEX_OPTIONS + STORE_OPTIONS,
    "holder": STORE_OPTIONS,
    "complaint build": INDEX_OPTIONS + STORE_OPTIONS,
    "complaint record": STORE_OPTIONS,
    "complaint status": STORE_OPTIONS,
    "recheck": STORE_OPTIONS,
    "store": STORE_OPTIONS,  # store migrate: --store is the SQLite source, --to the PostgreSQL target
}


def global_options_used(path: tuple[str, ...]) -> tuple[str, ...]:
    """The global options the command at ``path`` (e.g. ``("evidence", "verify")``) uses."""
    for n in range(len(path), 0, -1):
        used = GLOBAL_OPTIONS_USED.get(" ".join(path[:n]))
        if used is not None:
            return used
    return INDEX_OPTIONS + STORE_OPTIONS


def _format_options(command: click.Command, ctx: click.Context, formatter: click.HelpFormatter) -> None:
    """A subcommand's options, then the global options it uses as a group of their own."""
    own, shared = [], []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record:
            (shared if getattr(param, "global_option", False) else own).append(record)
    if own:
        with formatter.section("Options"):
            formatter.write_dl(own)
    if shared:
        with formatter.section("Global options (before or after the subcommand)"):
            formatter.write_dl(shared)


def add_global_options(group: click.Group, path: tuple[str, ...] = ()) -> None:
    """Give every command under ``group`` the global options, so ``--db``/``--store`` work after the
    subcommand as well as before it; its --help shows the ones it uses (``GLOBAL_OPTIONS_USED``)."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            add_global_options(command, path + (name,))
            continue
        used = global_options_used(path + (name,))
        names = {p.name for p in command.params}
        for option in global_options():
            if option.name in names:
                continue
            option.global_option = True
            option.hidden = option.name not in used
            command.params.append(option)
        command.format_options = functools.partial(_format_options, command)


def current_settings() -> Settings:
    """The settings of this invocation (``Settings.load()`` outside the CLI)."""
    ctx = click.get_current_context(silent=True)
    return load_settings(ctx.find_root().obj if ctx else None)


def licensed_index(settings: Settings):
    """The licensed index, for a command that judges findings (reports, ``findings list``, ``serve``,
    ``complaint build``). They need its texts (a stripped dateline or byline is found by comparing them):
    without it a report would silently under-count, so an unavailable index fails (exit 3)."""
    from .index import open_index

    return open_index(settings)


def detector_for(index, settings: Settings):
    """The detector with the configured candidate settings (``Settings.max_candidates`` …)."""
    from .detector import Detector

    return Detector(index, max_candidates=settings.max_candidates, min_shared_keys=settings.min_shared_keys)


def handle_errors(func):
    """Library errors as one line and the documented exit code (never a traceback); a closed pipe
    (``reprintwatch ... | head``) ends the command quietly."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()
            return result
        except ReprintwatchError as exc:
            click.echo(f"Error: {terminal_safe(exc, newlines=False)}", err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            _quiet_pipe()
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)

    return wrapper


def _quiet_pipe() -> None:
    """The reader went away: stop without a message (Python's documented way: point stdout at devnull so
    the flush at exit cannot fail again)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(EXIT_OK)


class InputFile(click.ParamType):
    """An existing file to read (``-``: stdin when ``dash``). Missing or unreadable: bad input, exit 1."""

    name = "file"

    def __init__(self, dash: bool = True):
        self.dash = dash

    def convert(self, value, param, ctx):
        if self.dash and value == "-":
            return value
        path = Path(value)
        if not path.is_file():
            why = "is a directory, not a file" if path.is_dir() else "no such file"
            raise InputError(f"{value}: {why}")
        if not os.access(path, os.R_OK):
            raise InputError(f"{value}: cannot read it (permission denied)")
        return value


class InputError(click.ClickException):
    exit_code = EXIT_BAD_INPUT


def check_encoding(ctx, param, value):
    """``--encoding``: ``auto`` or a codec Python knows; anything else is a usage error."""
    if value in (None, "auto"):
        return value
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise click.BadParameter(f"unknown encoding {value!r} (use auto, utf-8, gb18030, big5, …)") from None


def open_output(path, encoding: str = "utf-8"):
    """``-o FILE`` for writing (``-`` or None: stdout). A missing directory or an unwritable file is bad
    input (exit 1) with the reason, not a traceback."""
    if path in (None, "-"):
        return click.open_file("-", "w", encoding=encoding)
    try:
        return open(path, "w", encoding=encoding, newline="")
    except OSError as exc:
        raise BadInput(str(path), f"cannot write the output file ({exc.strerror})") from None


def write_output(text: str, path) -> None:
    """All of ``text`` to ``path`` (atomically: a temporary file renamed) or stdout."""
    if path in (None, "-"):
        click.echo(text, nl=False)
        return
    path = Path(path)
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise BadInput(str(path), f"cannot write the output file ({exc.strerror})") from None
    click.echo(f"Wrote {path}", err=True)
