"""``recheck``: fetch the URLs of open findings again and record what became of each copy.

Fetching is ingestion's (:class:`reprintwatch.ingest.fetch.Fetcher`: http(s) only, robots.txt, per-host
delay and concurrency, retries, size and time limits), and so is reading the page
(:func:`reprintwatch.ingest.runner.safe_extract`, which recognises WeChat's and aggregators' removal
notices). Every response is kept as evidence; each URL's outcome is written in one transaction with the
evidence, so a run killed at any point loses at most the URL it was fetching.

Resumable like ingestion: a run notes its id in the ``recheck`` checkpoint and its end when done, and every
status it records carries the run id; a run that finds the previous one unfinished takes over its id and
skips the findings that one already re-checked.

"Open" findings are the infringing ones (``unauthorised`` after the licence and first-publication
checks) whose copy is not known to be removed.
"""
from __future__ import annotations

import datetime as _dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Sequence
from urllib.parse import urlsplit

from ..ingest.fetch import FetchError, Fetcher
from ..ingest.runner import safe_extract
from ..report.assess import UNAUTHORISED, assess
from ..store import sha256_hex, utc_now
from .rules import CHANGED, REMOVED_STATES, classify, passages_still_there

CHECKPOINT = "recheck"


@dataclass
class RecheckResult:
    urls: int = 0
    checked: int = 0
    resumed_skipped: int = 0
    not_web: int = 0  # local files, archive records: nothing to fetch
    states: dict = field(default_factory=lambda: defaultdict(int))
    changes: list[dict] = field(default_factory=list)  # findings whose state changed in this run

    def line(self) -> str:
        states = ", ".join(f"{n} {s}" for s, n in sorted(self.states.items())) or "nothing checked"
        skipped = f"; {self.resumed_skipped} already checked by the interrupted run" if self.resumed_skipped else ""
        if self.not_web:
            skipped += f"; {self.not_web} not on the web (local files), not checked"
        return f"recheck: {self.checked} of {self.urls} URL(s) checked: {states}; {len(self.changes)} state change(s){skipped}"


def open_findings(store, licences, finding_ids: Sequence[int] | None = None) -> list:
    """Infringing findings whose copy is not known to be removed (all of ``finding_ids`` when given)."""
    if finding_ids:
        findings = [f for f in (store.get_finding(i) for i in finding_ids) if f is not None]
    else:
        findings = [f for f in store.list_findings() if assess(f, licences).status == UNAUTHORISED]
    latest = store.latest_states([f.get("finding_id") for f in findings])
    if finding_ids:
        return findings
    return [f for f in findings if latest.get(f.get("finding_id")) not in REMOVED_STATES]


def check_url(fetcher: Fetcher, url: str, policy=None) -> dict:
    """Fetch and read one URL: the response (or failure) and the extracted page. No store access."""
    try:
        result = fetcher.fetch(url, policy=policy)
        error = None
    except FetchError as exc:
        result, error = exc.result, exc
    outcome = {
        "url": url,
        "http_status": result.status if result is not None else (error.status if error else None),
        "error_kind": error.kind if error else None,
        "error": error.reason if error else "",
        "response": result,
        "extracted": None,
    }
    if error is None and result is not None:
        outcome["extracted"] = safe_extract(result.text(), result.final_url)
    return outcome


def describe(state: str, outcome: dict, kept: tuple[int, int] | None) -> str:
    ex = outcome["extracted"]
    if outcome["error_kind"]:
        return f"{outcome['error_kind']}: {outcome['error']}"
    if ex is not None and ex.status == "removed":
        return f"notice: {ex.reason}"
    if state == CHANGED:
        if ex is not None and ex.status != "ok":
            return f"page changed: {ex.reason}"
        if kept:
            return f"page changed; {kept[0]} of {kept[1]} copied passages still there"
        return "page changed"
    return f"HTTP {outcome['http_status']}"


def recheck(
    store,
    licences,
    fetcher: Fetcher,
    finding_ids: Sequence[int] | None = None,
    restart: bool = False,
    progress: Callable[[str], None] | None = None,
    policies: dict | None = None,
) -> RecheckResult:
    """Re-check the open findings (or ``finding_ids``); returns what happened. ``policies`` maps an ingest
    source's name to its fetch policy (the copy is fetched as politely as the source that found it)."""
    state = json.loads(store.get_checkpoint(CHECKPOINT) or "{}")
    if state.get("run") and not state.get("finished_at") and not restart:
        run = state["run"]  # resume the interrupted run
    else:
        run = _dt.datetime.now(_dt.timezone.utc).isoformat()  # microseconds: two runs never share an id
        store.set_checkpoint(CHECKPOINT, json.dumps({"run": run, "finished_at": None}))
    findings = open_findings(store, licences, finding_ids)
    by_url: dict[str, list] = defaultdict(list)
    for f in findings:
        by_url[f.get("url")].append(f)
    result = RecheckResult(urls=len(by_url))
    last_runs = store.last_runs([f.get("finding_id") for f in findings])
    for url, group in by_url.items():
        if urlsplit(url or "").scheme.lower() not in ("http", "https"):
            result.not_web += 1
            continue
        if all(last_runs.get(f.get("finding_id")) == run for f in group):
            result.resumed_skipped += 1
            continue
        outcome = check_url(fetcher, url, (policies or {}).get(group[0].get("source")))
        response, ex = outcome["response"], outcome["extracted"]
        checked_at = response.fetched_at if response is not None else utc_now()
        with store.transaction():
            evidence_id = None
            if response is not None:
                evidence_id = store.record_page(url, response.body, response.final_url, response.status,
                                                response.fetched_at, response.content_type, response.headers)
            for f in group:
                # the text as extracted now against the text the finding was made from (same extractor)
                digest = sha256_hex(ex.content.encode("utf-8", "surrogatepass")) if ex is not None and ex.status == "ok" else None
                new_state = classify(
                    http_status=outcome["http_status"], error_kind=outcome["error_kind"],
                    extracted_status=ex.status if ex is not None else None, notice=ex.reason if ex is not None else "",
                    content_hash=digest, recorded_hash=sha256_hex((f.get("content") or "").encode("utf-8", "surrogatepass")),
                )
                kept = None
                if new_state == CHANGED and ex is not None and ex.status == "ok":
                    kept = passages_still_there(f.get("passages"), f.get("content") or "", ex.content)
                changed = store.record_status(
                    f.get("finding_id"), new_state, checked_at, detail=describe(new_state, outcome, kept),
                    http_status=outcome["http_status"], evidence_id=evidence_id, url=url, run=run,
                )
                result.states[new_state] += 1
                if changed:
                    result.changes.append({"finding_id": f.get("finding_id"), "url": url, "state": new_state})
        result.checked += 1
        if progress:
            progress(f"{url}: {', '.join(sorted({c['state'] for c in result.changes if c['url'] == url})) or 'no change'}")
    store.set_checkpoint(CHECKPOINT, json.dumps({"run": run, "finished_at": utc_now()}))
    return result
