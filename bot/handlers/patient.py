"""The patient's side of the chat: ask in free text, get the bank's best answer or a promise."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot import texts
from bot.emergency import looks_like_emergency
from bot.handlers.context import AskDocContext
from bot.matching import Hit, find_matches, terms
from bot.models import AskedStatus

log = logging.getLogger(__name__)

OPEN_MATCH_PREFIX = "open:"

# Matching reads the start of a very long message: the question is almost always there, and
# scoring a whole essay would let incidental words outvote it. The whole text is still stored.
MATCH_CHARS = 1000

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
    await _reply(update, texts.WELCOME)


async def help_command(update: Update, context: AskDocContext) -> None:
    """/help: how to ask, what happens without an answer, and the commands."""
    await _reply(update, f"{texts.WELCOME}\n\n<b>Commands</b>\n{texts.help_commands()}")


async def unknown_command(update: Update, context: AskDocContext) -> None:
    """A command we do not have: say so and point to /help."""
    message = update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "/"
    await _reply(update, texts.UNKNOWN_COMMAND.format(command=texts.escape(command[:64])))


async def ask(update: Update, context: AskDocContext) -> None:
    """A question in free text: answer it from the bank, or keep it for a doctor."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    await _answer_question(update, context, message.text, notes=[])


async def edited_question(update: Update, context: AskDocContext) -> None:
    """An edited message: treat its new text as the question the patient meant."""
    message = update.edited_message
    if message is None or message.text is None:
        return
    await _answer_question(update, context, message.text, notes=[texts.EDITED_QUESTION])


async def media(update: Update, context: AskDocContext) -> None:
    """Stickers, photos, voice and other non-text: ask for words, or use the caption."""
    message = update.effective_message
    if message is None:
        return
    kind = next((label for attr, label in _MEDIA_KINDS if getattr(message, attr, None)), "that")
    if message.caption and terms(message.caption):
        note = texts.CAPTION_USED.format(kind=kind)
        await _answer_question(update, context, message.caption, notes=[note])
        return
    await _reply(update, texts.ONLY_TEXT.format(kind=kind))


async def open_match(update: Update, context: AskDocContext) -> None:
    """A close-match button: show that question and its answers."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    question_id = _question_id_from(query.data)
    question = await context.repository.get_question(question_id) if question_id else None
    if question is None or not question.answers:
        await _send(update, context, texts.OPENED_MATCH_MISSING)
        return
    await _send(update, context, texts.question_page(question))


async def unknown_button(update: Update, context: AskDocContext) -> None:
    """A button we did not make (old, or forged callback data): refuse, change nothing."""
    query = update.callback_query
    if query is None:
        return
    log.warning("refused unknown callback data from update %s", update.update_id)
    await query.answer()
    await _send(update, context, texts.OPENED_MATCH_MISSING)


def _question_id_from(data: str | None) -> int | None:
    if not data or not data.startswith(OPEN_MATCH_PREFIX):
        return None
    digits = data.removeprefix(OPEN_MATCH_PREFIX)
    return int(digits) if digits.isdigit() and len(digits) < 19 else None


async def _answer_question(
    update: Update, context: AskDocContext, text: str, notes: list[str]
) -> None:
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if message is None or user is None or chat is None:
        return
    repository = context.repository
    settings = context.settings
    asked, _ = await repository.record_asked_question(
        update_id=update.update_id, patient_id=user.id, chat_id=chat.id, text=text
    )
    if asked.replied:
        log.info("update %s was already answered; not answering twice", update.update_id)
        return

    if looks_like_emergency(text, settings.emergency.patterns):
        await _reply(update, texts.escape(settings.emergency.message))

    if not terms(text):
        await repository.settle_asked_question(asked.id, AskedStatus.UNCLEAR, None, None)
        await _reply(update, texts.NO_WORDS)
        await repository.mark_asked_replied(asked.id)
        return

    if len(text) > MATCH_CHARS:
        notes.append(texts.LONG_QUESTION.format(length=len(text)))
    matching = settings.matching
    result = await find_matches(
        repository,
        text[:MATCH_CHARS],
        min_score=matching.min_score,
        candidates=matching.candidates,
    )
    best = result.best
    shown = await repository.get_question(best.question_id) if best and best.answered else None
    others = _other_matches(
        result.hits,
        exclude=shown.id if shown else None,
        min_score=matching.min_score,
        count=matching.other_matches,
    )
    markup = _match_buttons(others)
    if result.is_match and best is not None and shown is not None and shown.answers:
        await repository.settle_asked_question(asked.id, AskedStatus.MATCHED, shown.id, best.score)
        body = "\n\n".join([*notes, texts.question_page(shown)])
    else:
        score = best.score if best else None
        await repository.settle_asked_question(asked.id, AskedStatus.OPEN, None, score)
        template = texts.KNOWN_BUT_UNANSWERED if result.is_match else texts.NO_GOOD_MATCH
        body = "\n\n".join([*notes, template.format(ref=asked.id)])
    if markup is not None:
        body = f"{body}\n\n<b>{texts.OTHER_MATCHES_INTRO}</b>"
    await _reply(update, body, markup)
    await repository.mark_asked_replied(asked.id)


def _other_matches(
    hits: tuple[Hit, ...], *, exclude: int | None, min_score: float, count: int
) -> list[Hit]:
    floor = min_score * OTHER_MATCH_SHARE_OF_THRESHOLD
    others = [
        hit for hit in hits if hit.answered and hit.question_id != exclude and hit.score >= floor
    ]
    return others[:count]


def _match_buttons(hits: list[Hit]) -> InlineKeyboardMarkup | None:
    if not hits:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.match_button_label(hit.title),
                    callback_data=f"{OPEN_MATCH_PREFIX}{hit.question_id}",
                )
            ]
            for hit in hits
        ]
    )


async def _reply(
    update: Update, body_html: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    message = update.effective_message
    if message is None:
        return None
    return await message.reply_text(body_html, reply_markup=markup)


async def _send(update: Update, context: AskDocContext, body_html: str) -> None:
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, body_html)
