"""Nothing goes stale: a question sent to doctors that nobody has answered is offered again to
its doctors after routing.remind_after_minutes, and the admins are told after
routing.escalate_after_minutes. Each happens once per question, restarts included: the due
times follow from when the question was sent, and the store records each as it is queued."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from bot.flows import Services
from bot.models import OutgoingMessage
from bot.store.consultations import Waiting


class Chase(Enum):
    """What a waiting question is due for."""

    REMIND = "remind"
    ESCALATE = "escalate"


@dataclass(frozen=True, slots=True)
class Due:
    """A waiting question due for a reminder or an escalation."""

    chase: Chase
    waiting: Waiting


async def due(services: Services) -> list[Due]:
    """Every waiting question due for a reminder, then for an escalation."""
    routing = services.settings.routing
    consultations = services.store.consultations
    after = {
        Chase.REMIND: routing.remind_after_minutes * 60,
        Chase.ESCALATE: routing.escalate_after_minutes * 60,
    }
    return [
        Due(chase, waiting)
        for chase in Chase
        for waiting in await consultations.waiting(chase.value, after[chase])
    ]


async def record(services: Services, due: Due, messages: Sequence[OutgoingMessage]) -> bool:
    """Queue the chase's messages and record it, once: False when it was done already."""
    return await services.store.consultations.chase(due.waiting.asked.id, due.chase.value, messages)
