"""``reprintwatch serve``: a local, read-only web view of the findings store for publishers.

Browse, filter and sort findings, open one side by side, download CSV/JSON, see an outlet's coverage.
A small WSGI app on the standard library's ``wsgiref`` server (threaded: one thread a connection, each socket
with a read/write timeout, so an idle or slow client holds only its own thread; the store is read by one
thread of its own, where its SQLite connection lives), bound to 127.0.0.1 only, that reuses the
reports' pieces: the same :class:`~reprintwatch.report.filters.Filter` (from the query string), the same
summary, the same escaping and the same HTML. Why not Datasette (which we looked at first): the licence
status, credit and first-publication columns a publisher filters by are not in the store — they are
judged from the licences when read — so Datasette's facets could not see them without a second, derived
table to keep in step; its pages run scripts, which the reports' policy (no script at all) forbids; and
the side-by-side view needed a custom page anyway.

Pages carry a strict Content-Security-Policy header (no script, no frames, nothing remote; forms only to
this server) — error pages too. Requests other than GET/HEAD are refused (405), and a ``Host`` header that is
not this server's (a DNS-rebinding page) gets 403.
"""
from __future__ import annotations

import contextlib
import io
import queue
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from http import HTTPStatus
from typing import Callable, Iterator
from urllib.parse import parse_qs, urlencode
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ..complaint.takedown import with_takedowns
from ..config import Settings, local_zone
from ..dates import zone_label
from ..errors import ReprintwatchError
from ..output import json_text, one_line
from ..sqlitedb import MAX_ROWID
from ..triage.assess import STATUSES
from .daily import Report, now_utc, select
from .filters import HINTS, VERDICTS, Filter, apply, article_key
from .html import (
    _FINDINGS_HEAD, PAGES, STATUS_LABELS, _finding_row, esc, finding_page, headline, page, render_html,
    summary_cards, summary_tables,
)
from .render import write_csv

HOST = "127.0.0.1"
SERVE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PAGE_SIZE = 200
# Seconds a connection may stay silent (request line, headers) or refuse to read our answer before its socket
# is closed. A browser sends its request at once; 10 s is generous over loopback and frees an idle socket's
# thread (the stall: one idle connection held a one-at-a-time server for 20-90 s).
SOCKET_TIMEOUT = 10.0
# Above this many findings, the first page (no filter, newest first) reads only its own rows and offers
# the summary of everything as a link: at 62,500 findings reading them all took 11 CPU-seconds (bench).
QUICK_ABOVE = 5000
SORTS = {
    "found": lambda a: str(a.finding.get("created_at") or ""),
    "id": lambda a: int(a.finding.get("finding_id") or 0),
    "similarity": lambda a: float(a.finding.get("similarity") or 0),
    "coverage": lambda a: float(a.finding.get("licensed_coverage") or 0),
    "reprinter": lambda a: a.reprinter.label(),
    "outlet": lambda a: str(a.finding.get("licensed_outlet") or ""),
    "status": lambda a: STATUSES.index(a.status),
    "platform": lambda a: str(a.finding.get("platform") or ""),
}


class HTTPError(Exception):
    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status


class FindingsView:
    """The judged findings of the store, cached until the store changes (``PRAGMA data_version``)."""

    def __init__(self, settings: Settings, open_index: Callable | None = None):
        from ..store import Store

        self.settings = settings
        self.store = Store(settings.store, create=False)
        try:
            self.store.require_judged()  # findings of other detection rules: `findings rejudge` first (exit 3)
        except BaseException:
            self.store.close()
            raise
        self.index = open_index(settings) if open_index else None
        self._cache: dict = {}
        self._all: list | None = None
        self._version = None
        self.lock = threading.Lock()
        self._thread: ThreadPoolExecutor | None = None

    @classmethod
    def on_own_thread(cls, settings: Settings, open_index: Callable | None = None) -> "FindingsView":
        """A view whose store and index are opened, read and closed by one thread of its own (SQLite
        connections belong to the thread that made them): what the threaded server's requests go through."""
        thread = ThreadPoolExecutor(1, thread_name_prefix="reprintwatch-store")
        try:
            view = thread.submit(cls, settings, open_index).result()
        except BaseException:
            thread.shutdown()
            raise
        view._thread = thread
        return view

    def run(self, fn: Callable, *args):
        """``fn(*args)`` with this view to itself: on its own thread if it has one, else under its lock."""
        if self._thread is not None:
            return self._thread.submit(fn, *args).result()
        with self.lock:
            return fn(*args)

    def close(self) -> None:
        if self._thread is not None:
            thread, self._thread = self._thread, None
            try:
                thread.submit(self.close).result()
            finally:
                thread.shutdown()
            return
        self.store.close()
        if self.index is not None:
            self.index.close()

    def licences(self):
        return self.store.licences()

    def _check_version(self) -> None:
        version = self.store.data_version()  # this view never writes: any change is someone else's
        if version != self._version:
            self._cache.clear()
            self._version = version
            self._all = None

    def everything_read(self) -> bool:
        """Is every finding read (with its triage) for the current version of the store?"""
        self._check_version()
        return self._all is not None

    def count(self) -> int:
        return self.store.counts()["findings"]

    def newest(self, offset: int, limit: int) -> list:
        """One page of findings, newest first (the default order), with their triage: only this page is
        read, and only its stale findings judged."""
        from ..triage.assess import triage_of

        rows = self.store.list_findings(content=False, newest_first=True, limit=limit, offset=offset)
        return triage_of(self.store, rows, self.licences(), self.index, keep=False)

    def assessments(self, flt: Filter, outlet: str | None = None) -> list:
        """Findings kept by ``flt`` (without ``top``) with their triage. The store is read once per version
        (every finding with its stored triage; what is stale is judged here, in memory — this view never
        writes); each filter is then applied in memory and cached."""
        self._check_version()
        if self._all is None:
            self._all = select(self.store, self.licences(), self.index, Filter(), keep=False)
        base = replace(flt, top=None, outlet=(outlet,)) if outlet else replace(flt, top=None)
        if not base.active:
            return self._all
        key = (outlet, base)
        if key not in self._cache:
            if len(self._cache) > 32:
                self._cache.clear()
            self._cache[key] = apply(base, self._all)
        return self._cache[key]

    def summary(self, flt: Filter, items: list) -> dict:
        """The summary of ``items`` (the findings ``flt`` keeps), cached with them: every page of a
        filter shows the same summary (call after :meth:`assessments`, which drops stale entries)."""
        key = ("summary", flt)
        if key not in self._cache:
            from .daily import summarise

            self._cache[key] = summarise(items)
        return self._cache[key]

    def finding(self, finding_id: int):
        """One finding in full: its triage, the copy's text and the licensed text."""
        from ..triage.assess import triage_of, with_texts

        self.store.require_judged()
        row = self.store.get_finding(finding_id)
        if row is None or row.withdrawn_at:  # withdrawn: the current rules do not make it (kept for audit)
            return None
        judged = with_texts(triage_of(self.store, [row], self.licences(), self.index, keep=False), self.index)
        return with_takedowns(self.store, judged)[0]

    def indexed(self, outlet: str) -> int | None:
        if self.index is None:
            return None
        try:
            return self.index.stats().outlets.get(outlet)
        except Exception:  # a nicety, as in coverage_report
            return None

    def outlets(self) -> list[str]:
        return self.store.outlets()


def _query(environ) -> dict:
    return parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=False)


def _one(query: dict, name: str, default: str = "") -> str:
    values = query.get(name) or [default]
    return values[-1]


def _url(path: str, params: dict) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(params) if params else "")


def filter_form(flt: Filter, action: str, outlets: list[str], extra: dict | None = None, outlet_field: bool = True) -> str:
    """A GET form for the filter (works without scripts)."""
    def options(name, values, selected):
        out = [f'<option value="">any {esc(name)}</option>']
        for v in values:
            sel = " selected" if v in selected else ""
            out.append(f'<option value="{esc(v)}"{sel}>{esc(STATUS_LABELS.get(v, v))}</option>')
        return f'<select name="{esc(name)}">{"".join(out)}</select>'

    hidden = "".join(f'<input type="hidden" name="{esc(k)}" value="{esc(v)}">' for k, v in (extra or {}).items())
    authorised = {None: "", True: "yes", False: "no"}[flt.authorised]
    fields = [
        options("outlet", outlets, flt.outlet) if outlet_field else "",
        f'<input name="reprinter" placeholder="reprinter" value="{esc(",".join(flt.reprinter))}">',
        f'<input name="platform" placeholder="platform" value="{esc(",".join(flt.platform))}" size="9">',
        options("verdict", VERDICTS, flt.verdict),
        options("status", STATUSES, flt.status),
        options("hint", HINTS, flt.hint),
        '<select name="authorised">'
        + "".join(f'<option value="{v}"{" selected" if v == authorised else ""}>{t}</option>'
                  for v, t in (("", "licensed or not"), ("yes", "authorised"), ("no", "unauthorised")))
        + "</select>",
        f'<label>from <input type="date" name="since" value="{esc(flt.since or "")}"></label>',
        f'<label>to <input type="date" name="until" value="{esc(flt.until or "")}"></label>',
        f'<input name="top" placeholder="top N" size="5" value="{esc(flt.top or "")}">',
    ]
    return (
        f'<form class="filters" method="get" action="{esc(action)}">{hidden}{"".join(fields)}'
        '<button type="submit">Filter</button> <a href="' + esc(action) + '">reset</a></form>'
    )


SERVE_STYLE = """
form.filters { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 12px 0; font-size: 13px; }
form.filters input, form.filters select, form.filters button { font: inherit; padding: 3px 6px; }
nav.site { font-size: 14px; margin-bottom: 10px; } nav.site a { margin-right: 14px; }
.pager { margin: 10px 0; font-size: 14px; } .pager a, .pager b { margin-right: 10px; }
th a { color: inherit; }
"""


class App:
    """The WSGI application. ``view`` gives the judged findings (a :class:`FindingsView`)."""

    def __init__(self, view: FindingsView, page_size: int = PAGE_SIZE, allowed_hosts: tuple[str, ...] = (),
                 quick_above: int = QUICK_ABOVE):
        self.view = view
        self.page_size = page_size
        self.quick_above = quick_above
        self.allowed_hosts = set(allowed_hosts)

    # --- plumbing -----------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        try:
            if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
                raise HTTPError(HTTPStatus.METHOD_NOT_ALLOWED, "This view is read-only: GET only.")
            host = (environ.get("HTTP_HOST") or "").lower()
            if self.allowed_hosts and host not in self.allowed_hosts:
                raise HTTPError(HTTPStatus.FORBIDDEN, "Unexpected Host header: serve answers only on 127.0.0.1.")
            status, ctype, body, extra = self.view.run(self.route, environ)
        except HTTPError as exc:
            status, ctype, extra = exc.status, "text/html; charset=utf-8", []
            body = page(f"{exc.status.value} {exc.status.phrase}",
                        f"<h1>{exc.status.value} {esc(exc.status.phrase)}</h1><p>{esc(str(exc))}</p>"
                        '<p><a href="/">All findings</a></p>', SERVE_CSP)
        except ReprintwatchError as exc:
            # exit code 3: the store or the index is unavailable or damaged — not the request's fault
            status = HTTPStatus.SERVICE_UNAVAILABLE if exc.exit_code == 3 else HTTPStatus.BAD_REQUEST
            ctype, extra = "text/html; charset=utf-8", []
            body = page(f"{status.value} {status.phrase}", f"<h1>{esc(status.phrase)}</h1><p>{esc(str(exc))}</p>"
                        '<p><a href="/">All findings</a></p>', SERVE_CSP)
        except Exception as exc:  # a bug: a 500 with the same headers as every page, one line in the log
            print(one_line(f"serve: 500 for {environ.get('PATH_INFO')!r}: {type(exc).__name__}: {exc}"),
                  file=sys.stderr)
            status, ctype, extra = HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", []
            body = page("500 Internal Server Error", "<h1>Internal server error</h1><p>This page failed; the "
                        "server's log says why.</p><p><a href=\"/\">All findings</a></p>", SERVE_CSP)
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = [
            ("Content-Type", ctype),
            ("Content-Length", str(len(data))),
            ("Content-Security-Policy", SERVE_CSP),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"),
            ("Cache-Control", "no-store"),
            *extra,
        ]
        start_response(f"{status.value} {status.phrase}", headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else data]

    def route(self, environ):
        path = environ.get("PATH_INFO") or "/"
        query = _query(environ)
        if path == "/":
            return self.findings_page(query)
        if path.startswith("/finding/"):
            return self.finding(path[len("/finding/"):], query)
        if path in ("/findings.csv", "/findings.json"):
            return self.download(path.rsplit(".", 1)[1], query)
        if path == "/coverage":
            return self.coverage(query)
        raise HTTPError(HTTPStatus.NOT_FOUND, f"No page at {path}.")

    def _html(self, title: str, body: str):
        return HTTPStatus.OK, "text/html; charset=utf-8", page(title, body, SERVE_CSP).replace(
            "</style>", SERVE_STYLE + "</style>", 1), []

    def _nav(self) -> str:
        return '<nav class="site"><a href="/">All findings</a><a href="/coverage">Coverage by outlet</a></nav>'

    def _filtered(self, query: dict):
        flt = Filter.from_mapping(query)
        items = self.view.assessments(flt)
        return flt, (apply(flt, items) if flt.top else items)

    # --- pages --------------------------------------------------------------------------------------
    def findings_page(self, query: dict):
        flt = Filter.from_mapping(query)
        sort = _one(query, "sort", "-found")
        name = sort.lstrip("-")
        if name not in SORTS:
            raise HTTPError(HTTPStatus.BAD_REQUEST, f"Unknown sort {name!r}; one of {', '.join(SORTS)}.")
        try:
            number = max(1, int(_one(query, "page", "1")))
        except ValueError:
            raise HTTPError(HTTPStatus.BAD_REQUEST, "page must be a number") from None
        params = flt.to_query()
        total = None
        if not flt.active and sort == "-found" and _one(query, "summary") != "1" and not self.view.everything_read():
            total = self.view.count()
        if total is not None and total > self.quick_above:
            # a big store's first page: only its rows are read (newest first, as the SQL orders them)
            pages = max(1, -(-total // self.page_size))
            number = min(number, pages)
            shown = self.view.newest((number - 1) * self.page_size, self.page_size)
            summary_html = (
                f'<p class="note">The summary reads all {total:,} findings (seconds at this size): '
                f'<a href="{esc(_url("/", {"summary": "1"}))}">summarise all findings</a>, or filter them.</p>')
        else:
            flt, items = self._filtered(query)
            total = len(items)
            items = sorted(items, key=SORTS[name], reverse=sort.startswith("-"))
            pages = max(1, -(-len(items) // self.page_size))
            number = min(number, pages)
            shown = items[(number - 1) * self.page_size: number * self.page_size]
            report = Report("daily", "Findings", flt.describe() or "all findings", now_utc(), items, [], {}, filter=flt,
                            _summary=self.view.summary(flt, items))
            by_reprinter = lambda key: _url("/", {"reprinter": key})  # noqa: E731 (as the report links its groups)
            summary_html = headline(report) + summary_cards(report.summary) + summary_tables(report, by_reprinter)

        def sort_link(key: str, label: str) -> str:
            new = key if sort != key else "-" + key
            arrow = " ▲" if sort == key else " ▼" if sort == "-" + key else ""
            return f'<a href="{esc(_url("/", {**params, "sort": new}))}">{esc(label)}{arrow}</a>'

        head = (
            f'<tr><th class="n">{sort_link("id", "#")}</th><th>{sort_link("status", "Status")}</th><th>Verdict</th>'
            f'<th>Copy</th><th>{sort_link("outlet", "Licensed article")}</th><th class="n">{sort_link("similarity", "Sim.")}</th>'
            f'<th class="n">{sort_link("coverage", "Cov.")}</th><th>Licence · credit</th><th>{sort_link("found", "Found")}</th></tr>'
        )
        href = lambda a: f"/finding/{a.finding.get('finding_id')}"  # noqa: E731
        rows = "".join(_finding_row(a, "daily", PAGES, href) for a in with_takedowns(self.view.store, shown))

        pager = []
        if pages > 1:
            for p in sorted({1, max(1, number - 1), number, min(pages, number + 1), pages}):
                pager.append(f"<b>{p}</b>" if p == number else f'<a href="{esc(_url("/", {**params, "sort": sort, "page": p}))}">{p}</a>')
        downloads = (
            f'<a href="{esc(_url("/findings.csv", params))}">CSV</a> · '
            f'<a href="{esc(_url("/findings.csv", {**params, "excel": "1"}))}">CSV for Excel</a> · '
            f'<a href="{esc(_url("/findings.json", params))}">JSON</a>'
        )
        outlets = self.view.outlets()
        by_outlet = " · ".join(f'<a href="{esc(_url("/coverage", {"outlet": o}))}">{esc(o)}</a>' for o in outlets)
        body = (
            self._nav()
            + f"<h1>Findings</h1><div class=\"meta\">{total:,} finding(s){' · ' + esc(flt.describe()) if flt.active else ''}"
            f" · days and times in {esc(zone_label(local_zone()))} · download {downloads}</div>"
            + filter_form(flt, "/", outlets)
            # the findings first (a team comes for them; the summary's ~900 px of cards came first before)
            + f'<div class="pager">page {number} of {pages}: {" ".join(pager)} · <a href="#summary">summary</a></div>'
            + f'<table class="t f">{_FINDINGS_HEAD}<thead>{head}</thead><tbody>{rows}</tbody></table>'
            + (f'<div class="pager">{" ".join(pager)}</div>' if pager else "")
            + '<h2 id="summary">Summary</h2>'
            + (f'<div class="meta">Coverage: {by_outlet}</div>' if by_outlet else "")
            + summary_html
        )
        return self._html("Findings", body)

    def finding(self, raw: str, query: dict):
        try:
            finding_id = int(raw)
        except ValueError:
            raise HTTPError(HTTPStatus.NOT_FOUND, "No such finding.") from None
        if not 0 < finding_id <= MAX_ROWID:  # beyond SQLite's integers: no finding (404), not a 500
            raise HTTPError(HTTPStatus.NOT_FOUND, "No such finding.")
        a = self.view.finding(finding_id)
        if a is None:
            raise HTTPError(HTTPStatus.NOT_FOUND, f"No finding {finding_id}.")
        body = finding_page(a, "/", SERVE_CSP)
        return HTTPStatus.OK, "text/html; charset=utf-8", body, []

    def download(self, fmt: str, query: dict):
        _, items = self._filtered(query)
        if fmt == "json":
            data = json_text([a.to_dict() for a in items], indent=1) + "\n"
            return HTTPStatus.OK, "application/json; charset=utf-8", data, [
                ("Content-Disposition", 'attachment; filename="findings.json"')]
        out = io.StringIO()
        write_csv(out, ((a, a.reprinter.label()) for a in items), excel=_one(query, "excel") in ("1", "yes", "true"))
        return HTTPStatus.OK, "text/csv; charset=utf-8", out.getvalue(), [
            ("Content-Disposition", 'attachment; filename="findings.csv"')]

    def coverage(self, query: dict):
        outlet = _one(query, "outlet")
        if not outlet:
            outlets = self.view.outlets()
            items = "".join(f'<li><a href="{esc(_url("/coverage", {"outlet": o}))}">{esc(o)}</a></li>' for o in outlets)
            return self._html("Coverage", self._nav() + "<h1>Coverage by outlet</h1>"
                              + (f"<ul>{items}</ul>" if items else '<p class="note">No findings yet.</p>'))
        from .coverage import build_coverage, coverage_filter

        flt = coverage_filter(outlet, Filter.from_mapping({k: v for k, v in query.items() if k != "outlet"}))
        items = self.view.assessments(replace(flt, top=None), outlet)
        if flt.top:
            items = apply(flt, items, article_key)
        report = build_coverage(items, outlet, flt, self.view.indexed(outlet))
        form = filter_form(report.filter, "/coverage", [], {"outlet": outlet}, outlet_field=False)
        href = lambda a: f"/finding/{a.finding.get('finding_id')}"  # noqa: E731
        html = render_html(report, PAGES, href, SERVE_CSP, before_tables=self._nav() + form)
        return HTTPStatus.OK, "text/html; charset=utf-8", html.replace("</style>", SERVE_STYLE + "</style>", 1), []


def make_server_for(settings: Settings, port: int = 8765, page_size: int = PAGE_SIZE,
                    open_index: Callable | None = None) -> tuple[WSGIServer, FindingsView]:
    """A server bound to 127.0.0.1:``port`` (0: any free port) over the store in ``settings``; call
    ``serve_forever()`` on it, and ``close()`` the view when done."""
    view = FindingsView.on_own_thread(settings, open_index)
    try:
        server = make_server(HOST, port, None, server_class=_ThreadingServer, handler_class=_QuietHandler)
    except BaseException:
        view.close()
        raise
    actual = server.server_address[1]
    server.set_app(App(view, page_size, (f"127.0.0.1:{actual}", f"localhost:{actual}")))
    return server, view


def serve(settings: Settings, port: int = 8765, page_size: int = PAGE_SIZE, open_index: Callable | None = None,
          ready: Callable[[str], None] | None = None) -> None:
    """Serve the store in ``settings`` on http://127.0.0.1:PORT/ until interrupted."""
    server, view = make_server_for(settings, port, page_size, open_index)
    try:
        if ready:
            ready(f"http://127.0.0.1:{server.server_address[1]}/")
        server.serve_forever()
    finally:
        server.server_close()
        view.close()


@contextlib.contextmanager
def serving(settings: Settings, page_size: int = PAGE_SIZE, open_index: Callable | None = None,
            timeout: float = 60) -> Iterator[str]:
    """Serve the store in ``settings`` on a free port of 127.0.0.1 in a thread of its own while the block
    runs (its SQLite connections stay in that thread, as under ``reprintwatch serve``); yields the base URL
    (``http://127.0.0.1:PORT``), shuts the server down on leaving. For tests, benchmarks and screenshots."""
    started: queue.Queue = queue.Queue()

    def run():
        try:
            server, view = make_server_for(settings, 0, page_size, open_index)
        except BaseException as exc:
            started.put(exc)
            raise
        started.put(server)
        try:
            server.serve_forever(poll_interval=0.1)
        finally:
            server.server_close()
            view.close()

    thread = threading.Thread(target=run, name="reprintwatch-serve", daemon=True)
    thread.start()
    server = started.get(timeout=timeout)
    if isinstance(server, BaseException):
        raise server
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=timeout)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    """``http.server.ThreadingHTTPServer`` for WSGI: a thread a connection, not waited for at exit."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        # a client that went silent (SOCKET_TIMEOUT) or away is its own business, not a traceback in the log
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class _QuietHandler(WSGIRequestHandler):
    timeout = SOCKET_TIMEOUT  # StreamRequestHandler applies it to the socket: every read and write

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass
