"""Continuous ingestion: sources (feeds, WeChat and news pages, local files) → fetch → extract → check → store.

Library entry points: :func:`fetch_article` / :func:`fetch_page` (one URL), :func:`extract_bytes` (one page), :class:`Runner` (the loop), :func:`load_sources`.
The click groups ``ingest`` and ``findings`` live in :mod:`reprintwatch.ingest.cli`.
"""
from .extract import Extracted, extract_page
from .feeds import FeedEntry, parse_feed
from .fetch import USER_AGENT, FetchError, Fetcher, FetchPolicy, FetchResult
from .page import extract_bytes, fetch_article, fetch_page, read_article, to_article
from .runner import Runner
from .sources import Source, load_sources

__all__ = [
    "Extracted", "extract_page", "FeedEntry", "parse_feed", "USER_AGENT", "FetchError", "Fetcher", "FetchPolicy",
    "FetchResult", "extract_bytes", "fetch_article", "fetch_page", "read_article", "to_article", "Runner", "Source",
    "load_sources",
]
