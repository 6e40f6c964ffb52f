"""The one charset module: decoding bytes that claim to be Chinese text.

Text files and JSONL (:func:`detect_encoding`, :func:`decode_bytes`): UTF-8 first, then GB18030 (a superset of
GBK and GB2312). Web pages, feeds and saved HTML (:func:`detect_charset`, :func:`decode_page`): BOM, valid
UTF-8, the declared charsets (HTTP header, ``<meta>``, XML declaration), GB18030, then a guess.
"""
from __future__ import annotations

import codecs
import re

from .errors import BadInput

FALLBACKS = ("utf-8", "gb18030")


def detect_encoding(sample: bytes) -> str:
    """Best guess for a file from its first bytes: ``utf-8`` (with or without BOM) or ``gb18030``."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for enc in FALLBACKS:
        try:
            # a multi-byte character may be cut at the end of the sample
            codecs.getincrementaldecoder(enc)().decode(sample, final=False)
            return enc
        except UnicodeDecodeError:
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
        if best is not None:
            return best.encoding
    except Exception:  # detection is a guess; fall through to UTF-8 and a clear per-line error
        pass
    return "utf-8"


def decode_bytes(raw: bytes, encoding: str, where: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BadInput(
            where,
            f"cannot decode as {encoding} (byte {exc.start}: {raw[exc.start:exc.start + 4]!r}); "
            "pass --encoding if the file is in another encoding",
        ) from None
    except LookupError:
        raise BadInput(where, f"unknown encoding {encoding!r}") from None


# --- web pages --------------------------------------------------------------------------------------------
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
_WEAK = {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "ascii", "us-ascii"}
# GB2312 and GBK pages routinely contain characters only GB18030 (their superset) can decode
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030"}


def header_charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", content_type or "", re.I)
    return match.group(1) if match else None


def declared_charsets(body: bytes, content_type: str) -> list[str]:
    found = []
    head = body[:4096]
    for value in (header_charset(content_type),
                  *(m.group(1).decode("ascii", "ignore") for m in _META_CHARSET.finditer(head)),
                  *(m.group(1).decode("ascii", "ignore") for m in _XML_ENCODING.finditer(head[:200]))):
        if not value:
            continue
        name = value.strip().lower()
        name = _WIDEN.get(name, name)
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        if name not in found:
            found.append(name)
    return found


def detect_charset(body: bytes, content_type: str = "") -> str:
    """The encoding to decode a page with, robust to wrong or missing declarations.

    Order: BOM; UTF-8 if the bytes are valid UTF-8 (mis-decoding valid UTF-8 is rare, and many Chinese
    sites declare GBK on UTF-8 pages and vice versa); the declared charsets (HTTP header, then ``<meta>``)
    when they decode cleanly and are not the Latin-1 default; GB18030; then charset-normalizer's guess.
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return name
    if _decodes(body, "utf-8"):
        return "utf-8"
    declared = declared_charsets(body, content_type)
    for name in declared:
        if name not in _WEAK and _decodes(body, name):
            return name
    if _decodes(body, "gb18030"):
        return "gb18030"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        if best is not None:
            return best.encoding
    except Exception:  # a guess only; fall back below
        pass
    return declared[0] if declared else "utf-8"


def _decodes(body: bytes, name: str) -> bool:
    try:
        body.decode(name)
        return True
    except (UnicodeDecodeError, LookupError):
        return False


def decode_page(body: bytes, content_type: str = "") -> str:
    return body.decode(detect_charset(body, content_type), "replace")
