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

from dataclasses import asdict, dataclass, field

import numpy as np

from .fingerprint import Signature

FULL_REPRINT = "full_reprint"
PARTIAL_REPRINT = "partial_reprint"
NO_MATCH = "none"
VERDICTS = (FULL_REPRINT, PARTIAL_REPRINT, NO_MATCH)


@dataclass(frozen=True)
class Thresholds:
    # full reprint: most of the licensed article is there
    full_coverage: float = 0.6
    # partial reprint: at least this much copied text (normalised characters, i.e. without punctuation)
    partial_min_chars: int = 80
    # … in at least one passage this long (a copy, not scattered shared phrases)
    partial_min_longest: int = 30
    # a short licensed article (a news flash) counts when this share of it is copied
    short_article_coverage: float = 0.5
    short_article_min_chars: int = 30
    # passages shorter than this are shared phrases, not copying
    min_passage_chars: int = 12
    # gap (in shingles) bridged inside one passage: a replaced word or two
    max_gap: int = 6
    # a shingle repeated more often than this in the licensed text is not used to align
    max_repeats: int = 4


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Passage:
    suspect_start: int
    suspect_end: int
    licensed_start: int
    licensed_end: int
    chars: int  # normalised characters in the licensed side

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


def _runs(suspect: np.ndarray, licensed: np.ndarray, max_repeats: int) -> list[tuple[int, int, int, int]]:
    """Maximal diagonal runs ``(s0, s1, l0, l1)`` (inclusive shingle indices) of equal shingles."""
    order = np.argsort(licensed, kind="stable")
    sorted_l = licensed[order]
    lo = np.searchsorted(sorted_l, suspect, side="left")
    hi = np.searchsorted(sorted_l, suspect, side="right")
    counts = np.minimum(hi - lo, max_repeats)
    matched = np.flatnonzero(counts > 0)
    if len(matched) == 0:
        return []
    reps = counts[matched]
    s_idx = np.repeat(matched, reps)
    first = np.repeat(lo[matched], reps)
    within = np.arange(len(s_idx)) - np.repeat(np.cumsum(reps) - reps, reps)
    l_idx = order[first + within]
    diag = l_idx - s_idx
    sort = np.lexsort((s_idx, diag))
    s_idx, l_idx, diag = s_idx[sort], l_idx[sort], diag[sort]
    breaks = np.flatnonzero((np.diff(diag) != 0) | (np.diff(s_idx) != 1)) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [len(s_idx)])) - 1
    return sorted(
        zip(s_idx[starts].tolist(), s_idx[ends].tolist(), l_idx[starts].tolist(), l_idx[ends].tolist())
    )


def _chain(runs, max_gap: int) -> list[list[int]]:
    """Join runs, in suspect order, that continue each other within ``max_gap`` on both sides."""
    passages: list[list[int]] = []
    for s0, s1, l0, l1 in runs:
        if passages:
            p = passages[-1]
            if s1 <= p[1] and p[2] <= l0 and l1 <= p[3]:
                continue  # inside the current passage already
            if 0 <= s0 - p[1] - 1 <= max_gap and -max_gap <= l0 - p[3] - 1 <= max_gap and l1 > p[3]:
                p[1], p[3] = max(p[1], s1), max(p[3], l1)
                continue
        passages.append([s0, s1, l0, l1])
    return passages


def _covered(ranges: list[tuple[int, int]], token_lens: np.ndarray) -> int:
    """Normalised characters in the union of inclusive token ranges."""
    mask = np.zeros(len(token_lens), dtype=bool)
    for t0, t1 in ranges:
        mask[t0 : t1 + 1] = True
    return int(token_lens[mask].sum())


def verify(
    suspect: Signature, licensed: Signature, shingle_size: int, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Verification:
    s_sh, l_sh = suspect.shingles, licensed.shingles
    none = Verification(NO_MATCH, 0.0, 0.0, 0.0, 0, 0)
    if len(s_sh) == 0 or len(l_sh) == 0:
        return none
    u_s, u_l = np.unique(s_sh), np.unique(l_sh)
    shared = np.intersect1d(u_s, u_l, assume_unique=True).size
    if shared == 0:
        return none
    similarity = shared / (len(u_s) + len(u_l) - shared)

    k_s = min(shingle_size, len(suspect.token_lens))
    k_l = min(shingle_size, len(licensed.token_lens))
    passages: list[Passage] = []
    s_ranges: list[tuple[int, int]] = []
    l_ranges: list[tuple[int, int]] = []
    for s0, s1, l0, l1 in _chain(_runs(s_sh, l_sh, thresholds.max_repeats), thresholds.max_gap):
        st0, st1 = s0, min(s1 + k_s - 1, len(suspect.token_lens) - 1)
        lt0, lt1 = l0, min(l1 + k_l - 1, len(licensed.token_lens) - 1)
        chars = int(licensed.token_lens[lt0 : lt1 + 1].sum())
        if chars < thresholds.min_passage_chars:
            continue
        passages.append(
            Passage(
                suspect_start=int(suspect.token_spans[st0, 0]),
                suspect_end=int(suspect.token_spans[st1, 1]),
                licensed_start=int(licensed.token_spans[lt0, 0]),
                licensed_end=int(licensed.token_spans[lt1, 1]),
                chars=chars,
            )
        )
        s_ranges.append((st0, st1))
        l_ranges.append((lt0, lt1))
    if not passages:
        return Verification(NO_MATCH, similarity, 0.0, 0.0, 0, 0)

    copied = _covered(l_ranges, licensed.token_lens)
    licensed_coverage = copied / max(1, licensed.n_chars)
    suspect_coverage = _covered(s_ranges, suspect.token_lens) / max(1, suspect.n_chars)
    longest = max(p.chars for p in passages)
    t = thresholds
    if licensed_coverage >= t.full_coverage and copied >= t.short_article_min_chars:
        verdict = FULL_REPRINT
    elif copied >= t.partial_min_chars and longest >= t.partial_min_longest:
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


def thresholds_dict(thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    return asdict(thresholds)
