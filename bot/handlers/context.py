"""The typed context every handler receives, so no handler casts `bot_data`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackContext

from bot import i18n
from bot.config import Settings
from bot.flows import Services
from bot.handlers.keyboards import outgoing
from bot.handlers.menus import Menus
from bot.messaging.courier import Courier
from bot.messaging.sending import DisclaimerBot
from bot.store import Store


@dataclass
class Running:
    """What handlers need, opened once at start-up and closed at shutdown: the flows'
    services, the courier that delivers the outbox, and the command menus."""

    services: Services
    courier: Courier
    menus: Menus
    catalog: i18n.Catalog


class AppState:
    """The application's bot_data: holds the running services once start-up has opened them."""

    def __init__(self) -> None:
        self._running: Running | None = None

    @property
    def running(self) -> Running:
        """The open services; handlers only run after post_init has set them."""
        if self._running is None:
            raise RuntimeError("services are not open yet (post_init has not run)")
        return self._running

    @running.setter
    def running(self, value: Running | None) -> None:
        self._running = value


class AskDocContext(CallbackContext[DisclaimerBot, dict[Any, Any], dict[Any, Any], AppState]):
    """CallbackContext with typed access to the services, settings, store and courier."""

    @property
    def services(self) -> Services:
        """What the flows work with."""
        return self.bot_data.running.services

    @property
    def settings(self) -> Settings:
        """The validated config."""
        return self.services.settings

    @property
    def store(self) -> Store:
        """The database."""
        return self.services.store

    @property
    def courier(self) -> Courier:
        """Delivers the outbox."""
        return self.bot_data.running.courier

    @property
    def catalog(self) -> i18n.Catalog:
        """Every language's messages."""
        return self.bot_data.running.catalog

    def language_of(self, telegram_id: int) -> str:
        """The language the bot speaks to this person."""
        known = self.store.preferences.language_of(telegram_id)
        return known or self.settings.default_language

    def words_for(self, telegram_id: int) -> i18n.Words:
        """The messages in the language the bot speaks to this person."""
        return i18n.Words(self.catalog, self.language_of(telegram_id))

    @property
    def menus(self) -> Menus:
        """/help's command lines and the command menus."""
        return self.bot_data.running.menus

    async def reply(
        self, update: Update, body_html: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """Answer in the chat the update came from, through the outbox like every message."""
        chat = update.effective_chat
        if chat is not None:
            await self.courier.post([outgoing(chat.id, body_html, markup)])

    async def tell(
        self,
        chat_id: int,
        body_html: str,
        markup: InlineKeyboardMarkup | None = None,
        *,
        about_asked: int | None = None,
    ) -> None:
        """Send to one chat, through the outbox (`about_asked`: the patient's question it
        quotes to a doctor, whose erasure deletes this copy too)."""
        await self.courier.post([outgoing(chat_id, body_html, markup, about_asked=about_asked)])


AskDocApplication = Application[
    DisclaimerBot, AskDocContext, dict[Any, Any], dict[Any, Any], AppState, Any
]
