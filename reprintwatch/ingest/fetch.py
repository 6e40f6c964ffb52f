"""A polite HTTP fetcher: http(s) only, per-host rate and concurrency limits, robots.txt, conditional GET,
retries with back-off, time-outs, a body-size cap, and charset detection for Chinese pages.

The fetcher never decides what a page means; it returns the raw bytes and what the server said about them
(:class:`FetchResult`). Extraction lives in :mod:`reprintwatch.ingest.extract`.
"""
from __future__ import annotations

import codecs
import datetime as _dt
import email.utils
import re
import threading
import time
import urllib.parse
import urllib.robotparser
from dataclasses import dataclass
from typing import Callable

import requests

USER_AGENT = "reprintwatch/0.1 (+https://example.org/reprintwatch)"
ALLOWED_SCHEMES = ("http", "https")
REDIRECT_CODES = (301, 302, 303, 307, 308)
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchError(Exception):
    """A fetch that produced no usable page. ``kind`` is a short stable word for logs and the store."""

    def __init__(self, url: str, kind: str, reason: str, status: int | None = None, result: "FetchResult | None" = None):
        self.url = url
        self.kind = kind
        self.reason = reason
        self.status = status
        self.result = result  # the last response, when there was one (e.g. a 404 page body)
        super().__init__(f"{url}: {reason}")


@dataclass(frozen=True)
class FetchPolicy:
    """How politely to fetch. Sources may override any field (see :mod:`reprintwatch.ingest.sources`)."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    retries: int = 2
    backoff: float = 1.0  # seconds; doubled each retry, capped at max_backoff
    max_backoff: float = 60.0
    delay: float = 1.0  # minimum seconds between two requests to one host
    concurrency: int = 2  # simultaneous requests to one host
    robots: bool = True
    max_redirects: int = 5


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str  # ISO 8601 UTC
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    def text(self) -> str:
        return decode_page(self.body, self.content_type)


def utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def check_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL with a host, else raise :class:`FetchError`."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as exc:
        raise FetchError(url, "bad_url", f"not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise FetchError(url, "scheme", f"refusing scheme {parts.scheme or '(none)'!r}: only http and https are fetched")
    if not parts.hostname:
        raise FetchError(url, "bad_url", "URL has no host")
    return url


def host_key(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class HostLimiter:
    """Per-host concurrency (a semaphore each) and a minimum interval between request starts."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}
        self._clock = clock
        self._sleep = sleep

    def acquire(self, host: str, concurrency: int, delay: float) -> None:
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(max(1, concurrency)))
        slot.acquire()
        with self._lock:
            now = self._clock()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + max(0.0, delay)
        wait = start - now
        if wait > 0:
            self._sleep(wait)

    def release(self, host: str) -> None:
        self._slots[host].release()


class Fetcher:
    """Thread-safe: one instance is shared by the runner's worker threads."""

    def __init__(self, policy: FetchPolicy = FetchPolicy(), session: requests.Session | None = None, sleep=time.sleep):
        self.policy = policy
        self.session = session or requests.Session()
        self.session.trust_env = False  # no proxies or .netrc credentials picked up behind the user's back
        self.limiter = HostLimiter(sleep=sleep)
        self._sleep = sleep
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._robots_lock = threading.Lock()

    # --- robots.txt ------------------------------------------------------------------------------------
    def allowed(self, url: str, policy: FetchPolicy | None = None) -> bool:
        policy = policy or self.policy
        if not policy.robots:
            return True
        host = host_key(url)
        with self._robots_lock:
            known = host in self._robots
            parser = self._robots.get(host)
        if not known:
            parser = self._load_robots(host, policy)
            with self._robots_lock:
                self._robots[host] = parser
        if parser is None:  # robots.txt unreachable (5xx, network): RFC 9309 says assume full disallow
            return False
        return parser.can_fetch(policy.user_agent, url)

    def _load_robots(self, host: str, policy: FetchPolicy) -> urllib.robotparser.RobotFileParser | None:
        parser = urllib.robotparser.RobotFileParser(host + "/robots.txt")
        small = FetchPolicy(**{**policy.__dict__, "max_bytes": 512 * 1024, "robots": False, "retries": 1})
        try:
            result = self.fetch(host + "/robots.txt", policy=small)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                parser.parse([])  # no robots.txt: everything allowed
                return parser
            return None
        parser.parse(result.body.decode("utf-8", "replace").splitlines())
        return parser

    # --- fetching --------------------------------------------------------------------------------------
    def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        policy: FetchPolicy | None = None,
    ) -> FetchResult:
        """GET ``url`` following redirects by hand (each hop must be http(s)), with retries.

        Raises :class:`FetchError` for refused URLs, robots.txt, time-outs, over-size bodies and HTTP
        errors (the error carries the last response, so a 404 page can still be kept as evidence).
        """
        policy = policy or self.policy
        check_url(url)
        if not self.allowed(url, policy):
            raise FetchError(url, "robots", f"disallowed by {host_key(url)}/robots.txt for {policy.user_agent!r}")
        attempt = 0
        while True:
            try:
                result = self._fetch_following(url, etag, last_modified, policy)
            except FetchError as exc:
                if exc.kind in ("timeout", "connection") or (exc.status in RETRY_STATUSES):
                    if attempt < policy.retries:
                        attempt += 1
                        self._sleep(self._backoff(attempt, policy, exc))
                        continue
                raise
            return result

    @staticmethod
    def _backoff(attempt: int, policy: FetchPolicy, exc: FetchError) -> float:
        wait = min(policy.max_backoff, policy.backoff * (2 ** (attempt - 1)))
        retry_after = exc.result.headers.get("retry-after") if exc.result else None
        if retry_after:
            try:
                wait = max(wait, min(policy.max_backoff, float(retry_after)))
            except ValueError:
                parsed = email.utils.parsedate_to_datetime(retry_after) if retry_after else None
                if parsed is not None:
                    delta = (parsed - _dt.datetime.now(_dt.timezone.utc)).total_seconds()
                    wait = max(wait, min(policy.max_backoff, delta))
        return wait

    def _fetch_following(self, url: str, etag, last_modified, policy: FetchPolicy) -> FetchResult:
        current = url
        for _ in range(policy.max_redirects + 1):
            result = self._get_once(url, current, etag, last_modified, policy)
            if result.status in REDIRECT_CODES:
                location = result.headers.get("location")
                if not location:
                    raise FetchError(url, "http", f"HTTP {result.status} without a Location header", result.status, result)
                target = urllib.parse.urljoin(current, location.strip())
                try:
                    check_url(target)
                except FetchError as exc:
                    raise FetchError(url, "redirect", f"redirected to {target!r}: {exc.reason}", result.status, result) from None
                if host_key(target) != host_key(current) and not self.allowed(target, policy):
                    raise FetchError(url, "robots", f"redirected to {target}, disallowed by its robots.txt")
                current = target
                continue
            if result.status == 304:
                result.not_modified = True
                return result
            if result.status >= 400:
                raise FetchError(url, "http", f"HTTP {result.status}", result.status, result)
            return result
        raise FetchError(url, "redirect", f"more than {policy.max_redirects} redirects")

    def _get_once(self, original: str, url: str, etag, last_modified, policy: FetchPolicy) -> FetchResult:
        headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = host_key(url)
        self.limiter.acquire(host, policy.concurrency, policy.delay)
        try:
            fetched_at = utc_now()
            try:
                response = self.session.get(
                    url,
                    headers=headers,
                    timeout=(policy.connect_timeout, policy.read_timeout),
                    allow_redirects=False,
                    stream=True,
                )
            except requests.Timeout as exc:
                raise FetchError(original, "timeout", f"timed out ({type(exc).__name__}) fetching {url}") from None
            except requests.RequestException as exc:
                raise FetchError(original, "connection", f"cannot connect: {_short(exc)}") from None
            try:
                body = self._read_body(original, response, policy)
            finally:
                response.close()
        finally:
            self.limiter.release(host)
        return FetchResult(
            url=original,
            final_url=url,
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=body,
            fetched_at=fetched_at,
        )

    @staticmethod
    def _read_body(original: str, response: requests.Response, policy: FetchPolicy) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > policy.max_bytes:
            raise FetchError(
                original, "too_large", f"body is {int(declared):,} bytes, over the limit of {policy.max_bytes:,}",
                response.status_code,
            )
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + policy.read_timeout * 4  # a drip-feeding server cannot hold us forever
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > policy.max_bytes:
                    raise FetchError(
                        original, "too_large", f"body is over the limit of {policy.max_bytes:,} bytes",
                        response.status_code,
                    )
                if time.monotonic() > deadline:
                    raise FetchError(original, "timeout", "body took too long to arrive", response.status_code)
                chunks.append(chunk)
        except requests.exceptions.ConnectionError as exc:
            if "timed out" in str(exc).lower() or "timeout" in type(exc).__name__.lower():
                raise FetchError(original, "timeout", "read timed out while receiving the body") from None
            raise FetchError(original, "connection", f"connection lost while reading: {_short(exc)}") from None
        except requests.RequestException as exc:
            raise FetchError(original, "connection", f"error while reading the body: {_short(exc)}") from None
        return b"".join(chunks)


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + "…"


# --- charset detection ------------------------------------------------------------------------------------
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
_WEAK = {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "ascii", "us-ascii"}
# GB2312 and GBK pages routinely contain characters only GB18030 (their superset) can decode
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030"}


def header_charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", content_type or "", re.I)
    return match.group(1) if match else None


def declared_charsets(body: bytes, content_type: str) -> list[str]:
    found = []
    head = body[:4096]
    for value in (header_charset(content_type),
                  *(m.group(1).decode("ascii", "ignore") for m in _META_CHARSET.finditer(head)),
                  *(m.group(1).decode("ascii", "ignore") for m in _XML_ENCODING.finditer(head[:200]))):
        if not value:
            continue
        name = value.strip().lower()
        name = _WIDEN.get(name, name)
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        if name not in found:
            found.append(name)
    return found


def detect_charset(body: bytes, content_type: str = "") -> str:
    """The encoding to decode a page with, robust to wrong or missing declarations.

    Order: BOM; UTF-8 if the bytes are valid UTF-8 (mis-decoding valid UTF-8 is rare, and many Chinese
    sites declare GBK on UTF-8 pages and vice versa); the declared charsets (HTTP header, then ``<meta>``)
    when they decode cleanly and are not the Latin-1 default; GB18030; then charset-normalizer's guess.
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return name
    if _decodes(body, "utf-8"):
        return "utf-8"
    declared = declared_charsets(body, content_type)
    for name in declared:
        if name not in _WEAK and _decodes(body, name):
            return name
    if _decodes(body, "gb18030"):
        return "gb18030"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        if best is not None:
            return best.encoding
    except Exception:  # a guess only; fall back below
        pass
    return declared[0] if declared else "utf-8"


def _decodes(body: bytes, name: str) -> bool:
    try:
        body.decode(name)
        return True
    except (UnicodeDecodeError, LookupError):
        return False


def decode_page(body: bytes, content_type: str = "") -> str:
    return body.decode(detect_charset(body, content_type), "replace")
