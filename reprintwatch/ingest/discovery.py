"""Discovery: sources → queued URLs. Refreshes a feed, a sitemap or a listing (conditional GETs, bounded,
incremental by ``lastmod``) or takes a source's page list, and queues in ``pending`` the pages due to be read,
in the same transaction that records the feed or the sitemaps' checkpoints.

Reading a sitemap or a listing page is :mod:`reprintwatch.ingest.discover`'s (pure); fetching, bounding and
remembering is here.
"""
from __future__ import annotations

import logging
import threading
import time

from ..dates import later, parse_datetime
from ..errors import BadInput
from ..store import Store, sha256_hex
from .feeds import parse_feed
from .fetch import FetchError, Fetcher, FetchResult
from .sources import Source
from .tally import Counters, event


class Discovery:
    """Turns sources into queued URLs, counting what it fetched and queued in ``counters``; stops walking
    sitemaps and listings once ``stop_requested`` is set."""

    def __init__(self, store: Store, fetcher: Fetcher, counters: Counters, stop_requested: threading.Event):
        self.store = store
        self.fetcher = fetcher
        self.counters = counters
        self.stop_requested = stop_requested

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
