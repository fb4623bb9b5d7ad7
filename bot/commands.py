"""Every command in one table: its name, handler, audience and one line about it. The table
registers the handlers, writes /help's command lines and fills each audience's menu."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import CommandHandler, filters

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
    description: str

    @property
    def info(self) -> CommandInfo:
        """What users see of it."""
        return CommandInfo(self.name, self.audience, self.description)


COMMANDS: tuple[Command, ...] = (
    Command("start", patient.start, Audience.PATIENTS, "What this bot does"),
    Command("help", patient.help_command, Audience.PATIENTS, "How to ask a question"),
    Command("privacy", privacy.privacy, Audience.PATIENTS, "What we keep, and for how long"),
    Command("mydata", privacy.my_data, Audience.PATIENTS, "Everything we keep about you"),
    Command("forget", privacy.forget, Audience.PATIENTS, "Erase your data"),
    Command(
        "country", safety.country, Audience.PATIENTS, "Your country, for its emergency numbers"
    ),
    Command("queue", doctor.queue, Audience.DOCTORS, "Questions waiting for an answer"),
    Command("answers", doctor.my_answers, Audience.DOCTORS, "Your answers, each editable"),
    Command("profile", doctor.profile, Audience.DOCTORS, "Your card as patients see it"),
    # Drops an application in progress, and otherwise hands over to doctor.cancel.
    Command("cancel", admin.cancel, Audience.DOCTORS, "Drop the answer you are writing"),
    Command(
        "register", admin.register, Audience.APPLICANTS, "Apply as a doctor with an invitation"
    ),
    Command(
        "doctors",
        admin.doctors,
        Audience.ADMINS,
        "The doctors, with Revoke, Restore, Approve and Reject buttons",
    ),
    Command(
        "review",
        moderation.review,
        Audience.ADMINS,
        "Doctors' answers waiting for your review",
    ),
    Command(
        "bank",
        moderation.bank_entries,
        Audience.ADMINS,
        "Find a bank entry by words or number, to hide, restore, edit or delete",
    ),
    Command("audit", moderation.audit, Audience.ADMINS, "Who published, hid or erased what"),
    Command(
        "block",
        moderation.block,
        Audience.ADMINS,
        "Block the patient of a question: /block REF",
    ),
    Command("unblock", moderation.unblock, Audience.ADMINS, "Unblock them: /unblock REF"),
    Command(
        "stats",
        admin.stats,
        Audience.ADMINS,
        "Questions asked, how they were answered, speed and ratings",
    ),
)


def menus() -> Menus:
    """/help's lines and the command menus, from the table."""
    return Menus([command.info for command in COMMANDS])


def register_commands(application: AskDocApplication) -> None:
    """A handler for each command, in private chats only."""
    for command in COMMANDS:
        application.add_handler(
            CommandHandler(command.name, command.handler, filters=filters.ChatType.PRIVATE)
        )
