"""The polite fetcher against a real local HTTP server."""
import pytest
from werkzeug.wrappers import Response

from ingest_site import closed_port

from reprintwatch.encoding import decode_page, detect_charset
from reprintwatch.ingest.fetch import (
    USER_AGENT, FetchError, Fetcher, FetchPolicy, HostLimiter,
)


FAST = FetchPolicy(delay=0, backoff=0.01, retries=2, connect_timeout=2, read_timeout=1.0, max_bytes=1_000_000)


def test_user_agent_and_final_url_after_redirect(site):
    result = Fetcher(FAST).fetch(site.base + "/redirect-to-page")
    assert result.status == 200 and result.final_url == site.base + "/news/2026/autumn-games.html"
    assert result.url == site.base + "/redirect-to-page"
    page = [r for r in site.requests if r["path"] == "/news/2026/autumn-games.html"][0]
    assert page["headers"]["User-Agent"] == USER_AGENT == "reprintwatch/0.1 (+https://example.org/reprintwatch)"


def test_conditional_get_returns_not_modified(site):
    fetcher = Fetcher(FAST)
    first = fetcher.fetch(site.base + "/news/2026/autumn-games.html")
    assert first.etag == '"games-v1"' and not first.not_modified
    second = fetcher.fetch(site.base + "/news/2026/autumn-games.html", etag=first.etag)
    assert second.status == 304 and second.not_modified and second.body == b""


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x", "/relative", "http://"])
def test_only_http_and_https(url):
    with pytest.raises(FetchError) as err:
        Fetcher(FAST).fetch(url)
    assert err.value.kind in ("scheme", "bad_url")


def test_redirect_to_file_is_refused(site):
    with pytest.raises(FetchError) as err:
        Fetcher(FAST).fetch(site.base + "/redirect-to-file")
    assert err.value.kind == "redirect" and "file:///etc/passwd" in err.value.reason


def test_404_is_an_error_that_keeps_the_response(site):
    with pytest.raises(FetchError) as err:
        Fetcher(FAST).fetch(site.base + "/news/2026/gone.html")
    assert err.value.status == 404 and err.value.result.body.startswith(b"<html>")
    assert site.hits["/news/2026/gone.html"] == 1  # a 404 is not retried


def test_500_is_retried_then_reported(site):
    with pytest.raises(FetchError) as err:
        Fetcher(FAST).fetch(site.base + "/news/2026/error.html")
    assert err.value.status == 500
    assert site.hits["/news/2026/error.html"] == 1 + FAST.retries


def test_retry_succeeds_when_the_server_recovers(site):
    calls = []

    def flaky(request):
        calls.append(request.path)
        if len(calls) == 1:
            return Response(b"busy", status=503, headers={"Retry-After": "0"})
        return Response(b"<html><body>ok</body></html>", content_type="text/html")

    site.dynamic["/flaky"] = flaky
    result = Fetcher(FAST).fetch(site.base + "/flaky")
    assert result.status == 200 and result.body.endswith(b"ok</body></html>") and len(calls) == 2


def test_slow_response_times_out(site):
    policy = FetchPolicy(delay=0, retries=0, read_timeout=0.5, connect_timeout=2)
    with pytest.raises(FetchError) as err:
        Fetcher(policy).fetch(site.base + "/slow.html")
    assert err.value.kind == "timeout"


def test_huge_body_is_refused(site):
    with pytest.raises(FetchError) as err:
        Fetcher(FAST).fetch(site.base + "/huge.html")
    assert err.value.kind == "too_large" and "1,000,000" in err.value.reason


def test_huge_body_without_content_length_is_refused_while_streaming(site):
    def chunks():
        yield b"<html><body>"
        for _ in range(40):
            yield b"x" * 65536

    site.dynamic["/stream.html"] = lambda request: Response(chunks(), content_type="text/html")  # chunked
    with pytest.raises(FetchError) as err:
        Fetcher(FAST).fetch(site.base + "/stream.html")
    assert err.value.kind == "too_large"


def test_robots_txt_is_honoured_and_configurable(site):
    with pytest.raises(FetchError) as err:
        Fetcher(FAST).fetch(site.base + "/private/secret.html")
    assert err.value.kind == "robots"
    assert site.hits.get("/private/secret.html") is None
    ignoring = FetchPolicy(**{**FAST.__dict__, "robots": False})
    assert Fetcher(ignoring).fetch(site.base + "/private/secret.html").status == 200


def test_gbk_page_without_charset_header_is_decoded(site):
    for path in ("/news/2026/rice.html", "/news/2026/rice-wrong-header.html"):
        result = Fetcher(FAST).fetch(site.base + path)
        assert detect_charset(result.body, result.content_type) == "gb18030"
        assert "西岭县石门镇万亩晚稻示范片" in result.text()


def test_charset_from_meta_when_header_is_missing():
    body = '<html><head><meta charset="big5"></head><body>臺灣新聞報導內容</body></html>'.encode("big5")
    assert detect_charset(body, "text/html") == "big5"
    assert "臺灣新聞" in decode_page(body, "text/html")
    utf8 = "<html><head><meta charset='gbk'></head><body>声明是 GBK，其实是 UTF-8</body></html>".encode()
    assert "其实是" in decode_page(utf8, "text/html; charset=gbk")


def test_host_limiter_spaces_requests_per_host():
    waits = []
    clock = [100.0]
    limiter = HostLimiter(clock=lambda: clock[0], sleep=waits.append)
    for _ in range(3):
        limiter.acquire("http://a", concurrency=1, delay=2.0)
        limiter.release("http://a")
    limiter.acquire("http://b", concurrency=1, delay=2.0)
    limiter.release("http://b")
    assert waits == [2.0, 4.0]  # host a: immediately, then +2 s, +4 s; host b is not held up by host a


def test_host_limiter_retry_keeps_the_delay_and_a_retry_after_holds_the_host():
    waits = []
    clock = [100.0]
    limiter = HostLimiter(clock=lambda: clock[0], sleep=waits.append)
    limiter.acquire("http://a", concurrency=2, delay=1.0)  # starts now
    limiter.turn("http://a", delay=1.0)  # a retry: a request like any, a delay after the first
    limiter.hold("http://a", 5.0)  # the server said Retry-After: 5
    limiter.acquire("http://a", concurrency=2, delay=1.0)  # another thread's request waits the hold out
    limiter.hold("http://a", 1.0)  # a shorter hold does not shorten it
    limiter.acquire("http://b", concurrency=1, delay=1.0)  # another host is not held
    assert waits == [1.0, 5.0]


def test_per_host_concurrency_limit(site):
    import threading

    active, peak, lock = [0], [0], threading.Lock()
    done = threading.Event()

    def counting(request):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        done.wait(0.3)
        with lock:
            active[0] -= 1
        return Response(b"<html><body>ok</body></html>", content_type="text/html")

    site.dynamic["/busy"] = counting
    fetcher = Fetcher(FetchPolicy(delay=0, concurrency=2, retries=0, robots=False))
    threads = [threading.Thread(target=fetcher.fetch, args=(site.base + f"/busy?{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert site.hits and sum(v for k, v in site.hits.items() if k.startswith("/busy")) == 6
    assert 1 <= peak[0] <= 2


# --- retries through urllib3's Retry; Retry-After in any form ------------------------------------------
@pytest.mark.parametrize("retry_after", ["Wed, 21 Oct 2015 07:28:00 GMT", "soon, I promise", "1e9", "-5"])
def test_retry_after_as_a_date_or_junk_is_retried_not_an_internal_error(site, retry_after):
    calls = []

    def busy_then_ok(request):
        calls.append(1)
        if len(calls) == 1:
            return Response(b"busy", status=503, headers={"Retry-After": retry_after})
        return Response(b"<html><body>ok</body></html>", content_type="text/html")

    site.dynamic["/busy-date"] = busy_then_ok
    result = Fetcher(FAST).fetch(site.base + "/busy-date")
    assert result.status == 200 and len(calls) == 2


def test_a_huge_retry_after_is_capped_by_max_backoff(site):
    import time

    site.dynamic["/busy-long"] = lambda request: Response(b"busy", status=429, headers={"Retry-After": "86400"})
    policy = FetchPolicy(delay=0, retries=1, backoff=0, max_backoff=0.3, robots=False)
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        Fetcher(policy).fetch(site.base + "/busy-long")
    assert err.value.label == "http 429" and time.monotonic() - started < 3
    assert site.hits["/busy-long"] == 2


# --- a total deadline per fetch, against a real server that drips the body --------------------------
@pytest.mark.parametrize("with_length", [True, False], ids=["content-length", "until-close"])
def test_a_drip_fed_body_is_cut_off_at_the_total_deadline(with_length):
    import time

    base, _, stop = _hostile_server()
    try:
        policy = FetchPolicy(delay=0, retries=0, robots=False, read_timeout=1.0, deadline=1.5)
        started = time.monotonic()
        with pytest.raises(FetchError) as err:
            Fetcher(policy).fetch(base + ("/drip" if with_length else "/drip-until-close"))
        elapsed = time.monotonic() - started
    finally:
        stop()
    assert err.value.kind == "timeout" and "deadline" in err.value.reason
    assert 1.4 < elapsed < 2.5  # each byte arrives well within read_timeout; only the deadline stops it


# --- outcomes named for what happened ------------------------------------------------------------------
def test_dns_failure_is_named_not_blamed_on_robots():
    # the reserved .invalid TLD never resolves (RFC 6761): the lookup fails locally, no network involved
    with pytest.raises(FetchError) as err:
        Fetcher(FAST).fetch("http://no-such-host.invalid/news/1.html")
    assert err.value.kind == "dns" and "robots" not in err.value.kind
    assert "no-such-host.invalid" in err.value.reason


def test_connection_refused_is_named():
    with pytest.raises(FetchError) as err:
        Fetcher(FAST).fetch(f"http://127.0.0.1:{closed_port()}/page.html")
    assert err.value.kind == "refused"


def test_tls_error_is_named(site):
    https = site.base.replace("http://", "https://")  # a plain-HTTP server does not speak TLS
    with pytest.raises(FetchError) as err:
        Fetcher(FAST).fetch(https + "/news/2026/autumn-games.html")
    assert err.value.kind == "tls"


def test_robots_refusal_is_named(site):
    with pytest.raises(FetchError) as err:
        Fetcher(FAST).fetch(site.base + "/private/secret.html")
    assert err.value.kind == "robots" and err.value.label == "robots"


def test_politeness_defaults_come_from_settings():
    from reprintwatch.config import Settings

    settings = Settings.load(environ={"REPRINTWATCH_FETCH_DELAY": "2.5", "REPRINTWATCH_FETCH_DEADLINE": "30",
                                      "REPRINTWATCH_FETCH_ROBOTS": "false"})
    policy = FetchPolicy.from_settings(settings)
    assert (policy.delay, policy.deadline, policy.robots) == (2.5, 30.0, False)
    assert FetchPolicy().delay == Settings().fetch_delay


# --- issue 21: the deadline starts with the host's slot, bounds retry waits and header drips -----------------

def _hostile_server():
    """A raw socket server, one thread a connection: ``/drip`` (headers at once, then a body byte every 0.1 s of
    a 100,000-byte Content-Length; ``/drip-until-close`` the same without a length),
    ``/slow-headers`` (the header block a byte every 0.1 s, never finished), ``/busy-2099`` (429 with a
    Retry-After date in 2099), ``/busy-1`` (429, Retry-After: 1) and any other path a small page. Returns the
    base URL, the requests seen (path, monotonic time) and a stop function."""
    import socket
    import threading
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()
    seen: list[tuple[str, float]] = []

    def answer(conn, status: str, extra: str, body: bytes):
        conn.sendall(f"HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n{extra}"
                     "Connection: close\r\n\r\n".encode() + body)

    def serve(conn):
        try:
            path = conn.recv(65536).split(b" ", 2)[1].decode()
            seen.append((path, time.monotonic()))
            path = path.split("?")[0]
            if path in ("/drip", "/drip-until-close"):
                head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                conn.sendall(head + (b"Content-Length: 100000\r\n\r\n" if path == "/drip" else
                                     b"Connection: close\r\n\r\n"))
                drip = b"x" * 100000
            elif path == "/slow-headers":
                drip = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"y" * 100000
            elif path == "/busy-2099":
                return answer(conn, "429 Too Many Requests", "Retry-After: Fri, 01 Jan 2099 00:00:00 GMT\r\n", b"slow down")
            elif path == "/busy-1":
                return answer(conn, "429 Too Many Requests", "Retry-After: 1\r\n", b"slow down")
            else:
                return answer(conn, "200 OK", "", b"<html><body>ok</body></html>")
            for byte in drip:
                if stop.is_set():
                    break
                conn.sendall(bytes([byte]))
                time.sleep(0.1)
        except OSError:
            pass
        finally:
            conn.close()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}", seen, lambda: (stop.set(), listener.close())


@pytest.fixture
def hostile():
    base, seen, stop = _hostile_server()
    yield base, seen
    stop()


def test_waiting_for_the_hosts_slot_is_not_the_pages_time(hostile):
    """One slot a host: three normal pages queued behind two drips (3 s of slot time, twice the 1.5 s
    deadline) all arrive; only the drips run out of time (the issue: the pages failed, never requested)."""
    import threading
    import time

    base, seen = hostile
    fetcher = Fetcher(FetchPolicy(delay=0, concurrency=1, retries=0, robots=False, read_timeout=1.0, deadline=1.5))
    outcomes: dict[str, object] = {}

    def fetch(path):
        try:
            outcomes[path] = fetcher.fetch(base + path).status
        except FetchError as exc:
            outcomes[path] = exc.label

    threads = [threading.Thread(target=fetch, args=("/drip",))]
    threads[0].start()
    while not seen:  # the first drip holds the slot before the others queue
        time.sleep(0.01)
    for path in ["/drip?2", "/page-0", "/page-1", "/page-2"]:
        threads.append(threading.Thread(target=fetch, args=(path,)))
        threads[-1].start()
        time.sleep(0.1)  # queued in this order
    for t in threads:
        t.join(timeout=30)
    assert outcomes == {"/drip": "timeout", "/drip?2": "timeout", "/page-0": 200, "/page-1": 200, "/page-2": 200}
    asked = dict(seen)
    assert asked["/page-0"] - asked["/drip"] > 2.9  # asked for after both drips' 1.5 s, and still had their own


def test_a_retry_after_past_the_deadline_ends_the_fetch_at_once_as_http_429(hostile):
    import time

    base, seen = hostile
    policy = FetchPolicy(delay=0, retries=4, robots=False, deadline=10, max_backoff=60)
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        Fetcher(policy).fetch(base + "/busy-2099")
    assert time.monotonic() - started < 3 and len(seen) == 1
    assert err.value.label == "http 429" and "deadline" in err.value.reason and "60 s" in err.value.reason
    assert err.value.result.body == b"slow down"


def test_retries_within_the_deadline_end_with_the_servers_answer(hostile):
    import time

    base, seen = hostile
    started = time.monotonic()
    with pytest.raises(FetchError) as err:  # Retry-After: 1, two retries: three requests about 1 s apart
        Fetcher(FetchPolicy(delay=0, retries=2, robots=False, deadline=10)).fetch(base + "/busy-1")
    assert err.value.label == "http 429" and len(seen) == 3 and 1.9 < time.monotonic() - started < 6
    seen.clear()
    with pytest.raises(FetchError) as err:  # the same with 2.5 s of deadline: the third wait does not fit
        Fetcher(FetchPolicy(delay=0, retries=4, robots=False, deadline=2.5)).fetch(base + "/busy-1")
    assert err.value.label == "http 429" and "not retried" in err.value.reason and len(seen) == 3


def test_response_headers_dripping_are_cut_at_the_deadline(hostile):
    import time

    base, _ = hostile
    policy = FetchPolicy(delay=0, retries=2, robots=False, read_timeout=1.0, deadline=1.5)
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        Fetcher(policy).fetch(base + "/slow-headers")
    assert err.value.kind == "timeout" and "headers still arriving after the 1.5 s deadline" in err.value.reason
    assert 1.4 < time.monotonic() - started < 3  # each byte well within read_timeout; the deadline stops it
