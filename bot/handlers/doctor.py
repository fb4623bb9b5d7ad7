"""The doctor's side: take a question, write an answer, check the preview, send it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot import i18n, texts
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


def _words(context: AskDocContext, doctor: Doctor) -> i18n.Words:
    """The doctor's language."""
    return context.words_for(_chat(doctor))


async def _say(
    context: AskDocContext, doctor: Doctor, outcome: answering.WaitingForText | answering.Closed
) -> None:
    words = _words(context, doctor)
    if isinstance(outcome, answering.Closed):
        await context.tell(_chat(doctor), words("question-closed", ref=str(outcome.asked_id)))
    elif outcome.revision:
        await context.tell(_chat(doctor), words("ask-for-revision", ref=str(outcome.ref)))
    else:
        await context.tell(_chat(doctor), words("ask-for-answer", ref=str(outcome.ref)))
    if isinstance(outcome, answering.WaitingForText) and outcome.files:
        # Taken from /queue: the patient's files never reached this doctor.
        files = replies.files_for_doctors(
            context.words_for,
            [_chat(doctor)],
            outcome.label,
            outcome.ref,
            [a.file for a in outcome.files],
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
    words = _words(context, doctor)
    if isinstance(request, details.Closed):
        await context.tell(_chat(doctor), words("question-closed", ref=str(request.ref)))
        return
    asked = request.asked
    for_patient = texts.details_for_patient(
        context.words_for(asked.patient_id), doctor.card, asked.id, request.question
    )
    messages = [
        outgoing(asked.chat_id, for_patient),
        outgoing(_chat(doctor), words("details-request-sent", ref=str(asked.id))),
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
    words = _words(context, doctor)
    if isinstance(outcome, answering.NotAnAnswer):
        if file.caption.strip():
            return  # words with it: a question of the doctor's own, for the patient side
        await context.tell(_chat(doctor), words("file-without-answer"))
        raise ApplicationHandlerStop
    if isinstance(outcome, answering.Closed):
        await _say(context, doctor, outcome)
    elif isinstance(outcome, answering.NoFilesInRevision):
        await context.tell(_chat(doctor), words("no-files-in-revision", ref=str(outcome.ref)))
    elif isinstance(outcome, answering.FileAdded):
        body = words("file-added-to-answer", ref=str(outcome.ref), files=outcome.files)
        await context.tell(_chat(doctor), body)
    else:
        await _show_preview(context, doctor, outcome)
    raise ApplicationHandlerStop


async def _show_preview(context: AskDocContext, doctor: Doctor, preview: answering.Preview) -> None:
    """The answer as the patient will see it, what the bank will show, and the buttons."""
    draft, public = preview.draft, preview.public
    assert draft.body is not None
    words = _words(context, doctor)
    body = texts.answer_preview(
        words,
        doctor.card,
        preview.label,
        draft.asked_id,
        draft.body,
        revision=draft.answer_id is not None,
        public=texts.public_question_note(
            words, public.publishing.value, public.question, public.identifiers
        ),
        files=len(preview.files),
    )
    markup = keyboards.preview(
        words, draft.asked_id, editable=public.editable, publish=draft.publish
    )
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
    words = _words(context, doctor)
    if isinstance(outcome, details.Closed):
        await context.tell(_chat(doctor), words("question-closed", ref=str(asked_id)))
        return
    await context.tell(_chat(doctor), words("ask-for-details", ref=str(asked_id)))


@doctor_button(callbacks.SKIP)
async def skip_question(
    update: Update, context: AskDocContext, doctor: Doctor, action: str, asked_id: int
) -> None:
    """Skip button: this doctor passes; the question stays with the others."""
    outcome = await answering.skip(context.services, doctor, asked_id)
    if isinstance(outcome, answering.NoSuchQuestion):
        await refuse_non_doctor(update, context)
        return
    await context.tell(_chat(doctor), _words(context, doctor)("skipped", ref=str(asked_id)))


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
    words = _words(context, doctor)
    if isinstance(outcome, answering.NoDraft):
        if outcome.already_sent:
            reply = words("preview-already-sent")
        elif outcome.action is PreviewAction.CANCEL:
            reply = words("nothing-to-cancel")
        else:
            reply = words("preview-already-cancelled")
        await context.tell(_chat(doctor), reply)
    elif isinstance(outcome, answering.Cancelled):
        await context.tell(_chat(doctor), words("draft-cancelled"))
    elif isinstance(outcome, answering.WaitingForText):
        await _say(context, doctor, outcome)
    elif isinstance(outcome, answering.WaitingForPublicQuestion):
        body = texts.ask_for_public_question(words, outcome.ref, outcome.current)
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
        patient = context.words_for(asked.patient_id)
        sent = texts.answer_sent(
            _words(context, doctor), published.visibility, label, published.public_question
        )
        return [
            outgoing(
                asked.chat_id,
                texts.answer_for_patient(patient, asked.text, doctor.card, body),
                keyboards.answer(patient, published.answer_id, published.question_id),
            ),
            *(
                outgoing(
                    asked.chat_id,
                    texts.file_for_patient(
                        patient, file.file.kind.value, doctor.card, asked.id, file.file.caption
                    ),
                    file=file.file,
                )
                for file in published.attachments
            ),
            outgoing(_chat(doctor), sent),
            # Each doctor's copy, in that doctor's language (a private chat's id is its user's).
            *(
                OutgoingMessage(
                    chat_id=closed.chat_id,
                    body_html=texts.offer_closed(
                        context.words_for(closed.chat_id),
                        label,
                        asked.id,
                        asked.text,
                        published.answer_count,
                    ),
                    edit_of=closed.outbox_id,
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
    words = _words(context, doctor)

    def messages_for(found: DoctorAnswer) -> list[OutgoingMessage]:
        asked = found.asked
        if not asked.text:  # the patient erased their data: nobody is left to tell
            return [outgoing(_chat(doctor), words("revision-saved", ref=str(asked.id)))]
        told = [outgoing(_chat(doctor), words("revision-sent", ref=str(asked.id)))]
        patient = context.words_for(asked.patient_id)
        for_patient = outgoing(
            asked.chat_id,
            texts.answer_for_patient(patient, asked.text, doctor.card, body, updated=True),
            keyboards.answer(patient, answer_id, found.question_id),
        )
        return [for_patient, *told]

    outcome = await answering.revise(context.services, doctor, answer_id, body, messages_for)
    if isinstance(outcome, answering.NotTheirAnswer):
        await context.tell(_chat(doctor), words("not-your-answer"))
        return
    context.courier.deliver_soon()


@doctor_button(callbacks.REVISE)
async def revise_answer(
    update: Update, context: AskDocContext, doctor: Doctor, action: str, answer_id: int
) -> None:
    """Edit button under one of the doctor's answers in /answers."""
    outcome = await answering.start_revision(context.services, doctor, answer_id)
    if isinstance(outcome, answering.NotTheirAnswer):
        await context.tell(_chat(doctor), _words(context, doctor)("not-your-answer"))
        return
    await _say(context, doctor, outcome)


@doctor_only
async def cancel(update: Update, context: AskDocContext, doctor: Doctor) -> None:
    """/cancel: drop the answer being written."""
    outcome = await answering.cancel(context.services, doctor)
    cancelled = isinstance(outcome, answering.Cancelled)
    cancelled = await details.cancel(context.services, doctor) or cancelled
    words = _words(context, doctor)
    await context.tell(
        _chat(doctor), words("draft-cancelled") if cancelled else words("nothing-to-cancel")
    )


@doctor_only
async def queue(update: Update, context: AskDocContext, doctor: Doctor) -> None:
    """/queue: questions this doctor may take, each with Answer and Skip buttons."""
    consultations = context.store.consultations
    waiting = await consultations.answerable(
        doctor.id, context.settings.routing.answers_per_question
    )
    words = _words(context, doctor)
    if not waiting:
        await context.tell(_chat(doctor), words("queue-empty"))
        return
    items = [
        texts.queue_item(
            words,
            await consultations.patient_label(asked.patient_id),
            asked.id,
            asked.text,
            emergency=asked.emergency,
            files=await context.store.attachments.count_of_question(asked.id),
        )
        for asked in waiting
    ]
    header = words("queue-header", count=texts.plain_number(len(waiting)))
    body = "\n\n".join([header, *items])
    await context.tell(_chat(doctor), body, keyboards.queue(words, [asked.id for asked in waiting]))


@doctor_only
async def my_answers(update: Update, context: AskDocContext, doctor: Doctor) -> None:
    """/answers: the doctor's own answers, each with an Edit button."""
    answers = await context.store.consultations.answers_by(doctor.id)
    words = _words(context, doctor)
    if not answers:
        await context.tell(_chat(doctor), words("answers-empty"))
        return
    items = [texts.answers_item(words, a.asked_id, a.question, a.text) for a in answers]
    body = "\n\n".join([words("answers-header"), *items])
    await context.tell(_chat(doctor), body, keyboards.my_answers(words, answers))


@doctor_only
async def profile(update: Update, context: AskDocContext, doctor: Doctor) -> None:
    """/profile: the doctor's card as patients see it."""
    body = texts.profile(
        _words(context, doctor), doctor.card, doctor.specialties, doctor.answers_given
    )
    await context.tell(_chat(doctor), body)
