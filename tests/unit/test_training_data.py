"""The encoder's training data (training/data): written for AskDoc, checked, de-duplicated, and
batched so that no batch teaches a question to be its own negative."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.data import ANCHORS, Triplet, batches, held_out, read_anchors, triplets


def _write(folder: Path, rows: list[dict[str, object]]) -> None:
    (folder / "t-01.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8"
    )


def _row(number: int, anchor: str, asks: list[str]) -> dict[str, object]:
    return {
        "id": f"t-{number:04d}",
        "topic": "t",
        "kind": "k",
        "anchor": anchor,
        "asks": asks,
        "lookalikes": [f"look-alike of {anchor}"],
    }


def test_the_shipped_data_is_broad_and_keeps_a_tenth_out(tmp_path: Path) -> None:
    anchors = read_anchors(ANCHORS)
    assert len(anchors) >= 2500
    assert len({a.topic for a in anchors}) >= 1000
    share = sum(held_out(a) for a in anchors) / len(anchors)
    assert 0.07 <= share <= 0.13
    assert all(2 <= len(a.asks) <= 6 and 1 <= len(a.lookalikes) <= 4 for a in anchors)
    # Patients' long messages, when asked for: half of the anchors gain one of 60 words or more.
    with_long = read_anchors(ANCHORS, long_asks=True)
    assert [a.id for a in with_long] == [a.id for a in anchors]
    assert sum(any(len(ask.split()) >= 60 for ask in a.asks) for a in with_long) >= 1400


def test_repeated_anchors_and_asks_claimed_by_two_anchors_are_dropped(tmp_path: Path) -> None:
    _write(
        tmp_path,
        [
            _row(1, "What causes gout?", ["gout why", "what brings gout on", "shared ask"]),
            _row(2, "what  causes GOUT?", ["another wording", "and one more"]),
            _row(3, "How is gout treated?", ["gout treatment", "shared ask", "gout meds"]),
        ],
    )
    anchors = read_anchors(tmp_path)
    assert [a.anchor for a in anchors] == ["What causes gout?", "How is gout treated?"]
    assert anchors[0].asks == ("gout why", "what brings gout on")
    assert anchors[1].asks == ("gout treatment", "gout meds")


def test_no_batch_holds_one_anchor_twice() -> None:
    items = [Triplet(f"ask {a}.{n}", f"anchor {a}", "other") for a in range(5) for n in range(4)]
    seen = 0
    for batch in batches(items, 4):
        assert len({t.anchor for t in batch}) == len(batch)
        seen += len(batch)
    assert seen == len(items)


def test_triplets_are_one_per_ask_and_seeded(tmp_path: Path) -> None:
    _write(tmp_path, [_row(1, "What causes gout?", ["a", "b", "c"])])
    anchors = read_anchors(tmp_path)
    first = triplets(anchors, seed=1)
    assert sorted(t.ask for t in first) == ["a", "b", "c"]
    assert first == triplets(anchors, seed=1)


def test_long_asks_join_their_anchor_and_must_name_one(tmp_path: Path) -> None:
    anchors_folder = tmp_path / "anchors"
    anchors_folder.mkdir()
    _write(anchors_folder, [_row(1, "What causes gout?", ["gout why", "what brings gout on"])])
    long_folder = tmp_path / "long"
    long_folder.mkdir()
    story = "Hello doctor, my father has had swollen toes for years and " * 3
    (long_folder / "t-01.jsonl").write_text(
        json.dumps({"id": "t-0001", "asks": [story]}) + "\n", encoding="utf-8"
    )
    (anchor,) = read_anchors(anchors_folder, long_asks=True)
    assert anchor.asks == ("gout why", "what brings gout on", story.strip())
    assert read_anchors(anchors_folder)[0].asks == ("gout why", "what brings gout on")
    (long_folder / "t-02.jsonl").write_text(
        json.dumps({"id": "t-9999", "asks": ["x"]}) + "\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="t-9999"):
        read_anchors(anchors_folder, long_asks=True)
