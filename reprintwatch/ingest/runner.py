"""The ingest loop: sources → fetch (threads) → extract → check → store, one transaction per page.

Continuity: feed entries are first queued in ``pending`` (in the same transaction that records the feed);
each page is then recorded with its evidence, suspect version, findings, ``seen`` checkpoint and its removal
from ``pending`` in one transaction. A process killed at any moment therefore restarts with every page
either fully recorded or still to do; nothing is lost or doubled. An unchanged page (same bytes, or same
extracted content) is not recorded again; a changed one becomes the next version of its URL.
"""
from __future__ import annotations

import concurrent.futures as cf
import hashlib
import logging
import signal
import threading
import time
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Generator

from ..config import MAX_ARTICLE_BYTES
from ..dates import later, parse_datetime
from ..articles import Article
from ..detector import CheckPool, CheckResult, Detector
from ..encoding import decode_page
from ..errors import BadInput
from ..store import Store, sha256_hex, utc_now
from .extract import Extracted
from .feeds import parse_feed
from .fetch import FetchError, Fetcher, FetchPolicy, FetchResult, host_key
from .local import LocalItem, iter_local
from .shared import holder_name
from ..triage.identity import served_host
from .page import extract_bytes, fetch_failed, to_article
from .sources import Source

log = logging.getLogger("reprintwatch.ingest")

#: One page being recorded: yields once (the article to check, or None), is sent the check's result, and
#: returns the page's :class:`Outcome` (see ``Runner._recording``).
Recording = Generator["Article | None", "CheckResult | None", "Outcome"]


def event(name: str, level: int = logging.INFO, **fields) -> None:
    """A structured log record: ``event`` plus fields (rendered as JSON lines or ``key=value`` text)."""
    log.log(level, name, extra={"event": name, "fields": fields})


@dataclass
class Counters:
    fetched: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    too_short: int = 0  # pages read fine whose body is too short to be an article (picture posts …)
    errors: int = 0
    skipped: int = 0
    findings: int = 0
    queued: int = 0
    # per source name: [pages or feeds that worked, that failed] — a source with only failures has failed
    by_source: dict = field(default_factory=dict)

    def tally(self, source: str, ok: bool) -> None:
        counts = self.by_source.setdefault(source, [0, 0])
        counts[0 if ok else 1] += 1

    def failed_sources(self) -> list[str]:
        """Sources that produced nothing but failures in this run."""
        return [name for name, (ok, bad) in self.by_source.items() if bad and not ok]

    def every_source_failed(self) -> bool:
        return bool(self.by_source) and len(self.failed_sources()) == len(self.by_source)


@dataclass
class Outcome:
    """What happened to one page (returned by :meth:`Runner.record`)."""

    url: str
    result: str  # new | changed | unchanged | removed | too_short | error | skipped
    suspect_id: int | None = None
    evidence_id: int | None = None
    findings: int = 0
    reason: str = ""


def content_hash(status: str, title: str, content: str, reason: str = "") -> str:
    h = hashlib.sha256()
    for part in (status, title, content, reason):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def hosts_taking_turns(queue: list[dict]) -> list[dict]:
    """The queue reordered so that hosts take turns (each host's URLs keep their order). Feeds queue a host's
    pages together, and the pages in hand (2 × workers) were then all one host's, each waiting its per-host
    delay: 120 pages on 6 hosts with a 0.5 s delay went at 1.6 pages/s, one host at a time, and a second
    process on the same store added nothing (bench/bench_ingest.py --processes)."""
    by_host: dict[str, deque] = {}
    for item in queue:
        by_host.setdefault(host_key(item["url"]), deque()).append(item)
    turns = []
    while by_host:
        for host in list(by_host):
            turns.append(by_host[host].popleft())
            if not by_host[host]:
                del by_host[host]
    return turns


class Runner:
    def __init__(
        self,
        store: Store,
        detector: Detector,
        sources: list[Source],
        fetcher: Fetcher | None = None,
        workers: int = 4,
        progress: Callable[[Counters], None] | None = None,
        max_article_bytes: int = MAX_ARTICLE_BYTES,
        jobs: int = 1,
        lease_seconds: float | None = None,
        holder: str | None = None,
    ):
        """``progress`` is called with the counters after each page (the CLI draws a status line with it).
        ``jobs``: processes that check pages (a :class:`~reprintwatch.detector.CheckPool`); pages are
        recorded exactly as with one, in the same order.

        ``lease_seconds`` (several processes on one PostgreSQL store): each source refresh and each queued URL
        is leased by this run (``holder``) before it is worked on, so no two processes fetch one URL at once;
        the page's recording transaction gives the lease back, and a killed process's leases run out after
        ``lease_seconds`` for another to take over."""
        self.store = store
        self.detector = detector
        self.sources = {s.name: s for s in sources}
        self.order = list(sources)
        self.fetcher = fetcher or Fetcher()
        self.workers = max(1, workers)
        self.progress = progress or (lambda counters: None)
        self.max_article_bytes = max_article_bytes
        self.counters = Counters()
        self.stop_requested = threading.Event()
        self.jobs = max(1, jobs)
        self._pool: CheckPool | None = None
        self.lease_seconds = lease_seconds
        self.holder = holder or holder_name()

    # --- control ---------------------------------------------------------------------------------------
    def request_stop(self, *_args) -> None:
        if self.stop_requested.is_set():
            raise KeyboardInterrupt  # second signal: stop now (the store is consistent at any moment)
        self.stop_requested.set()
        event("stop_requested", reason="signal")

    def install_signal_handlers(self) -> Callable[[], None]:
        if threading.current_thread() is not threading.main_thread():
            return lambda: None
        previous = {sig: signal.signal(sig, self.request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        return lambda: [signal.signal(sig, handler) for sig, handler in previous.items()]

    def follow(self, interval: float, cycles: int | None = None) -> Counters:
        """Run cycles every ``interval`` seconds until stopped (or ``cycles`` cycles)."""
        done = 0
        while not self.stop_requested.is_set():
            started = time.monotonic()
            self.run_once()
            done += 1
            if cycles is not None and done >= cycles:
                break
            event("cycle_done", cycle=done, **self.counters.__dict__)
            self.progress(self.counters)
            self.stop_requested.wait(max(0.0, interval - (time.monotonic() - started)))
        return self.counters

    def run_once(self) -> Counters:
        """One pass: refresh every source, then drain the queue (including work left by a killed run)."""
        # the check workers fork here, before any fetch thread exists, and stop at the end of the pass
        if CheckPool.possible(self.detector, self.jobs):
            self._pool = CheckPool(self.detector, self.jobs)
        try:
            return self._run_once()
        finally:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def _run_once(self) -> Counters:
        leftover = len(self.store.pending())
        if leftover:
            event("resume", pending=leftover)
        for source in self.order:
            if self.stop_requested.is_set():
                break
            lease = f"source:{source.name}"
            if self.lease_seconds and not self.store.take_lease(lease, self.holder, self.lease_seconds):
                event("source_leased_elsewhere", source=source.name)  # another process refreshes it now
                continue
            try:
                if source.type == "feed":
                    self.refresh_feed(source)
                elif source.type == "sitemap":
                    self.refresh_sitemap(source)
                elif source.type == "listing":
                    self.refresh_listing(source)
                elif source.type == "pages":
                    self.queue_pages(source)
                else:
                    self.ingest_local(source)
            except BadInput as bad:
                self.counters.errors += 1
                self.counters.tally(source.name, False)
                event("source_error", logging.ERROR, source=source.name, where=bad.where, reason=bad.reason)
            finally:
                if self.lease_seconds:
                    self.store.release_lease(lease, self.holder)
        self.drain()
        if not self.stop_requested.is_set():
            self.store.set_checkpoint("last_run_completed", utc_now())
        return self.counters

    # --- sources ---------------------------------------------------------------------------------------
    def refresh_feed(self, source: Source) -> None:
        seen = self.store.get_seen(source.url) or {}
        try:
            result = self.fetcher.fetch(source.url, seen.get("etag"), seen.get("last_modified"), source.policy)
        except FetchError as exc:
            self.counters.errors += 1
            self.counters.tally(source.name, False)
            event("feed_error", logging.ERROR, source=source.name, url=source.url, kind=exc.kind, reason=exc.reason)
            self.store.mark_seen(source.url, source.name, status="error", error=exc.reason)
            return
        self.counters.fetched += 1
        if result.not_modified:
            self.counters.tally(source.name, True)
            event("feed_not_modified", source=source.name, url=source.url)
            self.store.mark_seen(source.url, source.name, status="ok", error="")
            return
        body_sha = sha256_hex(result.body)
        try:
            entries = parse_feed(result.body, source.url, base_url=result.final_url)
        except BadInput as bad:
            self.counters.errors += 1
            self.counters.tally(source.name, False)
            event("feed_rejected", logging.ERROR, source=source.name, url=source.url, reason=bad.reason)
            with self.store.transaction():
                evidence_id = self.store.record_page(source.url, result.body, result.final_url, result.status,
                                                     result.fetched_at, result.content_type, result.headers)
                self.store.mark_seen(source.url, source.name, status="error", error=bad.reason,
                                     body_sha256=body_sha, etag=result.etag, last_modified=result.last_modified)
            event("evidence_kept", url=source.url, evidence_id=evidence_id)
            return
        now = time.time()
        todo = []
        for entry in entries:
            known = self.store.get_seen(entry.url)
            if known and known["status"] != "error" and not self._due(known, source, now):
                continue
            todo.append((entry.url, {"title": entry.title, "published_at": entry.published_at, "author": entry.author}))
        with self.store.transaction():  # the queue and the feed's checkpoint move together
            added = self.store.enqueue(source.name, todo, via=source.url)
            if seen.get("body_sha256") != body_sha:
                self.store.record_page(source.url, result.body, result.final_url, result.status,
                                       result.fetched_at, result.content_type, result.headers)
            self.store.mark_seen(source.url, source.name, status="ok", error="", body_sha256=body_sha,
                                 etag=result.etag, last_modified=result.last_modified)
        self.counters.queued += added
        self.counters.tally(source.name, True)
        event("feed_refreshed", source=source.name, url=source.url, entries=len(entries), queued=added)

    # --- sitemaps and listings: discovery beyond RSS -----------------------------------------------------
    def _fetch_index(self, source: Source, url: str, conditional: bool = True) -> FetchResult | None:
        """Fetch a sitemap or listing page (conditional GET); a failure is logged and tallied, not raised."""
        seen = self.store.get_seen(url) or {} if conditional else {}
        try:
            result = self.fetcher.fetch(url, seen.get("etag"), seen.get("last_modified"), source.policy)
        except FetchError as exc:
            self.counters.errors += 1
            self.counters.tally(source.name, False)
            event("index_error", logging.ERROR, source=source.name, url=url, kind=exc.kind, reason=exc.reason)
            self.store.mark_seen(url, source.name, status="error", error=f"{exc.label}: {exc.reason}")
            return None
        self.counters.fetched += 1
        return result

    def _walk(self, source: Source, todo: list, visited: set, limit: int, conditional: bool = True):
        """Fetch the URLs of ``todo`` in order (the caller may append to it), at most ``limit`` in all;
        yields ``(url, result)`` for those fetched."""
        while todo and len(visited) < limit and not self.stop_requested.is_set():
            url = todo.pop(0)
            if url in visited:
                continue
            visited.add(url)
            result = self._fetch_index(source, url, conditional)
            if result is not None:
                yield url, result

    def refresh_sitemap(self, source: Source) -> None:
        """Read the sitemap (index → child sitemaps, newest first, at most ``max_sitemaps``; a child whose
        ``lastmod`` has not moved since the last run is skipped) and queue at most ``max_urls`` pages,
        newest first, that are new or whose ``lastmod`` is later than when they were last checked."""
        from .discover import newest_first, parse_sitemap

        todo, visited, pages, checkpoints, worked = [source.url], set(), [], {}, False
        # a run that stopped at max_urls left pages behind: the next one reads every sitemap again
        more_key = f"sitemap-more:{source.name}"
        incremental = self.store.get_checkpoint(more_key) != "1"
        for url, result in self._walk(source, todo, visited, source.max_sitemaps, incremental):
            if result.not_modified:
                worked = True
                self.store.mark_seen(url, source.name, status="ok", error="")
                continue
            try:
                sitemap = parse_sitemap(result.body, url, base_url=result.final_url)
            except BadInput as bad:
                self.counters.errors += 1
                self.counters.tally(source.name, False)
                event("sitemap_rejected", logging.ERROR, source=source.name, url=url, reason=bad.reason)
                self.store.mark_seen(url, source.name, status="error", error=bad.reason)
                continue
            worked = True
            self.store.mark_seen(url, source.name, status="ok", error="", etag=result.etag,
                                 last_modified=result.last_modified)
            if sitemap.kind == "index":
                for child in newest_first(sitemap.entries):
                    before = self.store.get_checkpoint(f"sitemap-lastmod:{child.url}")
                    unchanged = incremental and child.lastmod and before and not later(child.lastmod, before)
                    if child.url in visited or unchanged:
                        continue
                    todo.append(child.url)
                    if child.lastmod:
                        checkpoints[child.url] = child.lastmod
            else:
                pages.extend(sitemap.entries)
        cutoff = time.time() - source.since if source.since else None
        chosen, truncated = [], False
        for page in newest_first(pages):
            if source.include is not None and not source.include.search(page.url):
                continue
            moment = parse_datetime(page.published_at or page.lastmod)
            if cutoff is not None and moment is not None and moment.timestamp() < cutoff:
                continue
            known = self.store.get_seen(page.url)
            if known and known["status"] != "error" and not later(page.lastmod, known.get("last_checked")):
                continue
            if len(chosen) >= source.max_urls:
                truncated = True
                break
            chosen.append((page.url, {"title": page.title, "published_at": page.published_at}))
        truncated = truncated or bool(todo)  # child sitemaps left unread (max_sitemaps)
        with self.store.transaction():  # the queue and the child sitemaps' lastmod move together
            added = self.store.enqueue(source.name, chosen, via=source.url)
            if not truncated:
                for url, lastmod in checkpoints.items():
                    if url in visited:
                        self.store.set_checkpoint(f"sitemap-lastmod:{url}", lastmod)
            self.store.set_checkpoint(more_key, "1" if truncated else "0")
        self.counters.queued += added
        if worked:
            self.counters.tally(source.name, True)
        event("sitemap_refreshed", source=source.name, url=source.url, sitemaps=len(visited), pages=len(pages),
              queued=added)

    def refresh_listing(self, source: Source) -> None:
        """Read the channel page and up to ``max_pages - 1`` next pages; queue unseen article links
        (at most ``max_urls``)."""
        from .discover import parse_listing

        todo, visited, chosen = [source.url], set(), []
        for _url, result in self._walk(source, todo, visited, source.max_pages, conditional=False):
            articles, next_pages = parse_listing(result.text(), result.final_url, source.links, source.next_page)
            self.counters.tally(source.name, True)
            for found in articles:
                known = self.store.get_seen(found.url)
                if known and known["status"] != "error":
                    continue
                if len(chosen) < source.max_urls and found.url not in (u for u, _ in chosen):
                    chosen.append((found.url, {"title": found.title}))
            todo.extend(p for p in next_pages if p not in visited and p not in todo)
        added = self.store.enqueue(source.name, chosen, via=source.url)
        self.counters.queued += added
        event("listing_refreshed", source=source.name, url=source.url, pages=len(visited), queued=added)

    @staticmethod
    def _due(known: dict, source: Source, now: float) -> bool:
        if not source.recheck:
            return False
        last = parse_datetime(known.get("last_checked"))
        return last is None or now - last.timestamp() >= source.recheck

    def queue_pages(self, source: Source) -> None:
        added = self.store.enqueue(source.name, [(url, {}) for url in source.urls], via="pages")
        self.counters.queued += added

    def ingest_local(self, source: Source) -> None:
        pages = _InOrder(self, limit=2 * self.jobs)
        for item in iter_local(source.path, max(source.policy.max_bytes, self.max_article_bytes)):
            if self.stop_requested.is_set():
                break
            pages.add(item.url, self._local_steps(source, item))
        pages.finish()

    # --- the queue -------------------------------------------------------------------------------------
    def drain(self) -> None:
        """Fetch queued URLs concurrently (the fetcher enforces per-host limits); record them in order.

        With leases, URLs another process holds are left to it; while some are, the queue is read again
        every second — they get recorded there, or their lease runs out and this run takes them over."""
        queue, handled = self.store.pending(), set()
        while queue:
            self._drain(hosts_taking_turns(queue), handled)
            if not self.lease_seconds or self.stop_requested.is_set():
                return
            queue = [i for i in self.store.pending() if i["url"] not in handled and i["source"] in self.sources]
            if queue:
                event("waiting_for_leases", pending=len(queue), held_elsewhere=self.store.leases_elsewhere(self.holder))
                self.stop_requested.wait(1.0)

    def _drain(self, queue: list[dict], handled: set) -> None:
        with cf.ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="fetch") as pool:
            waiting: dict[cf.Future, dict] = {}
            # pages in hand — fetching, or fetched and being checked — stay within 2 × workers, as before
            # there were checks on other processes: a killed run fetches at most that many pages again
            pages = _InOrder(self, limit=self.workers * 2)
            items = iter(queue)
            exhausted = False
            renewed = time.monotonic()
            while True:
                if self.lease_seconds and time.monotonic() - renewed > self.lease_seconds / 4:
                    # URLs in hand may wait for their host's turn longer than a lease: keep them while alive
                    self.store.renew_leases(self.holder, self.lease_seconds)
                    renewed = time.monotonic()
                while (not exhausted and not self.stop_requested.is_set()
                       and len(waiting) + len(pages) < self.workers * 2):
                    item = next(items, None)
                    if item is None:
                        exhausted = True
                        break
                    source = self.sources.get(item["source"])
                    if source is None:  # the source was removed from the file; keep the entry for later
                        event("pending_orphan", logging.WARNING, url=item["url"], source=item["source"])
                        continue
                    if self.lease_seconds and not self.store.take_lease(item["url"], self.holder, self.lease_seconds,
                                                                        queued=True):
                        continue  # in hand elsewhere, or recorded there since the queue was read
                    handled.add(item["url"])
                    seen = self.store.get_seen(item["url"]) or {}
                    waiting[pool.submit(self._fetch, item["url"], seen, source.policy)] = item
                if not waiting and not len(pages):
                    break
                finished, _ = cf.wait(list(waiting) + pages.checking(), timeout=0.5, return_when=cf.FIRST_COMPLETED)
                for future in finished:
                    if future not in waiting:
                        continue  # a check: recorded below, in order
                    item = waiting.pop(future)
                    fetched, error = future.result()
                    pages.add(item["url"], self._fetched_steps(self.sources[item["source"]], item["url"], fetched,
                                                               error, item.get("hint") or {}))
                pages.record_ready()
            pages.finish()

    def _fetch(self, url: str, seen: dict, policy: FetchPolicy):
        try:
            return self.fetcher.fetch(url, seen.get("etag"), seen.get("last_modified"), policy), None
        except FetchError as exc:
            return None, exc
        except Exception as exc:  # a bug or an odd server must not stop the run; the page is recorded as an error
            log.exception("fetch_failed", extra={"event": "fetch_failed", "fields": {"url": url}})
            return None, FetchError(url, "internal", f"{type(exc).__name__}: {exc}")

    # --- recording -------------------------------------------------------------------------------------
    #
    # A recording (``_fetched_steps``, ``_local_steps``) is a generator: it reads and extracts its page, then
    # stops once — yielding the article to check, or None — before its first write, and is resumed with the
    # check's result (``_InOrder``). With several jobs the checks of the pages in hand run on the worker
    # processes meanwhile, and pages are still written one by one in the order they came: what is recorded
    # is the same as with one job.

    def record_fetched(self, source: Source, url: str, result: FetchResult | None, error: FetchError | None,
                       hint: dict | None = None) -> Outcome:
        return _InOrder(self, limit=0).run(url, self._fetched_steps(source, url, result, error, hint))

    def record_local(self, source: Source, item: LocalItem) -> Outcome:
        return _InOrder(self, limit=0).run(item.url, self._local_steps(source, item))

    def _fetched_steps(self, source: Source, url: str, result: FetchResult | None, error: FetchError | None,
                       hint: dict | None = None) -> Recording:
        hint = hint or {}
        platform = "feed" if source.type == "feed" else "web"
        seen = self.store.get_seen(url) or {}
        if error is not None and error.kind == "robots":
            self.counters.skipped += 1
            self.counters.tally(source.name, False)
            yield None
            with self.store.transaction():
                self.store.mark_seen(url, source.name, status="skipped", error=error.reason)
                self.store.dequeue(url)
            event("skipped", url=url, source=source.name, reason=error.reason)
            return Outcome(url, "skipped", reason=error.reason)
        if result is not None:
            self.counters.fetched += 1
            if result.not_modified:
                yield None
                return self._unchanged(source, url, seen, result, "not modified (304)")
            if seen.get("body_sha256") == sha256_hex(result.body) and seen.get("status") != "error":
                yield None
                return self._unchanged(source, url, seen, result, "same bytes")
            extracted = extract_bytes(result.body, result.content_type, result.final_url)
            response = result
        else:
            response = error.result
            if response is not None:
                self.counters.fetched += 1
            extracted = fetch_failed(url, error)
        if extracted.platform == "wechat":
            platform = "wechat"
        return (yield from self._recording(source, url, platform, extracted, response, seen, hint))

    def _local_steps(self, source: Source, item: LocalItem) -> Recording:
        seen = self.store.get_seen(item.url) or {}
        if item.kind == "bad":
            extracted = Extracted("local", "error", reason=item.bad.reason)
            event("bad_input", logging.WARNING, source=source.name, where=item.bad.where, reason=item.bad.reason)
            return (yield from self._recording(source, item.url, "local", extracted, None, seen, {}))
        if seen.get("body_sha256") == sha256_hex(item.body) and seen.get("status") != "error":
            yield None
            self.counters.unchanged += 1
            self.counters.tally(source.name, True)
            self.store.mark_seen(item.url, source.name)
            return Outcome(item.url, "unchanged")
        if item.kind == "article":
            a = item.article
            extracted = Extracted("local", "ok", content=a.content, title=a.title, published_at=a.published_at,
                                  account=a.outlet, canonical_url=a.url)
        elif item.kind == "text":
            text = decode_page(item.body, item.content_type).strip()
            extracted = Extracted("local", "ok" if text else "error", content=text, title=item.title,
                                  reason="" if text else "empty file")
        elif item.status is not None and item.status >= 400:
            extracted = Extracted("local", "error", reason=f"HTTP {item.status} in the archive")
        else:
            extracted = extract_bytes(item.body, item.content_type, item.final_url or item.url)
        response = FetchResult(item.url, item.final_url or item.url, item.status or 0, {"content-type": item.content_type},
                               item.body, item.fetched_at or utc_now())
        return (yield from self._recording(source, item.url, "wechat" if extracted.platform == "wechat" else "local",
                                           extracted, response, seen, {}, local=True))

    def _unchanged(self, source: Source, url: str, seen: dict, result: FetchResult, why: str) -> Outcome:
        self.counters.unchanged += 1
        self.counters.tally(source.name, True)
        with self.store.transaction():
            fields = {"status": seen.get("status") or "ok"}
            if result.etag:
                fields["etag"] = result.etag
            if result.last_modified:
                fields["last_modified"] = result.last_modified
            self.store.mark_seen(url, source.name, **fields)
            self.store.dequeue(url)
        event("unchanged", url=url, source=source.name, why=why)
        return Outcome(url, "unchanged", reason=why)

    def _same_content(self, url: str, source: Source, response, body_sha: str | None, status: str) -> Outcome:
        """The page holds what was recorded last time: refresh its checkpoint, record no version."""
        self.counters.unchanged += 1
        with self.store.transaction():
            fields = {"body_sha256": body_sha} if body_sha else {}
            if response is not None and response.etag:
                fields["etag"] = response.etag
            if response is not None and response.last_modified:
                fields["last_modified"] = response.last_modified
            self.store.mark_seen(url, source.name, **fields)
            self.store.dequeue(url)
        event("unchanged", url=url, source=source.name, why="same content", status=status)
        return Outcome(url, "unchanged")
    def _recording(self, source: Source, url: str, platform: str, extracted: Extracted, response: FetchResult | None,
                   seen: dict, hint: dict, local: bool = False) -> Recording:
        status = extracted.status
        title = extracted.title or hint.get("title") or ""
        matches = []
        error = extracted.reason if status != "ok" else ""
        article = None
        if status == "ok":
            try:
                article = to_article(extracted, response.final_url if response else url, art_id=url, hint=hint,
                                     max_bytes=self.max_article_bytes)
            except BadInput as bad:
                status, error = "error", bad.reason
        checked = yield article  # the one stop of a recording, before it writes (see above)
        if checked is not None:
            matches = checked.reprints
        digest = content_hash(status, title if status != "error" else "", extracted.content if status == "ok" else "",
                              error if status == "removed" else (error.split(":")[0] if status == "error" else ""))
        body_sha = sha256_hex(response.body) if response is not None else None
        self.counters.tally(source.name, status != "error")
        if seen.get("content_hash") == digest:
            return self._same_content(url, source, response, body_sha, status)
        now = utc_now()
        final_url = response.final_url if response is not None else url
        began = time.perf_counter()
        with self.store.transaction():
            # Read again under the write lock: another run may have recorded this very content since ``seen``
            # was read (two runs on one store fetching one page), and it must not become a second version.
            if (self.store.get_seen(url) or {}).get("content_hash") == digest:
                return self._same_content(url, source, response, body_sha, status)
            # numbered inside the write transaction: another run recording this URL cannot take it too
            version = self.store.next_version(url)
            evidence_id = None
            if response is not None and (response.body or response.status):
                evidence_id = self.store.record_page(url, response.body, final_url, response.status or None,
                                                     response.fetched_at, response.content_type, response.headers)
            suspect_id = self.store.record_suspect(
                url=url, platform=platform, content_hash=digest, version=version, status=status, source=source.name,
                site=served_host(final_url), account=extracted.account, canonical_url=extracted.canonical_url,
                biz=extracted.biz,
                title=title, author=extracted.author or hint.get("author") or "",
                published_at=extracted.published_at or hint.get("published_at"),
                content=extracted.content if status == "ok" else "", original_flag=extracted.original_flag,
                source_link=extracted.source_link, evidence_id=evidence_id, checked_at=now, error=error,
            )
            finding_ids = self.store.record_findings(suspect_id, matches, created_at=now) if matches else []
            fields = dict(source=source.name, content_hash=digest, version=version, status=status, error=error,
                          last_changed=now)
            if body_sha:
                fields["body_sha256"] = body_sha
            if response is not None and not local:
                fields["etag"] = response.etag
                fields["last_modified"] = response.last_modified
            self.store.mark_seen(url, **fields)
            self.store.dequeue(url)
        store_ms = (time.perf_counter() - began) * 1000  # the page's transaction, waiting for the write lock included
        kind = {"ok": "new" if version == 1 else "changed", "removed": "removed", "error": "error",
                "too_short": "too_short"}[status]
        counter = "errors" if kind == "error" else kind
        setattr(self.counters, counter, getattr(self.counters, counter) + 1)
        self.counters.findings += len(finding_ids)
        event(
            "recorded", logging.WARNING if status == "error" else logging.INFO,
            url=url, source=source.name, result=kind, platform=platform, version=version, status=status,
            suspect_id=suspect_id, evidence_id=evidence_id, findings=len(finding_ids), reason=error,
            verdicts=[m.verdict for m in matches], store_ms=round(store_ms, 2),
        )
        return Outcome(url, kind, suspect_id, evidence_id, len(finding_ids), error)


class _InOrder:
    """Pages in hand, recorded in the order they came: each recording is started (read, extracted) when it
    is added, its check submitted to the runner's worker processes (checked here when there are none), and
    it is written once every page before it is written and its own check is back. At most ``limit`` pages
    wait; one URL twice waits for the first to be written (the second must see what it wrote)."""

    def __init__(self, runner: Runner, limit: int):
        self.runner = runner
        self.limit = limit
        self.queue: deque = deque()  # (url, recording, article or None, future or None)

    def __len__(self) -> int:
        return len(self.queue)

    def run(self, url: str, recording: Recording) -> Outcome:
        """Record one page now."""
        return (self.add(url, recording) + self.finish())[-1]

    def add(self, url: str, recording: Recording) -> list[Outcome]:
        """Start a page; returns the outcomes of the pages this recorded meanwhile (in order)."""
        done = self.finish() if any(u == url for u, _, _, _ in self.queue) else []
        try:
            article = next(recording)
        except StopIteration as stopped:  # every path stops once; one that does not has nothing to check
            self.queue.append((url, None, stopped.value, None))
            return done
        pool = self.runner._pool
        future = pool.submit([article]) if pool is not None and article is not None else None
        self.queue.append((url, recording, article, future))
        done += self.record_ready()
        while len(self.queue) > self.limit:
            done.append(self._record_first())
        return done

    def checking(self) -> list:
        return [f for _, _, _, f in self.queue if f is not None]

    def record_ready(self) -> list[Outcome]:
        done = []
        while self.queue and (self.queue[0][3] is None or self.queue[0][3].done()):
            done.append(self._record_first())
        return done

    def finish(self) -> list[Outcome]:
        done = []
        while self.queue:
            done.append(self._record_first())
        return done

    def _record_first(self) -> Outcome:
        url, recording, article, future = self.queue.popleft()
        if recording is None:
            outcome = article  # finished when it was added
        else:
            try:
                outcome = recording.send(None if article is None else self._check(article, future))
            except StopIteration as done:
                outcome = done.value
            else:
                raise RuntimeError(f"{url}: a recording stops once")
        self.runner.progress(self.runner.counters)
        return outcome

    def _check(self, article: Article, future) -> CheckResult:
        if future is not None:
            try:
                return future.result()[0]
            except BrokenProcessPool as exc:  # a worker was killed (out of memory …): check here from now on
                if self.runner._pool is not None:
                    event("check_workers_lost", logging.ERROR, reason=str(exc))
                    self.runner._pool = None
        return self.runner.detector.check(article)
