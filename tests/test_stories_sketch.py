"""``detector._Stories._near`` (which stories a candidate may be a version of) against the plain reference it
replaced: every sketch value of the candidate counted over every story holding it. The fast form counts only the
values some story holds; the answers must be the same, including a story listed twice under one value (a
version joined after another story had indexed the value)."""
from __future__ import annotations

import collections
import random

import numpy as np

from reprintwatch.detector import SKETCH, SKETCH_MIN_SHARED, _Stories


def reference_near(stories: _Stories, u: np.ndarray, before: int) -> list[int]:
    hits = collections.Counter(n for v in u[:SKETCH].tolist() for n in stories._holders.get(v, ()) if n < before)
    return sorted(n for n, k in hits.items() if k >= SKETCH_MIN_SHARED)


def test_near_matches_reference_on_random_stories():
    rng = random.Random(7)
    for trial in range(200):
        stories = _Stories(verify_story=None)
        pool = list(range(rng.randint(40, 400)))  # a small pool: stories share many sketch values
        n_stories = rng.randint(1, 12)
        # index stories in an interleaved order, revisiting earlier ones (a version joining a story later)
        for _ in range(rng.randint(n_stories, 3 * n_stories)):
            n = rng.randrange(n_stories)
            stories._index(n, np.unique(np.array(rng.sample(pool, min(len(pool), SKETCH + 8)), dtype=np.uint32)))
        for _ in range(20):
            u = np.unique(np.array(rng.sample(pool, min(len(pool), rng.randint(1, 60))), dtype=np.uint32))
            before = rng.randint(0, n_stories)
            assert stories._near(u, before) == reference_near(stories, u, before)


def test_near_counts_a_story_listed_twice_under_one_value():
    stories = _Stories(verify_story=None)
    shared = np.arange(SKETCH, dtype=np.uint32)
    stories._index(0, shared[:3])
    stories._index(1, shared[:3])
    stories._index(0, shared[:3])  # holders of each value: [0, 1, 0]
    u = shared[:3]
    assert reference_near(stories, u, 2) == [0]  # 3 values, story 0 counted twice each: 6 hits
    assert stories._near(u, 2) == [0]
    assert stories._near(u, 0) == []
    assert stories._near(np.array([1000, 1001], dtype=np.uint32), 2) == []
