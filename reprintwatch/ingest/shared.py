"""Politeness across every ingest process on one PostgreSQL store (StormCrawler's idea: the crawl state, per
host limits included, lives in the shared engine, not in one worker).

:class:`SharedHostLimiter` is the fetcher's :class:`~reprintwatch.ingest.fetch.HostLimiter` with two more
steps, both in the store:

* **concurrency**: a request to a host first takes one of the host's ``concurrency`` slots, a lease
  (``host:<scheme://netloc>#<i>``) good for one fetch's deadline plus a margin; it is given back when the
  request ends, and a killed process's slot runs out by itself;
* **delay**: it then claims the host's start (``host_starts``): only when ``delay`` has passed since the
  previous start by any process, on the database server's clock; else it sleeps the time left and asks again.
  Claimed when sending rather than reserved ahead, because a fetch thread woken late (a check holding the
  GIL) sends late, and a reservation made before would let the next request follow it too closely — the
  servers of tests/test_ingest_shared.py saw a 0.15 s gap with a 0.3 s delay that way.

Threads of one process still share the in-process semaphore first, so a process never asks the store for
more slots than it may use. It talks to the store over a connection of its own (the fetch threads run beside
the thread that records pages), one statement at a time behind a lock.
"""
from __future__ import annotations

import os
import socket
import threading
import time
import uuid

from ..store import Store
from .fetch import HostLimiter

# how often a request waiting for a host slot held elsewhere asks again (a page fetch lasts ~0.1–10 s)
POLL_SECONDS = 0.05


def holder_name() -> str:
    """Who holds a lease: this machine and process, and a nonce (a restarted process with the same pid is
    someone else)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class SharedHostLimiter(HostLimiter):
    def __init__(self, location, holder: str, slot_seconds: float):
        super().__init__()
        self.store = Store(location, create=False)
        self.holder = holder
        self.slot_seconds = slot_seconds
        self._db = threading.Lock()
        self._held = threading.local()

    def acquire(self, host: str, concurrency: int, delay: float) -> None:
        super().acquire(host, concurrency, 0.0)  # this process's threads; the gap is kept below, for everyone
        try:
            me = f"{self.holder}/{threading.get_ident()}"
            slot = None
            while slot is None:
                for i in range(max(1, concurrency)):
                    with self._db:
                        if self.store.take_lease(f"host:{host}#{i}", me, self.slot_seconds):
                            slot = f"host:{host}#{i}"
                            break
                else:
                    time.sleep(POLL_SECONDS)
            self._held.slot = (slot, me)
            while True:
                with self._db:
                    wait = self.store.claim_start(host, delay)
                if wait <= 0:
                    break
                time.sleep(wait)
        except BaseException:
            super().release(host)
            raise

    def release(self, host: str) -> None:
        try:
            slot, me = self._held.slot
            with self._db:
                self.store.release_lease(slot, me)
        finally:
            super().release(host)

    def close(self) -> None:
        self.store.close()
