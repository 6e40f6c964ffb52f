"""Passages grown on the licensed side read token by token (``TokenText``) are the ones grown on the whole
normalised text, as before: on the sample data, on tricky texts, on real articles, and whenever the tokens
cannot be proven (the whole text is normalised then)."""
import json
import random

import numpy as np
import pytest

from reprintwatch import Article, Detector, SQLiteIndex
from reprintwatch.dedupe import FingerprintParams, fingerprint, normalize
from reprintwatch.dedupe.fingerprint import Signature, shingles_of_token_hashes
from reprintwatch.dedupe.verify import (
    Passage, TokenText, UnprovenText, extend_licensed_passages, extend_passages, verify,
)

from conftest import REPO, real_texts
from texts import FLASH, METRO, RIVER

PARAMS = FingerprintParams()

# Texts written for these tests: what normalisation changes or removes, next to copied text.
TRICKY = [
    "新·华·社北京１２月１日电（记者 张三）本市地铁九号线ＡＢＣ段今天开通，全长２８．６公里。\n" + METRO,
    "來源：江南日報\n" + "本市地鐵九號線一期工程今天上午正式開通運營，線路全長二十八點六公里。" + RIVER,
    "点击上方蓝字关注我们！\n" + FLASH + "\n原标题：台风蓝色预警发布\n责任编辑：李四\n" + METRO[:200],
    "Ｉｐｈｏｎｅ和iPhone、GDP增长3.5%，½的人说ΣΑΣ好；\u200b零宽\u200d字符、丨装丨饰丨符、emoji😀都在里面。" + RIVER[:150],
    "九号线由城北的青云路站出发，经过老城区和滨江新区。" * 3 + "㈱公司和①②③条款，第5号线、号线、5号。" + FLASH,
]


def sample_texts() -> list[str]:
    texts = []
    for name in ("licensed.jsonl", "suspects.jsonl"):
        with (REPO / "data" / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["content"] for line in fh if line.strip()]
    return texts


def suspects_of(licensed: str, rng: random.Random, n: int) -> list[str]:
    """Copies of stretches of ``licensed`` cut at any character (so passages grow into half-copied words),
    disguised and pasted between other text."""
    out = []
    for _ in range(n):
        a = rng.randrange(0, max(1, len(licensed) - 40))
        b = min(len(licensed), a + rng.randrange(40, 600))
        piece = licensed[a:b]
        if rng.random() < 0.3:
            piece = piece.replace("的", "之").replace("，", "，\n")
        if rng.random() < 0.3:
            piece = "·".join(piece[:30]) + piece[30:]
        head = rng.choice(["", "号线", "5", "转自公众号：", FLASH[: rng.randrange(0, 60)]])
        tail = rng.choice(["", "二期", "。喜欢就点个在看吧", RIVER[: rng.randrange(0, 60)]])
        out.append(head + piece + tail)
    return out


def reference_extend(passages, suspect, licensed):
    """extend_passages as it was (b5c72f4): character by character on both normalised texts."""
    s_text, l_text = suspect.text, licensed.text
    out = []
    for p in passages:
        si = int(np.searchsorted(suspect.offsets, p.suspect_start))
        li = int(np.searchsorted(licensed.offsets, p.licensed_start))
        se = int(np.searchsorted(suspect.offsets, p.suspect_end))
        le = int(np.searchsorted(licensed.offsets, p.licensed_end))
        while si > 0 and li > 0 and s_text[si - 1] == l_text[li - 1]:
            si, li = si - 1, li - 1
        while se < len(s_text) and le < len(l_text) and s_text[se] == l_text[le]:
            se, le = se + 1, le + 1
        s_start, s_end = suspect.original_span(si, se)
        l_start, l_end = licensed.original_span(li, le)
        out.append(Passage(min(s_start, p.suspect_start), max(s_end, p.suspect_end),
                           min(l_start, p.licensed_start), max(l_end, p.licensed_end), p.chars))
    return tuple(out)


def assert_same_passages(suspect: str, licensed: str) -> int:
    """Extend every passage of the pair both ways; returns how many passages there were."""
    s, lic = fingerprint(suspect, PARAMS), fingerprint(licensed, PARAMS)
    passages = verify(s.signature, lic.signature, PARAMS.shingle_size).passages
    whole = reference_extend(passages, s.normalized, normalize(licensed))
    assert extend_passages(passages, s.normalized, normalize(licensed)) == whole
    assert extend_licensed_passages(passages, s.normalized, licensed, lic.signature) == whole
    try:
        assert extend_passages(passages, s.normalized, TokenText(licensed, lic.signature)) == whole
    except UnprovenText:
        pass  # extend_licensed_passages normalised the whole text instead
    return len(passages)


def assert_tokens_read_right(text: str) -> float:
    """Every token ``TokenText`` reads is the normalised text's, offsets included; returns the share it read."""
    fp = fingerprint(text, PARAMS)
    sig, normalized = fp.signature, fp.normalized
    tt = TokenText(text, sig)
    ends = np.cumsum(sig.token_lens)
    read = 0
    for t in range(len(sig.token_lens)):
        start = int(ends[t] - sig.token_lens[t])
        try:
            chars, offsets = tt.token(t)
        except UnprovenText:
            continue
        read += 1
        assert chars == normalized.text[start : ends[t]]
        assert offsets.tolist() == normalized.offsets[start : ends[t]].tolist()
    # positions of every token edge, as searchsorted on the normalised offsets finds them
    edges = sig.token_spans[:, 0].tolist() + sig.token_spans[:, 1].tolist()
    flat = [int(ends[t] - sig.token_lens[t]) + j if t < len(ends) else int(ends[-1]) if len(ends) else 0
            for t, j in tt.positions(edges)]
    assert flat == np.searchsorted(normalized.offsets, edges).tolist()
    return read / max(1, len(sig.token_lens))


@pytest.mark.parametrize("licensed", TRICKY + [METRO, RIVER, FLASH])
def test_same_passages_on_tricky_texts(licensed):
    rng = random.Random(len(licensed))
    total = sum(assert_same_passages(s, licensed) for s in suspects_of(licensed, rng, 25))
    total += assert_same_passages(licensed, licensed)
    assert total > 10


@pytest.mark.parametrize("text", TRICKY)
def test_tokens_are_read_as_normalised(text):
    assert assert_tokens_read_right(text) > 0.7  # most tokens read from the text as it stands


def test_same_passages_on_the_sample_data():
    texts = sample_texts()
    rng = random.Random(1)
    passages = 0
    for licensed in texts:
        for suspect in texts + suspects_of(licensed, rng, 3):
            passages += assert_same_passages(suspect, licensed)
        assert_tokens_read_right(licensed)
    assert passages > 100


def test_same_passages_on_real_articles():
    """Real articles from ../shared/data (research-only, read in place) where present."""
    texts = real_texts(150, 8)
    rng = random.Random(8)
    shares = []
    for licensed in texts:
        for suspect in suspects_of(licensed, rng, 2):
            assert_same_passages(suspect, licensed)
        shares.append(assert_tokens_read_right(licensed))
    assert np.mean(shares) > 0.9


def test_a_traditional_phrase_or_boilerplate_inside_a_token_is_not_guessed():
    # a token whose span normalised alone is not its stored text: refused, not guessed
    text = "江南日报讯 本市地铁九号线今天开通。"
    fp = fingerprint(text, PARAMS)
    sig = fp.signature
    wrong = sig.token_hashes.copy()
    wrong[3] ^= 1
    tt = TokenText(text, Signature(sig.token_lens, sig.token_spans, sig.shingles, wrong))
    with pytest.raises(UnprovenText):
        tt.token(3)
    assert tt.token(2)[0] == fp.normalized.text[sum(sig.token_lens[:2]) : sum(sig.token_lens[:3])]


def test_without_token_hashes_the_whole_text_is_normalised():
    s, lic = fingerprint(METRO[20:400] + "号线", PARAMS), fingerprint(METRO, PARAMS)
    bare = Signature(lic.signature.token_lens, lic.signature.token_spans, lic.signature.shingles)
    passages = verify(s.signature, bare, PARAMS.shingle_size).passages
    assert passages
    assert extend_licensed_passages(passages, s.normalized, METRO, bare) == \
        reference_extend(passages, s.normalized, normalize(METRO))


def test_a_signature_that_does_not_describe_its_text_gives_the_same_passages():
    """bench/speed.py's mutated copies drop blocks of tokens and swap words but keep the original text."""
    rng = np.random.default_rng(3)
    for licensed in [METRO, RIVER] + TRICKY:
        sig = fingerprint(licensed, PARAMS).signature
        for _ in range(10):
            keep = np.ones(len(sig.token_lens), dtype=bool)
            start = int(rng.integers(0, len(keep) - 10))
            keep[start : start + int(rng.integers(1, 10))] = False
            idx = np.flatnonzero(keep)
            hashes, lens = sig.token_hashes[idx].copy(), sig.token_lens[idx].copy()
            swap = int(rng.integers(0, len(idx)))
            hashes[swap], lens[swap] = sig.token_hashes[0], sig.token_lens[0]
            mutated = Signature(lens, sig.token_spans[idx], shingles_of_token_hashes(hashes, PARAMS.shingle_size),
                                hashes)
            for suspect in suspects_of(licensed, random.Random(start), 3) + [licensed]:
                s = fingerprint(suspect, PARAMS)
                passages = verify(s.signature, mutated, PARAMS.shingle_size).passages
                assert extend_licensed_passages(passages, s.normalized, licensed, mutated) == \
                    reference_extend(passages, s.normalized, normalize(licensed))


def test_a_long_walk_gives_up_and_normalises_the_whole_text():
    # the passage given covers only the middle of a full copy: it grows over the whole text both ways
    fp = fingerprint(METRO, PARAMS)
    sig = fp.signature
    mid = len(sig.token_lens) // 2
    p = Passage(int(sig.token_spans[mid, 0]), int(sig.token_spans[mid + 2, 1]),
                int(sig.token_spans[mid, 0]), int(sig.token_spans[mid + 2, 1]), 5)
    with pytest.raises(UnprovenText):
        extend_passages((p,), fp.normalized, TokenText(METRO, sig))
    (grown,) = extend_licensed_passages((p,), fp.normalized, METRO, sig)
    assert (grown.licensed_start, grown.licensed_end) == (fp.normalized.original_span(0, 1)[0],
                                                          int(fp.normalized.offsets[-1]) + 1)


def test_scan_results_unchanged_on_the_sample_data(tmp_path, monkeypatch):
    import reprintwatch.detector as D

    def load(name):
        with (REPO / "data" / name).open(encoding="utf-8") as fh:
            return [Article(**{k: v for k, v in json.loads(line).items() if k in
                               ("id", "content", "title", "outlet", "url", "published_at")}) for line in fh if line.strip()]

    detector = Detector(SQLiteIndex(tmp_path / "i.db"))
    detector.add(load("licensed.jsonl"))
    suspects = load("suspects.jsonl")
    new = [r.to_dict(include_all=True) for r in detector.scan(suspects)]
    monkeypatch.setattr(D, "extend_licensed_passages",
                        lambda passages, suspect, content, signature, normalized: reference_extend(
                            passages, suspect, normalize(content)))
    old = [r.to_dict(include_all=True) for r in detector.scan(suspects)]
    assert new == old
    assert any(m["passages"] for r in new for m in r["matches"])
