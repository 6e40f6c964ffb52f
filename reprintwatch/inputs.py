"""Reading one text article for ``reprintwatch check``: a .txt file, one JSON article, or stdin.

Saved HTML pages are read by :func:`reprintwatch.ingest.page.read_article`, the one page → article path,
which hands everything else to :func:`read_article` here (the core never imports ingestion).
"""
from __future__ import annotations

import json
from pathlib import Path

from .articles import MAX_ARTICLE_BYTES, Article, article_from_obj, check_content
from .encoding import decode_bytes, detect_encoding
from .errors import BadInput


def read_article(raw: bytes, name: str, encoding: str = "auto", max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """One article from the bytes of a file named ``name`` (``-`` for stdin): JSON object or plain text."""
    if len(raw) > max_bytes:
        raise BadInput(name, f"input is {len(raw):,} bytes, over the limit of {max_bytes:,} (REPRINTWATCH_MAX_ARTICLE_BYTES)")
    if not raw.strip():
        raise BadInput(name, "input is empty")
    if b"\x00" in raw[:8192]:
        raise BadInput(name, "input looks binary (NUL bytes), not text")
    art_id = "-" if name == "-" else Path(name).stem
    text = decode_bytes(raw, detect_encoding(raw) if encoding == "auto" else encoding, name)
    suffix = Path(name).suffix.lower()
    stripped = text.lstrip("\ufeff \t\r\n")
    if suffix == ".json" or (suffix == "" and stripped.startswith("{")):
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise BadInput(name, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
        except RecursionError:
            raise BadInput(name, "JSON nested too deeply") from None
        if isinstance(obj, dict) and "id" not in obj:
            obj = {**obj, "id": art_id}
        return article_from_obj(obj, name, max_bytes)
    return Article(id=art_id, content=check_content(text, name, max_bytes))
