"""`askdoc eval` on a sample of the public evaluation data in ../shared/eval (never copied into
the store): quality floors that catch matching regressions, and the --results format."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from bot.__main__ import main
from bot.config import load_settings
from bot.evaluation import (
    Outcome,
    Query,
    baseline_expression,
    measure,
    percentile,
    run_evaluation,
)
from bot.testing import PROJECT, SHARED_EVAL

BANK = SHARED_EVAL / "bank.jsonl"
QUERIES = SHARED_EVAL / "queries-dev.jsonl"

# The sample: the first queries of each track, the bank items they expect or are decoyed by,
# and every OTHER_BANK_STEP-th other bank item as distractors (a spread like the whole bank's).
MQP_QUERIES = 200
RQE_QUERIES = 50
OTHER_BANK_STEP = 20

needs_data = pytest.mark.skipif(
    not (BANK.is_file() and QUERIES.is_file()), reason="../shared/eval is not available"
)


def _sample(folder: Path) -> tuple[Path, Path, list[dict[str, Any]]]:
    queries: list[dict[str, Any]] = []
    per_track: dict[str, int] = {}
    limits = {"mqp": MQP_QUERIES, "rqe-amia2016": RQE_QUERIES}
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        track = item["track"]
        if per_track.get(track, 0) < limits.get(track, 0):
            per_track[track] = per_track.get(track, 0) + 1
            queries.append(item)
    wanted = {i for item in queries for i in item["expected_ids"] + item.get("decoy_ids", [])}
    bank_lines = []
    for number, line in enumerate(BANK.read_text(encoding="utf-8").splitlines()):
        if json.loads(line)["id"] in wanted or number % OTHER_BANK_STEP == 0:
            bank_lines.append(line)
    bank_path = folder / "bank.jsonl"
    bank_path.write_text("\n".join(bank_lines) + "\n", encoding="utf-8")
    queries_path = folder / "queries.jsonl"
    queries_path.write_text("".join(json.dumps(q) + "\n" for q in queries), encoding="utf-8")
    return bank_path, queries_path, queries


def _outcome(
    expected: set[str],
    ranked: list[str],
    matched: bool,
    top: float = 0.9,
    choices: tuple[str, ...] = (),
) -> Outcome:
    decision = "match" if matched else "unsure" if choices else "no_match"
    return Outcome(
        query=Query(qid="q", track="t", text="x", expected=frozenset(expected)),
        ranked=tuple(ranked),
        scores=(top,) * len(ranked),
        matched=matched,
        milliseconds=1.0,
        decision=decision,
        choices=choices,
    )


def test_metrics_count_answerable_null_and_shown_queries() -> None:
    outcomes = [
        _outcome({"a"}, ["a", "b"], matched=True),  # right, shown
        _outcome({"a"}, ["b", "c", "a"], matched=True),  # wrong first, shown
        _outcome({"a"}, ["b", "a"], matched=False),  # rank 2, declined
        _outcome(set(), ["b"], matched=False),  # null, declined: right
        _outcome(set(), ["b"], matched=True),  # null, shown: wrong
    ]
    m = measure(outcomes)
    assert (m.answerable, m.null, m.shown) == (3, 2, 3)
    assert m.top1 == pytest.approx(1 / 3)
    assert m.recall3 == pytest.approx(1.0)
    assert m.mrr10 == pytest.approx((1 + 1 / 3 + 1 / 2) / 3)
    assert m.answered_right == pytest.approx(1 / 3)
    assert m.declined_right == pytest.approx(1 / 2)
    assert m.precision == pytest.approx(1 / 3)
    assert m.one_tap == pytest.approx(1 / 3)
    assert m.wrong_shown == pytest.approx(2 / 5)
    assert m.doctor_load == pytest.approx(2 / 5)


def test_decoy_first_counts_look_alikes_ranked_first() -> None:
    fooled = _outcome(set(), ["d", "a"], matched=False)
    kept = _outcome(set(), ["a", "d"], matched=False)
    decoyed = [
        Outcome(
            query=Query("q", "t", "x", frozenset(), decoys=frozenset({"d"})),
            ranked=o.ranked,
            scores=o.scores,
            matched=False,
            milliseconds=1.0,
            decision="no_match",
        )
        for o in (fooled, kept)
    ]
    plain = _outcome({"a"}, ["a"], matched=True)
    assert measure([*decoyed, plain]).decoy_first == pytest.approx(1 / 2)


def test_one_tap_counts_the_right_question_among_the_choices() -> None:
    outcomes = [
        _outcome({"a"}, ["b", "a"], matched=False, choices=("b", "a")),  # one tap away
        _outcome({"a"}, ["b", "c"], matched=False, choices=("b", "c")),  # not offered
        _outcome({"a"}, ["a"], matched=True),  # shown at once
        _outcome(set(), ["b"], matched=False, choices=("b",)),  # null, asked: not routed
    ]
    m = measure(outcomes)
    assert m.one_tap == pytest.approx(2 / 3)
    assert m.wrong_shown == 0.0 and m.doctor_load == 0.0


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([], 0.5) == 0.0


def test_baseline_expression_drops_question_words() -> None:
    assert baseline_expression("What are the symptoms of Gout?") == '"symptoms" OR "gout"'
    assert baseline_expression("what is it?") == ""


@needs_data
async def test_eval_on_a_sample_keeps_its_quality_floors(tmp_path: Path) -> None:
    bank_path, queries_path, queries = _sample(tmp_path)
    settings = load_settings(PROJECT / "config.yaml", {})
    results_path = tmp_path / "results.jsonl"
    text = await run_evaluation(settings, bank_path, queries_path, results_path)
    assert "overall ours" in text and "overall bm25" in text and "mqp ours" in text

    results = [json.loads(line) for line in results_path.read_text().splitlines()]
    assert [r["qid"] for r in results] == [q["qid"] for q in queries]
    for result in results:
        assert set(result) == {"qid", "ranked", "scores", "decision", "choices", "level", "margin"}
        assert -1.0 <= result["level"] <= 1.0 and result["margin"] >= 0.0
        assert result["decision"] in ("match", "unsure", "no_match")
        assert (result["decision"] == "unsure") == bool(result["choices"])
        assert len(result["ranked"]) == len(result["scores"]) <= 10
        assert all(isinstance(i, str) for i in result["ranked"])
        assert result["scores"] == sorted(result["scores"], reverse=True)
        assert all(0.0 <= s <= 1.0 for s in result["scores"])

    expected = {q["qid"]: set(q["expected_ids"]) for q in queries}
    answerable = [r for r in results if expected[r["qid"]]]
    null = [r for r in results if not expected[r["qid"]]]
    top1 = [r for r in answerable if r["ranked"][:1] and r["ranked"][0] in expected[r["qid"]]]
    right_shown = [r for r in top1 if r["decision"] == "match"]
    shown = [r for r in results if r["decision"] == "match"]
    declined = [r for r in null if r["decision"] != "match"]
    top1_rate = len(top1) / len(answerable)
    answered_right = len(right_shown) / len(answerable)
    declined_right = len(declined) / len(null)
    precision = len(right_shown) / max(len(shown), 1)
    # The patient who is not shown the right answer is mostly offered it among the buttons.
    offered = [
        r
        for r in answerable
        if r["decision"] == "unsure" and expected[r["qid"]] & set(r["choices"])
    ]
    one_tap = (len(right_shown) + len(offered)) / len(answerable)
    summary = (
        f"{top1_rate=:.3f} {answered_right=:.3f} {declined_right=:.3f} {precision=:.3f}"
        f" {one_tap=:.3f}"
    )
    assert top1_rate >= TOP1_FLOOR, summary
    assert answered_right >= ANSWERED_RIGHT_FLOOR, summary
    assert declined_right >= DECLINED_RIGHT_FLOOR, summary
    assert precision >= PRECISION_FLOOR, summary
    assert one_tap >= ONE_TAP_FLOOR, summary

    # An operator who wants the buttons only for close questions (matching.unsure_from: 0.5)
    # gets fewer of them, and no answer shown differently.
    narrow = dataclasses.replace(
        settings, matching=dataclasses.replace(settings.matching, unsure_from=0.5)
    )
    narrow_path = tmp_path / "narrow.jsonl"
    await run_evaluation(narrow, bank_path, queries_path, narrow_path)
    narrowed = [json.loads(line) for line in narrow_path.read_text().splitlines()]
    unsure_count = sum(r["decision"] == "unsure" for r in results)
    assert sum(r["decision"] == "unsure" for r in narrowed) < unsure_count / 2, summary
    assert [r["decision"] == "match" for r in narrowed] == [
        r["decision"] == "match" for r in results
    ]


# A little below what the shipped matcher (sentence encoder + full text) measures on the sample:
# top-1 0.855, answered right 0.269, declined right 0.962, precision 0.907, resolved in one tap
# 0.890 at min_score 0.75 (the band from half of min_score, as before, fails the last floor).
TOP1_FLOOR = 0.82
ANSWERED_RIGHT_FLOOR = 0.25
DECLINED_RIGHT_FLOOR = 0.86
PRECISION_FLOOR = 0.74
ONE_TAP_FLOOR = 0.85


@needs_data
def test_cli_prints_the_report_and_writes_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank_path = tmp_path / "bank.jsonl"
    lines = BANK.read_text(encoding="utf-8").splitlines()[:200]
    bank_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = json.loads(lines[0])
    queries_path = tmp_path / "queries.jsonl"
    queries_path.write_text(
        json.dumps(
            {"qid": "a", "track": "t", "query": first["question"], "expected_ids": [first["id"]]}
        )
        + "\n"
        + json.dumps({"qid": "b", "track": "t", "query": "zzzz qqqq", "expected_ids": []})
        + "\n",
        encoding="utf-8",
    )
    results_path = tmp_path / "out.jsonl"
    code = main(
        [
            "eval",
            "--bank",
            str(bank_path),
            "--queries",
            str(queries_path),
            "--results",
            str(results_path),
            "--config",
            str(PROJECT / "config.yaml"),
        ],
        {},
    )
    assert code == 0
    printed = capsys.readouterr()
    assert "overall ours" in printed.out
    # Each long step says what it does while it runs (plain lines: no terminal here).
    for step in ("importing the bank: 200 questions to do", "matching the queries: 2 queries"):
        assert step in printed.err, printed.err
    assert "matching the queries: done, 2 in" in printed.err
    a, b = (json.loads(line) for line in results_path.read_text().splitlines())
    # Ranked first; whether it is shown depends on its margin over the bank's sibling questions
    # about the same disease (this test is about the report and the results format).
    assert a["ranked"][0] == first["id"] and a["decision"] in ("match", "unsure")
    # Nonsense shares no word with the bank; the encoder still names its nearest questions,
    # but far below any threshold.
    assert b["decision"] == "no_match" and all(score < 0.2 for score in b["scores"])
