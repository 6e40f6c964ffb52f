"""The token table: what fingerprinting and the rewrite path need to know about a token, looked up once.

Every token of a text used to go through several Python passes — its CRC-32 for the shingle hashes, its
length, its frequency in jieba's dictionary, ``isalpha``/``isascii``/``isdigit`` for the facts, its IDF
weight for the alignment — about a third of ``fingerprint()`` (cProfile, 1,500 real articles). Here a
token is turned into a row number of a table **once per text** (one ``dict.get`` per token, in C), and
each attribute is a NumPy array indexed by those numbers, so the rest is vectorised.

Values are computed exactly as before (``zlib.crc32`` of the UTF-8 bytes, ``math.log`` for the IDF, the
same string predicates), only cached: fingerprints and alignments stay bit-identical (tests/test_tokens.py
compares them with a per-token reference). The table is bounded (:data:`MAX_TOKENS` rows; when full it is
replaced by an empty one) and safe for threads: rows are only appended, under a lock, and a caller keeps
the table object its row numbers refer to.
"""
from __future__ import annotations

import itertools
import math
import re
import threading
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = ["TokenTable", "token_ids", "dictionary", "is_common_figure", "MAX_TOKENS"]

#: Rows before the table starts again empty. News vocabularies hold a few hundred thousand distinct tokens
#: (jieba's dictionary has 349k words); a row costs ~30 bytes in the arrays and ~100 in the dict.
MAX_TOKENS = 1_000_000


@lru_cache(maxsize=1)
def dictionary() -> tuple[dict[str, int], float]:
    """Word frequencies of jieba's dictionary file and their total — the dictionary that cuts the words,
    whichever implementation cuts them (read from the file: jieba-rs does not expose it, and loading
    jieba's own prefix dictionary just for this would cost a second)."""
    from .segment import jieba_dictionary

    freq: dict[str, int] = {}
    total = 0
    with open(jieba_dictionary(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ", 2)
            if len(parts) >= 2:
                n = int(parts[1])
                freq[parts[0]] = n
                total += n
    return freq, float(total)


# 1–2 digit numbers and years (days, months, years: in most articles) — see rewrite.is_key_fact
_COMMON_FIGURE = re.compile(r"\d{1,2}|(?:19|20)\d\d")


def is_common_figure(text: str) -> bool:
    return _COMMON_FIGURE.fullmatch(text) is not None


@dataclass(eq=False)
class TokenTable:
    """Rows of token attributes; ``ids`` maps a token to its row. Arrays may be longer than ``size``."""

    ids: dict[str, int]
    crc: np.ndarray  # uint32: zlib.crc32 of the UTF-8 bytes (the shingle hash input)
    length: np.ndarray  # int32: characters
    freq: np.ndarray  # int64: frequency in jieba's dictionary (0: not in it)
    not_alpha: np.ndarray  # bool: not str.isalpha — in normalised text, a token holding a digit
    ascii: np.ndarray  # bool: str.isascii
    has_digit: np.ndarray  # bool: any character str.isdigit (a figure, for the alignment's conflicts)
    common_figure: np.ndarray  # bool: is_common_figure (not a rewrite key fact on its own)
    idf: np.ndarray  # float64: log(total) - log(freq + 1), with math.log as rewrite._idf had it
    size: int = 0

    @classmethod
    def empty(cls, capacity: int = 1 << 16) -> "TokenTable":
        return cls({}, np.zeros(capacity, np.uint32), np.zeros(capacity, np.int32), np.zeros(capacity, np.int64),
                   np.zeros(capacity, bool), np.zeros(capacity, bool), np.zeros(capacity, bool),
                   np.zeros(capacity, bool), np.zeros(capacity, np.float64))

    _ARRAYS = ("crc", "length", "freq", "not_alpha", "ascii", "has_digit", "common_figure", "idf")

    def _append(self, tokens: list[str]) -> None:
        """Add rows for ``tokens`` (distinct, none present). Arrays are written before the dict, so a
        reader never sees a row number whose values are not there yet."""
        n = len(tokens)
        if self.size + n > len(self.crc):
            capacity = max(2 * len(self.crc), self.size + n)
            for name in self._ARRAYS:
                old = getattr(self, name)
                new = np.zeros(capacity, old.dtype)
                new[: self.size] = old[: self.size]
                setattr(self, name, new)
        freq, total = dictionary()
        log_total = math.log(total)
        rows = slice(self.size, self.size + n)
        f = [freq.get(t, 0) for t in tokens]
        self.crc[rows] = [zlib.crc32(t.encode("utf-8")) for t in tokens]
        self.length[rows] = [len(t) for t in tokens]
        self.freq[rows] = f
        not_alpha = [not t.isalpha() for t in tokens]
        self.not_alpha[rows] = not_alpha
        self.ascii[rows] = [t.isascii() for t in tokens]
        # a token of letters only (most words) holds no digit and is no figure: no character is both
        # str.isalpha and str.isdigit (nor re's \d), checked over every code point; only the other tokens
        # (punctuation, numbers, mixed: ~a tenth of new ones) are asked (the generator over characters and
        # the regex were ~a fifth of adding rows, cProfile of index add, 3,000 real articles)
        self.has_digit[rows] = False
        self.common_figure[rows] = False
        other = [i for i, na in enumerate(not_alpha) if na]
        if other:
            at = np.asarray(other, dtype=np.int64) + self.size
            self.has_digit[at] = [any(ch.isdigit() for ch in tokens[i]) for i in other]
            self.common_figure[at] = [is_common_figure(tokens[i]) for i in other]
        self.idf[rows] = [log_total - math.log(x + 1.0) for x in f]
        self.ids.update(zip(tokens, range(self.size, self.size + n)))
        self.size += n


_TABLE = TokenTable.empty()
_LOCK = threading.Lock()


def token_ids(tokens: list[str]) -> tuple[TokenTable, np.ndarray]:
    """The table and the row number (``int64``) of each token, adding rows for tokens not seen before."""
    table = _TABLE
    ids = np.fromiter(map(table.ids.get, tokens, itertools.repeat(-1)), dtype=np.int64, count=len(tokens))
    missing = np.flatnonzero(ids < 0)
    if len(missing):
        table, ids = _add_missing(tokens, table, ids, missing)
    return table, ids


def _add_missing(tokens: list[str], probed: TokenTable, ids: np.ndarray,
                 missing: np.ndarray) -> tuple[TokenTable, np.ndarray]:
    """Add the ``missing`` tokens (``ids``: their rows in ``probed``, -1 where missing)."""
    global _TABLE
    with _LOCK:
        table = _TABLE
        missing_tokens = [tokens[i] for i in missing.tolist()]
        new = [t for t in dict.fromkeys(missing_tokens) if t not in table.ids]
        if table.size + len(new) > MAX_TOKENS:
            table = _TABLE = TokenTable.empty()
            new = list(dict.fromkeys(tokens))
        table._append(new)
    get = table.ids.get
    if table is not probed:  # another table since the probe (it started again): every row number is new
        return table, np.fromiter(map(get, tokens), dtype=np.int64, count=len(tokens))
    # only the missing ones are looked up again: probing every token a second time was ~a third of
    # token_ids while the table grows (a fresh process's index add; rows found once stay valid)
    ids[missing] = [get(t) for t in missing_tokens]
    return table, ids
