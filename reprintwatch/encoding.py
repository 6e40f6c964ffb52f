"""Decoding bytes that claim to be Chinese text: UTF-8 first, then GB18030 (a superset of GBK and GB2312)."""
from __future__ import annotations

import codecs

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
