"""Many hosts on 127.0.0.1 (one real HTTP server a port: ``scheme://netloc`` is the politeness key), each with a
feed and pages, logging every request's start and end — politeness as the servers saw it. Used by the
shared-ingest tests and bench/bench_ingest.py --processes."""
from __future__ import annotations

import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


class Hosts:
    """``n_hosts`` servers; host ``h`` serves ``/feed.xml`` (every page of it) and ``/p/<i>.html`` for
    ``i < pages_per_host`` with ``page(h, i, base) -> bytes``, each after ``latency`` seconds."""

    def __init__(self, n_hosts: int, pages_per_host: int, page: Callable[[int, int, str], bytes],
                 latency: float = 0.0):
        self.pages_per_host = pages_per_host
        self.page = page
        self.latency = latency
        self.log: list[tuple[str, str, float, float]] = []  # (base, path, start, end), monotonic seconds
        self._lock = threading.Lock()
        self.servers = [self._server() for _ in range(n_hosts)]
        self.bases = [f"http://127.0.0.1:{s.server_address[1]}" for s in self.servers]
        self._threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
                         for s in self.servers]
        for t in self._threads:
            t.start()

    def _server(self) -> ThreadingHTTPServer:
        hosts = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server API
                start = time.monotonic()
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                h = hosts.bases.index(base)
                status, ctype, body = 404, "text/plain", b"not found"
                if self.path == "/feed.xml":
                    items = "".join(f"<item><title>{h}-{i}</title><link>{base}/p/{i}.html</link></item>"
                                    for i in range(hosts.pages_per_host))
                    status, ctype = 200, "application/rss+xml"
                    body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>h{h}</title>'
                            f"{items}</channel></rss>").encode()
                elif self.path.startswith("/p/") and self.path.endswith(".html"):
                    i = int(self.path[3:-5])
                    if i < hosts.pages_per_host:
                        status, ctype, body = 200, "text/html; charset=utf-8", hosts.page(h, i, base)
                if hosts.latency:
                    time.sleep(hosts.latency)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                with hosts._lock:
                    hosts.log.append((base, self.path, start, time.monotonic()))

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        return server

    def sources_toml(self, delay: float, concurrency: int) -> str:
        head = f'[defaults]\ndelay = "{delay}s"\nconcurrency = {concurrency}\nretries = 0\n'
        return head + "".join(f'\n[[source]]\nname = "h{h}"\ntype = "feed"\nurl = "{base}/feed.xml"\n'
                              for h, base in enumerate(self.bases))

    def politeness(self) -> dict:
        """What the servers saw: the most requests one host served at once, the shortest gap between two
        request starts at one host (robots.txt included), how often each page and feed was fetched, and how
        often one URL was being served twice at the same moment."""
        with self._lock:
            log = list(self.log)
        by_host = defaultdict(list)
        fetches = defaultdict(int)
        overlapping_same_url = 0
        for base, path, start, end in log:
            by_host[base].append((start, end))
            if path != "/robots.txt":
                fetches[base + path] += 1
        most, gap = 0, float("inf")
        for spans in by_host.values():
            spans.sort()
            for a, b in zip(spans, spans[1:]):
                gap = min(gap, b[0] - a[0])
            events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
            now = 0
            for _, step in events:
                now += step
                most = max(most, now)
        per_url = defaultdict(list)
        for base, path, start, end in log:
            if path != "/robots.txt":  # each process reads a host's robots.txt once, leased or not
                per_url[base + path].append((start, end))
        for spans in per_url.values():
            spans.sort()
            overlapping_same_url += sum(1 for a, b in zip(spans, spans[1:]) if b[0] < a[1])
        return {"max_concurrent": most, "min_gap": gap, "fetches": dict(fetches),
                "same_url_at_once": overlapping_same_url}

    def stop(self) -> None:
        for s in self.servers:
            s.shutdown()
            s.server_close()
