"""A doctor's answer: take a question, write the text (a draft), check the preview, then send
(publish), edit or cancel it; later, revise a published answer. Only an active doctor gets
here (the handlers' guard); the rules below decide what each of them may do."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from bot.deidentify import find_identifiers, public_question
from bot.flows import Services
from bot.models import (
    AskedQuestion,
    Attachment,
    Doctor,
    Draft,
    FileRef,
    OutgoingMessage,
    PublishedAnswer,
    Visibility,
)
from bot.store.consultations import DoctorAnswer

# A public question longer than this is cut: it is a bank question's title, not a letter.
PUBLIC_QUESTION_LIMIT = 300


class PreviewAction(Enum):
    """The buttons under a preview."""

    SEND = "send"
    EDIT = "edit"
    CANCEL = "cancel"
    EDIT_PUBLIC = "edit_public"
    DONT_PUBLISH = "dont_publish"
    PUBLISH = "publish"


class Publishing(Enum):
    """What Send does with the answer besides sending it to the patient."""

    # Into the public bank under the public question.
    PUBLISH = "publish"
    # Into the bank once an admin approves it (publishing.review: admin).
    REVIEW = "review"
    # The doctor chose Don't publish.
    NOT_PUBLISHED = "not_published"
    # The patient tapped Keep private.
    KEPT_PRIVATE = "kept_private"
    # A follow-up: it only makes sense beside the exchange before it.
    FOLLOW_UP = "follow_up"
    # Another doctor's answer made the bank entry; this one joins it as it stands.
    JOINS_PUBLISHED = "joins_published"
    JOINS_REVIEW = "joins_review"
    JOINS_PRIVATE = "joins_private"
    # A revision of an answer already sent: the bank entry stays as it is.
    REVISION = "revision"


# The choices the doctor still has about the public question (the others are settled).
EDITABLE = frozenset({Publishing.PUBLISH, Publishing.REVIEW, Publishing.NOT_PUBLISHED})

_VISIBILITY = {
    Publishing.PUBLISH: Visibility.PUBLISHED,
    Publishing.REVIEW: Visibility.REVIEW,
}

_JOINS = {
    Visibility.PUBLISHED: Publishing.JOINS_PUBLISHED,
    Visibility.REVIEW: Publishing.JOINS_REVIEW,
}


@dataclass(frozen=True, slots=True)
class PublicSide:
    """What the bank will show of the question, and what Send does with it. `identifiers`:
    kinds of detail the de-identifier still finds in it (the doctor's own text may have
    some)."""

    question: str
    publishing: Publishing
    identifiers: tuple[str, ...] = ()

    @property
    def editable(self) -> bool:
        """Whether Edit public question / Don't publish apply."""
        return self.publishing in EDITABLE


@dataclass(frozen=True, slots=True)
class Closed:
    """The question has its answers, or this doctor skipped or answered it already."""

    asked_id: int


@dataclass(frozen=True, slots=True)
class WaitingForText:
    """The bot asks for the answer's text to question `ref` (`revision`: for an answer
    already published)."""

    ref: int
    revision: bool = False
    # The patient's files, for a doctor who took the question from /queue and never got them
    # (shown to them as Patient #label).
    files: tuple[Attachment, ...] = ()
    label: str = ""


@dataclass(frozen=True, slots=True)
class WaitingForPublicQuestion:
    """The bot asks for the public question's new text (the current one shown)."""

    ref: int
    current: str


@dataclass(frozen=True, slots=True)
class Preview:
    """The doctor's text, to check before it goes: the draft, the question it answers and
    what the bank will show."""

    draft: Draft
    asked: AskedQuestion
    label: str
    public: PublicSide
    # The files the doctor attached: they go to the patient after the text.
    files: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class FileAdded:
    """A file joined the answer being written to `ref`; its text is still to come."""

    ref: int
    files: int


@dataclass(frozen=True, slots=True)
class NoFilesInRevision:
    """Files go with a new answer; a revision changes the text only."""

    ref: int


@dataclass(frozen=True, slots=True)
class NotAnAnswer:
    """The doctor's text answers nothing the bot asked for: it is a patient's message."""


@dataclass(frozen=True, slots=True)
class NoSuchQuestion:
    """A button about a question that does not exist."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """The doctor passed on the question."""

    asked_id: int


@dataclass(frozen=True, slots=True)
class NoDraft:
    """A preview button, or /cancel, when nothing is being written (`already_sent`: this
    doctor's answer to the question went out already; otherwise it was cancelled)."""

    action: PreviewAction
    already_sent: bool = False


@dataclass(frozen=True, slots=True)
class Cancelled:
    """The draft is gone."""


@dataclass(frozen=True, slots=True)
class NotTheirAnswer:
    """An answer that does not exist or that another doctor wrote."""


@dataclass(frozen=True, slots=True)
class Published:
    """The answer is in the bank and on its way to the patient."""

    published: PublishedAnswer


@dataclass(frozen=True, slots=True)
class Revised:
    """The bank shows the new text and the patient is told."""

    answer_id: int


@dataclass(frozen=True, slots=True)
class SendDraft:
    """Send pressed on a complete draft: publish it, or revise the answer it edits."""

    draft: Draft
    body: str


TextOutcome = Preview | Closed | NotAnAnswer
PreviewOutcome = (
    NoDraft | Cancelled | WaitingForText | WaitingForPublicQuestion | Preview | SendDraft
)


async def public_side(services: Services, draft: Draft, asked: AskedQuestion) -> PublicSide:
    """What the bank will show of the question the draft answers, and what Send does."""
    # Placeholders are short, so the start of a long message gives the whole public question
    # (the de-identifier's time grows with the text).
    suggestion = (
        draft.public_question
        or public_question(asked.text[: PUBLIC_QUESTION_LIMIT * 4])[:PUBLIC_QUESTION_LIMIT]
    )
    existing = await services.store.bank.public_question_of(asked.id)
    if draft.answer_id is not None:
        return PublicSide(existing[0] if existing else suggestion, Publishing.REVISION)
    if existing is not None:
        title, visibility = existing
        return PublicSide(title, _JOINS.get(visibility, Publishing.JOINS_PRIVATE))
    if asked.private:
        return PublicSide(suggestion, Publishing.KEPT_PRIVATE)
    if asked.follow_up_of is not None:
        return PublicSide(suggestion, Publishing.FOLLOW_UP)
    if not draft.publish:
        publishing = Publishing.NOT_PUBLISHED
    elif services.settings.publishing.review == "admin":
        publishing = Publishing.REVIEW
    else:
        publishing = Publishing.PUBLISH
    kinds = tuple(dict.fromkeys(finding.kind for finding in find_identifiers(suggestion)))
    return PublicSide(suggestion, publishing, kinds)


async def _preview(services: Services, draft: Draft) -> Preview:
    consultations = services.store.consultations
    asked = await consultations.get(draft.asked_id)
    assert asked is not None
    label = await consultations.patient_label(asked.patient_id)
    files = await services.store.attachments.of_draft(draft.doctor_id, draft.asked_id)
    return Preview(draft, asked, label, await public_side(services, draft, asked), files)


async def take(services: Services, doctor: Doctor, asked_id: int) -> WaitingForText | Closed:
    """Answer pressed: start a draft, unless the question is closed to this doctor."""
    needed = services.settings.routing.answers_per_question
    consultations = services.store.consultations
    if not await consultations.may_answer(doctor.id, asked_id, needed):
        return Closed(asked_id)
    await consultations.save_draft(Draft(doctor.id, asked_id, None, None))
    # The text that follows is the answer, not a request for details being written.
    await services.store.details.drop_writing(doctor.id)
    if not await consultations.join_offer(doctor.id, asked_id):
        return WaitingForText(asked_id)
    files = await services.store.attachments.of_question(asked_id)
    asked = await consultations.get(asked_id)
    assert asked is not None
    label = await consultations.patient_label(asked.patient_id) if files else ""
    return WaitingForText(asked_id, files=files, label=label)


async def skip(services: Services, doctor: Doctor, asked_id: int) -> Skipped | NoSuchQuestion:
    """Skip pressed: this doctor passes; the question stays with the others."""
    consultations = services.store.consultations
    if await consultations.get(asked_id) is None:
        return NoSuchQuestion()
    await consultations.skip(doctor.id, asked_id)
    return Skipped(asked_id)


async def receive_text(
    services: Services, doctor: Doctor, text: str, replied_to_message_id: int | None
) -> TextOutcome:
    """Text from a doctor: the answer to a question when it replies to the question's message
    or the bot asked for it; then shown as a preview."""
    consultations = services.store.consultations
    asked_id = (
        await consultations.offer_by_message(doctor.id, replied_to_message_id)
        if replied_to_message_id is not None
        else None
    )
    if asked_id is not None:
        draft = Draft(doctor_id=doctor.id, asked_id=asked_id, answer_id=None, body=None)
    else:
        existing = await consultations.draft(doctor.id)
        if existing is None or (existing.body is not None and not existing.editing_public):
            return NotAnAnswer()
        draft = existing
    needed = services.settings.routing.answers_per_question
    if draft.answer_id is None and not await consultations.may_answer(
        doctor.id, draft.asked_id, needed
    ):
        return Closed(draft.asked_id)
    if draft.editing_public and asked_id is None:
        draft = replace(
            draft,
            public_question=" ".join(text.split())[:PUBLIC_QUESTION_LIMIT],
            editing_public=False,
            publish=True,
        )
    else:
        draft = replace(draft, body=text.strip(), editing_public=False)
    await consultations.save_draft(draft)
    return await _preview(services, draft)


async def receive_file(
    services: Services, doctor: Doctor, file: FileRef
) -> Preview | FileAdded | NoFilesInRevision | Closed | NotAnAnswer:
    """A photo, document or voice message from a doctor writing an answer: it goes with the
    answer (its caption is the answer's text when there is none yet); then the preview."""
    consultations = services.store.consultations
    draft = await consultations.draft(doctor.id)
    if draft is None or draft.editing_public:
        return NotAnAnswer()
    if draft.answer_id is not None:
        return NoFilesInRevision(draft.asked_id)
    needed = services.settings.routing.answers_per_question
    if not await consultations.may_answer(doctor.id, draft.asked_id, needed):
        return Closed(draft.asked_id)
    await services.store.attachments.add_to_draft(doctor.id, draft.asked_id, file)
    if draft.body is None and file.caption.strip():
        draft = replace(draft, body=file.caption.strip())
        await consultations.save_draft(draft)
    if draft.body is None:
        files = await services.store.attachments.of_draft(doctor.id, draft.asked_id)
        return FileAdded(draft.asked_id, len(files))
    return await _preview(services, draft)


async def press_preview(
    services: Services, doctor: Doctor, action: PreviewAction, asked_id: int
) -> PreviewOutcome:
    """Send, Edit or Cancel under a preview of the answer to `asked_id`."""
    consultations = services.store.consultations
    draft = await consultations.draft(doctor.id)
    if draft is None or draft.asked_id != asked_id or draft.body is None:
        return NoDraft(action, already_sent=await consultations.has_answered(doctor.id, asked_id))
    if action is PreviewAction.CANCEL:
        await consultations.discard_draft(doctor.id)
        return Cancelled()
    if action is PreviewAction.EDIT:
        await consultations.save_draft(replace(draft, body=None, editing_public=False))
        return WaitingForText(asked_id, revision=draft.answer_id is not None)
    if action is PreviewAction.SEND:
        return SendDraft(draft, draft.body)
    asked = await consultations.get(asked_id)
    assert asked is not None
    side = await public_side(services, draft, asked)
    if not side.editable:
        # A stale button: the patient kept it private, or another doctor's answer settled it.
        return Preview(draft, asked, await consultations.patient_label(asked.patient_id), side)
    if action is PreviewAction.EDIT_PUBLIC:
        await consultations.save_draft(
            replace(draft, public_question=side.question, editing_public=True)
        )
        return WaitingForPublicQuestion(asked_id, side.question)
    draft = replace(draft, publish=action is PreviewAction.PUBLISH, editing_public=False)
    await consultations.save_draft(draft)
    return await _preview(services, draft)


async def publish(
    services: Services,
    doctor: Doctor,
    asked_id: int,
    body: str,
    messages_for: Callable[[AskedQuestion, str, PublishedAnswer], Sequence[OutgoingMessage]],
) -> Published | Closed:
    """The doctor's answer into the bank and to the patient (with `messages_for`'s messages:
    the patient's question, their label, and what publishing did); Closed, and the draft
    dropped, when the question no longer takes it."""
    store = services.store
    draft = await store.consultations.draft(doctor.id)
    if draft is None or draft.asked_id != asked_id:
        # Sent without a preview: the suggested public question, published as configured.
        draft = Draft(doctor.id, asked_id, None, body)
    asked = await store.consultations.get(asked_id)
    assert asked is not None
    label = await store.consultations.patient_label(asked.patient_id)
    side = await public_side(services, draft, asked)
    published = await store.consultations.publish(
        doctor.id,
        asked_id,
        body,
        services.settings.routing.answers_per_question,
        side.question,
        _VISIBILITY.get(side.publishing, Visibility.PRIVATE),
        lambda done: messages_for(asked, label, done),
    )
    if published is None:
        await store.consultations.discard_draft(doctor.id)
        return Closed(asked_id)
    return Published(published)


async def _own_answer(services: Services, doctor: Doctor, answer_id: int) -> DoctorAnswer | None:
    found = await services.store.consultations.doctor_answer(answer_id)
    return found if found is not None and found.doctor_id == doctor.id else None


async def start_revision(
    services: Services, doctor: Doctor, answer_id: int
) -> WaitingForText | NotTheirAnswer:
    """Edit pressed under one of the doctor's answers: wait for the new text."""
    found = await _own_answer(services, doctor, answer_id)
    if found is None:
        return NotTheirAnswer()
    await services.store.consultations.save_draft(Draft(doctor.id, found.asked.id, answer_id, None))
    return WaitingForText(found.asked.id, revision=True)


async def revise(
    services: Services,
    doctor: Doctor,
    answer_id: int,
    body: str,
    messages_for: Callable[[DoctorAnswer], Sequence[OutgoingMessage]],
) -> Revised | NotTheirAnswer:
    """Replace the text of one of the doctor's own answers; the patient is told."""
    found = await _own_answer(services, doctor, answer_id)
    if found is None:
        return NotTheirAnswer()
    await services.store.consultations.revise(answer_id, body, messages_for(found))
    return Revised(answer_id)


async def cancel(services: Services, doctor: Doctor) -> Cancelled | NoDraft:
    """/cancel: drop the answer being written."""
    consultations = services.store.consultations
    if await consultations.draft(doctor.id) is None:
        return NoDraft(PreviewAction.CANCEL)
    await consultations.discard_draft(doctor.id)
    return Cancelled()
