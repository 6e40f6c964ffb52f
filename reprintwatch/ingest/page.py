"""The one page → article path: bytes or a URL in, :class:`~reprintwatch.ingest.extract.Extracted` and an
:class:`~reprintwatch.articles.Article` out. ``ingest run``, ``check PAGE.html|URL`` and ``extract`` all go
through here.

Identity: an article read from the web is *the fetched final URL* (``Article.url``, the suspect's site).
What the page claims about itself (``canonical``/``og:url``) is evidence only and stays in
``Extracted.canonical_url``; a page can claim to be anything.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from ..articles import MAX_ARTICLE_BYTES, Article, check_content
from ..config import Settings
from ..encoding import decode_bytes, decode_page
from ..errors import BadInput
from ..inputs import read_article as read_text_article
from ..triage.identity import served_host
from .extract import Extracted, extract_page
from .fetch import FetchError, Fetcher, FetchPolicy, FetchResult

log = logging.getLogger("reprintwatch.ingest")


def safe_extract(page: str, url: str) -> Extracted:
    """:func:`extract_page` that turns any failure on hostile markup into an ``error`` outcome."""
    try:
        return extract_page(page, url)
    except Exception as exc:  # hostile markup must give an 'error' outcome, never stop the run
        log.exception("extract_failed", extra={"event": "extract_failed", "fields": {"url": url}})
        return Extracted("web", "error", url=url, reason=f"extraction failed: {type(exc).__name__}: {exc}")


def extract_bytes(body: bytes, content_type: str = "", url: str = "") -> Extracted:
    """Decode a page's bytes (the one charset detector) and extract it."""
    return safe_extract(decode_page(body, content_type), url)


def outlet_of(extracted: Extracted, fetched_url: str) -> str:
    """Who published the page: the WeChat account, else the fetched site, else what a saved page says."""
    return extracted.account or served_host(fetched_url) or extracted.outlet


def to_article(extracted: Extracted, fetched_url: str, art_id: str | None = None, hint: dict | None = None,
               max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """The article of an ``ok`` extraction; :class:`BadInput` naming the page otherwise.

    ``fetched_url`` is where the bytes came from (after redirects): the article's identity. ``hint`` holds
    what a feed said about the entry (title, published_at), used when the page itself does not say.
    """
    where = fetched_url or art_id or "page"
    hint = hint or {}
    if extracted.status == "removed":
        raise BadInput(where, f"the article was removed: {extracted.reason}")
    if extracted.status != "ok":
        raise BadInput(where, extracted.reason or f"page status {extracted.status}")
    return Article(
        id=art_id if art_id is not None else fetched_url,
        content=check_content(extracted.content, where, max_bytes),
        title=extracted.title or hint.get("title") or "",
        outlet=outlet_of(extracted, fetched_url),
        url=fetched_url if served_host(fetched_url) else "",
        published_at=extracted.published_at or hint.get("published_at"),
    )


def looks_like_html(name: str, raw: bytes) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml", ".mhtml"):
        return True
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    return suffix in ("", ".txt") and (head.startswith((b"<!doctype html", b"<html")) or b"<head" in head)


def is_url(source: str) -> bool:
    """Is a command's SOURCE an http(s) URL (fetched politely), rather than a file or ``-``?"""
    return source.lower().startswith(("http://", "https://"))


def read_source(source: str, limit: int, setting: str) -> bytes:
    """The bytes of SOURCE that is a file or ``-`` (stdin) — the one reader ``check`` and ``extract`` share
    (URLs are fetched by the caller). Any other scheme, a missing file, or more than ``limit`` bytes is
    bad input naming SOURCE (and ``setting``, the variable that sets the limit)."""
    if "://" in source:
        raise BadInput(source, "only http(s) URLs, files and - (stdin) can be read")
    if source == "-":
        raw = sys.stdin.buffer.read(limit + 1)
    else:
        path = Path(source)
        if not path.is_file():
            raise BadInput(source, "no such file")
        try:
            with path.open("rb") as fh:
                raw = fh.read(limit + 1)
        except OSError as exc:
            raise BadInput(source, f"cannot read ({exc.strerror})") from None
    if len(raw) > limit:
        raise BadInput(source, f"input is over the limit of {limit:,} bytes ({setting})")
    return raw


def read_article(raw: bytes, name: str, encoding: str = "auto", max_bytes: int = MAX_ARTICLE_BYTES,
                 page_max_bytes: int | None = None) -> Article:
    """One article from a file's bytes (``-`` for stdin): a saved page (HTML), one JSON article, or text.
    A saved page is held to the limit of a fetched one (``page_max_bytes``, REPRINTWATCH_FETCH_MAX_BYTES);
    the article it holds, like any text, to ``max_bytes``."""
    if looks_like_html(name, raw) and raw.strip() and b"\x00" not in raw[:8192]:
        page_limit = max(max_bytes, page_max_bytes or 0)
        if len(raw) > page_limit:
            raise BadInput(name, f"page is {len(raw):,} bytes, over the limit of {page_limit:,} (REPRINTWATCH_FETCH_MAX_BYTES)")
        page = decode_page(raw) if encoding == "auto" else decode_bytes(raw, encoding, name)
        art_id = "-" if name == "-" else Path(name).stem
        return to_article(safe_extract(page, ""), "", art_id=art_id, max_bytes=max_bytes)
    return read_text_article(raw, name, encoding, max_bytes)


def fetch_page(url: str, fetcher: Fetcher, store=None) -> tuple[FetchResult | None, Extracted, int | None]:
    """Fetch and extract one URL: (the response, or None; the extraction; the evidence id).

    A failed fetch is an ``error`` extraction whose reason starts with the fetch outcome (``dns: …``,
    ``http 404: …``). With a ``store``, the response's raw bytes are kept as evidence, even a 404 page.
    """
    try:
        result = fetcher.fetch(url)
    except FetchError as exc:
        evidence_id = None
        if store is not None and exc.result is not None:
            r = exc.result
            evidence_id = store.record_page(url, r.body, r.final_url, r.status, r.fetched_at, r.content_type, r.headers)
        return exc.result, fetch_failed(url, exc), evidence_id
    evidence_id = None
    if store is not None:
        evidence_id = store.record_page(url, result.body, result.final_url, result.status, result.fetched_at,
                                        result.content_type, result.headers)
    return result, extract_bytes(result.body, result.content_type, result.final_url), evidence_id


def fetch_failed(url: str, error: FetchError) -> Extracted:
    final = error.result.final_url if error.result is not None else url
    return Extracted("web", "error", url=final, reason=f"{error.label}: {error.reason}", fetch_error=error.kind)


def fetch_article(url: str, settings: Settings, store=None, fetcher: Fetcher | None = None) -> tuple[Article, int | None]:
    """Fetch and extract ``url``; returns the article and the evidence id (``None`` without a store).

    Raises :class:`BadInput` naming the URL when the page cannot be fetched, was removed, or has no text.
    The evidence is kept even then, when there was a response.
    """
    policy = FetchPolicy.from_settings(settings)
    fetcher = fetcher or Fetcher(policy)
    result, extracted, evidence_id = fetch_page(url, fetcher, store)
    if extracted.fetch_error:
        raise BadInput(url, extracted.reason.split(": ", 1)[-1])
    return to_article(extracted, result.final_url, art_id=url, max_bytes=settings.max_article_bytes), evidence_id
