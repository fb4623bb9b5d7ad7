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

_MEDIA_KINDS = (
    ("sticker", "stickers"),
    ("photo", "photos"),
    ("voice", "voice messages"),
    ("video_note", "video messages"),
    ("video", "videos"),
    ("audio", "audio files"),
    ("animation", "GIFs"),
    ("document", "files"),
    ("location", "locations"),
    ("contact", "contacts"),
    ("poll", "polls"),
)


async def unknown_command(update: Update, context: AskDocContext) -> None:
    """A command we do not have: say so and point to /help."""
    message = update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "/"
    await context.reply(update, texts.UNKNOWN_COMMAND.format(command=texts.escape(command[:64])))


async def ask(update: Update, context: AskDocContext) -> None:
    """A question in free text: answer it from the bank, or send it to doctors."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    await answer_question(update, context, message.text, notes=[])


async def edited_question(update: Update, context: AskDocContext) -> None:
    """An edited message: treat its new text as the question the patient meant."""
    message = update.edited_message
    if message is None or message.text is None:
        return
    await answer_question(update, context, message.text, notes=[texts.EDITED_QUESTION])


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
    file = file_of(message)
    caption = message.caption or ""
    if file is None:
        kind = next((label for attr, label in _MEDIA_KINDS if getattr(message, attr, None)), "that")
        if caption and terms(caption):
            note = texts.CAPTION_USED.format(kind=kind)
            await answer_question(update, context, caption, notes=[note])
        elif message.document:
            await context.reply(update, texts.FILE_UNSUPPORTED.format(kind="that type of file"))
        else:
            await context.reply(update, texts.ONLY_TEXT.format(kind=kind))
        return
    if terms(caption):
        await answer_question(update, context, caption, notes=[], files=(file,))
        return
    incoming = asking.Incoming(update.update_id, user.id, chat.id, caption, (file,))
    outcome = await attaching.take_up(context.services, incoming)
    if isinstance(outcome, asking.NotAQuestion):
        await _not_a_question(update, context, incoming, outcome, [])
        return
    kind = texts.FILE_NAMES[file.kind.value]
    ref = outcome.asked.id if not isinstance(outcome, attaching.WaitForWords) else 0
    if isinstance(outcome, attaching.Joined):
        template = texts.FILE_JOINED if outcome.asked.routed else texts.FILE_JOINED_NOT_SENT
        messages = [
            outgoing(chat.id, template.format(kind=kind, ref=ref)),
            *replies.files_for_doctors(outcome.doctor_chats, outcome.label, ref, [file]),
        ]
    elif isinstance(outcome, attaching.AskToJoin):
        body = texts.FILE_ASK_TO_JOIN.format(kind=kind, ref=ref)
        messages = [outgoing(chat.id, body, keyboards.join_file(ref))]
    else:
        messages = [outgoing(chat.id, texts.FILE_WHAT_ABOUT.format(kind=kind))]
    if not await attaching.keep(context.services, incoming, outcome, messages):
        log.info("update %s was already taken up; not twice", update.update_id)
    context.courier.deliver_soon()


@user_button(callbacks.FILE_JOIN)
async def join_file(update: Update, context: AskDocContext, user_id: int, asked_id: int) -> None:
    """Yes under "Is this photo about your question?": the waiting files join it."""
    joining = await attaching.join(context.services, user_id, asked_id)
    if joining is None:
        await context.reply(update, texts.FILE_JOIN_GONE)
        return

    def messages_for(file: Attachment) -> list[OutgoingMessage]:
        return replies.files_for_doctors(
            joining.doctor_chats, joining.label, joining.asked.id, [file.file]
        )

    await attaching.settle_join(context.services, joining, messages_for)
    kind = texts.FILE_NAMES[joining.files[-1].file.kind.value]
    template = texts.FILE_JOINED if joining.asked.routed else texts.FILE_JOINED_NOT_SENT
    await context.reply(update, template.format(kind=kind, ref=joining.asked.id))


@user_button(callbacks.FILE_NEW)
async def file_for_new_question(
    update: Update, context: AskDocContext, user_id: int, asked_id: int
) -> None:
    """No under "Is this photo about your question?": the file waits for a new question."""
    kind = await attaching.waiting_kind(context.services, user_id)
    if kind is None:
        await context.reply(update, texts.FILE_JOIN_GONE)
        return
    await context.reply(update, texts.FILE_WHAT_ABOUT.format(kind=texts.FILE_NAMES[kind]))


@user_button(callbacks.OPEN_MATCH)
async def open_match(
    update: Update, context: AskDocContext, user_id: int, question_id: int
) -> None:
    """A close-match button: show that question and its answers."""
    question = await context.store.bank.question(question_id)
    if question is None or not question.answers or question.visibility is not Visibility.PUBLISHED:
        await context.reply(update, texts.OPENED_MATCH_MISSING)
        return
    await context.reply(update, texts.question_page(question), keyboards.report(question.id))


@user_button(callbacks.ASK_A_DOCTOR)
async def ask_a_doctor(update: Update, context: AskDocContext, user_id: int, asked_id: int) -> None:
    """The Ask a doctor button under a bank answer: send the patient's own question to doctors."""
    outcome = await asking.ask_a_doctor(context.services, asked_id, user_id)
    if isinstance(outcome, asking.NotYours):
        await refuse_button(update, context)
    elif isinstance(outcome, asking.AlreadyWithDoctors):
        await context.reply(update, texts.ALREADY_WITH_DOCTORS.format(ref=outcome.asked.id))
    elif isinstance(outcome, asking.Limited):
        # The question had its reply; this one is only for the button pressed.
        limited = replies.limited(outcome, [])
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
    consultations = context.store.consultations
    if not await consultations.rate(parsed.answer_id, user.id, parsed.stars):
        await context.reply(update, texts.RATE_REFUSED)
        return
    found = await consultations.doctor_answer(parsed.answer_id)
    assert found is not None and found.answer.doctor is not None
    await context.reply(
        update, texts.RATED.format(stars=parsed.stars, who=texts.who(found.answer.doctor))
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
    await context.reply(update, texts.FOLLOW_UP_PROMPT.format(who=texts.who(found.answer.doctor)))


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
    notes = [*notes, *(texts.FILE_KEPT.format(kind=texts.FILE_NAMES[f.kind.value]) for f in files)]
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
            lines.append(texts.BLOCKED)
        # The message itself is not kept; only this reply goes out.
        if lines:
            await context.reply(update, "\n\n".join(lines))
    else:
        asked, doctor = outcome.asked, outcome.doctor
        assert doctor.telegram_id is not None  # an active doctor always has one
        body = texts.details_for_doctor(
            outcome.label,
            asked.id,
            outcome.request.question or "",
            outcome.text,
            files=len(outcome.files),
            emergency=outcome.emergency,
        )
        sent = texts.DETAILS_SENT.format(who=texts.who(doctor.card), ref=asked.id)
        lines = [*emergency, *notes]
        messages = [
            outgoing(doctor.telegram_id, body, keyboards.offer(asked.id), about_asked=asked.id),
            *replies.files_for_doctors(
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
    worded = replies.for_asking(outcome, notes, notice)
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
    await context.reply(update, texts.welcome(context.settings.privacy.retention_days))


async def help_command(update: Update, context: AskDocContext) -> None:
    """/help: how to ask, what happens without an answer, and the commands of each role the
    user has."""
    doctor = await active_doctor(update, context)
    body = context.menus.help(
        context.settings.privacy.retention_days,
        doctor=doctor is not None,
        admin=is_admin(update, context),
    )
    await context.reply(update, body)
