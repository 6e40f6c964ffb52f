"""RSS 2.0 / Atom feeds: safety-check the bytes with defusedxml, then parse with feedparser.

A feed that declares a DTD or entities is rejected before any parser sees it (no entity-expansion bombs,
no external entities). feedparser only ever receives bytes, so it never fetches anything itself.
"""
from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree

from ..dates import to_iso
from ..errors import BadInput

_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str = ""
    published_at: str | None = None
    summary: str = ""
    content: str = ""
    author: str = ""


def check_feed_bytes(body: bytes, where: str) -> None:
    """Raise :class:`BadInput` for a feed with a DTD or entity declaration (checked before parsing)."""
    head = body[:4_000_000]
    # UTF-16 and UTF-32 spell "<!DOCTYPE" with NUL bytes between the ASCII ones (either byte order, with or
    # without a BOM): dropping every NUL finds the declaration in all of them, as in UTF-8.
    for data in (head, head.replace(b"\x00", b"")):
        if _DECLARATION.search(data):
            raise BadInput(where, "feed declares a DTD or entities (<!DOCTYPE/<!ENTITY); refused: entity expansion is not allowed")
    try:
        defusedxml.ElementTree.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise BadInput(where, f"feed refused by the XML safety check: {type(exc).__name__}") from None
    except ParseError:
        pass  # not well-formed: feedparser's lenient mode still gets a chance (flagged as bozo)


def parse_feed(body: bytes, where: str, base_url: str = "") -> list[FeedEntry]:
    """The entries of a feed, newest-first as the feed lists them; only http(s) links are kept."""
    import feedparser

    check_feed_bytes(body, where)
    parsed = feedparser.parse(body, response_headers={"content-location": base_url} if base_url else None,
                              sanitize_html=True, resolve_relative_uris=True)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        raise BadInput(where, f"not a feed: {reason or 'no entries'}")
    if not parsed.version and not parsed.entries:
        raise BadInput(where, "not an RSS or Atom feed")
    entries = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if base_url and link:
            link = urllib.parse.urljoin(base_url, link)
        if urllib.parse.urlsplit(link).scheme.lower() not in ("http", "https"):
            continue
        content = ""
        if entry.get("content"):
            content = "\n".join(c.get("value", "") for c in entry["content"])
        entries.append(
            FeedEntry(
                url=link,
                title=(entry.get("title") or "").strip(),
                published_at=entry_date(entry),
                summary=entry.get("summary") or "",
                content=content,
                author=(entry.get("author") or "").strip(),
            )
        )
    return entries


def entry_date(entry) -> str | None:
    """The entry's date as the feed wrote it (a time without a zone is China time), else feedparser's UTC."""
    for key in ("published", "updated", "dc_date", "pubdate"):
        iso = to_iso(entry.get(key))
        if iso:
            return iso
    return to_iso(entry.get("published_parsed") or entry.get("updated_parsed"))
