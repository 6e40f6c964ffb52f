"""Fingerprints: datasketch-compatible MinHash, stable keys, and stored signatures that round-trip."""
import numpy as np
import pytest
from datasketch import MinHash

from reprintwatch.dedupe import FingerprintParams, Signature, band_keys, fingerprint, minhash
from reprintwatch.dedupe.fingerprint import shingle_hashes
from reprintwatch.dedupe.lsh import collision_probability, optimal_bands

from texts import METRO, RIVER

PARAMS = FingerprintParams()


def test_minhash_is_the_datasketch_minhash_of_the_shingles():
    sig = fingerprint(METRO, PARAMS).signature
    ours = minhash(sig.shingles, PARAMS)
    reference = MinHash(num_perm=PARAMS.num_perm, seed=PARAMS.seed, scheme="affine32", hashfunc=int)
    reference.update_batch(sig.shingles.tolist())
    assert np.array_equal(ours.hashvalues, reference.hashvalues)
    assert ours.jaccard(reference) == 1.0


def test_band_keys_are_deterministic_and_shared_by_copies():
    a = fingerprint(METRO, PARAMS)
    b = fingerprint("点击上方蓝字关注我们\n" + METRO.replace("。", "！"), PARAMS)
    assert np.array_equal(a.keys, fingerprint(METRO, PARAMS).keys)
    assert len(np.intersect1d(a.keys, b.keys)) >= PARAMS.article_bands // 2


def test_an_excerpt_shares_window_keys_with_its_source():
    paragraph = METRO.split("\n")[2] + METRO.split("\n")[3]
    page = "今天想和大家聊聊城市交通。" + paragraph + "你觉得这条线路怎么样？欢迎留言。"
    shared = np.intersect1d(fingerprint(METRO, PARAMS).keys, fingerprint(page, PARAMS).keys)
    assert len(shared) > 0
    unrelated = np.intersect1d(fingerprint(METRO, PARAMS).keys, fingerprint(RIVER, PARAMS).keys)
    assert len(unrelated) == 0


def test_signature_round_trips_through_bytes():
    sig = fingerprint(RIVER, PARAMS).signature
    back = Signature.from_bytes(sig.to_bytes())
    assert np.array_equal(back.shingles, sig.shingles)
    assert np.array_equal(back.token_spans, sig.token_spans)
    assert np.array_equal(back.token_lens, sig.token_lens)
    assert np.array_equal(band_keys(back.shingles, PARAMS), fingerprint(RIVER, PARAMS).keys)


def test_token_spans_point_into_the_original_text():
    text = "全\u200b市·首條線路今天開通。"
    sig = fingerprint(text, PARAMS).signature
    pieces = "".join(text[s:e] for s, e in sig.token_spans)
    assert "首條" in pieces and "開通" in pieces


def test_short_texts_have_one_shingle_and_empty_text_none():
    assert len(shingle_hashes(["你好"], 3)) == 1
    assert len(fingerprint("🎉！", PARAMS).keys) == 0


def test_lsh_parameters_follow_the_threshold():
    bands, rows = optimal_bands(0.5, 128)
    assert bands * rows <= 128
    assert collision_probability(0.8, bands, rows) > 0.99
    assert collision_probability(0.2, bands, rows) < 0.05
    assert FingerprintParams(article_threshold=0.5).article_bands == bands
    low = optimal_bands(PARAMS.article_threshold, 128)
    assert (PARAMS.article_bands, PARAMS.article_rows) == low
    assert collision_probability(0.3, *low) > collision_probability(0.3, bands, rows)


def test_params_round_trip_and_report_differences():
    other = FingerprintParams(shingle_size=2)
    assert FingerprintParams.from_dict(PARAMS.to_dict()) == PARAMS
    assert PARAMS.differences(other) == {"shingle_size": (3, 2)}
    with pytest.raises(ValueError):
        FingerprintParams(num_perm=16, article_bands=8, article_rows=4)


def test_stretch_band_keys_are_the_stretchs_own_fingerprint_keys():
    """``stretch_band_keys`` (the passages Detector._held_across_index asks about), from the text's own shingles:
    the whole text's stretch has the fingerprint's keys; a paragraph's stretch has the keys of the paragraph
    fingerprinted alone when jieba cuts it alone as inside the text (windows are content-defined and its first
    chunk starts at its first shingle either way); a stretch of fewer than ``shingle_size`` tokens has none."""
    from reprintwatch.dedupe.fingerprint import fingerprint_many, stretch_band_keys
    from reprintwatch.dedupe.normalize import normalize
    from reprintwatch.dedupe.segment import segment
    from texts import FLASH

    paragraphs = [METRO, FLASH, RIVER]
    text = "\n".join(paragraphs)
    whole, *alone = fingerprint_many([text, *paragraphs], PARAMS)
    starts = [text.index(p) for p in paragraphs]
    stretches = [(0, len(text)), *((a, a + len(p)) for a, p in zip(starts, paragraphs)), (starts[1], starts[1] + 2)]
    got = stretch_band_keys(whole.signature, stretches, PARAMS)
    assert np.array_equal(got[0], whole.keys)
    spans = whole.signature.token_spans
    for (a, b), keys, fp in zip(stretches[1:], got[1:], alone):
        inside = [t for t, (x, y) in zip(whole.tokens, spans.tolist()) if a <= x and y <= b]
        assert inside == segment(normalize(text[a:b]).text)  # the premise: the same cut in and out of the text
        assert len(keys) > PARAMS.article_bands and np.array_equal(keys, fp.keys)
    assert len(got[-1]) == 0
    assert [len(k) for k in stretch_band_keys(fingerprint_many([""], PARAMS)[0].signature, [(0, 0)], PARAMS)] == [0]
