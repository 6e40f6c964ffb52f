"""Politeness across every ingest process on one PostgreSQL store (StormCrawler's idea: the crawl state, per
host limits included, lives in the shared engine, not in one worker).

:class:`SharedHostLimiter` is the fetcher's :class:`~reprintwatch.ingest.fetch.HostLimiter` kept in the store,
for every process:

* **concurrency**: a request to a host first takes one of the host's ``concurrency`` slots, a lease
  (``host:<scheme://netloc>#<i>``) good for one fetch's deadline plus a margin; it is given back when the
  request ends, and a killed process's slot runs out by itself;
* **delay**: it then claims the host's start (``host_starts``): only when ``delay`` has passed since the
  previous request to it by any process went out, on the database server's clock, and no ``Retry-After``
  holds the host; else it sleeps the time left and asks again. A claim holds the host until the request is on
  the wire (:meth:`sent`, called by the fetcher once the request is written), and the delay is counted from
  then: counted from the claim, a thread that sent late (a check holding the GIL, a loaded machine) was
  followed too closely by the next process's request — 0.459 s apart at the servers with a 0.5 s delay
  (bench_ingest.py, 4 processes, 6c3050b).
* **Retry-After**: a 429/503 asking for quiet holds the host for every process (:meth:`hold`); the
  fetcher's one retry policy decides what it asks for and caps it.

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
from .fetch import Fetcher, FetchPolicy, HostLimiter

# how often a request waiting for a host slot held elsewhere asks again (a page fetch lasts ~0.1–10 s)
POLL_SECONDS = 0.05


def holder_name() -> str:
    """Who holds a lease: this machine and process, and a nonce (a restarted process with the same pid is
    someone else)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def fetcher_for(db: Store, location, policy: FetchPolicy, lease_seconds: float,
                stack) -> tuple[Fetcher, str | None, float | None]:
    """The fetcher of a command working on store ``db`` (at ``location``) — ``ingest run``, ``recheck`` — and
    who it leases work as: on PostgreSQL, ``(a fetcher polite for every process, this process's holder name,
    lease_seconds)``; on SQLite, ``(this process's fetcher, None, None)``: one machine, nothing to lease.
    ``stack`` (an ExitStack) closes the limiter's connection."""
    if db.engine != "postgresql":
        return Fetcher(policy), None, None
    holder = holder_name()
    limiter = SharedHostLimiter(location, holder, lease_seconds)
    stack.callback(limiter.close)
    return Fetcher(policy, limiter=limiter), holder, lease_seconds


class SharedHostLimiter(HostLimiter):
    def __init__(self, location, holder: str, slot_seconds: float):
        super().__init__()
        self.store = Store(location, create=False)
        self.holder = holder
        self.slot_seconds = slot_seconds
        self._db = threading.Lock()
        self._held = threading.local()

    def acquire(self, host: str, concurrency: int, delay: float) -> None:
        self.take_slot(host, concurrency)  # this process's threads; the gap is kept below, for everyone
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
            self.turn(host, delay)
        except BaseException:
            super().release(host)
            raise

    def turn(self, host: str, delay: float) -> None:
        while True:
            with self._db:
                wait, token = self.store.claim_start(host, self.slot_seconds)
            if token is not None:
                self._held.start = token
                return
            # a claim in flight holds the host for a whole lease: its send confirms it within moments, so
            # a waiter asks again after the delay rather than sleeping the hold out
            time.sleep(min(wait, max(delay, POLL_SECONDS)))

    def sent(self, host: str, delay: float) -> None:
        token, self._held.start = getattr(self._held, "start", None), None
        if token is not None:
            with self._db:
                self.store.start_sent(host, token, delay)

    def hold(self, host: str, seconds: float) -> None:
        with self._db:  # the store's row is the one every thread of every process waits for
            self.store.hold_host(host, seconds)

    def release(self, host: str) -> None:
        try:
            slot, me = self._held.slot
            with self._db:
                self.store.release_lease(slot, me)
        finally:
            super().release(host)

    def close(self) -> None:
        self.store.close()
