"""The polite fetcher against a real local HTTP server."""
import pytest
from werkzeug.wrappers import Response

from reprintwatch.ingest.fetch import (
    USER_AGENT, FetchError, Fetcher, FetchPolicy, HostLimiter, decode_page, detect_charset,
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
