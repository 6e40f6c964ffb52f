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
import functools
import re
import unicodedata
from typing import Callable

import numpy as np

from .normalize import NormalizedText
from .rewrite import _SENTENCE_END

_DIGITS = re.compile(r"\d+")
#: What is not a digit: a slice's digits as one string are the slice with it taken out — the same string as
#: joining ``_DIGITS.findall`` (both keep exactly the ``\d`` characters, in order), 1.6x faster (0.077 against
#: 0.123 ms on 200 real texts normalised, 1,316 characters on average; round 10): a full reprint's passage is the
#: whole article, read on both sides for every claim taken whole.
_NOT_DIGITS = re.compile(r"\D+")


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
    digits = _NOT_DIGITS.sub("", text[start:end])
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


#: A headline figure read by :func:`headline_figure_missing`: this many digits at least. Figures of one or two
#: digits fail on real copies (今年双11 copied as 双十一, 5个关键点 as 五个, a trimmed copy without its 15分钟:
#: wip/fulls9 over the 871 distinct full pairs of bench/sina_pairs.py seeds 1–4).
HEADLINE_FIGURE_DIGITS = 3


#: A figure of a text with its decimal, time and thousands marks (23.78, 9:00, 1,396), read after NFKC (．：，fold to
#: .:,); other punctuation parts two figures: 增长240%，2019年 holds 240 and 2019, not 2402019.
_TEXT_FIGURE = re.compile(r"\d+(?:[.:]\d+|,\d{3}(?!\d))*")


def _figure_runs(text: str) -> set[str]:
    """The figures of ``text`` as :func:`_title_figures` reads a title's (their marks out: 23.78 is 2378)."""
    return {re.sub(r"\D", "", f) for f in _TEXT_FIGURE.findall(unicodedata.normalize("NFKC", text or ""))}


def headline_figure_missing(suspect_title: str, suspect: str, licensed_title: str, licensed: str) -> list[str]:
    """The licensed title's figures of :data:`HEADLINE_FIGURE_DIGITS` digits or more that its own text states and
    the suspect (text or title) holds nowhere: the figure the licensed item exists to report, which a copy of the
    item keeps. A full reprint missing it holds the text around the item's news, not the item: one desk's 任九
    item holding the 头奖 item's results paragraph and table but not 头奖开出6注，单注奖金240万元; an earnings
    desk's share-price item holding the results release's paragraph (亏损23.78亿元 / 跌幅达17.31% in the
    licensed titles only); a 107-character 阿里巴巴 lead item against the item on the revised forecast (3750亿至
    3830亿元). Measured (wip/fulls9, 404adfb): 4 of the 871 distinct full pairs of bench/sina_pairs.py seeds 1–4
    and 1 of 326 at seed 14, all read wrong; on bd9f52a 3 of the 1,104 distinct full pairs of seeds 1, 4, 16–18
    and 23, each read wrong (wip/rewrites10; 蔚来's results report states the item's 23.78亿元 as 23.782亿元: the
    item rounded the release's figure, and the report is not a copy of the item)."""
    wanted = {f for f in _title_figures(licensed_title) if len(f) >= HEADLINE_FIGURE_DIGITS}
    if not wanted:
        return []
    stated = wanted & _figure_runs(licensed)
    if not stated:
        return []
    held = _figure_runs(suspect) | _title_figures(suspect_title)
    return sorted(stated - held)


#: How far either side of a passage's edge :func:`title_slot_spans` reads (original characters, to the sentence's
#: end or start at most): a casting item's dateline, name and credits before its shared text (新浪娱乐讯北京时间10月
#: 26日消息，杰米·李·柯蒂斯（《真实的谎言》《月光光心慌慌》）加盟…) is 40-odd characters.
SLOT_WINDOW = 60
#: A title's term in a text: 3 normalised characters at least (大空头, 孙丕恕, 休格兰特; two characters would match
#: 加盟 and 新片 of any two casting items, 直击 of any two items of a series).
SLOT_TERM = 3
#: The template text at a parting is the passage's sentences within this many characters of it: a passage that
#: runs on into the next sentence by a shared phrase (…为主题。在会议期间，— 5 characters on the Sina crawl's 直击
#: items) parts in the sentence before as well.
SLOT_REACH = 20


def _title_term(part: str, title: str, other: str, other_title: str) -> str:
    """A run of ``SLOT_TERM`` characters or more that ``part`` shares with ``title`` (all normalised) and that
    neither the ``other`` text nor the ``other_title`` holds ('' when none): what this item's headline says and
    the other's does not."""
    if len(part) < SLOT_TERM or len(title) < SLOT_TERM:
        return ""
    blocks = difflib.SequenceMatcher(None, part, title, autojunk=False).get_matching_blocks()
    return next((part[i:i + n] for i, _, n in blocks
                 if n >= SLOT_TERM and part[i:i + n] not in other and part[i:i + n] not in other_title), "")


def _grams(text: str) -> set[str]:
    """The runs of ``SLOT_TERM`` characters of ``text``: a title's, to ask a part whether it may hold a term."""
    return {text[i:i + SLOT_TERM] for i in range(len(text) - SLOT_TERM + 1)}


@functools.lru_cache(maxsize=4096)
def _title_grams(folded_title: str) -> frozenset[str]:
    """:func:`_grams` of a folded title, kept: a check's suspect title is read for each of its claims (made each
    call, the two titles' runs were a third of this test's time)."""
    return frozenset(_grams(folded_title))


def _own_grams(titles: tuple[str, str]) -> tuple[frozenset[str], frozenset[str]]:
    """The runs of ``SLOT_TERM`` characters of each title (the suspect's, the licensed article's) the other title
    lacks: none when the titles are one (a copy keeping its title) or one holds the other."""
    s_fold, l_fold = _folded(titles[0] or ""), _folded(titles[1] or "")
    if s_fold == l_fold:
        return frozenset(), frozenset()  # one title (575 of title_slot_spans' 1,395 calls at 10k): none made
    s_grams, l_grams = _title_grams(s_fold), _title_grams(l_fold)
    return s_grams - l_grams, l_grams - s_grams


def _may_hold(text: str, grams: frozenset[str]) -> bool:
    """Whether ``text`` holds one of ``grams`` (each ``SLOT_TERM`` characters: a substring of that length is one
    of the text's runs). Each gram looked for by ``str``'s own search when they are fewer than the text's runs:
    the 2,001 calls of bench/attribution_cost.py's 1,060 checks at 10k (a title's own runs, 16 on average, against
    an edge's part, 26 characters) 6.3 -> 3.4 ms a round, replayed (404adfb)."""
    if len(grams) < len(text) - SLOT_TERM + 1:
        return any(g in text for g in grams)
    return any(text[i:i + SLOT_TERM] in grams for i in range(len(text) - SLOT_TERM + 1))


_NOT_LETTERS = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    """``text`` NFKC-folded, lower-case, letters and digits only: what :func:`title_slot_spans` asks before it
    normalises (a traditional-script copy passes this and is then read simplified, as ``dedupe.normalize`` does)."""
    return _NOT_LETTERS.sub("", unicodedata.normalize("NFKC", text).lower())


#: :func:`_fold` of a title, kept: titles repeat for each claim of a check (1,618 calls for 809 claims of 2,000 Sina
#: checks). A text's lines (:func:`names_the_other`) are folded by ``_fold`` itself and not kept.
_folded = functools.lru_cache(maxsize=4096)(_fold)


def _sentence_part(text: str, at: int, before: bool, lead: bool = False) -> str:
    """The original text of ``text``'s sentence from offset ``at`` back to the sentence's start (``before``) or on
    to its end, ``SLOT_WINDOW`` characters at most — or, for a passage that is both texts' ``lead`` and when
    ``at`` is that sentence's edge (nothing but marks between), the sentence before or after it: what the text
    says right there (two 直击 items share the event's lead sentence whole and go on …在会议期间，网易创始人丁磊… /
    …在会议期间，360公司董事长周鸿祎…). Not for other passages: two texts sharing a paragraph go on each with its
    own subject (5 pairs at Sina seed 1 on 4c74f1e, a real copy of a short item among them)."""
    if before:
        start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, at - SLOT_WINDOW), at)),
                    default=max(0, at - SLOT_WINDOW))
        if lead and start > 0 and not _folded(text[start:at]):
            marks = list(_SENTENCE_END.finditer(text, max(0, start - SLOT_WINDOW), start))
            return text[marks[-2].end() if len(marks) > 1 else max(0, start - SLOT_WINDOW):marks[-1].start()]
        return text[start:at]
    end = _SENTENCE_END.search(text, at, min(len(text), at + SLOT_WINDOW))
    part = text[at:end.start() if end else min(len(text), at + SLOT_WINDOW)]
    if lead and end and not _folded(part):
        after = _SENTENCE_END.search(text, end.end(), min(len(text), end.end() + SLOT_WINDOW))
        return text[end.end():after.start() if after else min(len(text), end.end() + SLOT_WINDOW)]
    return part


def title_slot_spans(passages, suspect_text: str, licensed: str, titles: tuple[str, str],
                     normalized: Callable[[str], NormalizedText]) -> list[tuple[int, int]]:
    """The template text of ``passages`` whose two texts part inside a sentence at their titles' terms: at an edge
    of a passage where the sentence goes on (or began) differently in each text, and each text's part of that
    sentence holds a term of its own title (``titles``: the suspect's, the licensed article's) that the other's
    part lacks, the sentence of ``suspect_text`` the passage runs in up to that edge (cut to the passage; original
    offsets) is template text: the template's words around the slot each item fills with what its headline says.

    Rules 12. Three 新浪娱乐 casting items of one film (…消息，休·格兰特加盟盖·里奇执导新片《纨绔子弟》… / …消息，
    杰瑞米·斯特朗（《大空头》…）加盟盖·里奇执导新片《纨绔子弟》…) share the film's paragraph and differ in the one name
    each reports, its title's; items of one 直击 series share the event's lead (…第五届世界互联网大会于11月7日至9日在
    浙江乌镇举行，…为主题。在会议期间，网易创始人丁磊… / 在“企业家代表记者见面会”中，浪潮集团董事长孙丕恕…), a 75- to
    122-character item little more than that lead: rules 11 sees only figures. A copy's sentences go on as the
    licensed article's do; a retitled copy or a copier's own lead has its title's words in its part, but the
    licensed part's title words are then in the copy's part too, or its part is another sentence. One title's
    term (either side) was measured first (4dc30d1): 19 pairs changed at Sina seed 1, edited copies among them.

    A term is a run of ``SLOT_TERM`` characters of one title the other title lacks (titles that are one say
    nothing: a copy keeping its title is no template sibling by this). Pure: ``normalized`` is
    ``dedupe.normalize``, run only on the parts of a sentence where both may hold such a run (NFKC-folded):
    most edges are not normalised at all."""
    s_own, l_own = _own_grams(titles)
    if not s_own or not l_own:
        return []
    s_title = l_title = ""
    out = []
    for p in passages:
        # the passage starts in both texts' first sentence: a template's or a series' lead (read once for both edges)
        lead = not _SENTENCE_END.search(suspect_text, 0, p.suspect_start) \
            and not _SENTENCE_END.search(licensed, 0, p.licensed_start)
        for before in (True, False):
            s_at, l_at = (p.suspect_start, p.licensed_start) if before else (p.suspect_end, p.licensed_end)
            l_raw = _sentence_part(licensed, l_at, before, lead)
            if len(l_raw) < SLOT_TERM or not _may_hold(_folded(l_raw), l_own):
                continue  # most edges: the licensed text ends there, or its part says nothing its title alone says
            s_raw = _sentence_part(suspect_text, s_at, before, lead)
            if len(s_raw) < SLOT_TERM or not _may_hold(_folded(s_raw), s_own):
                continue
            if not s_title:
                s_title, l_title = (normalized(t).text if t else "" for t in titles)
            s_part, l_part = normalized(s_raw).text, normalized(l_raw).text
            mine, theirs = _title_term(s_part, s_title, l_part, l_title), _title_term(l_part, l_title, s_part, s_title)
            if not mine or not theirs or (not lead and set(mine) & set(theirs)):
                # in a text's body, two subjects, not one word edited: a copy retitled with its own word for the
                # licensed one (…特斯拉或要做电动单车 / …或开发电动自行车, Sina seed 2 on 9230eaf: a real copy lost)
                # shares characters with it; in a lead, transliterated names do too (普拉默 / 柯蒂斯: 斯)
                continue
            # the sentences the shared text runs in up to the parting, its last (first) SLOT_REACH characters: a
            # passage that runs into the next sentence by a shared phrase (…为主题。在会议期间 / 。在“企业家…) parts
            # in the one before
            if before:
                x, y = _sentence(suspect_text, p.suspect_start)[0], _sentence(
                    suspect_text, min(p.suspect_end, p.suspect_start + SLOT_REACH) - 1)[1]
            else:
                x, y = _sentence(suspect_text, max(p.suspect_start, p.suspect_end - SLOT_REACH))[0], p.suspect_end
            x, y = max(x, p.suspect_start), min(y, p.suspect_end)
            if x < y:
                out.append((x, y))
    return out


#: Two items of one template are no rewrite of each other when this many of their aligned sentence pairs part at
#: their titles' terms (:func:`aligned_title_slots`): each item's subject recurs (拼多多 / 优信: 2 of 9 pairs). One
#: pair is a reworded headline phrase — two translations of one Reuters report, 送货门槛 / 取消最低 (1 of 16–18
#: pairs, Sina seeds 1–8) — which is what a washer retitling from his own wording leaves too.
ALIGNED_SLOT_MIN_PAIRS = 2


def aligned_title_slots(pairs, suspect_text: str, licensed: str, titles: tuple[str, str],
                        normalized: Callable[[str], NormalizedText]) -> list:
    """The rewrite path's aligned sentence pairs (``rewrite.AlignedPair``: original offsets in ``suspect_text`` and
    ``licensed``) that part at their titles' terms: each sentence holds a term of its own title (``titles``: the
    suspect's, the licensed article's) — ``SLOT_TERM`` characters or more, that the other sentence and the other
    title lack — and the two terms share no character (two subjects, as in a body for :func:`title_slot_spans`).

    Two firms' earnings-date notices of one desk's template (…拼多多(NASDAQ:PDD)宣布，将于美国东部时间… / …优信
    (Nasdaq:UXIN)今日宣布，将于…, Sina seeds 1–10 on 8f4e99f and abcd41a) align sentence by sentence and share the
    conference service's phone numbers: a `rewrite` of each other. A 洗稿 keeps the names the licensed sentences
    hold; a washer's retitle swaps a word for a synonym, and a title's run of ``SLOT_TERM`` characters around a
    swapped word keeps a character of the other's (宣布推出 / 公布推出) — a washed word longer than that with no
    character in common is what this cannot tell from a second subject. Pure; ``normalized`` is
    ``dedupe.normalize``, run only on sentences that may hold such a run (NFKC-folded)."""
    s_own, l_own = _own_grams(titles)
    if not s_own or not l_own:
        return []
    s_title = l_title = ""
    out = []
    for p in pairs:
        s_raw, l_raw = suspect_text[p.suspect_start:p.suspect_end], licensed[p.licensed_start:p.licensed_end]
        if not _may_hold(_folded(l_raw), l_own) or not _may_hold(_folded(s_raw), s_own):
            continue
        if not s_title:
            s_title, l_title = (normalized(t).text if t else "" for t in titles)
        s_part, l_part = normalized(s_raw).text, normalized(l_raw).text
        mine, theirs = _title_term(s_part, s_title, l_part, l_title), _title_term(l_part, l_title, s_part, s_title)
        if mine and theirs and not set(mine) & set(theirs):
            out.append(p)
    return out


def template_spans(passages, suspect: NormalizedText, suspect_text: str, licensed: str,
                   licensed_normalized: Callable[[str], NormalizedText],
                   titles: tuple[str, str] = ("", ""), suspect_bounds: list[int] | None = None
                   ) -> list[tuple[int, int]]:
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
    licensed text was 8 % of a check: verify.extend_licensed_passages). ``suspect_bounds``, when given, is each
    passage's start and end in ``suspect`` (``np.searchsorted(suspect.offsets, ...)`` of its ``suspect_start`` and
    ``suspect_end``, flat, in order): a caller that has found them already (``Detector._attribution``)."""
    if not passages:
        return []
    s_text, s_off = suspect.text, suspect.offsets
    # one NumPy call for both ends of every passage (1,395 calls a round at 10k), none when the caller has them
    found = suspect_bounds if suspect_bounds is not None else np.searchsorted(
        s_off, [x for p in passages for x in (p.suspect_start, p.suspect_end)]).tolist()
    starts, ends = found[::2], found[1::2]
    l_norm = None
    out: list[tuple[int, int]] = []
    for p, a, b in zip(passages, starts, ends):
        edge = (a > 0 and s_text[a - 1].isdigit()) or (a < len(s_text) and s_text[a].isdigit()) or \
            (b > 0 and s_text[b - 1].isdigit()) or (b < len(s_text) and s_text[b].isdigit())
        if not edge and _NOT_DIGITS.sub("", s_text[a:b]) == _digit_string(licensed, p.licensed_start, p.licensed_end):
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
    return out + title_slot_spans(passages, suspect_text, licensed, titles, licensed_normalized)


#: An issue's number in a title: 第八日 / 第7天 / 第3期, 18146期, Vol.6, No.12 — the place a series' items differ.
_ISSUE = re.compile(r"第([0-9一二三四五六七八九十百零〇两]+)([期日天届轮站场集篇弹季回])|([0-9]+)(期)|(vol|no)\.?([0-9]+)")
#: A series' head before its issue number, once folded and its digits dropped: this many characters at least (新浪彩票
#: 足彩, 时装粥, 国考报名); a bare 第3期 names no series.
SERIES_HEAD_MIN = 2


def _issue(title: str) -> tuple[str, str, str] | None:
    """``(head, unit, number)`` of a title's first issue number (:data:`_ISSUE`; the head folded, digits dropped)."""
    folded = _folded(title or "")
    found = _ISSUE.search(folded)
    if not found:
        return None
    number = found.group(1) or found.group(3) or found.group(6)
    unit = found.group(2) or found.group(4) or found.group(5)
    head = _NOT_DIGITS_OR_NUMERALS.sub("", folded[:found.start()])
    return (head, unit, number) if len(head) >= SERIES_HEAD_MIN else None


_NOT_DIGITS_OR_NUMERALS = re.compile(r"[0-9一二三四五六七八九十百零〇两]+")
#: A title :func:`names_the_other` looks for in the other text: this many letters and digits at least (a short
#: title — 致敬, 金庸 — is a phrase any text may hold).
NAMED_TITLE_MIN = 10
#: A link's line holds the title and at most this many letters and digits more (a column's 时装粥Vol.5 | prefix, a
#: date after it).
NAMED_LINE_EXTRA = 12


def names_the_other(suspect_title: str, licensed: str, licensed_title: str) -> bool:
    """Whether the licensed text lists the suspect's title (folded, :data:`NAMED_TITLE_MIN` characters or more) as a
    line of its second half: a column's links to its other issues (作者其他文章：点击进入作者专栏 and the author's
    titles), which name the suspect — an earlier item of the same column, not a copy of this one. Not anywhere else:
    over the 472 labelled pairs of bench/reads (wip/furniture11, f8571e8), the suspect's title inside the licensed
    text is as often a copy's kept headline — a 原标题 line (支付牌照…, iG…), the page's first line (音集协…), a
    question in the lead (哪些状况…: 4 right pairs) — or a digest's subhead in a paragraph (工信部…, 马化腾…). Pure."""
    s_fold = _folded(suspect_title or "")
    if len(s_fold) < NAMED_TITLE_MIN or s_fold in _folded(licensed_title or ""):
        return False
    tail = licensed[len(licensed) // 2:]
    if not any(run in tail for run in re.findall(r"[\u4e00-\u9fff]{4,}", suspect_title)[:1]):
        return False  # the title's first Chinese run is not in the text's second half (most pairs): nothing folded
    for line in tail.split("\n"):
        folded = _fold(line)
        if s_fold in folded and len(folded) <= len(s_fold) + NAMED_LINE_EXTRA and "原标题" not in folded:
            return True
    return False


def series_siblings(titles: tuple[str, str], licensed: str) -> bool:
    """Whether the suspect and the licensed article (``titles``: the suspect's, the licensed one's; ``licensed``: its
    text) are two items of one series: their titles open on one series head and differ at its issue number (足彩
    18146期冷热指数 / 18145期; 时装粥Vol.6 / Vol.7; 国考报名第八日 / 第七日), or the licensed text lists the suspect's
    title among its links (:func:`names_the_other`). What two items of one series share is the series' — its intro,
    footer, byline, links, a template's stock sentences — and the suspect is not a copy of the other item: a copy
    takes its item's title with its number. Pure."""
    s_issue, l_issue = _issue(titles[0]), _issue(titles[1])
    if s_issue and l_issue and s_issue[:2] == l_issue[:2] and s_issue[2] != l_issue[2]:
        return True
    return names_the_other(titles[0], licensed, titles[1])
