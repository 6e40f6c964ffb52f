"""Verification: exact comparison of a suspect with one candidate licensed article.

LSH only proposes candidates; this module decides. For a pair of :class:`Signature` it computes

* ``similarity`` — exact Jaccard of the two shingle sets;
* ``licensed_coverage`` — share of the licensed article's (normalised) characters found in the suspect;
* ``suspect_coverage`` — share of the suspect made of the licensed article;
* ``passages`` — the aligned copied passages, as ``[start, end)`` offsets into both *original* texts.

Passages are chains of exactly shared shingles along a diagonal, joined across small gaps (a swapped
synonym, an inserted word) of at most ``max_gap`` shingles. The verdict thresholds are in
:class:`Thresholds`; the README explains how they were measured.
"""
from __future__ import annotations

import unicodedata
import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .fingerprint import Signature, chars_before
from .normalize import NormalizedText, code_lines, normalize

FULL_REPRINT = "full_reprint"
PARTIAL_REPRINT = "partial_reprint"
NO_MATCH = "none"
VERDICTS = (FULL_REPRINT, PARTIAL_REPRINT, NO_MATCH)


@dataclass(frozen=True)
class Thresholds:
    # full reprint: passages span most of the licensed article (swapped words included) …
    full_coverage: float = 0.6
    # … and most of that is word for word (licensed_coverage counts only exactly shared text)
    full_min_copied: float = 0.4
    # partial reprint: at least this much copied text (normalised characters, i.e. without punctuation)
    partial_min_chars: int = 80
    # … in at least one passage this long (a copy, not scattered shared phrases): a copier takes paragraphs;
    # reports of one event, notices of one procedure and bios share sentence-sized stretches around which
    # their texts differ. On 50 real partials of the Sina crawl read by hand (bench/sina_pairs.py seed 1,
    # docs/findings.md) the 10 whose longest passage was under 50 characters were all wrong (facts, notices,
    # templates) and the shortest right one had 58; bench/quality.py's headline is the same at 30 and 50
    # (its 洗稿 copies below 50 are found by the rewrite path instead). Confirmed on a fresh seed (seed 2).
    partial_min_longest: int = 50
    # … and a pair with that much copied text whose longest passage is at least this long (the partial test
    # before 50) is a wash the shingle path half sees: the rewrite path aligns it whatever share of the
    # suspect's facts it holds (near_partial). bench/quality.py --archive's one 洗稿 copy lost at 50
    # (xigao-00054: 609 characters, longest 49) holds 30 of its source's 46 key facts, but the washer's rare
    # synonyms (吾侪, 众口一辞…) are facts too: 154 in the copy, so it fell under the fact gate's 20 %.
    rewrite_hint_longest: int = 30
    # … or a pair whose passages of that length are this share of the suspect: a short item that is mostly a
    # longer article's text (a news flash of 168 characters, 85 % of it a digest's paragraph). Of the 102
    # partials of bench/sina_pairs.py seed 1 that the 50-character passage removed, this keeps that flash
    # alone (read: a copy); the next is 0.46, a report of one event's announcement.
    partial_suspect_coverage: float = 0.5
    # … holding a stretch this long copied exactly: a news template (the same phrases around other
    # figures) chains into long passages across its gaps, but never shares 20 characters in a row
    partial_min_exact_chars: int = 20
    # a short licensed article (a news flash) counts when this share of it is copied
    short_article_coverage: float = 0.5
    short_article_min_chars: int = 30
    # passages shorter than this are shared phrases, not copying
    min_passage_chars: int = 12
    # gap (in shingles) bridged inside one passage: a replaced word or two
    max_gap: int = 6
    # a shingle repeated more often than this in the licensed text is not used to align
    max_repeats: int = 4
    # runs of fewer shared shingles are common phrases: not used to build passages
    min_run: int = 2


DEFAULT_THRESHOLDS = Thresholds()


def near_partial(v: "Verification", t: Thresholds = DEFAULT_THRESHOLDS) -> bool:
    """A pair that is no reprint but has the copied text of a partial in passages of at least
    ``rewrite_hint_longest`` characters: what a wash leaves exact (the rewrite path aligns it)."""
    return (not v.is_reprint and v.copied_chars >= t.partial_min_chars
            and v.longest_passage_chars >= t.rewrite_hint_longest)


@dataclass(frozen=True)
class Passage:
    suspect_start: int
    suspect_end: int
    licensed_start: int
    licensed_end: int
    chars: int  # normalised characters of the licensed side inside shared shingles

    def to_dict(self) -> dict:
        return {
            "suspect_start": self.suspect_start,
            "suspect_end": self.suspect_end,
            "licensed_start": self.licensed_start,
            "licensed_end": self.licensed_end,
        }


@dataclass(frozen=True)
class Verification:
    verdict: str
    similarity: float
    licensed_coverage: float
    suspect_coverage: float
    copied_chars: int
    longest_passage_chars: int
    passages: tuple[Passage, ...] = field(default_factory=tuple)

    @property
    def is_reprint(self) -> bool:
        return self.verdict != NO_MATCH

    def features(self) -> list[float]:
        """Similarity features for score calibration (see ``reprintwatch.dedupe.score``)."""
        return [
            self.similarity,
            self.licensed_coverage,
            self.suspect_coverage,
            float(np.log1p(self.copied_chars)),
            float(np.log1p(self.longest_passage_chars)),
            float(len(self.passages)),
        ]


def held_positions(suspect: Signature, licensed: Signature) -> tuple[np.ndarray, np.ndarray]:
    """``(l_pos, lo)``: the licensed shingle positions whose values the suspect has, and where each value
    starts in the suspect's shingles sorted (:attr:`Signature.shingle_order`). What :func:`may_reach_verdict`
    and :func:`verify` both read first: a check asks the bound, then verifies most candidates it lets through
    (1,986 of 2,408 at 100k licensed), so the caller may pass it to both (one binary search of ~1,000
    shingles a candidate instead of two)."""
    s_sorted = suspect.shingle_order[1]
    l_sh = licensed.shingles
    if len(s_sorted) == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    at = np.searchsorted(s_sorted, l_sh)
    l_pos = np.flatnonzero(s_sorted[np.minimum(at, len(s_sorted) - 1)] == l_sh)
    return l_pos, at[l_pos]


def _shared(s_sorted: np.ndarray, licensed: np.ndarray, held: tuple[np.ndarray, np.ndarray]):
    """:func:`held_positions` ``(l_pos, lo)`` completed: ``(l_pos, lo, count, order, first)`` — ``count`` how
    often each one's value is in the suspect, ``order`` those positions by value (stable), ``first`` True
    where a value starts in that order (so ``first.sum()`` is the number of distinct shingles the two share:
    the exact Jaccard's numerator)."""
    l_pos, lo = held
    vals = licensed[l_pos]
    count = np.searchsorted(s_sorted, vals, "right") - lo
    order = np.argsort(vals, kind="stable")
    by_value = vals[order]
    first = np.empty(len(by_value), dtype=bool)
    first[:1] = True
    np.not_equal(by_value[1:], by_value[:-1], out=first[1:])
    return l_pos, lo, count, order, first


def _runs(s_order: np.ndarray, shared, max_repeats: int, min_run: int) -> list[tuple[int, int, int, int]]:
    """Diagonal runs ``(s0, s1, l0, l1)`` (inclusive shingle indices) of at least ``min_run`` equal
    shingles; ``shared`` is :func:`_shared`'s lookup of the licensed shingles in the suspect's sorted ones
    (``s_order``: their positions in the suspect). Each suspect position pairs with the first ``max_repeats``
    licensed positions of its value: a licensed position pairs with every suspect position of its value when
    it is among its value's first ``max_repeats`` in the licensed text.

    One binary search of the licensed shingles into the suspect's (sorted once a check) where this searched
    both sides' shingles in the shared values and then the suspect's in the licensed ones: 0.58 → 0.43 s over
    the 4,725 candidate pairs of 1,000 checks at 100k licensed (bench/speed.py's archive, CPU, `91de7cb`) with
    the intersection verify() no longer needs; the same runs on every pair."""
    l_pos, lo, count, order, first = shared
    idx = np.arange(len(order))
    rank = idx - np.maximum.accumulate(np.where(first, idx, 0))  # among the licensed positions of its value
    keep = order[rank < max_repeats]
    l_pos, lo, count = l_pos[keep], lo[keep], count[keep]
    l_idx = np.repeat(l_pos, count)
    within = np.arange(len(l_idx)) - np.repeat(np.cumsum(count) - count, count)
    s_idx = s_order[np.repeat(lo, count) + within]
    diag = l_idx - s_idx
    sort = np.lexsort((s_idx, diag))
    s_idx, l_idx, diag = s_idx[sort], l_idx[sort], diag[sort]
    breaks = np.flatnonzero((np.diff(diag) != 0) | (np.diff(s_idx) != 1)) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [len(s_idx)])) - 1
    long_enough = (s_idx[ends] - s_idx[starts] + 1) >= min_run
    starts, ends = starts[long_enough], ends[long_enough]
    return list(zip(s_idx[starts].tolist(), s_idx[ends].tolist(), l_idx[starts].tolist(), l_idx[ends].tolist()))


def _chain(runs, max_gap: int) -> list[list]:
    """Join runs, in suspect order, that continue each other within ``max_gap`` on both sides.

    Each passage is ``[s0, s1, l0, l1, runs]``: its extent in shingle indices and the runs it is made of.
    """
    passages: list[list[int]] = []
    # (plain loops, not any() over generators: the generators were half of _chain's time, ~80 a call)
    # longest run first among runs starting together, so a repeated phrase does not pre-empt the copy
    for s0, s1, l0, l1 in sorted(runs, key=lambda r: (r[0], r[0] - r[1])):
        recent = passages[-8:]
        for p in recent:
            if p[0] <= s0 and s1 <= p[1]:
                break  # this part of the suspect is explained already
        else:
            for p in reversed(recent):
                if -max_gap <= s0 - p[1] - 1 <= max_gap and -max_gap <= l0 - p[3] - 1 <= max_gap and l1 > p[3]:
                    p[1], p[3] = max(p[1], s1), l1
                    p[4].append((s0, s1, l0, l1))
                    break
            else:
                passages.append([s0, s1, l0, l1, [(s0, s1, l0, l1)]])
    return _drop_echoes(passages)


def _drop_echoes(passages: list[list]) -> list[list]:
    """``passages`` without echoes, sorted: a passage whose suspect side ``[p[0], p[1]]`` lies inside another's
    is dropped, and of passages with the same suspect side the first is kept — what comparing each passage,
    longest first, with those kept before it gives (containment is transitive, so "inside a kept one" is
    "inside any longer one"). One sweep in suspect order instead of that comparison, which was quadratic: a
    disguised copy with a word changed every few tokens makes hundreds of passages (413 runs, 401 passages
    against one 9,677-character article at 100k licensed: _chain 4.5 -> 1.1 ms, verify() of the pair 11.9 -> 8.3 ms,
    medians, both forms alternating in one process; docs/benchmarks.md, round 6)."""
    kept: list[list] = []
    reach = -1  # the furthest suspect end of the passages before, in (start, longest first) order
    # a stable sort: of passages with the same suspect side the first comes first, and the others, reaching no
    # further, are dropped; the kept ones start at increasing positions, so they come out sorted
    for p in sorted(passages, key=lambda p: (p[0], -p[1])):
        if p[1] > reach:  # no passage starting at or before this one reaches its end: not inside one
            kept.append(p)
            reach = p[1]
    return kept


def _covered(ranges, chars_before: list[int]) -> int:
    """Normalised characters in the union of inclusive token ranges; ``chars_before[i]`` is the characters
    of tokens ``0 .. i-1`` (``fingerprint.chars_before``). Python over a handful of ranges: a boolean mask and a NumPy
    sum per passage were 0.1 ms of a check's 0.7 ms of verify() (1,060 checks at 10k licensed, b5c72f4)."""
    total, end = 0, -1
    for t0, t1 in sorted(ranges):
        if t1 > end:
            total += chars_before[t1 + 1] - chars_before[max(t0, end + 1)]
            end = t1
    return total


def _min_shared_shingles(licensed: Signature, t: Thresholds) -> int:
    """A lower bound on the shared shingles any reprint verdict needs.

    The smallest copy that counts has ``min(partial_min_chars, max(short_article_min_chars,
    short_article_coverage * licensed length))`` characters; a shingle adds at most one token, and tokens
    average under two characters (``MAX_CHARS_PER_SHINGLE`` = 4 leaves a wide margin).
    """
    need = min(t.partial_min_chars, max(t.short_article_min_chars, t.short_article_coverage * licensed.n_chars))
    return max(1, int(need // MAX_CHARS_PER_SHINGLE))


MAX_CHARS_PER_SHINGLE = 4


def verify(
    suspect: Signature, licensed: Signature, shingle_size: int, thresholds: Thresholds = DEFAULT_THRESHOLDS,
    held: tuple[np.ndarray, np.ndarray] | None = None,
) -> Verification:
    """The verdict on one pair; ``held``: :func:`held_positions` of the pair when the caller has it."""
    s_sh, l_sh = suspect.shingles, licensed.shingles
    none = Verification(NO_MATCH, 0.0, 0.0, 0.0, 0, 0)
    if len(s_sh) == 0 or len(l_sh) == 0:
        return none
    u_s, u_l = suspect.unique_shingles, licensed.unique_shingles
    s_order, s_sorted = suspect.shingle_order
    found = _shared(s_sorted, l_sh, held if held is not None else held_positions(suspect, licensed))
    shared = int(np.count_nonzero(found[4]))
    if shared == 0:
        return none
    similarity = shared / (len(u_s) + len(u_l) - shared)
    if shared < _min_shared_shingles(licensed, thresholds):
        # too little in common for any verdict: skip the alignment
        return Verification(NO_MATCH, round(float(similarity), 4), 0.0, 0.0, 0, 0)

    k_s = min(shingle_size, len(suspect.token_lens))
    k_l = min(shingle_size, len(licensed.token_lens))
    passages: list[Passage] = []
    # copied text = tokens inside shared shingles; the words a gap bridges (swapped, inserted) do not count
    s_matched: list[tuple[int, int]] = []
    l_matched: list[tuple[int, int]] = []
    l_spanned: list[tuple[int, int]] = []
    longest_exact = 0
    runs = _runs(s_order, found, thresholds.max_repeats, thresholds.min_run)
    l_before = chars_before(licensed.token_lens)
    for s0, s1, l0, l1, members in _chain(runs, thresholds.max_gap):
        l_tokens = [(a, min(b + k_l - 1, len(licensed.token_lens) - 1)) for _, _, a, b in members]
        chars = _covered(l_tokens, l_before)
        exact = max(l_before[b + 1] - l_before[a] for a, b in l_tokens)
        if chars < thresholds.min_passage_chars:
            continue
        st1 = min(s1 + k_s - 1, len(suspect.token_lens) - 1)
        lt1 = min(l1 + k_l - 1, len(licensed.token_lens) - 1)
        passages.append(
            Passage(
                suspect_start=int(suspect.token_spans[s0, 0]),
                suspect_end=int(suspect.token_spans[st1, 1]),
                licensed_start=int(licensed.token_spans[l0, 0]),
                licensed_end=int(licensed.token_spans[lt1, 1]),
                chars=chars,
            )
        )
        l_matched.extend(l_tokens)
        l_spanned.append((l0, lt1))
        longest_exact = max(longest_exact, exact)
        s_matched.extend((a, min(b + k_s - 1, len(suspect.token_lens) - 1)) for a, b, _, _ in members)
    if not passages:
        return Verification(NO_MATCH, round(float(similarity), 4), 0.0, 0.0, 0, 0)

    copied = _covered(l_matched, l_before)
    licensed_coverage = copied / max(1, licensed.n_chars)
    suspect_coverage = _covered(s_matched, suspect.chars_before) / max(1, suspect.n_chars)
    longest = max(p.chars for p in passages)
    t = thresholds
    extent = _covered(l_spanned, l_before) / max(1, licensed.n_chars)
    if (
        extent >= t.full_coverage
        and licensed_coverage >= t.full_min_copied
        and copied >= t.short_article_min_chars
    ):
        verdict = FULL_REPRINT
    elif (
        copied >= t.partial_min_chars
        and (longest >= t.partial_min_longest
             or (longest >= t.rewrite_hint_longest and suspect_coverage >= t.partial_suspect_coverage))
        and longest_exact >= t.partial_min_exact_chars
    ):
        verdict = PARTIAL_REPRINT
    elif licensed_coverage >= t.short_article_coverage and copied >= t.short_article_min_chars:
        verdict = PARTIAL_REPRINT
    else:
        verdict = NO_MATCH
    return Verification(
        verdict=verdict,
        similarity=round(float(similarity), 4),
        licensed_coverage=round(float(licensed_coverage), 4),
        suspect_coverage=round(float(suspect_coverage), 4),
        copied_chars=copied,
        longest_passage_chars=longest,
        passages=tuple(sorted(passages, key=lambda p: p.suspect_start)),
    )


def _positions(normalized: NormalizedText, spans) -> np.ndarray:
    """A mask over ``normalized``'s characters: those whose original offset lies in one of ``spans``."""
    mask = np.zeros(len(normalized.text), dtype=bool)
    if spans:
        edges = np.searchsorted(normalized.offsets, [x for span in spans for x in span]).tolist()
        for a, b in zip(edges[::2], edges[1::2]):
            mask[a:b] = True
    return mask


def without_code(v: Verification, suspect_text: str, suspect: NormalizedText, licensed_text: str,
                 licensed: Callable[[str], NormalizedText], t: Thresholds = DEFAULT_THRESHOLDS
                 ) -> tuple[Verification, bool]:
    """``v`` with page code (:func:`normalize.code_lines`: an ad loader, a page widget's script, a channel's CSS)
    counted out of both texts — coverages over each text's own prose, the copied text without the code both hold —
    and whether its passages then make a ``full_reprint`` (they span most of the licensed prose). The verdict is left
    as it was: the caller promotes a partial reprint to full only once attribution has kept it (a partial's rules
    read it first: the earnings desk's results lede in its share-price item, 0.74 of that item's prose, is the facts
    of one event — bench/sina_pairs.py seed 20, wip/furniture11 — and a full is never asked that).

    Why: a Sina page's trailing script is letters and digits like any text (the tech channel's ad loader is ~150
    of them), so a whole copy of a short item whose licensed page carries it read as a partial (bench/sina_pairs.py
    seed 20 on 2c67fd5, read12: TechWeb's Musk item 0.49 of the licensed page, PChome's TV tips 0.43, both the
    suspect whole). A page that is code is no article (``normalize.is_code``); a page's code is no part of it.
    ``suspect`` is the suspect's normalised text, ``licensed`` normalises the licensed one (called only when
    either text holds code: 513 of the 12,461 Sina items). Pure."""
    if not v.is_reprint:
        return v, False
    s_code, l_code = code_lines(suspect_text), code_lines(licensed_text)
    if not s_code and not l_code:
        return v, False  # most pairs
    l_norm = licensed(licensed_text)
    l_mask, s_mask = _positions(l_norm, l_code), _positions(suspect, s_code)
    l_in = _positions(l_norm, [(p.licensed_start, p.licensed_end) for p in v.passages])
    s_in = _positions(suspect, [(p.suspect_start, p.suspect_end) for p in v.passages])
    l_prose, s_prose = len(l_mask) - int(l_mask.sum()), len(s_mask) - int(s_mask.sum())
    if l_prose <= 0 or s_prose <= 0:
        return v, False  # a page that is all code: is_code's business, not this
    copied = max(0, v.copied_chars - int((l_in & l_mask).sum()))
    s_copied = max(0.0, v.suspect_coverage * len(s_mask) - int((s_in & s_mask).sum()))
    licensed_coverage = min(1.0, copied / l_prose)
    extent = int((l_in & ~l_mask).sum()) / l_prose
    full = extent >= t.full_coverage and licensed_coverage >= t.full_min_copied and copied >= t.short_article_min_chars
    return Verification(v.verdict, v.similarity, round(float(licensed_coverage), 4),
                        round(float(min(1.0, s_copied / s_prose)), 4), copied, v.longest_passage_chars,
                        v.passages), full


def extend_passages(passages: tuple[Passage, ...], suspect: NormalizedText,
                    licensed: NormalizedText | TokenText) -> tuple[Passage, ...]:
    """Grow each passage character by character while the normalised texts agree on both sides.

    Passages are built from whole tokens, and jieba may cut the first or last word of a copied stretch
    differently in the two texts (``5号线`` after a full stop, ``号线`` after another digit): this puts the
    missing characters back so a passage shows everything that was copied. ``licensed`` is the licensed
    text normalised, or read token by token (:class:`TokenText`, what :func:`extend_licensed_passages` uses).
    """
    if not passages:
        return passages
    s_text = suspect.text
    lic = licensed if isinstance(licensed, TokenText) else _WholeText(licensed)
    s_starts = np.searchsorted(suspect.offsets, [p.suspect_start for p in passages]).tolist()
    s_ends = np.searchsorted(suspect.offsets, [p.suspect_end for p in passages]).tolist()
    l_bounds = lic.positions([p.licensed_start for p in passages] + [p.licensed_end for p in passages])
    l_starts, l_ends = l_bounds[: len(passages)], l_bounds[len(passages) :]
    out = []
    for p, si, se, li, le in zip(passages, s_starts, s_ends, l_starts, l_ends):
        back, li = lic.walk_back(li, s_text, si)
        ahead, le = lic.walk_ahead(le, s_text, se)
        s_start, s_end = suspect.original_span(si - back, se + ahead)
        l_start, l_end = lic.original_span(li, le)
        out.append(Passage(min(s_start, p.suspect_start), max(s_end, p.suspect_end),
                           min(l_start, p.licensed_start), max(l_end, p.licensed_end), p.chars))
    return tuple(out)


def extend_licensed_passages(passages: tuple[Passage, ...], suspect: NormalizedText, content: str,
                             signature: Signature,
                             normalized: Callable[[str], NormalizedText] = normalize) -> tuple[Passage, ...]:
    """:func:`extend_passages` against a stored licensed article (its original ``content`` and signature).

    The extension looks at a character or two around each passage, so the licensed side is read token by
    token from the original text (:class:`TokenText`) instead of normalising all of it: normalising every
    matched licensed text was 8 % of a check (cProfile, 1,060 checks at 10k licensed, b5c72f4), for passages
    that moved by a few characters. Where a token cannot be proven (a signature without token hashes, a
    token whose normalised form depends on text around it, a signature that does not describe its text),
    the whole text is normalised (by ``normalized``: the caller may keep them), as before: the passages are
    the same either way (tests/test_extend_passages.py)."""
    if not passages:
        return passages
    if signature.token_hashes is not None:
        try:
            return extend_passages(passages, suspect, TokenText(content, signature))
        except UnprovenText:
            pass
    return extend_passages(passages, suspect, normalized(content))


class UnprovenText(Exception):
    """A part of the normalised text that cannot be read from the original text around it alone."""


class _WholeText:
    """A :class:`NormalizedText` as :func:`extend_passages` reads it (the interface of :class:`TokenText`;
    positions are indices into the normalised text)."""

    def __init__(self, normalized: NormalizedText):
        self.normalized = normalized

    def positions(self, original: list[int]) -> list[int]:
        return np.searchsorted(self.normalized.offsets, original).tolist()

    # A chunk at a time (one string comparison), then character by character in the chunk where the texts
    # part: a passage can grow by thousands of characters (copied text cut into several passages), and a
    # Python step per character was ~10 % of a check at 100k licensed (cProfile, 1,060 checks).
    def walk_back(self, i: int, s_text: str, si: int) -> tuple[int, int]:
        """``(k, i - k)``: ``k`` characters before position ``i`` equal those before ``s_text[si]``."""
        text, k = self.normalized.text, 0
        while (m := min(_CHUNK, si - k, i - k)) and s_text[si - k - m : si - k] == text[i - k - m : i - k]:
            k += m
        while si - k > 0 and i - k > 0 and s_text[si - k - 1] == text[i - k - 1]:
            k += 1
        return k, i - k

    def walk_ahead(self, i: int, s_text: str, si: int) -> tuple[int, int]:
        """``(k, i + k)``: ``k`` characters from position ``i`` on equal those from ``s_text[si]`` on."""
        text, k = self.normalized.text, 0
        while ((m := min(_CHUNK, len(s_text) - si - k, len(text) - i - k)) > 0
               and s_text[si + k : si + k + m] == text[i + k : i + k + m]):
            k += m
        while si + k < len(s_text) and i + k < len(text) and s_text[si + k] == text[i + k]:
            k += 1
        return k, i + k

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.normalized.original_span(start, end)


#: Characters ``_WholeText`` compares at once.
_CHUNK = 16
#: Tokens one walk of ``TokenText.walk_back`` / ``walk_ahead`` reads before giving up.
_MAX_WALK = 12


class TokenText:
    """The normalised text of a licensed article, read lazily token by token, as ``extend_passages`` needs it.

    Tokens tile the normalised text (``signature.token_lens``) and each knows its ``[start, end)`` in the
    original text (``token_spans``) and the CRC-32 of its normalised UTF-8 (``token_hashes``). A token's text
    is its original span as it stands (most Chinese news: every character a letter or digit that folding
    leaves alone) or that span normalised on its own, and is used only if its length and CRC-32 are the
    stored ones. Between tokens (and before the first, after the last) the original text must hold nothing
    normalisation keeps — true of every fingerprinted text; checked because a signature may not describe
    its text (bench/speed.py's mutated copies drop tokens). Anything unproven raises :class:`UnprovenText`
    (normalising a span alone can differ from normalising it in place: a traditional phrase across its
    edge, a boilerplate line inside it); the caller then normalises the whole text.

    A position is ``(token, index in it)``; ``(number of tokens, 0)`` is the end. A character's original
    offset comes with its token's text; the first of a token is its span's start, known without reading it.
    """

    def __init__(self, content: str, signature: Signature):
        self.content = content
        self.spans = signature.token_spans
        self.lens = signature.token_lens
        self.hashes = signature.token_hashes
        self.n = len(signature.token_lens)
        self._tokens: dict[int, tuple[str, np.ndarray]] = {}

    def token(self, t: int) -> tuple[str, np.ndarray]:
        """Text of token ``t`` and the original offset of each of its characters."""
        found = self._tokens.get(t)
        if found is not None:
            return found
        a, b = self.spans[t].tolist()
        n, crc = int(self.lens[t]), int(self.hashes[t])
        piece = self.content[a:b]
        if b - a == n and zlib.crc32(piece.encode("utf-8")) == crc:
            found = piece, np.arange(a, b)
        else:
            normalized = normalize(piece)
            if not (len(normalized.text) == n and zlib.crc32(normalized.text.encode("utf-8")) == crc
                    and int(normalized.offsets[0]) == 0 and int(normalized.offsets[-1]) == b - a - 1):
                raise UnprovenText(f"token {t}")
            found = normalized.text, normalized.offsets.astype(np.int64) + a
        self._tokens[t] = found
        return found

    def _gap_is_empty(self, t: int) -> None:
        """Raise unless nothing between token ``t - 1`` and token ``t`` (``0``: the text's start, ``n``: its
        end) is kept by normalisation."""
        a = int(self.spans[t - 1, 1]) if t > 0 else 0
        b = int(self.spans[t, 0]) if t < self.n else len(self.content)
        if a == b:
            return
        if any(c.isalnum() for c in unicodedata.normalize("NFKC", self.content[a:b])):
            # letters or digits between tokens: boilerplate taken out (a credit line), or text the signature
            # does not cover. Not normalised on its own to tell which: at 10k licensed this made no
            # difference, and at 100k (bench/speed.py's copies drop tokens) it cost 0.1 ms a check.
            raise UnprovenText(f"text before token {t}")

    def positions(self, original: list[int]) -> list[tuple[int, int]]:
        """The position of the first character at or after each ``original`` offset
        (``searchsorted(offsets, original)`` on a :class:`NormalizedText`)."""
        x = np.asarray(original)
        ts = np.searchsorted(self.spans[:, 1], x, "right")  # the first token ending after it
        inside = np.zeros(len(x), dtype=bool)
        ok = ts < self.n
        inside[ok] = self.spans[ts[ok], 0] < x[ok]  # the offset is within a token (rare: an NFKC expansion)
        out = [(t, 0) for t in ts.tolist()]
        for i in np.flatnonzero(inside).tolist():
            t = out[i][0]
            out[i] = (t, int(np.searchsorted(self.token(t)[1], original[i])))
        return out

    # Both walks compare a token at a time (one string comparison), then character by character inside the
    # token where the texts part. Most passages do not grow at all (1,060 checks at 10k licensed: 5,398
    # passages, 90 % moved by 0 characters, 1 % by more than 20 — up to thousands, where copied text was cut
    # into several passages); a walk longer than _MAX_WALK tokens gives up (UnprovenText) and the whole text
    # is normalised, which is cheaper than reading hundreds of tokens one by one.
    def walk_back(self, at: tuple[int, int], s_text: str, si: int) -> tuple[int, tuple[int, int]]:
        """``(k, position)``: ``k`` characters before position ``at`` equal those before ``s_text[si]``, and
        the position ``k`` characters back."""
        t, j = at
        k = walked = 0
        while si - k > 0:
            if j == 0:
                self._gap_is_empty(t)
                if t == 0:
                    break
                t -= 1
                j = int(self.lens[t])
            if walked == _MAX_WALK:
                raise UnprovenText("a long walk")
            walked += 1
            m = min(j, si - k)
            mine, theirs = self.token(t)[0][j - m : j], s_text[si - k - m : si - k]
            if mine != theirs:
                c = next(c for c in range(m) if mine[m - 1 - c] != theirs[m - 1 - c])
                return k + c, ((t, j - c) if c or j < int(self.lens[t]) else (t + 1, 0))
            k, j = k + m, j - m
        return k, (t, j)

    def walk_ahead(self, at: tuple[int, int], s_text: str, si: int) -> tuple[int, tuple[int, int]]:
        """``(k, position)``: ``k`` characters from position ``at`` on equal those from ``s_text[si]`` on, and
        the position ``k`` characters ahead."""
        t, j = at
        k = walked = 0
        while si + k < len(s_text):
            if t == self.n:
                self._gap_is_empty(t)
                break
            if j == 0 and t > 0:
                self._gap_is_empty(t)
            if walked == _MAX_WALK:
                raise UnprovenText("a long walk")
            walked += 1
            text = self.token(t)[0]
            m = min(len(text) - j, len(s_text) - si - k)
            mine, theirs = text[j : j + m], s_text[si + k : si + k + m]
            if mine != theirs:
                c = next(c for c in range(m) if mine[c] != theirs[c])
                return k + c, (t, j + c)
            k, j = k + m, j + m
            if j == len(text):
                t, j = t + 1, 0
        return k, (t, j)

    def original_span(self, start: tuple[int, int], end: tuple[int, int]) -> tuple[int, int]:
        """Original ``[start, end)`` of the characters from position ``start`` to before position ``end``."""
        if start >= end:
            raise ValueError("empty span")
        t, j = start
        first = int(self.spans[t, 0]) if j == 0 else int(self.token(t)[1][j])
        t, j = end
        last = int(self.spans[t - 1, 1]) if j == 0 else int(self.token(t)[1][j - 1]) + 1
        return first, last


def may_reach_verdict(suspect_unique: np.ndarray, licensed: Signature, shingle_size: int,
                      thresholds: Thresholds = DEFAULT_THRESHOLDS,
                      held: tuple[np.ndarray, np.ndarray] | None = None) -> bool:
    """False when :func:`verify` cannot give this pair a verdict, from an upper bound on what it would align:
    every run it aligns lies in a stretch of the licensed shingles whose values the suspect has
    (``suspect_unique``: its sorted distinct shingles), at least ``min_run`` long. So the copied characters are
    at most those stretches' tokens' characters, the longest exact stretch at most the longest one's; a
    verdict needs ``short_article_min_chars`` copied and either ``full_min_copied`` (or
    ``short_article_coverage``) of the licensed text or ``partial_min_chars`` with ``partial_min_exact_chars``
    in one stretch. Checked on 6,191 candidate pairs of bench/speed.py's 100k archive: 0 of 4,816 reprints
    ruled out, 1,293 of the 1,375 others (each a full alignment saved: a check meeting many stories that share
    stock text with the suspect aligned ~20 of them for nothing). ``held``: :func:`held_positions` of the
    pair (its ``l_pos`` are the positions this reads), when the caller has it."""
    l_sh = licensed.shingles
    lens = licensed.token_lens
    if len(l_sh) == 0 or len(suspect_unique) == 0:
        return False
    mask = np.zeros(len(l_sh) + 2, dtype=np.int8)
    if held is not None:
        mask[held[0] + 1] = 1
    else:
        at = np.searchsorted(suspect_unique, l_sh)
        at[at == len(suspect_unique)] = len(suspect_unique) - 1
        mask[1:-1] = suspect_unique[at] == l_sh
    edges = np.flatnonzero(mask[1:] != mask[:-1])
    starts, ends = edges[::2], edges[1::2] - 1  # inclusive shingle indices of each stretch
    long_enough = ends - starts + 1 >= thresholds.min_run
    if not long_enough.any():
        return False
    starts, ends = starts[long_enough], ends[long_enough]
    k = min(shingle_size, len(lens))
    chars_before = np.concatenate(([0], np.cumsum(lens)))
    chars = chars_before[np.minimum(ends + k - 1, len(lens) - 1) + 1] - chars_before[starts]
    copied, exact = int(chars.sum()), int(chars.max())
    t = thresholds
    if copied < t.short_article_min_chars:
        return False
    if copied >= min(t.full_min_copied, t.short_article_coverage) * max(1, int(chars_before[-1])):
        return True
    return copied >= max(t.partial_min_chars, t.partial_min_longest) and exact >= t.partial_min_exact_chars


#: Fewer candidates than this are bounded one at a time by :func:`bounds_many`. bench/speed.py's 1,060 checks at
#: 100k (CPU, min of 6, order alternating, `51a545d`): mean µs one at a time / one pass — 1 candidate 40 / 41,
#: 2–3: 135 / 148, 4–9: 302 / 243, 10–19: 484 / 292, 20–50: 2,542 / 2,034.
BOUNDS_MANY_MIN = 4


def bounds_many(suspect: Signature, licensed: list[Signature], shingle_size: int,
                thresholds: Thresholds = DEFAULT_THRESHOLDS) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray]:
    """``([held_positions(suspect, l) for l in licensed], [may_reach_verdict(..., l, ...) for l in licensed])``
    in one pass over the candidates' shingles concatenated: one binary search into the suspect's sorted
    shingles, one stretch scan with a zero between candidates, per-candidate sums and maxima by ``reduceat``.
    The same answers (tests/test_verify.py compares them on random and edge inputs); check 20 of
    bench/speed.py's texts at 100k, 50 candidates: 2.0 → 1.1 ms CPU (docs/benchmarks.md "Bounds, round 7")."""
    n = len(licensed)
    s_sorted = suspect.shingle_order[1]
    empty = np.zeros(0, dtype=np.intp)
    if n == 0:
        return [], np.zeros(0, dtype=bool)
    if len(s_sorted) == 0:
        return [(empty, empty) for _ in range(n)], np.zeros(n, dtype=bool)
    if n < BOUNDS_MANY_MIN:  # one at a time: the pass's ~30 calls cost more than a few candidates' own ~15 each
        helds = [held_positions(suspect, l) for l in licensed]
        return helds, np.array([may_reach_verdict(suspect.unique_shingles, l, shingle_size, thresholds, h)
                                for l, h in zip(licensed, helds)], dtype=bool)
    sizes = np.array([len(l.shingles) for l in licensed], dtype=np.intp)
    off = np.zeros(n + 1, dtype=np.intp)
    np.cumsum(sizes, out=off[1:])
    all_sh = np.concatenate([l.shingles for l in licensed])
    at = np.searchsorted(s_sorted, all_sh)
    hit = s_sorted[np.minimum(at, len(s_sorted) - 1)] == all_sh
    g_pos = np.flatnonzero(hit)
    cut = np.searchsorted(g_pos, off)
    helds = [(g_pos[cut[i]:cut[i + 1]] - off[i], at[g_pos[cut[i]:cut[i + 1]]]) for i in range(n)]
    # stretches: the hits laid out with one zero before, between and after the candidates, so none spans two
    cand_of = np.repeat(np.arange(n, dtype=np.intp), sizes)
    mask = np.zeros(len(all_sh) + n + 1, dtype=np.int8)
    mask[np.arange(len(all_sh)) + cand_of + 1] = hit
    edges = np.flatnonzero(mask[1:] != mask[:-1])
    e_start, e_end = edges[::2], edges[1::2] - 1  # a stretch's first and last shingle: global index + candidate
    c = np.searchsorted(off[:-1] + np.arange(1, n + 1), e_start + 1, "right") - 1  # candidate c: [off[c]+c+1, ..)
    starts, ends = e_start - c - off[c], e_end - c - off[c]  # inclusive shingle indices within each candidate
    keep = ends - starts + 1 >= thresholds.min_run
    c, starts, ends = c[keep], starts[keep], ends[keep]
    n_tok = np.array([len(l.token_lens) for l in licensed], dtype=np.intp)
    t_off = np.zeros(n + 1, dtype=np.intp)
    np.cumsum(n_tok, out=t_off[1:])
    chars_before = np.zeros(t_off[-1] + 1, dtype=np.int64)
    if t_off[-1]:
        np.cumsum(np.concatenate([l.token_lens for l in licensed]), out=chars_before[1:])
    k = np.minimum(shingle_size, n_tok[c])
    chars = chars_before[t_off[c] + np.minimum(ends + k - 1, n_tok[c] - 1) + 1] - chars_before[t_off[c] + starts]
    has = np.zeros(n, dtype=bool)
    copied = np.zeros(n, dtype=np.int64)
    exact = np.zeros(n, dtype=np.int64)
    if len(c):
        first = np.flatnonzero(np.concatenate(([True], c[1:] != c[:-1])))  # c is ascending: one group a candidate
        has[c[first]] = True
        copied[c[first]] = np.add.reduceat(chars, first)
        exact[c[first]] = np.maximum.reduceat(chars, first)
    total = np.maximum(1, chars_before[t_off[1:]] - chars_before[t_off[:-1]])
    t = thresholds
    ok = has & (sizes > 0) & (copied >= t.short_article_min_chars) & (
        (copied >= min(t.full_min_copied, t.short_article_coverage) * total)
        | ((copied >= max(t.partial_min_chars, t.partial_min_longest)) & (exact >= t.partial_min_exact_chars)))
    return helds, ok
