"""The queue: URLs waiting in ``pending`` are fetched by worker threads, hosts taking turns (the fetcher
enforces per-host limits), and handed to recording in the order they came. With leases (several processes on
one store) a URL is leased before it is fetched, and URLs another process holds are left to it.
"""
from __future__ import annotations

import concurrent.futures as cf
import logging
import threading
import time
from collections import deque

from ..store import Store
from .fetch import FetchError, Fetcher, FetchPolicy, host_key
from .recording import InOrder, Recorder
from .sources import Source
from .tally import event, log


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


class Queue:
    """Drains ``pending``: ``workers`` fetch threads, at most 2 × ``workers`` pages in hand, recorded by
    ``recorder``; ``sources`` by name (an entry of a source no longer known is left queued)."""

    def __init__(self, store: Store, fetcher: Fetcher, recorder: Recorder, sources: dict[str, Source],
                 workers: int, stop_requested: threading.Event, lease_seconds: float | None, holder: str):
        self.store = store
        self.fetcher = fetcher
        self.recorder = recorder
        self.sources = sources
        self.workers = workers
        self.stop_requested = stop_requested
        self.lease_seconds = lease_seconds
        self.holder = holder

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
            pages = InOrder(self.recorder, limit=self.workers * 2)
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
                # fetches that finished together are taken in the order they were queued: ``finished`` is a
                # set, whose order follows the futures' addresses (on a loaded machine `ingest run --workers 1`
                # recorded a run's two findings in either order: the docs' ingest example failed in CI once)
                for future in [f for f in waiting if f in finished]:  # (checks in ``finished`` are recorded below)
                    item = waiting.pop(future)
                    fetched, error = future.result()
                    pages.add(item["url"], self.recorder.fetched_steps(self.sources[item["source"]], item["url"], fetched,
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
