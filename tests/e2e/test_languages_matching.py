"""Questions across languages (issue 17): a patient writing Spanish, Russian or Arabic is
answered from an English bank entry, shown as written with a one-line note of its language
(never machine-translated); a question nobody can answer goes first to the doctors who read its
language, and they see the language named. Real bot, real multilingual encoder, emulator over
HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.emulator import BotMessage, FakeUser, TelegramEmulator
from bot.testing import MakeBot, RunningBot

# A small English bank on unrelated subjects: each question below has one right entry.
BANK = {
    "gout": "What are the symptoms of gout?",
    "asthma": "How is asthma treated in children?",
    "pressure": "What causes high blood pressure?",
    "migraine": "Can I take ibuprofen for a migraine while pregnant?",
    "sleep": "How much sleep does a teenager need?",
    "vaccine": "Is the measles vaccine safe for babies?",
}


def write_bank(folder: Path) -> Path:
    folder.mkdir()
    for key, question in BANK.items():
        entry: dict[str, Any] = {
            "question": question,
            "answers": [
                {
                    "doctor": {
                        "name": "Dr. Ada Bank",
                        "title": "Family Physician",
                        "location": "Leeds",
                        "rating": 4.8,
                        "reviews": 12,
                    },
                    "text": f"An answer about {key}.",
                }
            ],
        }
        (folder / f"{key}.yaml").write_text(yaml.safe_dump(entry), encoding="utf-8")
    return folder


def plain(text: str) -> str:
    """Without the invisible isolation marks around names in right-to-left text."""
    return text.replace("\u2068", "").replace("\u2069", "")


@pytest.fixture
async def multilingual(make_bot: MakeBot, tmp_path: Path) -> AsyncIterator[RunningBot]:
    bot = make_bot("polling", answers_dir=str(write_bank(tmp_path / "answers")))
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


@pytest.mark.parametrize(
    ("language_code", "question", "expected", "note", "label"),
    [
        (
            "es",
            "¿cuáles son los síntomas de la gota?",
            "What are the symptoms of gout?",
            "Esta respuesta está en inglés.",
            "Respuestas de médicos: 1",
        ),
        (
            "ru",
            "как лечат астму у детей?",
            "How is asthma treated in children?",
            "Язык этого ответа: английский.",
            "Ответы врачей: 1",
        ),
        (
            "ar",
            "ما الذي يسبب ارتفاع ضغط الدم؟",
            "What causes high blood pressure?",
            "هذه الإجابة باللغة الإنجليزية.",
            "إجابات الأطباء: 1",
        ),
    ],
)
async def test_a_question_in_another_language_is_answered_from_the_english_bank(
    multilingual: RunningBot,
    emulator: TelegramEmulator,
    language_code: str,
    question: str,
    expected: str,
    note: str,
    label: str,
) -> None:
    patient = emulator.new_user("Patient", language_code=language_code)
    [reply] = await multilingual.ask(patient, question)
    text = plain(reply.text)
    # The English entry as written, under the note in the patient's language.
    assert text.startswith(f"{expected}\n{note}\n"), text
    assert label in text
    assert "An answer about" in text
    assert text.endswith(multilingual.settings.disclaimer_in(language_code))


async def test_an_english_question_is_answered_without_a_note(
    multilingual: RunningBot, emulator: TelegramEmulator
) -> None:
    patient = emulator.new_user("Pat", language_code="en")
    [reply] = await multilingual.ask(patient, "what are the symptoms of gout")
    assert reply.text.startswith("What are the symptoms of gout?\n\nDoctor answers: 1")


def offers_to(emulator: TelegramEmulator, doctor: FakeUser) -> list[BotMessage]:
    """The questions offered to a doctor, in English or, for the doctor whose app is in
    Spanish, in Spanish."""
    return [
        m
        for m in emulator.messages_to(doctor.chat_id)
        if m.text.startswith(("New question", "Nueva pregunta"))
    ]


async def test_a_doctor_who_reads_spanish_gets_a_spanish_question_first(
    make_bot: MakeBot, emulator: TelegramEmulator, tmp_path: Path
) -> None:
    english_doctor = emulator.new_user("Eng", language_code="en")
    spanish_doctor = emulator.new_user("Esp", language_code="en")
    # Names no language in the config: reads the default one and their app's.
    app_spanish_doctor = emulator.new_user("App", language_code="es-AR")
    doctors = [
        {"telegram_id": english_doctor.id, "name": "Dr. Eve Green", "title": "GP"},
        {
            "telegram_id": spanish_doctor.id,
            "name": "Dra. Ana Ruiz",
            "title": "GP",
            "languages": ["es", "en"],
        },
        {"telegram_id": app_spanish_doctor.id, "name": "Dr. Luis Paz", "title": "GP"},
    ]
    bot = make_bot("polling", doctors=doctors, answers_dir=str(write_bank(tmp_path / "answers")))
    async with bot:
        await bot.ask(app_spanish_doctor, "/queue")
        patient = emulator.new_user("Lucía", language_code="es")
        await bot.ask(patient, "¿es normal que me zumben los oídos después de un concierto?")
        [offer] = await emulator.wait_until(lambda: offers_to(emulator, spanish_doctor) or None)
        [app_offer] = await emulator.wait_until(
            lambda: offers_to(emulator, app_spanish_doctor) or None
        )
        # In the patient's words, with the language named for the doctor.
        assert "Written in Spanish" in offer.text
        # A doctor whose app is in Spanish reads the offer in Spanish, which needs no note.
        assert app_offer.text.startswith("Nueva pregunta del paciente #")
        assert "Escrita en" not in app_offer.text
        assert "zumben los oídos" in offer.text
        assert "Lucía" not in offer.text
        # An English question reaches both, as both read English.
        english_patient = emulator.new_user("Sam", language_code="en")
        await bot.ask(english_patient, "is ringing in the ears after a concert normal?")
        await emulator.wait_until(lambda: offers_to(emulator, english_doctor) or None)
        await emulator.wait_until(lambda: len(offers_to(emulator, spanish_doctor)) == 2 or None)
        # The Spanish question never went to the doctor who does not read Spanish.
        [english_offer] = offers_to(emulator, english_doctor)
        assert "ringing in the ears" in english_offer.text
        assert "Written in" not in english_offer.text
