"""Which doctors a question goes to: those who read its language first and alone (issue 17),
then, among them, those whose specialties fit; never nobody."""

from __future__ import annotations

from bot.models import Doctor, DoctorCard, DoctorStatus
from bot.routing import doctors_for


def doctor(number: int, specialties: tuple[str, ...], languages: tuple[str, ...]) -> Doctor:
    return Doctor(
        id=number,
        telegram_id=1000 + number,
        card=DoctorCard(f"Dr {number}", "", "", rating_total=0.0, review_count=0),
        specialties=specialties,
        status=DoctorStatus.ACTIVE,
        languages=languages,
    )


ENGLISH_DERMATOLOGIST = doctor(1, ("dermatology", "skin"), ())
SPANISH_GP = doctor(2, ("general practice",), ("es", "en"))
SPANISH_DERMATOLOGIST = doctor(3, ("dermatología", "piel"), ("es",))
DOCTORS = (ENGLISH_DERMATOLOGIST, SPANISH_GP, SPANISH_DERMATOLOGIST)


def test_a_spanish_question_goes_to_the_doctors_who_read_spanish() -> None:
    found = doctors_for("me duele la garganta desde ayer", DOCTORS, "es", "en")
    assert found == [SPANISH_GP, SPANISH_DERMATOLOGIST]


def test_among_readers_the_specialty_decides() -> None:
    found = doctors_for("tengo una mancha oscura en la piel", DOCTORS, "es", "en")
    assert found == [SPANISH_DERMATOLOGIST]


def test_a_doctor_who_named_no_language_reads_the_bots_default() -> None:
    found = doctors_for("a rash on my skin", DOCTORS, "en", "en")
    assert found == [ENGLISH_DERMATOLOGIST]
    assert doctors_for("sore throat", DOCTORS, "en", "en") == [ENGLISH_DERMATOLOGIST, SPANISH_GP]


def test_a_question_nobody_reads_goes_to_every_doctor() -> None:
    assert doctors_for("болит горло", DOCTORS, "ru", "en") == list(DOCTORS)
