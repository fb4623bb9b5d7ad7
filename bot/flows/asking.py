"""What becomes of a patient's question: the bank's answer (match), a choice of close
questions (unsure), the doctors (routed), the doctor of an earlier answer (follow-up), or a
request for words (unclear). An emergency is flagged whatever the outcome."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.emergency import looks_like_emergency
from bot.flows import Services
from bot.matching import MATCH_CHARS, Hit
from bot.models import (
    AskedQuestion,
    AskedStatus,
    Attachment,
    Doctor,
    DoctorStatus,
    FileRef,
    Offer,
    OutgoingMessage,
    StoredQuestion,
)
from bot.routing import doctors_for
from bot.store.consultations import DoctorAnswer
from bot.store.details import DetailRequest
from bot.terms import terms
from bot.written_language import written_in

# A close match offered as a button need not be good enough to show on its own, but one far
# below the threshold would only distract.
OTHER_MATCH_SHARE_OF_THRESHOLD = 0.6


@dataclass(frozen=True, slots=True)
class Incoming:
    """A patient's message as the flow needs it: who, where, what, and Telegram's update id
    (which makes a redelivered update recognisable)."""

    update_id: int | None
    patient_id: int
    chat_id: int
    text: str
    # Files the message carried (its text is their caption).
    files: tuple[FileRef, ...] = ()


@dataclass(frozen=True, slots=True)
class Flags:
    """What the reply must say besides its answer."""

    emergency: bool = False
    # The patient's first question: the reply carries the one-line privacy notice.
    first_question: bool = False
    follow_up_unavailable: bool = False
    # The message's length when only its start was matched.
    long_question: int | None = None


@dataclass(frozen=True, slots=True)
class AlreadyAnswered:
    """Telegram delivered the update again; its replies are in the outbox already."""

    asked: AskedQuestion


@dataclass(frozen=True, slots=True)
class Unclear:
    """No words to match (emoji, punctuation): ask for the question in words."""

    asked: AskedQuestion
    flags: Flags


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A follow-up, for the doctor who wrote the earlier answer."""

    asked: AskedQuestion
    flags: Flags
    doctor: Doctor
    label: str
    earlier: DoctorAnswer
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class Matched:
    """The bank answers it: show `question`, and `others` as buttons."""

    asked: AskedQuestion
    flags: Flags
    question: StoredQuestion
    score: float
    others: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class Unsure:
    """Plausible questions, none sure enough: the patient picks one, or asks a doctor."""

    asked: AskedQuestion
    flags: Flags
    choices: tuple[Hit, ...]
    score: float | None


@dataclass(frozen=True, slots=True)
class Routed:
    """For the doctors (`doctors`, who see the patient as `label`); `known_unanswered`: the bank
    holds the question but no answer to it. With no doctor the patient is told it is kept."""

    asked: AskedQuestion
    flags: Flags
    doctors: tuple[Doctor, ...]
    label: str
    known_unanswered: bool
    others: tuple[Hit, ...]
    score: float | None
    on_request: bool = False
    # The median wait for a first answer over the last 30 days (None: too little history),
    # and what to say instead (routing.expected_wait, in each of the bot's languages).
    usual_wait_seconds: float | None = None
    expected_waits: Mapping[str, str] = field(default_factory=dict)
    # When the doctors are back, if they are away now (routing.working_hours).
    back_at: datetime.datetime | None = None
    # The patient's files with the question: they follow each offer.
    attachments: tuple[Attachment, ...] = ()
    # The language the question is written in (ISO 639-1): doctors see it named.
    language: str = "en"


@dataclass(frozen=True, slots=True)
class SlowDown:
    """More messages in a minute than limits.messages_per_minute: kept, not matched; the
    patient can send again in `wait_seconds`."""

    asked: AskedQuestion
    flags: Flags
    wait_seconds: float


@dataclass(frozen=True, slots=True)
class Limited:
    """For the doctors, but the patient sent limits.questions_per_hour to them in the last
    hour (`count`): kept, and they can send it in `wait_seconds`."""

    asked: AskedQuestion
    flags: Flags
    count: int
    wait_seconds: float
    on_request: bool = False


@dataclass(frozen=True, slots=True)
class Blocked:
    """An admin blocked the patient: the message is not kept. `first`: the patient is told,
    once; `emergency`: the emergency notice goes out all the same."""

    first: bool
    emergency: bool


@dataclass(frozen=True, slots=True)
class ForDoctor:
    """The patient's reply to a doctor's request for details (`request`): it goes to that
    doctor, with its files, as details of question `asked`."""

    asked: AskedQuestion
    request: DetailRequest
    doctor: Doctor
    label: str
    text: str
    files: tuple[FileRef, ...]
    emergency: bool


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Telegram delivered again an update that was taken up already (not as a question)."""


@dataclass(frozen=True, slots=True)
class AlreadyWithDoctors:
    """Ask a doctor pressed for a question the doctors have already."""

    asked: AskedQuestion


@dataclass(frozen=True, slots=True)
class NotYours:
    """A button about a question that does not exist or is another patient's."""


Outcome = AlreadyAnswered | Unclear | FollowUp | Matched | Unsure | Routed | SlowDown | Limited
RequestOutcome = Routed | Limited | AlreadyWithDoctors | NotYours
# A message that is no new question: a blocked patient's, a reply to a doctor, a repeat.
NotAQuestion = Blocked | ForDoctor | Duplicate

# The window of limits.messages_per_minute and of limits.questions_per_hour.
MINUTE = 60.0
HOUR = 3600.0
# A doctor's request for details waits this long for the patient's reply; after it, their
# next message is a new question.
DETAILS_REPLY_WINDOW = 24 * HOUR
# Files sent without words wait this long for the question the patient then writes.
FILES_WAIT_FOR_QUESTION = HOUR


def other_matches(
    hits: Sequence[Hit], *, exclude: int | None, min_score: float, count: int
) -> tuple[Hit, ...]:
    """Answered hits worth offering as buttons beside the reply, best first."""
    floor = min_score * OTHER_MATCH_SHARE_OF_THRESHOLD
    others = [
        hit for hit in hits if hit.answered and hit.question_id != exclude and hit.score >= floor
    ]
    return tuple(others[:count])


async def blocked(services: Services, message: Incoming) -> Blocked | None:
    """Blocked, when an admin blocked the patient: nothing they send is kept."""
    store = services.store
    if not await store.blocks.is_blocked(message.patient_id):
        return None
    emergency = looks_like_emergency(message.text, services.settings.emergency.patterns)
    return Blocked(first=await store.blocks.tell_once(message.patient_id), emergency=emergency)


async def for_doctor(services: Services, message: Incoming) -> ForDoctor | Duplicate | None:
    """ForDoctor when the message replies to a doctor's request for details; Duplicate when
    it did so already (a redelivered update); None: it is not a reply."""
    store = services.store
    if not await store.details.concerns(message.patient_id):
        return None
    if message.update_id is not None and await store.details.replied_by(message.update_id):
        return Duplicate()
    request = await store.details.awaiting(message.patient_id, DETAILS_REPLY_WINDOW)
    if request is None:
        return None
    doctor = await store.doctors.get(request.doctor_id)
    asked = await store.consultations.get(request.asked_id)
    if asked is None or doctor is None or doctor.status is not DoctorStatus.ACTIVE:
        return None
    return ForDoctor(
        asked=asked,
        request=request,
        doctor=doctor,
        label=await store.consultations.patient_label(message.patient_id),
        text=message.text,
        files=message.files,
        emergency=looks_like_emergency(message.text, services.settings.emergency.patterns),
    )


async def take_up(
    services: Services, message: Incoming
) -> Outcome | Blocked | ForDoctor | Duplicate:
    """Store the question first, then decide what becomes of it (nothing is sent or recorded
    beyond the question itself until `settle`). A blocked patient's message is not stored;
    a reply to a doctor's request for details is not a new question."""
    store = services.store
    refused = await blocked(services, message)
    if refused is not None:
        return refused
    reply = await for_doctor(services, message)
    if reply is not None:
        return reply
    recorded = await store.consultations.record(
        update_id=message.update_id,
        patient_id=message.patient_id,
        chat_id=message.chat_id,
        text=message.text,
        files=message.files,
    )
    if recorded.is_new:
        asked_id = recorded.question.id
        if terms(message.text):
            # Files sent first, with "What would you like to ask about this photo?"
            await store.attachments.claim_waiting(
                message.patient_id, asked_id, FILES_WAIT_FOR_QUESTION
            )
        ages = await store.consultations.recent(message.patient_id, MINUTE)
        if len(ages) > services.settings.limits.messages_per_minute:
            emergency = looks_like_emergency(message.text, services.settings.emergency.patterns)
            # Once the oldest of them is a minute old, a message counts again.
            return SlowDown(recorded.question, Flags(emergency=emergency), MINUTE - ages[0])
    return await decide(services, recorded.question)


async def unsettled(services: Services, older_than_seconds: float) -> list[AskedQuestion]:
    """Questions stored but never answered, to take up again: after a crash between storing
    a question and answering it, Telegram does not deliver its update again."""
    return await services.store.consultations.unsettled(older_than_seconds)


async def decide(services: Services, asked: AskedQuestion) -> Outcome:
    """What becomes of a stored question."""
    if asked.replied:
        return AlreadyAnswered(asked)
    store = services.store
    text = asked.text
    emergency = looks_like_emergency(text, services.settings.emergency.patterns)
    first = not await store.consultations.asked_before(asked.patient_id, asked.id)
    if not terms(text):
        return Unclear(asked, Flags(emergency=emergency, first_question=first))

    follow_up_unavailable = False
    answer_id = await store.consultations.pending_follow_up(asked.patient_id)
    if answer_id is not None:
        await store.consultations.set_follow_up(asked.patient_id, None)
        follow_up = await _follow_up(
            services, asked, answer_id, Flags(emergency=emergency, first_question=first)
        )
        if follow_up is not None:
            return follow_up
        follow_up_unavailable = True

    flags = Flags(
        emergency=emergency,
        first_question=first,
        follow_up_unavailable=follow_up_unavailable,
        long_question=len(text) if len(text) > MATCH_CHARS else None,
    )
    settings = services.settings.matching
    result = await services.match(text[:MATCH_CHARS])
    best = result.best
    shown = await store.bank.question(best.question_id) if best and best.answered else None
    others = other_matches(
        result.hits,
        exclude=shown.id if shown else None,
        min_score=settings.min_score,
        count=settings.other_matches,
    )
    if result.is_match and best is not None and shown is not None and shown.answers:
        return Matched(asked, flags, shown, best.score, others)
    if result.is_unsure and result.choices:
        return Unsure(asked, flags, result.choices, best.score if best else None)
    return await _routed(
        services,
        asked,
        flags,
        known_unanswered=result.is_match,
        others=others,
        score=best.score if best else None,
    )


async def ask_a_doctor(services: Services, asked_id: int, patient_id: int) -> RequestOutcome:
    """The patient asks for a doctor instead of the bank's answer (or of the choices)."""
    asked = await services.store.consultations.get(asked_id)
    if asked is None or asked.patient_id != patient_id:
        return NotYours()
    if await services.store.blocks.is_blocked(patient_id):
        return NotYours()
    if asked.status in (AskedStatus.OPEN, AskedStatus.ANSWERED) and asked.routed:
        return AlreadyWithDoctors(asked)
    return await _routed(
        services,
        asked,
        Flags(emergency=looks_like_emergency(asked.text, services.settings.emergency.patterns)),
        known_unanswered=False,
        others=(),
        score=None,
        on_request=True,
    )


async def _routed(
    services: Services,
    asked: AskedQuestion,
    flags: Flags,
    *,
    known_unanswered: bool,
    others: tuple[Hit, ...],
    score: float | None,
    on_request: bool = False,
) -> Routed | Limited:
    """The active doctors whose specialties fit the question (or all), who can be reached;
    Limited when the patient has sent them limits.questions_per_hour in the last hour."""
    store = services.store
    language = written_in(asked.text)
    default = services.settings.default_language
    doctors = tuple(
        doctor
        for doctor in doctors_for(
            asked.text,
            [_with_languages(services, doctor, default) for doctor in await store.doctors.active()],
            language,
            default,
        )
        if doctor.telegram_id is not None
    )
    limit = services.settings.limits.questions_per_hour
    ages = await store.consultations.recent(asked.patient_id, HOUR, routed=True) if doctors else []
    if len(ages) >= limit:
        # Once the limit-th newest of them is an hour old, there is room for one more.
        return Limited(asked, flags, len(ages), HOUR - ages[len(ages) - limit], on_request)
    # The label is made only when a doctor will see it.
    label = await store.consultations.patient_label(asked.patient_id) if doctors else ""
    hours = services.settings.routing.working_hours
    return Routed(
        asked,
        flags,
        doctors,
        label,
        known_unanswered,
        others,
        score,
        on_request,
        usual_wait_seconds=await store.stats.usual_wait() if doctors else None,
        expected_waits=services.settings.routing.expected_waits,
        back_at=hours.back_at(datetime.datetime.now(datetime.UTC)) if hours else None,
        attachments=await store.attachments.of_question(asked.id) if doctors else (),
        language=language,
    )


def _with_languages(services: Services, doctor: Doctor, default: str) -> Doctor:
    """A doctor who named no languages in the config (one who joined by invitation, say) reads
    the default language and the one their Telegram app or /language speaks."""
    if doctor.languages or doctor.telegram_id is None:
        return doctor
    own = services.store.preferences.language_of(doctor.telegram_id)
    languages = (default, own) if own and own != default else (default,)
    return dataclasses.replace(doctor, languages=languages)


async def _follow_up(
    services: Services, asked: AskedQuestion, answer_id: int, flags: Flags
) -> FollowUp | None:
    """The follow-up for the doctor who wrote `answer_id`; None when they can't take it."""
    store = services.store
    earlier = await store.consultations.doctor_answer(answer_id)
    if earlier is None:
        return None
    doctor = await store.doctors.get(earlier.doctor_id)
    if doctor is None or doctor.status is not DoctorStatus.ACTIVE or doctor.telegram_id is None:
        return None
    label = await store.consultations.patient_label(asked.patient_id)
    attachments = await store.attachments.of_question(asked.id)
    return FollowUp(asked, flags, doctor, label, earlier, attachments)


async def settle(
    services: Services,
    outcome: Outcome,
    replies: Sequence[OutgoingMessage],
    offers: Sequence[Offer] = (),
) -> bool:
    """Record the outcome with its messages (the patient's replies, the doctors' offers) in
    one transaction. False, and nothing queued, when the question was answered meanwhile:
    each question gets its first reply once."""
    consultations = services.store.consultations
    match outcome:
        case AlreadyAnswered():
            return False
        case Unclear(asked=asked):
            return await consultations.settle(asked.id, AskedStatus.UNCLEAR, None, None, replies)
        case Matched(asked=asked, question=question, score=score):
            return await consultations.settle(
                asked.id, AskedStatus.MATCHED, question.id, score, replies
            )
        case Unsure(asked=asked, score=score):
            return await consultations.settle(asked.id, AskedStatus.OPEN, None, score, replies)
        case SlowDown(asked=asked):
            return await consultations.settle(asked.id, AskedStatus.RECEIVED, None, None, replies)
        case Limited(asked=asked):
            return await consultations.settle(asked.id, AskedStatus.OPEN, None, None, replies)
        case Routed(asked=asked, score=score, on_request=on_request, flags=flags):
            return await consultations.route(
                asked.id,
                offers,
                replies,
                score=score,
                on_request=on_request,
                emergency=flags.emergency,
            )
        case FollowUp(asked=asked, earlier=earlier, flags=flags):
            return await consultations.route(
                asked.id,
                offers,
                replies,
                follow_up_of=earlier.answer.id,
                emergency=flags.emergency,
            )
