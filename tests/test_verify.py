"""Verification decides: full copies, partial copies, stitched copies — and not quotes or boilerplate."""
import pytest

from reprintwatch.dedupe import FULL_REPRINT, NO_MATCH, PARTIAL_REPRINT, FingerprintParams, Thresholds, fingerprint, verify

from texts import FLASH, METRO, RIVER, UNRELATED

PARAMS = FingerprintParams()


def check(suspect: str, licensed: str):
    s, l = fingerprint(suspect, PARAMS), fingerprint(licensed, PARAMS)
    return verify(s.signature, l.signature, PARAMS.shingle_size)


def test_identical_text_is_a_full_reprint():
    v = check(METRO, METRO)
    assert v.verdict == FULL_REPRINT
    assert v.similarity == 1.0 and v.licensed_coverage == 1.0 and v.suspect_coverage == 1.0


def test_disguised_copy_is_a_full_reprint_with_passages_in_original_offsets():
    disguised = "点击上方蓝字关注我们！\n" + METRO.replace("江南日报讯 ", "").replace("地铁", "地鐵") + "\n喜欢就点个在看吧"
    v = check(disguised, METRO)
    assert v.verdict == FULL_REPRINT
    assert v.licensed_coverage > 0.9
    longest = max(v.passages, key=lambda p: p.chars)
    assert disguised[longest.suspect_start:longest.suspect_end].replace("鐵", "铁") == \
        METRO[longest.licensed_start:longest.licensed_end]


def test_reordered_paragraphs_are_still_a_full_reprint():
    paragraphs = METRO.split("\n")
    v = check("\n".join(reversed(paragraphs)), METRO)
    assert v.verdict == FULL_REPRINT
    assert len(v.passages) >= len(paragraphs) - 1


def test_two_paragraphs_inside_another_page_are_a_partial_reprint():
    excerpt = "\n".join(METRO.split("\n")[2:4])
    page = UNRELATED + "\n" + excerpt + "\n" + RIVER.split("\n")[0][:20]
    v = check(page, METRO)
    assert v.verdict == PARTIAL_REPRINT
    assert 0.3 < v.licensed_coverage < 0.6
    p = max(v.passages, key=lambda p: p.chars)
    assert page[p.suspect_start:p.suspect_end] in METRO
    assert METRO[p.licensed_start:p.licensed_end] == page[p.suspect_start:p.suspect_end]


def test_a_news_flash_copied_inside_a_digest_is_found():
    digest = "今日快讯\n1. " + UNRELATED[:60] + "\n2. " + FLASH + "\n3. 本周末全市公园免费开放。"
    assert check(digest, FLASH).verdict == FULL_REPRINT


def test_one_quoted_sentence_is_not_a_reprint():
    quote = "“九号线是本市第一条采用全自动运行系统的线路”"
    commentary = UNRELATED + "有报道说，" + quote + "，这让人想起了很多往事。" + UNRELATED[::-1]
    assert check(commentary, METRO).verdict == NO_MATCH


def test_shared_boilerplate_is_not_a_reprint():
    furniture = "点击上方蓝字关注我们！本文转载自网络，如有侵权请联系删除。长按识别二维码关注。喜欢就点个在看吧。"
    assert check(furniture + UNRELATED, furniture + METRO).verdict == NO_MATCH


def test_unrelated_texts_do_not_match():
    v = check(UNRELATED, METRO)
    assert v.verdict == NO_MATCH and not v.passages


@pytest.mark.parametrize("text", ["", "🎉🎉"])
def test_empty_input_is_no_match(text):
    assert check(text, METRO).verdict == NO_MATCH


def test_a_partial_reprint_needs_one_exactly_copied_stretch():
    excerpt = "\n".join(METRO.split("\n")[i] for i in (1, 3))  # under half of the article
    page = UNRELATED + "\n" + excerpt
    s, l = fingerprint(page, PARAMS), fingerprint(METRO, PARAMS)
    assert verify(s.signature, l.signature, 3).verdict == PARTIAL_REPRINT
    strict = Thresholds(partial_min_exact_chars=10_000)
    assert verify(s.signature, l.signature, 3, strict).verdict == NO_MATCH


def test_covered_characters_equal_a_token_mask():
    """``_covered`` (union of token ranges by sorting, characters from a running sum) equals the boolean token
    mask it replaced, on overlapping, nested, repeated and touching ranges."""
    import numpy as np

    from reprintwatch.dedupe.fingerprint import chars_before as _chars_before
    from reprintwatch.dedupe.verify import _covered

    rng = np.random.default_rng(7)
    for _ in range(300):
        lens = rng.integers(1, 5, size=int(rng.integers(1, 60)))
        ranges = []
        for _ in range(int(rng.integers(0, 8))):
            a = int(rng.integers(0, len(lens)))
            ranges.append((a, int(rng.integers(a, len(lens)))))
        mask = np.zeros(len(lens), dtype=bool)
        for a, b in ranges:
            mask[a : b + 1] = True
        assert _covered(ranges, _chars_before(lens)) == int(lens[mask].sum())


def test_sentences_two_reports_of_one_event_share_are_no_partial_reprint():
    # two reports of one match: the same figures and phrases in sentences around which each says its own
    facts = ["北京时间十一月四日晚，青溪队在主场以一百零二比九十八战胜江南队",
             "青溪队后卫张明全场砍下三十一分八个篮板和六次助攻",
             "江南队中锋李强因伤缺阵，球队已经遭遇三连败",
             "本场比赛共有一万二千名观众到场观看，创下本赛季新高"]
    first = ("赛前外界普遍看好客队。" + facts[0] + "，比赛一度十分胶着。第三节开始主队连续命中三分。"
             + facts[1] + "，成为全场最佳。赛后主教练对年轻球员的表现非常满意。" + facts[2] + "，下一场将客场作战。" + facts[3] + "。\n" + RIVER)
    second = ("这是一场意料之外的胜利。" + facts[0] + "，终结了对手的连胜势头。球迷们在终场哨响后久久不愿离去。"
              + facts[1] + "，这是他本赛季的新高。另一方面，" + facts[2] + "，形势不容乐观。据统计，" + facts[3] + "。\n"
              + UNRELATED)  # a report with text of its own (a flash that is mostly those facts: below)
    v = check(second, first)
    assert v.copied_chars >= Thresholds().partial_min_chars  # enough shared text in all …
    assert v.longest_passage_chars < Thresholds().partial_min_longest and v.verdict == NO_MATCH  # … in sentences
    s, l = fingerprint(second, PARAMS), fingerprint(first, PARAMS)
    assert verify(s.signature, l.signature, PARAMS.shingle_size, Thresholds(partial_min_longest=30)).verdict == PARTIAL_REPRINT
    # the same length of text copied as one paragraph is a partial reprint
    paragraph = "".join(facts)
    assert check("与此无关的开头。" + UNRELATED + paragraph + "。", first + paragraph + "。").verdict == PARTIAL_REPRINT


def test_a_short_item_mostly_made_of_a_longer_article_s_sentences_is_a_partial_reprint():
    # the same sentences of a match report as above, under 50 characters each: a news flash made of them is
    # a copy of that report (most of the flash is its text); the same sentences inside a longer page are not
    facts = ["北京时间十一月四日晚，青溪队在主场以一百零二比九十八战胜江南队",
             "青溪队后卫张明全场砍下三十一分八个篮板和六次助攻",
             "江南队中锋李强因伤缺阵，球队已经遭遇三连败",
             "本场比赛共有一万二千名观众到场观看，创下本赛季新高"]
    report = ("赛前外界普遍看好客队。" + facts[0] + "，比赛一度十分胶着。第三节开始主队连续命中三分。" + facts[1]
              + "，成为全场最佳。赛后主教练对年轻球员的表现非常满意。" + facts[2] + "，下一场将客场作战。" + facts[3] + "。\n" + RIVER)
    flash = "快讯：" + facts[0] + "。另外，" + facts[3] + "。还有，" + facts[2] + "。同时，" + facts[1] + "。"
    t = Thresholds()
    v = check(flash, report)
    assert v.longest_passage_chars < t.partial_min_longest and v.suspect_coverage >= t.partial_suspect_coverage
    assert v.verdict == PARTIAL_REPRINT
    inside = check(UNRELATED + flash, report)
    assert inside.copied_chars == v.copied_chars and inside.suspect_coverage < t.partial_suspect_coverage
    assert inside.verdict == NO_MATCH


def _reference_runs(suspect, licensed, max_repeats, min_run):
    """The diagonal runs by their definition: every pair (suspect position, one of the first ``max_repeats``
    licensed positions of its value), maximal along each diagonal, at least ``min_run`` long."""
    pairs = set()
    for s, v in enumerate(suspect):
        for l in [i for i, w in enumerate(licensed) if w == v][:max_repeats]:
            pairs.add((s, l))
    runs = []
    for s, l in sorted(pairs, key=lambda p: (p[1] - p[0], p[0])):
        if (s - 1, l - 1) in pairs:
            continue
        n = 1
        while (s + n, l + n) in pairs:
            n += 1
        if n >= min_run:
            runs.append((s, s + n - 1, l, l + n - 1))
    return runs


@pytest.mark.parametrize("suspect, licensed", [
    ([1, 2, 3, 4, 5], [9, 1, 2, 3, 4, 5, 8]),                       # one copied stretch
    ([7, 7, 7, 7, 7, 7], [7, 7, 7, 7, 7, 7, 7]),                    # a value repeated beyond max_repeats on both sides
    ([5, 6, 5, 6, 5, 6, 1, 2], [1, 2, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6]),  # repeated phrase, two copies in the suspect
    ([3, 1, 2, 9, 1, 2, 3], [1, 2, 3, 4]),                          # shared values out of order
    ([1, 2, 3], [4, 5, 6]),                                         # nothing shared
    ([4], [4, 4, 4, 4, 4, 4]),
])
def test_runs_found_through_the_suspect_s_sorted_shingles_are_the_runs_by_definition(suspect, licensed):
    """verify()'s runs come from one lookup of the licensed shingles in the suspect's, sorted once a check
    (held_positions): the same runs as pairing each suspect position with its value's first max_repeats
    licensed positions, edge cases included."""
    import sys

    import numpy as np

    from reprintwatch.dedupe.fingerprint import Signature

    V = sys.modules["reprintwatch.dedupe.verify"]
    s = Signature(np.ones(len(suspect), np.int64), np.zeros((len(suspect), 2), np.int64), np.array(suspect, np.uint32))
    l = Signature(np.ones(len(licensed), np.int64), np.zeros((len(licensed), 2), np.int64), np.array(licensed, np.uint32))
    held = V.held_positions(s, l)
    assert sorted(held[0].tolist()) == [i for i, v in enumerate(licensed) if v in suspect]
    for max_repeats, min_run in ((4, 2), (1, 1), (2, 3)):
        found = V._shared(s.shingle_order[1], l.shingles, held)
        assert int(found[4].sum()) == len(set(suspect) & set(licensed))
        if not held[0].size:
            continue  # verify() returns before aligning a pair that shares nothing
        assert sorted(V._runs(s.shingle_order[0], found, max_repeats, min_run)) == \
            sorted(_reference_runs(suspect, licensed, max_repeats, min_run))


def test_a_signature_s_kept_sizes_are_its_token_lengths_summed():
    """Signature.n_chars and chars_before (kept once asked: a check asks them for each candidate) are the
    sums of its token lengths, and verify() gives the same answer with them kept or made anew."""
    import dataclasses

    import numpy as np

    texts = [METRO, RIVER, FLASH, UNRELATED, "\n".join(METRO.split("\n")[2:4]) + UNRELATED, METRO[:60], ""]
    sigs = [fingerprint(t, PARAMS).signature for t in texts]
    for sig in sigs:
        assert sig.n_chars == int(sig.token_lens.sum())
        assert sig.chars_before == [0, *np.cumsum(sig.token_lens).tolist()]
    for a in sigs:
        for b in sigs:
            fresh = dataclasses.replace(a)  # nothing kept yet
            assert "chars_before" not in vars(fresh)
            assert verify(fresh, b, PARAMS.shingle_size) == verify(a, b, PARAMS.shingle_size)


def test_the_bound_reads_the_same_held_shingles_as_verify():
    """may_reach_verdict() given held_positions (as the detector passes them) answers as it does alone."""
    import sys

    V = sys.modules["reprintwatch.dedupe.verify"]
    texts = [METRO, RIVER, FLASH, UNRELATED, "\n".join(METRO.split("\n")[2:4]) + UNRELATED, METRO[:60]]
    fps = [fingerprint(t, PARAMS) for t in texts]
    for a in fps:
        for b in fps:
            held = V.held_positions(a.signature, b.signature)
            assert V.may_reach_verdict(a.signature.unique_shingles, b.signature, PARAMS.shingle_size, held=held) == \
                V.may_reach_verdict(a.signature.unique_shingles, b.signature, PARAMS.shingle_size)
            assert verify(a.signature, b.signature, PARAMS.shingle_size, held=held) == \
                verify(a.signature, b.signature, PARAMS.shingle_size)


def test_the_bounds_of_all_candidates_at_once_are_each_candidate_s_own(monkeypatch):
    """bounds_many() (the detector's one pass over a check's candidates) gives each candidate the held positions
    and the verdict of held_positions() + may_reach_verdict() alone: random shingle streams over small
    alphabets (long shared stretches, repeats), empty ones on either side, one-token texts, several
    thresholds and shingle sizes, and real texts."""
    import sys

    import numpy as np

    from reprintwatch.dedupe.fingerprint import Signature

    V = sys.modules["reprintwatch.dedupe.verify"]
    rng = np.random.default_rng(23)

    def sig(shingles, k):
        n_tok = len(shingles) + k - 1 if len(shingles) else int(rng.integers(0, 3))
        return Signature(rng.integers(1, 5, n_tok).astype(np.uint16), np.zeros((n_tok, 2), np.int64),
                         np.asarray(shingles, np.uint32))

    def same(suspect, licensed, k, t):
        for least in (1, V.BOUNDS_MANY_MIN):  # the one pass for any number of candidates, and as the detector asks
            monkeypatch.setattr(V, "BOUNDS_MANY_MIN", least)
            helds, ok = V.bounds_many(suspect, licensed, k, t)
            assert len(helds) == len(ok) == len(licensed)
            u_s = suspect.unique_shingles
            for l, held, got in zip(licensed, helds, ok):
                want = V.held_positions(suspect, l)
                assert held[0].tolist() == want[0].tolist() and held[1].tolist() == want[1].tolist()
                assert bool(got) == V.may_reach_verdict(u_s, l, k, t, want) == V.may_reach_verdict(u_s, l, k, t)
            monkeypatch.undo()
        return int(ok.sum())

    loose = Thresholds(short_article_min_chars=4, partial_min_chars=6, partial_min_longest=6,
                       partial_min_exact_chars=4, min_run=2)
    allowed = 0
    for trial in range(300):
        k = int(rng.integers(1, 6))
        alphabet = int(rng.integers(2, 40))
        base = rng.integers(0, alphabet, int(rng.integers(0, 80)))
        suspect = sig(base, k)
        licensed = []
        for _ in range(int(rng.integers(0, 12))):
            kind = rng.integers(0, 4)
            if kind == 0:  # a copy of a slice of the suspect inside other text
                a, b = sorted(rng.integers(0, len(base) + 1, 2))
                sh = np.concatenate([rng.integers(0, alphabet, int(rng.integers(0, 20))), base[a:b],
                                     rng.integers(0, alphabet, int(rng.integers(0, 20)))])
            elif kind == 1:
                sh = rng.integers(0, 2 * alphabet, int(rng.integers(0, 100)))
            elif kind == 2:
                sh = np.zeros(0, np.int64)
            else:
                sh = base.copy()
            licensed.append(sig(sh, k))
        t = loose if trial % 2 else Thresholds()
        allowed += same(suspect, licensed, k, t)
    assert allowed > 50  # the random pairs reach both answers, not only False

    texts = [METRO, RIVER, FLASH, UNRELATED, "\n".join(METRO.split("\n")[2:4]) + UNRELATED, METRO[:60], ""]
    sigs = [fingerprint(x, PARAMS).signature for x in texts]
    for a in sigs:
        same(a, sigs, PARAMS.shingle_size, Thresholds())


def _reference_echoes(passages):
    """The echo drop by its definition (the quadratic loop it replaced): longest first, stable; a passage is
    dropped when a kept one's suspect side holds its own."""
    kept = []
    for p in sorted(passages, key=lambda p: p[0] - p[1]):
        if not any(q[0] <= p[0] and p[1] <= q[1] for q in kept):
            kept.append(p)
    return sorted(kept)


def test_echoes_dropped_in_one_sweep_are_those_the_definition_drops():
    """_drop_echoes (one sweep in suspect order) keeps the same passages, the same objects, as comparing each
    passage with the longer ones kept: nested, equal, touching and overlapping suspect sides, and passages
    with the same suspect side but other licensed sides (the first of them is kept)."""
    import sys

    import numpy as np

    V = sys.modules["reprintwatch.dedupe.verify"]
    rng = np.random.default_rng(23)
    for _ in range(500):
        passages = []
        for _ in range(int(rng.integers(0, 40))):
            s0 = int(rng.integers(0, 30))
            s1 = s0 + int(rng.integers(0, 12))
            l0 = int(rng.integers(0, 50))
            passages.append([s0, s1, l0, l0 + s1 - s0, [(s0, s1, l0, l0 + s1 - s0)]])
        got = V._drop_echoes(passages)
        want = _reference_echoes(passages)
        assert got == want and all(a is b for a, b in zip(got, want))


AD_LOADER = ("\n\n(function(){\n    var adScript = document.createElement('script');\n"
             "    adScript.src = '//ads.example.com/litong/zhitou/sinaads/demo/left_column_20171020.js';\n"
             "    document.getElementsByTagName('head')[0].appendChild(adScript);\n"
             "    var sideScript = document.createElement('script');\n"
             "    sideScript.src = '//ads.example.com/litong/zhitou/sinaads/demo/right_column_20171020.js';\n"
             "    document.getElementsByTagName('head')[0].appendChild(sideScript);\n})();\n")


def test_page_code_is_counted_out_of_coverage_on_both_sides():
    from reprintwatch.dedupe.normalize import normalize
    from reprintwatch.dedupe.verify import without_code

    short = METRO.split("\n")[0] + "\n" + METRO.split("\n")[1]
    page = short + AD_LOADER
    v = check(short, page)
    assert v.verdict == PARTIAL_REPRINT  # the loader's letters are most of the licensed page's
    out, whole = without_code(v, short, normalize(short), page, normalize)
    # the verdict is the caller's to change once attribution keeps the claim (detector._whole_without_code)
    assert whole and out.verdict == PARTIAL_REPRINT and out.licensed_coverage > 0.9 and out.suspect_coverage > 0.9
    # the suspect's page code is no part of it either
    back = check(page, short)
    assert without_code(back, page, normalize(page), short, normalize)[0].suspect_coverage > 0.9 > back.suspect_coverage
    # no code on either side: the verification as it was
    plain = check(short, METRO)
    assert without_code(plain, short, normalize(short), METRO, normalize) == (plain, False)


def test_a_whole_copy_of_an_item_whose_licensed_page_carries_script_is_a_full_reprint(tmp_path):
    from reprintwatch import Article, Detector, SQLiteIndex

    short = METRO.split("\n")[0] + "\n" + METRO.split("\n")[1]
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        detector = Detector(idx)
        detector.add([Article("page", short + AD_LOADER, "九号线开通", "江南日报")])
        [m] = detector.check(Article("copy", "点击上方蓝字关注我们\n" + short, "九号线开通")).reprints
        assert m.verdict == FULL_REPRINT and m.verification.licensed_coverage > 0.9
