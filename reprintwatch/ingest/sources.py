"""The sources file (TOML): what to watch and how politely.

```toml
[defaults]            # optional; any fetch setting, overridable per source
delay = "1s"          # minimum time between two requests to one host
concurrency = 2       # simultaneous requests to one host
timeout = "10s"       # connect time-out; read_timeout defaults to 3x this
max_bytes = "10MB"
retries = 2
robots = true

[[source]]
name = "aggregator"   # unique; recorded with every suspect
type = "feed"         # feed | pages | local
url = "https://news.example.org/rss.xml"

[[source]]
name = "wechat-watch"
type = "pages"
urls = ["https://mp.weixin.qq.com/s/AbCdEf"]

[[source]]
name = "crawl"
type = "local"
path = "crawl/"       # a directory of .html/.txt, a .jsonl or a .warc(.gz) file; relative to this file

[[source]]
name = "news-sitemap" # a sitemap index, a urlset or a Google News sitemap (news:publication_date)
type = "sitemap"
url = "https://news.example.org/sitemap.xml"
max_urls = 200        # at most this many new pages queued a run, newest first (default 500)
max_sitemaps = 20     # child sitemaps read a run (default 50); unchanged ones (same lastmod) are skipped
since = "3d"          # optional: only pages published / modified in the last 3 days
include = '/20\\d\\d/'  # optional: only page URLs matching this regular expression

[[source]]
name = "channel"      # a channel page of an aggregator or self-media site
type = "listing"
url = "https://selfmedia.example.com/channel/local"
links = '/article/\\d+$'     # (TOML literal string) an article link, made absolute, must match
next = '[?&]page=\\d+'       # optional: next-page links to follow
max_pages = 5         # listing pages read a run (default 5)
```
"""
from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput
from .fetch import FetchError, FetchPolicy, check_url

SOURCE_TYPES = ("feed", "pages", "local", "sitemap", "listing")
_POLICY_KEYS = {
    "user_agent", "connect_timeout", "read_timeout", "timeout", "deadline", "max_bytes", "retries", "backoff",
    "max_backoff", "delay", "concurrency", "robots", "max_redirects",
}
_DISCOVERY_KEYS = {"max_urls", "max_sitemaps", "max_pages", "since", "include", "links", "next"}
_SOURCE_KEYS = {"name", "type", "url", "urls", "path", "enabled", "recheck"} | _POLICY_KEYS | _DISCOVERY_KEYS


@dataclass(frozen=True)
class Source:
    name: str
    type: str  # feed | pages | local | sitemap | listing
    policy: FetchPolicy
    url: str = ""
    urls: tuple[str, ...] = ()
    path: Path | None = None
    # feed entries already recorded are fetched again (conditional GET) when older than this; 0 = never
    recheck: float = 0.0
    # discovery (sitemap, listing): bounds per run, and which links are articles
    max_urls: int = 500
    max_sitemaps: int = 50
    max_pages: int = 5
    since: float = 0.0  # seconds; 0 = no age limit
    include: re.Pattern | None = None  # page URLs to keep (sitemap)
    links: re.Pattern | None = None  # article links (listing)
    next_page: re.Pattern | None = None  # next-page links (listing)


def parse_duration(value, where: str) -> float:
    """``10``, ``"500ms"``, ``"10s"``, ``"10m"``, ``"2h"``, ``"1d"`` → seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0:
            raise BadInput(where, "duration must not be negative")
        return float(value)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*", value)
        if m:
            scale = {"ms": 0.001, "s": 1, None: 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
            return float(m.group(1)) * scale
    raise BadInput(where, f"not a duration: {value!r} (use e.g. 30s, 10m, 2h)")


def parse_size(value, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)?\s*", value, re.I)
        if m:
            unit = (m.group(2) or "B").lower()
            scale = {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "kib": 1024, "mib": 1024**2, "gib": 1024**3}[unit]
            return int(float(m.group(1)) * scale)
    raise BadInput(where, f"not a size: {value!r} (use e.g. 5MB)")


def _policy(base: FetchPolicy, table: dict, where: str) -> FetchPolicy:
    changes: dict = {}
    for key, value in table.items():
        if key not in _POLICY_KEYS:
            continue
        here = f"{where}: {key}"
        if key in ("connect_timeout", "read_timeout", "deadline", "backoff", "max_backoff", "delay"):
            changes[key] = parse_duration(value, here)
        elif key == "timeout":
            seconds = parse_duration(value, here)
            changes.setdefault("connect_timeout", seconds)
            changes.setdefault("read_timeout", seconds * 3)
        elif key == "max_bytes":
            changes[key] = parse_size(value, here)
        elif key in ("retries", "concurrency", "max_redirects"):
            if not isinstance(value, int) or isinstance(value, bool) or value < (1 if key == "concurrency" else 0):
                raise BadInput(here, f"must be a {'positive' if key == 'concurrency' else 'non-negative'} integer, got {value!r}")
            changes[key] = value
        elif key == "robots":
            if not isinstance(value, bool):
                raise BadInput(here, f"must be true or false, got {value!r}")
            changes[key] = value
        elif key == "user_agent":
            if not isinstance(value, str) or not value.strip() or "\n" in value:
                raise BadInput(here, "must be a one-line string")
            changes[key] = value.strip()
    return dataclasses.replace(base, **changes)


def load_sources(path, base: FetchPolicy = FetchPolicy()) -> list[Source]:
    path = Path(path)
    where_file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInput(where_file, f"cannot read the sources file: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadInput(where_file, "the sources file must be UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(where_file, f"not valid TOML: {exc}") from None
    return parse_sources(data, where_file, path.parent, base)


def parse_sources(data: dict, where_file: str, base_dir: Path, base: FetchPolicy = FetchPolicy()) -> list[Source]:
    unknown_top = set(data) - {"defaults", "source"}
    if unknown_top:
        raise BadInput(where_file, f"unknown top-level key(s): {', '.join(sorted(unknown_top))} (expected [defaults] and [[source]])")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise BadInput(where_file, "[defaults] must be a table")
    bad = set(defaults) - _POLICY_KEYS
    if bad:
        raise BadInput(f"{where_file}: [defaults]", f"unknown key(s): {', '.join(sorted(bad))}")
    policy = _policy(base, defaults, f"{where_file}: [defaults]")
    tables = data.get("source", [])
    if not isinstance(tables, list) or not tables:
        raise BadInput(where_file, "no [[source]] entries")
    sources: list[Source] = []
    names: set[str] = set()
    for number, table in enumerate(tables, 1):
        where = f"{where_file}: source #{number}"
        if not isinstance(table, dict):
            raise BadInput(where, "must be a table")
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            raise BadInput(where, "missing 'name'")
        where = f"{where_file}: source #{number} ({name})"
        if name in names:
            raise BadInput(where, "duplicate source name")
        names.add(name)
        bad = set(table) - _SOURCE_KEYS
        if bad:
            raise BadInput(where, f"unknown key(s): {', '.join(sorted(bad))}")
        if table.get("enabled", True) is False:
            continue
        kind = table.get("type")
        if kind not in SOURCE_TYPES:
            raise BadInput(where, f"'type' must be one of {', '.join(SOURCE_TYPES)}, got {kind!r}")
        source_policy = _policy(policy, table, where)
        recheck = parse_duration(table.get("recheck", 0), f"{where}: recheck")
        if kind == "feed":
            url = _url(table.get("url"), f"{where}: url")
            sources.append(Source(name, kind, source_policy, url=url, recheck=recheck))
        elif kind in ("sitemap", "listing"):
            sources.append(_discovery_source(table, name, kind, source_policy, recheck, where))
        elif kind == "pages":
            urls = table.get("urls")
            if isinstance(table.get("url"), str):
                urls = [table["url"], *(urls or [])]
            if not isinstance(urls, list) or not urls:
                raise BadInput(where, "a 'pages' source needs 'urls' (a list of http(s) URLs)")
            checked = tuple(_url(u, f"{where}: urls[{i}]") for i, u in enumerate(urls))
            sources.append(Source(name, kind, source_policy, urls=checked, recheck=recheck))
        else:
            value = table.get("path")
            if not isinstance(value, str) or not value.strip():
                raise BadInput(where, "a 'local' source needs 'path'")
            local = Path(value).expanduser()
            if not local.is_absolute():
                local = base_dir / local
            sources.append(Source(name, kind, source_policy, path=local))
    return sources


def _discovery_source(table: dict, name: str, kind: str, policy: FetchPolicy, recheck: float, where: str) -> Source:
    url = _url(table.get("url"), f"{where}: url")
    bounds = {}
    for key, default in (("max_urls", 500), ("max_sitemaps", 50), ("max_pages", 5)):
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100_000:
            raise BadInput(f"{where}: {key}", f"must be an integer from 1 to 100000, got {value!r}")
        bounds[key] = value
    patterns = {}
    for key, field_name in (("include", "include"), ("links", "links"), ("next", "next_page")):
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise BadInput(f"{where}: {key}", "must be a non-empty regular expression")
        try:
            patterns[field_name] = re.compile(value)
        except re.error as exc:
            raise BadInput(f"{where}: {key}", f"not a valid regular expression: {exc}") from None
    if kind == "listing" and "links" not in patterns:
        raise BadInput(where, "a 'listing' source needs 'links' (a regular expression for article links)")
    since = parse_duration(table.get("since", 0), f"{where}: since")
    return Source(name, kind, policy, url=url, recheck=recheck, since=since, **bounds, **patterns)


def _url(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadInput(where, "missing URL")
    try:
        return check_url(value.strip())
    except FetchError as exc:
        raise BadInput(where, exc.reason) from None
