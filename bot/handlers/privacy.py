"""What a patient can see and erase of what AskDoc keeps, and the retention limit that erases
the same way on its own."""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable

from telegram import InputFile, Update
from telegram.error import TelegramError

from bot import texts
from bot.handlers import callbacks, keyboards
from bot.handlers.context import AskDocContext
from bot.handlers.guards import refuse_button, user_button
from bot.models import OutgoingMessage, Visibility
from bot.store import DoctorCopy

log = logging.getLogger(__name__)

EXPORT_FILE_NAME = "askdoc-my-data.json"
# The retention job runs this often, or twice within the retention limit when that is shorter.
RETENTION_CHECK_SECONDS = 24 * 3600.0


async def privacy(update: Update, context: AskDocContext) -> None:
    """/privacy: what is kept, who sees it, for how long, and how to see or erase it."""
    user = update.effective_user
    if user is None:
        return
    settings = context.settings
    body = texts.privacy(
        context.words_for(user.id),
        settings.privacy.retention_days,
        review_by_admin=settings.publishing.review == "admin",
    )
    await context.reply(update, body)


@user_button(callbacks.KEEP_PRIVATE)
async def keep_private(update: Update, context: AskDocContext, user_id: int, asked_id: int) -> None:
    """Keep private under the news that a question went to doctors."""
    before = await context.store.consultations.keep_private(asked_id, user_id)
    if before is None:
        await refuse_button(update, context)
        return
    withdrawn = before in (Visibility.PUBLISHED, Visibility.REVIEW)
    done = "kept-private-withdrawn" if withdrawn else "kept-private"
    await context.reply(update, context.words_for(user_id)(done, ref=str(asked_id)))


async def my_data(update: Update, context: AskDocContext) -> None:
    """/mydata: everything kept about the patient, as a JSON file."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    words = context.words_for(user.id)
    exported = await context.store.privacy.export(user.id)
    questions = exported["questions"]
    kept_files = "files_waiting_for_a_question" in exported
    if not questions and exported["label_doctors_see"] is None and not kept_files:
        await context.reply(update, words("mydata-nothing"))
        return
    exported = {
        "exported_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "about": words("mydata-about"),
        **exported,
    }
    document = json.dumps(exported, ensure_ascii=False, indent=2).encode("utf-8")
    caption = words("mydata-caption", questions=len(questions))
    try:
        await context.bot.send_document(
            chat.id,
            InputFile(document, filename=EXPORT_FILE_NAME),
            caption=caption,
            protect_content=True,
        )
    except TelegramError as error:
        # Nothing is lost: the data stays where it was, and /mydata can be sent again.
        log.warning("could not send a data export: %s", error.message)
        await context.reply(update, words("internal-error"))


async def forget(update: Update, context: AskDocContext) -> None:
    """/forget: ask first, with the one button that erases."""
    user = update.effective_user
    if user is None:
        return
    words = context.words_for(user.id)
    body = f"<b>{words('forget-confirm-heading')}</b>\n{words('forget-confirm')}"
    await context.reply(update, body, keyboards.forget(words))


def _erased_copy(context: AskDocContext, why: str) -> Callable[[DoctorCopy], OutgoingMessage]:
    """What a doctor's copy of an erased question becomes, in the doctor's language (their
    private chat's id is theirs)."""

    def overwrite(copy: DoctorCopy) -> OutgoingMessage:
        return OutgoingMessage(chat_id=copy.chat_id, body_html=context.words_for(copy.chat_id)(why))

    return overwrite


@user_button(callbacks.FORGET)
async def confirm_forget(update: Update, context: AskDocContext, user_id: int, _: int) -> None:
    """Delete my data: erase everything that identifies the patient who pressed it."""
    # Read first: the erasure takes the patient's language with it, and "done" is still said
    # in the one they were spoken to in.
    words = context.words_for(user_id)
    erased = await context.store.privacy.erase_patient(
        user_id, _erased_copy(context, "deleted-by-patient")
    )
    log.info(
        "a patient erased their data: %d questions, %d copies in doctors' chats",
        erased.questions,
        erased.doctor_copies,
    )
    if not erased.purged:
        log.warning("erased data may stay in the WAL file until its next checkpoint")
    if erased.questions == 0 and erased.ratings == 0:
        await context.reply(update, words("nothing-to-forget"))
        return
    done = words("forgotten", questions=erased.questions, ratings=erased.ratings)
    await context.reply(update, done)


def retention_interval(retention_days: float) -> float:
    """How often the retention job runs: daily, or twice within a shorter limit."""
    return min(RETENTION_CHECK_SECONDS, max(1.0, retention_days * 24 * 3600 / 2))


async def expire_old_data(context: AskDocContext) -> None:
    """Job: erase what is older than privacy.retention_days."""
    expired = await context.store.privacy.expire(
        context.settings.privacy.retention_days, _erased_copy(context, "erased-by-retention")
    )
    if expired.erased.patients or expired.question_texts or expired.delivered_messages:
        log.info(
            "retention: erased %d inactive patients, %d question texts, %d delivered messages",
            expired.erased.patients,
            expired.question_texts,
            expired.delivered_messages,
        )
    context.courier.deliver_soon()
