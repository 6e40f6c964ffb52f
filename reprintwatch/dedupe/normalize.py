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

__all__ = ["NormalizedText", "Removed", "normalize"]

# Characters removed before anything else: zero-width and other format characters, variation selectors,
# soft hyphen, and decoration ideographs/dots that copiers sprinkle between characters. Emoji and
# punctuation go later with everything that is not a letter or a digit.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_DECORATION = "丨丶丿乀乁·•・‧∙⋅"
_DROP_RE = re.compile(f"[{_INVISIBLE}{_DECORATION}]+")


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


@lru_cache(maxsize=1)
def _alnum_table() -> np.ndarray:
    """``table[cp]`` is True when code point ``cp`` is a letter or digit (``str.isalnum``), not ``_``."""
    # Planes 0-2 cover all scripts that matter here; astral code points beyond are treated as non-text.
    table = np.fromiter((chr(cp).isalnum() for cp in range(0x30000)), dtype=bool, count=0x30000)
    for ch in _DECORATION:
        table[ord(ch)] = False
    return table


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _from_codepoints(cps: np.ndarray) -> str:
    return cps.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def _fold(text: str) -> tuple[str, np.ndarray]:
    """Drop invisible/decoration characters and NFKC-fold; return the folded text and its offset map."""
    pieces: list[str] = []
    offsets: list[np.ndarray] = []
    pos = 0
    spans = [(m.start(), m.end()) for m in _DROP_RE.finditer(text)] + [(len(text), len(text))]
    for drop_start, drop_end in spans:
        if drop_start > pos:
            run = text[pos:drop_start]
            if unicodedata.is_normalized("NFKC", run):
                pieces.append(run)
                offsets.append(np.arange(pos, drop_start, dtype=np.int32))
            else:
                folded, offs = _fold_slow(run, pos)
                pieces.append(folded)
                offsets.append(offs)
        pos = drop_end
    if not pieces:
        return "", np.zeros(0, dtype=np.int32)
    return "".join(pieces), np.concatenate(offsets)


def _fold_slow(run: str, base: int) -> tuple[str, np.ndarray]:
    out: list[str] = []
    offs: list[int] = []
    for i, ch in enumerate(run):
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded)
        offs.extend([base + i] * len(folded))
    return "".join(out), np.asarray(offs, dtype=np.int32)


def _convert_same_length(text: str, convert) -> str:
    """Apply ``convert`` keeping one output character per input character (so offsets stay valid)."""
    converted = convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for fingerprinting. Pure: the same text always gives the same result."""
    folded, fold_offsets = _fold(text)
    folded = _convert_same_length(folded, str.lower)
    folded = _convert_same_length(folded, _converter().convert)

    removed_spans = find_boilerplate(folded)
    cps = _codepoints(folded)
    table = _alnum_table()
    keep = np.zeros(len(cps), dtype=bool)
    inside = cps < len(table)
    keep[inside] = table[cps[inside]]
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
