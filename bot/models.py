"""Plain data passed between the layers: no I/O, no Telegram."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class DoctorCard:
    """How a doctor appears under an answer: name, title, location and rating."""

    name: str | None
    title: str
    location: str
    rating_total: float
    review_count: int

    @property
    def rating(self) -> float | None:
        """Average stars, or None before the first review."""
        if self.review_count == 0:
            return None
        return self.rating_total / self.review_count


@dataclass(frozen=True, slots=True)
class SourceCard:
    """Where an answer came from when no doctor wrote it for us (imported public Q&As)."""

    source: str
    url: str | None
    license: str | None


@dataclass(frozen=True, slots=True)
class AnswerEntry:
    """One answer in a bank file, before it is stored."""

    text: str
    heading: str = ""
    doctor: DoctorCard | None = None
    source: SourceCard | None = None


@dataclass(frozen=True, slots=True)
class BankEntry:
    """One question of the answer bank as read from a file, before it is stored.

    `key` identifies the entry across imports (file name or JSONL id), so a re-import
    updates the question instead of adding it again. `source_id` is the id the source gave it,
    which public data sets do not always keep unique.
    """

    key: str
    question: str
    details: str = ""
    tags: tuple[str, ...] = ()
    answers: tuple[AnswerEntry, ...] = ()
    source_id: str | None = None


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """An answer as stored, with its author's card."""

    id: int
    heading: str
    text: str
    doctor: DoctorCard | None
    source: SourceCard | None


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    """A bank question with its answers, as a patient is shown it."""

    id: int
    question: str
    details: str
    answers: tuple[StoredAnswer, ...] = field(default=())


class AskedStatus(StrEnum):
    """What became of a question a patient sent."""

    RECEIVED = "received"
    MATCHED = "matched"
    OPEN = "open"
    UNCLEAR = "unclear"


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    """A question a patient sent us, kept whatever became of it."""

    id: int
    patient_id: int
    chat_id: int
    text: str
    status: AskedStatus
    matched_question_id: int | None
    replied: bool
