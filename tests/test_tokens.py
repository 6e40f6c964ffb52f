"""The token table (dedupe/tokens.py) only caches: fingerprints, facts, fact keys and the rewrite analysis
must be bit-identical to a straightforward per-token computation — indexes built before stay valid.

The references below are the code as it was before the table (one Python pass per attribute)."""
from __future__ import annotations

import json
import math
import zlib

import numpy as np

from conftest import REPO, real_texts
from reprintwatch.dedupe import FingerprintParams, fingerprint
from reprintwatch.dedupe import rewrite as R
from reprintwatch.dedupe import tokens as T
from reprintwatch.dedupe.fingerprint import band_keys, fingerprint_many, shingle_hashes, shingles_of_token_hashes, shorten_keys
from reprintwatch.dedupe.normalize import normalize
from reprintwatch.dedupe.segment import segment


def ref_shingle_hashes(tokens, size):
    if not tokens:
        return np.zeros(0, dtype=np.uint32)
    # the CRC of each token, one by one (how the shingle is mixed from them is not what changed)
    return shingles_of_token_hashes(np.array([zlib.crc32(t.encode("utf-8")) for t in tokens], dtype=np.uint32), size)


def ref_band_keys(shingles, params):
    """band_keys as it was written first: each level apart, fresh arrays at every step, np.unique."""
    from reprintwatch.dedupe.arrays import fmix64 as _fmix64
    from reprintwatch.dedupe.fingerprint import _MULTIPLIERS, _permuted_rows

    def window_starts(shingles, params):
        n = len(shingles)
        anchors = np.flatnonzero((shingles >> np.uint32(8)) % np.uint32(params.window_chunk) == 0) + 1
        anchors = anchors[anchors < n]
        bounds = np.concatenate(([0], anchors, [n]))
        starts = []
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            starts.extend(range(lo, hi, params.window_max_chunk))
        return np.array(starts, dtype=np.int64)

    if len(shingles) == 0:
        return np.zeros(0, dtype=np.int64)

    def level_keys(values, bands, rows, level):
        n = values.shape[0]
        cube = values[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
        with np.errstate(over="ignore"):
            acc = np.full((n, bands), np.uint64(level), dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
            acc = acc + np.arange(bands, dtype=np.uint64)[None, :] * np.uint64(0xD6E8FEB86659FD93)
            for r in range(rows):
                acc = _fmix64(acc ^ (cube[:, :, r] * _MULTIPLIERS[r % len(_MULTIPLIERS)]))
        return acc.reshape(-1).view(np.int64)

    n_window_perm = params.window_bands * params.window_rows
    permuted = _permuted_rows(shingles, max(params.num_perm, n_window_perm), params.seed, params.scheme).T
    keys = [level_keys(permuted[:, : params.num_perm].min(axis=0, keepdims=True), params.article_bands,
                       params.article_rows, 1)]
    chunk_min = np.minimum.reduceat(permuted[:, :n_window_perm], window_starts(shingles, params), axis=0)
    span = min(params.window_span, len(chunk_min))
    windows = chunk_min[: len(chunk_min) - span + 1].copy()
    for offset in range(1, span):
        np.minimum(windows, chunk_min[offset : len(chunk_min) - span + 1 + offset], out=windows)
    keys.append(level_keys(windows, params.window_bands, params.window_rows, 2))
    return np.unique(shorten_keys(np.concatenate(keys), params))


def ref_facts(tokens, rare_freq=R.RARE_FREQ, common_char_freq=R.COMMON_CHAR_FREQ):
    freq, _ = T.dictionary()
    out = []
    for i, t in enumerate(tokens):
        digit = not t.isalpha()
        if len(t) >= 2 and (digit or freq.get(t, 0) <= rare_freq):
            out.append((i, i + 1))
    single = [len(t) == 1 and t.isalpha() and not t.isascii() and freq.get(t, 0) < common_char_freq for t in tokens]
    i = 0
    while i < len(tokens):
        if single[i]:
            j = i
            while j < len(tokens) and single[j]:
                j += 1
            if 2 <= j - i <= 4:
                out.append((i, j))
            i = j
        else:
            i += 1
    return [("".join(tokens[a:b]), a, b) for a, b in sorted(out)]


def ref_weights(tokens):
    freq, total = T.dictionary()
    return np.array([math.log(total) - math.log(freq.get(t, 0) + 1.0) for t in tokens], dtype=np.float64)


def ref_sentence_weights(tokens, sentence_of, n_sent):
    weights = ref_weights(tokens)
    vocab: dict[str, int] = {}
    ids = np.array([vocab.setdefault(t, len(vocab)) for t in tokens], dtype=np.int64)
    _, first = np.unique(sentence_of * max(1, len(vocab)) + ids, return_index=True)
    return np.bincount(sentence_of[first], weights=weights[first], minlength=n_sent)


def _assert_identical(texts):
    params = FingerprintParams()
    # fingerprinting a batch stage by stage (index add) gives each text's own fingerprint
    for one, many in zip([fingerprint(t, params) for t in texts], fingerprint_many(texts, params), strict=True):
        assert np.array_equal(one.keys, many.keys) and np.array_equal(one.rewrite_keys, many.rewrite_keys)
        assert one.signature.to_bytes() == many.signature.to_bytes() and one.tokens == many.tokens
        assert np.array_equal(one.signature.token_hashes, many.signature.token_hashes)
        assert one.facts == many.facts and one.normalized.text == many.normalized.text
    for text in texts:
        fp = fingerprint(text, params)
        tokens = segment(normalize(text).text)
        assert fp.tokens == tokens
        shingles = ref_shingle_hashes(tokens, params.shingle_size)
        assert np.array_equal(fp.signature.shingles, shingles)
        assert np.array_equal(shingle_hashes(tokens, params.shingle_size), shingles)
        assert np.array_equal(fp.signature.token_lens, np.array([len(t) for t in tokens], dtype=np.int32))
        assert np.array_equal(fp.keys, band_keys(shingles, params))
        assert np.array_equal(fp.keys, ref_band_keys(shingles, params))
        assert fp.keys.dtype == np.int64 and fp.rewrite_keys.dtype == np.int64
        facts = ref_facts(tokens)
        assert fp.facts == facts
        assert R.facts(tokens) == facts
        assert np.array_equal(fp.rewrite_keys, np.unique(shorten_keys(R.fact_keys(facts), params)))  # key_bits
        a = R.analyse(fp.normalized, text, tokens)
        b = R.analyse(fp.normalized, text, tokens, fact_spans=fp.facts)
        for x in (a, b):
            assert x.fact_spans == facts
            assert np.array_equal(x.weights, ref_weights(tokens))  # bit for bit: the same math.log
            assert np.array_equal(x.sentence_weights, ref_sentence_weights(tokens, x.sentence_of, x.n_sentences))
            assert x.has_digit.tolist() == [any(ch.isdigit() for ch in t) for t in tokens]


def test_identical_on_the_sample_data_and_edge_cases():
    texts = []
    for name in ("licensed.jsonl", "suspects.jsonl"):
        with (REPO / "data" / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["content"] for line in fh if line.strip()]
    texts += ["", "。", "2018年10月1日", "金兴明说：张 三 李四", "ａｂｃ１２３全角", "COVID-19疫情 3.14%", "𠮷野家和𡈽地"]
    _assert_identical(texts)


def test_a_full_table_starts_again_and_old_row_numbers_stay_valid(monkeypatch):
    monkeypatch.setattr(T, "MAX_TOKENS", 50)
    monkeypatch.setattr(T, "_TABLE", T.TokenTable.empty(8))
    first = [f"词{i}" for i in range(40)]
    table, ids = T.token_ids(first)
    second = [f"字{i}" for i in range(30)]
    table2, ids2 = T.token_ids(second)
    assert table2 is not table and table2.size == 30
    assert [int(table.crc[i]) for i in ids] == [zlib.crc32(t.encode()) for t in first]
    assert [int(table2.crc[i]) for i in ids2] == [zlib.crc32(t.encode()) for t in second]


def test_identical_on_real_articles():
    """Real articles from ../shared/data (research-only, read in place) where present."""
    _assert_identical(real_texts(600, 5))


def test_band_keys_of_other_parameters_equal_the_reference():
    """The merged band-key pass (levels with more rows first) for parameter sets other than the default:
    the article level with more rows than the window level, and equal rows."""
    rng = np.random.default_rng(4)
    for params in (FingerprintParams(article_bands=8, article_rows=6), FingerprintParams(article_bands=20, article_rows=4),
                   FingerprintParams(window_rows=2, window_bands=8), FingerprintParams(key_bits=64),
                   FingerprintParams(window_max_chunk=4), FingerprintParams(window_chunk=40, window_max_chunk=7)):
        for n in (1, 2, 5, 40, 700):
            shingles = rng.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32)
            assert np.array_equal(band_keys(shingles, params), ref_band_keys(shingles, params))


def test_band_keys_of_many_arrays_at_once_equal_the_reference():
    """band_keys_many (index add's batches: several articles' shingles in one pass, chunks of _BAND_CHUNK
    shingles) gives each array the reference's keys: empty and one-shingle arrays, arrays with one chunk
    (one window of a single chunk), arrays longer than a pass, every parameter set above."""
    from reprintwatch.dedupe.fingerprint import band_keys_many

    rng = np.random.default_rng(5)
    sizes = [0, 1, 2, 3, 5, 40, 0, 700, 9000, 17, 1, 300, 20000, 4, 650]
    for params in (FingerprintParams(), FingerprintParams(article_bands=8, article_rows=6),
                   FingerprintParams(window_rows=2, window_bands=8), FingerprintParams(key_bits=64),
                   FingerprintParams(window_max_chunk=4), FingerprintParams(window_chunk=40, window_max_chunk=7),
                   FingerprintParams(window_span=3)):
        arrays = [rng.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32) for n in sizes]
        many = band_keys_many(arrays, params)
        assert len(many) == len(arrays)
        for shingles, keys in zip(arrays, many):
            assert keys.dtype == np.int64
            assert np.array_equal(keys, ref_band_keys(shingles, params))


def test_facts_of_many_texts_at_once_equal_each_texts_own():
    """fact_bounds_and_keys_many (index add's batches) gives each text its own facts and keys: a run of
    uncommon single characters (a name jieba cut into characters) at the end of one text and the start of the
    next stays two runs, as do runs split so that either side is too short or too long; empty texts too."""
    texts = [["金", "兴"], ["明", "说", "陆家嘴"], [], ["金", "兴", "明", "华"], ["鑫", "2018年", "金"],
             ["兴", "明", "华", "鑫", "淼"], ["证监会"], ["金"], ["兴", "明"], []]
    for tokens_of in (texts, texts[::-1], [t * 3 for t in texts], [["金", "兴", "明"]] * 5):
        looked_up = [T.token_ids(t) for t in tokens_of]
        table = looked_up[-1][0]
        looked_up = [T.token_ids(t) for t in tokens_of]  # every row in one table now
        many = R.fact_bounds_and_keys_many(tokens_of, table, [ids for _, ids in looked_up])
        assert len(many) == len(tokens_of)
        for tokens, (_, ids), ((starts, ends), keys) in zip(tokens_of, looked_up, many):
            (one_starts, one_ends), one_keys = R.fact_bounds_and_keys(tokens, table, ids)
            assert starts.tolist() == one_starts.tolist() and ends.tolist() == one_ends.tolist()
            assert keys.tolist() == one_keys.tolist()
            assert R.fact_list(tokens, (starts, ends)) == ref_facts(tokens)
            assert keys.tolist() == R.fact_keys(ref_facts(tokens)).tolist()


def test_unique_sorted_is_np_unique():
    from reprintwatch.dedupe.arrays import unique_sorted

    rng = np.random.default_rng(6)
    for n in (0, 1, 2, 3, 100, 5000):
        for dtype in (np.int64, np.uint64):
            values = rng.integers(0, 60 if n > 50 else 2**40, size=n).astype(dtype)
            out = unique_sorted(values)
            assert out.dtype == values.dtype and np.array_equal(out, np.unique(values))
