"""Reading one article for ``reprintwatch check``: a .txt, an .html page, one JSON article, or stdin."""
from __future__ import annotations

import json
import re
from pathlib import Path

from .articles import Article, article_from_obj, check_content
from .encoding import decode_bytes, detect_encoding
from .errors import BadInput

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


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


def _decode_document(raw: bytes, where: str, encoding: str) -> str:
    if encoding == "auto":
        declared = _META_CHARSET.search(raw[:4096])
        encoding = detect_encoding(raw)
        if declared and encoding not in ("utf-8", "utf-8-sig"):
            encoding = declared.group(1).decode("ascii").lower()
            if encoding in ("gbk", "gb2312"):
                encoding = "gb18030"
    return decode_bytes(raw, encoding, where)


def read_article(raw: bytes, name: str, encoding: str = "auto", max_bytes: int = 5 * 1024 * 1024) -> Article:
    """One article from the bytes of a file named ``name`` (``-`` for stdin)."""
    if len(raw) > max_bytes:
        raise BadInput(name, f"input is {len(raw):,} bytes, over the limit of {max_bytes:,} (REPRINTWATCH_MAX_ARTICLE_BYTES)")
    if not raw.strip():
        raise BadInput(name, "input is empty")
    if b"\x00" in raw[:8192]:
        raise BadInput(name, "input looks binary (NUL bytes), not text")
    text = _decode_document(raw, name, encoding)
    art_id = "-" if name == "-" else Path(name).stem
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
    if suffix in (".html", ".htm", ".xhtml") or (suffix == "" and stripped[:15].lower().startswith(("<!doctype", "<html"))):
        return html_to_article(text, art_id, name)
    return Article(id=art_id, content=check_content(text, name, max_bytes))
