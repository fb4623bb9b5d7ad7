"""Ask for details: a doctor asks the patient a question about theirs; the patient's next
message (text or files) goes back to that doctor as details of the same question. The exchange
stays with the question and is erased with it; none of it reaches the bank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.flows import Services, asking
from bot.models import AskedQuestion, Doctor, OutgoingMessage

# A doctor's question to the patient is a message, not a letter.
QUESTION_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Writing:
    """The bot waits for the doctor's question about `ref`."""

    ref: int


@dataclass(frozen=True, slots=True)
class Closed:
    """The question no longer takes this doctor's answer (answered, skipped, erased)."""

    ref: int


@dataclass(frozen=True, slots=True)
class ToPatient:
    """The doctor's question, ready to go to the patient of `asked`."""

    request_id: int
    asked: AskedQuestion
    question: str


async def start(services: Services, doctor: Doctor, asked_id: int) -> Writing | Closed:
    """Ask for details pressed: wait for the doctor's question (any answer being written is
    put aside: the doctor answers once the details are in)."""
    consultations = services.store.consultations
    needed = services.settings.routing.answers_per_question
    asked = await consultations.get(asked_id)
    if asked is None or not await consultations.may_answer(doctor.id, asked_id, needed):
        return Closed(asked_id)
    await services.store.details.start(doctor.id, asked_id)
    return Writing(asked_id)


async def receive_question(
    services: Services, doctor: Doctor, text: str
) -> ToPatient | Closed | None:
    """Text from a doctor writing a request for details; None when they are not."""
    store = services.store
    request = await store.details.writing(doctor.id)
    if request is None:
        return None
    asked = await store.consultations.get(request.asked_id)
    if asked is None or not asked.text:
        await store.details.drop_writing(doctor.id)
        return Closed(request.asked_id)
    return ToPatient(request.id, asked, text.strip()[:QUESTION_LIMIT])


async def send_question(
    services: Services, to_patient: ToPatient, messages: Sequence[OutgoingMessage]
) -> bool:
    """The doctor's question goes to the patient with `messages`, once."""
    return await services.store.details.ask(to_patient.request_id, to_patient.question, messages)


async def cancel(services: Services, doctor: Doctor) -> bool:
    """/cancel: drop the request being written; True when there was one."""
    return await services.store.details.drop_writing(doctor.id)


async def send_reply(
    services: Services,
    reply: asking.ForDoctor,
    patient_id: int,
    update_id: int | None,
    messages: Sequence[OutgoingMessage],
) -> bool:
    """The patient's reply and its files go to the doctor with `messages`; False, and nothing
    queued, when this request had its reply already."""
    return await services.store.details.reply(
        reply.request.id,
        patient_id=patient_id,
        update_id=update_id,
        text=reply.text,
        files=reply.files,
        messages=messages,
    )
