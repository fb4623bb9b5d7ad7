"""A photo, document or voice message a patient sends without words: a reply to a doctor's
request for details, part of the question they just asked, perhaps part of an older one still
waiting for doctors (the patient is asked), or the start of a question they have yet to write.
A file with a caption is a question with the file attached: the asking flow takes that."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.flows import Services, asking
from bot.models import AskedQuestion, AskedStatus, Attachment, OutgoingMessage


@dataclass(frozen=True, slots=True)
class Joined:
    """The file joins `asked`, sent this soon after it; with `doctor_chats` (the doctors it is
    offered to now) it follows the question there."""

    asked: AskedQuestion
    doctor_chats: tuple[int, ...]
    label: str = ""


@dataclass(frozen=True, slots=True)
class AskToJoin:
    """An older question of the patient's is still with doctors: does the file belong to it?"""

    asked: AskedQuestion


@dataclass(frozen=True, slots=True)
class WaitForWords:
    """Nothing it belongs to: it waits for the question the patient writes next."""


FileOutcome = Joined | AskToJoin | WaitForWords


async def take_up(
    services: Services, message: asking.Incoming
) -> FileOutcome | asking.NotAQuestion:
    """Where a file sent without words belongs (nothing is stored until `keep`)."""
    refused = await asking.blocked(services, message)
    if refused is not None:
        return refused
    reply = await asking.for_doctor(services, message)
    if reply is not None:
        return reply
    store = services.store
    latest = await store.consultations.latest_unanswered(message.patient_id)
    if latest is None:
        return WaitForWords()
    asked, age = latest
    window = services.settings.routing.attach_within_minutes * 60
    if age <= window and asked.status is not AskedStatus.UNCLEAR:
        chats = await store.consultations.offered_chats(asked.id) if asked.routed else []
        label = await store.consultations.patient_label(message.patient_id) if chats else ""
        return Joined(asked, tuple(chats), label)
    if asked.routed:
        return AskToJoin(asked)
    return WaitForWords()


async def keep(
    services: Services,
    message: asking.Incoming,
    outcome: FileOutcome,
    messages: Sequence[OutgoingMessage],
) -> bool:
    """Store the file where `outcome` put it, with the messages that report it; False, and
    nothing queued, when Telegram delivered the update again."""
    asked_id = outcome.asked.id if isinstance(outcome, Joined) else None
    stored = True
    for file in message.files:
        attachment_id = await services.store.attachments.keep(
            file,
            patient_id=message.patient_id,
            update_id=message.update_id,
            asked_id=asked_id,
            messages=messages,
        )
        stored = stored and attachment_id is not None
        messages = ()
    return stored


@dataclass(frozen=True, slots=True)
class Joining:
    """The patient's waiting files join `asked`, and follow it to `doctor_chats`."""

    asked: AskedQuestion
    doctor_chats: tuple[int, ...]
    files: tuple[Attachment, ...]
    label: str


async def join(services: Services, patient_id: int, asked_id: int) -> Joining | None:
    """Yes under "Add it to your question?"; None when the question is not the patient's or
    was erased, or no file waits (a second press)."""
    store = services.store
    asked = await store.consultations.get(asked_id)
    if asked is None or asked.patient_id != patient_id or not asked.text:
        return None
    files = await store.attachments.waiting(patient_id, asking.FILES_WAIT_FOR_QUESTION)
    if not files:
        return None
    chats = await store.consultations.offered_chats(asked_id) if asked.routed else []
    label = await store.consultations.patient_label(patient_id) if chats else ""
    return Joining(asked, tuple(chats), files, label)


async def waiting_kind(services: Services, patient_id: int) -> str | None:
    """The kind of the latest file waiting for the patient's question, if one waits."""
    files = await services.store.attachments.waiting(patient_id, asking.FILES_WAIT_FOR_QUESTION)
    return files[-1].file.kind.value if files else None


async def settle_join(
    services: Services,
    joining: Joining,
    messages_for: Callable[[Attachment], Sequence[OutgoingMessage]],
) -> int:
    """Each waiting file joins the question with its messages; how many did."""
    joined = 0
    for file in joining.files:
        joined += await services.store.attachments.join(
            file.id, joining.asked.id, messages_for(file)
        )
    return joined
