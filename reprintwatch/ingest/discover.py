"""Discovery beyond RSS: sitemaps and channel listings. Pure functions: bytes in, what to fetch out.

- :func:`parse_sitemap` reads a sitemap index (child sitemaps with ``lastmod``), a urlset (pages with
  ``lastmod``) or a Google News sitemap (``news:publication_date``, ``news:title``); gzip is unpacked with
  a size bound; a DTD or entity declaration is refused, as for feeds.
- :func:`parse_listing` reads a channel page: the article links matching a pattern, and the next-page links
  matching another.

Discovery (:mod:`reprintwatch.ingest.discovery`) fetches, bounds and remembers (incremental by ``lastmod``).
"""
from __future__ import annotations

import gzip
import io
import re
import urllib.parse
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree
from lxml import etree

from ..dates import to_iso
from ..errors import BadInput
from .feeds import check_feed_bytes
from .notices import parse_html

MAX_UNZIPPED = 50 * 1024 * 1024  # the sitemaps protocol caps a sitemap at 50 MB uncompressed


@dataclass(frozen=True)
class Found:
    """A page (or child sitemap) to fetch, with what the sitemap said about it."""

    url: str
    lastmod: str | None = None  # ISO 8601
    published_at: str | None = None  # Google News publication_date
    title: str = ""


@dataclass(frozen=True)
class Sitemap:
    kind: str  # 'index' | 'urlset'
    entries: tuple[Found, ...]  # child sitemaps (index) or pages (urlset)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(node, name: str) -> str:
    for child in node:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _http(url: str, base: str) -> str:
    url = urllib.parse.urljoin(base, url.strip()) if base else url.strip()
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else ""


def parse_sitemap(body: bytes, where: str, base_url: str = "") -> Sitemap:
    """A sitemap index or urlset; :class:`BadInput` naming ``where`` for anything else."""
    if body[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
                body = fh.read(MAX_UNZIPPED + 1)
        except (OSError, EOFError) as exc:
            raise BadInput(where, f"not a readable gzip sitemap: {exc}") from None
        if len(body) > MAX_UNZIPPED:
            raise BadInput(where, f"sitemap is over {MAX_UNZIPPED:,} bytes uncompressed")
    check_feed_bytes(body, where)  # no DTDs or entities, in any encoding
    try:
        root = defusedxml.ElementTree.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise BadInput(where, f"sitemap refused by the XML safety check: {type(exc).__name__}") from None
    except ParseError as exc:
        raise BadInput(where, f"not a sitemap (XML error: {exc})") from None
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        raise BadInput(where, f"not a sitemap: the root element is <{kind}>, not <urlset> or <sitemapindex>")
    entries = []
    for node in root:
        if _local(node.tag) not in ("sitemap", "url"):
            continue
        url = _http(_child_text(node, "loc"), base_url)
        if not url:
            continue
        published, title = None, ""
        for child in node:
            if _local(child.tag) == "news":
                published = to_iso(_child_text(child, "publication_date"))
                title = _child_text(child, "title")
        entries.append(Found(url, to_iso(_child_text(node, "lastmod")), published, title))
    return Sitemap("index" if kind == "sitemapindex" else "urlset", tuple(entries))


def newest_first(entries) -> list[Found]:
    """Entries by their date (publication, else lastmod), newest first; undated ones last, in page order."""
    from ..dates import parse_datetime

    def key(item):
        index, entry = item
        moment = parse_datetime(entry.published_at or entry.lastmod)
        return (0, -moment.timestamp(), index) if moment else (1, 0, index)

    return [entry for _, entry in sorted(enumerate(entries), key=key)]


def parse_listing(page: str, base_url: str, links: re.Pattern, next_page: re.Pattern | None = None
                  ) -> tuple[list[Found], list[str]]:
    """(article links matching ``links``, next-page links matching ``next_page``), in page order, deduplicated.

    Links are made absolute against ``base_url`` (the fetched page, or its ``<base href>``) before
    matching; only http(s) links are kept."""
    try:
        tree = parse_html(page)
    except (etree.ParserError, ValueError):
        return [], []
    if tree is None:
        return [], []
    base = base_url
    for href in tree.xpath("//base/@href"):
        base = _http(href, base_url) or base_url
        break
    articles: list[Found] = []
    pages: list[str] = []
    seen: set[str] = set()
    for anchor in tree.xpath("//a[@href]"):
        url = _http(anchor.get("href", ""), base)
        if not url:
            continue
        url = urllib.parse.urldefrag(url)[0]
        if url in seen:
            continue
        if links.search(url):
            seen.add(url)
            title = re.sub(r"\s+", " ", anchor.text_content()).strip()
            articles.append(Found(url, title=title[:200]))
        elif next_page is not None and next_page.search(url):
            seen.add(url)
            pages.append(url)
    return articles, pages
