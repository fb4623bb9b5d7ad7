"""The admins' side and registration by invitation: doctors apply with the operator's code,
admins approve or reject them, revoke or restore them, and see how the bot is doing."""

from __future__ import annotations

import dataclasses
import logging
import secrets

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.handlers import callbacks, doctor, patient
from bot.handlers.context import AskDocContext
from bot.handlers.delivery import outgoing
from bot.models import Doctor, DoctorProfile, DoctorStatus, OutgoingMessage, Registration

log = logging.getLogger(__name__)

# What an application asks for, in order; progress is stored after each answer.
_STEPS = ("name", "title", "location")

# /doctors sends this many doctors per message, each message with its own buttons.
DOCTORS_PER_MESSAGE = 20

# An admin's decision: the status it sets, and the statuses it may change.
_DECISIONS: dict[str, tuple[DoctorStatus, tuple[DoctorStatus, ...]]] = {
    callbacks.APPROVE: (DoctorStatus.ACTIVE, (DoctorStatus.PENDING,)),
    callbacks.REJECT: (DoctorStatus.REJECTED, (DoctorStatus.PENDING,)),
    callbacks.REVOKE: (DoctorStatus.REVOKED, (DoctorStatus.ACTIVE,)),
    callbacks.RESTORE: (DoctorStatus.ACTIVE, (DoctorStatus.REVOKED, DoctorStatus.REJECTED)),
}


def _is_admin(update: Update, context: AskDocContext) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.settings.admin_ids


async def _refuse(update: Update, context: AskDocContext) -> None:
    log.warning("refused an admin action from a non-admin (update %s)", update.update_id)
    await context.reply(update, texts.NOT_AN_ADMIN)


# --- registration by invitation ----------------------------------------------------------------


async def register(update: Update, context: AskDocContext) -> None:
    """/register CODE: with the operator's invitation code, start an application."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    code = context.settings.routing.invite_code
    if code is None:
        await context.reply(update, texts.REGISTRATION_OFF)
        return
    words = (message.text or "").split(maxsplit=1)
    given = words[1].strip() if len(words) > 1 else ""
    if not given:
        await context.reply(update, texts.REGISTER_USAGE)
        return
    if not secrets.compare_digest(given.encode(), code.encode()):
        log.warning("wrong invitation code (update %s)", update.update_id)
        await context.reply(update, texts.REGISTER_WRONG_CODE)
        return
    repository = context.repository
    existing = await repository.doctor_by_telegram_id(user.id)
    refusal = _cannot_apply(existing)
    if refusal is not None:
        await context.reply(update, refusal)
        return
    registration = await repository.registration(user.id)
    if registration is None or registration.step not in _STEPS:
        registration = Registration(user.id, _STEPS[0], None, None, None)
        await repository.save_registration(registration)
    body = f"{texts.REGISTRATION_STARTED}\n\n{texts.REGISTRATION_ASK[registration.step]}"
    await context.reply(update, body)


def _cannot_apply(existing: Doctor | None) -> str | None:
    """Why this user may not apply, or None when they may (new, or rejected before)."""
    if existing is None or existing.status in (DoctorStatus.REJECTED, DoctorStatus.AUTHOR):
        return None
    if existing.status is DoctorStatus.ACTIVE:
        return texts.ALREADY_A_DOCTOR
    if existing.status is DoctorStatus.PENDING:
        return texts.APPLICATION_WAITING
    return texts.ACCESS_REVOKED_NO_REAPPLY


async def registration_text(update: Update, context: AskDocContext) -> None:
    """Text from someone in the middle of an application: the answer to the step asked.
    Anything else falls through to the patient side."""
    message = update.effective_message
    user = update.effective_user
    if message is None or message.text is None or user is None or message.text.startswith("/"):
        return
    repository = context.repository
    registration = await repository.registration(user.id)
    if registration is None or registration.step not in _STEPS:
        return
    value = " ".join(message.text.split())
    step = registration.step
    if len(value) > texts.REGISTRATION_FIELD_LIMIT:
        too_long = texts.REGISTRATION_TOO_LONG.format(limit=texts.REGISTRATION_FIELD_LIMIT)
        await context.reply(update, f"{too_long}\n\n{texts.REGISTRATION_ASK[step]}")
        raise ApplicationHandlerStop
    filled = Registration(
        registration.telegram_id,
        step,
        value if step == "name" else registration.name,
        value if step == "title" else registration.title,
        value if step == "location" else registration.location,
    )
    if step != _STEPS[-1]:
        following = _STEPS[_STEPS.index(step) + 1]
        await repository.save_registration(dataclasses.replace(filled, step=following))
        await context.reply(update, texts.REGISTRATION_ASK[following])
        raise ApplicationHandlerStop
    await _submit(update, context, filled)
    raise ApplicationHandlerStop


async def _submit(update: Update, context: AskDocContext, registration: Registration) -> None:
    """Store the application as pending and send it to every admin."""
    user = update.effective_user
    assert user is not None
    assert registration.name and registration.title and registration.location
    repository = context.repository
    applied = await repository.apply_as_doctor(
        DoctorProfile(
            telegram_id=user.id,
            name=registration.name,
            title=registration.title,
            location=registration.location,
        )
    )
    if applied.status is not DoctorStatus.PENDING:
        # Became a doctor (or was revoked) while applying: the application changed nothing.
        await context.reply(update, _cannot_apply(applied) or texts.ALREADY_A_DOCTOR)
        return
    admins = sorted(context.settings.admin_ids)
    if not admins:
        log.warning("doctor #%s applied, but the config lists no admins to decide", applied.id)
    telegram_name = user.full_name + (f" @{user.username}" if user.username else "")
    for_admins = texts.application_for_admins(
        applied.id,
        registration.name,
        registration.title,
        registration.location,
        telegram_name,
        user.id,
    )
    buttons = _buttons_for(applied)
    messages = [outgoing(admin_id, for_admins, buttons) for admin_id in admins]
    messages.append(
        outgoing(user.id, texts.APPLICATION_SENT.format(card=texts.doctor_card(applied.card)))
    )
    await context.courier.post(messages)


async def cancel(update: Update, context: AskDocContext) -> None:
    """/cancel: drop an application in progress; otherwise the doctor's /cancel."""
    user = update.effective_user
    if user is not None and await context.repository.discard_registration(user.id):
        await context.reply(update, texts.REGISTRATION_CANCELLED)
        return
    await doctor.cancel(update, context)


# --- admins' decisions -------------------------------------------------------------------------


def _buttons_for(found: Doctor) -> InlineKeyboardMarkup | None:
    """What an admin can do to this doctor now."""
    row = _button_row(found)
    return InlineKeyboardMarkup([row]) if row else None


def _button_row(found: Doctor, *, named: bool = False) -> list[InlineKeyboardButton]:
    if found.status is DoctorStatus.PENDING:
        actions = [
            (texts.APPROVE_BUTTON, callbacks.APPROVE),
            (texts.REJECT_BUTTON, callbacks.REJECT),
        ]
    elif found.status is DoctorStatus.ACTIVE:
        actions = [(texts.REVOKE_BUTTON, callbacks.REVOKE)]
    elif found.status in (DoctorStatus.REVOKED, DoctorStatus.REJECTED):
        actions = [(texts.RESTORE_BUTTON, callbacks.RESTORE)]
    else:
        actions = []
    return [
        InlineKeyboardButton(
            texts.doctor_button(label, found.id, found.card) if named else label,
            callback_data=callbacks.make(action, found.id),
        )
        for label, action in actions
    ]


async def decide_application(update: Update, context: AskDocContext) -> None:
    """Approve or Reject under an application."""
    await _decide(update, context, (callbacks.APPROVE, callbacks.REJECT))


async def change_access(update: Update, context: AskDocContext) -> None:
    """Revoke or Restore under a doctor in /doctors."""
    await _decide(update, context, (callbacks.REVOKE, callbacks.RESTORE))


async def _decide(update: Update, context: AskDocContext, allowed: tuple[str, ...]) -> None:
    query = update.callback_query
    if query is None:
        return
    action = callbacks.prefix_of(query.data)
    doctor_id = callbacks.number(query.data, action or "")
    if action not in allowed or doctor_id is None:
        await patient.unknown_button(update, context)
        return
    await query.answer()
    if not _is_admin(update, context):
        await _refuse(update, context)
        return
    chat = update.effective_chat
    repository = context.repository
    found = await repository.get_doctor(doctor_id)
    if chat is None or found is None or found.telegram_id is None:
        await context.reply(update, texts.NO_SUCH_DOCTOR.format(ref=doctor_id))
        return
    status, only_from = _DECISIONS[action]
    done = texts.DECISION_DONE[action].format(ref=found.id, who=texts.who(found.card))
    messages: list[OutgoingMessage] = [
        outgoing(found.telegram_id, _news_for_doctor(action)),
        outgoing(chat.id, done),
    ]
    if await repository.change_doctor_status(
        found.id, status, only_from=only_from, messages=messages
    ):
        log.info("admin %s: %s doctor #%s", chat.id, action, found.id)
        context.courier.deliver_soon()
        return
    now = await repository.get_doctor(found.id)
    current = (now or found).status.value
    label = texts.STATUS_LABELS.get(current, current)
    await context.reply(update, texts.ALREADY_DECIDED.format(ref=found.id, status=label))


def _news_for_doctor(action: str) -> str:
    if action == callbacks.APPROVE:
        return texts.APPLICATION_APPROVED.format(help=texts.DOCTOR_HELP)
    if action == callbacks.REJECT:
        return texts.APPLICATION_REJECTED
    if action == callbacks.REVOKE:
        return texts.ACCESS_REVOKED
    return texts.ACCESS_RESTORED.format(help=texts.DOCTOR_HELP)


async def doctors(update: Update, context: AskDocContext) -> None:
    """/doctors: the bot's doctors with status, rating and answers, and what can be done."""
    if not _is_admin(update, context):
        await _refuse(update, context)
        return
    chat = update.effective_chat
    if chat is None:
        return
    found = await context.repository.bot_doctors()
    if not found:
        await context.reply(update, texts.DOCTORS_EMPTY)
        return
    messages = []
    for start in range(0, len(found), DOCTORS_PER_MESSAGE):
        page = found[start : start + DOCTORS_PER_MESSAGE]
        items = [texts.doctors_item(d.id, d.card, d.status.value, d.answers_given) for d in page]
        if start == 0:
            items.insert(0, texts.DOCTORS_HEADER.format(count=len(found)))
        rows = [row for row in (_button_row(d, named=True) for d in page) if row]
        markup = InlineKeyboardMarkup(rows) if rows else None
        messages.append(outgoing(chat.id, "\n\n".join(items), markup))
    await context.courier.post(messages)


async def stats(update: Update, context: AskDocContext) -> None:
    """/stats: questions asked, how they were answered, speed and ratings."""
    if not _is_admin(update, context):
        await _refuse(update, context)
        return
    figures = await context.repository.statistics()

    def whole(key: str) -> int:
        return int(figures.get(key) or 0)

    def decimal(key: str) -> float | None:
        value = figures.get(key)
        return float(value) if value is not None else None

    body = texts.statistics(
        asked=whole("asked"),
        from_bank=whole("answered_from_bank"),
        routed=whole("routed"),
        by_doctors=whole("answered_by_doctors"),
        median_seconds=decimal("median_seconds_to_answer"),
        ratings=whole("ratings"),
        average_stars=decimal("average_stars"),
    )
    await context.reply(update, body)
