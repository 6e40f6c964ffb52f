"""LSH banding: choose bands × rows for a Jaccard threshold, and the probability curve behind the choice.

With ``b`` bands of ``r`` rows, two sets of Jaccard similarity ``s`` share at least one band with
probability ``1 - (1 - s**r)**b``. :func:`optimal_bands` picks the ``(b, r)`` with ``b*r <= num_perm``
that minimises the weighted area of false positives below the threshold plus false negatives above it
(the criterion of datasketch's ``MinHashLSH``, written out here so the choice is explicit and stored).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np


def collision_probability(similarity, bands: int, rows: int):
    s = np.asarray(similarity, dtype=float)
    return 1.0 - (1.0 - s**rows) ** bands


@lru_cache(maxsize=64)
def optimal_bands(
    threshold: float, num_perm: int, false_positive_weight: float = 0.5, false_negative_weight: float = 0.5
) -> tuple[int, int]:
    if not 0.0 < threshold < 1.0:
        raise ValueError("threshold must be between 0 and 1")
    below = np.linspace(0.0, threshold, 201)
    above = np.linspace(threshold, 1.0, 201)
    best, best_error = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp = np.trapezoid(collision_probability(below, bands, rows), below)
            fn = np.trapezoid(1.0 - collision_probability(above, bands, rows), above)
            error = false_positive_weight * fp + false_negative_weight * fn
            if error < best_error - 1e-12:
                best, best_error = (bands, rows), error
    return best
