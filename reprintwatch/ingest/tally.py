"""What an ingest run reports: structured log events, the run's counters, and what happened to one page.

Shared by discovery, the queue, recording and the scheduling loop; it holds no state of its own.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

log = logging.getLogger("reprintwatch.ingest")


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
    """What happened to one page (returned by :meth:`Recorder.record_fetched` and :meth:`Recorder.record_local`)."""

    url: str
    result: str  # new | changed | unchanged | removed | too_short | error | skipped
    suspect_id: int | None = None
    evidence_id: int | None = None
    findings: int = 0
    reason: str = ""

