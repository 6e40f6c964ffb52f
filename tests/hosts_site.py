"""Many hosts on 127.0.0.1 (one real HTTP server a port: ``scheme://netloc`` is the politeness key), each with a
feed and pages, logging every request's start and end — politeness as the servers saw it. Used by the
shared-ingest tests and bench/bench_ingest.py --processes.

A request's start is the moment its first bytes reached the server's socket, by the kernel's receive timestamp
(``SO_TIMESTAMP``, read with ``MSG_PEEK``): the moment a handler thread got to run lagged it by up to ~0.1 s on
a loaded machine, and that lag, different for two requests, made their gap look shorter or longer than it was."""
from __future__ import annotations

import socket
import struct
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


SO_TIMESTAMP = getattr(socket, "SO_TIMESTAMP", 29)  # Linux's value (Python 3.11 does not name it)


class Hosts:
    """``n_hosts`` servers; host ``h`` serves ``/feed.xml`` (every page of it) and ``/p/<i>.html`` for
    ``i < pages_per_host`` with ``page(h, i, base) -> bytes``, each after ``latency`` seconds."""

    def __init__(self, n_hosts: int, pages_per_host: int, page: Callable[[int, int, str], bytes],
                 latency: float = 0.0, busy: dict[str, float] | None = None):
        """``busy``: paths whose first request is answered ``503`` with ``Retry-After: <seconds>``."""
        self.busy = dict(busy or {})
        self.pages_per_host = pages_per_host
        self.page = page
        self.latency = latency
        self.log: list[tuple[str, str, float, float, int]] = []  # (base, path, start, end, status), epoch seconds
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
            def setup(self):
                super().setup()
                self.arrived = time.time()
                try:  # when the request's first bytes arrived, before anything reads them
                    _, ancillary, _, _ = self.connection.recvmsg(1, socket.CMSG_SPACE(16), socket.MSG_PEEK)
                    for level, kind, data in ancillary:
                        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMP:
                            seconds, micros = struct.unpack("qq", data[:16])
                            self.arrived = seconds + micros / 1e6
                except OSError:
                    pass

            def do_GET(self):  # noqa: N802 - http.server API
                start = self.arrived
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
                retry_after = None
                with hosts._lock:
                    if base + self.path in hosts.busy:
                        status, ctype, body = 503, "text/plain", b"busy"
                        retry_after = hosts.busy.pop(base + self.path)
                if hosts.latency:
                    time.sleep(hosts.latency)
                self.send_response(status)
                if retry_after is not None:
                    self.send_header("Retry-After", f"{retry_after:g}")
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                with hosts._lock:
                    hosts.log.append((base, self.path, start, time.time(), status))

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler, bind_and_activate=False)
        server.socket.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMP, 1)  # accepted sockets inherit it
        server.server_bind()
        server.server_activate()
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
        for base, path, start, end, _ in log:
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
        for base, path, start, end, _ in log:
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
