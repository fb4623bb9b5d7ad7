"""Which doctors a question goes to. No Telegram here."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Doctor
from bot.terms import terms


def doctors_for(question: str, doctors: Sequence[Doctor]) -> list[Doctor]:
    """Doctors whose specialties share a word with the question come first and alone; when
    none does, every doctor gets it, so no question is left unseen."""
    question_terms = set(terms(question))
    fitting = [
        doctor
        for doctor in doctors
        if question_terms & {term for specialty in doctor.specialties for term in terms(specialty)}
    ]
    return fitting or list(doctors)
