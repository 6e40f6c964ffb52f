"""jieba-rs (rjieba) is used only because it cuts exactly like jieba 0.42.1 (HMM off): proven here.

Both sides of every check are cut by the same code, so a difference would cost recall rather than make a
false match — but indexes built with one implementation are read with the other, so the cuts must agree.
"""
from __future__ import annotations

import json
import random

import pytest

from conftest import REPO, real_texts
from reprintwatch.dedupe import segment as S
from reprintwatch.dedupe.normalize import normalize

pytestmark = pytest.mark.skipif(S._rjieba() is None, reason="rjieba is not installed (jieba is used)")


def _assert_same_cuts(texts, raw=True):
    differing = []
    for text in texts:
        # what the fingerprint really cuts (normalised text), and the raw text as a harder case
        for variant in ((text, normalize(text).text) if raw else (normalize(text).text,)):
            fast, ref = S.segment(variant), S.segment_reference(variant)
            assert "".join(fast) == variant
            if fast != ref:
                differing.append(variant[:80])
    assert not differing, f"{len(differing)} texts cut differently, e.g. {differing[:3]}"


def test_rjieba_is_the_segmenter_in_use():
    assert S.segmenter() == "rjieba"
    assert S._use_rjieba()


def test_rjieba_holds_jiebas_dictionary():
    seg = S._rjieba()
    words = [line.split()[0] for line in S.jieba_dictionary().open(encoding="utf-8")]
    assert len(words) > 300_000
    assert all(seg.has_word(w) for w in words[::97])
    # jieba-rs' built-in dictionary is not used: a word only it could know is unknown here
    assert not seg.has_word("reprintwatch测试词")


def test_same_cuts_on_the_sample_data():
    texts = []
    for name in ("licensed.jsonl", "suspects.jsonl"):
        with (REPO / "data" / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["content"] for line in fh if line.strip()]
    assert len(texts) >= 10
    _assert_same_cuts(texts)


def test_same_cuts_on_edge_cases():
    cases = ["", " ", "COVID-19疫情", "e-mail地址test_case", "3.14%的增长&发展#话题+1", "𠮷野家和𡈽地",
             "ａｂｃ１２３全角", "A股-B股", "x-y-z", "中文-English-中文", "emoji😀测试", "繁體中文測試",
             "  空格\t制表\r\n换行 ", "\u9fd5\u9fd6\u9fff", "南京市长江大桥", "我们中出了一个叛徒"]
    rng = random.Random(8)
    alphabet = list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
                    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
                    "-_.%&#+0123456789abcXYZ ，。：“”（）《》、\n\t😀𠮷ａ１")
    cases += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) for _ in range(3000)]
    _assert_same_cuts(cases)


@pytest.mark.slow
def test_same_cuts_on_real_articles():
    """A few thousand real articles from ../shared/data (research-only, read in place; CI has it)."""
    texts = real_texts(2000, 8)
    assert sum(map(len, texts)) > 1_000_000
    _assert_same_cuts(texts, raw=False)  # all 13,861 raw and normalised texts agreed when this was written
