"""Word segmentation with jieba, returning token lengths so offsets can be rebuilt without strings."""
from __future__ import annotations

import logging
import os
from functools import lru_cache

import numpy as np

TOKENIZER = "jieba"


@lru_cache(maxsize=1)
def _jieba():
    import jieba
    import platformdirs

    jieba.setLogLevel(logging.WARNING)
    # jieba keeps its dictionary cache in the shared temp dir by default; one made there by another user
    # cannot be replaced and every command printed a traceback. A per-user cache dir avoids that.
    cache_dir = platformdirs.user_cache_dir("reprintwatch", appauthor=False)
    try:
        os.makedirs(cache_dir, exist_ok=True)
        jieba.dt.tmp_dir = cache_dir
    except OSError:
        pass  # no usable cache dir: jieba builds its dictionary in memory (slower start, same cuts)
    jieba.initialize()
    return jieba


def tokenizer_version() -> str:
    return f"{TOKENIZER}-{_jieba().__version__}-nohmm"


def segment(text: str) -> list[str]:
    """Tokens of normalised text; they concatenate back to ``text`` exactly.

    jieba's dictionary route without its HMM: new-word discovery does not help fingerprints (both sides
    are cut the same way) and the HMM costs about a third of jieba's time.
    """
    if not text:
        return []
    return _jieba().lcut(text, cut_all=False, HMM=False)


def token_lengths(tokens: list[str]) -> np.ndarray:
    return np.fromiter(map(len, tokens), dtype=np.int32, count=len(tokens))
