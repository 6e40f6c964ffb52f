"""Quotations in a text: where quotation marks open and close, and where an article starts reproducing a
third party's document (pure; used by attribution in :mod:`.relations`, the rewrite path's one-side-quoted rule
in :mod:`.rewrite` and the legal hints)."""
from __future__ import annotations

import re

# “…” 「…」 『…』 and ASCII double quotes; a quotation is at most a few paragraphs (a lone unmatched mark does
# not swallow the rest of the page). One regex: a Python loop over the characters was most of
# attribution's cost a check (bench/attribution_cost.py).
_MAX_QUOTE = 1500
_QUOTATION = re.compile("|".join(f"{re.escape(a)}([^{re.escape(b)}]{{1,{_MAX_QUOTE}}}){re.escape(b)}"
                                 for a, b in (("“", "”"), ("「", "」"), ("『", "』"), ('"', '"'))))


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of the quotations of ``text`` (original offsets, marks excluded)."""
    return [m.span(m.lastindex) for m in _QUOTATION.finditer(text)]


# Where an article hands over to a document it reproduces whole — a notice, a statement, a speech or an
# interview's transcript, a Weibo post: …公告如下： / 现将有关事项通知如下： / 以下为演讲全文： / 声明全文： /
# 采访实录： / 原文：. A document is reproduced at the end of the article (the Sina crawl: 以下为…全文： is
# followed by the text to the end), so what follows the first cue is the document's. Narrower than any colon
# or verb of saying (relations.speech_starts), which lost a real copy of an article's own prose after a colon;
# 如下 alone is not a cue either (…具体应对技巧如下： introduces the outlet's own list).
_DOCUMENT_CUE = re.compile(
    "(?:全文|原文|实录)(?:如下)?[：:]"
    "|(?:公告|通告|通知|声明|决定|通报|公报)如下[：:]"
    "|以下[为是][^。！？：:\n]{0,24}?(?:全文|原文|实录|讲话|演讲|发言|对话|问答|采访|反馈|回复|答复)[^。！？：:\n]{0,10}[：:]")
# (rules 13, wip/speech9: a company's answers to its users, 以下是滴滴公布的…代表问题的反馈：1、乘客：…, printed whole
# by one report and reported with 滴滴表示，/ 滴滴回应， by another — relations.said_documents)

#: Every match of :data:`_DOCUMENT_CUE` holds one of these words (its three branches: 全文/原文/实录, …如下, 以下…):
#: a text holding none has no cue. Why: the regex has no literal prefix, so a search tries it at every
#: character — 0.12 ms a licensed text, 500 texts a round in the 1,060 checks of bench/attribution_cost.py.
_CUE_WORDS = ("全文", "原文", "实录", "如下", "以下")


def reproduced_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` (original offsets) of the document ``text`` reproduces after a cue (:data:`_DOCUMENT_CUE`):
    from the first cue's end to the end of the text, or, when a quotation of ``_DOCUMENT_MIN_QUOTE`` characters
    opens it, to that quotation's end; empty when there is no cue."""
    if not any(w in text for w in _CUE_WORDS):
        return []  # no cue can match (most texts): substring tests instead of the regex tried at every character
    m = _DOCUMENT_CUE.search(text)
    if not m:
        return []
    start = m.end()
    while start < len(text) and text[start].isspace():
        start += 1
    quoted = _QUOTATION.match(text, start)
    if quoted and quoted.end() - start >= _DOCUMENT_MIN_QUOTE:
        return [(start, quoted.end())]
    return [(start, len(text))]


def introduced_document(text: str) -> bool:
    """Whether the document ``text`` reproduces (:func:`reproduced_spans`) is introduced as one by the outlet —
    its cue holds 以下 or 如下 (以下为…演讲全文：, 以下是其公开信全文：, 现将有关事项公告如下：) — not a bare …全文： /
    …实录： that a related link's headline can end with (阿里巴巴财报电话会议实录：对宏观经济… in the middle of Sina's
    own analysis: bench/sina_pairs.py seed 20, wip/speech11)."""
    if not any(w in text for w in _CUE_WORDS):
        return False
    m = _DOCUMENT_CUE.search(text)
    return bool(m) and ("以下" in m.group() or "如下" in m.group())


# A document in quotation marks ends with them: 惠英红原文：“…”据悉，… is followed by the outlet's own prose (on
# bench/sina_pairs.py seed 2 a 162-character bio paragraph copied from there was lost while the region ran to
# the end of the text). A short quote is a heading's term, not the document (以下为圆桌实录，由新浪科技整理：
# “AI思维”与“马化腾猜想”张磊：… is a transcript to the end: 6 characters quoted).
_DOCUMENT_MIN_QUOTE = 20
