"""Issue 19, attribution's cost (docs/findings.md "Cost a check"): each cheaper form gives the old answer.

The old forms are kept here as references and compared with the new ones on text written for the test and on
real texts read from ../shared (research-only, read in place)."""
from __future__ import annotations

import random
import re

from reprintwatch.dedupe import quotes
from reprintwatch.dedupe.quotes import _CUE_WORDS, _DOCUMENT_CUE, reproduced_spans
from reprintwatch.dedupe.relations import (_copied_before, _said_earlier, _sentence_end, _sentence_start, _speech_region,
                                           spoken_words)
from reprintwatch.dedupe.verify import Passage

from conftest import real_texts


def spoken_words_before(passages, suspect: str, licensed: str) -> list[tuple[int, int]]:
    """relations.spoken_words as it was on 8f4e99f: both texts' attributions and sentence starts read for every
    passage (with rules 13's branch, wip/speech9: words later in a sentence an attribution opens in both)."""
    out, spoken = [], set()
    for p in sorted(passages, key=lambda p: p.suspect_start):
        sentence = _sentence_start(licensed, p.licensed_start), _sentence_start(suspect, p.suspect_start)
        l_region = _speech_region(licensed, p.licensed_start)
        s_region = _speech_region(suspect, p.suspect_start)
        if l_region and s_region and not (l_region[2] and s_region[2]):
            spoken.add(sentence)
        elif sentence in spoken:
            l_region = (p.licensed_start, _sentence_end(licensed, p.licensed_start))
            s_region = (p.suspect_start, _sentence_end(suspect, p.suspect_start))
        elif l_region is None and _said_earlier(licensed, p.licensed_start) is not None \
                and _said_earlier(suspect, p.suspect_start) is not None and not _copied_before(passages, p, licensed, suspect):
            l_region = (p.licensed_start, _sentence_end(licensed, p.licensed_start))
            s_region = (p.suspect_start, _sentence_end(suspect, p.suspect_start))
            spoken.add(sentence)
        else:
            continue
        n = min(p.suspect_end - p.suspect_start, l_region[1] - l_region[0], s_region[1] - s_region[0])
        if n > 0:
            out.append((p.suspect_start, p.suspect_start + n))
    return out


WORDS = "今年我们将把研发投入提高到销售收入的百分之八，重点放在智能控制和节能技术上"
LICENSED = ("海川机械昨日发布三款新型挖掘机。董事长林国栋表示，" + WORDS + "。他还说，公司明年将在东南亚设厂。"
            "据了解，海川机械成立于一九九八年。")
SUSPECT = ("晚报快讯 三款新型挖掘机昨日亮相。林国栋在发布会上称，" + WORDS + "。他还说，公司明年将在东南亚设厂。"
           "现场多家经销商签下意向订单。")


def _passage(suspect: str, licensed: str, text: str, s_from: int = 0, l_from: int = 0) -> Passage:
    a, b = suspect.index(text, s_from), licensed.index(text, l_from)
    return Passage(a, a + len(text), b, b + len(text), len(text))


def test_spoken_words_reads_the_suspect_and_the_sentences_only_where_needed_with_the_old_answers():
    # the speaker's words (both attribute them), then a passage in the same sentence after a swapped character
    # (found through the sentence recorded), then the outlet's own sentence (no attribution in the licensed text)
    head, tail = WORDS[:20], WORDS[21:]
    cases = [
        [_passage(SUSPECT, LICENSED, WORDS)],
        [_passage(SUSPECT, LICENSED, head), _passage(SUSPECT, LICENSED, tail)],
        [_passage(SUSPECT, LICENSED, tail)],  # a sentence's middle alone: spoken after both attributions (rules 13)
        [_passage(SUSPECT, LICENSED, "公司明年将在东南亚设厂。")],  # 他还说， in both
        [_passage(SUSPECT, LICENSED, "三款新型挖掘机")],
    ]
    found = [spoken_words(ps, SUSPECT, LICENSED) for ps in cases]
    assert found == [spoken_words_before(ps, SUSPECT, LICENSED) for ps in cases]
    assert found[0] and found[1] and found[2] and found[3] and not found[4]  # the test meets every branch
    assert len(found[1]) == 2  # the second passage through the sentence the first recorded


def test_spoken_words_gives_the_old_answers_on_real_texts():
    rng = random.Random(7)
    says = re.compile("表示，|说，|称，|：")
    compared = spoken = 0
    for text in real_texts(300, seed=19):
        # the same text on both sides (a copy), passages starting at its attributions and at random places
        starts = [m.end() for m in says.finditer(text)] + [rng.randrange(len(text)) for _ in range(3) if text]
        passages = [Passage(a, min(len(text), a + rng.randrange(10, 120)), a, min(len(text), a + 60), 50)
                    for a in sorted(set(starts)) if a < len(text)]
        # the licensed side shifted by a prefix of its own: the two texts' offsets differ
        licensed = "本报讯。" + text
        shifted = [Passage(p.suspect_start, p.suspect_end, p.licensed_start + 4, p.licensed_end + 4, p.chars)
                   for p in passages]
        for ps, lic in ((passages, text), (shifted, licensed)):
            got = spoken_words(ps, text, lic)
            assert got == spoken_words_before(ps, text, lic)
            compared += 1
            spoken += bool(got)
    assert compared == 600 and spoken > 20  # real attributions met, not only texts without any


def reproduced_spans_before(text: str) -> list[tuple[int, int]]:
    """quotes.reproduced_spans as it was on 8f4e99f: the cue regex searched in every text (an empty cue word is
    in every text)."""
    kept, quotes._CUE_WORDS = quotes._CUE_WORDS, ("",)
    try:
        return reproduced_spans(text)
    finally:
        quotes._CUE_WORDS = kept


def test_a_document_cue_holds_a_cue_word_so_texts_without_one_skip_the_regex():
    cued = ["部里发布通知。现将有关事项通知如下：一、…", "以下为演讲全文：各位来宾", "声明全文：本公司…",
            "以下是马云在大会上的讲话实录：大家好", "惠英红原文：“" + "我" * 30 + "”据悉，", "原文:见下", "公告如下:"]
    for text in cued:
        assert reproduced_spans(text) == reproduced_spans_before(text) != []
    # each branch of the regex, with its cue word taken out of the text, matches nothing
    for text in cued:
        for w in _CUE_WORDS:
            text = text.replace(w, "某某")
        assert not _DOCUMENT_CUE.search(text) and reproduced_spans(text) == []
    texts = real_texts(2000, seed=23)
    assert [reproduced_spans(t) for t in texts] == [reproduced_spans_before(t) for t in texts]
    assert sum(1 for t in texts if _DOCUMENT_CUE.search(t)) > 5  # real cues met

