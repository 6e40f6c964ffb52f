"""The ingest loop: sources → fetch (threads) → extract → check → store, one transaction per page.

:class:`Runner` composes the four jobs of a run, each in its own module: discovery (sources → queued URLs,
:mod:`.discovery`), the queue (fetch threads draining ``pending``, :mod:`.queue`), recording (one
transaction a page: evidence, suspect version, findings, :mod:`.recording`) and scheduling (the loop,
intervals, stopping, check workers, :mod:`.schedule`).

Continuity: feed entries are first queued in ``pending`` (in the same transaction that records the feed);
each page is then recorded with its evidence, suspect version, findings, ``seen`` checkpoint and its removal
from ``pending`` in one transaction. A process killed at any moment therefore restarts with every page
either fully recorded or still to do; nothing is lost or doubled. An unchanged page (same bytes, or same
extracted content) is not recorded again; a changed one becomes the next version of its URL.
"""
from __future__ import annotations

import logging
from typing import Callable

from ..config import MAX_ARTICLE_BYTES
from ..detector import Detector
from ..errors import BadInput
from ..store import Store, utc_now
from .discovery import Discovery
from .fetch import Fetcher
from .local import iter_local
from .queue import Queue, hosts_taking_turns
from .recording import InOrder, Recorder, Recording, content_hash
from .schedule import Schedule, check_workers
from .shared import holder_name
from .sources import Source
from .tally import Counters, Outcome, event

# names this module held before the split, still importable from here
__all__ = ["Runner", "Counters", "Outcome", "Recording", "content_hash", "event", "hosts_taking_turns"]


class Runner:
    """One ingest run over ``sources``: discovery, queue, recording and schedule composed, sharing one store,
    one fetcher, one set of counters and one stop event."""

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
        self.jobs = max(1, jobs)
        self.lease_seconds = lease_seconds
        self.holder = holder or holder_name()
        # the four jobs of a run
        self.schedule = Schedule(self.counters, self.progress)
        self.stop_requested = self.schedule.stop_requested
        self.recorder = Recorder(store, detector, self.counters, self.progress, max_article_bytes)
        self.discovery = Discovery(store, self.fetcher, self.counters, self.stop_requested)
        self.queue = Queue(store, self.fetcher, self.recorder, self.sources, self.workers, self.stop_requested,
                           lease_seconds, self.holder)

    # --- scheduling ------------------------------------------------------------------------------------
    def request_stop(self, *_args) -> None:
        self.schedule.request_stop(*_args)

    def install_signal_handlers(self) -> Callable[[], None]:
        return self.schedule.install_signal_handlers()

    def follow(self, interval: float, cycles: int | None = None) -> Counters:
        """Run cycles every ``interval`` seconds until stopped (or ``cycles`` cycles)."""
        return self.schedule.follow(self.run_once, interval, cycles)

    def run_once(self) -> Counters:
        """One pass: refresh every source, then drain the queue (including work left by a killed run)."""
        with check_workers(self.recorder, self.detector, self.jobs):
            return self._run_once()

    def _run_once(self) -> Counters:
        leftover = len(self.store.pending())
        if leftover:
            event("resume", pending=leftover)
        refreshed = []  # sources this pass refreshed: leased until it ends, so no other process refreshes them again
        for source in self.order:
            if self.stop_requested.is_set():
                break
            lease = f"source:{source.name}"
            if self.lease_seconds and refreshed:
                self.store.renew_leases(self.holder, self.lease_seconds)  # a refresh can outlast a short lease
            if self.lease_seconds and not self.store.take_lease(lease, self.holder, self.lease_seconds):
                event("source_leased_elsewhere", source=source.name)  # another process refreshes it now
                continue
            refreshed.append(lease)
            try:
                if source.type == "feed":
                    self.discovery.refresh_feed(source)
                elif source.type == "sitemap":
                    self.discovery.refresh_sitemap(source)
                elif source.type == "listing":
                    self.discovery.refresh_listing(source)
                elif source.type == "pages":
                    self.discovery.queue_pages(source)
                else:
                    self.ingest_local(source)
            except BadInput as bad:
                self.counters.errors += 1
                self.counters.tally(source.name, False)
                event("source_error", logging.ERROR, source=source.name, where=bad.where, reason=bad.reason)
        # A source's lease is kept (renewed with the pages') until the pass ends: given back after its refresh,
        # a process reaching it later in its own walk of the sources refreshed it again — 46 refreshes of 30
        # feeds by 4 processes (bench_ingest.py, cd251c8).
        try:
            self.queue.drain()
        finally:
            for lease in refreshed if self.lease_seconds else ():
                self.store.release_lease(lease, self.holder)
        if not self.stop_requested.is_set():
            self.store.set_checkpoint("last_run_completed", utc_now())
        return self.counters

    def ingest_local(self, source: Source) -> None:
        """A local source is not queued: its files are recorded as they are read."""
        pages = InOrder(self.recorder, limit=2 * self.jobs)
        for item in iter_local(source.path, max(source.policy.max_bytes, self.max_article_bytes)):
            if self.stop_requested.is_set():
                break
            pages.add(item.url, self.recorder.local_steps(source, item))
        pages.finish()
