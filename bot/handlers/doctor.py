"""The doctor's side: take a question, write an answer, check the preview, send it."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.handlers import callbacks
from bot.handlers.context import AskDocContext
from bot.handlers.delivery import outgoing
from bot.models import Doctor, DoctorStatus, Draft, OutgoingMessage, PublishedAnswer

log = logging.getLogger(__name__)


async def _active_doctor(update: Update, context: AskDocContext) -> Doctor | None:
    user = update.effective_user
    if user is None:
        return None
    doctor = await context.repository.doctor_by_telegram_id(user.id)
    return doctor if doctor is not None and doctor.status is DoctorStatus.ACTIVE else None


async def _tell(
    context: AskDocContext,
    doctor: Doctor | int,
    body_html: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    chat_id = doctor if isinstance(doctor, int) else doctor.telegram_id
    assert chat_id is not None
    await context.courier.post([outgoing(chat_id, body_html, markup)])


async def _refuse(update: Update, context: AskDocContext) -> None:
    log.warning("refused a doctor's action from a non-doctor (update %s)", update.update_id)
    if update.effective_chat is not None:
        await _tell(context, update.effective_chat.id, texts.NOT_A_DOCTOR)


async def _doctor_pressed(
    update: Update, context: AskDocContext, *prefixes: str
) -> tuple[Doctor, str, int] | None:
    """Acknowledge a button press and return who pressed it, the action and its number, when
    an active doctor pressed one of our buttons; refuse anything else."""
    query = update.callback_query
    if query is None:
        return None
    await query.answer()
    doctor = await _active_doctor(update, context)
    action = callbacks.prefix_of(query.data)
    number = callbacks.number(query.data, action) if action in prefixes else None
    if doctor is None or action is None or number is None:
        await _refuse(update, context)
        return None
    return doctor, action, number


async def doctor_text(update: Update, context: AskDocContext) -> None:
    """Text from a doctor that is an answer: a reply to a question, or the text the bot asked
    for. Anything else falls through to the patient handlers (doctors may ask too)."""
    message = update.effective_message
    if message is None or message.text is None or message.text.startswith("/"):
        return
    doctor = await _active_doctor(update, context)
    if doctor is None:
        return
    repository = context.repository
    replied_to = message.reply_to_message
    asked_id = (
        await repository.offer_by_message(doctor.id, replied_to.message_id) if replied_to else None
    )
    if asked_id is not None:
        draft = Draft(doctor_id=doctor.id, asked_id=asked_id, answer_id=None, body=None)
    else:
        existing = await repository.draft(doctor.id)
        if existing is None or existing.body is not None:
            return
        draft = existing
    settings = context.settings
    if draft.answer_id is None and not await repository.may_answer(
        doctor.id, draft.asked_id, settings.routing.answers_per_question
    ):
        await _tell(context, doctor, texts.QUESTION_CLOSED.format(ref=draft.asked_id))
        raise ApplicationHandlerStop
    body = message.text.strip()
    draft = Draft(doctor.id, draft.asked_id, draft.answer_id, body)
    await repository.save_draft(draft)
    await _preview(context, doctor, draft)
    raise ApplicationHandlerStop


async def _preview(context: AskDocContext, doctor: Doctor, draft: Draft) -> None:
    assert draft.body is not None
    asked = await context.repository.get_asked_question(draft.asked_id)
    assert asked is not None
    label = await context.repository.patient_label(asked.patient_id)
    body = texts.answer_preview(
        doctor.card, label, asked.id, draft.body, revision=draft.answer_id is not None
    )
    await _tell(context, doctor, body, callbacks.preview_buttons(asked.id))


async def take_question(update: Update, context: AskDocContext) -> None:
    """Answer button: the bot asks for the text."""
    pressed = await _doctor_pressed(update, context, callbacks.ANSWER)
    if pressed is None:
        return
    doctor, _, asked_id = pressed
    if not await context.repository.may_answer(
        doctor.id, asked_id, context.settings.routing.answers_per_question
    ):
        await _tell(context, doctor, texts.QUESTION_CLOSED.format(ref=asked_id))
        return
    await context.repository.save_draft(Draft(doctor.id, asked_id, None, None))
    await _tell(context, doctor, texts.ASK_FOR_ANSWER.format(ref=asked_id))


async def skip_question(update: Update, context: AskDocContext) -> None:
    """Skip button: this doctor passes; the question stays with the others."""
    pressed = await _doctor_pressed(update, context, callbacks.SKIP)
    if pressed is None:
        return
    doctor, _, asked_id = pressed
    if await context.repository.get_asked_question(asked_id) is None:
        await _refuse(update, context)
        return
    await context.repository.skip_offer(doctor.id, asked_id)
    await _tell(context, doctor, texts.SKIPPED.format(ref=asked_id))


async def preview_action(update: Update, context: AskDocContext) -> None:
    """Send, Edit or Cancel under a preview."""
    pressed = await _doctor_pressed(
        update, context, callbacks.SEND, callbacks.EDIT, callbacks.CANCEL
    )
    if pressed is None:
        return
    doctor, action, asked_id = pressed
    repository = context.repository
    draft = await repository.draft(doctor.id)
    if draft is None or draft.asked_id != asked_id or draft.body is None:
        await _tell(
            context,
            doctor,
            texts.NOTHING_TO_CANCEL if action == callbacks.CANCEL else texts.DRAFT_CANCELLED,
        )
        return
    if action == callbacks.CANCEL:
        await repository.discard_draft(doctor.id)
        await _tell(context, doctor, texts.DRAFT_CANCELLED)
    elif action == callbacks.EDIT:
        await repository.save_draft(Draft(doctor.id, asked_id, draft.answer_id, None))
        prompt = texts.ASK_FOR_REVISION if draft.answer_id else texts.ASK_FOR_ANSWER
        await _tell(context, doctor, prompt.format(ref=draft.answer_id or asked_id))
    elif draft.answer_id is not None:
        await _revise(context, doctor, draft.answer_id, draft.body)
    else:
        await _publish(context, doctor, asked_id, draft.body)


async def _publish(context: AskDocContext, doctor: Doctor, asked_id: int, body: str) -> None:
    repository = context.repository
    needed = context.settings.routing.answers_per_question
    asked = await repository.get_asked_question(asked_id)
    assert asked is not None and doctor.telegram_id is not None
    label = await repository.patient_label(asked.patient_id)

    def messages_for(published: PublishedAnswer) -> list[OutgoingMessage]:
        assert doctor.telegram_id is not None
        messages = [
            outgoing(
                asked.chat_id,
                texts.answer_for_patient(asked.text, doctor.card, body),
                callbacks.answer_buttons(published.answer_id),
            ),
            outgoing(doctor.telegram_id, texts.ANSWER_SENT.format(label=texts.escape(label))),
        ]
        closed_text = texts.offer_closed(label, asked.id, asked.text, published.answer_count)
        messages += [
            OutgoingMessage(chat_id=chat_id, body_html=closed_text, edit_of=outbox_id)
            for outbox_id, chat_id in published.closed_offers
        ]
        return messages

    if await repository.publish_answer(doctor.id, asked_id, body, needed, messages_for) is None:
        await repository.discard_draft(doctor.id)
        await _tell(context, doctor, texts.QUESTION_CLOSED.format(ref=asked_id))
        return
    context.courier.deliver_soon()


async def _revise(context: AskDocContext, doctor: Doctor, answer_id: int, body: str) -> None:
    repository = context.repository
    found = await repository.doctor_answer(answer_id)
    if found is None or found[1] != doctor.id:
        await _tell(context, doctor, texts.NOT_YOUR_ANSWER)
        return
    _, _, asked = found
    assert doctor.telegram_id is not None
    messages = [
        outgoing(
            asked.chat_id,
            texts.answer_for_patient(asked.text, doctor.card, body, updated=True),
            callbacks.answer_buttons(answer_id),
        ),
        outgoing(doctor.telegram_id, texts.REVISION_SENT.format(ref=answer_id)),
    ]
    await repository.revise_answer(answer_id, body, messages)
    context.courier.deliver_soon()


async def revise_answer(update: Update, context: AskDocContext) -> None:
    """Edit button under one of the doctor's answers in /answers."""
    pressed = await _doctor_pressed(update, context, callbacks.REVISE)
    if pressed is None:
        return
    doctor, _, answer_id = pressed
    found = await context.repository.doctor_answer(answer_id)
    if found is None or found[1] != doctor.id:
        await _tell(context, doctor, texts.NOT_YOUR_ANSWER)
        return
    await context.repository.save_draft(Draft(doctor.id, found[2].id, answer_id, None))
    await _tell(context, doctor, texts.ASK_FOR_REVISION.format(ref=answer_id))


async def cancel(update: Update, context: AskDocContext) -> None:
    """/cancel: drop the answer being written."""
    doctor = await _active_doctor(update, context)
    if doctor is None:
        await _refuse(update, context)
        return
    if await context.repository.draft(doctor.id) is None:
        await _tell(context, doctor, texts.NOTHING_TO_CANCEL)
        return
    await context.repository.discard_draft(doctor.id)
    await _tell(context, doctor, texts.DRAFT_CANCELLED)


async def queue(update: Update, context: AskDocContext) -> None:
    """/queue: questions this doctor may take, each with an Answer button."""
    doctor = await _active_doctor(update, context)
    if doctor is None:
        await _refuse(update, context)
        return
    repository = context.repository
    waiting = await repository.answerable_questions(
        doctor.id, context.settings.routing.answers_per_question
    )
    if not waiting:
        await _tell(context, doctor, texts.QUEUE_EMPTY)
        return
    items = []
    rows = []
    for asked in waiting:
        label = await repository.patient_label(asked.patient_id)
        items.append(texts.queue_item(label, asked.id, asked.text))
        rows.append(
            [
                InlineKeyboardButton(
                    f"{texts.ANSWER_BUTTON} #{asked.id}",
                    callback_data=callbacks.make(callbacks.ANSWER, asked.id),
                ),
                InlineKeyboardButton(
                    f"{texts.SKIP_BUTTON} #{asked.id}",
                    callback_data=callbacks.make(callbacks.SKIP, asked.id),
                ),
            ]
        )
    body = "\n\n".join([texts.QUEUE_HEADER.format(count=len(waiting)), *items])
    await _tell(context, doctor, body, InlineKeyboardMarkup(rows))


async def my_answers(update: Update, context: AskDocContext) -> None:
    """/answers: the doctor's own answers, each with an Edit button."""
    doctor = await _active_doctor(update, context)
    if doctor is None:
        await _refuse(update, context)
        return
    answers = await context.repository.answers_by_doctor(doctor.id)
    if not answers:
        await _tell(context, doctor, texts.ANSWERS_EMPTY)
        return
    body = "\n\n".join(
        [texts.ANSWERS_HEADER, *(texts.answers_item(ref, q, a) for ref, q, a in answers)]
    )
    rows = [
        [
            InlineKeyboardButton(
                texts.REVISE_BUTTON.format(ref=ref),
                callback_data=callbacks.make(callbacks.REVISE, ref),
            )
        ]
        for ref, _, _ in answers
    ]
    await _tell(context, doctor, body, InlineKeyboardMarkup(rows))


async def profile(update: Update, context: AskDocContext) -> None:
    """/profile: the doctor's card as patients see it."""
    doctor = await _active_doctor(update, context)
    if doctor is None:
        await _refuse(update, context)
        return
    await _tell(
        context, doctor, texts.profile(doctor.card, doctor.specialties, doctor.answers_given)
    )
