"""The typed context every handler receives, so no handler casts `bot_data`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackContext

from bot.config import Settings
from bot.handlers.delivery import Courier, outgoing
from bot.repository import Repository
from bot.sending import DisclaimerBot


@dataclass
class Services:
    """What handlers need, opened once in post_init and closed in post_shutdown."""

    settings: Settings
    repository: Repository
    courier: Courier


class AppState:
    """The application's bot_data: holds the services once start-up has opened them."""

    def __init__(self) -> None:
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        """The open services; handlers only run after post_init has set them."""
        if self._services is None:
            raise RuntimeError("services are not open yet (post_init has not run)")
        return self._services

    @services.setter
    def services(self, value: Services | None) -> None:
        self._services = value


class AskDocContext(CallbackContext[DisclaimerBot, dict[Any, Any], dict[Any, Any], AppState]):
    """CallbackContext with typed access to settings and storage."""

    @property
    def settings(self) -> Settings:
        """The validated config."""
        return self.bot_data.services.settings

    @property
    def repository(self) -> Repository:
        """The data-access layer."""
        return self.bot_data.services.repository

    @property
    def courier(self) -> Courier:
        """Delivers the outbox."""
        return self.bot_data.services.courier

    async def reply(
        self, update: Update, body_html: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """Answer in the chat the update came from, through the outbox like every message."""
        chat = update.effective_chat
        if chat is not None:
            await self.courier.post([outgoing(chat.id, body_html, markup)])


AskDocApplication = Application[
    DisclaimerBot, AskDocContext, dict[Any, Any], dict[Any, Any], AppState, Any
]
