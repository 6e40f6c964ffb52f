"""How the licensed articles a suspect matches relate to each other: which one explains which copied text.

A finding claims that a copier took a licensed article. In an archive, licensed articles share text with each
other — a wire service's daily template (the same sentences around other figures), a series' introduction or
closing paragraph, a site's promotion block, one story carried twice — so a copy of one of them shares text
with all of them. Verified pair by pair, each of those pairs passes (bench/quality.py --archive on fd67b23:
37 % of the findings of 2,000 copies named an article the copy did not take; 29 days of one market report
for a copy of one day's).

:func:`explain_away` credits each copied passage to the licensed article that best explains it, as a
similarity report credits each passage to one best source: the articles are taken best first (most copied
text, then the larger share of their own text); each one is a finding only for the copied text that the
articles before it have not explained, and only when that text alone would make a verdict. So a 拼接稿 still
names every source (each explains its own piece) and an excerpt still names its one source, while a template
sibling, a series member or an article sharing a site's boilerplate — whose shared text lies inside the text
the copied article explains — is listed under that article, not reported.

Pure functions over passages' suspect-side extents in normalised characters; the detector maps them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .verify import DEFAULT_THRESHOLDS, Thresholds


@dataclass(frozen=True)
class Claim:
    """What one verified licensed article claims of the suspect: its passages' suspect-side extents as
    ``[start, end)`` in normalised characters, and its own length (normalised characters)."""

    spans: tuple[tuple[int, int], ...]
    licensed_chars: int


@dataclass(frozen=True)
class Credit:
    """The outcome for one claim: a finding (``kept``), or explained by the claim at ``explained_by`` (an index
    into the claims given) and listed with it. ``unexplained`` is the copied text (normalised characters) no
    claim taken before it explains; ``shared`` is all of its copied text."""

    kept: bool
    unexplained: int
    longest_unexplained: int
    shared: int
    explained_by: int | None = None


def _union(spans) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _minus(spans: list[tuple[int, int]], covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``spans`` (a union) outside ``covered`` (a union)."""
    out = []
    for a, b in spans:
        for c, d in covered:
            if d <= a or c >= b:
                continue
            if c > a:
                out.append((a, c))
            a = max(a, d)
            if a >= b:
                break
        if a < b:
            out.append((a, b))
    return out


def _overlap(spans: list[tuple[int, int]], other: list[tuple[int, int]]) -> int:
    return sum(max(0, min(b, d) - max(a, c)) for a, b in spans for c, d in other)


def stands_alone(chars: int, longest: int, licensed_chars: int, t: Thresholds = DEFAULT_THRESHOLDS) -> bool:
    """Whether ``chars`` of copied text, ``longest`` of them in one stretch, make a verdict by themselves: the
    partial-reprint test of verify.py (``partial_min_chars``, ``partial_min_longest``) or its short-article
    test (``short_article_coverage`` of a short licensed article)."""
    if chars >= t.partial_min_chars and longest >= t.partial_min_longest:
        return True
    return chars >= t.short_article_min_chars and chars >= t.short_article_coverage * licensed_chars


def explain_away(claims: Sequence[Claim], t: Thresholds = DEFAULT_THRESHOLDS) -> list[Credit]:
    """One :class:`Credit` for each claim, claims given best first (the caller's order: most copied text).

    A claim is kept when the copied text the kept claims before it leave unexplained stands alone
    (:func:`stands_alone`); otherwise it is explained by the kept claim sharing most of its text. The first
    claim is always kept."""
    covered: list[tuple[int, int]] = []
    kept_spans: list[tuple[int, list[tuple[int, int]]]] = []
    out: list[Credit] = []
    for n, claim in enumerate(claims):
        spans = _union(claim.spans)
        shared = sum(b - a for a, b in spans)
        rest = _minus(spans, covered)
        unexplained = sum(b - a for a, b in rest)
        longest = max((b - a for a, b in rest), default=0)
        if not kept_spans or stands_alone(unexplained, longest, claim.licensed_chars, t):
            out.append(Credit(True, unexplained, longest, shared))
            kept_spans.append((n, spans))
            covered = _union(covered + spans)
        else:
            by = max(kept_spans, key=lambda k: (_overlap(spans, k[1]), -k[0]))[0]
            out.append(Credit(False, unexplained, longest, shared, by))
    return out
