"""A calibrated reprint score: the probability that a verified pair is a real copy.

``score(verification)`` applies a logistic regression over :meth:`Verification.features` (similarity,
coverages, log copied characters, log longest passage, number of passages). The model is plain JSON
(``score_model.json`` next to this file: feature names, standardisation, coefficients, intercept, and the
figures it was trained and tested with) — no pickle, so it can be read, diffed and audited. It is trained by
``bench/calibrate.py`` on the disguised copies and negatives of ``bench/disguise.py``.

The score ranks and explains; the verdict (``full_reprint``/``partial_reprint``/``none``) stays the job of
the thresholds in :class:`~reprintwatch.dedupe.verify.Thresholds`.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Sequence

MODEL_PATH = Path(__file__).with_name("score_model.json")
FEATURES = (
    "similarity",
    "licensed_coverage",
    "suspect_coverage",
    "log1p_copied_chars",
    "log1p_longest_passage_chars",
    "passages",
)

__all__ = ["FEATURES", "MODEL_PATH", "load_model", "score", "score_features"]


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> dict:
    with open(path, encoding="utf-8") as fh:
        model = json.load(fh)
    if tuple(model.get("features", ())) != FEATURES:
        raise ValueError(f"{path}: model features {model.get('features')} do not match {list(FEATURES)}")
    for key in ("mean", "scale", "coef"):
        if len(model[key]) != len(FEATURES):
            raise ValueError(f"{path}: {key!r} must have {len(FEATURES)} values")
    return model


def score_features(features: Sequence[float], model: dict | None = None) -> float:
    """Probability of a reprint for one feature vector (in :data:`FEATURES` order)."""
    model = model or load_model()
    z = float(model["intercept"])
    for x, mean, scale, coef in zip(features, model["mean"], model["scale"], model["coef"]):
        z += coef * (float(x) - mean) / (scale or 1.0)
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def score(verification, model: dict | None = None) -> float:
    """Calibrated probability that ``verification`` (a :class:`Verification`) is a reprint."""
    if not verification.passages and verification.similarity == 0:
        return 0.0
    return score_features(verification.features(), model)
