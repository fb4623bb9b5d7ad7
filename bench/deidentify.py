"""De-identification: how much of tests/data/identifying_questions.yaml the de-identifier
(bot/deidentify.py) removes, per kind, and whether the medical words survive.

An identifier counts as caught when every character of it (spaces aside) lies inside some
finding, whatever kind the finding has: what matters for publishing is that it is gone. A keep
word counts as preserved when the public question still contains it as a whole word.

python -m bench.deidentify   # from the project's folder; prints, writes nothing
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.deidentify import Finding, find_identifiers, public_question

CASES = Path(__file__).resolve().parents[1] / "tests" / "data" / "identifying_questions.yaml"


@dataclass(frozen=True)
class Identifier:
    text: str
    kind: str


@dataclass(frozen=True)
class Case:
    number: int  # 1-based, in file order
    text: str
    identifiers: list[Identifier]
    keep: list[str]
    hard: bool


@dataclass
class Score:
    """The set's figures; `missed` and `damaged` name the case by its number."""

    total: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)
    keep_total: int = 0
    keep_preserved: int = 0
    missed: list[tuple[int, Identifier]] = field(default_factory=list)
    damaged: list[tuple[int, str, str]] = field(default_factory=list)  # case, word, output
    extra: list[tuple[int, str, str]] = field(default_factory=list)  # case, kind, text

    def share(self, kind: str | None = None) -> float:
        total = self.total[kind] if kind else sum(self.total.values())
        caught = self.caught[kind] if kind else sum(self.caught.values())
        return caught / total if total else 1.0


def load_cases(path: Path = CASES) -> list[Case]:
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for number, item in enumerate(raw, start=1):
        identifiers = [Identifier(str(i["text"]), str(i["kind"])) for i in item["identifiers"]]
        for identifier in identifiers:
            if identifier.text not in item["text"]:
                raise ValueError(f"case {number}: {identifier.text!r} is not in its text")
        keep = [str(word) for word in item.get("keep", [])]
        cases.append(Case(number, item["text"], identifiers, keep, bool(item.get("hard"))))
    return cases


def covered(text: str, needle: str, findings: list[Finding]) -> bool:
    """Every occurrence of needle lies inside findings (spaces between findings allowed)."""
    start = text.find(needle)
    while start >= 0:
        for offset in range(start, start + len(needle)):
            inside = any(f.start <= offset < f.end for f in findings)
            if not inside and not text[offset].isspace():
                return False
        start = text.find(needle, start + 1)
    return True


def kept(word: str, public: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", public) is not None


def score(cases: list[Case]) -> Score:
    result = Score()
    for case in cases:
        findings = find_identifiers(case.text)
        public = public_question(case.text)
        for identifier in case.identifiers:
            result.total[identifier.kind] += 1
            if covered(case.text, identifier.text, findings):
                result.caught[identifier.kind] += 1
            else:
                result.missed.append((case.number, identifier))
        for word in case.keep:
            result.keep_total += 1
            if kept(word, public):
                result.keep_preserved += 1
            else:
                result.damaged.append((case.number, word, public))
        expected = [i.text for i in case.identifiers]
        for finding in findings:
            found = case.text[finding.start : finding.end]
            if not any(found in text or text in found for text in expected):
                result.extra.append((case.number, finding.kind, found))
    return result


def report(cases: list[Case], result: Score) -> str:
    lines = [
        f"{len(cases)} questions, {sum(not c.identifiers for c in cases)} without identifiers, "
        f"{sum(c.hard for c in cases)} marked hard",
        "",
        f"{'kind':<14}{'caught':>8}{'total':>7}{'share':>8}",
    ]
    for kind in sorted(result.total):
        caught, total = result.caught[kind], result.total[kind]
        lines.append(f"{kind:<14}{caught:>8}{total:>7}{result.share(kind):>8.1%}")
    caught, total = sum(result.caught.values()), sum(result.total.values())
    lines.append(f"{'overall':<14}{caught:>8}{total:>7}{result.share():>8.1%}")
    lines.append("")
    keep_share = result.keep_preserved / result.keep_total if result.keep_total else 1.0
    lines.append(
        f"keep words preserved: {result.keep_preserved}/{result.keep_total} ({keep_share:.1%})"
    )
    lines.append("")
    lines.append(f"missed identifiers ({len(result.missed)}):")
    lines.extend(
        f"  case {number:>3}  {identifier.kind:<12} {identifier.text!r}"
        for number, identifier in result.missed
    )
    lines.append(f"damaged keep words ({len(result.damaged)}):")
    lines.extend(f"  case {n:>3}  {word!r} in {public!r}" for n, word, public in result.damaged)
    lines.append(f"findings that are no listed identifier ({len(result.extra)}):")
    lines.extend(f"  case {n:>3}  {kind:<12} {text!r}" for n, kind, text in result.extra)
    return "\n".join(lines)


def main() -> int:
    cases = load_cases()
    print(report(cases, score(cases)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
