"""The job that keeps waiting questions from going stale: reminders to their doctors, then
the admins told."""

from __future__ import annotations

import logging

from bot import texts
from bot.flows import chasing
from bot.handlers import keyboards
from bot.handlers.context import AskDocContext
from bot.handlers.keyboards import outgoing
from bot.models import OutgoingMessage

log = logging.getLogger(__name__)

# The job looks for due questions this often at most (more often for short settings).
CHASE_INTERVAL_SECONDS = 60.0


def chase_interval(remind_after_minutes: float, escalate_after_minutes: float) -> float:
    """How often the job runs: a quarter of the shorter wait, between 1 s and a minute."""
    shorter = min(remind_after_minutes, escalate_after_minutes) * 60
    return max(1.0, min(CHASE_INTERVAL_SECONDS, shorter / 4))


def _messages(context: AskDocContext, due: chasing.Due) -> list[OutgoingMessage]:
    """The reminders to the doctors who have the question, or the admins told; each in the
    reader's language."""
    waiting = due.waiting
    asked = waiting.asked
    if due.chase is chasing.Chase.REMIND:
        reminders = []
        for offered in waiting.offered:
            if offered.state != "offered" or offered.telegram_id is None:
                continue
            words = context.words_for(offered.telegram_id)
            body = texts.reminder_to_doctor(
                words,
                waiting.label,
                asked.id,
                asked.text,
                waiting.waited_seconds,
                emergency=asked.emergency,
            )
            markup = keyboards.offer(words, asked.id)
            reminders.append(outgoing(offered.telegram_id, body, markup, about_asked=asked.id))
        return reminders
    seen = [(offered.name, offered.state) for offered in waiting.offered]
    told = []
    for admin in sorted(context.settings.admin_ids):
        words = context.words_for(admin)
        body = texts.escalation(
            words, asked.id, waiting.label, waiting.waited_seconds, seen, emergency=asked.emergency
        )
        told.append(outgoing(admin, body, keyboards.block(words, asked.id)))
    return told


async def chase_waiting_questions(context: AskDocContext) -> None:
    """Job: remind doctors of questions nobody has answered, then tell the admins."""
    sent = 0
    for due in await chasing.due(context.services):
        if await chasing.record(context.services, due, _messages(context, due)):
            sent += 1
            log.info("question #%s: %s", due.waiting.asked.id, due.chase.value)
    if sent:
        context.courier.deliver_soon()
