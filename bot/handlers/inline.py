"""Inline mode: `@bot words` in any chat offers the bank's answered questions that match.

The chosen result is posted by Telegram itself (as the user, "via @bot"); DisclaimerBot closes
every result's text with the disclaimer and keeps it within one message.
"""

from __future__ import annotations

import logging

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import InlineQueryLimit, ParseMode
from telegram.error import TelegramError

from bot import i18n, texts
from bot.flows.asking import OTHER_MATCH_SHARE_OF_THRESHOLD
from bot.handlers.context import AskDocContext
from bot.matching import MATCH_CHARS
from bot.messaging.sending import DisclaimerBot
from bot.models import StoredQuestion, Visibility

log = logging.getLogger(__name__)

# Telegram shows at most 50 results for one answer.
RESULT_LIMIT = InlineQueryLimit.RESULTS
# Results change only when the bank does; a short cache keeps new answers visible soon. They
# are in the language of whoever asks, so Telegram keeps them for that person alone.
CACHE_SECONDS = 10
# Opens the private chat from the results list (the /start payload).
START_PARAMETER = "inline"
DESCRIPTION_CHARS = 100


async def search_bank(update: Update, context: AskDocContext) -> None:
    """An inline query: the answered bank questions that match it, best first."""
    query = update.inline_query
    if query is None:
        return
    words = context.words_for(query.from_user.id)
    results: list[InlineQueryResultArticle] = []
    # Switched off, the bot still answers, with no results: only the button to ask privately.
    if query.query.strip() and context.settings.inline_enabled:
        matching = context.settings.matching
        found = await context.services.match(
            query.query[:MATCH_CHARS],
            candidates=max(matching.candidates, 2 * RESULT_LIMIT),
            limit=2 * RESULT_LIMIT,
        )
        floor = matching.min_score * OTHER_MATCH_SHARE_OF_THRESHOLD
        for hit in found.hits:
            if len(results) == RESULT_LIMIT:
                break
            if not hit.answered or hit.score < floor:
                continue
            question = await context.store.bank.question(hit.question_id)
            if (
                question is not None
                and question.answers
                and question.visibility is Visibility.PUBLISHED
            ):
                results.append(_article(context.bot, words, question))
    try:
        await query.answer(
            results,
            cache_time=CACHE_SECONDS,
            is_personal=True,
            button=InlineQueryResultsButton(
                text=words("inline-ask-privately"), start_parameter=START_PARAMETER
            ),
        )
    except TelegramError as error:
        # An inline query lives for seconds and the user types on: a late answer is no use,
        # so there is nothing to retry.
        log.warning("could not answer an inline query: %s", error.message)


def _article(
    bot: DisclaimerBot, words: i18n.Words, question: StoredQuestion
) -> InlineQueryResultArticle:
    """A result whose message is made one here, where its user's language is known (the
    disclaimer and the note that the rest is in the private chat, in it)."""
    page = texts.question_page(words, question)
    text = bot.first_message(page, words("inline-rest-in-chat"), words.language)
    return InlineQueryResultArticle(
        id=str(question.id),
        title=texts.match_button_label(question.question),
        description=_description(question),
        input_message_content=InputTextMessageContent(text, parse_mode=ParseMode.HTML),
    )


def _description(question: StoredQuestion) -> str:
    """Who answered first (doctor or source), or the start of that answer."""
    first = question.answers[0]
    if first.doctor is not None:
        card = first.doctor
        line = " · ".join(part for part in (card.name, card.title, card.location) if part)
    elif first.source is not None:
        line = first.source.source
    else:
        line = ""
    line = line or " ".join(first.text.split())
    return line if len(line) <= DESCRIPTION_CHARS else line[: DESCRIPTION_CHARS - 1] + "…"
