"""Reading one article for ``reprintwatch check``: a .txt, an .html page, one JSON article, or stdin."""
from __future__ import annotations

import json
import re
from pathlib import Path

from .articles import Article, article_from_obj, check_content
from .encoding import decode_bytes, detect_encoding
from .errors import BadInput

_BLOCK_TAGS = ("p", "div", "section", "article", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def html_to_article(html: str, art_id: str, where: str | None = None) -> Article:
    """Title and body text of a page; WeChat pages (``#js_content``) use the article body only.

    Scripts, styles and comments are dropped; block elements become line breaks so paragraphs survive.
    """
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise BadInput(where or art_id, f"cannot parse HTML: {exc}") from None
    for bad in root.xpath("//script|//style|//noscript|//template|//comment()"):
        bad.drop_tree() if hasattr(bad, "drop_tree") else bad.getparent().remove(bad)
    title = ""
    og = root.xpath("//meta[@property='og:title']/@content")
    heading = root.xpath("//*[@id='activity-name']")
    if og:
        title = og[0].strip()
    elif heading:
        title = heading[0].text_content().strip()
    elif root.find(".//title") is not None:
        title = (root.find(".//title").text_content() or "").strip()
    body = root.xpath("//*[@id='js_content']") or root.xpath("//article") or root.xpath("//body") or [root]
    node = body[0]
    for br in node.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for el in node.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    text = "\n".join(line.strip() for line in node.text_content().splitlines())
    text = re.sub(r"\n{2,}", "\n", text).strip()
    return Article(id=art_id, content=check_content(text, where or art_id), title=title)


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
