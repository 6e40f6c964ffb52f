"""Is a copy verbatim? What a ``may_reprint`` (verbatim-only) licence allows, measured, with every
difference listed so a person can check it.

A copy is *edited* when, compared with the licensed article:

* its title differs (after the furniture copiers add around a title — ``【转载】``, ``| 某某网``, ``（转）`` —
  and credits, which are not the article, are set aside);
* words or figures inside the copied article differ, or text was added inside it;
* text of the licensed article is missing (cut at the start, the end or in the middle).

Both texts are compared as :func:`~reprintwatch.dedupe.normalize` sees them (letters and digits, NFKC,
simplified, lower case; credits, datelines and WeChat furniture removed), so punctuation, spacing,
traditional characters and credit lines never count as edits. The copy is compared only between the first
and last aligned passage (what the verifier found copied), so a page that wraps the article in its own
intro or ads is not "edited" by that — but anything missing from the licensed article is.

A similarity score does not decide this: a rewritten headline and four changed figures scored 0.92,
above the old 0.8 cut-off. Any difference is an edit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Sequence

import numpy as np

from ..dedupe import normalize

# Longest text diffed character by character. difflib is quadratic in the worst case; news articles are a
# few thousand characters (the longest in the shared corpus is under 20 000).
MAX_DIFF_CHARS = 60_000
_SNIPPET = 24

# Title furniture: a short bracketed tag at either end, or a trailing "| site name" part.
_TITLE_TAG_RE = re.compile(r"^\s*[【\[［〔(（<《]\s*[^】\]］〕)）>》]{1,12}\s*[】\]］〕)）>》]\s*"
                           r"|\s*[【\[［〔(（]\s*[^】\]］〕)）]{1,12}\s*[】\]］〕)）]\s*$")
_TITLE_TAIL_RE = re.compile(r"\s*(?:\s[|｜\-–—_]\s?|[|｜_]|——|—)\s*[^|｜_—–]{1,24}$")
_TITLE_CREDIT_RE = re.compile(r"^\s*(?:转载|转自|转|来源|原创)\s*[:：丨|]\s*")


@dataclass(frozen=True)
class Edits:
    edited: bool
    differences: tuple[str, ...] = ()
    title_changed: bool = False
    cut_chars: int = 0
    changed_chars: int = 0
    added_chars: int = 0
    compared: bool = True  # False: there was nothing to compare against
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {
            "edited": self.edited,
            "differences": list(self.differences),
            "title_changed": self.title_changed,
            "cut_chars": self.cut_chars,
            "changed_chars": self.changed_chars,
            "added_chars": self.added_chars,
            "notes": list(self.notes),
        }


def _core(title: str) -> str:
    return normalize(title or "").text


def title_core(title: str) -> str:
    """A title without the furniture copiers put around it, normalised."""
    text = title or ""
    for _ in range(4):
        before = text
        text = _TITLE_CREDIT_RE.sub("", _TITLE_TAG_RE.sub("", text))
        text = _TITLE_TAIL_RE.sub("", text) if _TITLE_TAIL_RE.sub("", text).strip() else text
        if text == before:
            break
    return _core(text)


def compare_titles(licensed_title: str, copy_title: str) -> tuple[bool | None, str]:
    """``(changed, note)``; ``changed`` is ``None`` when either title is missing."""
    if not (licensed_title or "").strip() or not (copy_title or "").strip():
        return None, "title not compared (missing)"
    if _core(licensed_title) == _core(copy_title):
        return False, ""
    if title_core(licensed_title) == title_core(copy_title) or title_core(licensed_title) == _core(copy_title):
        return False, f"title furniture only: 「{_clip(copy_title, 60)}」"
    return True, f"title changed: 「{_clip(licensed_title, 60)}」 → 「{_clip(copy_title, 60)}」"


def _clip(text: str, n: int = _SNIPPET) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


_NUMBER_CHARS = set("0123456789.,，%％０１２３４５６７８９．")


def _original(text: str, norm, i: int, j: int, whole_numbers: bool = False) -> str:
    """The original text behind normalised characters ``[i, j)``; with ``whole_numbers``, widened to
    the whole figure around it (28.5 → 29.5, not 8 → 9)."""
    if j <= i:
        return ""
    a, b = norm.original_span(i, j)
    if whole_numbers:
        while a > 0 and text[a - 1] in _NUMBER_CHARS and (text[a - 1].isdigit() or text[a - 2 : a - 1].isdigit()):
            a -= 1
        while b < len(text) and text[b] in _NUMBER_CHARS and (text[b].isdigit() or text[b + 1 : b + 2].isdigit()):
            b += 1
    return text[a:b]


def _without_credits(norm, text: str):
    """``norm`` with the characters of credits (source lines, datelines, bylines, 原标题…) left out:
    a copy adding 来源：… or dropping a dateline is an attribution matter (reported there), not an edit."""
    from .attribution import find_credits

    spans = [(c.start, c.end) for c in find_credits(text) if c.kind != "url" and c.start >= 0]
    if not spans or not len(norm.offsets):
        return norm
    keep = np.ones(len(norm.offsets), dtype=bool)
    for a, b in spans:
        keep &= ~((norm.offsets >= a) & (norm.offsets < b))
    idx = np.flatnonzero(keep)
    return type(norm)("".join(norm.text[i] for i in idx), norm.offsets[idx], norm.removed)


def _region(norm, passages: Sequence[dict], key: str) -> tuple[int, int]:
    """Normalised index range covered by the passages on one side (``suspect`` or ``licensed``)."""
    starts = [int(p[f"{key}_start"]) for p in passages if isinstance(p, dict) and f"{key}_start" in p]
    ends = [int(p[f"{key}_end"]) for p in passages if isinstance(p, dict) and f"{key}_end" in p]
    if not starts or not ends or not len(norm.offsets):
        return 0, len(norm.text)
    lo = int(np.searchsorted(norm.offsets, min(starts), side="left"))
    hi = int(np.searchsorted(norm.offsets, max(ends), side="left"))
    return lo, max(lo, hi)


def _changes(opcodes, gap: int = 2):
    """Non-equal opcodes, with changes that only a ``gap``-character match separates merged into one
    (便捷 → 方便 is one changed word, not "added 方" and "cut 捷")."""
    merged: list[list] = []
    pending_gap = None
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            pending_gap = (i2 - i1) if merged else None
            continue
        if merged and pending_gap is not None and pending_gap <= gap:
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([op, i1, i2, j1, j2])
        pending_gap = None
    out = []
    for _, i1, i2, j1, j2 in merged:
        op = "insert" if i1 == i2 else "delete" if j1 == j2 else "replace"
        out.append((op, i1, i2, j1, j2))
    return out


def compare(
    licensed_title: str,
    licensed_text: str,
    copy_title: str,
    copy_text: str,
    passages: Sequence[dict] = (),
) -> Edits:
    """Compare a copy with the licensed article; see the module docstring. Pure."""
    differences: list[str] = []
    notes: list[str] = []
    title_changed, title_note = compare_titles(licensed_title, copy_title)
    if title_changed:
        differences.append(title_note)
    elif title_note:
        notes.append(title_note)

    lic = _without_credits(normalize(licensed_text or ""), licensed_text or "")
    cop = _without_credits(normalize(copy_text or ""), copy_text or "")
    lo, hi = _region(cop, passages, "suspect")
    a, b = lic.text, cop.text[lo:hi]
    if len(a) > MAX_DIFF_CHARS or len(b) > MAX_DIFF_CHARS:
        notes.append(f"texts over {MAX_DIFF_CHARS:,} characters: compared whole, without listing changes")
        same = a == b
        if not same:
            differences.append("the texts differ")
        return Edits(bool(title_changed) or not same, tuple(differences), bool(title_changed), compared=True,
                     notes=tuple(notes))
    cut = changed = added = 0
    for op, i1, i2, j1, j2 in _changes(SequenceMatcher(None, a, b, autojunk=False).get_opcodes()):
        digits = any(ch.isdigit() for ch in a[i1:i2] + b[j1:j2])
        old = _clip(_original(licensed_text, lic, i1, i2, digits))
        new = _clip(_original(copy_text, cop, lo + j1, lo + j2, digits))
        if op == "delete":
            cut += i2 - i1
            where = "at the start" if i1 == 0 else "at the end" if i2 == len(a) else "in the middle"
            differences.append(f"cut {i2 - i1} characters {where}: 「{old}」")
        elif op == "insert":
            added += j2 - j1
            differences.append(f"added {j2 - j1} characters: 「{new}」")
        else:
            changed += max(i2 - i1, j2 - j1)
            differences.append(f"{'figure' if digits else 'words'} changed: 「{old}」 → 「{new}」")
    edited = bool(title_changed) or bool(cut or changed or added)
    return Edits(edited, tuple(differences), bool(title_changed), cut, changed, added, True, tuple(notes))
