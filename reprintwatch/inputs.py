"""Reading one article for ``reprintwatch check``: a .txt, an .html page, one JSON article, or stdin."""
from __future__ import annotations

import json
from pathlib import Path

from .articles import Article, article_from_obj, check_content
from .encoding import decode_bytes, detect_encoding
from .errors import BadInput


def html_to_article(html: str, art_id: str, where: str) -> Article:
    """The article in a saved page, extracted by the same code as fetched pages (``ingest.extract``)."""
    from .ingest.extract import extract_page

    page = extract_page(html, "")
    if page.status != "ok":
        raise BadInput(where, page.reason or f"page status {page.status}")
    return Article(
        id=art_id,
        content=check_content(page.content, where),
        title=page.title,
        outlet=page.account,
        published_at=page.published_at,
    )


def _looks_like_html(name: str, raw: bytes) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return True
    return suffix == "" and raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].lower().startswith((b"<!doctype", b"<html"))


def read_article(raw: bytes, name: str, encoding: str = "auto", max_bytes: int = 5 * 1024 * 1024) -> Article:
    """One article from the bytes of a file named ``name`` (``-`` for stdin)."""
    if len(raw) > max_bytes:
        raise BadInput(name, f"input is {len(raw):,} bytes, over the limit of {max_bytes:,} (REPRINTWATCH_MAX_ARTICLE_BYTES)")
    if not raw.strip():
        raise BadInput(name, "input is empty")
    if b"\x00" in raw[:8192]:
        raise BadInput(name, "input looks binary (NUL bytes), not text")
    art_id = "-" if name == "-" else Path(name).stem
    if _looks_like_html(name, raw):
        if encoding == "auto":  # meta charset, BOM, then detection: the same decoding as fetched pages
            from .ingest.fetch import decode_page

            return html_to_article(decode_page(raw), art_id, name)
        return html_to_article(decode_bytes(raw, encoding, name), art_id, name)
    text = decode_bytes(raw, detect_encoding(raw) if encoding == "auto" else encoding, name)
    suffix = Path(name).suffix.lower()
    stripped = text.lstrip("\ufeff \t\r\n")
    if suffix == ".json" or (suffix == "" and stripped.startswith("{")):
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise BadInput(name, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
        if isinstance(obj, dict) and "id" not in obj:
            obj = {**obj, "id": art_id}
        return article_from_obj(obj, name, max_bytes)
    return Article(id=art_id, content=check_content(text, name, max_bytes))
