"""RSS 2.0 / Atom feeds: safety-check the bytes with defusedxml, then parse with feedparser.

A feed that declares a DTD or entities is rejected before any parser sees it (no entity-expansion bombs,
no external entities). feedparser only ever receives bytes, so it never fetches anything itself.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re
import urllib.parse
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree

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
    candidates = [body[:1_000_000]]
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        candidates.append(body.decode("utf-16", "replace").encode("utf-8"))
    for data in candidates:
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
                published_at=_struct_to_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
                summary=entry.get("summary") or "",
                content=content,
                author=(entry.get("author") or "").strip(),
            )
        )
    return entries


def _struct_to_iso(value) -> str | None:
    if not value:
        return None
    try:
        return _dt.datetime.fromtimestamp(calendar.timegm(value), _dt.timezone.utc).isoformat()
    except (OverflowError, ValueError, TypeError):
        return None
