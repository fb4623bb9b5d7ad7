"""Which doctors a question goes to. No Telegram here."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Doctor
from bot.terms import terms


def doctors_for(
    question: str, doctors: Sequence[Doctor], language: str, default_language: str
) -> list[Doctor]:
    """The doctors a question goes to. Those who read its `language` (a doctor who named no
    language reads `default_language`) come first and alone; among them, those whose
    specialties share a word with the question. When none reads it or none fits, the wider
    group gets it, so no question is left unseen."""
    readers = [
        doctor for doctor in doctors if language in (doctor.languages or (default_language,))
    ] or list(doctors)
    question_terms = set(terms(question))
    fitting = [
        doctor
        for doctor in readers
        if question_terms & {term for specialty in doctor.specialties for term in terms(specialty)}
    ]
    return fitting or readers
