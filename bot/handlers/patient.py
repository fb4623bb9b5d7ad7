"""The patient's side of the chat: ask in free text, get the bank's best answer or a doctor's."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import texts
from bot.emergency import looks_like_emergency
from bot.handlers import callbacks
from bot.handlers.context import AskDocContext
from bot.handlers.delivery import outgoing
from bot.matching import MATCH_CHARS, Hit, find_matches, terms
from bot.models import AskedQuestion, AskedStatus, Doctor, OutgoingMessage, StoredQuestion
from bot.routing import doctors_for

log = logging.getLogger(__name__)

# A close match offered as a button need not be good enough to show on its own, but one far
# below the threshold would only distract.
OTHER_MATCH_SHARE_OF_THRESHOLD = 0.6

_MEDIA_KINDS = (
    ("sticker", "stickers"),
    ("photo", "photos"),
    ("voice", "voice messages"),
    ("video_note", "video messages"),
    ("video", "videos"),
    ("audio", "audio files"),
    ("animation", "GIFs"),
    ("document", "files"),
    ("location", "locations"),
    ("contact", "contacts"),
    ("poll", "polls"),
)


async def start(update: Update, context: AskDocContext) -> None:
    """/start: what the bot does and how to ask."""
    await context.reply(update, texts.WELCOME)


async def help_command(update: Update, context: AskDocContext) -> None:
    """/help: how to ask, what happens without an answer, and the commands."""
    body = f"{texts.WELCOME}\n\n<b>Commands</b>\n{texts.help_commands()}"
    user = update.effective_user
    doctor = await context.repository.doctor_by_telegram_id(user.id) if user else None
    if doctor is not None and doctor.status == "active":
        body += f"\n\n{texts.DOCTOR_HELP}"
    if user is not None and user.id in context.settings.admin_ids:
        body += f"\n\n{texts.ADMIN_HELP}"
    await context.reply(update, body)


async def unknown_command(update: Update, context: AskDocContext) -> None:
    """A command we do not have: say so and point to /help."""
    message = update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "/"
    await context.reply(update, texts.UNKNOWN_COMMAND.format(command=texts.escape(command[:64])))


async def ask(update: Update, context: AskDocContext) -> None:
    """A question in free text: answer it from the bank, or send it to doctors."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    await answer_question(update, context, message.text, notes=[])


async def edited_question(update: Update, context: AskDocContext) -> None:
    """An edited message: treat its new text as the question the patient meant."""
    message = update.edited_message
    if message is None or message.text is None:
        return
    await answer_question(update, context, message.text, notes=[texts.EDITED_QUESTION])


async def media(update: Update, context: AskDocContext) -> None:
    """Stickers, photos, voice and other non-text: ask for words, or use the caption."""
    message = update.effective_message
    if message is None:
        return
    kind = next((label for attr, label in _MEDIA_KINDS if getattr(message, attr, None)), "that")
    if message.caption and terms(message.caption):
        note = texts.CAPTION_USED.format(kind=kind)
        await answer_question(update, context, message.caption, notes=[note])
        return
    await context.reply(update, texts.ONLY_TEXT.format(kind=kind))


async def open_match(update: Update, context: AskDocContext) -> None:
    """A close-match button: show that question and its answers."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    question_id = callbacks.number(query.data, callbacks.OPEN_MATCH)
    question = await context.repository.get_question(question_id) if question_id else None
    if question is None or not question.answers:
        await context.reply(update, texts.OPENED_MATCH_MISSING)
        return
    await context.reply(update, texts.question_page(question))


async def ask_a_doctor(update: Update, context: AskDocContext) -> None:
    """The Ask a doctor button under a bank answer: send the patient's own question to doctors."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    await query.answer()
    asked_id = callbacks.number(query.data, callbacks.ASK_A_DOCTOR)
    asked = await context.repository.get_asked_question(asked_id) if asked_id else None
    if asked is None or asked.patient_id != user.id:
        await _refuse(update, context)
        return
    if asked.status in (AskedStatus.OPEN, AskedStatus.ANSWERED) and asked.routed:
        await context.reply(update, texts.ALREADY_WITH_DOCTORS.format(ref=asked.id))
        return
    reply = outgoing(asked.chat_id, texts.ROUTED_ON_REQUEST.format(ref=asked.id))
    await _route(context, asked, [reply], status=AskedStatus.OPEN, score=None)


async def rate(update: Update, context: AskDocContext) -> None:
    """A star button under a doctor's answer: counts once per patient per answer."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    await query.answer()
    parsed = callbacks.rating(query.data)
    if parsed is None:
        await _refuse(update, context)
        return
    answer_id, stars = parsed
    if not await context.repository.rate_answer(answer_id, user.id, stars):
        await context.reply(update, texts.RATE_REFUSED)
        return
    found = await context.repository.doctor_answer(answer_id)
    assert found is not None and found[0].doctor is not None
    thanks = texts.RATED.format(stars=stars, who=texts.who(found[0].doctor))
    await context.reply(update, thanks)


async def follow_up(update: Update, context: AskDocContext) -> None:
    """The Ask a follow-up button: the patient's next message goes to the same doctor."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    await query.answer()
    answer_id = callbacks.number(query.data, callbacks.FOLLOW_UP)
    found = await context.repository.doctor_answer(answer_id) if answer_id else None
    if found is None or found[2].patient_id != user.id or found[0].doctor is None:
        await _refuse(update, context)
        return
    await context.repository.set_follow_up(user.id, answer_id)
    await context.reply(update, texts.FOLLOW_UP_PROMPT.format(who=texts.who(found[0].doctor)))


async def unknown_button(update: Update, context: AskDocContext) -> None:
    """A button we did not make (old, or forged callback data): refuse, change nothing."""
    query = update.callback_query
    if query is None:
        return
    log.warning("refused unknown callback data from update %s", update.update_id)
    await query.answer()
    await _refuse(update, context)


async def answer_question(
    update: Update, context: AskDocContext, text: str, notes: list[str]
) -> None:
    """Store the question, then answer it from the bank or send it to doctors; every reply
    goes through the outbox in the same transaction as the decision."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    repository = context.repository
    settings = context.settings
    asked, _ = await repository.record_asked_question(
        update_id=update.update_id, patient_id=user.id, chat_id=chat.id, text=text
    )
    if asked.replied:
        log.info("update %s was already answered; not answering twice", update.update_id)
        context.courier.deliver_soon()
        return

    replies: list[OutgoingMessage] = []
    if looks_like_emergency(text, settings.emergency.patterns):
        # At the top of the reply, not a message of its own: it is what the notification
        # shows, and a second message would count against Telegram's 30 a second.
        notes = [texts.emergency_notice(settings.emergency.message), *notes]

    if not terms(text):
        replies.append(outgoing(chat.id, texts.with_notes(notes, texts.NO_WORDS)))
        await repository.settle_asked_question(asked.id, AskedStatus.UNCLEAR, None, None, replies)
        context.courier.deliver_soon()
        return

    follow_up_of = await repository.pending_follow_up(user.id)
    if follow_up_of is not None:
        await repository.set_follow_up(user.id, None)
        if await _send_follow_up(context, asked, follow_up_of, notes):
            return
        notes.append(texts.FOLLOW_UP_UNAVAILABLE)

    if len(text) > MATCH_CHARS:
        notes.append(texts.LONG_QUESTION.format(length=len(text)))
    matching = settings.matching
    result = await find_matches(
        repository, text[:MATCH_CHARS], min_score=matching.min_score, candidates=matching.candidates
    )
    best = result.best
    shown = await repository.get_question(best.question_id) if best and best.answered else None
    others = _other_matches(
        result.hits,
        exclude=shown.id if shown else None,
        min_score=matching.min_score,
        count=matching.other_matches,
    )
    if result.is_match and best is not None and shown is not None and shown.answers:
        replies.append(_bank_answer(asked, shown, others, notes))
        await repository.settle_asked_question(
            asked.id, AskedStatus.MATCHED, shown.id, best.score, replies
        )
        context.courier.deliver_soon()
        return

    if result.is_unsure and result.choices:
        # Not sure enough to assert an answer: the patient picks, or sends it to a doctor.
        rows = _match_rows(list(result.choices))
        rows.append(
            [
                InlineKeyboardButton(
                    texts.NONE_OF_THESE_BUTTON,
                    callback_data=callbacks.make(callbacks.ASK_A_DOCTOR, asked.id),
                )
            ]
        )
        body = texts.with_notes(notes, texts.IS_THIS_YOUR_QUESTION)
        replies.append(outgoing(chat.id, body, InlineKeyboardMarkup(rows)))
        await repository.settle_asked_question(
            asked.id, AskedStatus.OPEN, None, best.score if best else None, replies
        )
        context.courier.deliver_soon()
        return

    template = texts.KNOWN_BUT_UNANSWERED if result.is_match else texts.NO_GOOD_MATCH
    doctors = await repository.active_doctors()
    if doctors:
        template = texts.ROUTED
    body = texts.with_notes(notes, template.format(ref=asked.id))
    markup = _match_buttons(others)
    if markup is not None:
        body = f"{body}\n\n<b>{texts.OTHER_MATCHES_INTRO}</b>"
    replies.append(outgoing(chat.id, body, markup))
    await _route(
        context,
        asked,
        replies,
        status=AskedStatus.OPEN,
        score=best.score if best else None,
        doctors=doctors,
    )


def _bank_answer(
    asked: AskedQuestion, shown: StoredQuestion, others: list[Hit], notes: list[str]
) -> OutgoingMessage:
    body = texts.with_notes(notes, texts.question_page(shown))
    rows = _match_rows(others)
    if rows:
        body = f"{body}\n\n<b>{texts.OTHER_MATCHES_INTRO}</b>"
    rows.append(
        [
            InlineKeyboardButton(
                texts.ASK_A_DOCTOR_BUTTON,
                callback_data=callbacks.make(callbacks.ASK_A_DOCTOR, asked.id),
            )
        ]
    )
    return outgoing(asked.chat_id, body, InlineKeyboardMarkup(rows))


async def _route(
    context: AskDocContext,
    asked: AskedQuestion,
    replies: list[OutgoingMessage],
    *,
    status: AskedStatus,
    score: float | None,
    doctors: list[Doctor] | None = None,
) -> None:
    """Offer the question to the active doctors (`doctors`, when the caller has just read
    them) whose specialties fit it, or to all, and reply."""
    repository = context.repository
    if doctors is None:
        doctors = await repository.active_doctors()
    reachable = [
        (doctor.id, doctor.telegram_id)
        for doctor in doctors_for(asked.text, doctors)
        if doctor.telegram_id is not None
    ]
    # The label is made only when a doctor will see it.
    label = await repository.patient_label(asked.patient_id) if reachable else ""
    offers = [
        (
            doctor_id,
            outgoing(
                telegram_id,
                texts.offer_to_doctor(label, asked.id, asked.text),
                callbacks.offer_buttons(asked.id),
            ),
        )
        for doctor_id, telegram_id in reachable
    ]
    await repository.route_question(asked.id, offers, replies, status=status, score=score)
    context.courier.deliver_soon()


async def _send_follow_up(
    context: AskDocContext, asked: AskedQuestion, answer_id: int, notes: list[str]
) -> bool:
    """Send a follow-up to the doctor who wrote `answer_id`; False when they can't take it."""
    repository = context.repository
    found = await repository.doctor_answer(answer_id)
    if found is None:
        return False
    earlier_answer, doctor_id, earlier = found
    doctor = await repository.get_doctor(doctor_id)
    if doctor is None or doctor.status != "active" or doctor.telegram_id is None:
        return False
    label = await repository.patient_label(asked.patient_id)
    offer = outgoing(
        doctor.telegram_id,
        texts.follow_up_to_doctor(label, asked.id, asked.text, earlier.text, earlier_answer.text),
        callbacks.offer_buttons(asked.id),
    )
    sent = texts.FOLLOW_UP_SENT.format(ref=asked.id, who=texts.who(doctor.card))
    reply = outgoing(asked.chat_id, texts.with_notes(notes, sent))
    await repository.route_question(
        asked.id, [(doctor.id, offer)], [reply], status=AskedStatus.OPEN, follow_up_of=answer_id
    )
    context.courier.deliver_soon()
    return True


def _other_matches(
    hits: tuple[Hit, ...], *, exclude: int | None, min_score: float, count: int
) -> list[Hit]:
    floor = min_score * OTHER_MATCH_SHARE_OF_THRESHOLD
    others = [
        hit for hit in hits if hit.answered and hit.question_id != exclude and hit.score >= floor
    ]
    return others[:count]


def _match_rows(hits: list[Hit]) -> list[list[InlineKeyboardButton]]:
    return [
        [
            InlineKeyboardButton(
                texts.match_button_label(hit.title),
                callback_data=callbacks.make(callbacks.OPEN_MATCH, hit.question_id),
            )
        ]
        for hit in hits
    ]


def _match_buttons(hits: list[Hit]) -> InlineKeyboardMarkup | None:
    rows = _match_rows(hits)
    return InlineKeyboardMarkup(rows) if rows else None


async def _refuse(update: Update, context: AskDocContext) -> None:
    await context.reply(update, texts.OPENED_MATCH_MISSING)
