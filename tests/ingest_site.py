"""A small fake web (feeds, WeChat-style pages, news pages, bad responses) served by a real local HTTP
server for the ingest tests. Every fixture is in tests/fixtures/ingest/ (written for these tests)."""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug.wrappers import Request, Response

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
REPO = Path(__file__).resolve().parents[1]


@dataclass
class Route:
    body: bytes
    status: int = 200
    content_type: str = "text/html"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None


class Site:
    """Routes by path; handles conditional GET for routes with an ETag; counts hits per path."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.requests: list[dict] = []
        self.dynamic: dict = {}  # path -> callable(request) -> Response, for behaviour that changes per call
        self.lock = threading.Lock()

    def fixture(self, name: str) -> bytes:
        return (FIXTURES / name).read_bytes().replace(b"{{BASE}}", self.base.encode())

    def add(self, path: str, body: bytes | str, **kwargs) -> Route:
        route = Route(body.encode("utf-8") if isinstance(body, str) else body, **kwargs)
        self.routes[path] = route
        return route

    def handle(self, request: Request) -> Response:
        path = request.full_path.rstrip("?")
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            self.requests.append({"path": path, "headers": dict(request.headers)})
        if request.path in self.dynamic:
            return self.dynamic[request.path](request)
        route = self.routes.get(path) or self.routes.get(request.path)
        if route is None:
            return Response(b"<html><body>not found</body></html>", status=404, content_type="text/html")
        if route.delay:
            time.sleep(route.delay)
        if route.etag and request.headers.get("If-None-Match") == route.etag:
            return Response(status=304, headers={"ETag": route.etag})
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        response = Response(route.body, status=route.status, headers=headers)
        response.headers["Content-Type"] = route.content_type  # exactly as given (no charset added)
        return response


def build_site(httpserver) -> Site:
    site = Site(httpserver.url_for("/"))
    httpserver.expect_request(re.compile(".*")).respond_with_handler(site.handle)
    fx = site.fixture
    site.add("/robots.txt", fx("robots.txt"), content_type="text/plain")
    site.add("/news/rss.xml", fx("rss.xml"), content_type="application/rss+xml")
    site.add("/news/atom.xml", fx("atom.xml"), content_type="application/atom+xml", etag='"atom-v1"')
    site.add("/news/bomb.xml", fx("bomb.xml"), content_type="application/rss+xml")
    site.add("/news/2026/rice.html", fx("news_gbk.html"), content_type="text/html")  # GBK, no charset anywhere
    site.add("/news/2026/rice-wrong-header.html", fx("news_gbk.html"), content_type="text/html; charset=utf-8")
    site.add("/news/2026/autumn-games.html", fx("unrelated.html"), content_type="text/html; charset=utf-8",
             etag='"games-v1"')
    site.add("/news/2026/broken.html", fx("malformed.html"))
    site.add("/news/2026/error.html", b"<html><body>Internal error</body></html>", status=500)
    site.add("/mp/s/LibRaRyRePrInT01", fx("wechat_reprint.html"), content_type="text/html; charset=utf-8")
    site.add("/mp/s/ReMoVeD02", fx("wechat_removed.html"), content_type="text/html; charset=utf-8")
    site.add("/mp/s/InFrInGe03", fx("wechat_infringing.html"), content_type="text/html; charset=utf-8")
    site.add("/private/secret.html", fx("private.html"))
    site.add("/slow.html", fx("unrelated.html"), delay=3.0)
    site.add("/redirect-to-file", b"", status=302, headers={"Location": "file:///etc/passwd"})
    site.add("/redirect-to-page", b"", status=301, headers={"Location": "/news/2026/autumn-games.html"})
    site.add("/huge.html", b"<html><body><p>" + "大".encode() * 1_200_000 + b"</p></body></html>")
    return site


def example_sources(site: Site, tmp_path: Path) -> Path:
    """data/sources.example.toml pointed at the local site, with no politeness delays."""
    text = (REPO / "data" / "sources.example.toml").read_text(encoding="utf-8")
    text = text.replace("https://news.example.org", site.base + "/news").replace("https://mp.weixin.qq.com", site.base + "/mp")
    text = re.sub(r'(delay|backoff) = "[^"]+"', r'\1 = "0s"', text)
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def build_licensed_index(path: Path):
    from reprintwatch import Detector, SQLiteIndex, read_jsonl

    index = SQLiteIndex(path)
    Detector(index).add([a for a in read_jsonl(FIXTURES / "licensed.jsonl")])
    index.close()
    return path


def licensed_articles() -> list[dict]:
    return [json.loads(line) for line in (FIXTURES / "licensed.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def make_server():
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    return server


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on (connections to it are refused)."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
