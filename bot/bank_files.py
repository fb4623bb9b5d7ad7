"""Read the answer bank's files: `answers/*.yaml` (one question each) and JSONL exports.

Parsing only; storing is bot.store's job. Errors name the file, the key and the fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from bot.config import ConfigError
from bot.models import AnswerEntry, BankEntry, DoctorCard, SourceCard

YAML_SUFFIXES = (".yaml", ".yml")
FILE_KEY_PREFIX = "file:"


class BankFileError(ConfigError):
    """A bank file that cannot be read; says which file, which key and what is expected."""


def _text(file: Path, key: str, value: Any, *, required: bool = True) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BankFileError(file, key, "missing; expected a text.")
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise BankFileError(file, key, f"expected a text, got {type(value).__name__}.")
    return value.strip()


def _number(file: Path, key: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise BankFileError(
            file, key, f"expected a number from {low:g} to {high:g}, got {value!r}."
        )
    return float(value)


def _doctor(file: Path, key: str, raw: Any) -> DoctorCard:
    if not isinstance(raw, dict):
        raise BankFileError(file, key, "expected name, title, location, rating and reviews.")
    unknown = set(raw) - {"name", "title", "location", "rating", "reviews"}
    if unknown:
        raise BankFileError(file, f"{key}.{sorted(unknown)[0]}", "unknown key; remove it.")
    reviews = raw.get("reviews", 0)
    if isinstance(reviews, bool) or not isinstance(reviews, int) or reviews < 0:
        raise BankFileError(file, f"{key}.reviews", f"expected a whole number, got {reviews!r}.")
    rating = _number(file, f"{key}.rating", raw.get("rating", 0), 0, 5) if reviews else 0.0
    return DoctorCard(
        name=_text(file, f"{key}.name", raw.get("name"), required=False) or None,
        title=_text(file, f"{key}.title", raw.get("title")),
        location=_text(file, f"{key}.location", raw.get("location"), required=False),
        rating_total=rating * reviews,
        review_count=reviews,
    )


def _language(file: Path, key: str, value: Any) -> str:
    """An entry's language: a two-letter ISO 639-1 code, English when not given."""
    if value is None:
        return "en"
    if not isinstance(value, str) or not re.fullmatch(r"[a-z]{2}", value.strip().lower()):
        raise BankFileError(
            file, key, f"expected a two-letter language code, like en or es; got {value!r}."
        )
    return value.strip().lower()


def parse_question_file(file: Path, data: Any, key: str) -> BankEntry:
    """Validate one YAML question document."""
    if not isinstance(data, dict):
        raise BankFileError(file, None, "expected keys question, details, tags and answers.")
    unknown = set(data) - {"question", "details", "tags", "answers", "language"}
    if unknown:
        raise BankFileError(
            file,
            sorted(unknown)[0],
            "unknown key; expected question, details, tags, answers, language.",
        )
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise BankFileError(file, "tags", "expected a list of words, like [skin, laser].")
    raw_answers = data.get("answers") or []
    if not isinstance(raw_answers, list):
        raise BankFileError(file, "answers", "expected a list of answers.")
    answers = []
    for index, raw in enumerate(raw_answers):
        where = f"answers[{index}]"
        if not isinstance(raw, dict):
            raise BankFileError(file, where, "expected heading, doctor and text.")
        unknown = set(raw) - {"heading", "doctor", "text"}
        if unknown:
            raise BankFileError(file, f"{where}.{sorted(unknown)[0]}", "unknown key; remove it.")
        answers.append(
            AnswerEntry(
                text=_text(file, f"{where}.text", raw.get("text")),
                heading=_text(file, f"{where}.heading", raw.get("heading"), required=False),
                doctor=_doctor(file, f"{where}.doctor", raw.get("doctor")),
            )
        )
    return BankEntry(
        key=key,
        question=_text(file, "question", data.get("question")),
        details=_text(file, "details", data.get("details"), required=False),
        tags=tuple(tag.strip() for tag in tags if tag.strip()),
        answers=tuple(answers),
        language=_language(file, "language", data.get("language")),
    )


def read_question_folder(folder: Path) -> list[BankEntry]:
    """Every question file in a folder, sorted by name; the key is the file name."""
    entries = []
    for file in sorted(folder.iterdir()):
        if file.suffix.lower() not in YAML_SUFFIXES or not file.is_file():
            continue
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            line = f"line {mark.line + 1}: " if mark else ""
            raise BankFileError(file, None, f"{line}not valid YAML ({exc.problem}).") from exc
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise BankFileError(file, None, f"cannot be read: {exc}.") from exc
        entries.append(parse_question_file(file, data, FILE_KEY_PREFIX + file.name))
    return entries


def read_jsonl(file: Path) -> Iterator[BankEntry]:
    """Q&As from a JSONL export: `{id, question, answer, source, url?, license}` per line.

    An item whose answer is null becomes a question with no answers: a matching target only.
    Public sets reuse an id for different questions, so a repeated id gets a numbered key.
    """
    seen: dict[str, int] = {}
    try:
        handle = file.open(encoding="utf-8")
    except OSError as exc:
        raise BankFileError(file, None, f"cannot be read: {exc}.") from exc
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BankFileError(file, where, f"not valid JSON ({exc.msg}).") from exc
            if not isinstance(item, dict):
                raise BankFileError(file, where, "expected a JSON object.")
            item_id = _text(file, f"{where}.id", item.get("id"))
            answer = item.get("answer")
            answers: tuple[AnswerEntry, ...] = ()
            if answer is not None:
                answers = (
                    AnswerEntry(
                        text=_text(file, f"{where}.answer", answer),
                        source=SourceCard(
                            source=_text(file, f"{where}.source", item.get("source")),
                            url=_text(file, f"{where}.url", item.get("url"), required=False)
                            or None,
                            license=_text(
                                file, f"{where}.license", item.get("license"), required=False
                            )
                            or None,
                        ),
                    ),
                )
            seen[item_id] = seen.get(item_id, 0) + 1
            yield BankEntry(
                key=item_id if seen[item_id] == 1 else f"{item_id}#{seen[item_id]}",
                source_id=item_id,
                question=_text(file, f"{where}.question", item.get("question")),
                answers=answers,
                language=_language(file, f"{where}.language", item.get("language")),
            )
