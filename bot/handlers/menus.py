"""What each audience is shown of the command table: the lines of /help and Telegram's command
menu (the default scope for patients, a chat scope for each doctor and admin)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot import i18n, texts
from bot.messaging.sending import DisclaimerBot
from bot.models import Doctor, DoctorStatus

log = logging.getLogger(__name__)


class Audience(Enum):
    """Who a command is for. APPLICANTS' commands work for anyone but are in no menu."""

    PATIENTS = "patients"
    DOCTORS = "doctors"
    ADMINS = "admins"
    APPLICANTS = "applicants"


@dataclass(frozen=True, slots=True)
class CommandInfo:
    """A command as users see it: its name and who it is for (the line about it is the
    message `command-NAME` in each language)."""

    name: str
    audience: Audience


class Menus:
    """/help's command lines and the command menus, from the command table, in each
    language."""

    def __init__(self, commands: Sequence[CommandInfo], catalog: i18n.Catalog) -> None:
        self.commands = tuple(commands)
        self.catalog = catalog

    def description(self, name: str, language: str) -> str:
        return self.catalog.text(language, f"command-{name}")

    def of(self, audience: Audience) -> list[CommandInfo]:
        """The commands for one audience, in table order."""
        return [command for command in self.commands if command.audience is audience]

    def lines(self, audience: Audience, language: str) -> str:
        """`/name - description` for each of the audience's commands, in a language."""
        return texts.help_commands(
            (c.name, self.description(c.name, language)) for c in self.of(audience)
        )

    def doctor_help(self, words: i18n.Words) -> str:
        """What a doctor can do, for /help and the approval message."""
        return f"{texts.doctor_help(words)}\n{self.lines(Audience.DOCTORS, words.language)}"

    def admin_help(self, words: i18n.Words) -> str:
        """What an admin can do, for /help."""
        heading = f"<b>{words('admin-help-heading')}</b>"
        return f"{heading}\n{self.lines(Audience.ADMINS, words.language)}"

    def help(self, words: i18n.Words, retention_days: float, *, doctor: bool, admin: bool) -> str:
        """/help in someone's `words`, for someone who is (or is not) an active doctor and an
        admin: what patients read, then what doctors and admins read."""
        welcome = texts.welcome(words, retention_days)
        commands = self.lines(Audience.PATIENTS, words.language)
        body = f"{welcome}\n\n<b>{words('help-commands-heading')}</b>\n{commands}"
        if doctor:
            body += f"\n\n{self.doctor_help(words)}"
        if admin:
            body += f"\n\n{self.admin_help(words)}"
        return body

    def menu(self, audiences: Iterable[Audience], language: str) -> list[BotCommand]:
        """The menu of someone in these audiences (patients' commands always), in a language."""
        wanted = {Audience.PATIENTS, *audiences}
        return [
            BotCommand(command.name, self.description(command.name, language))
            for command in self.commands
            if command.audience in wanted
        ]

    async def publish(
        self,
        bot: DisclaimerBot,
        doctors: Sequence[Doctor],
        admin_ids: Iterable[int],
        languages: Sequence[str],
        language_of: Callable[[int], str],
    ) -> None:
        """Every menu: patients' for everyone, in the default language (the first) and in
        each other one for Telegram apps in it; and one per doctor and admin in their language
        (a doctor who is no longer active gets the patients' menu back)."""
        await bot.set_my_commands(self.menu((), languages[0]))
        for language in languages[1:]:
            await bot.set_my_commands(self.menu((), language), language_code=language)
        admins = set(admin_ids)
        active = {
            d.telegram_id
            for d in doctors
            if d.status is DoctorStatus.ACTIVE and d.telegram_id is not None
        }
        others = {
            d.telegram_id
            for d in doctors
            if d.telegram_id is not None and d.telegram_id not in active
        }
        for telegram_id in sorted(admins | active | others):
            await self.refresh(
                bot,
                telegram_id,
                doctor=telegram_id in active,
                admin=telegram_id in admins,
                language=language_of(telegram_id),
            )

    async def refresh(
        self,
        bot: DisclaimerBot,
        telegram_id: int,
        *,
        doctor: bool,
        admin: bool,
        language: str,
        chosen: bool = False,
    ) -> None:
        """Set one user's menu in their language (a doctor approved, revoked or restored; a
        language chosen with /language, `chosen`, which outlasts their app's). A menu is a
        courtesy: when Telegram refuses, the commands still work, so this only logs."""
        audiences = [
            a for a, member in ((Audience.DOCTORS, doctor), (Audience.ADMINS, admin)) if member
        ]
        scope = BotCommandScopeChat(telegram_id)
        try:
            if audiences or chosen:
                await bot.set_my_commands(self.menu(audiences, language), scope=scope)
            else:
                await bot.delete_my_commands(scope=scope)
        except TelegramError as error:
            log.warning("could not set a user's command menu: %s", error.message)
