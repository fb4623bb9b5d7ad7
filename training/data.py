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
# Long, messy messages (60 to 170 words) for some anchors, written apart from them and kept in
# a sibling folder: `{"id": <anchor id>, "asks": [...]}` per line, added to that anchor's asks.
LONG_ASKS = "long"
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


def read_anchors(folder: Path = ANCHORS, *, long_asks: bool = False) -> list[Anchor]:
    """Every anchor in the folder's JSON Lines files, checked; a repeated anchor question (by
    its words, case and spacing aside) is kept once, and an ask written under two different
    anchors is dropped from both (it would teach that it means each). With `long_asks`, the
    long messages of the sibling folder join their anchors' asks."""
    anchors, repeats = _read_all(folder)
    if long_asks:
        anchors = _with_long_asks(anchors, repeats, folder.parent / LONG_ASKS)
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


def _read_all(folder: Path) -> tuple[list[Anchor], dict[str, str]]:
    """The anchors, each question once, and the ids of its repeats mapped to the kept id."""
    anchors: list[Anchor] = []
    seen: dict[str, str] = {}
    repeats: dict[str, str] = {}
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
                repeats[str(row["id"])] = seen[key]
                continue
            seen[key] = str(row["id"])
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
    return anchors, repeats


def _with_long_asks(anchors: list[Anchor], repeats: dict[str, str], folder: Path) -> list[Anchor]:
    """The anchors with the long messages written for them (in `folder`, when it exists)
    added to their asks (a repeat's to the anchor kept for it); a message naming no anchor is
    an error."""
    extra: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                row = json.loads(line)
                asks = [str(a).strip() for a in row["asks"] if str(a).strip()]
                if not asks:
                    raise ValueError(f"{path.name}:{number}: a line needs at least one ask")
                anchor_id = str(row["id"])
                extra.setdefault(repeats.get(anchor_id, anchor_id), []).extend(asks)
    known = {anchor.id for anchor in anchors}
    unknown = sorted(set(extra) - known)
    if unknown:
        raise ValueError(f"{folder}: long asks for unknown anchors: {', '.join(unknown[:5])}")
    return [replace(a, asks=a.asks + tuple(extra.get(a.id, ()))) for a in anchors]


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
