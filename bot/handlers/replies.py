"""What the patient (and the doctors) are sent about a question: the asking flow's outcome in
words and buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot import texts
from bot.flows import asking
from bot.handlers import keyboards
from bot.handlers.keyboards import outgoing
from bot.models import AskedQuestion, FileRef, Offer, OutgoingMessage


@dataclass(frozen=True, slots=True)
class Worded:
    """The replies to the patient and the offers to doctors that record an outcome."""

    replies: list[OutgoingMessage] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)


def notes_for(flags: asking.Flags, notes: list[str], emergency_notice: str) -> list[str]:
    """The lines above the reply: the emergency notice (texts.emergency_notice, in the
    patient's language) first, then the handler's own notes (an edit, a caption), then what
    the flow flagged."""
    # At the top of the reply, not a message of its own: it is what the notification shows,
    # and a second message would count against Telegram's 30 a second.
    worded = [emergency_notice] if flags.emergency else []
    worded += notes
    if flags.follow_up_unavailable:
        worded.append(texts.FOLLOW_UP_UNAVAILABLE)
    if flags.long_question is not None:
        worded.append(texts.LONG_QUESTION.format(length=flags.long_question))
    return worded


def _with_notice(flags: asking.Flags, body: str) -> str:
    """The reply's main text, closed on a patient's first question by the privacy notice: a
    line to read, not a step to take, and below any emergency notice."""
    return f"{body}\n\n{texts.PRIVACY_NOTICE}" if flags.first_question else body


def for_asking(outcome: asking.Outcome, notes: list[str], emergency_notice: str) -> Worded:
    """The messages that go out with an outcome of the asking flow."""
    if isinstance(outcome, asking.AlreadyAnswered):
        return Worded()
    lines = notes_for(outcome.flags, notes, emergency_notice)
    asked = outcome.asked
    match outcome:
        case asking.Unclear():
            body = _with_notice(outcome.flags, texts.with_notes(lines, texts.NO_WORDS))
            return Worded([outgoing(asked.chat_id, body)])
        case asking.Matched():
            return Worded([_bank_answer(outcome, lines)])
        case asking.Unsure():
            body = _with_notice(outcome.flags, texts.with_notes(lines, texts.IS_THIS_YOUR_QUESTION))
            markup = keyboards.choices(outcome.choices, asked.id)
            return Worded([outgoing(asked.chat_id, body, markup)])
        case asking.FollowUp():
            return _follow_up(outcome, lines)
        case asking.Routed():
            return _routed(outcome, lines)
        case asking.SlowDown():
            body = texts.SLOW_DOWN.format(wait=texts.duration(max(1.0, outcome.wait_seconds)))
            return Worded([outgoing(asked.chat_id, texts.with_notes(lines, body))])
        case asking.Limited():
            return Worded([limited(outcome, lines)])


def limited(outcome: asking.Limited, lines: list[str]) -> OutgoingMessage:
    """The patient has sent the doctors as many questions as an hour takes."""
    asked = outcome.asked
    body = texts.LIMITED.format(
        count=outcome.count,
        ref=asked.id,
        wait=texts.duration(max(60.0, outcome.wait_seconds)),
    )
    markup = keyboards.ask_a_doctor(asked.id)
    return outgoing(
        asked.chat_id, _with_notice(outcome.flags, texts.with_notes(lines, body)), markup
    )


def _bank_answer(outcome: asking.Matched, lines: list[str]) -> OutgoingMessage:
    body = _with_notice(
        outcome.flags, texts.with_notes(lines, texts.question_page(outcome.question))
    )
    if outcome.others:
        body = f"{body}\n\n<b>{texts.OTHER_MATCHES_INTRO}</b>"
    markup = keyboards.bank_answer(outcome.others, outcome.asked.id, outcome.question.id)
    return outgoing(outcome.asked.chat_id, body, markup)


def _offer(telegram_id: int, asked: AskedQuestion, body: str) -> OutgoingMessage:
    return outgoing(telegram_id, body, keyboards.offer(asked.id), about_asked=asked.id)


def files_for_doctors(
    chats: Sequence[int], label: str, asked_id: int, files: Sequence[FileRef]
) -> list[OutgoingMessage]:
    """A patient's files as each doctor receives them: protected (no forwarding, no saving;
    never forwardMessage, which would name the patient), and deleted with the question."""
    return [
        outgoing(
            chat,
            texts.file_for_doctor(file.kind.value, label, asked_id, file.caption),
            about_asked=asked_id,
            file=file,
            protect=True,
        )
        for chat in chats
        for file in files
    ]


def _follow_up(outcome: asking.FollowUp, lines: list[str]) -> Worded:
    asked, earlier, doctor = outcome.asked, outcome.earlier, outcome.doctor
    assert doctor.telegram_id is not None  # only a reachable doctor gets a follow-up
    body = texts.follow_up_to_doctor(
        outcome.label,
        asked.id,
        asked.text,
        earlier.asked.text,
        earlier.answer.text,
        emergency=outcome.flags.emergency,
    )
    sent = texts.FOLLOW_UP_SENT.format(ref=asked.id, who=texts.who(doctor.card))
    files = files_for_doctors(
        [doctor.telegram_id], outcome.label, asked.id, [a.file for a in outcome.attachments]
    )
    return Worded(
        [
            outgoing(asked.chat_id, _with_notice(outcome.flags, texts.with_notes(lines, sent))),
            *files,
        ],
        [Offer(doctor.id, _offer(doctor.telegram_id, asked, body))],
    )


def _routed(outcome: asking.Routed, lines: list[str]) -> Worded:
    asked = outcome.asked
    offer_text = texts.offer_to_doctor(
        outcome.label,
        asked.id,
        asked.text,
        emergency=outcome.flags.emergency,
        files=len(outcome.attachments),
    )
    offers = [
        Offer(doctor.id, _offer(doctor.telegram_id, asked, offer_text))
        for doctor in outcome.doctors
        if doctor.telegram_id is not None
    ]
    # After the offers in the outbox, so each doctor gets the question before its files.
    files = files_for_doctors(
        [offer.message.chat_id for offer in offers],
        outcome.label,
        asked.id,
        [a.file for a in outcome.attachments],
    )
    expect = texts.expectations(outcome.usual_wait_seconds, outcome.expected_wait, outcome.back_at)
    if outcome.on_request:
        body = texts.ROUTED_ON_REQUEST.format(ref=asked.id)
        body = f"{body}\n\n{expect}" if outcome.doctors else body
        reply = outgoing(asked.chat_id, body, keyboards.routed(asked.id, ()))
        return Worded([reply, *files], offers)
    if outcome.doctors:
        template = texts.ROUTED
    elif outcome.known_unanswered:
        template = texts.KNOWN_BUT_UNANSWERED
    else:
        template = texts.NO_GOOD_MATCH
    body = texts.with_notes(lines, template.format(ref=asked.id))
    if outcome.doctors:
        body = f"{body}\n\n{expect}"
    body = _with_notice(outcome.flags, body)
    if outcome.others:
        body = f"{body}\n\n<b>{texts.OTHER_MATCHES_INTRO}</b>"
    markup = keyboards.routed(asked.id, outcome.others)
    return Worded([outgoing(asked.chat_id, body, markup), *files], offers)
