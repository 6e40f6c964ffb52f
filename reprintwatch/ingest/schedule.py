"""Scheduling: when passes run and when they stop. Passes repeat every ``interval`` seconds until a stop is
asked for (SIGINT/SIGTERM: the first stops after the page in hand, a second at once); the check workers are
started for a pass and stopped at its end.
"""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from ..detector import CheckPool, Detector
from .recording import Recorder
from .tally import Counters, event


class Schedule:
    """The loop of passes, and the one ``stop_requested`` event every part of a run watches."""

    def __init__(self, counters: Counters, progress: Callable[[Counters], None]):
        self.counters = counters
        self.progress = progress
        self.stop_requested = threading.Event()

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

    def follow(self, run_once: Callable[[], Counters], interval: float, cycles: int | None = None) -> Counters:
        """Call ``run_once`` every ``interval`` seconds until stopped (or ``cycles`` cycles)."""
        done = 0
        while not self.stop_requested.is_set():
            started = time.monotonic()
            run_once()
            done += 1
            if cycles is not None and done >= cycles:
                break
            event("cycle_done", cycle=done, **self.counters.__dict__)
            self.progress(self.counters)
            self.stop_requested.wait(max(0.0, interval - (time.monotonic() - started)))
        return self.counters


@contextmanager
def check_workers(recorder: Recorder, detector: Detector, jobs: int) -> Iterator[None]:
    """``jobs`` processes check the pages ``recorder`` writes while the block runs (when the detector can be
    checked on others). They fork here, before any fetch thread exists, and stop when the block ends."""
    if CheckPool.possible(detector, jobs):
        recorder.pool = CheckPool(detector, jobs)
    try:
        yield
    finally:
        if recorder.pool is not None:
            recorder.pool.close()
            recorder.pool = None
