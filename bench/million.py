"""A million-question bank made by recombining real questions from bank_load.jsonl.

MedQuAD questions are a phrasing around a focus ("What are the treatments for {Menkes
Disease} ?"): a phrasing of one question is filled with the focus of another from the same
source (diseases with disease phrasings, drugs with drug phrasings), sometimes two focuses
joined as patients do ("X and Y", "X in someone with Y"). Free-text questions (patients' own)
are spliced clause by clause. Every word comes from a real question; nothing is random text.
Each generated question keeps the answer of the question its (first) focus came from.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

JOINERS = (" and ", " with ", " in someone with ", " after ", " or ")
_CLAUSE = re.compile(r"(?<=[,.;?!])\s+")


def _read(source: Path) -> list[dict[str, Any]]:
    with source.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def generate(source: Path, target: Path, count: int, seed: int = 42) -> int:
    """Write `count` distinct questions to `target` (JSONL, the bank's format)."""
    rng = random.Random(seed)
    items = _read(source)
    phrasings: dict[str, list[str]] = defaultdict(list)
    focuses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    free: list[dict[str, Any]] = []
    for item in items:
        focus, question = item.get("focus"), item["question"]
        if focus and focus in question:
            phrasings[item["source"]].append(question.replace(focus, "{}", 1))
            focuses[item["source"]].append(item)
        else:
            free.append(item)
    sources = [s for s in phrasings if focuses[s]]
    weights = [len(focuses[s]) for s in sources]
    clauses = [(item, _CLAUSE.split(item["question"].strip())) for item in free]
    multi = [(item, parts) for item, parts in clauses if len(parts) > 1]
    seen: set[str] = {item["question"] for item in items}
    written = 0
    with target.open("w", encoding="utf-8") as out:
        while written < count:
            roll = rng.random()
            if roll < 0.85 or not multi:
                src = rng.choices(sources, weights)[0]
                donor = rng.choice(focuses[src])
                focus = donor["focus"]
                if roll >= 0.35:
                    other = rng.choice(focuses[src])["focus"]
                    focus = f"{focus}{rng.choice(JOINERS)}{other}"
                question = rng.choice(phrasings[src]).format(focus)
            else:
                donor, first = rng.choice(multi)
                _, second = rng.choice(clauses)
                cut = rng.randrange(1, len(first))
                question = " ".join(first[:cut] + second[rng.randrange(len(second)) :])
            if question in seen:
                continue
            seen.add(question)
            written += 1
            row = {
                "id": f"gen_{written}",
                "question": question,
                "answer": donor.get("answer"),
                "source": donor["source"],
                "license": donor.get("license"),
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return written


def first_lines(source: Path, target: Path, count: int) -> Path:
    """The first `count` items of a JSONL bank."""
    with source.open(encoding="utf-8") as handle, target.open("w", encoding="utf-8") as out:
        for index, line in enumerate(handle):
            if index >= count:
                break
            out.write(line)
    return target
