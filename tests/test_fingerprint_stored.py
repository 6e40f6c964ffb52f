"""Fingerprints pinned to stored values: a speed change to the fingerprint code must not change one bit of it.

Every index (SQLite and Elasticsearch) keeps the band keys and rewrite keys made when an article was added,
and verification reads the stored signatures: a fingerprint that changed its output would silently stop
matching old articles. ``tests/test_tokens.py`` compares the fast path with a per-token reference built from
the same helpers; this file compares with digests recorded from the code of ``4818024`` (main before
issue 23's fingerprint work), so a rewrite of those helpers is held to the old output too.

What is pinned, per text: the normalised text and its offsets, the signature (token lengths, spans, token
hashes, shingles), the band keys, the facts' bounds and the rewrite keys. A deliberate change of output must
bump ``FingerprintParams.version`` (indexes refuse other parameters) and record new digests here.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata

import numpy as np
import pytest

from reprintwatch.dedupe import FingerprintParams, fingerprint
from reprintwatch.dedupe.fingerprint import fingerprint_many

from conftest import REPO, real_texts
from texts import METRO, RIVER

PARAMS = FingerprintParams()


def digest(fp) -> str:
    """sha256 of everything a fingerprint gives an index or a verification, in a fixed byte layout."""
    sig = fp.signature
    h = hashlib.sha256()
    h.update(fp.normalized.text.encode("utf-8"))
    for array, dtype in ((fp.normalized.offsets, "<i4"), (sig.token_lens, "<i4"), (sig.token_spans, "<i4"),
                         (sig.token_hashes, "<u4"), (sig.shingles, "<u4"), (fp.keys, "<i8"),
                         (fp.fact_bounds[0], "<i8"), (fp.fact_bounds[1], "<i8"), (fp.rewrite_keys, "<i8")):
        a = np.ascontiguousarray(np.asarray(array).astype(dtype))
        h.update(len(a).to_bytes(8, "little"))
        h.update(a.tobytes())
    h.update("|".join(f"{r.kind}:{r.start}:{r.end}" for r in fp.removed).encode("utf-8"))
    return h.hexdigest()


def combined(fps) -> str:
    return hashlib.sha256("".join(digest(fp) for fp in fps).encode()).hexdigest()


def sample_texts() -> list[str]:
    """The repository's sample articles and suspects, plus edge cases: traditional characters and full-width
    forms (the fold's expanding path), a character outside the BMP, a long run without a chunk anchor,
    texts shorter than a shingle, and empty ones."""
    texts = []
    for name in ("licensed.jsonl", "suspects.jsonl"):
        with open(REPO / "data" / name, encoding="utf-8") as fh:
            texts += [json.loads(line)["content"] for line in fh if line.strip()]
    texts += [METRO, RIVER, "全\u200b市·首條線路今天開通。", "①②③ ＡＢＣ１２３ ㈱ ㍻ 𠀀𝐀 🎉！", "你好", "", "🎉！",
              "。".join(f"第{i}条" for i in range(300)), unicodedata.normalize("NFKD", METRO)]
    return texts


# recorded from the unchanged code (see the module docstring)
SAMPLE_DIGEST = "71a8d91d0458e35c1fb821081c2e7419d7c785a6f4f6a07a168498a6f3365db9"
REAL_DIGEST = "d4604405968cdc5f9e67155aa451e1c8be784ec6e4637c855b23b1a94bc43d82"
REAL_N, REAL_SEED = 600, 23


def test_sample_fingerprints_are_the_stored_ones():
    texts = sample_texts()
    one_by_one = [fingerprint(t, PARAMS) for t in texts]
    assert combined(one_by_one) == SAMPLE_DIGEST
    # batched (as index add and scan make them): the same values
    assert [digest(fp) for fp in fingerprint_many(texts, PARAMS)] == [digest(fp) for fp in one_by_one]


def test_real_article_fingerprints_are_the_stored_ones():
    texts = real_texts(REAL_N, REAL_SEED)
    if len(texts) < REAL_N:
        pytest.skip("fewer real articles than recorded")
    assert combined(fingerprint_many(texts, PARAMS)) == REAL_DIGEST
