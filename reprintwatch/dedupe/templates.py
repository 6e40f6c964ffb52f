"""Template siblings: two issues of one template share their sentences around *different figures*.

A wire service's daily market report, a tutoring firm's daily 国考 tally, a weekly chart: day N's and day M's
issue say 截至24日16时…报名人数为41937人…审核通过人数为… and 截至26日16时…报名人数为47506人…, word for word but for
the figures. Verified as a pair, the sentences chain into long passages across the figures (a gap of a few
shingles is bridged as a swapped word), and the later issue is a ``full_reprint`` of the earlier one (issue 19:
the one wrong full reprint of 25 read on the Sina crawl). A real copy keeps the figures — even a copy of a
market report: it is that day's figures that make it that day's report — and no disguise of the benchmarks
changes a digit (full-width digits are folded by normalisation; washing swaps words, not figures).

So a passage is *template text* when, at some place where the two texts part, both hold a figure there and
the figures differ (:func:`figure_breaks`): inside the passage (a place the chain bridged) or at either of its
ends (the passage stops at the figure). Such passages are no evidence of copying (``relations.explain_away``
leaves them out, as it leaves out quotations); a pair is a finding only for the copied text around them that
makes a verdict by itself.

Pure functions over normalised text (``dedupe.normalize``: letters and digits only, so 283.5 is 2835 on both
sides) and passages' extents in it.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Callable

import numpy as np

from .normalize import NormalizedText
from .rewrite import _SENTENCE_END

_DIGITS = re.compile(r"\d+")


def _digits_grown(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` grown over the digits touching it on either side."""
    while start > 0 and text[start - 1].isdigit():
        start -= 1
    while end < len(text) and text[end].isdigit():
        end += 1
    return start, end


def _digits_around(text: str, start: int, end: int) -> str:
    """The digits of ``text[start:end]`` grown over the digits touching it on either side ('' when none): the
    figure a text holds at a place where two texts part."""
    return "".join(_DIGITS.findall(text, *_digits_grown(text, start, end)))


def _parted_figures(suspect: str, s_span: tuple[int, int], licensed: str, l_span: tuple[int, int]):
    """``(position in suspect, suspect's figure, licensed's figure)`` of every place of one passage where the two
    texts hold different figures (see :func:`figure_breaks`)."""
    s0, s1 = s_span
    l0, l1 = l_span
    a, b = suspect[s0:s1], licensed[l0:l1]
    out = []
    for at, l_at in ((s0, l0), (s1, l1)):
        x, y = _digits_around(suspect, at, at), _digits_around(licensed, l_at, l_at)
        if x and y and x != y:
            out.append((at, x, y))
    if a == b or (not _DIGITS.search(a) and not _DIGITS.search(b)):
        return out  # most passages: copied as they stand, or without a figure to differ
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            x, y = _digits_around(suspect, s0 + i1, s0 + i2), _digits_around(licensed, l0 + j1, l0 + j2)
            if x and y and x != y:
                out.append((s0 + i1, x, y))
    return sorted(out)


def figure_breaks(suspect: str, s_span: tuple[int, int], licensed: str, l_span: tuple[int, int]) -> list[int]:
    """The places of one passage where the two texts hold different figures, as positions in ``suspect``:
    ``suspect`` and ``licensed`` are normalised texts, ``s_span`` and ``l_span`` the passage's ``[start, end)``
    in each.

    Inside the passage, the places where its two sides part (``difflib`` opcodes: 41937 against 47506, 税务系统
    against 铁路公安) count when both sides hold a figure there and the figures differ — a word swapped next
    to an equal figure (10个 / 10项) does not. At each end, the figures touching the boundary on both sides
    count the same way (a passage that stops at 报名人数为 because one text goes on 41937 and the other 47506).
    A copy's passages have none (its text is the same on both sides, figures included)."""
    return [at for at, _, _ in _parted_figures(suspect, s_span, licensed, l_span)]


def _figure_starts(text: str, places: list[int]) -> list[int]:
    """The start of the figure (digit run) at each place, each figure once: two places inside one figure
    (41937 against 47506 parts twice) are one figure that differs."""
    out = set()
    for at in places:
        while at > 0 and at <= len(text) and text[at - 1].isdigit():
            at -= 1
        out.add(at)
    return sorted(out)


def _sentence(text: str, at: int) -> tuple[int, int]:
    """``[start, end)`` of the sentence of ``text`` holding offset ``at`` (its closing marks included), cut
    where the rewrite path cuts sentences: a template's text is the sentences holding its figures (the prose
    a copier took beside them — an expert's advice after the day's tally — is not)."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, at - 400), at)), default=max(0, at - 400))
    end = _SENTENCE_END.search(text, at)
    return start, (end.end() if end else len(text))


def _digit_string(text: str, start: int = 0, end: int | None = None) -> str:
    """The decimal digits of ``text[start:end]`` as ASCII digits (a full-width ５ is 5, as normalisation folds it).

    One regex over the slice (``\\d`` is exactly ``str.isdecimal``), the rare non-ASCII digit translated after:
    the character-by-character loop it replaces read every character of a matched licensed passage — a whole
    article for a full reprint — and was 16 % of attribution's CPU time (cProfile, bench/attribution_cost.py
    at 10k on 4818024)."""
    digits = "".join(_DIGITS.findall(text, start, len(text) if end is None else end))
    return digits if digits.isascii() else "".join(str(unicodedata.decimal(c)) for c in digits)


def _title_figures(title: str) -> set[str]:
    """The figures of a title as normalisation reads them (3.3万 is 33, full-width digits folded)."""
    folded = unicodedata.normalize("NFKC", title or "")
    return set(_DIGITS.findall(re.sub(r"[^\w]", "", folded)))


def headline_figure_parted(parted, suspect_title: str, licensed_title: str) -> bool:
    """Whether the two texts part at a headline figure: at one of the places ``parted``
    (:func:`_parted_figures`: position, suspect's figure, licensed's figure) the suspect holds a figure of its
    own title, or the licensed text one of its title — the figure the item exists to report is not the other's.
    Two items of one day's tally (国考海关系统1461人过审 / 国考海事系统896人过审, 铁路公安7290人 / 税务系统2.5万:
    Sina seeds 1 and 2 on 3574251) share the day's lead and its figures (截至23日16时, 5.4万人过审) and part at
    that one figure; a copy keeps the licensed article's figures, its headline figure among them. A title's
    other digits (360安全大脑, a date both hold) part nowhere and say nothing."""
    mine, theirs = _title_figures(suspect_title), _title_figures(licensed_title)
    return any(x in mine or y in theirs for _, x, y in parted)


#: How far either side of a passage's edge :func:`title_slot_spans` reads for a slot (normalised characters of the
#: suspect, original characters of the licensed text, normalised after): a
#: casting item's dateline, name and credits before its shared text (新浪娱乐讯北京时间10月26日消息，杰米·李·柯蒂斯
#: （《真实的谎言》《月光光心慌慌》）加盟…) is 40-odd characters.
SLOT_WINDOW = 60
#: A slot's filler is at most this many normalised characters on either side: the fillers of the Sina casting
#: items are 4-17 (丽贝卡豪尔, 杰米李柯蒂斯真实的谎言月光光心慌慌); a copier's own lead before a copy is longer.
SLOT_FILLER = 24
#: The same words before (or after) a slot, and a title term in a filler: 3 normalised characters at least
#: (日消息 is the anchor of a casting item's dateline; 大空头, 休格兰特 the titles' terms; two characters would
#: match 加盟 and 新片 of any two casting items).
SLOT_ANCHOR = 3


def _title_term(filler: str, title: str, other: str) -> str:
    """A run of ``SLOT_ANCHOR`` characters or more that ``filler`` shares with ``title`` (normalised) and the
    ``other`` filler lacks ('' when none)."""
    if len(filler) < SLOT_ANCHOR or len(title) < SLOT_ANCHOR:
        return ""
    blocks = difflib.SequenceMatcher(None, filler, title, autojunk=False).get_matching_blocks()
    return next((filler[i:i + n] for i, _, n in blocks if n >= SLOT_ANCHOR and filler[i:i + n] not in other), "")


def _fillers(s_window: str, l_window: str, before: bool) -> tuple[str, str] | None:
    """The two texts' fillers of a slot at a passage's edge: ``s_window`` and ``l_window`` are the normalised
    text just before the passage (``before``) or just after it on each side; the slot runs from the passage to
    the nearest run of ``SLOT_ANCHOR`` characters both windows hold (the same words on both sides of the slot).
    None when there is no such run or a filler is empty or longer than ``SLOT_FILLER``."""
    if not s_window or not l_window:
        return None
    blocks = [b for b in difflib.SequenceMatcher(None, s_window, l_window, autojunk=False).get_matching_blocks()
              if b.size >= SLOT_ANCHOR]
    if not blocks:
        return None
    if before:
        i, j, n = blocks[-1]
        fs, fl = s_window[i + n:], l_window[j + n:]
    else:
        i, j, _ = blocks[0]
        fs, fl = s_window[:i], l_window[:j]
    if not fs or not fl or len(fs) > SLOT_FILLER or len(fl) > SLOT_FILLER:
        return None
    return fs, fl


def _grams(text: str) -> set[str]:
    """The runs of ``SLOT_ANCHOR`` characters of ``text``: a title's, to ask a window whether it may hold a term."""
    return {text[i:i + SLOT_ANCHOR] for i in range(len(text) - SLOT_ANCHOR + 1)}


def _may_hold(text: str, grams: set[str]) -> bool:
    return bool(grams) and any(text[i:i + SLOT_ANCHOR] in grams for i in range(len(text) - SLOT_ANCHOR + 1))


def title_slot_spans(passages, suspect: NormalizedText, suspect_text: str, licensed: str, titles: tuple[str, str],
                     normalized: Callable[[str], NormalizedText]) -> list[tuple[int, int]]:
    """The template text of ``passages`` that part from the licensed text in a slot at a title's term: the sentence
    of ``suspect_text`` (cut to its passage, original offsets) at each edge of a passage where the two texts part
    in one template slot at a title's term: the same words before and after on both sides (the shared
    passage on one side, a run of ``SLOT_ANCHOR`` characters on the other), a different filler of at most
    ``SLOT_FILLER`` characters in each, and the suspect's filler holds a term of the suspect's title that the
    licensed filler lacks, or the licensed filler one of the licensed title the suspect's lacks.

    Rules 12. Three 新浪娱乐 casting items of one film (…消息，休·格兰特加盟盖·里奇执导新片《纨绔子弟》，此前已定
    主演有… / …消息，杰瑞米·斯特朗（《大空头》…）加盟…) share the film's paragraph and differ in the one name each
    exists to report, which its title names: rules 11 sees only figures. A retitled copy has its new title's
    words nowhere the licensed text has others (its text is the licensed text); a copier's lead before a copy
    has no anchor shared with the licensed dateline within ``SLOT_FILLER`` characters, or is longer.

    ``suspect`` is ``suspect_text`` normalised; ``normalized`` is ``dedupe.normalize``, run on a licensed window
    only when a window may hold a title's term (a run of the title's characters in it: normalising every
    edge's window was 0.1 ms each, more than normalising the whole licensed text for a long article)."""
    s_title, l_title = (normalized(t).text if t else "" for t in titles)
    s_grams, l_grams = _grams(s_title), _grams(l_title)
    if not s_grams or not l_grams:
        return []
    s_text, s_off = suspect.text, suspect.offsets
    out = []
    for p in passages:
        a, b = np.searchsorted(s_off, [p.suspect_start, p.suspect_end]).tolist()
        for before in (True, False):
            s_w = s_text[max(0, a - SLOT_WINDOW):a] if before else s_text[b:b + SLOT_WINDOW]
            l_raw = licensed[max(0, p.licensed_start - SLOT_WINDOW):p.licensed_start] if before \
                else licensed[p.licensed_end:p.licensed_end + SLOT_WINDOW]
            if not (_may_hold(s_w, s_grams) and _may_hold(unicodedata.normalize("NFKC", l_raw).lower(), l_grams)):
                continue
            fillers = _fillers(s_w, normalized(l_raw).text, before)
            if fillers and _title_term(fillers[0], s_title, fillers[1]) and _title_term(fillers[1], l_title, fillers[0]):
                x, y = _sentence(suspect_text, p.suspect_start if before else p.suspect_end - 1)
                x, y = max(x, p.suspect_start), min(y, p.suspect_end)
                if x < y:
                    out.append((x, y))
    return out


def template_spans(passages, suspect: NormalizedText, suspect_text: str, licensed: str,
                   licensed_normalized: Callable[[str], NormalizedText],
                   titles: tuple[str, str] = ("", "")) -> list[tuple[int, int]]:
    """The suspect-side ``[start, end)`` (original offsets) of the template text of the passages
    (``verify.Passage``): in a passage where as many figures differ as agree (:func:`figure_breaks`; the
    figures touching its ends count), the sentences of ``suspect_text`` (each cut to its passage) holding a
    figure that differs. A passage with more figures agreeing than differing is an edited copy (Sina seed 1:
    a list of 金庸's adaptations copied with two counts revised among ~15 years kept; two days' 国考 tallies
    differ at 6 of 5 figures and one edge) — unless they part at a headline figure (:func:`headline_figure_parted`
    with ``titles``, the suspect's and the licensed article's): then every sentence holding a figure that differs
    is template text, however many of the day's common figures agree. ``licensed`` is the licensed article's
    text, normalised by ``licensed_normalized`` only when a passage may hold such a place: the suspect holds
    a figure touching one of its ends, or its figures are not the licensed side's (normalising every matched
    licensed text was 8 % of a check: verify.extend_licensed_passages)."""
    if not passages:
        return []
    s_text, s_off = suspect.text, suspect.offsets
    starts = np.searchsorted(s_off, [p.suspect_start for p in passages]).tolist()
    ends = np.searchsorted(s_off, [p.suspect_end for p in passages]).tolist()
    l_norm = None
    out: list[tuple[int, int]] = []
    for p, a, b in zip(passages, starts, ends):
        edge = (a > 0 and s_text[a - 1].isdigit()) or (a < len(s_text) and s_text[a].isdigit()) or \
            (b > 0 and s_text[b - 1].isdigit()) or (b < len(s_text) and s_text[b].isdigit())
        if not edge and "".join(_DIGITS.findall(s_text, a, b)) == _digit_string(licensed, p.licensed_start, p.licensed_end):
            continue  # the same figures inside, none at an end: a copy's passage (most)
        if l_norm is None:
            l_norm = licensed_normalized(licensed)
        grown = _digits_grown(s_text, a, b)
        if s_text[grown[0]:grown[1]] in l_norm.text:
            # the suspect's passage, figures at its ends included, stands in the licensed text as it is: the
            # alignment paired it with another repeat of it (a slide page's 1/9…2/9… captions, bench/quality.py
            # credited-0055), not with other figures
            continue
        c, d = np.searchsorted(l_norm.offsets, [p.licensed_start, p.licensed_end]).tolist()
        parted = _parted_figures(s_text, (a, b), l_norm.text, (c, d))
        breaks = _figure_starts(s_text, [at for at, _, _ in parted])
        edge_figures = sum(1 for at in breaks if not a <= at < b)
        if 2 * len(breaks) < len(_DIGITS.findall(s_text, a, b)) + edge_figures \
                and not headline_figure_parted(parted, *titles):
            continue  # more figures agree than differ: a copy with a figure revised (an edited version), not a template
        for at in breaks:
            x, y = _sentence(suspect_text, int(s_off[min(at, len(s_off) - 1)]))
            x, y = max(x, p.suspect_start), min(y, p.suspect_end)
            if x < y:
                out.append((x, y))
    return out + title_slot_spans(passages, suspect, suspect_text, licensed, titles, licensed_normalized)
