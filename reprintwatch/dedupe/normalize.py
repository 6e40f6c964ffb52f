"""Text normalisation that copiers cannot hide behind, with a map back to the original offsets.

``normalize(text)`` returns the letters and digits of ``text`` only — NFKC-folded (full-width digits,
letters and punctuation), lower-cased, traditional→simplified (OpenCC ``t2s``) — with invisible and
format characters, emoji, decoration and separators sprinkled between characters (新·华·社, 新丨华丨社)
gone, and WeChat/self-media boilerplate removed. What was removed as boilerplate is kept in
``NormalizedText.removed`` (kind, original text, original offsets) for the attribution checks that come
later: credits (来源：…), 原标题, datelines (新华社北京1月2日电) and bylines are evidence, not noise.

``NormalizedText.offsets[i]`` is the index in the original text of normalised character ``i``, so every
passage found later can be shown in the text a user sees.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .boilerplate import find_boilerplate

__all__ = ["NormalizedText", "Removed", "chinese_count", "chinese_only", "code_lines", "fold_text", "normalize"]

# Characters removed before anything else: zero-width and other format characters, variation selectors,
# soft hyphen, and decoration ideographs/dots that copiers sprinkle between characters. Emoji and
# punctuation go later with everything that is not a letter or a digit.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_DECORATION = "丨丶丿乀乁·•・‧∙⋅"
_PLANES = 0x10000  # tables cover the BMP; the rarer astral characters are looked at one by one

@dataclass(frozen=True)
class Removed:
    """A span taken out of the text before fingerprinting (offsets into the original text)."""

    kind: str  # source | original_title | dateline | byline | editor | boilerplate
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, eq=False)
class NormalizedText:
    text: str
    offsets: np.ndarray  # int32, len(text): original index of each character
    removed: tuple[Removed, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering normalised characters ``[start, end)``."""
        if end <= start:
            raise ValueError("empty span")
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` in simplified characters (OpenCC ``t2s``), nothing else changed."""
    return _converter().convert(text) if text else text


@dataclass(frozen=True, eq=False)
class _Tables:
    alnum: np.ndarray  # bool: a letter or digit (str.isalnum), never "_"
    drop: np.ndarray  # bool: invisible or decoration
    fold: np.ndarray  # uint32: the single character NFKC folds to (itself when unchanged)
    expands: np.ndarray  # bool: NFKC gives several characters, some of them letters or digits (㈱, ½)


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    alnum = np.zeros(_PLANES, dtype=bool)
    fold = np.arange(_PLANES, dtype=np.uint32)
    expands = np.zeros(_PLANES, dtype=bool)
    for cp in range(_PLANES):
        ch = chr(cp)
        alnum[cp] = ch.isalnum()
        if not unicodedata.is_normalized("NFKC", ch):
            fold[cp], expands[cp] = _fold_one(ch)
    drop = np.zeros(_PLANES, dtype=bool)
    for lo, hi in _INVISIBLE_RANGES:
        if lo < _PLANES:
            drop[lo : min(hi, _PLANES - 1) + 1] = True
    for ch in _DECORATION:
        drop[ord(ch)] = True
        alnum[ord(ch)] = False
    return _Tables(alnum, drop, fold, expands)


def _fold_one(ch: str) -> tuple[int, bool]:
    """(the code point ``ch`` folds to, whether it needs expanding to several characters)."""
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) == 1:
        return ord(folded), False
    if any(c.isalnum() for c in folded):
        return ord(ch), True
    return (ord(folded[0]) if folded else ord(ch)), False  # e.g. … → ...: punctuation, dropped later anyway


def _is_alnum(cps: np.ndarray) -> np.ndarray:
    alnum = _tables().alnum
    if len(cps) == 0 or int(cps.max()) < _PLANES:
        return alnum[cps]
    out = np.zeros(len(cps), dtype=bool)
    low = cps < _PLANES
    out[low] = alnum[cps[low]]
    for i in np.flatnonzero(~low).tolist():
        out[i] = chr(cps[i]).isalnum()
    return out


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _from_codepoints(cps: np.ndarray) -> str:
    return cps.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def _fold(text: str) -> tuple[str, np.ndarray]:
    """Drop invisible/decoration characters and NFKC-fold (character by character); return the folded
    text and the original index of each of its characters."""
    t = _tables()
    cps = _codepoints(text)
    if len(cps) == 0 or int(cps.max()) < _PLANES:  # the BMP only (nearly every text): plain table lookups
        keep, folded, expands = ~t.drop[cps], t.fold[cps], t.expands[cps]
        return _fold_pieces(text, cps, keep, folded, expands)
    low = cps < _PLANES
    safe = np.where(low, cps, 0)
    keep = np.where(low, ~t.drop[safe], True)
    folded = np.where(low, t.fold[safe], cps)
    expands = low & t.expands[safe]
    for i in np.flatnonzero(~low).tolist():
        cp = int(cps[i])
        if any(lo <= cp <= hi for lo, hi in _INVISIBLE_RANGES):
            keep[i] = False
        else:
            folded[i], expands[i] = _fold_one(chr(cp))
    return _fold_pieces(text, cps, keep, folded, expands)


def _fold_pieces(text: str, cps: np.ndarray, keep: np.ndarray, folded: np.ndarray,
                 expands: np.ndarray) -> tuple[str, np.ndarray]:
    expands &= keep
    if not expands.any():
        idx = np.flatnonzero(keep)
        return _from_codepoints(folded[idx]), idx.astype(np.int32)
    pieces: list[str] = []
    offsets: list[np.ndarray] = []
    prev = 0
    for pos in np.flatnonzero(expands).tolist() + [len(cps)]:
        idx = np.flatnonzero(keep[prev:pos]) + prev
        pieces.append(_from_codepoints(folded[idx]))
        offsets.append(idx.astype(np.int32))
        if pos < len(cps):
            expansion = unicodedata.normalize("NFKC", text[pos])
            pieces.append(expansion)
            offsets.append(np.full(len(expansion), pos, dtype=np.int32))
        prev = pos + 1
    return "".join(pieces), np.concatenate(offsets)


def _convert_same_length(text: str, convert) -> str:
    """Apply ``convert`` keeping one output character per input character (so offsets stay valid)."""
    converted = convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)


def fold_text(text: str) -> tuple[str, np.ndarray]:
    """``text`` as the boilerplate patterns see it — invisible and decoration characters dropped, NFKC,
    lower case, simplified — and the original index of each of its characters (punctuation kept)."""
    folded, fold_offsets = _fold(text)
    folded = _convert_same_length(folded, str.lower)
    return _convert_same_length(folded, _converter().convert), fold_offsets


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for fingerprinting. Pure: the same text always gives the same result."""
    folded, fold_offsets = fold_text(text)

    removed_spans = find_boilerplate(folded)
    cps = _codepoints(folded)
    keep = _is_alnum(cps)
    removed: list[Removed] = []
    for kind, start, end in removed_spans:
        keep[start:end] = False
        o_start, o_end = int(fold_offsets[start]), int(fold_offsets[end - 1]) + 1
        removed.append(Removed(kind, text[o_start:o_end], o_start, o_end))
    kept = np.flatnonzero(keep)
    return NormalizedText(
        text=_from_codepoints(cps[kept]),
        offsets=fold_offsets[kept].astype(np.int32),
        removed=tuple(removed),
    )


#: Chinese characters: the CJK Unified Ideographs block (U+4E00–U+9FFF), the one range every count of "Chinese
#: characters" in the project uses (extension A and the astral extensions are not counted). Found by runs, not
#: one character at a time: 6x faster than a match a character (relations.official_rate on a Sina article).
_CHINESE_RUNS = re.compile("[\u4e00-\u9fff]+")


def chinese_only(text: str) -> str:
    """The Chinese characters of ``text`` (:data:`_CHINESE_RUNS`), in order, everything else dropped."""
    return "".join(_CHINESE_RUNS.findall(text))


def chinese_count(text: str) -> int:
    """How many Chinese characters (:data:`_CHINESE_RUNS`) ``text`` holds."""
    return sum(map(len, _CHINESE_RUNS.findall(text)))


_CODE_SYNTAX = frozenset("{}();=<>\\/[]'\"")


#: A copied *passage* (not a page) is page code when Chinese is under this share of its letters and digits (and
#: code syntax at least 4 %, as for a page): a video player's settings with their Chinese comments (//节目列表小图,
#: 7–28 % Chinese), an ad script after a column's footer (18 %), a channel's CSS before its promotion line
#: (29–32 %). On the partial and full reprints of bench/sina_pairs.py seeds 1–3 (main 4818024) every passage of
#: 50 characters with 4 % syntax is such code up to 32 % Chinese; the next holds 40 % (a notice's two URLs).
PASSAGE_CODE_MAX_CHINESE = 0.35


def is_code(text: str, max_chinese: float = 0.05) -> bool:
    """True for a page whose "text" is program code (a slide show's script), not an article: under 5 % of
    its letters and digits are Chinese characters and at least 4 % of its characters are code syntax
    (braces, brackets, semicolons, quotes, ``=``, slashes). On the 13,461 raw items of ../shared/data (Sina
    2018 + Xinhua) it holds for the 8 Sina slide pages only; an English-language quiz (16 % Chinese, 2.9 %
    syntax) and a tech page with a code sample are not code. Such a page matched another as a
    ``full_reprint`` (issue 19). For a copied passage, ``max_chinese`` is :data:`PASSAGE_CODE_MAX_CHINESE`."""
    if not text:
        return False
    syntax = sum(text.count(c) for c in _CODE_SYNTAX)
    if syntax < 0.04 * len(text):
        return False
    letters = sum(c.isalnum() for c in text)
    return chinese_count(text) < max_chinese * letters


#: What a line of page code holds besides syntax: a statement's end, a block or an assignment (``;{}=``). A bare URL
#: line (a reference the article gives) or a parenthesised English aside passes :func:`is_code`'s test for a passage
#: but is no program.
_PROGRAM = frozenset(";{}=")


def code_lines(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` (original offsets) of the lines of ``text`` that are page code: a line holding a
    statement, a block or an assignment (:data:`_PROGRAM`) that is code by the test a copied passage gets
    (:func:`is_code` with :data:`PASSAGE_CODE_MAX_CHINESE`). Sina's tech pages end with an ad loader
    (``var adScript = document.createElement('script')…``, 482 of the 12,461 raw Sina items), its finance pages
    with ``SinaPage.loadWidget({…})`` widgets, some with a channel's CSS: text a reader never sees, which the
    crawl's extractor kept. Over the 12,461 items, 513 hold such lines. Pure."""
    if not any(c in text for c in _PROGRAM):
        return []  # most texts: nothing a program needs
    out, at = [], 0
    for line in text.split("\n"):
        end = at + len(line)
        if any(c in line for c in _PROGRAM) and is_code(line.strip(), PASSAGE_CODE_MAX_CHINESE):
            out.append((at, end))
        at = end + 1
    return out
