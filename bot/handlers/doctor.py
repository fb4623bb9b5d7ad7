"""The doctor's side: take a question, write an answer, check the preview, send it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.flows import answering, details
from bot.flows.answering import PreviewAction
from bot.handlers import callbacks, keyboards, moderation, patient, replies
from bot.handlers.context import AskDocContext
from bot.handlers.guards import active_doctor, doctor_button, doctor_only, refuse_non_doctor
from bot.handlers.keyboards import outgoing
from bot.models import AskedQuestion, Doctor, OutgoingMessage, PublishedAnswer, Visibility
from bot.store.consultations import DoctorAnswer

_PREVIEW_ACTIONS = {
    callbacks.SEND: PreviewAction.SEND,
    callbacks.EDIT: PreviewAction.EDIT,
    callbacks.CANCEL: PreviewAction.CANCEL,
    callbacks.EDIT_PUBLIC: PreviewAction.EDIT_PUBLIC,
    callbacks.DONT_PUBLISH: PreviewAction.DONT_PUBLISH,
    callbacks.PUBLISH: PreviewAction.PUBLISH,
}


def _chat(doctor: Doctor) -> int:
    assert doctor.telegram_id is not None  # an active doctor always has one
    return doctor.telegram_id


async def _say(
    context: AskDocContext, doctor: Doctor, outcome: answering.WaitingForText | answering.Closed
) -> None:
    if isinstance(outcome, answering.Closed):
        await context.tell(_chat(doctor), texts.QUESTION_CLOSED.format(ref=outcome.asked_id))
    elif outcome.revision:
        await context.tell(_chat(doctor), texts.ASK_FOR_REVISION.format(ref=outcome.ref))
    else:
        await context.tell(_chat(doctor), texts.ASK_FOR_ANSWER.format(ref=outcome.ref))
    if isinstance(outcome, answering.WaitingForText) and outcome.files:
        # Taken from /queue: the patient's files never reached this doctor.
        files = replies.files_for_doctors(
            [_chat(doctor)], outcome.label, outcome.ref, [a.file for a in outcome.files]
        )
        await context.courier.post(files)


async def doctor_text(update: Update, context: AskDocContext) -> None:
    """Text from a doctor that is an answer: a reply to a question, or the text the bot asked
    for. Anything else falls through to the patient handlers (doctors may ask too)."""
    message = update.effective_message
    if message is None or message.text is None or message.text.startswith("/"):
        return
    doctor = await active_doctor(update, context)
    if doctor is None:
        return
    request = await details.receive_question(context.services, doctor, message.text)
    if request is not None:
        await _ask_patient(context, doctor, request)
        raise ApplicationHandlerStop
    replied_to = message.reply_to_message.message_id if message.reply_to_message else None
    outcome = await answering.receive_text(context.services, doctor, message.text, replied_to)
    if isinstance(outcome, answering.NotAnAnswer):
        return
    if isinstance(outcome, answering.Closed):
        await _say(context, doctor, outcome)
    else:
        await _show_preview(context, doctor, outcome)
    raise ApplicationHandlerStop


async def _ask_patient(
    context: AskDocContext, doctor: Doctor, request: details.ToPatient | details.Closed
) -> None:
    """The doctor's request for details goes to the patient, with the doctor's card."""
    if isinstance(request, details.Closed):
        await context.tell(_chat(doctor), texts.QUESTION_CLOSED.format(ref=request.ref))
        return
    asked = request.asked
    messages = [
        outgoing(asked.chat_id, texts.details_for_patient(doctor.card, asked.id, request.question)),
        outgoing(_chat(doctor), texts.DETAILS_REQUEST_SENT.format(ref=asked.id)),
    ]
    await details.send_question(context.services, request, messages)
    context.courier.deliver_soon()


async def doctor_file(update: Update, context: AskDocContext) -> None:
    """A photo, document or voice message from a doctor writing an answer: it goes with the
    answer. Anything else falls through to the patient handlers."""
    message = update.effective_message
    if message is None:
        return
    file = patient.file_of(message)
    doctor = await active_doctor(update, context) if file is not None else None
    if file is None or doctor is None:
        return
    outcome = await answering.receive_file(context.services, doctor, file)
    if isinstance(outcome, answering.NotAnAnswer):
        if file.caption.strip():
            return  # words with it: a question of the doctor's own, for the patient side
        await context.tell(_chat(doctor), texts.FILE_WITHOUT_ANSWER)
        raise ApplicationHandlerStop
    if isinstance(outcome, answering.Closed):
        await _say(context, doctor, outcome)
    elif isinstance(outcome, answering.NoFilesInRevision):
        await context.tell(_chat(doctor), texts.NO_FILES_IN_REVISION.format(ref=outcome.ref))
    elif isinstance(outcome, answering.FileAdded):
        body = texts.FILE_ADDED_TO_ANSWER.format(
            ref=outcome.ref, files=texts.count_of(outcome.files, "file")
        )
        await context.tell(_chat(doctor), body)
    else:
        await _show_preview(context, doctor, outcome)
    raise ApplicationHandlerStop


async def _show_preview(context: AskDocContext, doctor: Doctor, preview: answering.Preview) -> None:
    """The answer as the patient will see it, what the bank will show, and the buttons."""
    draft, public = preview.draft, preview.public
    assert draft.body is not None
    body = texts.answer_preview(
        doctor.card,
        preview.label,
        draft.asked_id,
        draft.body,
        revision=draft.answer_id is not None,
        public=texts.public_question_note(
            public.publishing.value, public.question, public.identifiers
        ),
        files=len(preview.files),
    )
    markup = keyboards.preview(draft.asked_id, editable=public.editable, publish=draft.publish)
    await context.tell(_chat(doctor), body, markup, about_asked=draft.asked_id)


@doctor_button(callbacks.ANSWER)
async def take_question(
    update: Update, context: AskDocContext, doctor: Doctor, action: str, asked_id: int
) -> None:
    """Answer button: the bot asks for the text."""
    await _say(context, doctor, await answering.take(context.services, doctor, asked_id))


@doctor_button(callbacks.ASK_DETAILS)
async def ask_for_details(
    update: Update, context: AskDocContext, doctor: Doctor, action: str, asked_id: int
) -> None:
    """Ask for details button: the bot waits for the doctor's question to the patient."""
    outcome = await details.start(context.services, doctor, asked_id)
    if isinstance(outcome, details.Closed):
        await context.tell(_chat(doctor), texts.QUESTION_CLOSED.format(ref=asked_id))
        return
    await context.tell(_chat(doctor), texts.ASK_FOR_DETAILS.format(ref=asked_id))


@doctor_button(callbacks.SKIP)
async def skip_question(
    update: Update, context: AskDocContext, doctor: Doctor, action: str, asked_id: int
) -> None:
    """Skip button: this doctor passes; the question stays with the others."""
    outcome = await answering.skip(context.services, doctor, asked_id)
    if isinstance(outcome, answering.NoSuchQuestion):
        await refuse_non_doctor(update, context)
        return
    await context.tell(_chat(doctor), texts.SKIPPED.format(ref=asked_id))


@doctor_button(
    callbacks.SEND,
    callbacks.EDIT,
    callbacks.CANCEL,
    callbacks.EDIT_PUBLIC,
    callbacks.DONT_PUBLISH,
    callbacks.PUBLISH,
)
async def preview_action(
    update: Update, context: AskDocContext, doctor: Doctor, action: str, asked_id: int
) -> None:
    """Send, Edit, Cancel, Edit public question, Don't publish or Publish under a preview."""
    outcome = await answering.press_preview(
        context.services, doctor, _PREVIEW_ACTIONS[action], asked_id
    )
    if isinstance(outcome, answering.NoDraft):
        if outcome.already_sent:
            reply = texts.PREVIEW_ALREADY_SENT
        elif outcome.action is PreviewAction.CANCEL:
            reply = texts.NOTHING_TO_CANCEL
        else:
            reply = texts.PREVIEW_ALREADY_CANCELLED
        await context.tell(_chat(doctor), reply)
    elif isinstance(outcome, answering.Cancelled):
        await context.tell(_chat(doctor), texts.DRAFT_CANCELLED)
    elif isinstance(outcome, answering.WaitingForText):
        await _say(context, doctor, outcome)
    elif isinstance(outcome, answering.WaitingForPublicQuestion):
        body = texts.ASK_FOR_PUBLIC_QUESTION.format(
            ref=outcome.ref, current=texts.escape(outcome.current)
        )
        await context.tell(_chat(doctor), body, about_asked=outcome.ref)
    elif isinstance(outcome, answering.Preview):
        await _show_preview(context, doctor, outcome)
    elif outcome.draft.answer_id is not None:
        await _revise(context, doctor, outcome.draft.answer_id, outcome.body)
    else:
        await _publish(context, doctor, asked_id, outcome.body)


async def _publish(context: AskDocContext, doctor: Doctor, asked_id: int, body: str) -> None:
    def messages_for(
        asked: AskedQuestion, label: str, published: PublishedAnswer
    ) -> list[OutgoingMessage]:
        closed_text = texts.offer_closed(label, asked.id, asked.text, published.answer_count)
        sent = texts.ANSWER_SENT[published.visibility].format(
            label=texts.escape(label), question=texts.escape(published.public_question)
        )
        return [
            outgoing(
                asked.chat_id,
                texts.answer_for_patient(asked.text, doctor.card, body),
                keyboards.answer(published.answer_id, published.question_id),
            ),
            *(
                outgoing(
                    asked.chat_id,
                    texts.file_for_patient(
                        file.file.kind.value, doctor.card, asked.id, file.file.caption
                    ),
                    file=file.file,
                )
                for file in published.attachments
            ),
            outgoing(_chat(doctor), sent),
            *(
                OutgoingMessage(
                    chat_id=closed.chat_id, body_html=closed_text, edit_of=closed.outbox_id
                )
                for closed in published.closed_offers
            ),
        ]

    outcome = await answering.publish(context.services, doctor, asked_id, body, messages_for)
    if isinstance(outcome, answering.Closed):
        await _say(context, doctor, outcome)
        return
    if outcome.published.visibility is Visibility.REVIEW:
        await moderation.ask_for_review(context, outcome.published.question_id)
    context.courier.deliver_soon()


async def _revise(context: AskDocContext, doctor: Doctor, answer_id: int, body: str) -> None:
    def messages_for(found: DoctorAnswer) -> list[OutgoingMessage]:
        asked = found.asked
        if not asked.text:  # the patient erased their data: nobody is left to tell
            return [outgoing(_chat(doctor), texts.REVISION_SAVED.format(ref=asked.id))]
        told = [outgoing(_chat(doctor), texts.REVISION_SENT.format(ref=asked.id))]
        for_patient = outgoing(
            asked.chat_id,
            texts.answer_for_patient(asked.text, doctor.card, body, updated=True),
            keyboards.answer(answer_id, found.question_id),
        )
        return [for_patient, *told]

    outcome = await answering.revise(context.services, doctor, answer_id, body, messages_for)
    if isinstance(outcome, answering.NotTheirAnswer):
        await context.tell(_chat(doctor), texts.NOT_YOUR_ANSWER)
        return
    context.courier.deliver_soon()


@doctor_button(callbacks.REVISE)
async def revise_answer(
    update: Update, context: AskDocContext, doctor: Doctor, action: str, answer_id: int
) -> None:
    """Edit button under one of the doctor's answers in /answers."""
    outcome = await answering.start_revision(context.services, doctor, answer_id)
    if isinstance(outcome, answering.NotTheirAnswer):
        await context.tell(_chat(doctor), texts.NOT_YOUR_ANSWER)
        return
    await _say(context, doctor, outcome)


@doctor_only
async def cancel(update: Update, context: AskDocContext, doctor: Doctor) -> None:
    """/cancel: drop the answer being written."""
    outcome = await answering.cancel(context.services, doctor)
    cancelled = isinstance(outcome, answering.Cancelled)
    cancelled = await details.cancel(context.services, doctor) or cancelled
    await context.tell(
        _chat(doctor), texts.DRAFT_CANCELLED if cancelled else texts.NOTHING_TO_CANCEL
    )


@doctor_only
async def queue(update: Update, context: AskDocContext, doctor: Doctor) -> None:
    """/queue: questions this doctor may take, each with Answer and Skip buttons."""
    consultations = context.store.consultations
    waiting = await consultations.answerable(
        doctor.id, context.settings.routing.answers_per_question
    )
    if not waiting:
        await context.tell(_chat(doctor), texts.QUEUE_EMPTY)
        return
    items = [
        texts.queue_item(
            await consultations.patient_label(asked.patient_id),
            asked.id,
            asked.text,
            emergency=asked.emergency,
            files=await context.store.attachments.count_of_question(asked.id),
        )
        for asked in waiting
    ]
    body = "\n\n".join([texts.QUEUE_HEADER.format(count=len(waiting)), *items])
    await context.tell(_chat(doctor), body, keyboards.queue([asked.id for asked in waiting]))


@doctor_only
async def my_answers(update: Update, context: AskDocContext, doctor: Doctor) -> None:
    """/answers: the doctor's own answers, each with an Edit button."""
    answers = await context.store.consultations.answers_by(doctor.id)
    if not answers:
        await context.tell(_chat(doctor), texts.ANSWERS_EMPTY)
        return
    items = [texts.answers_item(a.asked_id, a.question, a.text) for a in answers]
    body = "\n\n".join([texts.ANSWERS_HEADER, *items])
    await context.tell(_chat(doctor), body, keyboards.my_answers(answers))


@doctor_only
async def profile(update: Update, context: AskDocContext, doctor: Doctor) -> None:
    """/profile: the doctor's card as patients see it."""
    body = texts.profile(doctor.card, doctor.specialties, doctor.answers_given)
    await context.tell(_chat(doctor), body)
