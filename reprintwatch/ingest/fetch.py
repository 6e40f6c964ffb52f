"""A polite HTTP fetcher: http(s) only, per-host rate and concurrency limits, robots.txt, conditional GET,
retries (urllib3's ``Retry`` decides what and how long, ``Retry-After`` respected and capped, and held for every
request to the host — every process's, with :mod:`reprintwatch.ingest.shared`), time-outs, a total deadline per
fetch, and a body-size cap.

The deadline is the fetch's own time: its clock runs only while it holds its host's slot (waiting behind
other pages of a polite host is not the page's fault), and it bounds everything done there — connecting,
response headers arriving a byte at a time, retry waits (a ``Retry-After`` past the deadline ends the fetch
at once, with the server's answer as the outcome: ``http 429``, not a time-out) and the body.

The fetcher never decides what a page means; it returns the raw bytes and what the server said about them
(:class:`FetchResult`). Extraction lives in :mod:`reprintwatch.ingest.extract`, charsets in
:mod:`reprintwatch.encoding`. A failed fetch raises :class:`FetchError` whose ``kind`` names what happened:
``dns``, ``refused``, ``tls``, ``timeout``, ``connection``, ``robots``, ``http``, ``too_large``, ``redirect``,
``scheme``, ``bad_url``.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.robotparser
from dataclasses import dataclass
from typing import Callable

import requests
from requests.adapters import HTTPAdapter
import urllib3
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError as Urllib3Error, InvalidHeader, MaxRetryError, NameResolutionError
from urllib3.util.retry import Retry

from ..config import Settings
from ..encoding import decode_page, detect_charset  # noqa: F401  (re-exported: the fetcher's callers decode)

_DEFAULTS = Settings()
USER_AGENT = _DEFAULTS.user_agent
ALLOWED_SCHEMES = ("http", "https")
REDIRECT_CODES = (301, 302, 303, 307, 308)
RETRY_STATUSES = (429, 500, 502, 503, 504)
# a host whose robots.txt could not be reached is not asked again for this long (its pages fail the same way)
ROBOTS_ERROR_TTL = 300.0


class FetchError(Exception):
    """A fetch that produced no usable page. ``kind`` is a short stable word for logs and the store."""

    def __init__(self, url: str, kind: str, reason: str, status: int | None = None, result: "FetchResult | None" = None):
        self.url = url
        self.kind = kind
        self.reason = reason
        self.status = status
        self.result = result  # the last response, when there was one (e.g. a 404 page body)
        super().__init__(f"{url}: {reason}")

    @property
    def label(self) -> str:
        """``http 404``, ``dns``, ``timeout`` …: what happened, in one word (plus the status)."""
        return f"{self.kind} {self.status}" if self.kind == "http" and self.status else self.kind


@dataclass(frozen=True)
class FetchPolicy:
    """How politely to fetch. Defaults come from :class:`reprintwatch.config.Settings` (``fetch_*``);
    sources may override any field (see :mod:`reprintwatch.ingest.sources`)."""

    user_agent: str = _DEFAULTS.user_agent
    connect_timeout: float = _DEFAULTS.fetch_connect_timeout
    read_timeout: float = _DEFAULTS.fetch_read_timeout
    deadline: float = _DEFAULTS.fetch_deadline  # total seconds for one fetch (retries and body included)
    max_bytes: int = _DEFAULTS.fetch_max_bytes
    retries: int = _DEFAULTS.fetch_retries
    backoff: float = _DEFAULTS.fetch_backoff  # urllib3 backoff_factor: 0, 2x, 4x … between retries
    max_backoff: float = _DEFAULTS.fetch_max_backoff  # also caps a server's Retry-After
    delay: float = _DEFAULTS.fetch_delay  # minimum seconds between two requests to one host
    concurrency: int = _DEFAULTS.fetch_concurrency  # simultaneous requests to one host
    robots: bool = _DEFAULTS.fetch_robots
    max_redirects: int = _DEFAULTS.fetch_max_redirects

    @classmethod
    def from_settings(cls, settings: Settings) -> "FetchPolicy":
        return cls(
            user_agent=settings.user_agent, connect_timeout=settings.fetch_connect_timeout,
            read_timeout=settings.fetch_read_timeout, deadline=settings.fetch_deadline,
            max_bytes=settings.fetch_max_bytes, retries=settings.fetch_retries, backoff=settings.fetch_backoff,
            max_backoff=settings.fetch_max_backoff, delay=settings.fetch_delay,
            concurrency=settings.fetch_concurrency, robots=settings.fetch_robots,
            max_redirects=settings.fetch_max_redirects,
        )


class PoliteRetry(Retry):
    """urllib3's Retry, except that a ``Retry-After`` that is neither seconds nor an HTTP date is ignored
    (plain back-off) instead of failing the fetch; ``retry_after_max`` caps what a server may ask for."""

    def get_retry_after(self, response) -> float | None:
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None


def retry_for(policy: FetchPolicy) -> PoliteRetry:
    return PoliteRetry(
        total=policy.retries, connect=policy.retries, read=policy.retries, status=policy.retries, other=0,
        redirect=False,  # redirects are followed by hand: every hop is checked (scheme, robots)
        allowed_methods=frozenset({"GET", "HEAD"}), status_forcelist=RETRY_STATUSES,
        backoff_factor=policy.backoff, backoff_max=policy.max_backoff, retry_after_max=policy.max_backoff,
        respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False,
    )


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str  # ISO 8601 UTC
    not_modified: bool = False
    note: str = ""  # why a retryable answer (429, 503 …) was not retried further, when the deadline stopped it

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
        self.take_slot(host, concurrency)
        self.turn(host, delay)

    def take_slot(self, host: str, concurrency: int) -> None:
        """One of the host's ``concurrency`` slots in this process (blocks until one is free)."""
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(max(1, concurrency)))
        slot.acquire()

    def turn(self, host: str, delay: float) -> None:
        """Wait for the host's next start while holding its slot (a retry is a request to the host too)."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + max(0.0, delay)
        if start > now:
            self._sleep(start - now)

    def sent(self, host: str, delay: float) -> None:
        """The request just reserved for ``host`` is on the wire (in one process the start was reserved
        ahead in :meth:`acquire`; :class:`~reprintwatch.ingest.shared.SharedHostLimiter` confirms it here)."""

    def hold(self, host: str, seconds: float) -> None:
        """The server asked for ``seconds`` of quiet (``Retry-After``): no request to ``host`` starts before."""
        with self._lock:
            now = self._clock()
            self._next_start[host] = max(self._next_start.get(host, now), now + seconds)

    def release(self, host: str) -> None:
        self._slots[host].release()


class Fetcher:
    """Thread-safe: one instance is shared by the runner's worker threads."""

    def __init__(self, policy: FetchPolicy | None = None, session: requests.Session | None = None, sleep=time.sleep,
                 limiter: HostLimiter | None = None):
        """``limiter``: per-host politeness (default: this process's; ``ingest.shared.SharedHostLimiter``
        holds it across every process on one PostgreSQL store)."""
        self.policy = policy or FetchPolicy()
        self._given_session = session
        self._sessions: dict[tuple, requests.Session] = {}
        self._sessions_lock = threading.Lock()
        self.limiter = limiter or HostLimiter(sleep=sleep)
        self._sleep = sleep
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | FetchError | None]] = {}
        self._robots_lock = threading.Lock()

    def session(self, policy: FetchPolicy) -> requests.Session:
        """One requests session per retry policy, its adapters carrying urllib3's :class:`Retry`."""
        key = (policy.retries, policy.backoff, policy.max_backoff)
        with self._sessions_lock:
            session = self._sessions.get(key)
            if session is None:
                session = self._given_session if (self._given_session and not self._sessions) else requests.Session()
                session.trust_env = False  # no proxies or .netrc credentials picked up behind the user's back
                adapter = _DeadlineAdapter(max_retries=0)  # retries are the fetch's (_get_once), in its deadline
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                self._sessions[key] = session
            return session

    def close(self) -> None:
        with self._sessions_lock:
            for session in self._sessions.values():
                session.close()
            self._sessions.clear()

    # --- robots.txt ------------------------------------------------------------------------------------
    def allowed(self, url: str, policy: FetchPolicy | None = None) -> bool:
        """Whether robots.txt lets ``policy.user_agent`` fetch ``url``.

        Raises the :class:`FetchError` of the robots.txt fetch when the host could not be reached at all
        (DNS failure, refused connection, TLS error, time-out): that is what happened, not a robots refusal.
        """
        policy = policy or self.policy
        if not policy.robots:
            return True
        host = host_key(url)
        with self._robots_lock:
            cached = self._robots.get(host)
        if cached is None or (isinstance(cached[1], FetchError) and time.monotonic() - cached[0] > ROBOTS_ERROR_TTL):
            parser = self._load_robots(host, policy)
            cached = (time.monotonic(), parser)
            with self._robots_lock:
                self._robots[host] = cached
        parser = cached[1]
        if isinstance(parser, FetchError):
            raise FetchError(url, parser.kind, f"{parser.reason} (fetching {host}/robots.txt)", parser.status)
        if parser is None:  # robots.txt answered 5xx: RFC 9309 says assume full disallow
            return False
        return parser.can_fetch(policy.user_agent, url)

    def _load_robots(self, host: str, policy: FetchPolicy):
        parser = urllib.robotparser.RobotFileParser(host + "/robots.txt")
        small = dataclasses.replace(policy, max_bytes=512 * 1024, robots=False, retries=min(policy.retries, 1))
        try:
            result = self.fetch(host + "/robots.txt", policy=small)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                parser.parse([])  # no robots.txt: everything allowed
                return parser
            if exc.status is None and exc.kind in ("dns", "refused", "tls", "timeout", "connection"):
                return exc
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
        """GET ``url`` following redirects by hand (each hop must be http(s)), within ``policy.deadline``.

        Retries (connection errors, read time-outs, 429/5xx) are urllib3's, on the session's adapter.
        Raises :class:`FetchError` for refused URLs, robots.txt, network failures, time-outs, over-size
        bodies and HTTP errors (the error carries the last response, so a 404 page can still be kept).
        """
        policy = policy or self.policy
        check_url(url)
        if not self.allowed(url, policy):
            raise FetchError(url, "robots", f"disallowed by {host_key(url)}/robots.txt for {policy.user_agent!r}")
        current = url
        budget = [float(policy.deadline)]  # seconds left; spent only while holding a host's slot (_get_once)
        for _ in range(policy.max_redirects + 1):
            result = self._get_once(url, current, etag, last_modified, policy, budget)
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
                raise FetchError(url, "http", f"HTTP {result.status}{result.note}", result.status, result)
            return result
        raise FetchError(url, "redirect", f"more than {policy.max_redirects} redirects")

    def _get_once(self, original: str, url: str, etag, last_modified, policy: FetchPolicy,
                  budget: list[float]) -> FetchResult:
        """One hop: GET ``url`` holding its host's slot, retrying as :func:`retry_for` says while the
        deadline lasts. ``budget[0]``: seconds of the fetch's deadline left (this hop spends from it)."""
        headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = host_key(url)
        self.limiter.acquire(host, policy.concurrency, policy.delay)
        deadline = time.monotonic() + budget[0]  # the clock starts now that the host's slot is ours
        try:
            retry = retry_for(policy)  # this fetch's own count of tries
            tries = 0
            while True:
                if tries:
                    self.limiter.turn(host, policy.delay)  # a retry keeps the host's delay and any hold
                tries += 1
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise FetchError(original, "timeout", f"no time left of the {policy.deadline:g} s deadline")
                fetched_at = utc_now()
                response, failure = self._request(original, url, headers, policy, deadline,
                                                  lambda: self.limiter.sent(host, policy.delay))
                if response is not None and response.status_code in Retry.RETRY_AFTER_STATUS_CODES:
                    after = retry.get_retry_after(response.raw)  # capped like the retry's own wait
                    if after:  # the host asked for quiet: held for every request to it, retried or not
                        self.limiter.hold(host, after)
                try:
                    if response is None:
                        error = _urllib3_error(failure.__cause__)
                        if error is None:  # not a network failure urllib3 would retry (a bad URL …)
                            raise failure
                        retry = retry.increment("GET", url, error=error)
                        wait = retry.get_backoff_time()
                    elif retry.is_retry("GET", response.status_code, "retry-after" in response.headers):
                        retry = retry.increment("GET", url, response=response.raw)
                        after = retry.get_retry_after(response.raw)
                        wait = retry.get_backoff_time() if after is None else after
                    else:
                        break
                except MaxRetryError:  # tries used up: the last answer (or failure) is the outcome
                    if response is None:
                        raise failure from None
                    break
                if time.monotonic() + wait >= deadline:
                    if response is None:
                        raise failure from None
                    response.note = (f"; not retried: the retry wait of {wait:g} s would pass the "
                                     f"{policy.deadline:g} s deadline")
                    break
                if response is not None:
                    response.close()
                self._sleep(wait)
            try:
                body = read_body(original, response, policy, deadline)
            finally:
                response.close()
        finally:
            budget[0] = deadline - time.monotonic()
            self.limiter.release(host)
        return FetchResult(
            url=original,
            final_url=url,
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=body,
            fetched_at=fetched_at,
            note=getattr(response, "note", ""),
        )

    def _request(self, original: str, url: str, headers: dict, policy: FetchPolicy, deadline: float,
                 on_sent: Callable[[], None] | None = None):
        """One GET: ``(response, None)``, or ``(None, FetchError)`` whose ``__cause__`` is what requests raised.
        Connecting and each read wait at most their time-out and what is left of the deadline; response
        headers still arriving at the deadline are cut there (:class:`_DeadlineAdapter`). ``on_sent`` is
        called once the request is on the wire (or, when it never got there, once the attempt is over)."""
        remaining = max(0.001, deadline - time.monotonic())
        watch = _WATCHED.watch = _Watch(deadline, on_sent)
        late = FetchError(original, "timeout", f"response headers still arriving after the {policy.deadline:g} s "
                          "deadline")
        try:
            response = self.session(policy).get(
                url, headers=headers, allow_redirects=False, stream=True,
                timeout=(min(policy.connect_timeout, remaining), min(policy.read_timeout, remaining)),
            )
        except requests.RequestException as exc:
            failure = late if watch.cut else network_error(original, url, exc)
            if time.monotonic() >= deadline and failure.kind in ("timeout", "connection") and not watch.cut:
                failure = FetchError(original, "timeout", f"no response within the {policy.deadline:g} s deadline")
            failure.__cause__ = exc
            return None, failure
        finally:
            _WATCHED.watch = None
            watch.sent()  # no-op when the connection said so already; else a refused or timed-out attempt
        if watch.cut:  # the socket was shut mid-headers: what arrived is not an answer
            response.close()
            raise late
        return response, None


# --- the deadline while response headers arrive --------------------------------------------------------------
# A read time-out bounds each socket read, so a server sending its headers a byte a second never trips it (the
# issue's /slow-headers took 34 s with a 10 s deadline). The fetching thread puts its deadline here; the
# connection shuts its own socket when the deadline comes before the headers are complete.
_WATCHED = threading.local()


class _Watch:
    """One request's deadline, and whether its socket had to be shut for it."""

    def __init__(self, deadline: float, on_sent: Callable[[], None] | None = None):
        self.deadline = deadline
        self.cut = False
        self._on_sent = on_sent

    def sent(self) -> None:
        on_sent, self._on_sent = self._on_sent, None
        if on_sent is not None:
            on_sent()

    def shut(self, sock) -> None:
        self.cut = True
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _DeadlineConnectionMixin:
    def getresponse(self, *args, **kwargs):
        watch = getattr(_WATCHED, "watch", None)
        if watch is not None:
            watch.sent()  # the request is written: this is when the server sees it start
        sock = getattr(self, "sock", None)
        if watch is None or sock is None:
            return super().getresponse(*args, **kwargs)
        timer = threading.Timer(max(0.0, watch.deadline - time.monotonic()), watch.shut, (sock,))
        timer.daemon = True
        timer.start()
        try:
            return super().getresponse(*args, **kwargs)
        finally:
            timer.cancel()


class _DeadlineHTTPConnection(_DeadlineConnectionMixin, urllib3.connection.HTTPConnection):
    pass


class _DeadlineHTTPSConnection(_DeadlineConnectionMixin, urllib3.connection.HTTPSConnection):
    pass


class _DeadlineHTTPPool(HTTPConnectionPool):
    ConnectionCls = _DeadlineHTTPConnection


class _DeadlineHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _DeadlineHTTPSConnection


class _DeadlineAdapter(HTTPAdapter):
    """requests' adapter over connections that keep the fetch's deadline while the headers arrive."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _DeadlineHTTPPool, "https": _DeadlineHTTPSPool}


def _urllib3_error(exc: BaseException | None) -> BaseException | None:
    """The urllib3 exception under a requests one (what :meth:`Retry.increment` classifies: connect, read,
    other), or None."""
    seen = 0
    while exc is not None and seen < 10:
        seen += 1
        if isinstance(exc, MaxRetryError):
            exc = exc.reason
            continue
        if isinstance(exc, Urllib3Error):
            return exc
        exc = next((a for a in getattr(exc, "args", ()) if isinstance(a, BaseException)), None) or exc.__cause__
    return None


def read_body(original: str, response: requests.Response, policy: FetchPolicy, deadline: float) -> bytes:
    """The (decompressed) body, refused when over ``policy.max_bytes`` or still arriving at ``deadline``.

    Reads with ``read1`` (at most one socket read a call) and a watchdog that shuts the socket at the
    deadline, so a server dripping a byte at a time cannot hold the fetch past it (with a Content-Length
    or until it closes the connection).
    """
    declared = response.headers.get("content-length")
    if declared and declared.strip().isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(
            original, "too_large", f"body is {int(declared):,} bytes, over the limit of {policy.max_bytes:,}",
            response.status_code,
        )
    raw = response.raw
    chunks: list[bytes] = []
    size = 0
    timer = threading.Timer(max(0.0, deadline - time.monotonic()), _shutdown, (raw,))
    timer.daemon = True
    timer.start()
    try:
        while True:
            if time.monotonic() >= deadline:
                raise _late(original, policy, response.status_code)
            try:
                chunk = raw.read1(64 * 1024, decode_content=True)
            except Exception as exc:  # urllib3/http.client/zlib errors: the deadline's shutdown shows as one
                if time.monotonic() >= deadline:
                    raise _late(original, policy, response.status_code) from None
                failure = network_error(original, response.url, exc)
                if failure.kind == "connection":
                    failure.reason = f"connection lost while reading the body: {_short(exc)}"
                raise failure from None
            if not chunk:
                if time.monotonic() >= deadline:  # the watchdog closed the socket mid-body
                    raise _late(original, policy, response.status_code)
                break
            size += len(chunk)
            if size > policy.max_bytes:
                raise FetchError(original, "too_large", f"body is over the limit of {policy.max_bytes:,} bytes",
                                 response.status_code)
            chunks.append(chunk)
    finally:
        timer.cancel()
    return b"".join(chunks)  # a body cut short of its Content-Length raised above (urllib3 enforces it)


def _late(original: str, policy: FetchPolicy, status: int) -> FetchError:
    return FetchError(original, "timeout", f"body still arriving after the {policy.deadline:g} s deadline", status)


def _shutdown(raw) -> None:
    try:
        raw.shutdown()  # urllib3 ≥ 2.3: wakes a read blocked in another thread
    except Exception:
        pass


def network_error(original: str, url: str, exc: BaseException) -> FetchError:
    """A requests/urllib3 exception as a :class:`FetchError` named for what happened."""
    chain: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(chain) < 20:
        e = todo.pop()
        if e is None or any(e is c for c in chain):
            continue
        chain.append(e)
        todo.extend(x for x in (getattr(e, "reason", None), e.__cause__, e.__context__, *e.args)
                    if isinstance(x, BaseException))
    host = urllib.parse.urlsplit(url).hostname or url
    if any(isinstance(e, (NameResolutionError, socket.gaierror)) for e in chain):
        return FetchError(original, "dns", f"cannot resolve host {host!r} (DNS failure)")
    if any(isinstance(e, (requests.exceptions.SSLError, ssl.SSLError)) for e in chain):
        return FetchError(original, "tls", f"TLS error with {host}: {_short(exc)}")
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return FetchError(original, "refused", f"connection refused by {urllib.parse.urlsplit(url).netloc}")
    if any(isinstance(e, (requests.Timeout, socket.timeout, TimeoutError)) for e in chain) or "timed out" in str(exc):
        return FetchError(original, "timeout", f"timed out ({type(exc).__name__}) fetching {url}")
    return FetchError(original, "connection", f"cannot connect: {_short(exc)}")


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + "…"
