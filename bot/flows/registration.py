"""Doctors by invitation: /register CODE starts an application, a step table asks for the
name, title and location one at a time (progress stored after each), the application goes to
the admins, and an admin's decision (approve, reject, revoke, restore) changes the doctor's
status once, with the news in the same transaction."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from bot.flows import Services
from bot.models import Doctor, DoctorProfile, DoctorStatus, OutgoingMessage, Registration

# Longest name, title or location an applicant may give (a card must stay readable).
FIELD_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Step:
    """One thing an application asks for: its name (stored as the application's step) and how
    the answer fills the application."""

    name: str
    fill: Callable[[Registration, str], Registration]


# What an application asks for, in order; progress is stored after each answer.
STEPS: tuple[Step, ...] = (
    Step("name", lambda application, value: dataclasses.replace(application, name=value)),
    Step("title", lambda application, value: dataclasses.replace(application, title=value)),
    Step("location", lambda application, value: dataclasses.replace(application, location=value)),
)
_STEP_NAMES = tuple(step.name for step in STEPS)


class Refusal(Enum):
    """Why a user may not apply."""

    ALREADY_A_DOCTOR = "already a doctor"
    APPLICATION_WAITING = "application waiting"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class RegistrationOff:
    """The operator set no invitation code."""


@dataclass(frozen=True, slots=True)
class CodeMissing:
    """/register without a code."""


@dataclass(frozen=True, slots=True)
class WrongCode:
    """Not the operator's code."""


@dataclass(frozen=True, slots=True)
class CannotApply:
    """The user may not apply (see Refusal)."""

    refusal: Refusal


@dataclass(frozen=True, slots=True)
class Ask:
    """Ask for `step` (`started`: the application has just begun)."""

    step: str
    started: bool = False


@dataclass(frozen=True, slots=True)
class TooLong:
    """The value is longer than FIELD_LIMIT: ask for `step` again."""

    step: str


@dataclass(frozen=True, slots=True)
class NotApplying:
    """No application in progress: the text is a patient's message."""


@dataclass(frozen=True, slots=True)
class Submitted:
    """The application is complete and pending: the admins decide."""

    doctor: Doctor
    registration: Registration


StartOutcome = RegistrationOff | CodeMissing | WrongCode | CannotApply | Ask
StepOutcome = NotApplying | TooLong | Ask | Submitted | CannotApply


def refusal_for(existing: Doctor | None) -> Refusal | None:
    """Why this user may not apply, or None when they may (new, or rejected before)."""
    if existing is None or existing.status in (DoctorStatus.REJECTED, DoctorStatus.AUTHOR):
        return None
    if existing.status is DoctorStatus.ACTIVE:
        return Refusal.ALREADY_A_DOCTOR
    if existing.status is DoctorStatus.PENDING:
        return Refusal.APPLICATION_WAITING
    return Refusal.REVOKED


async def start(services: Services, telegram_id: int, code: str) -> StartOutcome:
    """/register CODE: with the operator's code, begin (or resume) an application."""
    expected = services.settings.routing.invite_code
    if expected is None:
        return RegistrationOff()
    if not code:
        return CodeMissing()
    if not secrets.compare_digest(code.encode(), expected.encode()):
        return WrongCode()
    doctors = services.store.doctors
    refusal = refusal_for(await doctors.by_telegram_id(telegram_id))
    if refusal is not None:
        return CannotApply(refusal)
    registration = await doctors.registration(telegram_id)
    if registration is None or registration.step not in _STEP_NAMES:
        registration = Registration(telegram_id, _STEP_NAMES[0], None, None, None)
        await doctors.save_registration(registration)
    return Ask(registration.step, started=True)


async def answer_step(services: Services, telegram_id: int, text: str) -> StepOutcome:
    """Text from someone mid-application: the value of the step asked."""
    doctors = services.store.doctors
    registration = await doctors.registration(telegram_id)
    if registration is None or registration.step not in _STEP_NAMES:
        return NotApplying()
    value = " ".join(text.split())
    if len(value) > FIELD_LIMIT:
        return TooLong(registration.step)
    position = _STEP_NAMES.index(registration.step)
    filled = STEPS[position].fill(registration, value)
    if position + 1 < len(STEPS):
        following = STEPS[position + 1].name
        await doctors.save_registration(dataclasses.replace(filled, step=following))
        return Ask(following)
    return await _submit(services, filled)


async def _submit(services: Services, registration: Registration) -> Submitted | CannotApply:
    """Store the application as pending."""
    assert registration.name and registration.title and registration.location
    applied = await services.store.doctors.apply(
        DoctorProfile(
            telegram_id=registration.telegram_id,
            name=registration.name,
            title=registration.title,
            location=registration.location,
        )
    )
    if applied.status is not DoctorStatus.PENDING:
        # Became a doctor (or was revoked) while applying: the application changed nothing.
        return CannotApply(refusal_for(applied) or Refusal.ALREADY_A_DOCTOR)
    return Submitted(applied, registration)


async def cancel(services: Services, telegram_id: int) -> bool:
    """/cancel mid-application: drop it; False when there was none."""
    return await services.store.doctors.discard_registration(telegram_id)


# --- admins' decisions ---------------------------------------------------------------------------


class Decision(Enum):
    """What an admin can do to a doctor."""

    APPROVE = "approve"
    REJECT = "reject"
    REVOKE = "revoke"
    RESTORE = "restore"


# The status a decision sets, and the statuses it may change.
DECISIONS: dict[Decision, tuple[DoctorStatus, tuple[DoctorStatus, ...]]] = {
    Decision.APPROVE: (DoctorStatus.ACTIVE, (DoctorStatus.PENDING,)),
    Decision.REJECT: (DoctorStatus.REJECTED, (DoctorStatus.PENDING,)),
    Decision.REVOKE: (DoctorStatus.REVOKED, (DoctorStatus.ACTIVE,)),
    Decision.RESTORE: (DoctorStatus.ACTIVE, (DoctorStatus.REVOKED, DoctorStatus.REJECTED)),
}


def decisions_for(doctor: Doctor) -> tuple[Decision, ...]:
    """What an admin can do to this doctor now."""
    return tuple(
        decision for decision, (_, only_from) in DECISIONS.items() if doctor.status in only_from
    )


@dataclass(frozen=True, slots=True)
class NoSuchDoctor:
    """No doctor by that number (or one who cannot be told)."""

    doctor_id: int


@dataclass(frozen=True, slots=True)
class Decided:
    """The status changed; the news is queued."""

    doctor: Doctor
    status: DoctorStatus


@dataclass(frozen=True, slots=True)
class AlreadyDecided:
    """Another press (or admin) decided first: the doctor's status now."""

    doctor: Doctor
    status: DoctorStatus


async def decide(
    services: Services,
    doctor_id: int,
    decision: Decision,
    messages_for: Callable[[Doctor], Sequence[OutgoingMessage]],
) -> Decided | AlreadyDecided | NoSuchDoctor:
    """Apply an admin's decision once; the doctor and the admin are told in the same
    transaction. A doctor who may no longer answer loses the answer they were writing."""
    store = services.store
    found = await store.doctors.get(doctor_id)
    if found is None or found.telegram_id is None:
        return NoSuchDoctor(doctor_id)
    status, only_from = DECISIONS[decision]
    async with store.database.transaction() as tx:
        changed = await store.doctors.change_status(tx, found.id, status, only_from=only_from)
        if changed:
            if status is not DoctorStatus.ACTIVE:
                await store.consultations.discard_draft(found.id, tx)
            await store.outbox.enqueue(tx, messages_for(found))
    if changed:
        return Decided(found, status)
    now = await store.doctors.get(found.id)
    return AlreadyDecided(found, (now or found).status)
