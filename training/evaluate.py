"""Measure a trained encoder on the matching set the way `askdoc eval` measures the shipped one:

    python -m training.evaluate training/output/minilm-askdoc/model-int8.onnx

The dev set chooses between checkpoints and settings; it is never trained on.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
from pathlib import Path

from bot import matching
from bot.config import load_settings
from bot.embeddings import MiniLMEncoder, sha256_file
from bot.evaluation import evaluate, report, write_results
from bot.testing import PROJECT

EVAL = PROJECT.parent / "shared" / "eval"


def candidate_encoder(model: Path) -> MiniLMEncoder:
    """A model file being trained, as the bot's encoder; its vectors are named by its hash."""
    digest = sha256_file(model)
    return MiniLMEncoder(
        model=model, model_sha256=digest, threads=2, name=f"candidate-{digest[:12]}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__)
    parser.add_argument("model", type=Path, help="an int8 ONNX file from training.finetune")
    parser.add_argument("--bank", type=Path, default=EVAL / "bank.jsonl")
    parser.add_argument("--queries", type=Path, default=EVAL / "queries-dev.jsonl")
    parser.add_argument("--min-score", type=float, default=None)
    parser.add_argument(
        "--refit", action="store_true", help="fit the decision's calibration to this model first"
    )
    parser.add_argument("--results", type=Path, help="write each query's decision (JSONL)")
    args = parser.parse_args(argv)
    settings = load_settings(PROJECT / "config.yaml", {})
    if args.min_score is not None:
        threshold = dataclasses.replace(settings.matching, min_score=args.min_score)
        settings = dataclasses.replace(settings, matching=threshold)
    encoder = candidate_encoder(args.model)
    ours, baseline = asyncio.run(evaluate(settings, args.bank, args.queries, encoder))
    if args.refit:
        from training.calibrate import fitted

        # The levels and margins do not depend on the calibration: fit it, then match again.
        matching.DENSE_CALIBRATION = fitted(ours)
        print(f"refitted: {matching.DENSE_CALIBRATION}")
        ours, baseline = asyncio.run(evaluate(settings, args.bank, args.queries, encoder))
    print(report(ours, baseline, settings))
    if args.results:
        write_results(args.results, ours)


if __name__ == "__main__":
    main()
