"""Safety in the patient's language: the emergency notice with their country's numbers, their
country asked once with buttons (or with /country), and the language each person is spoken
to in, taken from their Telegram app or chosen with /language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot import i18n, texts
from bot.handlers import callbacks, keyboards
from bot.handlers.context import AskDocContext
from bot.handlers.guards import active_doctor, is_admin
from bot.handlers.keyboards import outgoing
from bot.models import OutgoingMessage

# The countries offered first, by the patient's language; "Other countries" shows them all.
SUGGESTED = {
    "en": ("US", "GB", "CA", "AU", "IN", "IE", "NZ", "ZA", "NG", "PH", "KE", "PK"),
    "es": ("ES", "MX", "AR", "CO", "US", "CL", "PE", "VE", "EC", "GT", "CU", "BO"),
    "ru": ("RU", "UA", "BY", "KZ", "UZ", "KG", "AZ", "AM", "IL", "DE", "TJ", "GE"),
    "ar": ("SA", "EG", "AE", "MA", "DZ", "IQ", "JO", "LB", "TN", "KW", "QA", "SY"),
}


async def remember_language(update: Update, context: AskDocContext) -> None:
    """Before any other handler: the language to speak to whoever sent the update, from their
    Telegram app (unless they chose one)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    settings = context.settings
    language = i18n.language_of(user.language_code, settings.languages, settings.default_language)
    await context.store.preferences.seen_speaking(user.id, language, settings.default_language)


async def emergency_notice(context: AskDocContext, patient_id: int) -> str:
    """The emergency message in the patient's language, then where to call in their country."""
    language = context.language_of(patient_id)
    emergency = context.settings.emergency
    country = (await context.store.preferences.of(patient_id)).country
    numbers = texts.emergency_numbers(
        context.catalog, language, country, emergency.numbers, emergency.default_country
    )
    return texts.emergency_notice(emergency.message_in(language), numbers)


async def country_question_once(
    context: AskDocContext, patient_id: int, chat_id: int
) -> OutgoingMessage | None:
    """ "Which country are you in?" the first time an emergency is seen (None: asked before;
    choosing a country counts as asked)."""
    if not await context.store.preferences.ask_country_once(patient_id):
        return None
    return country_question(context, patient_id, chat_id)


def country_question(
    context: AskDocContext, patient_id: int, chat_id: int, *, every_country: bool = False
) -> OutgoingMessage:
    language = context.language_of(patient_id)
    table = context.settings.emergency.numbers
    if every_country:
        codes = sorted(table, key=lambda code: i18n.country_name(code, language))
    else:
        codes = [code for code in SUGGESTED.get(language, SUGGESTED["en"]) if code in table]
    markup = keyboards.countries(
        context.catalog, language, codes, more=not every_country and len(codes) < len(table)
    )
    return outgoing(chat_id, context.catalog.text(language, "country-ask"), markup)


async def country(update: Update, context: AskDocContext) -> None:
    """/country: choose the country whose emergency numbers you see; `/country ES` sets it."""
    await _ask_or_choose(update, context, str.upper, country_question, _choose)


async def _ask_or_choose(
    update: Update,
    context: AskDocContext,
    spelling: Callable[[str], str],
    ask: Callable[[AskDocContext, int, int], OutgoingMessage],
    choose: Callable[[Update, AskDocContext, str], Awaitable[None]],
) -> None:
    """A command that asks with buttons, or sets what its argument names."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    code = spelling(context.args[0]).strip() if context.args else ""
    if not code:
        await context.courier.post([ask(context, user.id, chat.id)])
        return
    await choose(update, context, code)


async def country_button(update: Update, context: AskDocContext) -> None:
    """A country's button, "Other countries" or "My country is not listed"."""
    query = update.callback_query
    user, chat = update.effective_user, update.effective_chat
    if query is None or user is None or chat is None:
        return
    await query.answer()
    choice = callbacks.country(query.data)
    if choice == callbacks.MORE_COUNTRIES:
        await context.courier.post(
            [country_question(context, user.id, chat.id, every_country=True)]
        )
        return
    await _choose(update, context, choice or "")


async def _choose(update: Update, context: AskDocContext, code: str) -> None:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    language = context.language_of(user.id)
    table = context.settings.emergency.numbers
    if code == callbacks.NOT_LISTED:
        await context.store.preferences.choose_country(user.id, None)
        await context.reply(update, context.catalog.text(language, "country-not-listed"))
        return
    if code not in table:
        await context.courier.post(
            [
                outgoing(chat.id, context.catalog.text(language, "country-unknown")),
                country_question(context, user.id, chat.id),
            ]
        )
        return
    await context.store.preferences.choose_country(user.id, code)
    numbers = texts.country_numbers(context.catalog, language, code, table[code])
    await context.reply(update, context.catalog.text(language, "country-saved", numbers=numbers))


async def language(update: Update, context: AskDocContext) -> None:
    """/language: choose the language I speak to you in; `/language es` sets it."""
    await _ask_or_choose(update, context, str.lower, language_question, _choose_language)


async def language_button(update: Update, context: AskDocContext) -> None:
    """A language's button."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await _choose_language(update, context, callbacks.language(query.data) or "")


def language_question(context: AskDocContext, telegram_id: int, chat_id: int) -> OutgoingMessage:
    language = context.language_of(telegram_id)
    markup = keyboards.languages(context.catalog, context.settings.languages)
    return outgoing(chat_id, context.catalog.text(language, "language-ask"), markup)


async def _choose_language(update: Update, context: AskDocContext, code: str) -> None:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    if code not in context.settings.languages:
        language = context.language_of(user.id)
        await context.courier.post(
            [
                outgoing(chat.id, context.catalog.text(language, "language-unknown")),
                language_question(context, user.id, chat.id),
            ]
        )
        return
    await context.store.preferences.choose_language(user.id, code)
    # Their own menu in the language chosen, whatever their app's language.
    await context.menus.refresh(
        context.bot,
        user.id,
        doctor=await active_doctor(update, context) is not None,
        admin=is_admin(update, context),
        language=code,
        chosen=True,
    )
    await context.reply(update, context.catalog.text(code, "language-saved"))
