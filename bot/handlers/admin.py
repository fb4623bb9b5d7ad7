"""The admins' side and registration by invitation: doctors apply with the operator's code,
admins approve or reject them, revoke or restore them, and see how the bot is doing."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.flows import moderating, registration
from bot.flows.registration import Decision, Refusal
from bot.handlers import callbacks, doctor, keyboards
from bot.handlers.context import AskDocContext
from bot.handlers.guards import admin_button, admin_only, is_admin
from bot.handlers.keyboards import outgoing
from bot.models import Doctor, DoctorStatus, OutgoingMessage

log = logging.getLogger(__name__)

# /doctors sends this many doctors per message, each message with its own buttons.
DOCTORS_PER_MESSAGE = 20

_REFUSALS = {
    Refusal.ALREADY_A_DOCTOR: texts.ALREADY_A_DOCTOR,
    Refusal.APPLICATION_WAITING: texts.APPLICATION_WAITING,
    Refusal.REVOKED: texts.ACCESS_REVOKED_NO_REAPPLY,
}


# --- registration by invitation ----------------------------------------------------------------


async def register(update: Update, context: AskDocContext) -> None:
    """/register CODE: with the operator's invitation code, start an application."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    words = (message.text or "").split(maxsplit=1)
    code = words[1].strip() if len(words) > 1 else ""
    outcome = await registration.start(context.services, user.id, code)
    if isinstance(outcome, registration.RegistrationOff):
        await context.reply(update, texts.REGISTRATION_OFF)
    elif isinstance(outcome, registration.CodeMissing):
        await context.reply(update, texts.REGISTER_USAGE)
    elif isinstance(outcome, registration.WrongCode):
        log.warning("wrong invitation code (update %s)", update.update_id)
        await context.reply(update, texts.REGISTER_WRONG_CODE)
    elif isinstance(outcome, registration.CannotApply):
        await context.reply(update, _REFUSALS[outcome.refusal])
    else:
        body = f"{texts.REGISTRATION_STARTED}\n\n{texts.REGISTRATION_ASK[outcome.step]}"
        await context.reply(update, body)


async def registration_text(update: Update, context: AskDocContext) -> None:
    """Text from someone in the middle of an application: the answer to the step asked.
    Anything else falls through to the patient side."""
    message = update.effective_message
    user = update.effective_user
    if message is None or message.text is None or user is None or message.text.startswith("/"):
        return
    outcome = await registration.answer_step(context.services, user.id, message.text)
    if isinstance(outcome, registration.NotApplying):
        return
    if isinstance(outcome, registration.TooLong):
        too_long = texts.REGISTRATION_TOO_LONG.format(limit=registration.FIELD_LIMIT)
        await context.reply(update, f"{too_long}\n\n{texts.REGISTRATION_ASK[outcome.step]}")
    elif isinstance(outcome, registration.Ask):
        await context.reply(update, texts.REGISTRATION_ASK[outcome.step])
    elif isinstance(outcome, registration.CannotApply):
        await context.reply(update, _REFUSALS[outcome.refusal])
    else:
        await _send_to_admins(update, context, outcome)
    raise ApplicationHandlerStop


async def _send_to_admins(
    update: Update, context: AskDocContext, submitted: registration.Submitted
) -> None:
    """Every admin gets the application with the buttons to decide; the applicant is told."""
    user = update.effective_user
    assert user is not None
    applied, filled = submitted.doctor, submitted.registration
    assert filled.name and filled.title and filled.location
    admins = sorted(context.settings.admin_ids)
    if not admins:
        log.warning("doctor #%s applied, but the config lists no admins to decide", applied.id)
    telegram_name = user.full_name + (f" @{user.username}" if user.username else "")
    for_admins = texts.application_for_admins(
        applied.id, filled.name, filled.title, filled.location, telegram_name, user.id
    )
    buttons = keyboards.decisions(applied, registration.decisions_for(applied))
    messages = [outgoing(admin_id, for_admins, buttons) for admin_id in admins]
    messages.append(
        outgoing(user.id, texts.APPLICATION_SENT.format(card=texts.doctor_card(applied.card)))
    )
    await context.courier.post(messages)


async def cancel(update: Update, context: AskDocContext) -> None:
    """/cancel: drop an application in progress, or an admin's rewrite of a public question;
    otherwise the doctor's /cancel."""
    user = update.effective_user
    if user is not None and await registration.cancel(context.services, user.id):
        await context.reply(update, texts.REGISTRATION_CANCELLED)
        return
    if user is not None and is_admin(update, context):
        question_id = await moderating.cancel_rewrite(context.services, user.id)
        if question_id is not None:
            await context.reply(update, texts.REWRITE_CANCELLED.format(ref=question_id))
            return
    await doctor.cancel(update, context)


# --- admins' decisions -------------------------------------------------------------------------


@admin_button(callbacks.APPROVE, callbacks.REJECT)
async def decide_application(
    update: Update, context: AskDocContext, action: str, doctor_id: int
) -> None:
    """Approve or Reject under an application."""
    await _decide(update, context, keyboards.DECISION_OF_ACTION[action], doctor_id)


@admin_button(callbacks.REVOKE, callbacks.RESTORE)
async def change_access(
    update: Update, context: AskDocContext, action: str, doctor_id: int
) -> None:
    """Revoke or Restore under a doctor in /doctors."""
    await _decide(update, context, keyboards.DECISION_OF_ACTION[action], doctor_id)


async def _decide(
    update: Update, context: AskDocContext, decision: Decision, doctor_id: int
) -> None:
    chat = update.effective_chat
    if chat is None:
        await context.reply(update, texts.NO_SUCH_DOCTOR.format(ref=doctor_id))
        return

    def messages_for(found: Doctor) -> list[OutgoingMessage]:
        assert found.telegram_id is not None
        done = texts.DECISION_DONE[decision.value].format(ref=found.id, who=texts.who(found.card))
        return [
            outgoing(found.telegram_id, _news_for_doctor(context, decision)),
            outgoing(chat.id, done),
        ]

    outcome = await registration.decide(context.services, doctor_id, decision, messages_for)
    if isinstance(outcome, registration.NoSuchDoctor):
        await context.reply(update, texts.NO_SUCH_DOCTOR.format(ref=doctor_id))
    elif isinstance(outcome, registration.AlreadyDecided):
        label = texts.STATUS_LABELS.get(outcome.status.value, outcome.status.value)
        await context.reply(
            update, texts.ALREADY_DECIDED.format(ref=outcome.doctor.id, status=label)
        )
    else:
        log.info("an admin decided: %s doctor #%s", decision.value, outcome.doctor.id)
        context.courier.deliver_soon()
        telegram_id = outcome.doctor.telegram_id
        assert telegram_id is not None
        await context.menus.refresh(
            context.bot,
            telegram_id,
            doctor=outcome.status is DoctorStatus.ACTIVE,
            admin=telegram_id in context.settings.admin_ids,
            language=context.language_of(telegram_id),
        )


def _news_for_doctor(context: AskDocContext, decision: Decision) -> str:
    if decision is Decision.APPROVE:
        return texts.APPLICATION_APPROVED.format(help=context.menus.doctor_help())
    if decision is Decision.REJECT:
        return texts.APPLICATION_REJECTED
    if decision is Decision.REVOKE:
        return texts.ACCESS_REVOKED
    return texts.ACCESS_RESTORED.format(help=context.menus.doctor_help())


@admin_only
async def doctors(update: Update, context: AskDocContext) -> None:
    """/doctors: the bot's doctors with status, rating and answers, and what can be done."""
    chat = update.effective_chat
    if chat is None:
        return
    found = await context.store.doctors.of_the_bot()
    if not found:
        await context.reply(update, texts.DOCTORS_EMPTY)
        return
    messages = []
    for start in range(0, len(found), DOCTORS_PER_MESSAGE):
        page = found[start : start + DOCTORS_PER_MESSAGE]
        items = [texts.doctors_item(d.id, d.card, d.status.value, d.answers_given) for d in page]
        if start == 0:
            items.insert(0, texts.DOCTORS_HEADER.format(count=len(found)))
        rows = [
            row
            for row in (
                keyboards.decision_row(d, registration.decisions_for(d), named=True) for d in page
            )
            if row
        ]
        markup = InlineKeyboardMarkup(rows) if rows else None
        messages.append(outgoing(chat.id, "\n\n".join(items), markup))
    await context.courier.post(messages)


@admin_only
async def stats(update: Update, context: AskDocContext) -> None:
    """/stats: questions asked, how they were answered, speed and ratings."""
    figures = await context.store.stats.figures()
    body = texts.statistics(
        asked=figures.asked,
        from_bank=figures.answered_from_bank,
        routed=figures.routed,
        by_doctors=figures.answered_by_doctors,
        median_seconds=figures.median_seconds_to_answer,
        ratings=figures.ratings,
        average_stars=figures.average_stars,
    )
    await context.reply(update, body)
