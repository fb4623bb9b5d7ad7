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
    # The language its question and answers are written in (an ISO 639-1 code).
    language: str = "en"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A bank question the search index found, with the terms it was indexed by."""

    question_id: int
    title: str
    title_terms: tuple[str, ...]
    answered: bool


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """An answer as stored, with its author's card."""

    id: int
    heading: str
    text: str
    doctor: DoctorCard | None
    source: SourceCard | None


class Visibility(StrEnum):
    """Who sees a bank question."""

    # Everyone: matched to patients' questions and offered in inline mode.
    PUBLISHED = "published"
    # Nobody yet: waiting for an admin's review (publishing.review: admin).
    REVIEW = "review"
    # Nobody any more: an admin hid it (it can be restored).
    HIDDEN = "hidden"
    # Only the patient who asked it (Keep private, Don't publish, a follow-up).
    PRIVATE = "private"


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    """A bank question with its answers, as a patient is shown it."""

    id: int
    question: str
    details: str
    answers: tuple[StoredAnswer, ...] = field(default=())
    visibility: Visibility = Visibility.PUBLISHED
    # Where it came from: a file or data set (False), or a patient's question (True).
    from_patient: bool = False
    # The language its question and answers are written in (an ISO 639-1 code).
    language: str = "en"


class AskedStatus(StrEnum):
    """What became of a question a patient sent."""

    RECEIVED = "received"
    MATCHED = "matched"
    OPEN = "open"
    UNCLEAR = "unclear"
    ANSWERED = "answered"


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
    routed: bool = False
    follow_up_of: int | None = None
    # The patient tapped Keep private: answered to them alone, never in the bank.
    private: bool = False
    created_at: str = ""
    # It matched an emergency pattern when it was routed to doctors.
    emergency: bool = False


class DoctorStatus(StrEnum):
    """Whether a doctor may answer: bank authors are cards only, not users of the bot."""

    AUTHOR = "author"
    ACTIVE = "active"
    REVOKED = "revoked"
    PENDING = "pending"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class DoctorProfile:
    """Who a doctor says they are, from the config or an application."""

    telegram_id: int
    name: str
    title: str
    location: str
    specialties: tuple[str, ...] = ()
    # The languages they read (ISO 639-1 codes); none given: the bot's default language.
    languages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Doctor:
    """A doctor as stored, with their card and whether they may answer."""

    id: int
    telegram_id: int | None
    card: DoctorCard
    specialties: tuple[str, ...]
    status: DoctorStatus
    answers_given: int = 0
    # The languages they read (ISO 639-1 codes); none given: the bot's default language.
    languages: tuple[str, ...] = ()


class FileKind(StrEnum):
    """The files a patient may attach to a question, and a doctor to an answer."""

    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file Telegram holds, by its file id (its bytes are never downloaded), with the name
    and caption it came with."""

    kind: FileKind
    file_id: str
    file_name: str | None = None
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A stored file: a patient's (with their question, or waiting for one) or a doctor's."""

    id: int
    file: FileRef
    asked_id: int | None
    created_at: str = ""


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A message for the outbox: new text to a chat, or an edit of one sent earlier."""

    chat_id: int
    body_html: str
    markup_json: str | None = None
    edit_of: int | None = None
    edit_message_id: int | None = None
    # Delete the message `edit_of` names; where Telegram no longer allows it, edit it instead.
    delete_first: bool = False
    # The patient's question this message quotes to a doctor (asked_questions.id), so that
    # erasing the question reaches this copy too.
    about_asked: int | None = None
    # A file sent by its id, body_html its caption; `protect`: it cannot be forwarded or saved.
    file: FileRef | None = None
    protect: bool = False


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A stored outbox row waiting for (or done with) delivery."""

    id: int
    chat_id: int
    body_html: str
    markup_json: str | None
    edit_of: int | None
    edit_message_id: int | None
    attempts: int
    next_attempt_at: float
    delete_first: bool = False
    file: FileRef | None = None
    protect: bool = False


@dataclass(frozen=True, slots=True)
class Draft:
    """A doctor's answer in the making: no body yet means we wait for their text."""

    doctor_id: int
    asked_id: int
    answer_id: int | None
    body: str | None
    # The question as the bank will show it (None: not chosen yet); whether to publish at all;
    # whether the bot waits for the doctor's new public question.
    public_question: str | None = None
    publish: bool = True
    editing_public: bool = False


@dataclass(frozen=True, slots=True)
class Offer:
    """A question offered to one doctor: their id and the message that offers it."""

    doctor_id: int
    message: OutgoingMessage


@dataclass(frozen=True, slots=True)
class ClosedOffer:
    """Another doctor's copy of a question that has its answers: the outbox message to edit,
    in that doctor's chat."""

    outbox_id: int
    chat_id: int


@dataclass(frozen=True, slots=True)
class PublishedAnswer:
    """What publishing a doctor's answer did."""

    answer_id: int
    question_id: int
    answer_count: int
    closed_offers: tuple[ClosedOffer, ...]
    # Where the answer stands in the bank: published, waiting for review, or private.
    visibility: Visibility = Visibility.PUBLISHED
    public_question: str = ""
    # The files the doctor attached to the answer: they go to the patient, never to the bank.
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class Registration:
    """A doctor's application in progress."""

    telegram_id: int
    step: str
    name: str | None
    title: str | None
    location: str | None


@dataclass(frozen=True, slots=True)
class CountryNumbers:
    """Where to call in one country: an ambulance (where it has its own number), the general
    emergency number, a suicide and crisis line. Each as the operator wrote it."""

    ambulance: str | None = None
    emergency: str | None = None
    crisis: str | None = None
