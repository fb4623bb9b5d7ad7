"""What the patient (and the doctors) are sent about a question: the asking flow's outcome in
words and buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot import i18n, texts
from bot.flows import asking
from bot.handlers import keyboards
from bot.handlers.keyboards import outgoing
from bot.models import AskedQuestion, FileRef, Offer, OutgoingMessage

# A person's words from their Telegram id (AskDocContext.words_for): doctors read offers and
# files in theirs, whoever the patient.
WordsFor = Callable[[int], i18n.Words]


@dataclass(frozen=True, slots=True)
class Worded:
    """The replies to the patient and the offers to doctors that record an outcome."""

    replies: list[OutgoingMessage] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)


def notes_for(
    words: i18n.Words, flags: asking.Flags, notes: list[str], emergency_notice: str
) -> list[str]:
    """The lines above the reply: the emergency notice (texts.emergency_notice, in the
    patient's language) first, then the handler's own notes (an edit, a caption), then what
    the flow flagged."""
    # At the top of the reply, not a message of its own: it is what the notification shows,
    # and a second message would count against Telegram's 30 a second.
    worded = [emergency_notice] if flags.emergency else []
    worded += notes
    if flags.follow_up_unavailable:
        worded.append(words("follow-up-unavailable"))
    if flags.long_question is not None:
        worded.append(words("long-question", length=texts.plain_number(flags.long_question)))
    return worded


def _with_notice(words: i18n.Words, flags: asking.Flags, body: str) -> str:
    """The reply's main text, closed on a patient's first question by the privacy notice: a
    line to read, not a step to take, and below any emergency notice."""
    return f"{body}\n\n{words('privacy-notice')}" if flags.first_question else body


def for_asking(
    words: i18n.Words,
    outcome: asking.Outcome,
    notes: list[str],
    emergency_notice: str,
    words_for: WordsFor,
) -> Worded:
    """The messages that go out with an outcome of the asking flow: to the patient in their
    `words`, to each doctor in theirs (`words_for`)."""
    if isinstance(outcome, asking.AlreadyAnswered):
        return Worded()
    lines = notes_for(words, outcome.flags, notes, emergency_notice)
    asked = outcome.asked
    match outcome:
        case asking.Unclear():
            body = _with_notice(words, outcome.flags, texts.with_notes(lines, words("no-words")))
            return Worded([outgoing(asked.chat_id, body)])
        case asking.Matched():
            return Worded([_bank_answer(words, outcome, lines)])
        case asking.Unsure():
            unsure = texts.with_notes(lines, words("is-this-your-question"))
            body = _with_notice(words, outcome.flags, unsure)
            markup = keyboards.choices(words, outcome.choices, asked.id)
            return Worded([outgoing(asked.chat_id, body, markup)])
        case asking.FollowUp():
            return _follow_up(words, outcome, lines, words_for)
        case asking.Routed():
            return _routed(words, outcome, lines, words_for)
        case asking.SlowDown():
            wait = texts.duration_in(words, max(1.0, outcome.wait_seconds))
            body = words("slow-down", wait=wait)
            return Worded([outgoing(asked.chat_id, texts.with_notes(lines, body))])
        case asking.Limited():
            return Worded([limited(words, outcome, lines)])


def limited(words: i18n.Words, outcome: asking.Limited, lines: list[str]) -> OutgoingMessage:
    """The patient has sent the doctors as many questions as an hour takes."""
    asked = outcome.asked
    body = words(
        "limited",
        count=texts.plain_number(outcome.count),
        ref=str(asked.id),
        wait=texts.duration_in(words, max(60.0, outcome.wait_seconds)),
    )
    markup = keyboards.ask_a_doctor(words, asked.id)
    return outgoing(
        asked.chat_id, _with_notice(words, outcome.flags, texts.with_notes(lines, body)), markup
    )


def _bank_answer(words: i18n.Words, outcome: asking.Matched, lines: list[str]) -> OutgoingMessage:
    page = texts.question_page(words, outcome.question)
    body = _with_notice(words, outcome.flags, texts.with_notes(lines, page))
    if outcome.others:
        body = f"{body}\n\n<b>{words('other-matches')}</b>"
    markup = keyboards.bank_answer(words, outcome.others, outcome.asked.id, outcome.question.id)
    return outgoing(outcome.asked.chat_id, body, markup)


def _offer(words: i18n.Words, telegram_id: int, asked: AskedQuestion, body: str) -> OutgoingMessage:
    return outgoing(telegram_id, body, keyboards.offer(words, asked.id), about_asked=asked.id)


def files_for_doctors(
    words_for: WordsFor,
    chats: Sequence[int],
    label: str,
    asked_id: int,
    files: Sequence[FileRef],
) -> list[OutgoingMessage]:
    """A patient's files as each doctor receives them, captioned in their language: protected
    (no forwarding, no saving; never forwardMessage, which would name the patient), and deleted
    with the question."""
    return [
        outgoing(
            chat,
            texts.file_for_doctor(words_for(chat), file.kind.value, label, asked_id, file.caption),
            about_asked=asked_id,
            file=file,
            protect=True,
        )
        for chat in chats
        for file in files
    ]


def _follow_up(
    words: i18n.Words, outcome: asking.FollowUp, lines: list[str], words_for: WordsFor
) -> Worded:
    asked, earlier, doctor = outcome.asked, outcome.earlier, outcome.doctor
    assert doctor.telegram_id is not None  # only a reachable doctor gets a follow-up
    doctor_words = words_for(doctor.telegram_id)
    body = texts.follow_up_to_doctor(
        doctor_words,
        outcome.label,
        asked.id,
        asked.text,
        earlier.asked.text,
        earlier.answer.text,
        emergency=outcome.flags.emergency,
    )
    sent = words("follow-up-sent", ref=str(asked.id), who=texts.who(doctor.card))
    files = files_for_doctors(
        words_for,
        [doctor.telegram_id],
        outcome.label,
        asked.id,
        [a.file for a in outcome.attachments],
    )
    return Worded(
        [
            outgoing(
                asked.chat_id, _with_notice(words, outcome.flags, texts.with_notes(lines, sent))
            ),
            *files,
        ],
        [Offer(doctor.id, _offer(doctor_words, doctor.telegram_id, asked, body))],
    )


def _routed(
    words: i18n.Words, outcome: asking.Routed, lines: list[str], words_for: WordsFor
) -> Worded:
    asked = outcome.asked

    def offer_to(telegram_id: int) -> OutgoingMessage:
        doctor_words = words_for(telegram_id)
        body = texts.offer_to_doctor(
            doctor_words,
            outcome.label,
            asked.id,
            asked.text,
            emergency=outcome.flags.emergency,
            files=len(outcome.attachments),
            language=outcome.language,
        )
        return _offer(doctor_words, telegram_id, asked, body)

    offers = [
        Offer(doctor.id, offer_to(doctor.telegram_id))
        for doctor in outcome.doctors
        if doctor.telegram_id is not None
    ]
    # After the offers in the outbox, so each doctor gets the question before its files.
    files = files_for_doctors(
        words_for,
        [offer.message.chat_id for offer in offers],
        outcome.label,
        asked.id,
        [a.file for a in outcome.attachments],
    )
    expect = texts.expectations(
        words,
        outcome.usual_wait_seconds,
        outcome.expected_waits.get(words.language, ""),
        outcome.back_at,
    )
    ref = str(asked.id)
    if outcome.on_request:
        body = words("routed-on-request", ref=ref)
        body = f"{body}\n\n{expect}" if outcome.doctors else body
        reply = outgoing(asked.chat_id, body, keyboards.routed(words, asked.id, ()))
        return Worded([reply, *files], offers)
    if outcome.doctors:
        news = "routed"
    elif outcome.known_unanswered:
        news = "known-but-unanswered"
    else:
        news = "no-good-match"
    body = texts.with_notes(lines, words(news, ref=ref))
    if outcome.doctors:
        body = f"{body}\n\n{expect}"
    body = _with_notice(words, outcome.flags, body)
    if outcome.others:
        body = f"{body}\n\n<b>{words('other-matches')}</b>"
    markup = keyboards.routed(words, asked.id, outcome.others)
    return Worded([outgoing(asked.chat_id, body, markup), *files], offers)
