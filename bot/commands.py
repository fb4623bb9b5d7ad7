"""Every command in one table: its name, handler and audience (the line about it is the
message `command-NAME` in each language, bot/locales). The table registers the handlers, writes
/help's command lines and fills each audience's menu in each language."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import CommandHandler, filters

from bot import i18n
from bot.handlers import admin, doctor, moderation, patient, privacy, safety
from bot.handlers.context import AskDocApplication
from bot.handlers.guards import Handler
from bot.handlers.menus import Audience, CommandInfo, Menus


@dataclass(frozen=True, slots=True)
class Command:
    """A command of the bot."""

    name: str
    handler: Handler
    audience: Audience

    @property
    def info(self) -> CommandInfo:
        """What users see of it (its description is `command-NAME` in each language)."""
        return CommandInfo(self.name, self.audience)


COMMANDS: tuple[Command, ...] = (
    Command("start", patient.start, Audience.PATIENTS),
    Command("help", patient.help_command, Audience.PATIENTS),
    Command("privacy", privacy.privacy, Audience.PATIENTS),
    Command("mydata", privacy.my_data, Audience.PATIENTS),
    Command("forget", privacy.forget, Audience.PATIENTS),
    Command("country", safety.country, Audience.PATIENTS),
    Command("language", safety.language, Audience.PATIENTS),
    Command("queue", doctor.queue, Audience.DOCTORS),
    Command("answers", doctor.my_answers, Audience.DOCTORS),
    Command("profile", doctor.profile, Audience.DOCTORS),
    # Drops an application in progress, and otherwise hands over to doctor.cancel.
    Command("cancel", admin.cancel, Audience.DOCTORS),
    Command("register", admin.register, Audience.APPLICANTS),
    Command("doctors", admin.doctors, Audience.ADMINS),
    Command("review", moderation.review, Audience.ADMINS),
    Command("bank", moderation.bank_entries, Audience.ADMINS),
    Command("audit", moderation.audit, Audience.ADMINS),
    Command("block", moderation.block, Audience.ADMINS),
    Command("unblock", moderation.unblock, Audience.ADMINS),
    Command("stats", admin.stats, Audience.ADMINS),
)


def menus(catalog: i18n.Catalog) -> Menus:
    """/help's lines and the command menus, from the table."""
    return Menus([command.info for command in COMMANDS], catalog)


def register_commands(application: AskDocApplication) -> None:
    """A handler for each command, in private chats only."""
    for command in COMMANDS:
        application.add_handler(
            CommandHandler(command.name, command.handler, filters=filters.ChatType.PRIVATE)
        )
