"""Fit the matcher's decision to an encoder: a logistic model of "the best hit is right" from
the best hit's cosine (`level`) and its lead over the next question that reads differently
(`margin`), the two features of `bot.matching.Calibration`.

    python -m training.calibrate training/output/minilm-askdoc/model-int8.onnx

Fitted on the dev set's queries, which is what the dev set is for (choosing settings); 5-fold
cross-validated, so the figures printed are for queries each fold did not see. Prints the
calibration to put in `bot/matching.py` and the AUROC with and without the margin.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.config import load_settings
from bot.embeddings import load_encoder
from bot.evaluation import Outcome, evaluate
from bot.matching import Calibration
from bot.testing import PROJECT
from training.evaluate import EVAL, candidate_encoder

Matrix = npt.NDArray[np.float64]


def fit(features: Matrix, labels: Matrix, steps: int = 200) -> Matrix:
    """Logistic regression by Newton's method (a small ridge keeps it finite)."""
    design = np.hstack([np.ones((features.shape[0], 1)), features])
    weights = np.zeros(design.shape[1])
    for _ in range(steps):
        predicted = 1.0 / (1.0 + np.exp(-design @ weights))
        gradient = design.T @ (predicted - labels) + 1e-3 * weights
        hessian = (design.T * (predicted * (1 - predicted))) @ design + 1e-3 * np.eye(len(weights))
        weights -= np.linalg.solve(hessian, gradient)
    return weights


def auroc(scores: Sequence[float], labels: Sequence[float]) -> float:
    """The chance a right best hit scores above a wrong one."""
    pairs = sorted(zip(scores, labels, strict=True))
    positives = sum(labels)
    negatives = len(labels) - positives
    rank_sum = sum(rank for rank, (_, label) in enumerate(pairs, start=1) if label)
    return (rank_sum - positives * (positives + 1) / 2) / max(positives * negatives, 1)


def cross_validated(features: Matrix, labels: Matrix, folds: int = 5) -> list[float]:
    """Each query's predicted probability from a model fitted without its fold."""
    predicted = np.zeros(len(labels))
    fold_of = np.arange(len(labels)) % folds
    for fold in range(folds):
        train = fold_of != fold
        weights = fit(features[train], labels[train])
        design = np.hstack([np.ones((int((~train).sum()), 1)), features[~train]])
        predicted[~train] = 1.0 / (1.0 + np.exp(-design @ weights))
    return predicted.tolist()


def fitted(outcomes: Sequence[Outcome]) -> Calibration:
    """The calibration fitted to these outcomes (every query with a best hit)."""
    usable = [o for o in outcomes if o.ranked]
    labels = np.array([1.0 if o.top_right else 0.0 for o in usable])
    bias, level, margin = fit(np.array([[o.level, o.margin] for o in usable]), labels).tolist()
    return Calibration(bias=round(bias, 2), level=round(level, 2), margin=round(margin, 2))


def report(outcomes: Sequence[Outcome]) -> str:
    usable = [o for o in outcomes if o.ranked]
    labels = np.array([1.0 if o.top_right else 0.0 for o in usable])
    level = np.array([[o.level] for o in usable])
    both = np.array([[o.level, o.margin] for o in usable])
    weights = fit(both, labels)
    lines = [
        f"{len(usable)} queries with a best hit, {int(labels.sum())} of them right",
        f"AUROC, cosine alone: {auroc(cross_validated(level, labels), labels.tolist()):.3f}",
        f"AUROC, cosine and margin: {auroc(cross_validated(both, labels), labels.tolist()):.3f}",
        "Calibration(bias={:.2f}, level={:.2f}, margin={:.2f})".format(*weights.tolist()),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.calibrate", description=__doc__)
    parser.add_argument("model", type=Path, nargs="?", help="an int8 ONNX file (default: shipped)")
    parser.add_argument("--bank", type=Path, default=EVAL / "bank.jsonl")
    parser.add_argument("--queries", type=Path, default=EVAL / "queries-dev.jsonl")
    args = parser.parse_args(argv)
    settings = load_settings(PROJECT / "config.yaml", {})
    encoder = candidate_encoder(args.model) if args.model else load_encoder("auto", 2)
    ours, _ = asyncio.run(evaluate(settings, args.bank, args.queries, encoder))
    print(report(ours))


if __name__ == "__main__":
    main()
