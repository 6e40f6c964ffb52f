"""Train the reprint score (``reprintwatch/dedupe/score.py``) and write ``score_model.json``.

    /tmp/venv/bin/python bench/calibrate.py                 # train, report held-out ROC-AUC / Brier, write the model
    /tmp/venv/bin/python bench/calibrate.py --dry-run       # report only

Data: the quality benchmark's licensed index, disguised copies and negatives (``bench/disguise.py``). Every
(suspect, candidate) pair the detector verifies is one example — label 1 when the candidate is an expected
source of the copy, 0 otherwise (candidates of negatives, wrong candidates of copies). Cases are split in two
halves (stratified by disguise): a scikit-learn ``LogisticRegression`` on standardised
``Verification.features()`` is fitted on one and scored on the other. The model is saved as plain JSON.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import disguise as D  # noqa: E402
from bench.quality import _quiet_jieba, build_index, check_cases  # noqa: E402
from reprintwatch.dedupe import FingerprintParams  # noqa: E402
from reprintwatch.dedupe.score import FEATURES, MODEL_PATH, score_features  # noqa: E402


def examples(records) -> list[tuple[str, str, list[float], int, str]]:
    rows = []
    for rec in records:
        case = rec["case"]
        for lic_id, m in rec["matches"].items():
            rows.append((case.id, case.disguise, m.verification.features(), int(lic_id in case.sources), m.verdict))
    return rows


def split_cases(cases, rng: random.Random) -> set[str]:
    """Ids of the training half, stratified by disguise."""
    train: set[str] = set()
    by: dict[str, list[str]] = {}
    for c in cases:
        by.setdefault(c.disguise, []).append(c.id)
    for ids in by.values():
        rng.shuffle(ids)
        train.update(ids[: len(ids) // 2])
    return train


def main(argv=None) -> int:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, log_loss, precision_recall_fscore_support, roc_auc_score

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n-licensed", type=int, default=2000)
    ap.add_argument("--per-disguise", type=int, default=100)
    ap.add_argument("--negatives", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--stress", type=int, default=30,
                    help="add N graded copies per stress level (harder positives: 洗稿 at 25-40 %%, passages of "
                         "80-300 chars; passages under 80 chars are left out: not a reprint by policy)")
    ap.add_argument("--output", type=Path, default=MODEL_PATH)
    ap.add_argument("--dry-run", action="store_true", help="do not write the model")
    args = ap.parse_args(argv)
    _quiet_jieba()

    params = FingerprintParams()
    licensed, cases, _ = D.build_benchmark(args.n_licensed, args.per_disguise, args.negatives, args.seed,
                                           stress=args.stress)
    cases = [c for c in cases if c.disguise not in ("excerpt_40", "excerpt_60")]
    with tempfile.TemporaryDirectory(prefix="rw-calibrate-") as tmp:
        detector, _, _ = build_index(Path(tmp) / "licensed.db", licensed, params)
        records = check_cases(detector, cases)
        thresholds = dict(vars(detector.thresholds))
        detector.index.close()
    rows = examples(records)
    train_ids = split_cases(cases, random.Random(args.seed))
    train = [r for r in rows if r[0] in train_ids]
    test = [r for r in rows if r[0] not in train_ids]
    x_tr = np.array([r[2] for r in train])
    y_tr = np.array([r[3] for r in train])
    x_te = np.array([r[2] for r in test])
    y_te = np.array([r[3] for r in test])

    mean = x_tr.mean(axis=0)
    scale = x_tr.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=1.0, max_iter=1000)
    clf.fit((x_tr - mean) / scale, y_tr)
    model = {
        "features": list(FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": clf.coef_[0].round(6).tolist(),
        "intercept": round(float(clf.intercept_[0]), 6),
    }
    p_te = np.array([score_features(x, model) for x in x_te])
    verdict_te = np.array([int(r[4] != "none") for r in test])
    p_at_half = (p_te >= 0.5).astype(int)
    prec, rec, f1, _ = precision_recall_fscore_support(y_te, p_at_half, average="binary", zero_division=0)
    vprec, vrec, vf1, _ = precision_recall_fscore_support(y_te, verdict_te, average="binary", zero_division=0)
    metrics = {
        "train_pairs": len(train), "train_positives": int(y_tr.sum()),
        "test_pairs": len(test), "test_positives": int(y_te.sum()),
        "roc_auc": round(float(roc_auc_score(y_te, p_te)), 5),
        "brier": round(float(brier_score_loss(y_te, p_te)), 5),
        "log_loss": round(float(log_loss(y_te, p_te, labels=[0, 1])), 5),
        "at_0.5": {"precision": round(float(prec), 4), "recall": round(float(rec), 4), "f1": round(float(f1), 4)},
        "verdict": {"precision": round(float(vprec), 4), "recall": round(float(vrec), 4), "f1": round(float(vf1), 4)},
        "brier_of_verdict_as_probability": round(float(brier_score_loss(y_te, verdict_te)), 5),
    }
    # the wrong calls at 0.5, for the report
    mistakes = [
        {"case": r[0], "disguise": r[1], "label": r[3], "score": round(float(p), 3), "verdict": r[4],
         "features": [round(v, 3) for v in r[2]]}
        for r, p in zip(test, p_te) if (p >= 0.5) != bool(r[3])
    ]
    model["trained_on"] = {
        "generator": "bench/disguise.py", "seed": args.seed, "n_licensed": len(licensed), "cases": len(cases),
        "fingerprint": {k: v for k, v in params.to_dict().items() if k != "tokenizer"}, "thresholds": thresholds,
        "stress_per_level": args.stress,
        "split": "cases halved, stratified by disguise",
    }
    model["held_out"] = metrics
    print(json.dumps({"coef": dict(zip(FEATURES, model["coef"])), "intercept": model["intercept"], **metrics},
                     indent=1, ensure_ascii=False))
    print(f"{len(mistakes)} held-out pairs on the wrong side of 0.5:")
    for m in mistakes[:15]:
        print("  ", m)
    if not args.dry_run:
        args.output.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
