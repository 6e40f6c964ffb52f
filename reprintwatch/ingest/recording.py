"""Recording: one page read, extracted, checked and written in one transaction (its evidence, suspect
version, findings, ``seen`` checkpoint and its removal from ``pending``), and pages in hand written in the
order they came.

An unchanged page (same bytes, or same extracted content) is not recorded again; a changed one becomes the
next version of its URL.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Generator

from ..articles import Article
from ..config import MAX_ARTICLE_BYTES
from ..detector import CheckPool, CheckResult, Detector
from ..encoding import decode_page
from ..errors import BadInput
from ..store import Store, sha256_hex, utc_now
from ..triage.identity import served_host
from .extract import Extracted
from .fetch import FetchError, FetchResult
from .local import LocalItem
from .page import extract_bytes, fetch_failed, to_article
from .sources import Source
from .tally import Counters, Outcome, event

#: One page being recorded: yields once (the article to check, or None), is sent the check's result, and
#: returns the page's :class:`Outcome` (see ``Recorder._recording``).
Recording = Generator["Article | None", "CheckResult | None", "Outcome"]


def content_hash(status: str, title: str, content: str, reason: str = "") -> str:
    h = hashlib.sha256()
    for part in (status, title, content, reason):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


class Recorder:
    """Writes pages to the store, one transaction a page, counting what happened in ``counters``.

    ``pool``: the worker processes that check pages while a pass runs (None: checked here); ``progress``
    is called with the counters after each page is written."""

    def __init__(self, store: Store, detector: Detector, counters: Counters,
                 progress: Callable[[Counters], None], max_article_bytes: int = MAX_ARTICLE_BYTES):
        self.store = store
        self.detector = detector
        self.counters = counters
        self.progress = progress
        self.max_article_bytes = max_article_bytes
        self.pool: CheckPool | None = None

    # A recording (``fetched_steps``, ``local_steps``) is a generator: it reads and extracts its page, then
    # stops once — yielding the article to check, or None — before its first write, and is resumed with the
    # check's result (``InOrder``). With several jobs the checks of the pages in hand run on the worker
    # processes meanwhile, and pages are still written one by one in the order they came: what is recorded
    # is the same as with one job.

    def record_fetched(self, source: Source, url: str, result: FetchResult | None, error: FetchError | None,
                       hint: dict | None = None) -> Outcome:
        return InOrder(self, limit=0).run(url, self.fetched_steps(source, url, result, error, hint))

    def record_local(self, source: Source, item: LocalItem) -> Outcome:
        return InOrder(self, limit=0).run(item.url, self.local_steps(source, item))

    def fetched_steps(self, source: Source, url: str, result: FetchResult | None, error: FetchError | None,
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

    def local_steps(self, source: Source, item: LocalItem) -> Recording:
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



class InOrder:
    """Pages in hand, recorded in the order they came: each recording is started (read, extracted) when it
    is added, its check submitted to the recorder's worker processes (checked here when there are none), and
    it is written once every page before it is written and its own check is back. At most ``limit`` pages
    wait; one URL twice waits for the first to be written (the second must see what it wrote)."""

    def __init__(self, recorder: Recorder, limit: int):
        self.recorder = recorder
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
        pool = self.recorder.pool
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
        self.recorder.progress(self.recorder.counters)
        return outcome

    def _check(self, article: Article, future) -> CheckResult:
        if future is not None:
            try:
                return future.result()[0]
            except BrokenProcessPool as exc:  # a worker was killed (out of memory …): check here from now on
                if self.recorder.pool is not None:
                    event("check_workers_lost", logging.ERROR, reason=str(exc))
                    self.recorder.pool = None
        return self.recorder.detector.check(article)
