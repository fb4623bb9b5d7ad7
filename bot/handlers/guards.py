"""Who may do what, checked once: @doctor_only and @admin_only for commands, @doctor_button
and @admin_button for buttons, @user_button for anyone's. Anyone else is refused, and nothing
changes."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import TelegramError

from bot import i18n
from bot.handlers import callbacks
from bot.handlers.context import AskDocContext
from bot.models import Doctor, DoctorStatus

log = logging.getLogger(__name__)

Handler = Callable[[Update, AskDocContext], Coroutine[Any, Any, None]]
DoctorHandler = Callable[[Update, AskDocContext, Doctor], Coroutine[Any, Any, None]]
# The doctor who pressed, the button's action and its number.
DoctorButtonHandler = Callable[[Update, AskDocContext, Doctor, str, int], Coroutine[Any, Any, None]]
# The button's action and its number.
AdminButtonHandler = Callable[[Update, AskDocContext, str, int], Coroutine[Any, Any, None]]
# The Telegram id of who pressed, and the button's number.
UserButtonHandler = Callable[[Update, AskDocContext, int, int], Coroutine[Any, Any, None]]


async def acknowledge(query: CallbackQuery) -> None:
    """Tell Telegram the press was seen, which stops the button's spinner. A courtesy: when
    Telegram refuses or times out, the press still does what it says."""
    try:
        await query.answer()
    except TelegramError as error:
        log.warning("could not acknowledge a button press: %s", error.message)


async def active_doctor(update: Update, context: AskDocContext) -> Doctor | None:
    """The active doctor who sent the update, if it was one."""
    user = update.effective_user
    if user is None:
        return None
    doctor = await context.store.doctors.by_telegram_id(user.id)
    return doctor if doctor is not None and doctor.status is DoctorStatus.ACTIVE else None


def is_admin(update: Update, context: AskDocContext) -> bool:
    """Whether the update comes from an admin the config lists."""
    user = update.effective_user
    return user is not None and user.id in context.settings.admin_ids


def words_of_sender(update: Update, context: AskDocContext) -> i18n.Words:
    """The language of whoever sent the update (the bot's default when Telegram names nobody)."""
    user = update.effective_user
    if user is None:
        return i18n.Words(context.catalog, context.settings.default_language)
    return context.words_for(user.id)


async def refuse_non_doctor(update: Update, context: AskDocContext) -> None:
    """Tell someone who is not an active doctor that this is for doctors."""
    log.warning("refused a doctor's action from a non-doctor (update %s)", update.update_id)
    if update.effective_chat is not None:
        refusal = words_of_sender(update, context)("not-a-doctor")
        await context.tell(update.effective_chat.id, refusal)


async def refuse_non_admin(update: Update, context: AskDocContext) -> None:
    """Tell someone who is not an admin that this is for admins."""
    log.warning("refused an admin action from a non-admin (update %s)", update.update_id)
    await context.reply(update, words_of_sender(update, context)("not-an-admin"))


async def refuse_button(update: Update, context: AskDocContext) -> None:
    """A button that is old, someone else's or forged: say it is no longer available."""
    user = update.effective_user
    if user is not None:
        await context.reply(update, context.words_for(user.id)("opened-match-missing"))


def doctor_only(handler: DoctorHandler) -> Handler:
    """A command for active doctors; the handler gets the doctor."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: AskDocContext) -> None:
        doctor = await active_doctor(update, context)
        if doctor is None:
            await refuse_non_doctor(update, context)
            return
        await handler(update, context, doctor)

    return guarded


def admin_only(handler: Handler) -> Handler:
    """A command for the config's admins."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: AskDocContext) -> None:
        if not is_admin(update, context):
            await refuse_non_admin(update, context)
            return
        await handler(update, context)

    return guarded


def doctor_button(*prefixes: str) -> Callable[[DoctorButtonHandler], Handler]:
    """A button for active doctors with one of these actions: the press is acknowledged, and
    the handler gets the doctor, the action and the button's number."""

    def decorate(handler: DoctorButtonHandler) -> Handler:
        @functools.wraps(handler)
        async def guarded(update: Update, context: AskDocContext) -> None:
            query = update.callback_query
            if query is None:
                return
            await acknowledge(query)
            doctor = await active_doctor(update, context)
            action = callbacks.prefix_of(query.data)
            number = callbacks.number(query.data, action) if action in prefixes else None
            if doctor is None or action is None or number is None:
                await refuse_non_doctor(update, context)
                return
            await handler(update, context, doctor, action, number)

        return guarded

    return decorate


def user_button(prefix: str) -> Callable[[UserButtonHandler], Handler]:
    """A button anyone may press (a patient's): the press is acknowledged, and the handler
    gets who pressed and the button's number; data without a number is refused. Whether
    the thing numbered is theirs is the handler's to check."""

    def decorate(handler: UserButtonHandler) -> Handler:
        @functools.wraps(handler)
        async def guarded(update: Update, context: AskDocContext) -> None:
            query = update.callback_query
            user = update.effective_user
            if query is None or user is None:
                return
            await acknowledge(query)
            number = callbacks.number(query.data, prefix)
            if number is None:
                await refuse_button(update, context)
                return
            await handler(update, context, user.id, number)

        return guarded

    return decorate


def admin_button(*prefixes: str) -> Callable[[AdminButtonHandler], Handler]:
    """A button for admins with one of these actions; other data is an unknown button."""

    def decorate(handler: AdminButtonHandler) -> Handler:
        @functools.wraps(handler)
        async def guarded(update: Update, context: AskDocContext) -> None:
            query = update.callback_query
            if query is None:
                return
            action = callbacks.prefix_of(query.data)
            number = callbacks.number(query.data, action or "")
            if action not in prefixes or action is None or number is None:
                await unknown_button(update, context)
                return
            await acknowledge(query)
            if not is_admin(update, context):
                await refuse_non_admin(update, context)
                return
            await handler(update, context, action, number)

        return guarded

    return decorate


async def unknown_button(update: Update, context: AskDocContext) -> None:
    """A button we did not make (old, or forged callback data): refuse, change nothing."""
    query = update.callback_query
    if query is None:
        return
    log.warning("refused unknown callback data from update %s", update.update_id)
    await acknowledge(query)
    await refuse_button(update, context)
