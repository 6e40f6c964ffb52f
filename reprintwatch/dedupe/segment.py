"""Word segmentation with jieba's cuts, returning token lengths so offsets can be rebuilt without strings.

jieba 0.42.1 (dictionary route, HMM off) defines the cuts; it stays the reference. The work is done by
jieba-rs (through its binding ``rjieba``) when it is installed, because on this project's texts it gives
the same cuts 15-20× faster (bench/speed.py: segmentation was ~60 % of a check with jieba):

* the dictionary is *the same file*: jieba-rs starts empty and is loaded from jieba's own ``dict.txt``
  (word, frequency), so a jieba upgrade or a jieba-rs dictionary change cannot split the two silently.
  jieba adds a duplicated line's frequency to its total twice while jieba-rs replaces it, so the
  difference is added back under a key no text can reach (``\\x00``: both split text on the same
  han/alnum pattern before the dictionary route, and control characters never reach it);
* identity of the route is proven by tests/test_segment.py on the sample data, on hand-made edge cases
  and, where ``../shared/data`` is present, on thousands of real articles (both sides of every check
  are cut by the same code, so a difference would only cost recall, never produce a false match).

``REPRINTWATCH_SEGMENTER=jieba`` forces the reference implementation. Which implementation ran is not
part of the fingerprint parameters — the cuts are (``tokenizer`` = ``jieba-0.42.1-nohmm``), so indexes
built with either keep working with the other.
"""
from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

TOKENIZER = "jieba"
SEGMENTERS = ("rjieba", "jieba")


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


def _jieba_version() -> str:
    import jieba  # the version only: no dictionary load

    return jieba.__version__


def jieba_dictionary() -> Path:
    import jieba

    return Path(jieba.__file__).resolve().parent / "dict.txt"


@lru_cache(maxsize=1)
def _rjieba():
    """A jieba-rs segmenter holding exactly jieba's dictionary (0.5 s, once per process), or None."""
    try:
        import rjieba
    except ImportError:
        return None
    seg = rjieba.Jieba.empty()
    seen: dict[str, int] = {}
    missing_total = 0
    with open(jieba_dictionary(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            if word in seen:  # jieba: total += freq again; jieba-rs: total += freq - old
                missing_total += seen[word]
            seen[word] = freq
            seg.add_word(word, freq, parts[2] if len(parts) > 2 else None)
    if missing_total:
        seg.add_word("\x00", missing_total, None)
    return seg


def segmenter() -> str:
    """The implementation in use: ``rjieba`` (jieba-rs with jieba's dictionary) or ``jieba``."""
    wanted = os.environ.get("REPRINTWATCH_SEGMENTER", "rjieba").strip().lower() or "rjieba"
    if wanted not in SEGMENTERS:
        raise ValueError(f"REPRINTWATCH_SEGMENTER={wanted!r}: choose one of {', '.join(SEGMENTERS)}")
    if wanted == "rjieba" and _rjieba() is not None:
        return "rjieba"
    return "jieba"


def tokenizer_version() -> str:
    return f"{TOKENIZER}-{_jieba_version()}-nohmm"


def segment_reference(text: str) -> list[str]:
    """jieba 0.42.1's own cuts (dictionary route, no HMM): the definition :func:`segment` must match."""
    if not text:
        return []
    return _jieba().lcut(text, cut_all=False, HMM=False)


def segment(text: str) -> list[str]:
    """Tokens of normalised text; they concatenate back to ``text`` exactly.

    jieba's dictionary route without its HMM: new-word discovery does not help fingerprints (both sides
    are cut the same way) and the HMM costs about a third of jieba's time.
    """
    if not text:
        return []
    if _use_rjieba():
        return _rjieba().cut(text, False)
    return segment_reference(text)


@lru_cache(maxsize=1)
def _use_rjieba() -> bool:
    return segmenter() == "rjieba"


def token_lengths(tokens: list[str]) -> np.ndarray:
    return np.fromiter(map(len, tokens), dtype=np.int32, count=len(tokens))
