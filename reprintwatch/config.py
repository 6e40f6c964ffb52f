"""One place for configuration: command-line flags > ``REPRINTWATCH_*`` environment variables > defaults.

Every setting has an environment variable named ``REPRINTWATCH_<FIELD>`` in upper case, e.g.
``REPRINTWATCH_DB``, ``REPRINTWATCH_BACKEND``, ``REPRINTWATCH_ES_URL``.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import platformdirs

from .dates import DEFAULT_ZONE, parse_zone
from .errors import ReprintwatchError

#: The store's URL schemes (PostgreSQL); any other ``scheme://`` is refused by name, not taken for a path
STORE_URL_SCHEMES = ("postgresql://", "postgres://")


def store_location(value):
    """A ``--store`` / ``REPRINTWATCH_STORE`` value: a PostgreSQL URL kept as it is (a Path would fold its ``//``),
    or a file path. Another ``scheme://`` raises ValueError naming it."""
    if isinstance(value, str) and "://" in value:
        if value.startswith(STORE_URL_SCHEMES):
            return value
        scheme = value.split("://", 1)[0]
        raise ValueError(f"{scheme}:// is not a store this version can use (an SQLite file or a postgresql:// URL)")
    return Path(value).expanduser()

ENV_PREFIX = "REPRINTWATCH_"

#: The largest article (or input line, or fetched page's text) accepted, in UTF-8 bytes: far above any news
#: article (the longest in the research corpus is under 100 KB), low enough that one bad input cannot
#: exhaust memory. Every reader takes its limit from ``Settings.max_article_bytes``, defaulting to this.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("reprintwatch", appauthor=False))


def default_db_path() -> Path:
    return default_data_dir() / "licensed.db"


@dataclass(frozen=True)
class Settings:
    # the licensed index
    backend: str = "sqlite"  # sqlite | elasticsearch
    db: Path = field(default_factory=default_db_path)
    es_url: str = "http://127.0.0.1:9200"
    es_index: str = "reprintwatch"
    es_api_key: str | None = None
    es_username: str | None = None
    es_password: str | None = None
    es_ca_certs: str | None = None
    es_shards: int = 1
    es_replicas: int = 0
    # inputs
    max_article_bytes: int = MAX_ARTICLE_BYTES
    batch_size: int = 500
    # detection (``Detector``): candidates verified per suspect, and the fewest band keys a candidate must
    # share (one shared key is chance agreement on a stock phrase; measured in bench/quality.py)
    max_candidates: int = 50
    min_shared_keys: int = 2
    # the findings / evidence store used by ingestion and reports: an SQLite file, or a postgresql:// URL
    # (kept as a string; reprintwatch.pgdb) shared by several ingest machines
    store: Path = field(default_factory=lambda: default_data_dir() / "store.db")
    # polite fetching (ingest, check URL, extract URL); a sources file's [defaults] and each [[source]]
    # override these per source (reprintwatch.ingest.sources)
    user_agent: str = "reprintwatch/0.1 (+https://example.org/reprintwatch)"
    fetch_delay: float = 1.0  # minimum seconds between two requests to one host
    fetch_concurrency: int = 2  # simultaneous requests to one host
    fetch_connect_timeout: float = 10.0
    fetch_read_timeout: float = 30.0  # longest wait for any one read from the socket
    fetch_deadline: float = 120.0  # total time for one fetch, body included (a drip-feeding server is cut off)
    fetch_retries: int = 2  # urllib3 Retry: connection errors, read time-outs, 429/5xx (Retry-After respected)
    fetch_backoff: float = 1.0
    fetch_max_backoff: float = 60.0  # also the cap on a server's Retry-After
    fetch_max_bytes: int = 10 * 1024 * 1024
    fetch_robots: bool = True
    fetch_max_redirects: int = 5
    # several ingest processes on one PostgreSQL store: how long a process holds a queued URL (or a source, or
    # one of a host's request slots) before another may take it over — longer than any one page takes
    # (fetch_deadline plus checking), so a live process never loses its work; a killed one's waits this long
    lease_seconds: float = 300.0
    # the zone of every day a user sees (report days, --date, --since/--until dates): a Chinese newsroom's
    # day; stored times stay UTC
    timezone: str = DEFAULT_ZONE

    @property
    def zone(self):
        return parse_zone(self.timezone)

    @classmethod
    def load(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        """Defaults, then ``REPRINTWATCH_*`` variables, then ``overrides`` whose value is not None."""
        environ = os.environ if environ is None else environ
        values: dict = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw not in (None, ""):
                values[f.name] = _coerce(f, raw, ENV_PREFIX + f.name.upper())
        for name, value in overrides.items():
            if value is not None:
                values[name] = _coerce(next(f for f in fields(cls) if f.name == name), value, name)
        return cls(**values)

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


class SettingError(ReprintwatchError):
    """A setting (environment variable) with a value of the wrong kind: a usage error."""

    exit_code = 2


def _coerce(f: dataclasses.Field, value, where: str):
    try:
        return _convert(f, value)
    except (TypeError, ValueError):
        raise SettingError(f"{where} {_takes(f)}, got {value!r}") from None


def _kind(f: dataclasses.Field) -> str:
    return f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))


def _takes(f: dataclasses.Field) -> str:
    """What a setting takes, in words (for the one-line error naming a bad value)."""
    kind = _kind(f)
    if f.name == "timezone":
        return "takes a time zone (Asia/Shanghai, +08:00, UTC)"
    if f.name == "store":
        return "takes an SQLite file path or a postgresql:// URL"
    if kind == "int":
        return "takes a whole number, 0 or more"
    if kind == "float":
        return "takes a number, 0 or more"
    if kind == "bool":
        return "takes yes or no (1/0, true/false, on/off)"
    return "takes a value"


_YES, _NO = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _convert(f: dataclasses.Field, value):
    kind = _kind(f)
    if f.name == "store":
        return store_location(value)
    if "Path" in kind:
        return Path(value).expanduser()
    if kind in ("int", "float"):
        number = (int if kind == "int" else float)(value)
        if number < 0 or number != number:  # negative, or NaN
            raise ValueError(f"{f.name} must not be negative, got {value!r}")
        return number
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text not in _YES + _NO:
            raise ValueError(f"not yes or no: {value!r}")
        return text in _YES
    if f.name == "timezone":
        parse_zone(str(value))
    return value


def local_zone(environ=None):
    """The zone of a user's days (``REPRINTWATCH_TIMEZONE``, default Asia/Shanghai): what every day
    boundary a user sees is counted in. A bad value raises :class:`SettingError` naming the variable."""
    environ = os.environ if environ is None else environ
    spec = environ.get(ENV_PREFIX + "TIMEZONE") or DEFAULT_ZONE
    try:
        return parse_zone(spec)
    except ValueError:
        raise SettingError(f"{ENV_PREFIX}TIMEZONE {_takes(_FIELDS['timezone'])}, got {spec!r}") from None


_FIELDS = {f.name: f for f in fields(Settings)}
