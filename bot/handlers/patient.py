"""The patient's side of the chat: ask in free text, get the bank's best answer or a doctor's."""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot import texts
from bot.flows import asking, attaching, details
from bot.handlers import callbacks, keyboards, replies, safety
from bot.handlers.context import AskDocContext
from bot.handlers.guards import acknowledge, active_doctor, is_admin, refuse_button, user_button
from bot.handlers.keyboards import outgoing
from bot.models import Attachment, FileKind, FileRef, OutgoingMessage, Visibility
from bot.terms import terms

log = logging.getLogger(__name__)

# What a message may carry that the bot cannot read, in the order it is looked for (the
# message media-kind names each).
_MEDIA_KINDS = (
    "sticker",
    "photo",
    "voice",
    "video_note",
    "video",
    "audio",
    "animation",
    "document",
    "location",
    "contact",
    "poll",
)


async def unknown_command(update: Update, context: AskDocContext) -> None:
    """A command we do not have: say so and point to /help."""
    message = update.effective_message
    user = update.effective_user
    if user is None:
        return
    command = (message.text or "").split()[0] if message and message.text else "/"
    words = context.words_for(user.id)
    await context.reply(update, words("unknown-command", command=texts.escape(command[:64])))


async def ask(update: Update, context: AskDocContext) -> None:
    """A question in free text: answer it from the bank, or send it to doctors."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    await answer_question(update, context, message.text, notes=[])


async def edited_question(update: Update, context: AskDocContext) -> None:
    """An edited message: treat its new text as the question the patient meant."""
    message = update.edited_message
    user = update.effective_user
    if message is None or message.text is None or user is None:
        return
    note = context.words_for(user.id)("edited-question")
    await answer_question(update, context, message.text, notes=[note])


# Documents doctors can open on any device: PDF and images.
_READABLE_DOCUMENT = ("application/pdf", "image/")


def file_of(message: Message) -> FileRef | None:
    """The photo (its largest size), PDF or image document, or voice message a message
    carries; None for anything else."""
    caption = message.caption or ""
    if message.photo:
        return FileRef(FileKind.PHOTO, message.photo[-1].file_id, caption=caption)
    if message.voice:
        return FileRef(FileKind.VOICE, message.voice.file_id, caption=caption)
    document = message.document
    if document and (document.mime_type or "").startswith(_READABLE_DOCUMENT):
        return FileRef(FileKind.DOCUMENT, document.file_id, document.file_name, caption)
    return None


async def media(update: Update, context: AskDocContext) -> None:
    """Photos, PDFs and voice messages go to doctors with the question; stickers and the rest
    get a request for words (or their caption is used)."""
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if message is None or user is None or chat is None:
        return
    words = context.words_for(user.id)
    file = file_of(message)
    caption = message.caption or ""
    if file is None:
        media = next((kind for kind in _MEDIA_KINDS if getattr(message, kind, None)), "other")
        kind = words("media-kind", kind=media)
        if caption and terms(caption):
            await answer_question(
                update, context, caption, notes=[words("caption-used", kind=kind)]
            )
        elif message.document:
            await context.reply(update, words("file-unsupported"))
        else:
            await context.reply(update, words("only-text", kind=kind))
        return
    if terms(caption):
        await answer_question(update, context, caption, notes=[], files=(file,))
        return
    incoming = asking.Incoming(update.update_id, user.id, chat.id, caption, (file,))
    outcome = await attaching.take_up(context.services, incoming)
    if isinstance(outcome, asking.NotAQuestion):
        await _not_a_question(update, context, incoming, outcome, [])
        return
    kind = file.kind.value
    ref = outcome.asked.id if not isinstance(outcome, attaching.WaitForWords) else 0
    if isinstance(outcome, attaching.Joined):
        joined = "file-joined" if outcome.asked.routed else "file-joined-not-sent"
        messages = [
            outgoing(chat.id, words(joined, kind=kind, ref=str(ref))),
            *replies.files_for_doctors(
                context.words_for, outcome.doctor_chats, outcome.label, ref, [file]
            ),
        ]
    elif isinstance(outcome, attaching.AskToJoin):
        body = words("file-ask-to-join", kind=kind, ref=str(ref))
        messages = [outgoing(chat.id, body, keyboards.join_file(words, ref))]
    else:
        messages = [outgoing(chat.id, words("file-what-about", kind=kind))]
    if not await attaching.keep(context.services, incoming, outcome, messages):
        log.info("update %s was already taken up; not twice", update.update_id)
    context.courier.deliver_soon()


@user_button(callbacks.FILE_JOIN)
async def join_file(update: Update, context: AskDocContext, user_id: int, asked_id: int) -> None:
    """Yes under "Is this photo about your question?": the waiting files join it."""
    words = context.words_for(user_id)
    joining = await attaching.join(context.services, user_id, asked_id)
    if joining is None:
        await context.reply(update, words("file-join-gone"))
        return

    def messages_for(file: Attachment) -> list[OutgoingMessage]:
        return replies.files_for_doctors(
            context.words_for, joining.doctor_chats, joining.label, joining.asked.id, [file.file]
        )

    await attaching.settle_join(context.services, joining, messages_for)
    kind = joining.files[-1].file.kind.value
    joined = "file-joined" if joining.asked.routed else "file-joined-not-sent"
    await context.reply(update, words(joined, kind=kind, ref=str(joining.asked.id)))


@user_button(callbacks.FILE_NEW)
async def file_for_new_question(
    update: Update, context: AskDocContext, user_id: int, asked_id: int
) -> None:
    """No under "Is this photo about your question?": the file waits for a new question."""
    words = context.words_for(user_id)
    kind = await attaching.waiting_kind(context.services, user_id)
    if kind is None:
        await context.reply(update, words("file-join-gone"))
        return
    await context.reply(update, words("file-what-about", kind=kind))


@user_button(callbacks.OPEN_MATCH)
async def open_match(
    update: Update, context: AskDocContext, user_id: int, question_id: int
) -> None:
    """A close-match button: show that question and its answers."""
    words = context.words_for(user_id)
    question = await context.store.bank.question(question_id)
    if question is None or not question.answers or question.visibility is not Visibility.PUBLISHED:
        await context.reply(update, words("opened-match-missing"))
        return
    page = texts.question_page(words, question)
    await context.reply(update, page, keyboards.report(words, question.id))


@user_button(callbacks.ASK_A_DOCTOR)
async def ask_a_doctor(update: Update, context: AskDocContext, user_id: int, asked_id: int) -> None:
    """The Ask a doctor button under a bank answer: send the patient's own question to doctors."""
    outcome = await asking.ask_a_doctor(context.services, asked_id, user_id)
    if isinstance(outcome, asking.NotYours):
        await refuse_button(update, context)
    elif isinstance(outcome, asking.AlreadyWithDoctors):
        words = context.words_for(user_id)
        await context.reply(update, words("already-with-doctors", ref=str(outcome.asked.id)))
    elif isinstance(outcome, asking.Limited):
        # The question had its reply; this one is only for the button pressed.
        limited = replies.limited(context.words_for(user_id), outcome, [])
        await context.courier.post([limited])
    else:
        await _settle(context, outcome, [])


async def rate(update: Update, context: AskDocContext) -> None:
    """A star button under a doctor's answer: counts once per patient per answer."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    await acknowledge(query)
    parsed = callbacks.rating(query.data)
    if parsed is None:
        await refuse_button(update, context)
        return
    words = context.words_for(user.id)
    consultations = context.store.consultations
    if not await consultations.rate(parsed.answer_id, user.id, parsed.stars):
        await context.reply(update, words("rate-refused"))
        return
    found = await consultations.doctor_answer(parsed.answer_id)
    assert found is not None and found.answer.doctor is not None
    await context.reply(
        update, words("rated", stars=parsed.stars, who=texts.who(found.answer.doctor))
    )


@user_button(callbacks.FOLLOW_UP)
async def follow_up(update: Update, context: AskDocContext, user_id: int, answer_id: int) -> None:
    """The Ask a follow-up button: the patient's next message goes to the same doctor."""
    consultations = context.store.consultations
    found = await consultations.doctor_answer(answer_id)
    if found is None or found.asked.patient_id != user_id or found.answer.doctor is None:
        await refuse_button(update, context)
        return
    await consultations.set_follow_up(user_id, found.answer.id)
    words = context.words_for(user_id)
    await context.reply(update, words("follow-up-prompt", who=texts.who(found.answer.doctor)))


async def answer_question(
    update: Update,
    context: AskDocContext,
    text: str,
    notes: list[str],
    files: tuple[FileRef, ...] = (),
) -> None:
    """Store the question, then answer it from the bank or send it to doctors; every reply
    goes through the outbox in the same transaction as the decision."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    incoming = asking.Incoming(update.update_id, user.id, chat.id, text, files)
    outcome = await asking.take_up(context.services, incoming)
    if isinstance(outcome, asking.NotAQuestion):
        await _not_a_question(update, context, incoming, outcome, notes)
        return
    words = context.words_for(user.id)
    notes = [*notes, *(words("file-kept", kind=file.kind.value) for file in files)]
    if isinstance(outcome, asking.AlreadyAnswered):
        log.info("update %s was already answered; not answering twice", update.update_id)
        context.courier.deliver_soon()
        return
    await _settle(context, outcome, notes)


async def _not_a_question(
    update: Update,
    context: AskDocContext,
    incoming: asking.Incoming,
    outcome: asking.NotAQuestion,
    notes: list[str],
) -> None:
    """A message that is no question: a blocked patient's (not kept), a reply to a doctor's
    request for details (it goes to that doctor), or an update taken up already."""
    flagged = not isinstance(outcome, asking.Duplicate) and outcome.emergency
    emergency = [await safety.emergency_notice(context, incoming.patient_id)] if flagged else []
    if isinstance(outcome, asking.Duplicate):
        context.courier.deliver_soon()
    elif isinstance(outcome, asking.Blocked):
        lines = list(emergency)
        if outcome.first:
            lines.append(context.words_for(incoming.patient_id)("blocked"))
        # The message itself is not kept; only this reply goes out.
        if lines:
            await context.reply(update, "\n\n".join(lines))
    else:
        asked, doctor = outcome.asked, outcome.doctor
        assert doctor.telegram_id is not None  # an active doctor always has one
        doctor_words = context.words_for(doctor.telegram_id)
        body = texts.details_for_doctor(
            doctor_words,
            outcome.label,
            asked.id,
            outcome.request.question or "",
            outcome.text,
            files=len(outcome.files),
            emergency=outcome.emergency,
        )
        words = context.words_for(incoming.patient_id)
        sent = words("details-sent", who=texts.who(doctor.card), ref=str(asked.id))
        lines = [*emergency, *notes]
        messages = [
            outgoing(
                doctor.telegram_id,
                body,
                keyboards.offer(doctor_words, asked.id),
                about_asked=asked.id,
            ),
            *replies.files_for_doctors(
                context.words_for,
                [doctor.telegram_id],
                outcome.label,
                asked.id,
                outcome.files,
            ),
            outgoing(incoming.chat_id, texts.with_notes(lines, sent)),
        ]
        await details.send_reply(
            context.services, outcome, incoming.patient_id, incoming.update_id, messages
        )
        context.courier.deliver_soon()


async def resume_unsettled(context: AskDocContext) -> None:
    """Job: take up again the questions stored but never answered. Telegram does not deliver
    an update again once the bot has polled past it, so a crash between storing a question and
    answering it would otherwise leave the patient without a reply. `job.data` is how old a
    question must be (seconds), so that one a handler is still working on is left to it."""
    data = context.job.data if context.job else None
    older_than = data if isinstance(data, float) else 0.0
    waiting = await asking.unsettled(context.services, older_than)
    for asked in waiting:
        await _settle(context, await asking.decide(context.services, asked), [])
    if waiting:
        log.info("took up %d stored questions that had no reply", len(waiting))


async def _settle(context: AskDocContext, outcome: asking.Outcome, notes: list[str]) -> None:
    """Word the outcome's messages, record them with it, and start delivering."""
    asked = outcome.asked
    emergency = not isinstance(outcome, asking.AlreadyAnswered) and outcome.flags.emergency
    notice = await safety.emergency_notice(context, asked.patient_id) if emergency else ""
    worded = replies.for_asking(
        context.words_for(asked.patient_id), outcome, notes, notice, context.words_for
    )
    replies_out = list(worded.replies)
    if emergency and worded.replies:
        # After the reply, so the emergency notice is what the notification shows.
        question = await safety.country_question_once(context, asked.patient_id, asked.chat_id)
        if question is not None:
            replies_out.append(question)
    if not await asking.settle(context.services, outcome, replies_out, worded.offers):
        log.info("question %s was answered meanwhile; not answering twice", asked.id)
    context.courier.deliver_soon()


async def start(update: Update, context: AskDocContext) -> None:
    """/start: what the bot does and how to ask."""
    user = update.effective_user
    if user is None:
        return
    words = context.words_for(user.id)
    await context.reply(update, texts.welcome(words, context.settings.privacy.retention_days))


async def help_command(update: Update, context: AskDocContext) -> None:
    """/help: how to ask, what happens without an answer, and the commands of each role the
    user has."""
    user = update.effective_user
    if user is None:
        return
    doctor = await active_doctor(update, context)
    body = context.menus.help(
        context.words_for(user.id),
        context.settings.privacy.retention_days,
        doctor=doctor is not None,
        admin=is_admin(update, context),
    )
    await context.reply(update, body)
