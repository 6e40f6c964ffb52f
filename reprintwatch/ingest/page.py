"""One URL → one :class:`Article`, through the same fetcher and extractor as ``ingest run``.

Used by ``reprintwatch check URL``: the page is fetched politely, its raw bytes kept as evidence (when a
store is given), and the article extracted (WeChat or generic page).
"""
from __future__ import annotations

from ..articles import Article, check_content
from ..config import Settings
from ..errors import BadInput
from .extract import extract_page
from .fetch import FetchError, Fetcher, FetchPolicy
from .runner import site_of


def fetch_article(url: str, settings: Settings, store=None, fetcher: Fetcher | None = None) -> tuple[Article, int | None]:
    """Fetch and extract ``url``; returns the article and the evidence id (``None`` without a store).

    Raises :class:`BadInput` naming the URL when the page cannot be fetched, was removed, or has no text.
    The evidence is kept even then, when there was a response.
    """
    fetcher = fetcher or Fetcher(FetchPolicy(max_bytes=max(settings.max_article_bytes * 2, 10 * 1024 * 1024)))
    evidence_id = None
    try:
        result = fetcher.fetch(url)
    except FetchError as exc:
        if store is not None and exc.result is not None:
            r = exc.result
            store.record_page(url, r.body, r.final_url, r.status, r.fetched_at, r.content_type, r.headers)
        raise BadInput(url, exc.reason) from None
    if store is not None:
        evidence_id = store.record_page(url, result.body, result.final_url, result.status, result.fetched_at,
                                        result.content_type, result.headers)
    extracted = extract_page(result.text(), result.final_url)
    if extracted.status == "removed":
        raise BadInput(url, f"the article was removed: {extracted.reason}")
    if extracted.status != "ok":
        raise BadInput(url, extracted.reason)
    check_content(extracted.content, url, settings.max_article_bytes)
    article = Article(
        id=url,
        content=extracted.content,
        title=extracted.title,
        outlet=extracted.account or site_of(result.final_url),
        url=extracted.canonical_url or result.final_url,
        published_at=extracted.published_at,
    )
    return article, evidence_id
