"""``recheck``: fetch the URLs of open findings again and record what became of each copy.

Fetching and reading a page are ingestion's one page path (:func:`reprintwatch.ingest.page.fetch_page`:
the :class:`~reprintwatch.ingest.fetch.Fetcher` — http(s) only, robots.txt, per-host delay and
concurrency, retries, size and time limits — then the extractor, which recognises WeChat's and
aggregators' removal notices, :mod:`reprintwatch.ingest.notices`). Every response is kept as evidence
(a 404 body too); each URL's states are then written in one transaction, so a run killed at any point
loses at most the URL it was fetching.

Resumable like ingestion: a run notes its id in the ``recheck`` checkpoint and its end when done, and every
status it records carries the run id; a run that finds the previous one unfinished takes over its id and
skips the findings that one already re-checked.

Shared like ingestion (PostgreSQL: ``recheck`` on several machines, one store): processes started while a run
is unfinished join it, and each URL is checked under a lease (``recheck:<url>``, the ingest lease machinery:
holder, expiry on the server's clock), so no URL is checked twice at once nor twice in a run; a URL leased
elsewhere is left for later, then skipped once that process recorded it, or taken over when its lease ran
out (a killed machine). Per-host politeness is every process's (:mod:`reprintwatch.ingest.shared`).

"Open" findings are the infringing ones (``unauthorised`` after the licence and first-publication
checks) whose copy is not known to be removed.
"""
from __future__ import annotations

import datetime as _dt
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Sequence
from urllib.parse import urlsplit

from ..ingest.fetch import Fetcher
from ..ingest.page import fetch_page
from ..triage.assess import UNAUTHORISED, triage_of
from ..store import sha256_hex, utc_now
from .rules import CHANGED, REMOVED_STATES, classify, passages_still_there

CHECKPOINT = "recheck"
# how often a process with nothing left but URLs leased elsewhere asks again (a URL's check lasts ~0.1–10 s)
LEASED_POLL_SECONDS = 0.5


@dataclass
class RecheckResult:
    urls: int = 0
    checked: int = 0
    resumed_skipped: int = 0
    elsewhere: int = 0  # checked in this run by another process (a shared store)
    not_web: int = 0  # local files, archive records: nothing to fetch
    states: dict = field(default_factory=lambda: defaultdict(int))
    changes: list[dict] = field(default_factory=list)  # findings whose state changed in this run

    def line(self) -> str:
        states = ", ".join(f"{n} {s}" for s, n in sorted(self.states.items())) or "nothing checked"
        skipped = f"; {self.resumed_skipped} already checked by the interrupted run" if self.resumed_skipped else ""
        if self.elsewhere:
            skipped += f"; {self.elsewhere} checked by another process"
        if self.not_web:
            skipped += f"; {self.not_web} not on the web (local files), not checked"
        return f"recheck: {self.checked} of {self.urls} URL(s) checked: {states}; {len(self.changes)} state change(s){skipped}"


def open_findings(store, licences, finding_ids: Sequence[int] | None = None) -> list:
    """Infringing findings whose copy is not known to be removed (all of ``finding_ids`` when given)."""
    if finding_ids:
        findings = [f for f in (store.get_finding(i) for i in finding_ids) if f is not None]
    else:
        # the triage kept in the store, as the reports read it (judged here only when new or stale)
        rows = store.list_findings()
        infringing = {a.finding["finding_id"] for a in triage_of(store, rows, licences) if a.status == UNAUTHORISED}
        findings = [f for f in rows if f.finding_id in infringing]
    latest = store.latest_states([f.get("finding_id") for f in findings])
    if finding_ids:
        return findings
    return [f for f in findings if latest.get(f.get("finding_id")) not in REMOVED_STATES]


def describe(state: str, ex, http_status, kept: tuple[int, int] | None) -> str:
    if ex.fetch_error:
        return ex.reason
    if ex.status == "removed":
        return f"notice: {ex.reason}"
    if state == CHANGED:
        if ex.status != "ok":
            return f"page changed: {ex.reason}"
        if kept:
            return f"page changed; {kept[0]} of {kept[1]} copied passages still there"
        return "page changed"
    return f"HTTP {http_status}"


def recheck(
    store,
    licences,
    fetcher: Fetcher,
    finding_ids: Sequence[int] | None = None,
    restart: bool = False,
    progress: Callable[[str], None] | None = None,
    policies: dict | None = None,
    holder: str | None = None,
    lease_seconds: float | None = None,
) -> RecheckResult:
    """Re-check the open findings (or ``finding_ids``); returns what happened. ``policies`` maps an ingest
    source's name to its fetch policy (the copy is fetched as politely as the source that found it; the
    per-host delay and concurrency are shared by all). ``holder`` and ``lease_seconds`` (a shared store, see
    :func:`reprintwatch.ingest.shared.fetcher_for`): lease each URL while checking it."""
    fetchers = {}
    for name, policy in (policies or {}).items():
        fetchers[name] = Fetcher(policy)
        fetchers[name].limiter = fetcher.limiter  # one politeness budget per host, whatever the source
    with store.transaction():  # read and started under the write lock: processes starting at once join one run
        state = json.loads(store.get_checkpoint(CHECKPOINT) or "{}")
        if state.get("run") and not state.get("finished_at") and not restart:
            run = state["run"]  # resume the interrupted run (or join the one running elsewhere)
        else:
            run = _dt.datetime.now(_dt.timezone.utc).isoformat()  # microseconds: two runs never share an id
            store.set_checkpoint(CHECKPOINT, json.dumps({"run": run, "finished_at": None}))
    findings = open_findings(store, licences, finding_ids)
    by_url: dict[str, list] = defaultdict(list)
    for f in findings:
        by_url[f.get("url")].append(f)
    result = RecheckResult(urls=len(by_url))
    last_runs = store.last_runs([f.get("finding_id") for f in findings])
    todo = []
    for url, group in by_url.items():
        if urlsplit(url or "").scheme.lower() not in ("http", "https"):
            result.not_web += 1
        elif all(last_runs.get(f.get("finding_id")) == run for f in group):
            result.resumed_skipped += 1
        else:
            todo.append((url, group))
    while todo:
        leased_elsewhere = []
        for url, group in todo:
            lease = f"recheck:{url}"
            if lease_seconds and not store.take_lease(lease, holder, lease_seconds):
                leased_elsewhere.append((url, group))
                continue
            try:
                if lease_seconds and _checked_in(store, group, run):  # recorded elsewhere since we read it
                    result.elsewhere += 1
                    continue
                _check(store, url, group, run, fetchers.get(group[0].get("source"), fetcher), result, progress)
            finally:
                if lease_seconds:
                    store.release_lease(lease, holder)
        todo = leased_elsewhere
        if todo:  # only URLs another process is checking: until it records them, or its lease runs out
            time.sleep(LEASED_POLL_SECONDS)
    store.set_checkpoint(CHECKPOINT, json.dumps({"run": run, "finished_at": utc_now()}))
    return result


def _checked_in(store, group, run: str) -> bool:
    runs = store.last_runs([f.get("finding_id") for f in group])
    return all(runs.get(f.get("finding_id")) == run for f in group)


def _check(store, url: str, group: list, run: str, fetcher: Fetcher, result: RecheckResult, progress) -> None:
    """Fetch ``url`` again and record, in one transaction, the state of each finding of ``group`` there."""
    response, ex, evidence_id = fetch_page(url, fetcher, store)
    http_status = response.status if response is not None else None
    checked_at = response.fetched_at if response is not None else utc_now()
    with store.transaction():
        for f in group:
            # the text as extracted now against the text the finding was made from (same extractor)
            digest = sha256_hex(ex.content.encode("utf-8", "surrogatepass")) if ex.status == "ok" else None
            new_state = classify(
                http_status=http_status, error_kind=ex.fetch_error or None, extracted_status=ex.status,
                notice_kind=ex.notice, notice=ex.reason, content_hash=digest,
                recorded_hash=sha256_hex((f.get("content") or "").encode("utf-8", "surrogatepass")),
            )
            kept = None
            if new_state == CHANGED and ex.status == "ok":
                kept = passages_still_there(f.get("passages"), f.get("content") or "", ex.content)
            changed = store.record_status(
                f.get("finding_id"), new_state, checked_at, detail=describe(new_state, ex, http_status, kept),
                http_status=http_status, evidence_id=evidence_id, url=url, run=run,
            )
            result.states[new_state] += 1
            if changed:
                result.changes.append({"finding_id": f.get("finding_id"), "url": url, "state": new_state})
    result.checked += 1
    if progress:
        progress(f"{url}: {', '.join(sorted({c['state'] for c in result.changes if c['url'] == url})) or 'no change'}")
