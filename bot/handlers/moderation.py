"""The admins' side of the answer bank: review doctors' answers before they are published,
find any entry with /bank and hide, restore, rewrite or delete it, decide on patients'
reports, and read the audit trail."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot import i18n, texts
from bot.flows import moderating
from bot.handlers import callbacks, keyboards
from bot.handlers.context import AskDocContext
from bot.handlers.guards import (
    admin_button,
    admin_only,
    is_admin,
    refuse_button,
    user_button,
    words_of_sender,
)
from bot.handlers.keyboards import outgoing
from bot.models import OutgoingMessage, StoredQuestion

log = logging.getLogger(__name__)

# /review and /bank show at most this many entries, one message each with its buttons.
ENTRIES_SHOWN = 5


def _entry_message(
    words: i18n.Words, chat_id: int, question: StoredQuestion, body: str | None = None
) -> OutgoingMessage:
    return outgoing(
        chat_id,
        body or texts.bank_entry(words, question),
        keyboards.bank_entry(words, question),
    )


async def ask_for_review(context: AskDocContext, question_id: int) -> None:
    """Every admin gets a doctor's answer that waits for review, with its buttons, in their
    language."""
    question = await moderating.entry(context.services, question_id)
    if question is None:
        return
    messages = []
    for admin in sorted(context.settings.admin_ids):
        words = context.words_for(admin)
        body = texts.review_request(words, question)
        messages.append(_entry_message(words, admin, question, body))
    await context.courier.post(messages)


@admin_only
async def review(update: Update, context: AskDocContext) -> None:
    """/review: the oldest answers waiting for an admin, each with Publish, Edit and Reject."""
    chat = update.effective_chat
    if chat is None:
        return
    bank = context.store.bank
    waiting = await bank.waiting_for_review(ENTRIES_SHOWN)
    words = words_of_sender(update, context)
    if not waiting:
        await context.reply(update, words("review-empty"))
        return
    count = texts.plain_number(await bank.review_count())
    header = outgoing(chat.id, words("review-header", count=count))
    await context.courier.post([header, *(_entry_message(words, chat.id, q) for q in waiting)])


@admin_only
async def bank_entries(update: Update, context: AskDocContext) -> None:
    """/bank WORDS or /bank #N: bank entries whatever their visibility, with their buttons."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    command = (message.text or "").split(maxsplit=1)
    query = command[1].strip() if len(command) > 1 else ""
    words = words_of_sender(update, context)
    if not query:
        await context.reply(update, words("bank-usage"))
        return
    found = [
        question
        for question in await context.store.bank.find(query[:200], ENTRIES_SHOWN)
        if await moderating.entry(context.services, question.id) is not None
    ]
    if not found:
        await context.reply(update, words("bank-nothing", query=texts.escape(query[:200])))
        return
    await context.courier.post([_entry_message(words, chat.id, question) for question in found])


@admin_button(
    callbacks.ENTRY_PUBLISH,
    callbacks.ENTRY_EDIT,
    callbacks.ENTRY_REJECT,
    callbacks.ENTRY_HIDE,
    callbacks.ENTRY_RESTORE,
    callbacks.ENTRY_DELETE,
)
async def entry_action(
    update: Update, context: AskDocContext, action: str, question_id: int
) -> None:
    """A button under a bank entry: Publish, Edit, Reject, Hide, Restore or Delete."""
    user = update.effective_user
    assert user is not None  # admin_button let only an admin through
    outcome = await moderating.act(
        context.services, user.id, question_id, keyboards.ENTRY_ACTION_OF[action]
    )
    await _tell_outcome(update, context, outcome, question_id)


@admin_button(callbacks.REPORT_HIDE, callbacks.REPORT_KEEP)
async def report_action(
    update: Update, context: AskDocContext, action: str, report_id: int
) -> None:
    """Hide or Keep under a patient's report."""
    user = update.effective_user
    assert user is not None
    words = context.words_for(user.id)
    if action == callbacks.REPORT_KEEP:
        kept = await moderating.keep_reported(context.services, user.id, report_id)
        if kept is None:
            await context.reply(update, words("report-decided", report=str(report_id)))
        else:
            kept_text = words("report-kept", ref=str(kept), report=str(report_id))
            await context.reply(update, kept_text)
        return
    outcome = await moderating.hide_reported(context.services, user.id, report_id)
    if isinstance(outcome, moderating.NoSuchEntry):
        await context.reply(update, words("report-decided", report=str(report_id)))
        return
    await _tell_outcome(update, context, outcome, None)


async def _tell_outcome(
    update: Update,
    context: AskDocContext,
    outcome: moderating.ActOutcome,
    question_id: int | None,
) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    words = words_of_sender(update, context)
    match outcome:
        case moderating.NoSuchEntry():
            ref = str(question_id or "?")
            await context.reply(update, words("no-such-entry", ref=ref))
        case moderating.Deleted(question_id=deleted):
            log.info("bank #%s deleted by an admin", deleted)
            await context.reply(update, words("entry-deleted", ref=str(deleted)))
        case moderating.HiddenInstead(question=question):
            body = words("entry-hidden-instead", ref=str(question.id))
            await context.tell(chat.id, body, keyboards.bank_entry(words, question))
        case moderating.WaitingForPublicText(question=question):
            await context.reply(update, texts.ask_for_public_text(words, question))
        case moderating.Unchanged(question=question):
            status = texts.escape(texts.visibility_label(words, question.visibility))
            body = words("entry-unchanged", ref=str(question.id), status=status)
            await context.tell(chat.id, body, keyboards.bank_entry(words, question))
        case moderating.Changed(question=question, action=action):
            log.info("bank #%s: %s by an admin", question.id, action.value)
            body = words("entry-changed", action=action.value, ref=str(question.id))
            await context.tell(chat.id, body, keyboards.bank_entry(words, question))


async def admin_text(update: Update, context: AskDocContext) -> None:
    """Text from an admin who pressed Edit under an entry: its new public question. Anything
    else falls through to the other handlers."""
    message = update.effective_message
    user = update.effective_user
    if message is None or message.text is None or user is None or message.text.startswith("/"):
        return
    if not is_admin(update, context):
        return
    question = await moderating.rewrite(context.services, user.id, message.text)
    if question is None:
        return
    words = context.words_for(user.id)
    await context.reply(
        update, texts.bank_entry(words, question), keyboards.bank_entry(words, question)
    )
    raise ApplicationHandlerStop


@user_button(callbacks.REPORT)
async def report_answer(
    update: Update, context: AskDocContext, user_id: int, question_id: int
) -> None:
    """Report under an answer a patient received: the admins get it with Hide and Keep, each
    in their language; the patient is thanked in theirs."""
    reported = await moderating.report(context.services, question_id, user_id)
    if reported is None:
        await refuse_button(update, context)
        return
    log.info("report #%s about bank #%s", reported.report_id, reported.question.id)
    messages = []
    for admin in sorted(context.settings.admin_ids):
        words = context.words_for(admin)
        body = texts.report_for_admins(words, reported.report_id, reported.question)
        messages.append(outgoing(admin, body, keyboards.reported(words, reported.report_id)))
    await context.courier.post(messages)
    await context.reply(update, context.words_for(user_id)("report-thanks"))


@admin_only
async def audit(update: Update, context: AskDocContext) -> None:
    """/audit: the newest lines of the audit trail."""
    entries = await context.store.audit.latest()
    words = words_of_sender(update, context)
    if not entries:
        await context.reply(update, words("audit-empty"))
        return
    lines = [texts.audit_item(e.at, e.actor, e.action, e.target) for e in entries]
    await context.reply(update, "\n".join([words("audit-header"), *lines]))


@admin_only
async def block(update: Update, context: AskDocContext) -> None:
    """/block REF: the patient of question REF is blocked (admins never see Telegram ids)."""
    await _block_or_unblock(update, context, block=True)


@admin_only
async def unblock(update: Update, context: AskDocContext) -> None:
    """/unblock REF: the patient of question REF is answered again."""
    await _block_or_unblock(update, context, block=False)


@admin_button(callbacks.BLOCK)
async def block_button(update: Update, context: AskDocContext, action: str, ref: int) -> None:
    """Block this patient, under an escalation."""
    await _change_block(update, context, ref, block=True)


async def _block_or_unblock(update: Update, context: AskDocContext, *, block: bool) -> None:
    message = update.effective_message
    if message is None:
        return
    given = (message.text or "").split()
    reference = given[1].lstrip("#") if len(given) == 2 else ""
    command = "block" if block else "unblock"
    if not reference.isdigit() or len(reference) > 18:
        usage = words_of_sender(update, context)("block-usage", command=command)
        await context.reply(update, usage)
        return
    await _change_block(update, context, int(reference), block=block)


async def _change_block(update: Update, context: AskDocContext, ref: int, *, block: bool) -> None:
    user = update.effective_user
    if user is None:
        return
    blocks = context.store.blocks
    actor = moderating.admin_actor(user.id)
    done = await (blocks.block(ref, actor) if block else blocks.unblock(ref, actor))
    words = context.words_for(user.id)
    if done is None:
        await context.reply(update, words("block-no-such", ref=str(ref)))
        return
    log.info("an admin %s the patient of question #%s", "blocked" if block else "unblocked", ref)
    if block:
        reply = "blocked-patient" if done else "already-blocked"
    else:
        reply = "unblocked-patient" if done else "not-blocked"
    await context.reply(update, words(reply, ref=str(ref)))
