"""The admins' side and registration by invitation: doctors apply with the operator's code,
admins approve or reject them, revoke or restore them, and see how the bot is doing."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop

from bot import i18n, texts
from bot.flows import moderating, registration
from bot.flows.registration import Decision, Refusal
from bot.handlers import callbacks, doctor, keyboards
from bot.handlers.context import AskDocContext
from bot.handlers.guards import admin_button, admin_only, is_admin, words_of_sender
from bot.handlers.keyboards import outgoing
from bot.models import Doctor, DoctorStatus, OutgoingMessage

log = logging.getLogger(__name__)

# /doctors sends this many doctors per message, each message with its own buttons.
DOCTORS_PER_MESSAGE = 20

# Why someone may not apply, a message in admins.ftl.
_REFUSALS = {
    Refusal.ALREADY_A_DOCTOR: "already-a-doctor",
    Refusal.APPLICATION_WAITING: "application-waiting",
    Refusal.REVOKED: "access-revoked-no-reapply",
}


# --- registration by invitation ----------------------------------------------------------------


async def register(update: Update, context: AskDocContext) -> None:
    """/register CODE: with the operator's invitation code, start an application."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    command = (message.text or "").split(maxsplit=1)
    code = command[1].strip() if len(command) > 1 else ""
    outcome = await registration.start(context.services, user.id, code)
    words = context.words_for(user.id)
    if isinstance(outcome, registration.RegistrationOff):
        await context.reply(update, words("registration-off"))
    elif isinstance(outcome, registration.CodeMissing):
        await context.reply(update, words("register-usage"))
    elif isinstance(outcome, registration.WrongCode):
        log.warning("wrong invitation code (update %s)", update.update_id)
        await context.reply(update, words("register-wrong-code"))
    elif isinstance(outcome, registration.CannotApply):
        await context.reply(update, words(_REFUSALS[outcome.refusal]))
    else:
        await context.reply(update, texts.registration_started(words, outcome.step))


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
    words = context.words_for(user.id)
    if isinstance(outcome, registration.TooLong):
        limit = texts.plain_number(registration.FIELD_LIMIT)
        again = texts.registration_question(words, outcome.step)
        await context.reply(update, f"{words('registration-too-long', limit=limit)}\n\n{again}")
    elif isinstance(outcome, registration.Ask):
        await context.reply(update, texts.registration_question(words, outcome.step))
    elif isinstance(outcome, registration.CannotApply):
        await context.reply(update, words(_REFUSALS[outcome.refusal]))
    else:
        await _send_to_admins(update, context, outcome)
    raise ApplicationHandlerStop


async def _send_to_admins(
    update: Update, context: AskDocContext, submitted: registration.Submitted
) -> None:
    """Every admin gets the application with the buttons to decide, in their language; the
    applicant is told."""
    user = update.effective_user
    assert user is not None
    applied, filled = submitted.doctor, submitted.registration
    name, title, location = filled.name, filled.title, filled.location
    assert name and title and location
    admins = sorted(context.settings.admin_ids)
    if not admins:
        log.warning("doctor #%s applied, but the config lists no admins to decide", applied.id)
    telegram_name = user.full_name + (f" @{user.username}" if user.username else "")
    choices = registration.decisions_for(applied)

    def for_admin(admin_id: int) -> OutgoingMessage:
        words = context.words_for(admin_id)
        body = texts.application_for_admins(
            words, applied.id, name, title, location, telegram_name, user.id
        )
        return outgoing(admin_id, body, keyboards.decisions(words, applied, choices))

    messages = [for_admin(admin_id) for admin_id in admins]
    sent = texts.application_sent(context.words_for(user.id), applied.card)
    messages.append(outgoing(user.id, sent))
    await context.courier.post(messages)


async def cancel(update: Update, context: AskDocContext) -> None:
    """/cancel: drop an application in progress, or an admin's rewrite of a public question;
    otherwise the doctor's /cancel."""
    user = update.effective_user
    if user is not None and await registration.cancel(context.services, user.id):
        await context.reply(update, context.words_for(user.id)("registration-cancelled"))
        return
    if user is not None and is_admin(update, context):
        question_id = await moderating.cancel_rewrite(context.services, user.id)
        if question_id is not None:
            cancelled = context.words_for(user.id)("rewrite-cancelled", ref=str(question_id))
            await context.reply(update, cancelled)
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
    words = words_of_sender(update, context)
    if chat is None:
        await context.reply(update, words("no-such-doctor", ref=str(doctor_id)))
        return

    def messages_for(found: Doctor) -> list[OutgoingMessage]:
        assert found.telegram_id is not None
        done = words(
            "decision-done",
            decision=decision.value,
            ref=str(found.id),
            who=texts.who(found.card),
        )
        news = _news_for_doctor(context, context.words_for(found.telegram_id), decision)
        return [outgoing(found.telegram_id, news), outgoing(chat.id, done)]

    outcome = await registration.decide(context.services, doctor_id, decision, messages_for)
    if isinstance(outcome, registration.NoSuchDoctor):
        await context.reply(update, words("no-such-doctor", ref=str(doctor_id)))
    elif isinstance(outcome, registration.AlreadyDecided):
        status = texts.doctor_status(words, outcome.status.value)
        already = words("already-decided", ref=str(outcome.doctor.id), status=status)
        await context.reply(update, already)
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


def _news_for_doctor(context: AskDocContext, words: i18n.Words, decision: Decision) -> str:
    if decision is Decision.APPROVE:
        return f"{words('application-approved')}\n\n{context.menus.doctor_help(words)}"
    if decision is Decision.REJECT:
        return words("application-rejected")
    if decision is Decision.REVOKE:
        return words("access-revoked")
    return f"{words('access-restored')}\n\n{context.menus.doctor_help(words)}"


@admin_only
async def doctors(update: Update, context: AskDocContext) -> None:
    """/doctors: the bot's doctors with status, rating and answers, and what can be done."""
    chat = update.effective_chat
    if chat is None:
        return
    found = await context.store.doctors.of_the_bot()
    words = words_of_sender(update, context)
    if not found:
        await context.reply(update, words("doctors-empty"))
        return
    messages = []
    for start in range(0, len(found), DOCTORS_PER_MESSAGE):
        page = found[start : start + DOCTORS_PER_MESSAGE]
        items = [
            texts.doctors_item(words, d.id, d.card, d.status.value, d.answers_given) for d in page
        ]
        if start == 0:
            items.insert(0, words("doctors-header", count=texts.plain_number(len(found))))
        rows = [
            row
            for row in (
                keyboards.decision_row(words, d, registration.decisions_for(d), named=True)
                for d in page
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
        words_of_sender(update, context),
        asked=figures.asked,
        from_bank=figures.answered_from_bank,
        routed=figures.routed,
        by_doctors=figures.answered_by_doctors,
        median_seconds=figures.median_seconds_to_answer,
        ratings=figures.ratings,
        average_stars=figures.average_stars,
    )
    await context.reply(update, body)
