"""The training questions written for AskDoc: anchors (a question as a bank holds it), the ways
patients ask it, and look-alikes that need a different answer. Read, checked, de-duplicated and
split here; nothing under ../shared/eval is ever read."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ANCHORS = Path(__file__).parent / "data" / "anchors"
# A share of the anchors is held out of training, to watch over-fitting on our own data.
HELD_OUT_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class Anchor:
    """One bank question, the patients' ways of asking it, and its look-alikes."""

    id: str
    topic: str
    kind: str
    anchor: str
    asks: tuple[str, ...]
    lookalikes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Triplet:
    """A patient's wording, the question it means, and one that only looks like it."""

    ask: str
    anchor: str
    lookalike: str


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def read_anchors(folder: Path = ANCHORS) -> list[Anchor]:
    """Every anchor in the folder's JSON Lines files, checked; a repeated anchor question (by
    its words, case and spacing aside) is kept once, and an ask written under two different
    anchors is dropped from both (it would teach that it means each)."""
    anchors = _read_all(folder)
    owners: dict[str, set[str]] = {}
    for anchor in anchors:
        for ask in anchor.asks:
            owners.setdefault(_normal(ask), set()).add(anchor.id)
    kept = []
    for anchor in anchors:
        asks = tuple(ask for ask in anchor.asks if len(owners[_normal(ask)]) == 1)
        if len(asks) >= 2:
            kept.append(replace(anchor, asks=asks))
    return kept


def _read_all(folder: Path) -> list[Anchor]:
    anchors: list[Anchor] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            row = json.loads(line)
            asks = tuple(str(a).strip() for a in row["asks"] if str(a).strip())
            lookalikes = tuple(str(a).strip() for a in row["lookalikes"] if str(a).strip())
            if not str(row["anchor"]).strip() or len(asks) < 2 or not lookalikes:
                raise ValueError(f"{where}: an anchor needs its text, 2+ asks and a look-alike")
            key = _normal(row["anchor"])
            if key in seen:
                continue
            seen.add(key)
            anchors.append(
                Anchor(
                    id=str(row["id"]),
                    topic=str(row.get("topic", "")),
                    kind=str(row.get("kind", "")),
                    anchor=str(row["anchor"]).strip(),
                    asks=asks,
                    lookalikes=lookalikes,
                )
            )
    return anchors


def held_out(anchor: Anchor) -> bool:
    """Whether the anchor is kept out of training (stable: by a hash of its id)."""
    digest = hashlib.sha256(anchor.id.encode()).digest()
    return digest[0] < 256 * HELD_OUT_SHARE


def triplets(anchors: Sequence[Anchor], seed: int) -> list[Triplet]:
    """One triplet per ask, its look-alike drawn in turn; shuffled with `seed`."""
    found: list[Triplet] = []
    for anchor in anchors:
        for index, ask in enumerate(anchor.asks):
            lookalike = anchor.lookalikes[index % len(anchor.lookalikes)]
            found.append(Triplet(ask, anchor.anchor, lookalike))
    random.Random(seed).shuffle(found)
    return found


def batches(items: Sequence[Triplet], size: int) -> Iterator[list[Triplet]]:
    """Batches in which no anchor appears twice: two asks of one anchor in a batch would each
    be the other's false in-batch negative."""
    pending = list(items)
    while pending:
        batch: list[Triplet] = []
        anchors: set[str] = set()
        rest: list[Triplet] = []
        for item in pending:
            if len(batch) < size and item.anchor not in anchors:
                batch.append(item)
                anchors.add(item.anchor)
            else:
                rest.append(item)
        pending = rest
        yield batch
